"""PostgreSQL keeps the statistics' rollups right, whichever way assets and events change.

Each test changes the library through a real write path, then checks the rollups against
a recount from scratch (rollups_rebuild). SQLite keeps no rollups (the statistics count
the rows there: test_stats_ranges.py runs on both).
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from analytics import rollups
from analytics.models import DayModelTotals, DayTotals, OwnerTotals, SlotTotals, UsageEvent, UsageEventKind
from analytics.selectors import StatsParams, stats_for
from assets import services
from assets.models import Asset, AssetStatus, AssetType
from assets.tests.factories import AssetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture(autouse=True)
def _postgres(db):
    from django.db import connection

    from conftest import require_service

    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://...")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def snapshot() -> dict:
    """Every non-zero rollup row, as comparable tuples."""
    return {
        "owner": sorted(
            (r.owner_id, r.type, r.status, r.source_module, r.assets, r.cost.quantize(Decimal("0.0001")), r.favorites,
             r.downloads, r.shares, r.storage_bytes, r.used, r.unused_cost.quantize(Decimal("0.0001")))
            for r in OwnerTotals.objects.exclude(assets=0, favorites=0, downloads=0, shares=0, storage_bytes=0)
        ),
        "days": sorted(
            (r.owner_id, r.day, r.type, r.status, r.source_module, r.assets, r.cost.quantize(Decimal("0.0001")),
             r.favorites, r.downloads, r.shares, r.storage_bytes)
            for r in DayTotals.objects.exclude(assets=0, cost=0, favorites=0, downloads=0, shares=0, storage_bytes=0)
        ),
        "models": sorted(
            (r.owner_id, r.day, r.model, r.assets, r.cost.quantize(Decimal("0.0001")))
            for r in DayModelTotals.objects.exclude(assets=0, cost=0)
        ),
        "slots": sorted(
            (r.owner_id, r.slot, r.assets, r.cost.quantize(Decimal("0.0001")), r.downloads, r.shares)
            for r in SlotTotals.objects.exclude(assets=0, cost=0, downloads=0, shares=0)
        ),
    }


def assert_matches_a_recount():
    kept = snapshot()
    rollups.rollups_rebuild()
    assert kept == snapshot()


@pytest.fixture
def assets(edge_assets):
    assert_matches_a_recount()
    return edge_assets


def test_new_assets_are_counted_by_day_model_and_quarter_hour(user, assets):
    day = DayTotals.objects.get(owner=user, day=dt.date(2024, 1, 10))
    assert (day.type, day.status, day.source_module) == ("image", "completed", "image_studio")
    assert (day.assets, day.cost, day.favorites, day.storage_bytes) == (2, Decimal("0.0650"), 1, 3000)
    assert DayModelTotals.objects.get(owner=user, day=dt.date(2024, 1, 10), model="flux-pro").assets == 2
    slots = SlotTotals.objects.filter(owner=user).order_by("slot")
    assert [(s.slot, s.assets) for s in slots] == [
        (at("2024-01-10T12:00:00+00:00"), 2),
        (at("2024-02-29T23:45:00+00:00"), 1),
    ]


def test_usages_move_assets_between_used_and_unused_and_count_over_time(user, assets):
    from assets.models import AssetUsage
    from assets.selectors import asset_listing
    from assets.usages import usage_delete, usage_record

    first, second = assets[0], assets[1]
    for ref in ("a", "b"):
        usage_record(asset=first, source_module="blog_writer", kind="published", target_title=ref, external_ref=ref)
    usage_record(asset=second, source_module="linkedin_writer", kind="attached", target_title="Post")
    day = DayTotals.objects.get(owner=user, day=dt.date(2024, 1, 10))
    assert (day.used, day.unused_cost) == (2, Decimal("0"))
    assert OwnerTotals.objects.get(owner=user, type="image", status="completed", source_module="image_studio").used == 2
    assert sum(SlotTotals.objects.filter(owner=user).values_list("usages", flat=True)) == 3
    assert asset_listing(owner=user, params={"used": "true"}).counted() == (2, True)
    assert asset_listing(owner=user, params={"used": "false"}).counted() == (1, True)
    assert_matches_a_recount()

    usage_delete(usage=AssetUsage.objects.filter(asset=second).get())
    day = DayTotals.objects.get(owner=user, day=dt.date(2024, 1, 10))  # the recount made new rows
    assert (day.used, day.unused_cost) == (1, Decimal("0.0250"))
    services.assets_trash(owner=user, ids=[first.pk])
    day.refresh_from_db()
    assert (day.used, day.assets) == (0, 1)
    assert sum(SlotTotals.objects.filter(owner=user).values_list("usages", flat=True)) == 3  # history stays
    totals = stats_for(owner=user, params=StatsParams())["totals"]
    assert (totals["used"], totals["unused"], totals["unused_cost"]) == (0, 2, Decimal("0.0260"))
    assert_matches_a_recount()


def test_edits_move_an_asset_between_groups(user, assets):
    services.asset_update(asset=assets[0], title="Renamed", is_favorite=True)
    assert_matches_a_recount()
    Asset.objects.filter(pk=assets[0].pk).update(
        status=AssetStatus.FAILED, model="flux-schnell", cost=Decimal("0.5"), file_size=10
    )
    assert_matches_a_recount()
    assert DayModelTotals.objects.get(owner=user, model="flux-schnell").assets == 1


def test_bulk_edits_trash_restore_and_purge(user, assets):
    mine = Asset.objects.owned_by(user)
    services.assets_bulk_update(owner=user, assets=mine, is_favorite=True)
    assert_matches_a_recount()

    services.assets_trash(owner=user, ids=[assets[0].pk, assets[2].pk])
    assert_matches_a_recount()
    assert stats_for(owner=user, params=StatsParams())["totals"]["assets"] == 1

    services.assets_restore(owner=user, ids=[assets[0].pk])
    assert_matches_a_recount()

    services.assets_delete_permanently(owner=user, ids=[assets[0].pk, assets[2].pk])
    assert_matches_a_recount()
    assert stats_for(owner=user, params=StatsParams())["totals"]["assets"] == 1


def test_downloads_and_shares_count_on_assets_and_in_the_timeline(user, assets):
    services.asset_record_download(asset=assets[0])
    services.assets_record_downloads(owner=user, asset_ids=[assets[0].pk, assets[1].pk])
    services.assets_record_shared(owner=user, asset_ids=[assets[1].pk])
    assert_matches_a_recount()
    assert sum(SlotTotals.objects.filter(owner=user).values_list("downloads", flat=True)) == 3
    assert sum(DayTotals.objects.filter(owner=user).values_list("shares", flat=True)) == 1

    # Events are history: backdating one moves it; purging its asset keeps it (asset NULL).
    event = UsageEvent.objects.filter(kind=UsageEventKind.SHARED).get()
    UsageEvent.objects.filter(pk=event.pk).update(created_at=at("2023-06-01T08:20:00+00:00"))
    assert_matches_a_recount()
    services.assets_delete_permanently(owner=user, ids=[assets[1].pk])
    assert_matches_a_recount()
    assert SlotTotals.objects.get(owner=user, slot=at("2023-06-01T08:15:00+00:00")).shares == 1


def test_deleting_a_user_brings_their_rollups_to_zero_and_compact_removes_them(user, other_user, assets):
    services.asset_record_download(asset=assets[0])
    others = snapshot()
    get_user_model().objects.filter(pk=user.pk).delete()

    assert not any(row[0] == user.pk for rows in snapshot().values() for row in rows)
    assert {key: [row for row in rows if row[0] == other_user.pk] for key, rows in others.items()} == snapshot()
    assert rollups.rollups_compact() > 0
    assert not DayTotals.objects.filter(owner_id=user.pk).exists()
    assert not SlotTotals.objects.filter(owner_id=user.pk).exists()
    assert_matches_a_recount()


def test_compact_keeps_every_row_that_counts(user, assets):
    services.assets_trash(owner=user, ids=[assets[2].pk])
    before = snapshot()
    removed = rollups.rollups_compact()
    assert removed == 4  # the owner's, day's, model-day's and slot's rows of the trashed asset
    assert snapshot() == before


def test_rebuild_of_one_owner_leaves_the_others_alone(user, other_user, assets):
    DayTotals.objects.filter(owner=other_user).update(assets=99)
    DayTotals.objects.filter(owner=user).update(assets=42)
    rollups.rollups_rebuild(owner=user)
    assert DayTotals.objects.get(owner=user, day=dt.date(2024, 1, 10)).assets == 2
    assert DayTotals.objects.get(owner=other_user).assets == 99


def test_rebuild_stats_command(user, assets, capsys):
    DayTotals.objects.all().delete()
    call_command("rebuild_stats")
    assert "rebuilt" in capsys.readouterr().out
    assert_matches_a_recount()
    assert DayTotals.objects.filter(owner=user).exists()


def test_services_create_and_edit_through_the_api_path(user, png_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    result = services.asset_create(
        owner=user, source_module="image_studio", model="ideogram-v3-turbo", cost="0.08",
        file=SimpleUploadedFile("a.png", png_bytes, content_type="image/png"),
    )
    assert_matches_a_recount()
    services.asset_update(asset=result.asset, cost="0.10")
    assert_matches_a_recount()
    totals = stats_for(owner=user, params=StatsParams())["totals"]
    assert (totals["assets"], totals["cost"], totals["storage_bytes"]) == (1, Decimal("0.1000"), len(png_bytes))


def test_beat_compacts_the_rollups_daily(settings, user, assets):
    from analytics.tasks import compact_stats

    assert settings.CELERY_BEAT_SCHEDULE["compact-stats"]["task"] == "analytics.tasks.compact_stats"
    services.assets_trash(owner=user, ids=[assets[2].pk])
    assert compact_stats.delay().get() == 4
    assert compact_stats.delay().get() == 0


def test_the_triggers_are_the_ones_the_models_declare(user, assets):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_rollups_%%' AND tgenabled = 'O'")
        assert cursor.fetchone()[0] == 6
        cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'analytics_rollups_%%'")
        assert cursor.fetchone()[0] == 0  # the hand-written ones of earlier versions are gone
    AssetFactory(owner=user, created_at=at("2024-03-01T10:00:00+00:00"))
    assert DayTotals.objects.filter(owner=user, day=dt.date(2024, 3, 1)).exists()
    assert_matches_a_recount()


def test_a_range_inside_days_costs_a_fixed_number_of_queries(user, assets, django_assert_num_queries):
    params = StatsParams(created_after=at("2024-01-09T18:15:00+05:45"), created_before=at("2024-02-29T12:00:00+00:00"))
    # Three rollups; the partial days' assets (totals, models, timeline) and events; the top lists (one query).
    with django_assert_num_queries(8):
        stats_for(owner=user, params=params)


def test_costs_that_cancel_out_leave_no_residue_and_no_empty_periods(user):
    start = at("2024-01-01T10:00:00+00:00")
    a = AssetFactory(owner=user, file="", type=AssetType.TEXT, text_content="x", cost="0.1000", created_at=start)
    b = AssetFactory(owner=user, file="", type=AssetType.TEXT, text_content="x", cost="0.2000", created_at=start)
    AssetFactory(owner=user, file="", type=AssetType.TEXT, text_content="x", cost="0.7000",
                 created_at=start + dt.timedelta(days=30))
    services.assets_trash(owner=user, ids=[b.pk])
    services.assets_trash(owner=user, ids=[a.pk])

    assert {row.cost for row in DayTotals.objects.filter(owner=user, assets=0)} <= {Decimal("0")}
    over_time = stats_for(owner=user, params=StatsParams(period="day"))["over_time"]
    assert over_time[0]["period_start"].date() == dt.date(2024, 1, 31)  # not the emptied 1 January
    assert rollups.rollups_compact() == 3  # the day's, model-day's and slot's rows of 1 January


@pytest.mark.django_db(transaction=True)
def test_reversing_the_migration_removes_the_triggers_for_good(user, assets):
    from django.db import connection

    def installed():
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'pgtrigger_rollups_%%'")
            return cursor.fetchone()[0]

    call_command("migrate", "analytics", "0004", verbosity=0)
    try:
        assert installed() == 0
    finally:
        call_command("migrate", verbosity=0)
    assert installed() == 6
    assert_matches_a_recount()


@pytest.mark.django_db(transaction=True)
def test_a_later_migration_may_rebuild_a_rollup_table(user, assets):
    """Triggers naming a rollup table are not in the way of altering it."""
    from django.db import connection, models

    with connection.schema_editor() as editor:
        old = DayTotals._meta.get_field("cost")
        new = models.DecimalField(max_digits=26, decimal_places=4, default=0)
        new.set_attributes_from_name("cost")
        new.model = DayTotals
        editor.alter_field(DayTotals, old, new)

    AssetFactory(owner=user, created_at=at("2024-03-01T10:00:00+00:00"))
    assert_matches_a_recount()
