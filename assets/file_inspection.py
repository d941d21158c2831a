"""What a file really is, decided by its content and never by its name.

`inspect_upload` reads an uploaded file once in chunks (so a large file is never held in
memory), sniffs its type with libmagic, hashes it, and for images checks that Pillow can
decode it within the pixel limit. Anything not on the allow list is refused. Video and
audio are probed with ffprobe (assets.media_probe) for their dimensions and duration, and
to check that a file sniffed as video really holds a picture.
"""

import hashlib
import itertools
import logging
import warnings
from dataclasses import dataclass

import magic
from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image, UnidentifiedImageError

from assets.media_probe import MediaUnreadable, probe_upload
from assets.models import AssetType
from config.api_errors import FileTooLarge

logger = logging.getLogger(__name__)

SNIFF_BYTES = 8192

# libmagic's answer -> (normalised mime, asset type, file extension)
ALLOWED_MIME_TYPES = {
    "image/png": ("image/png", AssetType.IMAGE, "png"),
    "image/jpeg": ("image/jpeg", AssetType.IMAGE, "jpg"),
    "image/webp": ("image/webp", AssetType.IMAGE, "webp"),
    "image/gif": ("image/gif", AssetType.IMAGE, "gif"),
    "video/mp4": ("video/mp4", AssetType.VIDEO, "mp4"),
    "video/x-m4v": ("video/mp4", AssetType.VIDEO, "mp4"),
    "video/webm": ("video/webm", AssetType.VIDEO, "webm"),
    "video/quicktime": ("video/quicktime", AssetType.VIDEO, "mov"),
    "audio/mpeg": ("audio/mpeg", AssetType.AUDIO, "mp3"),
    "audio/x-wav": ("audio/wav", AssetType.AUDIO, "wav"),
    "audio/wav": ("audio/wav", AssetType.AUDIO, "wav"),
    "audio/x-wave": ("audio/wav", AssetType.AUDIO, "wav"),
    "audio/ogg": ("audio/ogg", AssetType.AUDIO, "ogg"),
    "application/ogg": ("audio/ogg", AssetType.AUDIO, "ogg"),
    "audio/x-m4a": ("audio/mp4", AssetType.AUDIO, "m4a"),
    "audio/mp4": ("audio/mp4", AssetType.AUDIO, "m4a"),
    "audio/webm": ("audio/webm", AssetType.AUDIO, "webm"),
    "text/plain": ("text/plain", AssetType.TEXT, "txt"),
    "text/markdown": ("text/markdown", AssetType.TEXT, "md"),
    "text/x-markdown": ("text/markdown", AssetType.TEXT, "md"),
}

EXTENSION_BY_MIME = {mime: ext for mime, _type, ext in ALLOWED_MIME_TYPES.values()}

# A video container that ffprobe finds holding only sound is an audio file (an .m4a saved
# as .mp4, a voice recording in WebM).
AUDIO_IN_VIDEO_CONTAINER = {
    "video/mp4": ("audio/mp4", AssetType.AUDIO, "m4a"),
    "video/quicktime": ("audio/mp4", AssetType.AUDIO, "m4a"),
    "video/webm": ("audio/webm", AssetType.AUDIO, "webm"),
}


@dataclass(frozen=True)
class FileInfo:
    mime_type: str
    type: str
    extension: str
    size: int
    checksum_sha256: str
    width: int | None = None
    height: int | None = None
    text: str | None = None
    duration_seconds: float | None = None


def sniff_mime(head: bytes) -> str:
    """libmagic's mime type for the first bytes of a file."""
    return magic.from_buffer(head, mime=True)


def classify(head: bytes, *, name: str = ""):
    """(mime, type, extension) for allowed content, else a ValidationError on `file`."""
    raw = sniff_mime(head)
    if raw not in ALLOWED_MIME_TYPES:
        raise ValidationError({"file": [f"Files of type {raw} are not accepted."]})
    mime, asset_type, ext = ALLOWED_MIME_TYPES[raw]
    if asset_type == AssetType.TEXT and name.lower().endswith((".md", ".markdown")):
        mime, ext = "text/markdown", "md"
    return mime, asset_type, ext


