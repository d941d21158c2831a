"""manage.py import_alwrity against databases built with ALwrity's own schema."""

import json
from datetime import UTC, datetime
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from assets.models import Asset
from assets.services import asset_delete_permanently
from assets.tests.factories import UserFactory
from collections_app import alwrity_import
from collections_app.models import Collection, ImportRecord
from collections_app.tests.alwrity_workspace import AlwrityDatabase, png, wav

ALICE, BOB, CAROL = "user_2alice", "user_2bob", "user_2carol"
STORY = "Once upon a time, a lighthouse keeper counted the waves.\n\nThe end.\n"


def build_workspace(root: Path) -> dict:
    """Three users: Alice (today's layout, files found in her workspace by their trailing path),
    Bob (the older `database/` layout, files moved: found with --rebase) and Carol (not mapped)."""
    ids = {}
    alice_ws = root / f"workspace_{ALICE}"
    db = AlwrityDatabase(alice_ws / "db" / f"alwrity_{ALICE}.db")
    brand = db.collection(ALICE, "Brand", description="Brand refresh")
    brand_again = db.collection(ALICE, "Brand")  # ALwrity names are not unique
    ids["brand"], ids["brand_again"] = brand, brand_again
    server = "/srv/alwrity/workspace/workspace_user_2alice"  # paths as written on ALwrity's server
    (alice_ws / "media" / "image_studio").mkdir(parents=True)
    (alice_ws / "media" / "image_studio" / "sunset.png").write_bytes(png((250, 120, 40)))
    ids["sunset"] = db.asset(
        ALICE, asset_type="IMAGE", source_module="IMAGE_STUDIO", filename="sunset.png",
        file_path=f"{server}/media/image_studio/sunset.png", title="Sunset over the bay",
        description="Warm tones", prompt="a sunset over the bay", tags=["sunset", "Campaign", "sunset"],
        metadata={"status": "completed", "seed": 42, "style": "cinematic"}, provider="stability",
        model="sd3", cost=0.04, generation_time=3.5, is_favorite=1, collection_id=brand, download_count=3,
        share_count=2, last_accessed=datetime(2025, 4, 1, 8, 0, 0),  # noqa: DTZ001
    )
    db.set_cover(brand, ids["sunset"])
    ids["moon"] = db.asset(  # enum values instead of names; a file in the workspace by its url
        ALICE, asset_type="image", source_module="image_studio", filename="moon.png", file_path=None,
        file_url="/api/images/media/image_studio/moon.png", collection_id=brand_again,
    )
    (alice_ws / "media" / "image_studio" / "moon.png").write_bytes(png((20, 20, 90)))
    story_path = alice_ws / "media" / "story_writer_text" / "story.md"
    ids["story"] = db.asset(ALICE, asset_type="TEXT", source_module="STORY_WRITER", filename="story.md",
                            file_path=story_path, data=STORY.encode(), title="The keeper", collection_id=brand)
    ids["post"] = db.asset(ALICE, asset_type="TEXT", source_module="LINKEDIN_WRITER", filename="post.txt",
                           file_url="linkedin://post/77", description="Thrilled to announce our new brand!")
    ids["note"] = db.asset(ALICE, asset_type="TEXT", source_module="WRITING_ASSISTANT", filename="note.txt",
                           metadata={"content": "A note kept in metadata."}, description="About a note")
    ids["lost_text"] = db.asset(ALICE, asset_type="TEXT", source_module="BLOG_WRITER", filename="lost.md",
                                file_path=f"{server}/media/blog_writer_text/lost.md")
    ids["lost_image"] = db.asset(ALICE, filename="gone.png", file_path="/nowhere/gone.png")
    ids["failed"] = db.asset(ALICE, asset_type="VIDEO", source_module="VIDEO_STUDIO", filename="clip.mp4",
                             metadata={"status": "failed", "error": "Provider timed out"})
    ids["failed_plain"] = db.asset(ALICE, asset_type="AUDIO", source_module="VOICE_CLONER", filename="v.mp3",
                                   metadata={"status": "failed"})
    ids["custom"] = db.asset(ALICE, asset_type="AUDIO", source_module="Custom Tool!", filename="tone.wav",
                             file_path=alice_ws / "media" / "custom" / "tone.wav", data=wav())
    db.close()

    bob_db = AlwrityDatabase(root / f"workspace_{BOB}" / "database" / "alwrity.db")
    ids["bob_collection"] = bob_db.collection(BOB, "Brand")
    ids["bob_image"] = bob_db.asset(BOB, filename="bob.png", file_path="/old/server/media/bob.png",
                                    collection_id=ids["bob_collection"])
    (root / "moved" / "media").mkdir(parents=True)
    (root / "moved" / "media" / "bob.png").write_bytes(png((0, 160, 0)))
    bob_db.close()

    carol_db = AlwrityDatabase(root / f"workspace_{CAROL}" / "db" / f"alwrity_{CAROL}.db")
    carol_db.asset(CAROL, filename="c.png", file_path=root / f"workspace_{CAROL}" / "c.png", data=png())
    carol_db.close()
    return ids


