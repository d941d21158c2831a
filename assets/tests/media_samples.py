"""Real media files for the media pipeline tests, in every allowed format.

Images come from Pillow, WAV from the stdlib; video and the other audio formats are made
once per test process by ffmpeg (`media_sample` caches them). Each sample knows what the
pipeline should find in it.
"""

import functools
import io
import math
import struct
import subprocess
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

from assets.media_probe import tool_path


@dataclass(frozen=True)
class Sample:
    ext: str
    type: str
    mime: str
    width: int | None = None
    height: int | None = None
    duration: float | None = None


SECOND = ["-t", "1"]
VIDEO_H264 = ["-pix_fmt", "yuv420p", "-c:v", "libx264", "-preset", "ultrafast"]

# name -> (ffmpeg arguments before the output, what the pipeline should find)
FFMPEG_SAMPLES = {
    "mp4": (
        ["-f", "lavfi", "-i", "testsrc=s=160x90:r=25", "-f", "lavfi", "-i", "sine=f=440", *SECOND, *VIDEO_H264,
         "-c:a", "aac"],
        Sample("mp4", "video", "video/mp4", 160, 90, 1.0),
    ),
    "mov": (
        ["-f", "lavfi", "-i", "testsrc=s=96x64:r=25", *SECOND, *VIDEO_H264],
        Sample("mov", "video", "video/quicktime", 96, 64, 1.0),
    ),
    "webm": (
        ["-f", "lavfi", "-i", "testsrc=s=128x72:r=25", *SECOND, "-c:v", "libvpx", "-b:v", "200k"],
        Sample("webm", "video", "video/webm", 128, 72, 1.0),
    ),
    "hd.mp4": (
        ["-f", "lavfi", "-i", "testsrc=s=1280x720:r=10", *SECOND, *VIDEO_H264],
        Sample("mp4", "video", "video/mp4", 1280, 720, 1.0),
    ),
    "mp3": (
        ["-f", "lavfi", "-i", "sine=f=440", *SECOND, "-c:a", "libmp3lame"],
        Sample("mp3", "audio", "audio/mpeg", None, None, 1.0),
    ),
    "ogg": (
        ["-f", "lavfi", "-i", "sine=f=440", *SECOND, "-c:a", "libvorbis"],
        Sample("ogg", "audio", "audio/ogg", None, None, 1.0),
    ),
    "m4a": (
        ["-f", "lavfi", "-i", "sine=f=440", *SECOND, "-c:a", "aac"],
        Sample("m4a", "audio", "audio/mp4", None, None, 1.0),
    ),
    # Sound in a video container: sniffed as video/mp4 or video/webm, stored as audio.
    "audio.mp4": (
        ["-f", "lavfi", "-i", "sine=f=440", *SECOND, "-c:a", "aac"],
        Sample("mp4", "audio", "audio/mp4", None, None, 1.0),
    ),
    "audio.webm": (
        ["-f", "lavfi", "-i", "sine=f=440", *SECOND, "-c:a", "libopus"],
        Sample("webm", "audio", "audio/webm", None, None, 1.0),
    ),
}

# A phone video: stored 64x48, shown rotated by 90 degrees (made by a second, copying pass).
ROTATED = Sample("mov", "video", "video/quicktime", 48, 64, 1.0)


def _ffmpeg(*args, workdir: Path) -> bool:
    ffmpeg = tool_path("ffmpeg")
    if ffmpeg is None:
        return False
    completed = subprocess.run(  # noqa: S603 - test fixture with fixed arguments
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args],
        capture_output=True, timeout=120, check=False, cwd=workdir,
    )
    return completed.returncode == 0


