"""A drop-in for ALwrity's `utils.asset_tracker.save_asset_to_library`.

An ALwrity module switches to Asset Library by changing one import:

    from asset_library_client import save_asset_to_library

Same arguments, same habits: failures are logged, never raised, and the answer is the new
asset's id (a string here) or None. `db` is ignored (pass an AssetLibrary there to choose the
server and token; otherwise ASSET_LIBRARY_URL and ASSET_LIBRARY_TOKEN are used).
"""

import logging
import os
import re
import threading
from typing import Any, Dict, Optional
from urllib.parse import urlparse

import requests

from asset_library_client.client import AssetLibrary

logger = logging.getLogger("asset_library_client")

TYPES = ("text", "image", "video", "audio")
_default: Optional[AssetLibrary] = None
_default_lock = threading.Lock()


def _library(db) -> AssetLibrary:
    global _default
    if isinstance(db, AssetLibrary):
        return db
    with _default_lock:
        if _default is None:
            _default = AssetLibrary()
        return _default


def save_asset_to_library(
    db: Any,
    user_id: str,
    asset_type: str,
    source_module: str,
    filename: str,
    file_url: str,
    file_path: Optional[str] = None,
    file_size: Optional[int] = None,
    mime_type: Optional[str] = None,
    title: Optional[str] = None,
    description: Optional[str] = None,
    prompt: Optional[str] = None,
    tags: Optional[list] = None,
    asset_metadata: Optional[Dict[str, Any]] = None,
    provider: Optional[str] = None,
    model: Optional[str] = None,
    cost: Optional[float] = None,
    generation_time: Optional[float] = None,
) -> Optional[str]:
    """Register a generated asset; its id, or None (logged) when that failed.

    The file is uploaded from `file_path`, or fetched from `file_url` when that is an
    http(s) address; a text asset without a file sends `description` as its text (ALwrity's
    LinkedIn writer keeps posts there). The type, size and mime type are the server's, from
    the bytes; `file_size` and `mime_type` are kept in metadata.
    """
    try:
        if not user_id or not isinstance(user_id, str):
            logger.error("Invalid user_id provided")
            return None
        if not filename or not isinstance(filename, str):
            logger.error("Invalid filename provided")
            return None
        kind = str(asset_type or "").strip().lower()
        if kind not in TYPES:
            logger.warning("Invalid asset type: %s, defaulting to 'text'", asset_type)
            kind = "text"
        module = re.sub(r"[^a-z0-9]+", "_", str(source_module or "").strip().lower()).strip("_")[:50] or kind
        metadata = dict(asset_metadata or {})
        metadata["alwrity"] = {key: value for key, value in {
            "user_id": user_id, "filename": filename, "file_url": file_url, "file_path": file_path,
            "file_size": file_size, "mime_type": mime_type, "generation_time": generation_time,
        }.items() if value is not None}
        status = str(metadata.get("status") or "completed").lower()
        status = status if status in ("pending", "processing", "completed", "failed") else "completed"
        fields = {
            "type": kind, "status": status, "title": (title or _title(filename))[:500], "description": description,
            "prompt": prompt, "tags": [str(tag) for tag in tags or [] if str(tag).strip()], "metadata": metadata,
            "provider": provider, "model": model, "cost": round(float(cost), 4) if cost else None,
        }
        if status == "failed":
            fields["error_message"] = str(metadata.get("error") or metadata.get("error_message") or "Generation failed")
        library = _library(db)
        if file_path and os.path.isfile(file_path):
            fields.pop("type")  # the bytes decide
            asset = library.register(source_module=module, file=file_path, filename=filename, **fields)
        elif kind == "text" and description and status == "completed":
            fields.pop("description")
            asset = library.register(source_module=module, text_content=description, **fields)
        elif urlparse(str(file_url or "")).scheme in ("http", "https") and status == "completed":
            with requests.get(file_url, stream=True, timeout=(5, 120)) as response:
                response.raise_for_status()
                response.raw.decode_content = True
                fields.pop("type")
                asset = library.register(source_module=module, file=response.raw, filename=filename, **fields)
        elif status in ("pending", "processing", "failed"):
            asset = library.register(source_module=module, **fields)
        else:
            logger.error("No file for %s: file_path %r is not a file and file_url %r cannot be fetched",
                         filename, file_path, file_url)
            return None
        logger.info("Asset saved to library: %s (%s from %s)", asset.id, kind, module)
        return asset.id
    except Exception as error:  # noqa: BLE001 - ALwrity's contract: log, return None
        logger.error("Error saving asset to library: %s", error, exc_info=True)
        return None


def _title(filename: str) -> str:
    stem = filename.replace("\\", "/").rsplit("/", 1)[-1]
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    return stem.replace("_", " ").replace("-", " ").strip().title() or "Untitled"
