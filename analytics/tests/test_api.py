import csv
import datetime as dt
import io

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from analytics import selectors
from analytics.models import UsageEvent
from analytics.rollups import rollups_kept
from analytics.tests.conftest import library_totals
from assets import services
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

STATS = "/api/v1/stats/"
EXPORT = "/api/v1/stats/export.csv"
KNOWN = {"period": "month", "tz": "Asia/Tokyo", "created_before": "2024-05-01"}


def _downloader(client):
    def download(asset):
        response = client.get(f"/api/v1/assets/{asset.pk}/download/")
        assert response.status_code == 200
        if response.streaming:
            b"".join(response.streaming_content)  # the test client closes the file at the end

    return download


def _summary(asset, downloads, shares, usages=0):
    return {
        "id": str(asset.pk), "title": asset.title, "type": asset.type, "model": asset.model,
        "source_module": asset.source_module, "download_count": downloads, "share_count": shares,
        "usage_count": usages, "thumbnail_url": None,
    }


def test_every_figure_of_a_known_library(api, other_api, library, library_activity):
    library_activity(_downloader(api), _downloader(other_api))

    response = api.get(STATS, KNOWN)

    assert response.status_code == 200, response.json()
    assert response.json() == {
        "totals": library_totals(str),
        "cost_by_type": {"image": "0.1350", "video": "1.2500", "audio": "0.3000", "text": "0.0123"},
        "cost_by_module": {"image_studio": "0.1350", "video_studio": "1.2500", "podcast_maker": "0.3000",
                           "story_writer": "0.0123", "upload": "0.0000"},
        "top_models": [
            {"model": "gpt-4o", "count": 2, "cost": "0.3123"},
            {"model": "ideogram-v3-turbo", "count": 2, "cost": "0.0800"},
            {"model": "veo-3", "count": 1, "cost": "1.2500"},
            {"model": "flux-pro", "count": 1, "cost": "0.0550"},
        ],
        "top_modules": [
            {"source_module": "image_studio", "count": 3, "cost": "0.1350"},
            {"source_module": "video_studio", "count": 1, "cost": "1.2500"},
            {"source_module": "podcast_maker", "count": 1, "cost": "0.3000"},
            {"source_module": "story_writer", "count": 1, "cost": "0.0123"},
            {"source_module": "upload", "count": 1, "cost": "0.0000"},
        ],
        "most_downloaded": [_summary(library.lighthouse, 3, 1, 2), _summary(library.story, 1, 0)],
        "most_shared": [_summary(library.podcast, 0, 2, 1), _summary(library.lighthouse, 3, 1, 2)],
        "most_used": [_summary(library.lighthouse, 3, 1, 2), _summary(library.podcast, 0, 2, 1)],
        "over_time": [
            {"period_start": "2024-01-01T00:00:00+09:00", "assets": 1, "cost": "0.0400", "downloads": 0, "shares": 0,
             "usages": 0},
            {"period_start": "2024-02-01T00:00:00+09:00", "assets": 3, "cost": "0.0950", "downloads": 4, "shares": 0,
             "usages": 3},
            {"period_start": "2024-03-01T00:00:00+09:00", "assets": 0, "cost": "0.0000", "downloads": 0, "shares": 0,
             "usages": 0},
            {"period_start": "2024-04-01T00:00:00+09:00", "assets": 3, "cost": "1.5623", "downloads": 1, "shares": 3,
             "usages": 1},
        ],
    }


def test_zero_filled_days_across_a_month_boundary_in_tokyo(api, other_api, library, library_activity):
    library_activity(_downloader(api), _downloader(other_api))

    body = api.get(STATS, {"period": "day", "tz": "Asia/Tokyo", "created_after": "2024-01-30",
                           "created_before": "2024-02-03"}).json()

    assert body["over_time"] == [
        {"period_start": "2024-01-30T00:00:00+09:00", "assets": 0, "cost": "0.0000", "downloads": 0, "shares": 0,
         "usages": 0},
        {"period_start": "2024-01-31T00:00:00+09:00", "assets": 0, "cost": "0.0000", "downloads": 0, "shares": 0,
         "usages": 0},
        {"period_start": "2024-02-01T00:00:00+09:00", "assets": 1, "cost": "0.0400", "downloads": 3, "shares": 0,
         "usages": 0},
        {"period_start": "2024-02-02T00:00:00+09:00", "assets": 0, "cost": "0.0000", "downloads": 0, "shares": 0,
         "usages": 0},
    ]
    assert body["totals"]["assets"] == 1 and body["totals"]["cost"] == "0.0400"


def test_weeks_in_a_zone_with_daylight_saving(api):
    AssetFactory(owner=api.user, cost="0.1000", created_at=dt.datetime.fromisoformat("2024-03-10T12:00:00-04:00"))

    body = api.get(STATS, {"period": "week", "tz": "America/New_York", "created_after": "2024-03-01",
                           "created_before": "2024-03-12T00:00:00"}).json()

    assert [(row["period_start"], row["assets"]) for row in body["over_time"]] == [
        ("2024-02-26T00:00:00-05:00", 0), ("2024-03-04T00:00:00-05:00", 1), ("2024-03-11T00:00:00-04:00", 0),
    ]


