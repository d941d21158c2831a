import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from analytics.rollups import rollups_kept
from analytics.selectors import MAX_PERIODS, StatsParams, never_used, stats_for, stats_over_time
from analytics.tests.conftest import at, library_totals
from analytics.tests.factories import UsageEventFactory
from assets import services
from assets.tests.factories import AssetFactory

TOKYO = ZoneInfo("Asia/Tokyo")
D = Decimal


def download(asset):
    services.asset_record_download(asset=asset)


def _ids(assets):
    return [asset.pk for asset in assets]


@pytest.mark.django_db
def test_stats_of_a_known_library(user, library, library_activity):
    library_activity(download, download)

    stats = stats_for(
        owner=user, params=StatsParams(period="month", tz=TOKYO, created_before=at("2024-05-01T00:00:00+09:00"))
    )

    assert stats["totals"] == library_totals(D)
    assert stats["cost_by_type"] == {"image": D("0.1350"), "video": D("1.2500"), "audio": D("0.3000"),
                                     "text": D("0.0123")}
    assert stats["cost_by_module"] == {"image_studio": D("0.1350"), "video_studio": D("1.2500"),
                                       "podcast_maker": D("0.3000"), "story_writer": D("0.0123"), "upload": D("0")}
    # gpt-4o and ideogram both have two assets: the costlier comes first.
    assert stats["top_models"] == [
        {"model": "gpt-4o", "count": 2, "cost": D("0.3123")},
        {"model": "ideogram-v3-turbo", "count": 2, "cost": D("0.0800")},
        {"model": "veo-3", "count": 1, "cost": D("1.2500")},
        {"model": "flux-pro", "count": 1, "cost": D("0.0550")},
    ]
    assert stats["top_modules"] == [
        {"source_module": "image_studio", "count": 3, "cost": D("0.1350")},
        {"source_module": "video_studio", "count": 1, "cost": D("1.2500")},
        {"source_module": "podcast_maker", "count": 1, "cost": D("0.3000")},
        {"source_module": "story_writer", "count": 1, "cost": D("0.0123")},
        {"source_module": "upload", "count": 1, "cost": D("0")},
    ]
    assert _ids(stats["most_downloaded"]) == [library.lighthouse.pk, library.story.pk]
    assert _ids(stats["most_shared"]) == [library.podcast.pk, library.lighthouse.pk]
    assert _ids(stats["most_used"]) == [library.lighthouse.pk, library.podcast.pk]
    assert stats["over_time"] == [
        {"period_start": dt.datetime(2024, 1, 1, tzinfo=TOKYO), "assets": 1, "cost": D("0.0400"),
         "downloads": 0, "shares": 0, "usages": 0},
        # dusk (31 Jan 23:30 UTC) and lighthouse's downloads (23:45 UTC) are February in Tokyo; the
        # trashed asset's download and usage count here although the asset is not in the totals.
        {"period_start": dt.datetime(2024, 2, 1, tzinfo=TOKYO), "assets": 3, "cost": D("0.0950"),
         "downloads": 4, "shares": 0, "usages": 3},
        {"period_start": dt.datetime(2024, 3, 1, tzinfo=TOKYO), "assets": 0, "cost": D("0"),
         "downloads": 0, "shares": 0, "usages": 0},
        {"period_start": dt.datetime(2024, 4, 1, tzinfo=TOKYO), "assets": 3, "cost": D("1.5623"),
         "downloads": 1, "shares": 3, "usages": 1},
    ]


@pytest.mark.django_db
def test_the_whole_library_agrees_with_a_range_that_holds_all_of_it(user, library, library_activity):
    # Without a range, the totals come from the owner's rollup (PostgreSQL), not the days'.
    library_activity(download, download)
    library.podcast.is_favorite = True
    library.podcast.save(update_fields=["is_favorite"])

    whole = stats_for(owner=user, params=StatsParams(tz=TOKYO))
    ranged = stats_for(owner=user, params=StatsParams(
        tz=TOKYO, created_after=at("2000-01-01T00:00:00+00:00"), created_before=at("2100-01-01T00:00:00+00:00"),
    ))

    for key in ("totals", "cost_by_type", "cost_by_module", "top_models", "top_modules"):
        assert whole[key] == ranged[key], key
    assert whole["totals"]["favorites"] >= 1
    assert whole["totals"]["downloads"] == ranged["totals"]["downloads"] > 0
    assert whole["totals"]["unused_cost"] == ranged["totals"]["unused_cost"]


