"""Bringing an ALwrity asset library in (manage.py import_alwrity).

Each ALwrity row becomes an asset through the same service as any upload (`asset_create`), so
its type, size, dimensions and checksum come from the file's bytes; ALwrity's collections
become collections (a clashing name gets a number), their memberships follow, and covers are
set last. Everything ALwrity knew that we have no field for goes under `metadata["alwrity"]`.

Idempotent and resumable: every row and collection leaves an ImportRecord under its origin
(`alwrity:<clerk id>:<row id>`, also the asset's `external_id`), written in the same
transaction as what it made, so a re-run, or a run after a crash, imports only what is new.
Rows are written in chunks, one transaction each.
"""

import json
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath
from urllib.parse import unquote, urlparse

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction

from assets.models import Asset, AssetStatus, AssetType
from assets.services import asset_create
from assets.tagging import MAX_TAG_LENGTH, MAX_TAGS_PER_ASSET
from collections_app import alwrity_source as source
from collections_app.models import Collection, ImportRecord
from collections_app.services import collection_add_assets, collection_create, collection_update
from common.request_source import RequestSource
from config.api_errors import DomainError
from config.json_limits import MAX_METADATA_BYTES

CHUNK = 50
FAILED_IN_ALWRITY = "Failed in ALwrity"
MAX_COLLECTION_NAME = Collection._meta.get_field("name").max_length
# Where ALwrity's text modules left their text when a row has no file.
TEXT_KEYS = ("text_content", "content", "text", "full_content", "body", "markdown", "post_content")
FILE_SCHEMES = ("", "http", "https", "file")


@dataclass
class DatabaseReport:
    """What happened to one user's rows in one database (the JSON report's entries)."""

    path: str
    clerk_id: str
    username: str | None = None
    read: int = 0
    created: int = 0
    skipped: int = 0
    duplicates: int = 0
    missing_files: list[str] = field(default_factory=list)
    text_without_content: int = 0
    unmapped_user: bool = False
    fallback_modules: dict[str, str] = field(default_factory=dict)
    renamed_collections: dict[str, str] = field(default_factory=dict)
    # Files found but refused as any upload would be (not a type we keep, hostile, too big).
    refused_files: list[dict] = field(default_factory=list)
    collections_created: int = 0


@dataclass
class ImportReport:
    databases: list[DatabaseReport] = field(default_factory=list)
    seconds: float = 0.0
    dry_run: bool = False

    def totals(self) -> dict:
        entries = self.databases
        return {
            "read": sum(e.read for e in entries),
            "created": sum(e.created for e in entries),
            "skipped": sum(e.skipped for e in entries),
            "duplicates": sum(e.duplicates for e in entries),
            "missing_files": sum(len(e.missing_files) for e in entries),
            "unmapped_users": sum(1 for e in entries if e.unmapped_user),
            "refused_files": sum(len(e.refused_files) for e in entries),
            "collections_created": sum(e.collections_created for e in entries),
        }

    def as_json(self) -> dict:
        return {"databases": [asdict(entry) for entry in self.databases], "totals": self.totals(),
                "dry_run": self.dry_run, "seconds": round(self.seconds, 3)}

    @property
    def incomplete(self) -> bool:
        """Anything skipped, missing or unmapped (what --strict refuses)."""
        totals = self.totals()
        return bool(totals["skipped"] or totals["missing_files"] or totals["unmapped_users"])


@dataclass(frozen=True)
class FileFinder:
    """Finds a row's file: its `file_path` as written, after a `--rebase OLD=NEW`, or by the
    path's trailing parts (and the `file_url`'s) under `--files-root` or the database's own
    workspace folder. Candidates under a root never climb out of it (`..` parts are dropped)."""

    rebase: tuple[tuple[str, str], ...] = ()
    files_root: Path | None = None

    def find(self, row: dict, workspace: Path | None) -> Path | None:
        for candidate in self._candidates(row, workspace):
            try:
                if candidate.is_file():
                    return candidate
            except (OSError, ValueError):  # a name too long, a NUL
                continue
        return None

    def _candidates(self, row: dict, workspace: Path | None):
        file_path = str(row.get("file_path") or "").strip()
        if file_path:
            for old, new in self.rebase:
                if file_path.startswith(old):
                    yield Path(_local(new + file_path[len(old):]))
            yield Path(_local(file_path))
        roots = [root for root in (self.files_root, workspace) if root is not None]
        url_path = unquote(urlparse(str(row.get("file_url") or "")).path)
        for parts in (_parts(file_path), _parts(url_path)):
            for root in roots:
                for start in range(len(parts)):
                    yield root.joinpath(*parts[start:])

    def describe(self, row: dict) -> str:
        return str(row.get("file_path") or row.get("file_url") or row.get("filename") or f"row {row.get('id')}")