def test_downloads_and_shares_of_today(api, user):
    asset, other = AssetFactory.create_batch(2, owner=user)
    download = _downloader(api)
    download(asset)
    download(asset)
    download(other)
    services.assets_record_shared(owner=user, asset_ids=[asset.pk, other.pk])
    today = dt.datetime.now(tz=dt.UTC).date()

    body = api.get(STATS, {"period": "day", "created_after": str(today - dt.timedelta(days=1)),
                           "created_before": str(today + dt.timedelta(days=1))}).json()

    assert (body["totals"]["downloads"], body["totals"]["shares"]) == (3, 2)
    assert [summary["id"] for summary in body["most_downloaded"]] == [str(asset.pk), str(other.pk)]
    rows = [(row["period_start"][:10], row["assets"], row["downloads"], row["shares"]) for row in body["over_time"]]
    assert rows == [(str(today - dt.timedelta(days=1)), 0, 0, 0), (str(today), 2, 3, 2)]


def test_stats_never_include_another_owners_data(api, other_api, library, library_activity):
    library_activity(_downloader(api), _downloader(other_api))

    theirs = other_api.get(STATS, {"created_before": "2024-03-01"}).json()

    assert theirs["totals"]["assets"] == 1
    assert theirs["totals"]["cost"] == "5.0000" and theirs["totals"]["downloads"] == 1
    assert theirs["top_models"] == [{"model": "gpt-4o", "count": 1, "cost": "5.0000"}]
    assert [summary["id"] for summary in theirs["most_downloaded"]] == [str(library.theirs.pk)]
    assert theirs["most_shared"] == []
    assert [(row["period_start"], row["assets"], row["downloads"]) for row in theirs["over_time"]] == [
        ("2024-02-01T00:00:00+00:00", 1, 1),
    ]


def test_a_fixed_number_of_queries(api, user, django_assert_num_queries):
    assets = AssetFactory.create_batch(12, owner=user)
    for asset in assets:
        services.asset_record_download(asset=asset)
    services.assets_record_shared(owner=user, asset_ids=[a.pk for a in assets])

    # The rollups' three, the timeline's first quarter hour (no range is given) and the top
    # lists (one query); SQLite, which keeps no rollups, reads the assets (totals, models,
    # timeline) and events instead of the rollups' four, and the top lists one by one.
    with django_assert_num_queries(5 if rollups_kept() else 7):
        response = api.get(STATS, {"period": "week", "tz": "Europe/Paris"})

    assert response.status_code == 200
    assert len(response.json()["most_shared"]) == 10


def test_the_export_is_the_period_rows_as_csv(api, other_api, library, library_activity):
    library_activity(_downloader(api), _downloader(other_api))

    response = api.get(EXPORT, KNOWN)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="asset-library-stats-month.csv"'
    assert response.content.decode() == (
        "period_start,assets,cost,downloads,shares,usages\r\n"
        "2024-01-01T00:00:00+09:00,1,0.0400,0,0,0\r\n"
        "2024-02-01T00:00:00+09:00,3,0.0950,4,0,3\r\n"
        "2024-03-01T00:00:00+09:00,0,0.0000,0,0,0\r\n"
        "2024-04-01T00:00:00+09:00,3,1.5623,1,3,1\r\n"
    )
    assert list(csv.DictReader(io.StringIO(response.content.decode())))[1]["downloads"] == "4"


def test_an_empty_export_still_has_its_header(api):
    response = api.get(EXPORT, HTTP_ACCEPT="text/csv")

    assert response.status_code == 200
    assert response.content.decode() == "period_start,assets,cost,downloads,shares,usages\r\n"


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ({"period": "year"}, "period"),
        ({"tz": "Mars/Olympus_Mons"}, "tz"),
        ({"tz": "../../etc/passwd"}, "tz"),
        ({"created_after": "2024-13-01"}, "created_after"),
        ({"created_before": "yesterday"}, "created_before"),
        ({"created_after": "2024-03-02", "created_before": "2024-03-01"}, "created_after"),
        ({"created_after": "0001-01-01T00:00:00+05:00"}, "created_after"),
        ({"period": "day", "created_after": "1900-01-01"}, "period"),
    ],
)
@pytest.mark.parametrize("url", [STATS, EXPORT])
def test_bad_input_is_a_400_naming_the_parameter(api, url, params, named):
    response = api.get(url, params)

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert list(response.json()) == [named]


def test_empty_parameters_mean_the_defaults(api):
    assert api.get(STATS, {"period": "", "tz": "", "created_after": ""}).status_code == 200


def test_equal_bounds_are_an_empty_range(api):
    body = api.get(STATS, {"created_after": "2024-03-01", "created_before": "2024-03-01"}).json()

    assert body["totals"]["assets"] == 0 and body["over_time"] == []


