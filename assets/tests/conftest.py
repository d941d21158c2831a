import datetime as dt

import pytest

from assets import services
from assets.models import AssetStatus, AssetType
from assets.tests.factories import AssetFactory
from assets.tests.samples import FFMPEG_SAMPLES, ffmpeg_bytes
from conftest import require_service


@pytest.fixture(scope="session")
def _ffmpeg_files(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("ffmpeg-samples")
    return {ext: ffmpeg_bytes(ext, workdir) for ext in FFMPEG_SAMPLES}


@pytest.fixture
def ffmpeg_sample(_ffmpeg_files):
    """`ffmpeg_sample("mp4")` -> bytes; skips (fails under CI=true) when ffmpeg cannot make it."""

    def get(ext: str) -> bytes:
        data = _ffmpeg_files[ext]
        if data is None:
            require_service("ffmpeg", f"could not generate a .{ext} sample")
        return data

    return get


@pytest.fixture
def ffmpeg_media():
    """`ffmpeg_media("mp4")` -> bytes of assets.tests.media_samples; skips locally (fails
    under CI=true) without ffmpeg."""
    from assets.tests.media_samples import media_sample

    def get(name: str) -> bytes:
        data = media_sample(name)
        if data is None:
            require_service("ffmpeg", f"could not generate the {name} sample")
        return data

    return get


# --- libraries shared by a module's outcome tests and test_query_plans.py ---------------------------

SEARCHED_AT = dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def search_library(api, other_user):
    """Keyword-search matches of every rank, ties on rank and on time, trash, another owner's
    matches, and assets that the other filters tell apart; created around SEARCHED_AT.
    Returns the owner's API client."""

    def make(owner, title, minutes=0, **fields):
        return AssetFactory(owner=owner, bare=True, title=title,
                            created_at=SEARCHED_AT + dt.timedelta(minutes=minutes), **fields)

    for index in range(9):
        make(api.user, "Lighthouse keeper" if index % 3 == 0 else "Harbour",
             description="a lighthouse by the sea" if index % 2 else "the sea", minutes=index % 4,
             is_favorite=index % 2 == 0, type="text" if index % 3 == 1 else "image",
             cost=f"0.{index}", tags=["night"] if index % 4 == 0 else [],
             model="ideogram-v3" if index % 2 else "flux-pro")
    make(api.user, "Lighthouse in the trash", trashed=True)
    make(api.user, "Lighthouse gone", minutes=5, trashed=True, is_favorite=True)
    for index in range(4):
        make(other_user, "Lighthouse of someone else", minutes=index, is_favorite=True)
    return api


@pytest.fixture
def rollup_library(user, other_user):
    """Five of the user's assets (the last one trashed) whose list counts the statistics'
    rollups can answer, and three of another owner's."""
    made = [
        AssetFactory(owner=user, type=AssetType.IMAGE, source_module="image_studio", is_favorite=True),
        AssetFactory(owner=user, type=AssetType.IMAGE, source_module="image_studio", status=AssetStatus.FAILED,
                     file=""),
        AssetFactory(owner=user, type=AssetType.TEXT, source_module="story_writer", file="", model="gpt-4o"),
        AssetFactory(owner=user, type=AssetType.TEXT, source_module="blog_writer", file="", is_favorite=True),
        AssetFactory(owner=user, type=AssetType.AUDIO, source_module="podcast_maker", status=AssetStatus.PENDING),
    ]
    AssetFactory.create_batch(3, owner=other_user, source_module="image_studio")
    services.assets_trash(owner=user, ids=[made[4].pk])
    return made


@pytest.fixture
def tagged_collection(api):
    """A collection of three "Lighthouse" assets tagged x and y, beside a fourth outside it
    (tagged z): a search in it with two tags must count each match once."""
    from assets.tests.factories import AssetFactory
    from collections_app.models import Collection, CollectionItem

    collection = Collection.objects.create(owner=api.user, name="c")
    for index in range(3):
        asset = AssetFactory(owner=api.user, file="", title=f"Lighthouse {index}", tags=["x", "y"])
        CollectionItem.objects.create(collection=collection, asset=asset)
    AssetFactory(owner=api.user, file="", title="Lighthouse", tags=["z"])
    return collection
