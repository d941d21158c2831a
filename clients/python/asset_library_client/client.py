"""AssetLibrary: register, update and fail assets over Asset Library's REST API (v1).

Every call is retried with exponential backoff (and the server's Retry-After) on 429, 5xx,
refused or dropped connections and timeouts. Retrying a registration is safe because it is
idempotent: the client gives every registration an `external_id` (its own, when the caller
gave none), and the server answers a repeat with the asset it registered the first time.
"""

import io
import json
import logging
import os
import random
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any, BinaryIO, Optional, Union

import requests

from asset_library_client.errors import (
    BY_STATUS,
    AssetLibraryError,
    ConnectionFailed,
    ServerError,
    Throttled,
)

__version__ = "1.0.0"
logger = logging.getLogger("asset_library_client")

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
FileInput = Union[str, os.PathLike, bytes, BinaryIO]


class Asset(dict):
    """An asset (or a usage) as the API shows it (a dict), and whether this call created it."""

    def __init__(self, data: dict, *, created: bool):
        super().__init__(data)
        self.created = created

    @property
    def id(self) -> str:  # noqa: A003 - the API's name
        return self["id"]


class AssetLibrary:
    """A client for one Asset Library and one API token.

    `base_url` is the server (`https://assets.example.com`, with or without `/api/v1`);
    it and `token` default to the `ASSET_LIBRARY_URL` and `ASSET_LIBRARY_TOKEN` environment
    variables. `timeout` is (connect, read) seconds; `retries` how many times a failed call
    is tried again, waiting `backoff` × 2ⁿ seconds (with jitter, at most `max_backoff`).
    """

    def __init__(self, base_url: Optional[str] = None, token: Optional[str] = None, *,
                 timeout: Union[float, tuple] = (5.0, 60.0), retries: int = 4, backoff: float = 0.5,
                 max_backoff: float = 30.0, session: Optional[requests.Session] = None):
        base_url = base_url or os.environ.get("ASSET_LIBRARY_URL")
        token = token or os.environ.get("ASSET_LIBRARY_TOKEN")
        if not base_url:
            raise ValueError("Give base_url, or set ASSET_LIBRARY_URL.")
        if not token:
            raise ValueError("Give token, or set ASSET_LIBRARY_TOKEN.")
        root = base_url.rstrip("/")
        self.api_root = root if root.endswith("/api/v1") else f"{root}/api/v1"
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.backoff = backoff
        self.max_backoff = max_backoff
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"Token {token}", "Accept": "application/json",
                                     "User-Agent": f"asset-library-client/{__version__}"})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        self.session.close()

    # Assets

    def register(self, *, source_module: str, file: Optional[FileInput] = None, filename: Optional[str] = None,
                 text_content: Optional[str] = None, external_id: Optional[str] = None, **fields: Any) -> Asset:
        """Register an asset: with `file` (a path, bytes or a binary stream) as an upload, else
        as JSON (`text_content` for a text, or a pending asset whose file comes later).

        Other fields as the API names them: type, status, title, description, prompt, model,
        provider, tags, cost, metadata, parent, error_message. Returns the asset; `.created`
        is False when it was registered before (same external_id) or is the same file.
        """
        body = {"source_module": source_module, "external_id": external_id or f"{source_module}-{uuid.uuid4().hex}",
                **_without_none(fields)}
        if text_content is not None:
            body["text_content"] = text_content
        if file is None:
            response = self._request("POST", "assets/", json=body)
        else:
            with _Upload(file, filename) as upload:
                response = self._request("POST", "assets/", data=_form(body), upload=upload)
        return Asset(response.json(), created=response.status_code == 201)

    def register_many(self, registrations: list) -> list:
        """Register up to 500 JSON assets in one request (`POST /assets/bulk/register/`): one
        result per registration, in order (`{"status": 201|200|400, "id", "errors"}`)."""
        batch = []
        for registration in registrations:
            registration = dict(registration)
            module = registration.get("source_module") or "module"
            registration.setdefault("external_id", None)
            registration["external_id"] = registration["external_id"] or f"{module}-{uuid.uuid4().hex}"
            batch.append(registration)
        return self._request("POST", "assets/bulk/register/", json={"assets": batch}).json()["results"]

    def get(self, asset_id: str) -> Asset:
        return Asset(self._request("GET", f"assets/{asset_id}/").json(), created=False)

    def update(self, asset_id: str, *, file: Optional[FileInput] = None, filename: Optional[str] = None,
               **fields: Any) -> Asset:
        """Change an asset's fields (status, error_message, cost, metadata, title, description,
        tags, is_favorite, ...) and, with `file`, give it its file."""
        if file is None:
            response = self._request("PATCH", f"assets/{asset_id}/", json=fields)
        else:
            with _Upload(file, filename) as upload:
                response = self._request("PATCH", f"assets/{asset_id}/", data=_form(fields), upload=upload)
        return Asset(response.json(), created=False)

    def complete(self, asset_id: str, *, file: Optional[FileInput] = None, filename: Optional[str] = None,
                 **fields: Any) -> Asset:
        """Mark a pending asset completed, with its file (or, for a text, `text_content`)."""
        return self.update(asset_id, file=file, filename=filename, status="completed", **fields)

    def mark_failed(self, asset_id: str, error_message: str) -> Asset:
        """Mark an asset failed, with what went wrong (the library shows it)."""
        return self.update(asset_id, status="failed", error_message=error_message or "Generation failed")

    # Where assets are used

    def report_usage(self, asset_id: str, *, source_module: str, target_title: str, kind: str = "published",
                     target_url: Optional[str] = None, external_ref: Optional[str] = None) -> dict:
        """Say where an asset went: `kind` is published, embedded, attached or scheduled;
        `target_title` (and `target_url`, http or https) name the post, page or message.
        `external_ref` is your own reference for it (the client makes one up when you give
        none, so that a retry is not counted twice): the same reference from the same module
        again is the same usage. Returns the usage (`created`: whether it is new)."""
        body = _without_none({"source_module": source_module, "kind": kind, "target_title": target_title,
                              "target_url": target_url,
                              "external_ref": external_ref or f"{source_module}-{uuid.uuid4().hex}"})
        response = self._request("POST", f"assets/{asset_id}/usages/", json=body)
        return Asset(response.json(), created=response.status_code == 201)

    def usages(self, asset_id: str) -> list:
        """Where an asset is used, newest first (every page)."""
        found, page = [], 1
        while True:
            body = self._request("GET", f"assets/{asset_id}/usages/?page={page}&page_size=200").json()
            found += body["results"]
            if not body.get("next"):
                return found
            page += 1

    def remove_usage(self, asset_id: str, usage_id: str) -> None:
        """Take a usage back (the post was deleted). Removing one already gone is NotFound."""
        self._request("DELETE", f"assets/{asset_id}/usages/{usage_id}/")

    # The wire

    def _request(self, method: str, path: str, *, json=None, data=None, upload=None) -> requests.Response:
        url = f"{self.api_root}/{path}"
        for attempt in range(self.retries + 1):
            last = attempt == self.retries
            files = upload.field() if upload is not None else None
            try:
                response = self.session.request(method, url, json=json, data=data, files=files, timeout=self.timeout)
            except (requests.ConnectionError, requests.Timeout) as error:
                if last:
                    raise ConnectionFailed(f"{method} {url}: no answer after {attempt + 1} tries ({error}).") from error
                self._wait(attempt, None, f"{method} {path}: {type(error).__name__}")
                continue
            if response.status_code in RETRY_STATUSES and not last:
                self._wait(attempt, _retry_after(response), f"{method} {path}: HTTP {response.status_code}")
                continue
            if response.status_code >= 400:
                raise _error(method, url, response)
            return response
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait(self, attempt: int, retry_after: Optional[float], why: str):
        delay = min(self.max_backoff, self.backoff * (2 ** attempt) * random.uniform(0.5, 1.5))  # noqa: S311
        if retry_after is not None:
            delay = min(self.max_backoff, max(delay, retry_after))
        logger.warning("%s; retrying in %.2f s (retry %d of %d)", why, delay, attempt + 1, self.retries)
        time.sleep(delay)