@pytest.mark.django_db
def test_never_used_before_any_cutoff_agrees_with_the_assets(user, other_user):
    from assets.usages import usage_record

    today = dt.datetime.now(tz=dt.UTC).replace(hour=12)
    ages = (0, 3, 10, 40, 200, 400, 800)
    for number, days in enumerate(ages):
        for used in (False, True):
            asset = AssetFactory(owner=user, cost=D("0.01") * (number + 1), created_at=today - dt.timedelta(days=days))
            if used:
                usage_record(asset=asset, source_module="blog_writer", kind="published", target_title="Post")
    trashed = AssetFactory(owner=user, cost=D("5"), created_at=today - dt.timedelta(days=50))
    services.assets_trash(owner=user, ids=[trashed.pk])
    AssetFactory(owner=other_user, cost=D("7"), created_at=today - dt.timedelta(days=50))

    def expected(cutoff_days):
        kept = [(number, days) for number, days in enumerate(ages) if cutoff_days is None or days > cutoff_days]
        return {"assets": len(kept), "cost": sum((D("0.01") * (number + 1) for number, _ in kept), D("0"))}

    assert never_used(owner=user) == expected(None)
    # Recent cutoffs (the owner's totals less the days since) and old ones (the days before).
    for cutoff_days in (0, 1, 5, 30, 365, 367, 500, 2000):
        cutoff = today.date() - dt.timedelta(days=cutoff_days)
        assert never_used(owner=user, created_before=cutoff) == expected(cutoff_days), cutoff_days


@pytest.mark.django_db
def test_days_across_a_month_boundary_depend_on_the_time_zone(user, library, library_activity):
    library_activity(download, download)
    utc = ZoneInfo("UTC")

    def days(tz):
        params = StatsParams(
            period="day", tz=tz,
            created_after=dt.datetime(2024, 1, 31, tzinfo=tz), created_before=dt.datetime(2024, 2, 3, tzinfo=tz),
        )
        return [(row["period_start"], row["assets"], row["cost"], row["downloads"]) for row in
                stats_over_time(owner=user, params=params)]

    assert days(TOKYO) == [
        (dt.datetime(2024, 1, 31, tzinfo=TOKYO), 0, D("0"), 0),
        (dt.datetime(2024, 2, 1, tzinfo=TOKYO), 1, D("0.0400"), 3),
        (dt.datetime(2024, 2, 2, tzinfo=TOKYO), 0, D("0"), 0),
    ]
    assert days(utc) == [
        (dt.datetime(2024, 1, 31, tzinfo=utc), 1, D("0.0400"), 3),
        (dt.datetime(2024, 2, 1, tzinfo=utc), 0, D("0"), 0),
        (dt.datetime(2024, 2, 2, tzinfo=utc), 0, D("0"), 0),
    ]


@pytest.mark.django_db
def test_weeks_start_on_monday_across_a_daylight_saving_change(user):
    new_york = ZoneInfo("America/New_York")
    AssetFactory(owner=user, cost="0.1000", created_at=at("2024-03-10T12:00:00-04:00"))  # Sunday, after the change
    AssetFactory(owner=user, cost="0.2000", created_at=at("2024-03-11T00:30:00-04:00"))  # Monday

    rows = stats_over_time(owner=user, params=StatsParams(
        period="week", tz=new_york,
        created_after=dt.datetime(2024, 2, 28, tzinfo=new_york),
        created_before=dt.datetime(2024, 3, 12, tzinfo=new_york),
    ))

    assert [(row["period_start"].isoformat(), row["assets"], row["cost"]) for row in rows] == [
        ("2024-02-26T00:00:00-05:00", 0, D("0")),
        ("2024-03-04T00:00:00-05:00", 1, D("0.1000")),
        ("2024-03-11T00:00:00-04:00", 1, D("0.2000")),
    ]


@pytest.mark.django_db
def test_the_range_bounds_the_totals_and_the_periods(user, library, library_activity):
    library_activity(download, download)

    stats = stats_for(owner=user, params=StatsParams(
        period="month", tz=TOKYO,
        created_after=at("2024-02-01T00:00:00+09:00"), created_before=at("2024-04-01T00:00:00+09:00"),
    ))

    assert stats["totals"]["assets"] == 3  # dusk, failed, upload
    assert stats["totals"]["cost"] == D("0.0950")
    assert stats["totals"]["downloads"] == 0 and stats["totals"]["shares"] == 0
    assert stats["most_downloaded"] == [] and stats["most_shared"] == []
    assert [row["period_start"].month for row in stats["over_time"]] == [2, 3]
    assert stats["over_time"][0]["downloads"] == 4


@pytest.mark.django_db
def test_stats_never_include_another_owners_data(other_user, library, library_activity):
    library_activity(download, download)

    stats = stats_for(owner=other_user, params=StatsParams(created_before=at("2024-03-01T00:00:00+00:00")))

    assert stats["totals"]["assets"] == 1
    assert stats["totals"]["by_module"] == {"image_studio": 1}
    assert stats["totals"]["cost"] == D("5.0000")
    assert stats["totals"]["downloads"] == 1 and stats["totals"]["shares"] == 0
    assert stats["top_models"] == [{"model": "gpt-4o", "count": 1, "cost": D("5.0000")}]
    assert _ids(stats["most_downloaded"]) == [library.theirs.pk]
    assert [(row["period_start"].month, row["assets"], row["downloads"]) for row in stats["over_time"]] == [(2, 1, 1)]


