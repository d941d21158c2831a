"""Thumbnails: a small WebP picture for every image, video and audio asset.

- Images: EXIF rotation applied, the first frame of an animation, scaled into a
  THUMBNAIL_SIZE square (never enlarged) and encoded as WebP at the best quality that fits
  THUMBNAIL_TARGET_BYTES.
- Video: a poster frame taken by ffmpeg at a tenth of the duration (or the first frame),
  then treated as an image.
- Audio: a waveform drawn with Pillow from samples that ffmpeg decodes, read as a stream
  into a bounded list of peaks, so an hour of sound costs no more memory than a second.
  Without ffmpeg, WAV files are read with the stdlib's wave module; other audio gets none.
- Text: none.

The work happens on the Celery workers (`assets.tasks.make_thumbnails`), after the asset
is committed, and is stored through `services.asset_set_thumbnail`. A file that cannot be
decoded gets no thumbnail (and a warning in the log); the asset stays usable either way.
"""

import io
import logging
import subprocess
import tempfile
import threading
import wave
from array import array
from contextlib import contextmanager

from django.conf import settings
from PIL import Image, ImageDraw, ImageOps, UnidentifiedImageError

from assets.media_probe import input_args, local_path, tool_path
from assets.models import MEDIA_TYPES, Asset, AssetType

logger = logging.getLogger(__name__)

WEBP_QUALITIES = (82, 72, 62, 52, 42, 32)
DOWNSCALE_STEPS = 3  # still over the target at the lowest quality: shrink by 0.8, up to this often
WAVEFORM_BACKGROUND = (17, 24, 39)
WAVEFORM_BARS = (129, 140, 248)
DECODE_ERRORS = (
    UnidentifiedImageError, Image.DecompressionBombError, OSError, ValueError, SyntaxError, EOFError,
    subprocess.SubprocessError, wave.Error,
)


def make_thumbnail(asset: Asset) -> bytes | None:
    """The WebP thumbnail of an asset's file, or None (text, no file, undecodable, no ffmpeg).

    A file missing from storage gives None; other storage errors propagate (the task retries).
    """
    if asset.type not in MEDIA_TYPES or not asset.file:
        return None
    try:
        with stored_path(asset) as path:
            try:
                if asset.type == AssetType.IMAGE:
                    with open(path, "rb") as handle:
                        return image_thumbnail(handle)
                if asset.type == AssetType.VIDEO:
                    return video_poster(path, duration=asset.duration_seconds, mime=asset.mime_type)
                return audio_waveform(path, mime=asset.mime_type)
            except DECODE_ERRORS as exc:
                logger.warning("No thumbnail for asset %s (%s): %s", asset.pk, asset.mime_type, exc)
                return None
    except FileNotFoundError:
        logger.warning("No thumbnail for asset %s: its file %s is missing", asset.pk, asset.file.name)
        return None


@contextmanager
def stored_path(asset: Asset):
    """A local path to the asset's file: the file itself on local storage, else a temporary copy."""
    try:
        path = asset.file.path
    except NotImplementedError:  # remote storage
        path = None
    if path is not None:
        with open(path, "rb"):  # FileNotFoundError if it is gone
            pass
        yield path
        return
    with asset.file.open("rb") as handle, local_path(handle) as copy:
        yield copy


# --- images -------------------------------------------------------------------------------


def image_thumbnail(fileobj) -> bytes:
    Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
    size = settings.THUMBNAIL_SIZE
    with Image.open(fileobj) as img:
        img.draft(None, (size, size))  # JPEG: decode at a reduced scale, still at least `size`
        frame = ImageOps.exif_transpose(img)  # also loads the first frame of an animation
        return encode_webp(fit(frame))


def fit(img: Image.Image) -> Image.Image:
    """`img` in a mode WebP can hold, scaled into the THUMBNAIL_SIZE square (never enlarged)."""
    transparent = img.mode in ("RGBA", "LA", "PA") or (img.mode == "P" and "transparency" in img.info)
    if img.mode in ("I;16", "I;16B", "I;16L", "I"):
        img = img.point(lambda value: value / 256).convert("L")  # 16-bit greyscale
    img = img.convert("RGBA" if transparent else "RGB")
    size = settings.THUMBNAIL_SIZE
    img.thumbnail((size, size), Image.Resampling.LANCZOS)
    return img


