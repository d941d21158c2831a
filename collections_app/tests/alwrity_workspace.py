"""ALwrity databases for tests and benchmarks, built with the DDL that SQLAlchemy emits on
SQLite for ALwrity's models (backend/models/content_asset_models.py): enums as VARCHAR of
their longest member name, JSON as text, DATETIME as naive UTC text, Boolean as 0/1."""

import json
import sqlite3
from datetime import datetime
from pathlib import Path

from assets.tests.samples import wav_bytes
from conftest import make_image_bytes

SCHEMA = """
CREATE TABLE asset_collections (
	id INTEGER NOT NULL,
	user_id VARCHAR(255) NOT NULL,
	name VARCHAR(255) NOT NULL,
	description TEXT,
	is_public BOOLEAN,
	cover_asset_id INTEGER,
	created_at DATETIME NOT NULL,
	updated_at DATETIME,
	PRIMARY KEY (id),
	FOREIGN KEY(cover_asset_id) REFERENCES content_assets (id)
);
CREATE INDEX ix_asset_collections_user_id ON asset_collections (user_id);
CREATE TABLE content_assets (
	id INTEGER NOT NULL,
	user_id VARCHAR(255) NOT NULL,
	asset_type VARCHAR(5) NOT NULL,
	source_module VARCHAR(22) NOT NULL,
	filename VARCHAR(500) NOT NULL,
	file_path VARCHAR(1000),
	file_url VARCHAR(1000) NOT NULL,
	file_size INTEGER,
	mime_type VARCHAR(100),
	title VARCHAR(500),
	description TEXT,
	prompt TEXT,
	tags JSON,
	asset_metadata JSON,
	provider VARCHAR(100),
	model VARCHAR(100),
	cost FLOAT,
	generation_time FLOAT,
	is_favorite BOOLEAN,
	collection_id INTEGER,
	download_count INTEGER,
	share_count INTEGER,
	last_accessed DATETIME,
	created_at DATETIME NOT NULL,
	updated_at DATETIME,
	PRIMARY KEY (id),
	FOREIGN KEY(collection_id) REFERENCES asset_collections (id)
);
CREATE INDEX ix_content_assets_user_id ON content_assets (user_id);
CREATE INDEX ix_content_assets_asset_type ON content_assets (asset_type);
CREATE INDEX ix_content_assets_source_module ON content_assets (source_module);
CREATE INDEX ix_content_assets_is_favorite ON content_assets (is_favorite);
CREATE INDEX ix_content_assets_created_at ON content_assets (created_at);
CREATE INDEX idx_user_type_source ON content_assets (user_id, asset_type, source_module);
CREATE INDEX idx_user_favorite_created ON content_assets (user_id, is_favorite, created_at);
CREATE INDEX idx_user_tags ON content_assets (user_id, tags);
"""


def naive(value: datetime) -> str:
    """How SQLAlchemy writes a DATETIME on SQLite."""
    return value.strftime("%Y-%m-%d %H:%M:%S.%f")


def png(color=(200, 40, 40), size=(48, 32)) -> bytes:
    return make_image_bytes(size=size, color=color)


def wav(seconds: float = 0.5) -> bytes:
    return wav_bytes(seconds=seconds)


class AlwrityDatabase:
    """One ALwrity database file, written the way ALwrity writes it."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.connection = sqlite3.connect(path)
        self.connection.executescript(SCHEMA)

    def close(self):
        self.connection.commit()
        self.connection.close()

    def collection(self, user_id: str, name: str, *, description=None, is_public=False, cover_asset_id=None,
                   created_at=datetime(2025, 2, 1, 9, 0, 0)) -> int:  # noqa: DTZ001 - ALwrity's naive UTC
        cursor = self.connection.execute(
            "INSERT INTO asset_collections (user_id, name, description, is_public, cover_asset_id, created_at, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            (user_id, name, description, int(is_public), cover_asset_id, naive(created_at), naive(created_at)),
        )
        return cursor.lastrowid

    def set_cover(self, collection_id: int, asset_id: int):
        self.connection.execute("UPDATE asset_collections SET cover_asset_id = ? WHERE id = ?",
                                (asset_id, collection_id))

    def asset(self, user_id: str, *, asset_type="IMAGE", source_module="IMAGE_STUDIO", filename="image.png",
              file_path=None, file_url=None, data: bytes | None = None, tags=None, metadata=None,
              created_at=datetime(2025, 3, 1, 10, 20, 30, 123456), **fields) -> int:  # noqa: DTZ001
        """A row; with `data` and `file_path`, the file is written there too."""
        if data is not None and file_path is not None:
            Path(file_path).parent.mkdir(parents=True, exist_ok=True)
            Path(file_path).write_bytes(data)
        row = {
            "user_id": user_id, "asset_type": asset_type, "source_module": source_module, "filename": filename,
            "file_path": str(file_path) if file_path is not None else None,
            "file_url": file_url or f"/api/assets/{filename}",
            "file_size": len(data) if data is not None else None,
            "tags": json.dumps(tags) if tags is not None else None,
            "asset_metadata": json.dumps(metadata) if metadata is not None else None,
            "created_at": naive(created_at), "updated_at": naive(created_at),
            "is_favorite": 0, "download_count": 0, "share_count": 0, "cost": 0.0,
        }
        row.update(fields)
        for key in ("last_accessed",):
            if isinstance(row.get(key), datetime):
                row[key] = naive(row[key])
        names = ", ".join(row)
        marks = ", ".join("?" for _ in row)
        return self.connection.execute(f"INSERT INTO content_assets ({names}) VALUES ({marks})",  # noqa: S608
                                       list(row.values())).lastrowid
