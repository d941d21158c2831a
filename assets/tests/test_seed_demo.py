import hashlib
import io
import shutil
import wave
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from assets.demo import library
from assets.demo.corpus import DEMO_MEDIA_DIR, TAG_VOCABULARY, VIDEO_CLIPS
from assets.demo.planner import build_plan
from assets.file_inspection import SNIFF_BYTES, classify
from assets.models import Asset, AssetStatus, AssetType, TaggedAsset
from assets.modules import KNOWN_MODULES
from assets.tests.factories import AssetFactory


def run_seed(*args) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def manual_tags(asset) -> list[str]:
    return list(TaggedAsset.objects.filter(content_object=asset, auto=False).values_list("tag__name", flat=True))


@pytest.mark.django_db
def test_seed_demo_builds_a_varied_library_of_real_files():
    output = run_seed("--assets", "16", "--seed", "7")

    user = get_user_model().objects.get(username="demo")
    assert user.is_staff and user.is_superuser and user.check_password("demo-pass-123")
    assets = list(Asset.objects.owned_by(user))
    assert len(assets) == 16
    assert {a.type for a in assets} == set(AssetType.values)
    assert {a.status for a in assets} == set(AssetStatus.values)
    assert "by type:" in output and "by status:" in output

    now = timezone.now()
    for asset in assets:
        assert 2 <= len(manual_tags(asset)) <= 5
        assert set(manual_tags(asset)) <= set(TAG_VOCABULARY)
        assert now - timedelta(days=91) < asset.created_at < now
        if asset.status == AssetStatus.FAILED:
            assert asset.error_message
        if asset.status in (AssetStatus.PENDING, AssetStatus.PROCESSING):
            assert not asset.file and asset.text_content is None

    completed = [a for a in assets if a.status == AssetStatus.COMPLETED]
    assert {a.type for a in completed} == set(AssetType.values)
    for asset in completed:
        if asset.type == AssetType.TEXT:
            assert asset.text_content.count("\n\n") >= 2
            continue
        assert asset.file and asset.file_size > 0 and len(asset.checksum_sha256) == 64
        with asset.file.open("rb") as handle:
            data = handle.read()
        assert len(data) == asset.file_size
        if asset.type == AssetType.IMAGE:
            assert asset.mime_type in ("image/png", "image/jpeg")
            with Image.open(io.BytesIO(data)) as img:
                assert img.size == (asset.width, asset.height)
            assert 256 <= min(img.size) and max(img.size) <= 768
        elif asset.type == AssetType.AUDIO:
            assert asset.mime_type == "audio/wav"
            with wave.open(io.BytesIO(data)) as sound:
                seconds = sound.getnframes() / sound.getframerate()
            assert 1 <= seconds <= 3
            assert asset.duration_seconds == pytest.approx(seconds, abs=0.01)
        else:
            assert asset.mime_type in ("video/mp4", "video/webm")
            clip = next(c for c in VIDEO_CLIPS if c.file_name.endswith(asset.mime_type[6:]) and
                        (DEMO_MEDIA_DIR / c.file_name).read_bytes() == data)
            assert asset.duration_seconds == pytest.approx(clip.seconds, abs=0.1)
            if shutil.which("ffprobe"):  # dimensions come from probing the file
                assert (asset.width, asset.height) == (clip.width, clip.height)

    assert Asset.objects.owned_by(user).trashed().count() >= 1


@pytest.mark.django_db
def test_a_second_run_adds_nothing():
    run_seed("--assets", "12", "--seed", "3", "--username", "alice", "--password", "s3cret-pass-999")
    before = sorted(Asset.objects.values_list("pk", flat=True))

    skipped = run_seed("--assets", "12", "--seed", "3", "--username", "alice", "--if-empty")
    rerun = run_seed("--assets", "12", "--seed", "3", "--username", "alice")

    assert "nothing to do" in skipped
    assert "Created 0 of 12" in rerun  # the same seed: every asset is found by external id or file
    assert sorted(Asset.objects.values_list("pk", flat=True)) == before
    assert get_user_model().objects.get(username="alice").check_password("s3cret-pass-999")