def _local(path: str) -> str:
    return path.replace("\\", "/") if "\\" in path and "/" not in path else path


def _parts(path: str) -> list[str]:
    if not path:
        return []
    pure = PureWindowsPath(path) if "\\" in path else PurePosixPath(path)
    parts = [part for part in pure.parts if part not in ("", ".", "..") and not part.endswith((":\\", ":")) and
             part not in ("/", "\\")]
    return parts[-12:]


def workspace_of(database: Path) -> Path:
    """The `workspace_<user>` folder a database belongs to (its media lives there)."""
    parent = database.parent
    return parent.parent if parent.name in ("db", "database") else parent


def read_user_map(path: Path) -> dict[str, str]:
    """`clerk_id,username` lines (a header line of those two words is tolerated)."""
    import csv

    mapping = {}
    with path.open(newline="", encoding="utf-8-sig") as handle:
        for number, row in enumerate(csv.reader(handle), start=1):
            cells = [cell.strip() for cell in row]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if len(cells) < 2 or not cells[0] or not cells[1]:
                raise ValueError(f"{path}, line {number}: expected clerk_id,username.")
            if number == 1 and (cells[0].lower(), cells[1].lower()) == ("clerk_id", "username"):
                continue
            mapping[cells[0]] = cells[1]
    return mapping


def alwrity_import(
    *,
    databases: list[Path],
    user_map: dict[str, str] | None = None,
    create_users: bool = False,
    finder: FileFinder | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    on_total: Callable[[int], None] | None = None,
) -> ImportReport:
    """Import every user's rows of every database (paths checked with source.open_database
    first, so a bad path stops the run before anything is written)."""
    started = time.perf_counter()
    finder = finder or FileFinder()
    user_map = user_map or {}
    report = ImportReport(dry_run=dry_run)
    connections = [(path, source.open_database(path)) for path in databases]
    try:
        plan = [(path, connection, clerk_id) for path, connection in connections
                for clerk_id in source.user_ids(connection)]
        if on_total:
            on_total(sum(source.count_assets(connection, clerk_id) for _p, connection, clerk_id in plan))
        for path, connection, clerk_id in plan:
            entry = DatabaseReport(path=str(path), clerk_id=clerk_id)
            report.databases.append(entry)
            _UserImport(entry, connection, workspace_of(path), finder, user_map, create_users, dry_run,
                        progress or (lambda _n: None)).run()
    finally:
        for _path, connection in connections:
            connection.close()
    report.seconds = time.perf_counter() - started
    return report


