"""Building a zip of many assets without holding them in memory.

zipstream-ng produces the archive as a stream of chunks; each asset's file is read in
1 MiB pieces and written straight to the export's place in storage. Media is stored,
not deflated (it is compressed already), so the cost is one read and one write per byte.
Text assets go in as `.txt`; `manifest.csv` lists every selected asset's metadata and
whether its file was included or missing. Entry names are safe and unique:
`<title or id>.<ext>`, then `name (2).ext` on a collision.
"""

import csv
import io
import os
import tempfile

from django.core.files import File
from django.core.files.storage import default_storage
from zipstream import ZIP_STORED, ZipStream

from assets import access, storage
from assets.file_names import asset_download_name
from assets.models import AssetType

READ_CHUNK = 1024 * 1024
MANIFEST_COLUMNS = [
    "file", "status", "id", "title", "type", "asset_status", "source_module", "model", "provider", "prompt",
    "tags", "cost", "mime_type", "file_size", "width", "height", "duration_seconds", "created_at",
]
# A zip made for a share link's visitors lists only what its public page shows: never the
# prompt, model, cost, tags or module behind an asset.
PUBLIC_MANIFEST_COLUMNS = ["file", "status", "id", "title", "type", "mime_type", "file_size", "width", "height",
                           "duration_seconds"]


class EntryNames:
    """Unique, case-insensitively distinct archive names."""

    def __init__(self):
        self.taken = {"manifest.csv"}

    def claim(self, name: str) -> str:
        stem, dot, ext = name.rpartition(".")
        if not dot:
            stem, ext = name, ""
        candidate, n = name, 1
        while candidate.lower() in self.taken:
            n += 1
            candidate = f"{stem} ({n}).{ext}" if ext else f"{stem} ({n})"
        self.taken.add(candidate.lower())
        return candidate


def _file_chunks(name: str, on_done):
    if not storage.on_disk():
        yield from storage.object_chunks(name)  # streamed from the bucket, never spooled
        on_done()
        return
    with default_storage.open(name, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            yield chunk
    on_done()


def _bytes_entry(data: bytes, on_done):
    yield data
    on_done()


def ordered_assets(owner, ids):
    """The live assets among `ids` that `owner` (who asked for the export) may still see
    (assets.access: theirs, and those of collections shared with them), in the order
    given, fetched in chunks."""
    for start in range(0, len(ids), 1000):
        chunk = ids[start : start + 1000]
        rows = access.visible_assets(owner).alive().filter(pk__in=chunk).prefetch_related("tagged_items__tag")
        by_id = {str(asset.pk): asset for asset in rows}
        for pk in chunk:
            if pk in by_id:
                yield by_id[pk]


def build_zip(*, owner, asset_ids, target_name: str, progress, public: bool = False) -> tuple[list, int]:
    """Write the zip of these assets to storage at `target_name`.

    Returns the ids of the assets whose content went in, and the archive's size. Files
    missing from storage are listed in the manifest as missing. `public`: for a share
    link's visitors, with the public manifest.
    """
    columns = PUBLIC_MANIFEST_COLUMNS if public else MANIFEST_COLUMNS
    names = EntryNames()
    stream = ZipStream(compress_type=ZIP_STORED)
    manifest = io.StringIO()
    writer = csv.writer(manifest)
    writer.writerow(columns)
    included = []
    counter = {"done": 0}

    def one_done():
        counter["done"] += 1
        progress(counter["done"])

    for asset in ordered_assets(owner, asset_ids):
        entry, state = asset_download_name(asset), "included"
        if asset.type == AssetType.TEXT and asset.text_content is not None:
            entry = names.claim(entry)
            stream.add(_bytes_entry(asset.text_content.encode("utf-8"), one_done), entry)
        elif asset.file and default_storage.exists(asset.file.name):
            entry = names.claim(entry)
            stream.add(_file_chunks(asset.file.name, one_done), entry)
        else:
            state = "missing" if asset.file else "no file"
            entry = ""
            one_done()
        if state == "included":
            included.append(asset.pk)
        row = _manifest_row(asset, entry, state)
        writer.writerow([row[name] for name in columns])
    stream.add(manifest.getvalue().encode("utf-8"), "manifest.csv")
    size = _write_stream(stream, target_name)
    progress(counter["done"], force=True)
    return included, size


def _manifest_row(asset, entry, state) -> dict:
    values = [
        entry, state, str(asset.id), asset.title, asset.type, asset.status, asset.source_module, asset.model,
        asset.provider, asset.prompt, ", ".join(link.tag.name for link in asset.tagged_items.all()), asset.cost,
        asset.mime_type, asset.file_size or "", asset.width or "", asset.height or "",
        asset.duration_seconds or "", asset.created_at.isoformat(),
    ]
    return dict(zip(MANIFEST_COLUMNS, values, strict=True))


def _write_stream(stream, target_name: str) -> int:
    """Write chunks to storage. On local storage: to a temp name beside the target, then
    rename; in a bucket: a multipart upload (assets.storage.write_streamed)."""
    try:
        final_path = default_storage.path(target_name)
    except NotImplementedError:
        final_path = None
    if final_path is not None:
        os.makedirs(os.path.dirname(final_path), exist_ok=True)
        partial = f"{final_path}.partial"
        size = 0
        with open(partial, "wb") as out:
            for chunk in stream:
                out.write(chunk)
                size += len(chunk)
        os.replace(partial, final_path)
        return size
    if not storage.on_disk():
        # Straight into the bucket as a multipart upload: the archive is never on disk or in
        # memory as a whole. A retried job writes the same key again.
        return storage.write_streamed(target_name, stream, content_type="application/zip")
    with tempfile.TemporaryFile() as spool:
        for chunk in stream:
            spool.write(chunk)
        size = spool.tell()
        spool.seek(0)
        if default_storage.exists(target_name):
            default_storage.delete(target_name)
        default_storage.save(target_name, File(spool))
    return size
