"""Reading ALwrity's asset library: its SQLite databases (tables `content_assets` and
`asset_collections`), read-only, whatever their age.

ALwrity keeps one database per user (`workspace_<user>/db/alwrity_<user>.db`; older layouts
`workspace_<user>/database/*.db` and one shared `db/alwrity.db`). SQLAlchemy wrote its enums
as member names (`IMAGE_STUDIO`) or, in some rows, as values (`image_studio`), its JSON as
text and its timestamps as naive UTC text. Columns an older schema lacks read as None.
"""

import json
import math
import re
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

ASSET_TYPES = ("text", "image", "video", "audio")

# ALwrity's AssetSource values (backend/models/content_asset_models.py).
KNOWN_MODULES = frozenset({
    "story_writer", "image_studio", "main_text_generation", "main_image_generation", "main_video_generation",
    "main_audio_generation", "blog_writer", "linkedin_writer", "facebook_writer", "seo_tools",
    "content_planning", "writing_assistant", "research_tools", "content_strategy", "product_marketing",
    "podcast_maker", "youtube_creator", "brand_avatar_generator", "video_studio", "voice_cloner",
})

_STATUSES = {
    "completed": "completed", "complete": "completed", "success": "completed", "succeeded": "completed",
    "done": "completed", "ready": "completed", "generated": "completed",
    "failed": "failed", "failure": "failed", "error": "failed", "errored": "failed",
    "pending": "pending", "queued": "pending", "scheduled": "pending",
    "processing": "processing", "running": "processing", "in_progress": "processing", "generating": "processing",
}


class AlwritySourceError(Exception):
    """A path that is not a readable ALwrity database."""


def find_databases(workspace_root: Path) -> list[Path]:
    """The ALwrity databases under a workspace folder (the one holding `workspace_<user>/`)."""
    patterns = ("workspace_*/db/*.db", "workspace_*/database/*.db", "db/alwrity.db", "alwrity.db")
    found = {path.resolve(): path for pattern in patterns for path in workspace_root.glob(pattern) if path.is_file()}
    return sorted(found.values())


def open_database(path: Path) -> sqlite3.Connection:
    """`path` opened read-only; AlwritySourceError unless it holds ALwrity's asset table."""
    if not path.is_file():
        raise AlwritySourceError(f"{path}: no such file.")
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        connection.row_factory = sqlite3.Row
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise AlwritySourceError(f"{path}: not an SQLite database ({error}).") from None
    if "content_assets" not in tables:
        connection.close()
        raise AlwritySourceError(f"{path}: no content_assets table; is this an ALwrity database?")
    return connection


def _has_table(connection: sqlite3.Connection, name: str) -> bool:
    return connection.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()


def user_ids(connection: sqlite3.Connection) -> list[str]:
    """The Clerk ids with assets or collections in the database, in a stable order."""
    query = "SELECT DISTINCT user_id FROM content_assets"
    if _has_table(connection, "asset_collections"):
        query += " UNION SELECT DISTINCT user_id FROM asset_collections"
    return sorted({str(row[0]) for row in connection.execute(query) if row[0] not in (None, "")})


def count_assets(connection: sqlite3.Connection, user_id: str) -> int:
    return connection.execute("SELECT count(*) FROM content_assets WHERE user_id = ?", (user_id,)).fetchone()[0]


def collections(connection: sqlite3.Connection, user_id: str) -> list[dict]:
    if not _has_table(connection, "asset_collections"):
        return []
    rows = connection.execute("SELECT * FROM asset_collections WHERE user_id = ? ORDER BY id", (user_id,))
    return [dict(row) for row in rows]


def assets(connection: sqlite3.Connection, user_id: str) -> Iterator[dict]:
    yield from (dict(row) for row in connection.execute(
        "SELECT * FROM content_assets WHERE user_id = ? ORDER BY id", (user_id,)))


def enum_value(raw) -> str:
    """An enum column as its value: `IMAGE_STUDIO` and `image_studio` both give `image_studio`."""
    text = str(raw or "").strip()
    if text.startswith(("AssetSource.", "AssetType.")):  # str() of a member, as some code wrote it
        text = text.split(".", 1)[1]
    return text.lower()


def module_slug(raw) -> tuple[str, bool]:
    """Our source_module for ALwrity's value, and whether it is a fallback (not one of ALwrity's)."""
    value = enum_value(raw)
    if value in KNOWN_MODULES:
        return value, False
    slug = re.sub(r"[^a-z0-9]+", "_", value).strip("_")[:50] or "alwrity"
    return slug, True


def asset_type(raw) -> str | None:
    value = enum_value(raw)
    return value if value in ASSET_TYPES else None


def status(metadata: dict) -> str:
    raw = metadata.get("status") if isinstance(metadata, dict) else None
    return _STATUSES.get(str(raw or "").strip().lower().replace("-", "_").replace(" ", "_"), "completed")


def error_text(metadata: dict) -> str:
    for key in ("error_message", "error", "failure_reason", "reason", "message"):
        value = metadata.get(key) if isinstance(metadata, dict) else None
        if isinstance(value, dict):
            value = value.get("message") or value.get("detail")
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def json_value(raw, default):
    """A JSON column: text to parse (SQLite), or already parsed; `default` if it is neither."""
    if raw is None:
        return default
    if isinstance(raw, str | bytes):
        try:
            raw = json.loads(raw)
        except ValueError:
            return default
    return raw if isinstance(raw, type(default)) else default


def timestamp(raw) -> datetime | None:
    """A naive-UTC DATETIME column (`2025-03-01 10:20:30.123456`, ISO too) as an aware datetime."""
    if raw in (None, ""):
        return None
    if isinstance(raw, int | float):
        try:
            return datetime.fromtimestamp(raw, tz=UTC)
        except (OverflowError, OSError, ValueError):
            return None
    try:
        value = datetime.fromisoformat(str(raw).strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def cost(raw) -> Decimal:
    """ALwrity's float cost in our 4 decimal places; nothing sensible reads as 0."""
    try:
        value = float(raw or 0)
    except (TypeError, ValueError):
        return Decimal("0")
    if not math.isfinite(value) or value < 0 or value >= 10**8:
        return Decimal("0")
    return Decimal(str(round(value, 4)))


def count(raw) -> int:
    try:
        value = int(raw or 0)
    except (TypeError, ValueError):
        return 0
    return min(max(value, 0), 2**31 - 1)


def boolean(raw) -> bool:
    if isinstance(raw, str):
        return raw.strip().lower() in ("1", "true", "t", "yes")
    return bool(raw)
