"""Import speed: manage.py import_alwrity on a generated ALwrity workspace, against reading,
hashing and copying the same files (what any import has to do at least) in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        [CELERY_BROKER_URL=redis://127.0.0.1:6379/13] .venv/bin/python bench/import_alwrity.py [--rows 1500]

The workspace has three users. Of their rows, 60 % are images (128×128 PNGs of noise, all
different, about 50 KB), 25 % texts kept as Markdown files and 15 % LinkedIn posts kept in the
row; a third are in one of five collections per user. Without CELERY_BROKER_URL the tasks
(thumbnails, automatic tags) run inside the import (as with `make run`); with it they are
queued for workers and dropped afterwards. Files go to a temporary media folder, and the
users the run makes are deleted at the end. The second run (everything imported already)
is timed too.
"""

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402


def build(root: Path, rows: int, run_id: str) -> tuple[list[str], list[Path]]:
    from PIL import Image

    from collections_app.tests.alwrity_workspace import AlwrityDatabase

    clerks, files = [], []
    for user in range(3):
        clerk = f"user_bench_{run_id}_{user}"
        clerks.append(clerk)
        workspace = root / f"workspace_{clerk}"
        db = AlwrityDatabase(workspace / "db" / f"alwrity_{clerk}.db")
        collections = [db.collection(clerk, f"Campaign {n}") for n in range(5)]
        for n in range(rows // 3):
            collection = collections[n % 5] if n % 3 == 0 else None
            kind = n % 20
            if kind < 12:
                path = workspace / "media" / "image_studio" / f"img_{n}.png"
                path.parent.mkdir(parents=True, exist_ok=True)
                Image.frombytes("RGB", (128, 128), os.urandom(128 * 128 * 3)).save(path, format="PNG")
                files.append(path)
                db.asset(clerk, filename=path.name, file_path=f"/srv/alwrity/workspace/workspace_{clerk}/media/"
                         f"image_studio/{path.name}", title=f"Image {n}", prompt="a lighthouse at dawn",
                         tags=["lighthouse", f"batch-{n % 7}"], cost=0.04, collection_id=collection)
            elif kind < 17:
                path = workspace / "media" / "blog_writer_text" / f"post_{n}.md"
                text = f"# Post {n}\n\n" + ("A paragraph about lighthouses and the sea. " * 40)
                db.asset(clerk, asset_type="TEXT", source_module="BLOG_WRITER", filename=path.name,
                         file_path=path, data=text.encode(), title=f"Post {n}", collection_id=collection)
                files.append(path)
            else:
                db.asset(clerk, asset_type="TEXT", source_module="LINKEDIN_WRITER", filename=f"li_{n}.txt",
                         file_url=f"linkedin://post/{n}", description=f"Thrilled to share post {n}!",
                         collection_id=collection)
        db.close()
    return clerks, files


def baseline(files: list[Path], target: Path) -> float:
    """Seconds to read, sha256 and copy every file."""
    target.mkdir()
    started = time.perf_counter()
    for index, path in enumerate(files):
        data = path.read_bytes()
        hashlib.sha256(data).hexdigest()
        (target / f"{index}{path.suffix}").write_bytes(data)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1500)
    args = parser.parse_args()
    setup_django()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    work = Path(tempfile.mkdtemp(prefix="bench-import-"))
    settings.MEDIA_ROOT = str(work / "media")
    run_id = uuid.uuid4().hex[:8]
    try:
        clerks, files = build(work / "workspace", args.rows, run_id)
        megabytes = sum(path.stat().st_size for path in files) / 1e6
        rows = len(clerks) * (args.rows // 3)
        mode = "queued to " + settings.CELERY_BROKER_URL if not settings.CELERY_TASK_ALWAYS_EAGER else "eager"
        print(f"ALwrity workspace: {rows:,} rows, {len(files):,} files ({megabytes:.0f} MB); tasks {mode}")
        base = baseline(files, work / "copy")
        timings = []
        for _run in range(2):
            started = time.perf_counter()
            call_command("import_alwrity", "--workspace-root", str(work / "workspace"), "--create-users",
                         stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))  # noqa: SIM115
            timings.append(time.perf_counter() - started)
        first, second = timings
        print(f"read + sha256 + copy the files: {len(files) / base:,.0f} files/s ({base:.2f} s)")
        print(f"import_alwrity, first run:  {rows / first:,.0f} rows/s ({first:.1f} s), "
              f"{first / base:.1f}x the baseline's time")
        print(f"import_alwrity, second run: {rows / second:,.0f} rows/s ({second:.1f} s; nothing new)")
    finally:
        get_user_model().objects.filter(username__startswith=f"user_bench_{run_id}_").delete()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
