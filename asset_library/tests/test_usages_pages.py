"""Pages that show usages: the statistics' cleanup panel and the library's never-used spend."""

import datetime as dt
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
