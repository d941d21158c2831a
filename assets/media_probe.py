"""What ffprobe says about a video or audio file: its size on screen, its duration, its streams.

ffprobe comes from Debian's ffmpeg package (`make system-deps`, `.ci/run`). Where it is
missing (or times out), `probe` returns {} and logs a warning: the upload is still accepted
and its width, height and duration stay empty. A file that ffprobe runs on and rejects
raises MediaUnreadable: it is truncated or corrupt, and could never be played.

The files are untrusted, so ffprobe is told which demuxer to use (the one matching the type
libmagic sniffed, so a file cannot talk ffmpeg into reading it as a playlist that opens
other files or URLs), may open nothing but the file itself, and runs under a timeout.
"""

import json
import logging
import math
import shutil
import subprocess
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

# Sniffed mime type -> ffmpeg demuxer.
DEMUXER_BY_MIME = {
    "video/mp4": "mov",
    "video/quicktime": "mov",
    "audio/mp4": "mov",
    "video/webm": "matroska",
    "audio/webm": "matroska",
    "audio/mpeg": "mp3",
    "audio/wav": "wav",
    "audio/ogg": "ogg",
}


class MediaUnreadable(Exception):
    """ffprobe ran and could not read the file as the type it was sniffed as."""


def tool_path(name: str) -> str | None:
    """The ffprobe or ffmpeg to run (FFPROBE_PATH / FFMPEG_PATH, else PATH), or None if missing."""
    configured = getattr(settings, f"{name.upper()}_PATH", "") or shutil.which(name)
    if configured and Path(configured).is_file():
        return str(configured)
    return None


def input_args(path, *, mime: str = "") -> list[str]:
    """ffmpeg/ffprobe input options for an untrusted local file: forced demuxer, file protocol only."""
    args = ["-protocol_whitelist", "file"]
    demuxer = DEMUXER_BY_MIME.get(mime)
    if demuxer:
        args += ["-f", demuxer]
    return [*args, "-i", f"file:{path}"]


def probe(path, *, mime: str = "") -> dict:
    """{"width", "height", "duration_seconds", "has_video", "has_audio"} for a media file.

    {} (and a warning) when ffprobe is missing or cannot finish; MediaUnreadable when it
    rejects the file.

    Width and height are the displayed size (a video rotated by 90 degrees swaps them) of
    the first real video stream; cover art in audio files does not count as video.
    """
    binary = tool_path("ffprobe")
    if binary is None:
        logger.warning("ffprobe is not installed (Debian package ffmpeg): media dimensions and duration stay empty")
        return {}
    command = [binary, "-v", "error", "-print_format", "json", "-show_format", "-show_streams",
               *input_args(path, mime=mime)]
    try:
        completed = subprocess.run(  # noqa: S603 - fixed arguments; the path is server-chosen
            command, capture_output=True, timeout=settings.MEDIA_TOOL_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        logger.warning("ffprobe could not run on a %s file: %s", mime or "media", exc)
        return {}
    if completed.returncode != 0:
        reason = completed.stderr.decode("utf-8", "replace").strip()[:300]
        logger.info("ffprobe could not read a %s file: %s", mime or "media", reason)
        raise MediaUnreadable(reason)
    try:
        data = json.loads(completed.stdout)
    except ValueError:
        logger.warning("ffprobe gave unreadable output for a %s file", mime or "media")
        return {}
    return facts_from_ffprobe(data)


def facts_from_ffprobe(data: dict) -> dict:
    streams = [s for s in data.get("streams") or [] if isinstance(s, dict)]
    video = [
        s for s in streams
        if s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic")
    ]
    audio = [s for s in streams if s.get("codec_type") == "audio"]
    width = height = None
    if video:
        width, height = _positive_int(video[0].get("width")), _positive_int(video[0].get("height"))
        if width and height and _rotation(video[0]) % 180 == 90:
            width, height = height, width
    durations = [_duration((data.get("format") or {}).get("duration"))]
    durations += [_duration(s.get("duration")) for s in video + audio]
    known = [d for d in durations if d is not None]
    return {
        "width": width,
        "height": height,
        "duration_seconds": round(known[0], 3) if known else None,
        "has_video": bool(video),
        "has_audio": bool(audio),
    }


def _positive_int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _duration(value):
    try:
        seconds = float(value)
    except (TypeError, ValueError):
        return None
    return seconds if math.isfinite(seconds) and seconds >= 0 else None


def _rotation(stream: dict) -> int:
    for side_data in stream.get("side_data_list") or []:
        if isinstance(side_data, dict) and "rotation" in side_data:
            try:
                return abs(int(float(side_data["rotation"])))
            except (TypeError, ValueError):
                return 0
    try:
        return abs(int((stream.get("tags") or {}).get("rotate", 0)))
    except (TypeError, ValueError):
        return 0


@contextmanager
def local_path(fileobj, *, suffix: str = ""):
    """A path on disk holding `fileobj`'s bytes: an upload's own temporary file, else a copy.

    Uploads past FILE_UPLOAD_MAX_MEMORY_SIZE are already on disk and are used in place; a
    small in-memory upload (or a ContentFile) is copied in chunks to a temporary file.
    """
    if hasattr(fileobj, "temporary_file_path"):
        yield fileobj.temporary_file_path()
        return
    with tempfile.NamedTemporaryFile(suffix=suffix, prefix="asset-probe-") as copy:
        fileobj.seek(0)
        chunks = fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(1 << 20), b"")
        for chunk in chunks:
            copy.write(chunk)
        copy.flush()
        fileobj.seek(0)
        yield copy.name


def probe_upload(fileobj, *, mime: str) -> dict:
    """`probe` for an uploaded file (see `local_path`)."""
    if tool_path("ffprobe") is None:
        return probe("", mime=mime)  # logs the warning
    with local_path(fileobj) as path:
        return probe(path, mime=mime)