@pytest.mark.django_db
def test_if_empty_leaves_an_existing_users_library_alone(user):
    AssetFactory(owner=user)

    output = run_seed("--if-empty", "--username", user.username)

    assert "nothing to do" in output
    assert Asset.objects.owned_by(user).count() == 1
    user.refresh_from_db()
    assert not user.is_staff


@pytest.mark.django_db
def test_a_failed_run_leaves_neither_rows_nor_files(settings, monkeypatch):
    def broken_trash(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(library, "assets_trash", broken_trash)

    with pytest.raises(RuntimeError):
        run_seed("--assets", "12")

    assert not Asset.objects.exists()
    assert not [path for path in Path(settings.MEDIA_ROOT).rglob("*") if path.is_file()]


@pytest.mark.django_db
def test_too_few_assets_is_refused():
    with pytest.raises(CommandError, match="at least"):
        run_seed("--assets", "3")
    assert not Asset.objects.exists()


def test_the_default_plan_is_a_believable_library():
    plan = build_plan(count=240, seed=42, now=timezone.now(), video_clips=list(VIDEO_CLIPS))

    assert len(plan) == 240
    assert {p.source_module for p in plan} == set(KNOWN_MODULES)
    assert len({p.model for p in plan if p.model}) >= 8
    statuses = [p.status for p in plan]
    assert statuses.count(AssetStatus.COMPLETED) > 0.7 * len(plan)
    assert all(p.error_message for p in plan if p.status == AssetStatus.FAILED)
    assert sum(p.trash for p in plan) == 5
    assert 10 <= sum(p.is_favorite for p in plan) <= 60
    children = [p for p in plan if p.parent_index is not None]
    assert any(p.type == AssetType.IMAGE for p in children)
    assert all(plan[p.parent_index].created_at < p.created_at for p in children)
    assert all(2 <= len(p.tags) <= 5 for p in plan)
    spread = max(p.created_at for p in plan) - min(p.created_at for p in plan)
    assert timedelta(days=60) < spread <= timedelta(days=90)


def test_the_plan_depends_only_on_the_seed():
    now = timezone.now()
    clips = list(VIDEO_CLIPS)

    def summary(seed):
        plan = build_plan(count=40, seed=seed, now=now, video_clips=clips)
        return [(p.type, p.status, p.title, tuple(p.tags), p.cost, p.text, p.image, p.audio) for p in plan]

    assert summary(5) == summary(5)
    assert summary(5) != summary(6)


@pytest.mark.parametrize("clip", VIDEO_CLIPS, ids=lambda clip: clip.file_name)
def test_the_committed_clips_are_small_videos(clip):
    data = (DEMO_MEDIA_DIR / clip.file_name).read_bytes()

    mime, asset_type, ext = classify(data[:SNIFF_BYTES], name=clip.file_name)

    assert asset_type == AssetType.VIDEO
    assert ext == clip.file_name.rsplit(".", 1)[1]
    assert mime == {"mp4": "video/mp4", "webm": "video/webm"}[ext]
    assert 0 < len(data) < 60_000


def test_the_committed_clips_stay_small_and_distinct():
    sizes = [(DEMO_MEDIA_DIR / clip.file_name).stat().st_size for clip in VIDEO_CLIPS]
    checksums = {
        hashlib.sha256((DEMO_MEDIA_DIR / clip.file_name).read_bytes()).digest()
        for clip in VIDEO_CLIPS
    }

    assert sum(sizes) < 300_000
    assert len(checksums) == len(VIDEO_CLIPS)


@pytest.mark.django_db
def test_the_demo_trash_was_filled_over_time_within_the_retention(settings):
    run_seed("--assets", "96", "--seed", "3")
    trashed = list(Asset.objects.owned_by(get_user_model().objects.get(username="demo")).trashed())
    assert len(trashed) >= 2
    now = timezone.now()
    ages = {round((now - asset.deleted_at).total_seconds() / 3600) for asset in trashed}
    assert len(ages) == len(trashed), "each item went to the trash at its own time"
    for asset in trashed:
        assert asset.created_at < asset.deleted_at < now - timedelta(minutes=1)
        assert now - asset.deleted_at < timedelta(days=settings.TRASH_RETENTION_DAYS)