@pytest.mark.parametrize("url", [STATS, EXPORT])
def test_anonymous_requests_are_refused(url):
    assert APIClient().get(url).status_code == 401


def test_session_requests_are_the_ui_and_token_requests_the_api(api, user):
    asset = AssetFactory(owner=user)
    token_client = APIClient()
    token_client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    _downloader(api)(asset)
    _downloader(token_client)(asset)
    assert token_client.patch(f"/api/v1/assets/{asset.pk}/", {"title": "New"}).status_code == 200
    assert api.delete(f"/api/v1/assets/{asset.pk}/").status_code == 204
    assert token_client.post(f"/api/v1/assets/{asset.pk}/restore/").status_code == 200

    assert list(UsageEvent.objects.order_by("id").values_list("kind", "source")) == [
        ("downloaded", "ui"), ("downloaded", "api"), ("edited", "api"), ("deleted", "ui"), ("restored", "api"),
    ]
    asset.refresh_from_db()
    assert asset.download_count == 2


def test_creating_through_the_api_records_one_event(api, png_bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for _ in range(2):
        api.post("/api/v1/assets/", {"source_module": "upload", "file": SimpleUploadedFile("x.png", png_bytes)},
                 format="multipart")

    assert list(UsageEvent.objects.values_list("kind", "source")) == [("created", "ui")]


def test_the_schema_documents_the_statistics():
    document = APIClient().get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()

    stats = document["paths"]["/api/v1/stats/"]["get"]
    assert {p["name"] for p in stats["parameters"]} == {"period", "tz", "created_after", "created_before"}
    assert stats["responses"]["200"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Stats"}
    export = document["paths"]["/api/v1/stats/export.csv"]["get"]
    assert "text/csv" in export["responses"]["200"]["content"]
    assert set(document["components"]["schemas"]["Stats"]["properties"]) == {
        "totals", "cost_by_type", "cost_by_module", "top_models", "top_modules", "most_downloaded",
        "most_shared", "most_used", "over_time",
    }


def test_summaries_link_the_thumbnail(api, user):
    asset = AssetFactory(owner=user, thumbnail="thumbnails/x.webp")
    services.asset_record_download(asset=asset)

    summary = api.get(STATS).json()["most_downloaded"][0]

    assert summary["thumbnail_url"] == f"http://testserver/api/v1/assets/{asset.pk}/thumbnail/"


def test_period_rows_are_written_as_their_fields_would():
    import zoneinfo
    from decimal import Decimal

    from rest_framework import serializers

    from analytics.api.serializers import StatsPeriodSerializer

    tz = zoneinfo.ZoneInfo("Asia/Kathmandu")
    rows = [
        {"period_start": dt.datetime(2024, 3, 1, tzinfo=tz), "assets": 3, "cost": Decimal("1.5623"), "downloads": 0,
         "shares": 2, "usages": 1},
        {"period_start": dt.datetime(2024, 3, 2, tzinfo=tz), "assets": 0, "cost": Decimal("0"), "downloads": 7,
         "shares": 0, "usages": 0},
        {"period_start": dt.datetime(2024, 3, 3, tzinfo=dt.UTC), "assets": 12, "cost": Decimal("12345678.1"),
         "downloads": 1, "shares": 1, "usages": 40},
    ]
    fast = StatsPeriodSerializer(rows, many=True).data
    child = StatsPeriodSerializer()
    by_fields = [serializers.Serializer.to_representation(child, row) for row in rows]
    assert [dict(row) for row in fast] == [dict(row) for row in by_fields]
    assert list(fast[0]) == ["period_start", "assets", "cost", "downloads", "shares", "usages"]
    assert fast[0]["period_start"] == "2024-03-01T00:00:00+05:45"
    assert fast[2]["cost"] == "12345678.1000"


@pytest.mark.parametrize("params", [{"tz": "Asia/Tokyo", "period": "day"}, KNOWN])
def test_the_answer_is_written_as_its_fields_would(api, other_api, user, library, library_activity, params):
    # StatsSerializer writes its output directly; its fields (the schema) would write the same.
    import json

    from rest_framework import serializers
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    from analytics.api.serializers import StatsSerializer
    from analytics.api.views import _params

    library_activity(_downloader(api), _downloader(other_api))
    library.lighthouse.thumbnail = "thumbnails/lighthouse.webp"
    library.lighthouse.save(update_fields=["thumbnail"])
    request = APIRequestFactory().get("/api/v1/stats/", params)
    request.user = user
    stats = selectors.stats_for(owner=user, params=_params(Request(request)))
    context = {"request": request}

    fast = StatsSerializer(stats, context=context).data
    by_fields = serializers.Serializer.to_representation(StatsSerializer(context=context), stats)

    assert json.dumps(fast) == json.dumps(by_fields)
    assert fast["most_downloaded"][0]["thumbnail_url"].startswith("http://testserver/api/v1/assets/")
    assert fast["most_used"] and fast["over_time"] and fast["top_models"]
