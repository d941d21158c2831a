"""The statistics count exactly what the assets say, for ranges cut anywhere: from the
rollups and the partial days' rows on PostgreSQL, from the rows alone on SQLite."""

import datetime as dt
from decimal import Decimal

import pytest

from analytics.selectors import StatsParams, stats_for
from assets import services
from assets.models import Asset

pytestmark = pytest.mark.django_db


def at(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


@pytest.fixture
def assets(edge_assets):
    return edge_assets


@pytest.mark.parametrize("after, before", [
    ("2024-01-09T18:15:00+05:45", "2024-01-11T10:37:00+05:45"),  # both ends inside UTC days
    ("2024-01-10T00:00:00+00:00", "2024-01-12T00:00:00+00:00"),  # whole UTC days only
    ("2024-01-10T12:10:00+00:00", "2024-01-10T12:20:00+00:00"),  # inside one slot
    (None, "2024-01-10T12:14:59+00:00"),
    ("2024-01-10T12:14:59+00:00", None),
])
def test_ranges_cut_anywhere_count_exactly_what_the_assets_say(user, assets, after, before):
    from zoneinfo import ZoneInfo

    services.asset_record_download(asset=assets[1])
    params = StatsParams(period="day", tz=ZoneInfo("Asia/Kathmandu"),
                         created_after=at(after) if after else None, created_before=at(before) if before else None)
    expected = Asset.objects.owned_by(user).alive()
    if after:
        expected = expected.filter(created_at__gte=at(after))
    if before:
        expected = expected.filter(created_at__lt=at(before))

    stats = stats_for(owner=user, params=params)

    assert stats["totals"]["assets"] == expected.count()
    assert stats["totals"]["cost"] == sum((a.cost for a in expected), Decimal("0"))
    assert stats["totals"]["downloads"] == sum(a.download_count for a in expected)
    assert sum(row["assets"] for row in stats["over_time"]) == expected.count()
    assert sum(row["count"] for row in stats["top_models"]) == expected.exclude(model="").count()



@pytest.mark.parametrize("params", [
    {"created_after": "9999-12-31T12:00:00Z"},
    {"created_after": "9999-12-30T12:00:00Z", "created_before": "9999-12-31T12:00:00Z", "period": "day"},
    {"created_before": "0001-01-01T12:00:00Z", "period": "day"},
    {"created_after": "0001-01-01T12:00:00Z", "created_before": "0001-01-03T00:00:00Z", "period": "day"},
])
def test_ranges_at_the_ends_of_the_calendar_answer(api, assets, params):
    response = api.get("/api/v1/stats/", params)
    assert response.status_code == 200, response.content[:200]
    assert response.json()["totals"]["assets"] == 0


