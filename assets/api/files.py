"""Serving user files so that they can never run script in our origin.

Only allow-listed, sniffed types are ever stored, and every response also carries
`Content-Security-Policy: sandbox` and `nosniff`. Downloads are attachments.
"""

import json
import re
from urllib.parse import quote

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from rest_framework.renderers import BaseRenderer

from assets import storage
from assets.file_names import asset_download_name
from assets.models import Asset, AssetType

USER_FILE_CSP = "default-src 'none'; img-src 'self' data:; media-src 'self'; style-src 'unsafe-inline'; sandbox"


class AnyContentRenderer(BaseRenderer):
    """Lets file endpoints answer any Accept header (browsers send image/* for <img>)."""

    media_type = "*/*"
    format = "file"  # a name, not None: the schema generator reads it as a string

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes | str):
            return data
        # An error body (a dict) on a file endpoint: always JSON.
        response = (renderer_context or {}).get("response")
        if response is not None:
            response["Content-Type"] = "application/json"
        return json.dumps(data).encode("utf-8")


def _harden(response):
    response["Content-Security-Policy"] = USER_FILE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def text_response(text: str, *, name: str, attachment: bool):
    response = HttpResponse(text.encode("utf-8"), content_type="text/plain; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f"{disposition}; filename*=UTF-8''{_quote(name)}"
    return _harden(response)


def _quote(name):
    return quote(name, safe="")


def asset_file_response(asset: Asset, *, attachment: bool, thumbnail: bool = False, range_header: str = ""):
    """The asset's file (or text, or thumbnail). A file missing from storage is a 404.

    Pass the request's Range header for previews: players seek with byte ranges.
    """
    name = asset_download_name(asset)
    if thumbnail:
        field = asset.thumbnail
        content_type = "image/webp"
    else:
        if asset.type == AssetType.TEXT and asset.text_content is not None:
            return text_response(asset.text_content, name=name, attachment=attachment)
        field = asset.file
        content_type = asset.mime_type or "application/octet-stream"
    if not field:
        raise Http404("This asset has no file.")
    try:
        if not storage.on_disk():
            return _presigned_redirect(field.name, filename=name, content_type=content_type, attachment=attachment)
        handle = field.open("rb")
    except OSError:
        raise Http404("The file is missing from storage.") from None
    if range_header:
        partial = _range_response(handle, range_header, content_type)
        if partial is not None:
            return _harden(partial)
    response = FileResponse(handle, content_type=content_type, as_attachment=attachment, filename=name)
    response["Accept-Ranges"] = "bytes"
    return _harden(response)


def stored_file_response(name: str, *, filename: str, content_type: str):
    """A stored file that is not an asset's (a zip export) as an attachment: streamed from
    disk, or a 302 to its presigned URL. OSError when it is not there any more."""
    if not storage.on_disk():
        return _presigned_redirect(name, filename=filename, content_type=content_type, attachment=True)
    response = FileResponse(default_storage.open(name, "rb"), as_attachment=True, filename=filename,
                            content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _presigned_redirect(name: str, *, filename: str, content_type: str, attachment: bool):
    """A 302 to a short-lived presigned URL of the object (its range requests go there
    too). The object's existence is checked first: FileNotFoundError when it is gone."""
    if not default_storage.exists(name):
        raise FileNotFoundError(name)
    response = HttpResponseRedirect(
        storage.presigned_url(name, filename=filename, content_type=content_type, attachment=attachment)
    )
    response["Cache-Control"] = "private, no-store"  # the URL expires: never reuse this answer
    response["Referrer-Policy"] = "no-referrer"
    return response


_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
RANGE_CHUNK = 256 * 1024


def _range_response(handle, header: str, content_type: str):
    """A 206 for one `bytes=start-end` range, a 416 when it lies outside the file, else None."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None  # several ranges, or nonsense: answer with the whole file
    size = handle.size
    first, last = match.groups()
    if first:
        start, end = int(first), min(int(last) if last else size - 1, size - 1)
    else:
        start, end = max(size - int(last), 0), size - 1
    if start > end or start >= size:
        handle.close()
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        return response
    handle.seek(start)

    def body(remaining=end - start + 1):
        try:
            while remaining > 0:
                chunk = handle.read(min(RANGE_CHUNK, remaining))
                if not chunk:
                    break
                remaining -= len(chunk)
                yield chunk
        finally:
            handle.close()

    response = StreamingHttpResponse(body(), status=206, content_type=content_type)
    response["Content-Range"] = f"bytes {start}-{end}/{size}"
    response["Content-Length"] = str(end - start + 1)
    response["Accept-Ranges"] = "bytes"
    return response
