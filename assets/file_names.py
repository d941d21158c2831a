"""Safe, readable file names for files we hand out (downloads, zip entries)."""

import re
import unicodedata

from assets.file_inspection import EXTENSION_BY_MIME
from assets.models import Asset, AssetType

_UNSAFE = re.compile(r"[^\w\s.()-]", re.UNICODE)


def safe_stem(text: str, *, max_length: int = 100) -> str:
    """A name part with no path separators, control characters or leading dots."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(ch for ch in text if unicodedata.category(ch)[0] != "C")
    text = _UNSAFE.sub("", text).strip().strip(".")
    text = re.sub(r"\s+", " ", text)
    return text[:max_length].strip()


def asset_extension(asset: Asset) -> str:
    if asset.type == AssetType.TEXT:
        return "txt" if not asset.file else EXTENSION_BY_MIME.get(asset.mime_type, "txt")
    if asset.mime_type in EXTENSION_BY_MIME:
        return EXTENSION_BY_MIME[asset.mime_type]
    if asset.file and "." in asset.file.name:
        return asset.file.name.rsplit(".", 1)[-1]
    return "bin"


def asset_download_name(asset: Asset) -> str:
    """`<title or id>.<ext>`."""
    stem = safe_stem(asset.title) or str(asset.id)
    return f"{stem}.{asset_extension(asset)}"


_NOT_IN_NAMES = re.compile(r'[<>:"/\\|?*]')


def clean_original_name(name: str, *, max_length: int = 255) -> str:
    """A client's file name made harmless for showing (metadata["original_filename"]).

    Only the last path component is kept; control and format characters (including
    right-to-left overrides), path separators and leading dots go. It is never used as a
    storage path: stored files get server-chosen names.
    """
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"\s+", " ", name)  # tabs and newlines become spaces before control characters go
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = re.sub(r"\s+", " ", _NOT_IN_NAMES.sub("", name)).strip().lstrip(".").strip()
    if len(name) > max_length:
        stem, dot, ext = name.rpartition(".")
        if dot and 0 < len(ext) <= 16:
            name = f"{stem[: max_length - len(ext) - 1].rstrip()}.{ext}"
        else:
            name = name[:max_length].rstrip()
    return name
