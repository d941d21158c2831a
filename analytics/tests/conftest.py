"""A known library to compute statistics over; every figure the tests expect follows from it."""

import datetime as dt
from types import SimpleNamespace

import pytest

from analytics.models import UsageEvent, UsageEventKind
from assets import services
from assets.models import AssetStatus, AssetType
from assets.tests.factories import AssetFactory
from assets.usages import usage_record


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def library(user, other_user):
    """Seven live assets, one trashed, and another owner's asset, created on fixed dates.

    Periods in Asia/Tokyo (UTC+9): `dusk` is created at 23:30 UTC on 31 January, which
    is 1 February in Tokyo; March has nothing at all.
    """

    def make(name, **fields):
        return AssetFactory(owner=user, title=name.capitalize(), **fields)

    assets = SimpleNamespace(
        lighthouse=make(
            "lighthouse", model="ideogram-v3-turbo", cost="0.0400", file_size=1000, is_favorite=True,
            created_at=at("2024-01-10T12:00:00+00:00"),
        ),
        dusk=make("dusk", model="ideogram-v3-turbo", cost="0.0400", file_size=2000,
                  created_at=at("2024-01-31T23:30:00+00:00")),
        failed=make("failed", model="flux-pro", cost="0.0550", status=AssetStatus.FAILED, file="",
                    error_message="Provider timeout.", created_at=at("2024-02-15T09:00:00+00:00")),
        upload=make("upload", source_module="upload", model="", provider="", cost="0", file_size=300,
                    created_at=at("2024-02-20T09:00:00+00:00")),
        story=make("story", type=AssetType.TEXT, source_module="story_writer", model="gpt-4o", provider="openai",
                   cost="0.0123", file_size=17, created_at=at("2024-04-05T10:00:00+00:00")),
        video=make("video", type=AssetType.VIDEO, source_module="video_studio", model="veo-3", cost="1.2500",
                   status=AssetStatus.PROCESSING, file="", created_at=at("2024-04-20T10:00:00+00:00")),
        podcast=make("podcast", type=AssetType.AUDIO, source_module="podcast_maker", model="gpt-4o", cost="0.3000",
                     file_size=5000, is_favorite=True, created_at=at("2024-04-21T10:00:00+00:00")),
        trashed=make("trashed", model="ideogram-v3-turbo", cost="9.0000", file_size=70000,
                     deleted_at=at("2024-02-12T00:00:00+00:00"), created_at=at("2024-02-10T00:00:00+00:00")),
        theirs=AssetFactory(owner=other_user, title="Theirs", model="gpt-4o", cost="5.0000", file_size=99999,
                            created_at=at("2024-02-01T00:00:00+00:00")),
    )
    return assets


@pytest.fixture
def library_activity(library, user):
    """Apply the library's downloads and shares with `download(asset)`, then date the events.

    lighthouse is downloaded 3 times, story once, the trashed asset once; podcast is shared
    twice and lighthouse once. The other owner downloads their own asset. Modules report
    lighthouse used twice (5 February), podcast once (22 April) and the trashed asset once
    (11 February, before it went to the trash).
    """

    def apply(download, download_theirs):
        for _ in range(3):
            download(library.lighthouse)
        download(library.story)
        download(library.trashed)
        download_theirs(library.theirs)
        assert services.assets_record_shared(owner=user, asset_ids=[library.lighthouse.pk, library.podcast.pk]) == 2
        assert services.assets_record_shared(owner=user, asset_ids=[library.podcast.pk, library.trashed.pk]) == 1

        def date(asset, kind, when):
            UsageEvent.objects.filter(asset=asset, kind=kind).update(created_at=at(when))

        date(library.lighthouse, UsageEventKind.DOWNLOADED, "2024-01-31T23:45:00+00:00")  # 1 Feb in Tokyo
        date(library.trashed, UsageEventKind.DOWNLOADED, "2024-02-11T00:00:00+00:00")
        date(library.story, UsageEventKind.DOWNLOADED, "2024-04-06T00:00:00+00:00")
        date(library.theirs, UsageEventKind.DOWNLOADED, "2024-02-02T00:00:00+00:00")
        UsageEvent.objects.filter(kind=UsageEventKind.SHARED).update(created_at=at("2024-04-21T15:00:00+00:00"))
        for asset, ref in ((library.lighthouse, "post-1"), (library.lighthouse, "post-2"), (library.podcast, "ep-1"),
                           (library.trashed, "old")):
            usage_record(asset=asset, source_module="blog_writer", kind="published", target_title=ref,
                         external_ref=ref)
        date(library.lighthouse, UsageEventKind.USED, "2024-02-05T00:00:00+00:00")
        date(library.podcast, UsageEventKind.USED, "2024-04-22T00:00:00+00:00")
        date(library.trashed, UsageEventKind.USED, "2024-02-11T00:00:00+00:00")

    return apply


@pytest.fixture
def edge_assets(user, other_user):
    """Four assets at the edges of slots, days and months (the last one another owner's)."""
    return [
        AssetFactory(owner=user, model="flux-pro", cost="0.0400", file_size=1000,
                     created_at=at("2024-01-10T12:07:00+00:00")),
        AssetFactory(owner=user, model="flux-pro", cost="0.0250", file_size=2000, is_favorite=True,
                     created_at=at("2024-01-10T12:14:59+00:00")),
        AssetFactory(owner=user, type=AssetType.TEXT, source_module="story_writer", model="gpt-4o", cost="0.0010",
                     file="", file_size=None, created_at=at("2024-02-29T23:59:59+00:00")),
        AssetFactory(owner=other_user, model="flux-pro", cost="1.0000", created_at=at("2024-01-10T12:00:00+00:00")),
    ]


def library_totals(money):
    """What `library` (with `library_activity`) adds up to, whole; `money` renders costs
    (str for the API's JSON, Decimal for the selectors)."""
    return {
        "assets": 7,
        "by_type": {"image": 4, "video": 1, "audio": 1, "text": 1},
        "by_status": {"pending": 0, "processing": 1, "completed": 5, "failed": 1},
        "by_module": {"image_studio": 3, "video_studio": 1, "podcast_maker": 1, "story_writer": 1, "upload": 1},
        "favorites": 2,
        "downloads": 4,
        "shares": 3,
        "cost": money("1.6973"),
        "storage_bytes": 8317,
        "used": 2,
        "unused": 5,
        "unused_cost": money("1.3573"),
    }