class _UserImport:
    """One Clerk user's collections and rows of one database."""

    def __init__(self, entry, connection, workspace, finder, user_map, create_users, dry_run, progress):
        self.entry, self.connection, self.workspace, self.finder = entry, connection, workspace, finder
        self.dry_run, self.progress = dry_run, progress
        self.owner = self._owner(user_map, create_users)
        self.collections: dict[int, Collection | None] = {}  # ALwrity id -> ours

    def run(self):
        clerk_id = self.entry.clerk_id
        if self.entry.unmapped_user:
            for _row in source.assets(self.connection, clerk_id):
                self.entry.read += 1
                self.entry.skipped += 1
                self.progress(1)
            return
        alwrity_collections = source.collections(self.connection, clerk_id)
        self._collections(alwrity_collections)
        chunk = []
        for row in source.assets(self.connection, clerk_id):
            chunk.append(row)
            if len(chunk) >= CHUNK:
                self._rows(chunk)
                chunk = []
        if chunk:
            self._rows(chunk)
        if not self.dry_run:
            self._covers(alwrity_collections)

    # Users

    def _owner(self, user_map, create_users):
        user_model = get_user_model()
        clerk_id = self.entry.clerk_id
        username = user_map.get(clerk_id) or (clerk_id if create_users else None)
        if username is None:
            self.entry.unmapped_user = True
            return None
        self.entry.username = username
        owner = user_model.objects.filter(username=username).first()
        if owner is not None:
            return owner
        if not create_users:
            self.entry.unmapped_user = True  # mapped to an account that does not exist
            return None
        candidate = user_model(username=username)
        try:
            candidate.clean_fields(exclude=["password", "email"])
        except ValidationError:
            self.entry.unmapped_user = True
            return None
        if self.dry_run:
            return None  # would be created
        candidate.set_unusable_password()
        candidate.save()
        return candidate

    # Collections

    def _collections(self, rows: list[dict]):
        owner = self.owner
        origins = {self._collection_origin(row): row for row in rows}
        recorded = {} if owner is None else {
            record.origin: record for record in
            ImportRecord.objects.filter(owner=owner, origin__in=list(origins)).select_related("collection")
        }
        taken = set() if owner is None else {
            name.lower() for name in Collection.objects.owned_by(owner).values_list("name", flat=True)}
        for origin, row in origins.items():
            if origin in recorded:
                self.collections[row["id"]] = recorded[origin].collection
                continue
            wanted = (str(row.get("name") or "").strip() or "Untitled collection")[:MAX_COLLECTION_NAME]
            name = _free_name(wanted, taken)
            taken.add(name.lower())
            if name != wanted:
                self.entry.renamed_collections[wanted] = name
            self.entry.collections_created += 1
            if self.dry_run:
                self.collections[row["id"]] = None
                continue
            with transaction.atomic():
                collection = collection_create(owner=owner, name=name, description=str(row.get("description") or ""))
                ImportRecord.objects.create(owner=owner, origin=origin, collection=collection,
                                            database=self.entry.path)
            self.collections[row["id"]] = collection

    def _collection_origin(self, row) -> str:
        return f"alwrity:{self.entry.clerk_id}:collection:{row['id']}"

    def _covers(self, rows: list[dict]):
        wanted = {row["id"]: row.get("cover_asset_id") for row in rows if row.get("cover_asset_id")}
        if not wanted:
            return
        origins = {self._origin(cover_id): collection_id for collection_id, cover_id in wanted.items()}
        for record in ImportRecord.objects.filter(owner=self.owner, origin__in=list(origins), asset__isnull=False):
            collection = self.collections.get(origins[record.origin])
            if collection is None or collection.cover_asset_id is not None:
                continue  # a cover chosen since (or by an earlier run) stays
            try:
                collection_update(collection=collection, cover_asset_id=record.asset_id)
            except ValidationError:
                pass  # the asset went to the trash since

    # Rows

    def _origin(self, row_id) -> str:
        return f"alwrity:{self.entry.clerk_id}:{row_id}"

    def _rows(self, rows: list[dict]):
        entry = self.entry
        entry.read += len(rows)
        recorded = set() if self.owner is None else set(
            ImportRecord.objects.filter(owner=self.owner, origin__in=[self._origin(row["id"]) for row in rows])
            .values_list("origin", flat=True))
        fresh = []
        for row in rows:
            if self._origin(row["id"]) in recorded:
                entry.duplicates += 1
            else:
                fresh.append(row)
        if self.dry_run:
            for row in fresh:
                if self._registration(row) is not None:
                    entry.created += 1
            self.progress(len(rows))
            return
        counts = {"created": 0, "duplicates": 0}
        members: dict[int, list] = {}
        records = []
        with transaction.atomic():
            for row in fresh:
                registration = self._registration(row)
                if registration is None:
                    continue
                asset = self._create(row, registration, counts)
                if asset is None:
                    continue
                records.append(ImportRecord(owner=self.owner, origin=self._origin(row["id"]), asset=asset,
                                            database=entry.path))
                if self.collections.get(row.get("collection_id")) is not None:
                    members.setdefault(row["collection_id"], []).append(asset.pk)
            ImportRecord.objects.bulk_create(records)
            for collection_id, asset_ids in members.items():
                collection_add_assets(collection=self.collections[collection_id],
                                      assets=Asset.objects.filter(pk__in=asset_ids))
        entry.created += counts["created"]
        entry.duplicates += counts["duplicates"]
        self.progress(len(rows))

    def _create(self, row, registration: dict, counts: dict) -> Asset | None:
        path = registration.pop("path", None)
        try:
            if path is not None:
                with path.open("rb") as handle:
                    result = asset_create(owner=self.owner, file=File(handle, name=path.name), **registration)
            else:
                result = asset_create(owner=self.owner, **registration)
        except (ValidationError, DomainError, OSError) as error:
            self.entry.skipped += 1
            self.entry.refused_files.append({"path": str(path) if path else self.finder.describe(row),
                                             "error": _message(error)})
            return None
        counts["created" if result.created else "duplicates"] += 1
        return result.asset

    def _registration(self, row: dict) -> dict | None:
        """asset_create's arguments for a row (`path`: its file), or None when it is skipped
        (and counted so)."""
        entry = self.entry
        metadata = source.json_value(row.get("asset_metadata"), {})
        status = source.status(metadata)
        kind = source.asset_type(row.get("asset_type"))
        module, fallback = source.module_slug(row.get("source_module"))
        if fallback:
            entry.fallback_modules[str(row.get("source_module"))] = module
        path = self.finder.find(row, self.workspace)
        text = None
        if path is None and kind == AssetType.TEXT:
            text = _text_of(row, metadata)
        if path is None and text is None and status != AssetStatus.FAILED:
            entry.skipped += 1
            if kind == AssetType.TEXT:
                entry.text_without_content += 1
            if row.get("file_path") or kind != AssetType.TEXT:
                entry.missing_files.append(self.finder.describe(row))
            return None
        registration = {
            "source_module": module,
            "status": status,
            "external_id": self._origin(row["id"]),
            "title": _title(row),
            "prompt": _clip(row.get("prompt"), 50_000),
            "model": _clip(row.get("model"), 200),
            "provider": _clip(row.get("provider"), 100),
            "cost": source.cost(row.get("cost")),
            "tags": _tags(row.get("tags")),
            "is_favorite": source.boolean(row.get("is_favorite")),
            "download_count": source.count(row.get("download_count")),
            "share_count": source.count(row.get("share_count")),
            "metadata": _metadata(row, metadata),
            "source": RequestSource.IMPORT,
        }
        created_at = source.timestamp(row.get("created_at"))
        if created_at is not None:
            registration["created_at"] = created_at
        if text is None or text != row.get("description"):
            registration["description"] = _clip(row.get("description"), 20_000)
        if status == AssetStatus.FAILED:
            registration["error_message"] = source.error_text(metadata) or FAILED_IN_ALWRITY
        if path is not None:
            registration["path"] = path
        else:
            registration["type"] = kind or AssetType.TEXT
            if text is not None:
                registration["text_content"] = text
        return registration