def _check_image(fileobj) -> tuple[int, int]:
    """Decode the whole image so that truncated files and decompression bombs are refused."""
    Image.MAX_IMAGE_PIXELS = settings.MAX_IMAGE_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            fileobj.seek(0)
            with Image.open(fileobj) as img:
                img.verify()
            fileobj.seek(0)
            with Image.open(fileobj) as img:
                width, height = img.size
                img.load()
                _load_later_frames(img)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError({"file": ["The image has too many pixels to be processed safely."]}) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError):
        raise ValidationError({"file": ["The image is truncated or corrupt."]}) from None
    finally:
        fileobj.seek(0)
    return width, height


def _load_later_frames(img):
    """Decode an animation's other frames too: a GIF cut short after its first frame is truncated.

    Checking stops once as many pixels as MAX_IMAGE_PIXELS have been decoded, so a long
    animation costs no more than the largest still image.
    """
    frame_pixels = max(1, img.width * img.height)
    for index in itertools.count(1):
        if (index + 1) * frame_pixels > settings.MAX_IMAGE_PIXELS:
            return
        try:
            img.seek(index)
        except EOFError:
            return  # the last frame
        img.load()


def _check_media_streams(facts: dict, mime: str, asset_type: str, ext: str):
    """(mime, type, extension) once ffprobe has said which streams the file holds.

    Without ffprobe (facts == {}) libmagic's answer stands.
    """
    if not facts:
        return mime, asset_type, ext
    if asset_type == AssetType.VIDEO and not facts["has_video"] and facts["has_audio"]:
        if mime in AUDIO_IN_VIDEO_CONTAINER:
            return AUDIO_IN_VIDEO_CONTAINER[mime]
    has_stream = facts["has_video"] if asset_type == AssetType.VIDEO else facts["has_audio"]
    if not has_stream:
        raise ValidationError({"file": [f"The file holds no {asset_type} stream."]})
    return mime, asset_type, ext


def _check_size(asset_type: str, size: int):
    limit = settings.MAX_UPLOAD_SIZE_BY_TYPE.get(asset_type, settings.MAX_UPLOAD_SIZE)
    if size > limit:
        raise FileTooLarge(f"{asset_type.capitalize()} files may be at most {limit} bytes.", field="file")


def inspect_upload(fileobj, *, name: str = "") -> FileInfo:
    """Type, size, checksum and basic metadata of an uploaded file, from its content."""
    fileobj.seek(0)
    digest = hashlib.sha256()
    size = 0
    head = b""
    chunks = fileobj.chunks() if hasattr(fileobj, "chunks") else iter(lambda: fileobj.read(1 << 20), b"")
    for chunk in chunks:
        if len(head) < SNIFF_BYTES:
            head += chunk[: SNIFF_BYTES - len(head)]
        digest.update(chunk)
        size += len(chunk)
    fileobj.seek(0)
    if size == 0:
        raise ValidationError({"file": ["The file is empty."]})
    mime, asset_type, ext = classify(head, name=name)
    _check_size(asset_type, size)
    width = height = duration = None
    text = None
    if asset_type == AssetType.IMAGE:
        width, height = _check_image(fileobj)
    elif asset_type in (AssetType.VIDEO, AssetType.AUDIO):
        try:
            facts = probe_upload(fileobj, mime=mime)
        except MediaUnreadable:
            raise ValidationError({"file": [f"The {asset_type} file is truncated or corrupt."]}) from None
        mime, asset_type, ext = _check_media_streams(facts, mime, asset_type, ext)
        _check_size(asset_type, size)
        duration = facts.get("duration_seconds")
        if asset_type == AssetType.VIDEO:
            width, height = facts.get("width"), facts.get("height")
    elif asset_type == AssetType.TEXT:
        try:
            text = fileobj.read().decode("utf-8")
        except UnicodeDecodeError:
            raise ValidationError({"file": ["Text files must be UTF-8."]}) from None
        finally:
            fileobj.seek(0)
        if "\x00" in text:
            raise ValidationError({"file": ["Text files cannot contain NUL characters."]})
    return FileInfo(
        mime_type=mime,
        type=asset_type,
        extension=ext,
        size=size,
        checksum_sha256=digest.hexdigest(),
        width=width,
        height=height,
        text=text,
        duration_seconds=duration,
    )
