"""The display rules (asset_library.display), each written once, and the pages that must
agree on them: the library (page and results alone), the asset page and a share page."""

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from asset_library import display
from assets.models import AssetType
from assets.tests.factories import AssetFactory


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(None, ""), (0, "0:00"), (12.9, "0:12"), (59.99, "0:59"), (65.4, "1:05"), (75.5, "1:15"),
     (3599.9, "59:59"), (3725, "1:02:05"), (-3, "0:00")],
)
def test_durations_round_down(seconds, text):
    assert display.duration(seconds) == text


def test_untitled_assets_are_named_by_type():
    assert display.display_title({"title": "", "type": "image"}) == "Untitled image"
    assert display.display_title({"title": None, "type": "audio"}) == "Untitled audio"
    assert display.display_title({"type": "unknown"}) == "Untitled asset"
    assert display.display_title({"title": "Dawn", "type": "video"}) == "Dawn"
    assert display.display_title(SimpleNamespace(title="", type=AssetType.TEXT)) == "Untitled text"  # a model


def test_labels_badges_and_tooltips():
    assert display.type_label("video") == "Video"
    assert display.status_label("processing") == "Processing"
    assert display.status_tooltip({"status": "pending"}) == "Pending: queued for generation"
    assert display.status_tooltip({"status": "failed", "error_message": "Out of credits"}) == "Failed: Out of credits"
    assert display.STATUS_ICONS["completed"] == "status-completed"


def test_sizes_costs_counts_and_dates():
    assert display.file_size(None) == ""
    assert display.file_size(1) == "1 byte"
    assert display.file_size(1536) == "1.5 KB"
    assert display.file_size(50 * 1024 * 1024) == "50 MB"
    assert display.credits(Decimal("0.0400")) == "0.04"
    assert display.credits("1234.5") == "1,234.50"
    assert display.plural(1, "asset") == "1 asset"
    assert display.plural(1284, "asset") == "1,284 assets"
    assert display.size_or_length({"type": "video", "width": 320, "height": 180, "duration_seconds": 2.7}) \
        == "320×180 · 0:02"
    now = timezone.now()
    assert display.relative_time(now - dt.timedelta(days=1, hours=1), now) == "yesterday"
    assert display.relative_time(None) == ""


@pytest.mark.django_db
def test_the_pages_agree_on_titles_and_durations(client_in, user):
    from collections_app.tests.factories import ShareLinkFactory

    clip = AssetFactory(owner=user, type=AssetType.AUDIO, mime_type="audio/mpeg", title="", duration_seconds=12.9)
    expected = ("Untitled audio", "0:12")
    library = client_in.get(reverse("library:library")).content.decode()
    results = client_in.get(reverse("library:results")).content.decode()
    asset_page = client_in.get(reverse("library:asset", args=[clip.pk])).content.decode()
    link = ShareLinkFactory(owner=user, assets=[clip])
    share_page = Client().get(reverse("library:share-page", args=[link.token])).content.decode()
    for html in (library, results, asset_page, share_page):
        for text in expected:
            assert text in html
        assert "0:13" not in html


@pytest.mark.django_db
def test_results_alone_are_the_pages_partials(client_in, user, django_assert_max_num_queries):
    for n in range(30):
        AssetFactory(owner=user, title=f"Asset {n:02d}", tags=["a", "b"])
    with django_assert_max_num_queries(10):
        response = client_in.get(reverse("library:results"), {"page": 2, "page_size": 24, "ordering": "title",
                                                                "view": "list"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-swap="results"' in html and 'data-swap="pagination"' in html and 'data-swap="count"' in html
    assert "30 assets" in html and "25–30 of 30" in html
    assert html.count('<tr class="row') == 6 and "Asset 24" in html and "Asset 23" not in html
    # Links lead to the pages, with the library's query string carried.
    assert 'href="/library/assets/' in html and "?page=2" in html


def test_results_alone_need_a_login(client):
    assert client.get(reverse("library:results")).status_code == 302