def _free_name(wanted: str, taken: set[str]) -> str:
    if wanted.lower() not in taken:
        return wanted
    number = 2
    while True:
        suffix = f" ({number})"
        name = wanted[: MAX_COLLECTION_NAME - len(suffix)] + suffix
        if name.lower() not in taken:
            return name
        number += 1


def _text_of(row: dict, metadata: dict) -> str | None:
    """A text row's content when it has no file: in its metadata, or in its description when
    its `file_url` is not a file's (`linkedin://…`)."""
    for key in TEXT_KEYS:
        value = metadata.get(key)
        if isinstance(value, str) and value.strip():
            return value
    description = row.get("description")
    scheme = urlparse(str(row.get("file_url") or "")).scheme.lower()
    if isinstance(description, str) and description.strip() and scheme not in FILE_SCHEMES:
        return description
    return None


def _title(row: dict) -> str:
    title = str(row.get("title") or "").strip()
    if not title:
        stem = PurePosixPath(str(row.get("filename") or "").replace("\\", "/")).stem
        title = stem.replace("_", " ").replace("-", " ").strip()
    return title[:500]


def _clip(value, limit: int) -> str:
    return str(value or "")[:limit]


def _tags(raw) -> list[str]:
    names = source.json_value(raw, [])
    if isinstance(raw, str) and not names and raw.strip() and not raw.strip().startswith("["):
        names = raw.split(",")  # some rows hold a comma-separated string
    tags, seen = [], set()
    for name in names:
        if not isinstance(name, str | int | float) or isinstance(name, bool):
            continue
        name = " ".join(str(name).split())[:MAX_TAG_LENGTH]
        if name and name.lower() not in seen:
            seen.add(name.lower())
            tags.append(name)
    return tags[:MAX_TAGS_PER_ASSET]


def _metadata(row: dict, metadata: dict) -> dict:
    """The module's metadata as it was, plus what only ALwrity had, under "alwrity"."""
    alwrity = {
        "id": row.get("id"),
        "user_id": row.get("user_id"),
        "source_module": row.get("source_module"),
        "asset_type": row.get("asset_type"),
        "filename": row.get("filename"),
        "file_path": row.get("file_path"),
        "file_url": row.get("file_url"),
        "mime_type": row.get("mime_type"),
        "file_size": row.get("file_size"),
        "generation_time": row.get("generation_time"),
        "collection_id": row.get("collection_id"),
        "last_accessed": _iso(row.get("last_accessed")),
        "updated_at": _iso(row.get("updated_at")),
    }
    alwrity = {key: value for key, value in alwrity.items() if value not in (None, "")}
    combined = {**metadata, "alwrity": alwrity}
    if len(json.dumps(combined, ensure_ascii=False, default=str).encode("utf-8")) > MAX_METADATA_BYTES:
        alwrity["metadata_dropped"] = f"ALwrity's metadata was over {MAX_METADATA_BYTES // 1024} KB"
        combined = {"alwrity": alwrity}
    return json.loads(json.dumps(combined, default=str))


def _iso(raw) -> str | None:
    value = source.timestamp(raw)
    return value.isoformat() if value else None


def _message(error) -> str:
    if isinstance(error, ValidationError):
        if hasattr(error, "message_dict"):
            return "; ".join(f"{name}: {' '.join(messages)}" for name, messages in error.message_dict.items())
        return " ".join(error.messages)
    return str(error)