def encode_webp(img: Image.Image) -> bytes:
    """WebP at the highest quality that fits THUMBNAIL_TARGET_BYTES (shrinking as a last resort)."""
    target = settings.THUMBNAIL_TARGET_BYTES
    data = b""
    for _attempt in range(DOWNSCALE_STEPS + 1):
        for quality in WEBP_QUALITIES:
            buffer = io.BytesIO()
            img.save(buffer, format="WEBP", quality=quality, method=4)
            data = buffer.getvalue()
            if len(data) <= target:
                return data
        width, height = img.size
        if min(width, height) < 50:
            break
        img = img.resize((max(1, int(width * 0.8)), max(1, int(height * 0.8))), Image.Resampling.LANCZOS)
    return data


# --- video --------------------------------------------------------------------------------


def video_poster(path, *, duration: float | None, mime: str = "") -> bytes | None:
    ffmpeg = tool_path("ffmpeg")
    if ffmpeg is None:
        logger.warning("ffmpeg is not installed (Debian package ffmpeg): videos get no poster frame")
        return None
    size = settings.THUMBNAIL_SIZE
    scale = f"scale=w='min(iw,{size})':h='min(ih,{size})':force_original_aspect_ratio=decrease"
    offsets = [round(duration * 0.1, 3)] if duration else []
    for offset in [*offsets, 0.0]:
        command = [
            ffmpeg, "-hide_banner", "-v", "error", "-nostdin", "-ss", f"{offset:.3f}", *input_args(path, mime=mime),
            "-map", "0:v:0", "-frames:v", "1", "-vf", scale, "-f", "image2pipe", "-c:v", "png", "pipe:1",
        ]
        completed = subprocess.run(  # noqa: S603 - fixed arguments; the path is server-chosen
            command, capture_output=True, timeout=settings.MEDIA_TOOL_TIMEOUT, check=False
        )
        if completed.returncode == 0 and completed.stdout:
            with Image.open(io.BytesIO(completed.stdout)) as frame:
                frame.load()
                return encode_webp(fit(frame))
    logger.warning("ffmpeg found no frame in a %s file: %s", mime or "video",
                   completed.stderr.decode("utf-8", "replace").strip()[:300])
    return None


# --- audio --------------------------------------------------------------------------------


class PeakCollector:
    """The loudest sample of each stretch of sound, in bounded memory for any length.

    Samples arrive in chunks of any size; every `block` samples give one peak. When MAX_PEAKS
    are held, neighbours merge (the louder stays) and each peak then covers twice as much.
    """

    MAX_PEAKS = 4096

    def __init__(self, *, block: int):
        self.block = max(1, block)
        self.peaks = array("H")
        self._per_peak = 1  # blocks per stored peak
        self._blocks = 0
        self._loudest = 0
        self._filled = 0
        self._block_peak = 0

    def add(self, samples) -> None:
        """Feed signed 16-bit samples (an array('h') or a memoryview cast to 'h')."""
        start, count = 0, len(samples)
        while start < count:
            take = min(self.block - self._filled, count - start)
            part = samples[start : start + take]
            self._block_peak = max(self._block_peak, max(part), -min(part))
            self._filled += take
            start += take
            if self._filled == self.block:
                self._end_block()

    def _end_block(self):
        self._loudest = max(self._loudest, self._block_peak)
        self._blocks += 1
        self._filled = self._block_peak = 0
        if self._blocks == self._per_peak:
            self.peaks.append(min(self._loudest, 65535))
            self._blocks = self._loudest = 0
            if len(self.peaks) >= self.MAX_PEAKS:
                pairs = self.peaks
                self.peaks = array("H", (max(pairs[i], pairs[i + 1]) for i in range(0, len(pairs) - 1, 2)))
                self._per_peak *= 2

    def finish(self) -> array:
        if self._filled:
            self._end_block()
        if self._blocks:
            self.peaks.append(min(self._loudest, 65535))
            self._blocks = self._loudest = 0
        return self.peaks


FFMPEG_SAMPLE_RATE = 8000
READ_CHUNK = 1 << 16


def audio_waveform(path, *, mime: str = "") -> bytes | None:
    ffmpeg = tool_path("ffmpeg")
    if ffmpeg is not None:
        peaks = _peaks_from_ffmpeg(ffmpeg, path, mime=mime)
    elif mime == "audio/wav":
        peaks = _peaks_from_wav(path)
    else:
        logger.warning("ffmpeg is not installed (Debian package ffmpeg): %s files get no waveform", mime or "audio")
        return None
    if peaks is None:
        return None
    return draw_waveform(peaks)


