"""Pages that show usages: the statistics' cleanup panel and the library's never-used spend."""

import datetime as dt
import html
import json
import re

import pytest
from django.utils import timezone

from assets.tests.factories import AssetFactory
from assets.usages import usage_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(user, other_user):
    now = timezone.now()
    old = [AssetFactory(owner=user, cost="0.2500", created_at=now - dt.timedelta(days=40)) for _ in range(2)]
    usage_record(asset=old[0], source_module="blog_writer", kind="published", target_title="A post")
    AssetFactory(owner=user, cost="0.1000", created_at=now - dt.timedelta(days=2))
    AssetFactory(owner=other_user, cost="9.0000", created_at=now - dt.timedelta(days=90))
    return old


def panel(client, **params):
    response = client.get("/library/stats/cleanup/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_cleanup_panel_counts_the_callers_never_used_assets(client, user, library):
    client.force_login(user)
    body = panel(client, days=30)
    assert "1 asset</strong>" in body and "0.25 credits" in body
    assert re.search(r'href="/library/\?used=false&amp;created_before=\d{4}-\d{2}-\d{2}&amp;select=all"', body)
    body = panel(client, days=0)
    assert "2 assets</strong>" in body and "0.35 credits" in body
    assert "Nothing to clean up" in panel(client, days=365)


@pytest.mark.parametrize("days", ["abc", "-1", "3651", "", "1e3"])
def test_a_bad_number_of_days_is_said_and_the_suggestion_stands(client, user, library, days):
    client.force_login(user)
    body = panel(client, days=days)
    assert "Use a whole number of days from 0 to 3,650." in body
    assert 'value="30"' in body


def test_the_statistics_page_shows_the_panel_and_the_usage_figures(client, user, library):
    client.force_login(user)
    body = client.get("/library/stats/", {"range": "all"}).content.decode()
    assert 'data-kpi="used"' in body and 'data-kpi="unused_cost"' in body
    assert "Most used" in body and "Clean up" in body
    assert '1<span class="visually-hidden"> usage</span>' in body  # one usage, said as one


@pytest.mark.parametrize(("used", "hint"), [(0, "0%"), (1, "<1%"), (100, "50%"), (199, ">99%"), (200, "100%")])
def test_the_share_of_used_assets_is_never_rounded_to_none_or_all(client, user, used, hint):
    assets = AssetFactory.create_batch(200, owner=user)
    for asset in assets[:used]:
        usage_record(asset=asset, source_module="blog_writer", kind="published", target_title="A post")
    client.force_login(user)
    body = client.get("/library/stats/", {"range": "all"}).content.decode()
    kpi = re.search(r'data-kpi="used".*?class="kpi-hint">([^<]*)<', body, re.S)
    assert html.unescape(kpi.group(1)).strip() == f"{hint} of these assets"


def test_the_library_says_what_never_used_assets_cost(client, user, library):
    client.force_login(user)
    page = client.get("/library/", {"used": "false"}).content.decode()
    data = json.loads(re.search(r'<script id="library-results" type="application/json">(.*?)</script>', page,
                                re.S).group(1))
    assert data["count"] == 2 and data["unused_cost"] == "0.35"
    plain = client.get("/library/").content.decode()
    data = json.loads(re.search(r'<script id="library-results" type="application/json">(.*?)</script>', plain,
                                re.S).group(1))
    assert data["unused_cost"] is None


def test_the_cleanup_panel_needs_a_sign_in(client):
    response = client.get("/library/stats/cleanup/", {"days": 30})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def library_results(client, **params):
    page = client.get("/library/", params).content.decode()
    return json.loads(re.search(r'<script id="library-results" type="application/json">(.*?)</script>', page,
                                re.S).group(1))


@pytest.fixture
def mixed(user, other_user):
    """Never-used assets of several types, statuses, modules and favourites, one used."""
    made = [
        AssetFactory(owner=user, type="image", status="completed", source_module="image_studio", cost="0.0100"),
        AssetFactory(owner=user, type="image", status="failed", source_module="image_studio", cost="0.0200",
                     is_favorite=True),
        AssetFactory(owner=user, type="text", status="completed", source_module="blog_writer", cost="0.0400"),
        AssetFactory(owner=user, type="video", status="completed", source_module="image_studio", cost="0.0800",
                     is_favorite=True),
        AssetFactory(owner=user, type="image", status="completed", source_module="image_studio", cost="1.0000"),
    ]
    usage_record(asset=made[4], source_module="blog_writer", kind="published", target_title="A post")
    AssetFactory(owner=other_user, type="image", cost="9.0000")
    return made


@pytest.mark.parametrize(("params", "cost"), [
    ({}, "0.15"),
    ({"type": "image"}, "0.03"),
    ({"type": "image,video", "ordering": "-cost"}, "0.11"),
    ({"status": "failed"}, "0.02"),
    ({"source_module": "image_studio", "status": "completed"}, "0.09"),
    ({"favorites": "true"}, "0.10"),
    ({"favorites": "true", "type": "video", "ordering": "title"}, "0.08"),
    ({"min_cost": "0.03"}, "0.12"),
])
def test_the_never_used_spend_of_any_filtered_list(client, user, mixed, params, cost):
    """From the rollups where they keep the list (types, statuses, modules, in any order),
    else from the rows: the same amounts."""
    client.force_login(user)
    assert library_results(client, used="false", **params)["unused_cost"] == cost


@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")  # elsewhere a search counts every match
def test_a_search_counted_only_up_to_its_limit_says_no_amount(client, user, mixed, monkeypatch):
    from assets import search

    client.force_login(user)
    AssetFactory(owner=user, title="Misty cove", cost="0.5000")
    AssetFactory(owner=user, title="Misty bay", cost="0.2500")
    assert library_results(client, used="false", q="misty")["unused_cost"] == "0.75"
    monkeypatch.setattr(search, "COUNT_LIMIT", 1)  # a page of one: "2+", the matches not all counted
    data = library_results(client, used="false", q="misty", page_size=1)
    assert (data["count"], data["count_exact"], data["unused_cost"]) == (2, False, None)