@pytest.fixture
def workspace(tmp_path):
    root = tmp_path / "alwrity" / "workspace"
    return root, build_workspace(root)


@pytest.fixture
def accounts(db):
    return UserFactory(username="alice"), UserFactory(username="bob")


@pytest.fixture
def user_map(tmp_path):
    path = tmp_path / "users.csv"
    path.write_text(f"clerk_id,username\n{ALICE},alice\n{BOB},bob\n")
    return path


def run(*args, expect_error=False):
    out, err = StringIO(), StringIO()
    if expect_error:
        with pytest.raises(CommandError) as error:
            call_command("import_alwrity", *[str(a) for a in args], stdout=out, stderr=err)
        return out.getvalue(), str(error.value)
    call_command("import_alwrity", *[str(a) for a in args], stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def full_run(root, user_map, tmp_path, *extra):
    report = tmp_path / "report.json"
    out, _ = run("--workspace-root", root, "--user-map", user_map, "--rebase", f"/old/server={root}/moved",
                 "--report", report, *extra)
    return out, json.loads(report.read_text())


def by_origin(owner, row_id, clerk=ALICE) -> Asset:
    return Asset.objects.get(owner=owner, external_id=f"alwrity:{clerk}:{row_id}")


def test_a_workspace_is_imported_with_files_texts_collections_and_history(workspace, accounts, user_map, tmp_path):
    root, ids = workspace
    alice, bob = accounts
    out, report = full_run(root, user_map, tmp_path)

    entries = {entry["clerk_id"]: entry for entry in report["databases"]}
    assert set(entries) == {ALICE, BOB, CAROL}
    a = entries[ALICE]
    assert a["username"] == "alice" and not a["unmapped_user"]
    assert a["read"] == 10
    assert a["created"] == 8  # sunset, moon, story, post, note, both failed, custom
    assert a["skipped"] == 2 and a["duplicates"] == 0
    assert a["missing_files"] == ["/srv/alwrity/workspace/workspace_user_2alice/media/blog_writer_text/lost.md",
                                  "/nowhere/gone.png"]
    assert a["text_without_content"] == 1
    assert a["fallback_modules"] == {"Custom Tool!": "custom_tool"}
    assert a["renamed_collections"] == {"Brand": "Brand (2)"}
    assert entries[CAROL]["unmapped_user"] and entries[CAROL]["skipped"] == 1 and entries[CAROL]["created"] == 0
    assert entries[BOB]["created"] == 1 and entries[BOB]["missing_files"] == []
    assert report["totals"] == {**report["totals"], "read": 12, "created": 9, "skipped": 3, "duplicates": 0,
                                "missing_files": 2, "unmapped_users": 1}
    assert f"{CAROL}" in out and "12 rows read" in out

    sunset = by_origin(alice, ids["sunset"])
    assert (sunset.type, sunset.status, sunset.source_module, sunset.mime_type) == (
        "image", "completed", "image_studio", "image/png")
    assert (sunset.width, sunset.height) == (48, 32) and sunset.file_size == len(png((250, 120, 40)))
    assert sunset.title == "Sunset over the bay" and sunset.description == "Warm tones"
    assert sunset.prompt == "a sunset over the bay" and (sunset.provider, sunset.model) == ("stability", "sd3")
    assert sunset.cost == Decimal("0.0400") and sunset.is_favorite
    assert (sunset.download_count, sunset.share_count) == (3, 2)
    assert sunset.created_at == datetime(2025, 3, 1, 10, 20, 30, 123456, tzinfo=UTC)
    assert sorted(sunset.tags.names()) == ["Campaign", "sunset"]
    assert sunset.metadata["seed"] == 42
    assert sunset.metadata["alwrity"]["id"] == ids["sunset"]
    assert sunset.metadata["alwrity"]["generation_time"] == 3.5
    assert sunset.metadata["alwrity"]["last_accessed"] == "2025-04-01T08:00:00+00:00"
    assert sunset.file.read() == png((250, 120, 40))

    story = by_origin(alice, ids["story"])
    assert story.type == "text" and story.text_content == STORY and story.source_module == "story_writer"
    post = by_origin(alice, ids["post"])
    assert post.text_content == "Thrilled to announce our new brand!" and post.description == ""
    assert post.source_module == "linkedin_writer"
    note = by_origin(alice, ids["note"])
    assert note.text_content == "A note kept in metadata." and note.description == "About a note"
    failed = by_origin(alice, ids["failed"])
    assert (failed.status, failed.error_message, failed.type, failed.file.name) == (
        "failed", "Provider timed out", "video", "")
    assert by_origin(alice, ids["failed_plain"]).error_message == "Failed in ALwrity"
    custom = by_origin(alice, ids["custom"])
    assert custom.type == "audio" and custom.source_module == "custom_tool"
    assert by_origin(alice, ids["moon"]).source_module == "image_studio"

    brand = Collection.objects.get(owner=alice, name="Brand")
    assert brand.description == "Brand refresh"
    assert set(brand.assets.values_list("pk", flat=True)) == {sunset.pk, story.pk}
    assert brand.cover_asset_id == sunset.pk
    again = Collection.objects.get(owner=alice, name="Brand (2)")
    assert list(again.assets.all()) == [by_origin(alice, ids["moon"])]

    bob_asset = by_origin(bob, ids["bob_image"], clerk=BOB)
    assert Collection.objects.get(owner=bob, name="Brand").assets.get() == bob_asset
    assert not Asset.objects.filter(owner=alice, pk=bob_asset.pk).exists()
    assert not get_user_model().objects.filter(username=CAROL).exists()


def test_a_second_run_creates_nothing(workspace, accounts, user_map, tmp_path):
    root, _ids = workspace
    full_run(root, user_map, tmp_path)
    counts = (Asset.objects.count(), Collection.objects.count(), ImportRecord.objects.count())
    out, report = full_run(root, user_map, tmp_path)
    assert report["totals"]["created"] == 0
    assert report["totals"]["duplicates"] == 9
    assert report["totals"]["collections_created"] == 0
    assert (Asset.objects.count(), Collection.objects.count(), ImportRecord.objects.count()) == counts
    assert "0 created" in out


def test_a_re_run_imports_only_new_rows_and_never_brings_back_what_was_deleted(workspace, accounts, user_map,
                                                                                tmp_path):
    root, ids = workspace
    alice, _bob = accounts
    full_run(root, user_map, tmp_path)
    asset_delete_permanently(asset=by_origin(alice, ids["moon"]))
    db_path = root / f"workspace_{ALICE}" / "db" / f"alwrity_{ALICE}.db"
    import sqlite3

    connection = sqlite3.connect(db_path)
    connection.execute(
        "INSERT INTO content_assets (user_id, asset_type, source_module, filename, file_url, description, "
        "created_at) VALUES (?, 'TEXT', 'LINKEDIN_WRITER', 'new.txt', 'linkedin://post/78', 'A new post', "
        "'2025-06-01 12:00:00.000000')", (ALICE,))
    connection.commit()
    connection.close()
    _out, report = full_run(root, user_map, tmp_path)
    alice_entry = next(e for e in report["databases"] if e["clerk_id"] == ALICE)
    assert alice_entry["created"] == 1
    assert not Asset.objects.filter(owner=alice, external_id=f"alwrity:{ALICE}:{ids['moon']}").exists()
    assert Asset.objects.filter(owner=alice, text_content="A new post").count() == 1


def test_an_interrupted_import_resumes_where_it_stopped(tmp_path, accounts, user_map, monkeypatch):
    root = tmp_path / "ws"
    db = AlwrityDatabase(root / f"workspace_{ALICE}" / "db" / f"alwrity_{ALICE}.db")
    collection = db.collection(ALICE, "Many")
    for n in range(120):
        db.asset(ALICE, asset_type="TEXT", source_module="BLOG_WRITER", filename=f"p{n}.txt",
                 file_url=f"linkedin://post/{n}", description=f"Post number {n}", collection_id=collection)
    db.close()
    real_create = alwrity_import.asset_create
    calls = {"n": 0}

    def crash_at_the_75th(**kwargs):
        calls["n"] += 1
        if calls["n"] == 75:
            raise RuntimeError("the machine went down")
        return real_create(**kwargs)

    monkeypatch.setattr(alwrity_import, "asset_create", crash_at_the_75th)
    with pytest.raises(RuntimeError):
        run("--workspace-root", root, "--user-map", user_map)
    alice = accounts[0]
    assert Asset.objects.filter(owner=alice).count() == 50  # the first chunk landed whole, the second not at all
    monkeypatch.setattr(alwrity_import, "asset_create", real_create)
    out, _ = run("--workspace-root", root, "--user-map", user_map)
    assert "70 created, 50 imported before" in out
    assert Asset.objects.filter(owner=alice).count() == 120
    assert Collection.objects.get(owner=alice, name="Many").assets.count() == 120
    assert Collection.objects.filter(owner=alice).count() == 1


def test_create_users_makes_an_account_per_clerk_id(workspace, tmp_path, db):
    root, _ids = workspace
    report = tmp_path / "r.json"
    run("--workspace-root", root, "--create-users", "--rebase", f"/old/server={root}/moved", "--report", report)
    users = get_user_model().objects.filter(username__in=[ALICE, BOB, CAROL])
    assert users.count() == 3
    assert not any(user.has_usable_password() for user in users)
    totals = json.loads(report.read_text())["totals"]
    assert totals["created"] == 10 and totals["unmapped_users"] == 0


def test_a_dry_run_writes_nothing_and_reports_what_it_would_do(workspace, tmp_path, db):
    root, _ids = workspace
    report = tmp_path / "r.json"
    out, _ = run("--workspace-root", root, "--create-users", "--dry-run", "--report", report)
    assert Asset.objects.count() == 0 and Collection.objects.count() == 0 and ImportRecord.objects.count() == 0
    assert not get_user_model().objects.exists()
    data = json.loads(report.read_text())
    assert data["dry_run"] is True
    assert data["totals"]["created"] == 9  # Bob's file needs the --rebase this run lacks
    assert data["totals"]["missing_files"] == 3
    assert "would be created" in out and "Dry run: 12 rows read" in out


def test_strict_fails_when_anything_is_skipped_or_unmapped(workspace, accounts, user_map, tmp_path):
    root, _ids = workspace
    _out, message = run("--workspace-root", root, "--user-map", user_map, "--strict", expect_error=True)
    assert "--strict" in message and "unmapped" in message
    assert Asset.objects.filter(owner=accounts[0]).count() == 8  # the import itself went ahead


def test_strict_passes_a_clean_import(tmp_path, accounts, user_map):
    root = tmp_path / "clean"
    db = AlwrityDatabase(root / f"workspace_{ALICE}" / "db" / f"alwrity_{ALICE}.db")
    db.asset(ALICE, filename="a.png", file_path=root / "a.png", data=png())
    db.close()
    out, _ = run(root / f"workspace_{ALICE}" / "db" / f"alwrity_{ALICE}.db", "--user-map", user_map, "--strict")
    assert "1 created" in out


def test_the_same_file_twice_becomes_one_asset_in_both_collections(tmp_path, accounts, user_map):
    root = tmp_path / "dupes"
    db = AlwrityDatabase(root / "alwrity.db")
    first, second = db.collection(ALICE, "One"), db.collection(ALICE, "Two")
    data = png((1, 2, 3))
    db.asset(ALICE, filename="a.png", file_path=root / "a.png", data=data, collection_id=first)
    db.asset(ALICE, filename="b.png", file_path=root / "b.png", data=data, collection_id=second)
    db.close()
    report = tmp_path / "r.json"
    run(root / "alwrity.db", "--user-map", user_map, "--report", report)
    entry = json.loads(report.read_text())["databases"][0]
    assert (entry["created"], entry["duplicates"]) == (1, 1)
    asset = Asset.objects.get(owner=accounts[0])
    assert sorted(asset.collections.values_list("name", flat=True)) == ["One", "Two"]


def test_a_file_refused_as_any_upload_would_be_is_skipped_and_reported(tmp_path, accounts, user_map):
    root = tmp_path / "hostile"
    db = AlwrityDatabase(root / "alwrity.db")
    db.asset(ALICE, filename="evil.png", file_path=root / "evil.png",
             data=b"<html><script>alert(document.cookie)</script></html>")
    db.close()
    report = tmp_path / "r.json"
    run(root / "alwrity.db", "--user-map", user_map, "--report", report)
    entry = json.loads(report.read_text())["databases"][0]
    assert entry["skipped"] == 1 and entry["created"] == 0
    assert entry["refused_files"][0]["path"].endswith("evil.png")
    assert not Asset.objects.exists()


def test_files_root_finds_files_by_their_trailing_path(tmp_path, accounts, user_map):
    root = tmp_path / "elsewhere"
    db = AlwrityDatabase(root / "db" / "alwrity.db")
    db.asset(ALICE, filename="x.png", file_path="C:\\alwrity\\workspace\\media\\image_studio\\x.png")
    db.close()
    files = tmp_path / "files"
    (files / "media" / "image_studio").mkdir(parents=True)
    (files / "media" / "image_studio" / "x.png").write_bytes(png())
    out, _ = run(root / "db" / "alwrity.db", "--user-map", user_map, "--files-root", files)
    assert "1 created" in out
    assert Asset.objects.get(owner=accounts[0]).file_size == len(png())


def test_enum_names_values_and_unknown_types_are_read(tmp_path, accounts, user_map):
    root = tmp_path / "enums"
    db = AlwrityDatabase(root / "alwrity.db")
    db.asset(ALICE, asset_type="IMAGE", source_module="MAIN_IMAGE_GENERATION", filename="a.png",
             file_path=root / "a.png", data=png((9, 9, 9)))
    db.asset(ALICE, asset_type="image", source_module="brand_avatar_generator", filename="b.png",
             file_path=root / "b.png", data=png((8, 8, 8)))
    db.close()
    run(root / "alwrity.db", "--user-map", user_map)
    modules = sorted(Asset.objects.filter(owner=accounts[0]).values_list("source_module", flat=True))
    assert modules == ["brand_avatar_generator", "main_image_generation"]


@pytest.mark.parametrize("content, message", [
    ("not a database at all", "not an SQLite database"),
    (None, "no such file"),
])
def test_a_bad_database_path_stops_before_anything_is_written(tmp_path, accounts, content, message):
    path = tmp_path / "bad.db"
    if content is not None:
        path.write_text(content)
    _out, error = run(path, "--create-users", expect_error=True)
    assert message in error
    assert not Asset.objects.exists()


def test_an_sqlite_file_without_alwrity_tables_is_refused(tmp_path, db):
    import sqlite3

    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    _out, error = run(path, "--create-users", expect_error=True)
    assert "content_assets" in error


def test_bad_options_are_refused(tmp_path, db):
    _o, error = run("--workspace-root", tmp_path / "nope", expect_error=True)
    assert "--workspace-root" in error
    _o, error = run("--workspace-root", tmp_path, expect_error=True)
    assert "database" in error
    AlwrityDatabase(tmp_path / "alwrity.db").close()
    csv = tmp_path / "map.csv"
    csv.write_text("only-one-column\n")
    _o, error = run("--workspace-root", tmp_path, "--user-map", csv, expect_error=True)
    assert "--user-map" in error and "line 1" in error
    _o, error = run(tmp_path / "alwrity.db", "--files-root", tmp_path / "nope", expect_error=True)
    assert "--files-root" in error
    _o, error = run(tmp_path / "alwrity.db", "--rebase", "no-equals-sign", expect_error=True)
    assert "--rebase" in error


def test_operators_see_the_import_records_read_only(workspace, accounts, user_map, tmp_path, admin_client):
    root, ids = workspace
    full_run(root, user_map, tmp_path)
    page = admin_client.get("/admin/collections_app/importrecord/", {"q": f"alwrity:{ALICE}:{ids['sunset']}"})
    assert page.status_code == 200
    assert f"alwrity:{ALICE}:{ids['sunset']}" in page.content.decode()
    record = ImportRecord.objects.get(origin=f"alwrity:{ALICE}:{ids['sunset']}")
    assert admin_client.get("/admin/collections_app/importrecord/add/").status_code == 403
    detail = admin_client.get(f"/admin/collections_app/importrecord/{record.pk}/change/")
    assert detail.status_code == 200 and "Sunset over the bay" in detail.content.decode()