def _peaks_from_ffmpeg(ffmpeg: str, path, *, mime: str):
    """Decode to 8 kHz mono and collect peaks as the samples stream out of ffmpeg.

    stderr goes to a temporary file (a pipe nobody reads could fill up and stall ffmpeg),
    and a timer kills ffmpeg if it runs past MEDIA_TOOL_TIMEOUT.
    """
    command = [
        ffmpeg, "-hide_banner", "-v", "error", "-nostdin", *input_args(path, mime=mime),
        "-map", "0:a:0", "-vn", "-ac", "1", "-ar", str(FFMPEG_SAMPLE_RATE), "-f", "s16le", "pipe:1",
    ]
    collector = PeakCollector(block=FFMPEG_SAMPLE_RATE // 100)
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(  # noqa: S603 - fixed arguments; the path is server-chosen
            command, stdout=subprocess.PIPE, stderr=errors, stdin=subprocess.DEVNULL
        ) as process:
            watchdog = threading.Timer(settings.MEDIA_TOOL_TIMEOUT, process.kill)
            watchdog.start()
            try:
                pending = b""
                while chunk := process.stdout.read(READ_CHUNK):
                    data = pending + chunk
                    usable = len(data) - len(data) % 2
                    collector.add(memoryview(data[:usable]).cast("h"))
                    pending = data[usable:]
                process.wait()
            except BaseException:
                process.kill()
                raise
            finally:
                watchdog.cancel()
        peaks = collector.finish()
        if process.returncode != 0 or not peaks:
            errors.seek(0)
            logger.warning("ffmpeg could not decode a %s file (exit %s): %s", mime or "audio", process.returncode,
                           errors.read(300).decode("utf-8", "replace").strip())
            return None
    return peaks


def _peaks_from_wav(path):
    """The stdlib fallback: PCM WAV at any width and channel count; the first channel is drawn."""
    with wave.open(str(path), "rb") as source:
        channels, width, rate = source.getnchannels(), source.getsampwidth(), source.getframerate()
        collector = PeakCollector(block=max(1, rate // 100))
        frames_per_read = max(1, READ_CHUNK // (channels * width))
        while data := source.readframes(frames_per_read):
            collector.add(_first_channel_16bit(data, channels=channels, width=width))
    return collector.finish()


def _first_channel_16bit(data: bytes, *, channels: int, width: int) -> array:
    """Little-endian PCM frames -> the first channel as signed 16-bit samples."""
    if width == 2:
        return array("h", memoryview(data).cast("h")[::channels])
    if width == 1:  # unsigned 8-bit
        return array("h", ((value - 128) << 8 for value in data[:: channels]))
    if width == 3:  # the top byte of each 24-bit sample is enough for a picture
        return array("h", (value << 8 for value in memoryview(data[2 :: 3 * channels]).cast("b")))
    if width == 4:
        return array("h", (value >> 16 for value in memoryview(data).cast("i")[::channels]))
    raise ValueError(f"Unsupported WAV sample width: {width} bytes")


def draw_waveform(peaks) -> bytes:
    """Bars of the loudness over time, scaled so the loudest moment fills the height."""
    width = settings.THUMBNAIL_SIZE
    height = max(1, width // 2)
    bar, gap = 3, 1
    bars = max(1, width // (bar + gap))
    image = Image.new("RGB", (width, height), WAVEFORM_BACKGROUND)
    draw = ImageDraw.Draw(image)
    middle = height // 2
    loudest = max(peaks, default=0) or 1
    count = len(peaks)
    for index in range(bars):
        if count:
            first = index * count // bars
            last = max(first + 1, (index + 1) * count // bars)
            level = max(peaks[first:last]) / loudest
        else:
            level = 0.0
        half = max(1, round(level * (height * 0.45)))
        left = index * (bar + gap) + (width - bars * (bar + gap) + gap) // 2
        draw.rectangle([left, middle - half, left + bar - 1, middle + half - 1], fill=WAVEFORM_BARS)
    buffer = io.BytesIO()
    image.save(buffer, format="WEBP", lossless=True, method=4)
    return buffer.getvalue()


# --- the task's work ----------------------------------------------------------------------


def make_missing_thumbnails(*, asset_ids) -> int:
    """Make and store the thumbnail of each of these assets that has a file and none yet.

    Idempotent: an asset that has a thumbnail is skipped (a new file clears the thumbnail,
    so one that exists belongs to the current file), and a thumbnail made from a file that
    was replaced meanwhile is thrown away by the service. Returns how many were stored.
    """
    from assets import services

    made = 0
    candidates = list(
        Asset.objects.filter(pk__in=list(asset_ids), type__in=MEDIA_TYPES, thumbnail="").exclude(file="")
    )
    for asset in candidates:
        checksum = asset.checksum_sha256
        data = make_thumbnail(asset)
        if data and services.asset_set_thumbnail(asset=asset, data=data, checksum=checksum):
            made += 1
    return made