class _Upload:
    """A file to send, rewound for every try. A stream that cannot seek is spooled to a
    temporary file first, so a retry sends the same bytes."""

    def __init__(self, file: FileInput, filename: Optional[str]):
        self._close = None
        if isinstance(file, (str, os.PathLike)):
            self.stream = self._close = open(file, "rb")  # noqa: SIM115 - closed in __exit__
            self.name = filename or Path(file).name
        elif isinstance(file, (bytes, bytearray, memoryview)):
            self.stream = io.BytesIO(bytes(file))
            self.name = filename or "upload"
        else:
            self.name = filename or Path(getattr(file, "name", "") or "upload").name
            if _seekable(file):
                self.stream, self.start = file, file.tell()
                return
            self.stream = self._close = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
            while chunk := file.read(1024 * 1024):
                self.stream.write(chunk)
        self.start = 0

    def field(self) -> dict:
        self.stream.seek(self.start)
        return {"file": (self.name, self.stream, "application/octet-stream")}

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self._close is not None:
            self._close.close()


def _seekable(stream) -> bool:
    try:
        return bool(stream.seekable()) and stream.tell() >= 0
    except (AttributeError, OSError, ValueError):
        return False


def _without_none(fields: dict) -> dict:
    return {name: value for name, value in fields.items() if value is not None}


def _form(fields: dict) -> dict:
    """Multipart fields: lists and objects as JSON text (how the API reads tags and metadata)."""
    form = {}
    for name, value in _without_none(fields).items():
        if isinstance(value, (list, dict)):
            form[name] = json.dumps(value)
        elif isinstance(value, bool):
            form[name] = "true" if value else "false"
        else:
            form[name] = str(value)
    return form


def _retry_after(response) -> Optional[float]:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def _error(method: str, url: str, response) -> AssetLibraryError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail", "") if isinstance(body, dict) else ""
    errors = {name: value if isinstance(value, list) else [value] for name, value in body.items()
              if name != "detail"} if isinstance(body, dict) else {}
    summary = detail or "; ".join(f"{name}: {' '.join(map(str, messages))}" for name, messages in errors.items())
    message = f"{method} {url}: HTTP {response.status_code}" + (f": {summary}" if summary else "")
    status = response.status_code
    kind = BY_STATUS.get(status) or (ServerError if status >= 500 else AssetLibraryError)
    extra = {"retry_after": _retry_after(response)} if kind is Throttled else {}
    return kind(message, status=status, detail=str(detail), errors=errors, response=response, **extra)
