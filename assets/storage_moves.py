"""Moving a library's files between this machine's disk and an S3 bucket: what
`manage.py migrate_storage --to s3|local` does.

Stored names are the same on both backends, so a row never changes: every file the rows
name (originals, thumbnails, posters, waveforms, zip exports) is copied under its own name,
read back and checked (its SHA-256 against the source's, and an original's against the
checksum its row recorded at upload), and only then recorded as done (StorageCopy). A run
stopped half-way (Ctrl-C, a crash, `--limit`) leaves its done files recorded, and the next
run resumes after them; files uploaded meanwhile are picked up by running it again. The
app keeps serving from where it is configured until its settings are switched.
"""

import hashlib
import itertools
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage

from assets.models import Asset, Job, StorageCopy

S3_BACKEND = "storages.backends.s3.S3Storage"
READ_CHUNK = 1024 * 1024
TARGETS = ("s3", "local")


class StorageMoveError(Exception):
    """The move cannot start (no bucket configured, say)."""


@dataclass
class MoveSummary:
    total: int = 0
    copied: int = 0
    already: int = 0
    bytes_copied: int = 0
    stopped: bool = False
    missing: list = field(default_factory=list)
    failed: list = field(default_factory=list)  # (name, why)


def disk_storage() -> FileSystemStorage:
    return FileSystemStorage(location=settings.MEDIA_ROOT)


def bucket_storage():
    """The bucket of the settings (AWS_STORAGE_BUCKET_NAME and friends), writing names as given."""
    default = settings.STORAGES["default"]
    if default.get("BACKEND") != S3_BACKEND:
        raise StorageMoveError("No bucket is configured: set AWS_STORAGE_BUCKET_NAME (and AWS_S3_ENDPOINT_URL, "
                               "AWS_ACCESS_KEY_ID, ... as the README says) for this command.")
    from storages.backends.s3 import S3Storage

    return S3Storage(**{**default.get("OPTIONS", {}), "file_overwrite": True})


def stored_names():
    """(name, expected SHA-256 or "") of every file a row names, each once."""
    seen = set()
    files = Asset.objects.exclude(file="").values_list("file", "checksum_sha256").iterator(chunk_size=2000)
    thumbnails = Asset.objects.exclude(thumbnail="").values_list("thumbnail", flat=True).iterator(chunk_size=2000)
    exports = Job.objects.exclude(result_file="").values_list("result_file", flat=True).iterator(chunk_size=2000)
    for name, checksum in files:
        if name not in seen:
            seen.add(name)
            yield name, checksum or ""
    for name in itertools.chain(thumbnails, exports):
        if name not in seen:
            seen.add(name)
            yield name, ""


def _digest(storage, name: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with storage.open(name, "rb") as handle:
        while chunk := handle.read(READ_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def _copy(source, target, name: str) -> None:
    if isinstance(target, FileSystemStorage) and target.exists(name):
        target.delete(name)  # a partial copy of a stopped run: written again
    with source.open(name, "rb") as handle:
        written = target.save(name, File(handle, name=name))
    if written != name:
        raise OSError(f"the target stored it as {written!r}")


def move_files(*, to: str, limit: int | None = None, dry_run: bool = False, progress=None) -> MoveSummary:
    """Copy every stored file to the `to` backend ("s3" or "local"), verified; see the module."""
    if to not in TARGETS:
        raise StorageMoveError(f"--to must be one of {', '.join(TARGETS)}.")
    bucket = bucket_storage()
    source, target = (disk_storage(), bucket) if to == "s3" else (bucket, disk_storage())
    done = set(StorageCopy.objects.filter(target=to).values_list("name", flat=True))
    summary = MoveSummary()
    last_report = time.monotonic()
    for name, expected in stored_names():
        summary.total += 1
        if name in done:
            summary.already += 1
            continue
        if dry_run:
            continue
        if limit is not None and summary.copied >= limit:
            summary.stopped = True
            break
        try:
            size, digest = _digest(source, name)
        except FileNotFoundError:
            summary.missing.append(name)
            continue
        if expected and digest != expected:
            summary.failed.append((name, "its content does not match the checksum recorded at upload"))
            continue
        try:
            _copy(source, target, name)
            copied_size, copied_digest = _digest(target, name)
        except OSError as exc:
            summary.failed.append((name, f"the copy failed: {exc}"))
            continue
        if (copied_size, copied_digest) != (size, digest):
            summary.failed.append((name, "the copy reads back different"))
            continue
        StorageCopy.objects.update_or_create(name=name, target=to, defaults={"size": size, "sha256": digest})
        summary.copied += 1
        summary.bytes_copied += size
        if progress is not None and time.monotonic() - last_report >= 2:
            progress(summary)
            last_report = time.monotonic()
    return summary