@pytest.mark.django_db
def test_an_empty_library(user):
    stats = stats_for(owner=user, params=StatsParams())

    assert stats["totals"] == {
        "assets": 0, "by_type": {"image": 0, "video": 0, "audio": 0, "text": 0},
        "by_status": {"pending": 0, "processing": 0, "completed": 0, "failed": 0}, "by_module": {},
        "favorites": 0, "downloads": 0, "shares": 0, "cost": D("0"), "storage_bytes": 0,
        "used": 0, "unused": 0, "unused_cost": D("0"),
    }
    assert stats["most_used"] == []
    assert stats["cost_by_type"] == {"image": 0, "video": 0, "audio": 0, "text": 0}
    assert stats["over_time"] == []


@pytest.mark.django_db
def test_without_a_range_the_periods_run_from_the_first_data_to_now(user):
    now = dt.datetime.now(tz=dt.UTC)
    UsageEventFactory(asset__owner=user, kind="downloaded", created_at=now - dt.timedelta(days=2))

    rows = stats_over_time(owner=user, params=StatsParams(period="day"))

    assert rows[0]["period_start"].date() == (now - dt.timedelta(days=2)).date()
    assert rows[-1]["period_start"].date() == now.date()
    assert [row["downloads"] for row in rows] == [1, 0, 0]
    # Only downloads and shares are activity over time; other events are not.
    assert sum(row["assets"] for row in rows) == 1


@pytest.mark.django_db
def test_assets_dated_after_now_get_periods_of_their_own(user):
    # An import or a module may date an asset in the future: the series runs on to it, and
    # each quarter hour still lands in its own period of the clock asked for.
    now = dt.datetime.now(tz=dt.UTC)
    later = now + dt.timedelta(days=75)
    AssetFactory(owner=user, cost=D("0.5"), created_at=later)
    AssetFactory(owner=user, cost=D("0.25"), created_at=now - dt.timedelta(days=40))
    UsageEventFactory(asset__owner=user, kind="shared", created_at=later)

    for params in (StatsParams(period="month", tz=TOKYO),
                   StatsParams(period="week", tz=TOKYO, created_after=now - dt.timedelta(days=60))):
        rows = stats_over_time(owner=user, params=params)
        by_period = {row["period_start"].date(): row for row in rows}
        future = by_period[_start(later.astimezone(TOKYO).date(), params.period)]
        assert (future["assets"], future["cost"], future["shares"]) == (1, D("0.5000"), 1)
        assert rows[-1] is future
        assert sum(row["assets"] for row in rows) == 3  # with the shared asset, made now
        assert {type(row[name]) for row in rows for name in ("assets", "downloads", "shares", "usages")} == {int}


def _start(day, period):
    return day.replace(day=1) if period == "month" else day - dt.timedelta(days=day.weekday())


@pytest.mark.django_db
def test_too_many_periods_is_an_error_on_period(user):
    params = StatsParams(period="day", created_after=at("1990-01-01T00:00:00+00:00"))

    with pytest.raises(ValidationError) as error:
        stats_over_time(owner=user, params=params)

    assert "period" in error.value.message_dict
    ten_years = StatsParams(
        period="day", created_after=at("2020-01-01T00:00:00+00:00"), created_before=at("2030-01-01T00:00:00+00:00")
    )
    assert len(stats_over_time(owner=user, params=ten_years)) == 3653 <= MAX_PERIODS


@pytest.mark.django_db
def test_a_fixed_number_of_queries_whatever_the_library_size(user, django_assert_num_queries):
    AssetFactory.create_batch(3, owner=user)
    # The rollups' three, the timeline's first quarter hour (no range given) and the top
    # lists, in one query (SQLite: the rows' four instead of the rollups', and the top lists
    # one by one).
    queries = 5 if rollups_kept() else 7
    with django_assert_num_queries(queries):
        stats_for(owner=user, params=StatsParams(period="day"))

    for asset in AssetFactory.create_batch(30, owner=user, model="other-model", source_module="blog_writer"):
        services.asset_record_download(asset=asset)
    services.assets_record_shared(owner=user, asset_ids=[a.pk for a in AssetFactory.create_batch(5, owner=user)])
    with django_assert_num_queries(queries):
        stats = stats_for(owner=user, params=StatsParams(period="day"))
    assert stats["totals"]["assets"] == 38
    assert len(stats["most_downloaded"]) == 10