@functools.cache
def media_sample(name: str) -> bytes | None:
    """The bytes of an ffmpeg-made sample ("mp4", "rotated.mov", ...), or None without ffmpeg."""
    with tempfile.TemporaryDirectory(prefix="media-sample-") as tmp:
        workdir = Path(tmp)
        if name == "rotated.mov":
            if not _ffmpeg("-f", "lavfi", "-i", "testsrc=s=64x48:r=25", *SECOND, *VIDEO_H264, "plain.mov",
                           workdir=workdir):
                return None
            ok = _ffmpeg("-i", "plain.mov", "-c", "copy", "-metadata:s:v:0", "rotate=90", "out.mov", workdir=workdir)
        else:
            args, sample = FFMPEG_SAMPLES[name]
            ok = _ffmpeg(*args, f"out.{sample.ext}", workdir=workdir)
        target = workdir / f"out.{name.rsplit('.', 1)[-1]}"
        return target.read_bytes() if ok and target.exists() else None


def sample_info(name: str) -> Sample:
    return ROTATED if name == "rotated.mov" else FFMPEG_SAMPLES[name][1]


# --- made without ffmpeg ------------------------------------------------------------------


def photo_like(size=(1600, 1200)) -> Image.Image:
    """Gradients, shapes and grain: compresses like a photograph, not like a flat colour."""
    width, height = size
    base = Image.linear_gradient("L").resize(size).convert("RGB")
    grain = Image.effect_noise(size, 50).convert("RGB")
    image = Image.blend(base, grain, 0.4)
    draw = ImageDraw.Draw(image)
    for i in range(40):
        x, y = i * 37 % width, i * 53 % height
        draw.ellipse([x, y, x + width // 8, y + height // 8], fill=(i * 6 % 255, 120, 255 - i * 5 % 255))
    return image.filter(ImageFilter.GaussianBlur(1))


def image_bytes(fmt: str, size=(64, 48), *, image: Image.Image | None = None, **save) -> bytes:
    image = image or Image.new("RGB", size, (200, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **save)
    return buffer.getvalue()


def animated_gif_bytes(size=(60, 40)) -> bytes:
    frames = [Image.new("RGB", size, colour) for colour in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buffer.getvalue()


def jpeg_with_orientation(size=(200, 100), orientation=6) -> bytes:
    """A landscape JPEG whose EXIF says "rotate 90 degrees clockwise" to show it upright."""
    image = Image.new("RGB", size, (30, 90, 200))
    exif = Image.Exif()
    exif[0x0112] = orientation
    return image_bytes("JPEG", image=image, exif=exif.tobytes())


def wav_bytes(seconds: float = 1.0, *, rate: int = 8000, channels: int = 1, width: int = 2) -> bytes:
    """A 440 Hz tone whose loudness swells, as PCM WAV of any sample width and channel count."""
    peak = (1 << (8 * width - 1)) - 1
    frames = bytearray()
    for i in range(int(seconds * rate)):
        level = math.sin(2 * math.pi * 440 * i / rate) * (0.2 + 0.8 * abs(math.sin(math.pi * i / rate)))
        value = int(peak * level)
        if width == 1:
            sample = struct.pack("<B", value + 128)
        elif width == 3:
            sample = struct.pack("<i", value)[:3]
        else:
            sample = struct.pack({2: "<h", 4: "<i"}[width], value)
        frames += sample * channels
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(channels)
        out.setsampwidth(width)
        out.setframerate(rate)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def png_bomb_bytes(side: int) -> bytes:
    """A real, valid PNG of side x side black pixels: tiny on disk, huge once decoded."""
    return image_bytes("PNG", image=Image.new("1", (side, side)), optimize=True)


def truncated(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * fraction)]


def pe_bytes() -> bytes:
    """The headers of a Windows executable (MZ, DOS stub, PE32+ x86-64), as libmagic knows them."""
    header = bytearray(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00\xb8" + b"\x00" * 7 + b"\x40")
    header += b"\x00" * (0x3C - len(header)) + struct.pack("<I", 0x80)
    header += b"\x0e\x1f\xba\x0e\x00\xb4\x09\xcd\x21\xb8\x01\x4c\xcd\x21This program cannot be run in DOS mode.\r\r\n$"
    header += b"\x00" * (0x80 - len(header)) + b"PE\x00\x00" + struct.pack("<HHIIIHH", 0x8664, 3, 0, 0, 0, 240, 0x22)
    header += struct.pack("<H", 0x20B) + b"\x00" * 238
    return bytes(header) + b"\x00" * 4000
