"""Real files for upload tests: built with Pillow, the stdlib, or (once per session) ffmpeg."""

import io
import math
import shutil
import struct
import subprocess
import wave
from pathlib import Path

from conftest import make_image_bytes

__all__ = [
    "FFMPEG_SAMPLES",
    "elf_bytes",
    "ffmpeg_bytes",
    "html_bytes",
    "make_image_bytes",
    "stored_files",
    "svg_with_script_bytes",
    "truncated_png_bytes",
    "wav_bytes",
]

# extension -> (ffmpeg arguments, asset type, normalised mime type)
FFMPEG_SAMPLES = {
    "mp4": (
        ["-f", "lavfi", "-i", "color=c=red:s=32x32:d=0.2", "-pix_fmt", "yuv420p", "-c:v", "libx264"],
        "video",
        "video/mp4",
    ),
    "webm": (["-f", "lavfi", "-i", "color=c=blue:s=32x32:d=0.2", "-c:v", "libvpx"], "video", "video/webm"),
    "mp3": (["-f", "lavfi", "-i", "sine=d=0.2", "-c:a", "libmp3lame"], "audio", "audio/mpeg"),
    "ogg": (["-f", "lavfi", "-i", "sine=d=0.2", "-c:a", "libvorbis"], "audio", "audio/ogg"),
    "m4a": (["-f", "lavfi", "-i", "sine=d=0.2", "-c:a", "aac"], "audio", "audio/mp4"),
}


def ffmpeg_bytes(ext: str, workdir: Path) -> bytes | None:
    """A tiny file made by ffmpeg, or None when ffmpeg (or its codec) is unavailable."""
    ffmpeg = shutil.which("ffmpeg") or "/usr/bin/ffmpeg"
    if not Path(ffmpeg).exists():
        return None
    target = workdir / f"sample.{ext}"
    args, _type, _mime = FFMPEG_SAMPLES[ext]
    completed = subprocess.run(
        [ffmpeg, "-hide_banner", "-loglevel", "error", "-y", *args, str(target)],
        capture_output=True,
        timeout=60,
        check=False,
    )
    if completed.returncode != 0 or not target.exists():
        return None
    return target.read_bytes()


def wav_bytes(seconds: float = 0.1, rate: int = 8000) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        frames = int(seconds * rate)
        out.writeframes(
            b"".join(struct.pack("<h", int(8000 * math.sin(2 * math.pi * 440 * i / rate))) for i in range(frames))
        )
    return buffer.getvalue()


def truncated_png_bytes() -> bytes:
    data = make_image_bytes(size=(256, 256))
    return data[: len(data) // 2]


def svg_with_script_bytes() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n'
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>\n"
    )


def html_bytes() -> bytes:
    return b"<!DOCTYPE html>\n<html><head><title>x</title></head><body><script>alert(1)</script></body></html>\n"


def elf_bytes() -> bytes:
    """A real executable (an ELF binary from the system)."""
    for candidate in ("/bin/true", "/usr/bin/true", "/bin/ls"):
        path = Path(candidate)
        if path.exists():
            return path.read_bytes()
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 4000


def stored_files(media_root) -> set[str]:
    """Every file under MEDIA_ROOT, as paths relative to it."""
    root = Path(media_root)
    if not root.exists():
        return set()
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}
