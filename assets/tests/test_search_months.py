"""A search within dates (`q` with `date`, `created_after`, `created_before`).

On PostgreSQL each search row holds the month its asset was created in ("0month=2026-09",
UTC), and a search within a few months asks the index for their matches only; the exact
bounds (in the caller's `tz`) are then tested on those rows. Everywhere, the answers are
those of the date filters over the assets.
"""

import datetime as dt

import pytest

from assets import search, services
from assets.models import Asset, AssetSearch
from assets.tests.factories import AssetFactory
from assets.tests.listing import filter_lexemes, found, ids, search_rows_rewritten_alike

on_postgres = pytest.mark.usefixtures("require_postgres")


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text).replace(tzinfo=dt.UTC)


def month_marks(asset) -> list[str]:
    return filter_lexemes(asset, "0month=")


@pytest.fixture
def library(api, other_api):
    user = api.user

    def made(title, created, owner=user):
        asset = AssetFactory(owner=owner, bare=True, title=title)
        Asset.objects.filter(pk=asset.pk).update(created_at=at(created))
        return Asset.objects.get(pk=asset.pk)

    return {
        "august": made("Misty field in August", "2026-08-15T12:00:00"),
        "last_of_september": made("Misty harbour", "2026-09-30T23:30:00"),  # October 1st in Tokyo
        "first_of_october": made("Misty pier", "2026-10-01T03:00:00"),  # September 30th in Los Angeles
        "october": made("Misty lighthouse", "2026-10-20T08:00:00"),
        "december": made("Misty cliffs", "2026-12-01T00:00:00"),
        "march": made("Misty dunes", "2027-03-01T09:00:00"),
        "other_word": made("Sunny beach", "2026-10-02T10:00:00"),
        "trashed": made("Misty bay", "2026-10-03T10:00:00"),
        "elsewhere": made("Misty harbour", "2026-10-02T10:00:00", owner=other_api.user),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("params", "expected"), [
    ({"date": "2026-09-30", "tz": "America/Los_Angeles"}, ("last_of_september", "first_of_october")),
    ({"date": "2026-10-01", "tz": "Asia/Tokyo"}, ("last_of_september", "first_of_october")),
    ({"date": "2026-10-01"}, ("first_of_october",)),
    ({"created_after": "2026-10-01T00:00:00Z"}, ("first_of_october", "october", "december", "march")),
    ({"created_after": "2026-10-01T00:00:00Z", "created_before": "2026-12-01T00:00:00Z"},
     ("first_of_october", "october")),
    # Midnight in Paris is 22:00 UTC the day before in October, 23:00 in December.
    ({"created_after": "2026-10-01", "created_before": "2026-12-02", "tz": "Europe/Paris"},
     ("last_of_september", "first_of_october", "october", "december")),
    ({"created_before": "2026-10-01T00:00:00Z"}, ("august", "last_of_september")),
    ({"created_after": "2026-12-15T00:00:00Z"}, ("march",)),
    ({"created_after": "2027-04-01T00:00:00Z"}, ()),
    ({"created_after": "2026-10-05T00:00:00Z", "created_before": "2026-10-05T00:00:00Z"}, ()),
])
def test_a_search_within_dates_finds_what_the_date_filters_select(api, library, params, expected):
    services.assets_trash(owner=api.user, ids=[library["trashed"].pk])

    assert found(api, q="misty", **params) == ids(library, *expected)
    assert found(api, q="mist", type="image,video,audio,text", **params) == ids(library, *expected)


@pytest.mark.django_db
def test_the_months_a_search_is_narrowed_to(api):
    owner = api.user.pk
    months = search.searched_months

    assert months(owner, at("2026-09-15T00:00:00"), at("2026-10-02T00:00:00")) == ["2026-09", "2026-10"]
    assert months(owner, at("2026-09-15T00:00:00"), at("2026-10-01T00:00:00")) == ["2026-09"]  # exclusive end
    assert months(owner, at("2026-11-20T00:00:00"), at("2027-02-10T00:00:00")) == [
        "2026-11", "2026-12", "2027-01", "2027-02"]
    assert months(owner, at("2026-11-20T00:00:00"), at("2027-03-10T00:00:00")) == []  # too many to help
    # Bounds in another zone are months of UTC: 01:00 in Paris on October 1st is in September.
    paris = dt.timezone(dt.timedelta(hours=2))
    assert months(owner, dt.datetime(2026, 10, 1, 1, tzinfo=paris), dt.datetime(2026, 10, 2, tzinfo=paris)) == [
        "2026-09", "2026-10"]
    assert months(owner, None, None) == []


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_an_open_end_is_the_owners_first_or_last_month(api, library):
    owner = api.user.pk

    assert search.searched_months(owner, at("2026-12-15T00:00:00"), None) == [
        "2026-12", "2027-01", "2027-02", "2027-03"]
    assert search.searched_months(owner, None, at("2026-10-01T00:00:00")) == ["2026-08", "2026-09"]
    assert search.searched_months(owner, at("2026-10-15T00:00:00"), None) == []  # six months
    assert search.searched_months(other_owner := library["elsewhere"].owner_id, None, at("2026-11-01T00:00:00")) == [
        "2026-10"]
    assert other_owner != owner


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_each_search_row_holds_its_month_and_follows_the_creation_time(library):
    assert month_marks(library["last_of_september"]) == ["0month=2026-09"]
    assert month_marks(library["first_of_october"]) == ["0month=2026-10"]

    Asset.objects.filter(pk=library["august"].pk).update(created_at=at("2026-11-02T00:00:00"))
    assert month_marks(library["august"]) == ["0month=2026-11"]


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_the_migration_marks_the_search_rows_there_are(library):
    def unmarked():
        assert all(not month_marks(asset) for asset in library.values())
        assert not AssetSearch.objects.filter(vector__contains="0cost=").exists()

    assert search_rows_rewritten_alike("0036_search_rows_know_months_and_costs", undo="UNMARK_MONTHS_AND_COSTS",
                                       redo="MARK_MONTHS_AND_COSTS", undone=unmarked)
