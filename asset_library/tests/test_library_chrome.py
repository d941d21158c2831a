"""What the server says around the library's results for each URL (heading, tabs, chips and
the links that clear them, the sidebar's entry), in the page and in `library:results`, and
the partials other pages swap in after a change. The scripts hold none of these rules."""

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from assets.tests.factories import AssetFactory
from collections_app.tests.factories import CollectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def chrome_of(client, **params) -> str:
    """The <template data-chrome> of the results alone for these parameters."""
    html = client.get(reverse("library:results"), params).content.decode()
    match = re.search(r"<template data-chrome.*?</template>", html, re.S)
    assert match, "the results carry what surrounds them"
    return match.group(0)


def query(href: str) -> dict:
    return {key: values[0] for key, values in parse_qs(urlsplit(unescape(href)).query).items()}


def clear_href(chrome: str, chip: str) -> str:
    group = re.search(rf'data-chip="{chip}".*?</div>', chrome, re.S).group(0)
    return re.search(r'data-clear-href="([^"]*)"', group).group(1)


def test_results_carry_heading_tabs_chips_and_sidebar_entry_for_their_url(client_in):
    chrome = chrome_of(client_in, type="image", status="failed", ordering="title", view="list", page="3")

    assert '<div class="page-title-block" data-swap="heading"><h1 class="page-title" data-heading>Images</h1>' in chrome
    assert 'data-nav-active="image"' in chrome
    assert 'Status: <span class="chip-value">Failed</span>' in chrome
    # Clearing a chip keeps everything else but the page; so does choosing a tab.
    assert query(clear_href(chrome, "status")) == {"type": "image", "ordering": "title", "view": "list"}
    videos = re.search(r'href="([^"]*)" data-tab="video"', chrome).group(1)
    assert query(videos) == {"type": "video", "status": "failed", "ordering": "title", "view": "list"}
    everything = re.search(r'href="([^"]*)" class="clear-filters"', chrome).group(1)
    assert query(everything) == {"ordering": "title", "view": "list"}
    assert 'data-first-sort="Newest first"' in chrome


def test_a_date_chip_names_the_days_and_clears_every_date_parameter(client_in):
    chrome = chrome_of(client_in, created_after="2025-03-01", created_before="2025-03-04", tz="Europe/Paris",
                       q="boat")

    assert 'Date: <span class="chip-value">Mar 1 – Mar 3, 2025</span>' in chrome
    assert query(clear_href(chrome, "date")) == {"q": "boat"}
    assert 'data-first-sort="Relevance"' in chrome  # a search is ranked by relevance


def test_a_cost_chip_names_the_range_in_credits_and_clears_both_ends(client_in):
    chrome = chrome_of(client_in, min_cost="0.01", max_cost="0.05", type="image")

    assert 'Cost: <span class="chip-value">0.01–0.05 credits</span>' in chrome
    assert query(clear_href(chrome, "cost")) == {"type": "image"}
    assert 'Cost: <span class="chip-value">0.5 credits or more</span>' in chrome_of(client_in, min_cost="0.5")
    assert 'Cost: <span class="chip-value">Up to 0 credits</span>' in chrome_of(client_in, max_cost="0")
    assert 'data-chip="cost"' in chrome_of(client_in) and "Cost: " not in chrome_of(client_in)


def test_a_collection_view_is_named_by_the_owners_collection_only(client_in, user, other_user):
    mine = CollectionFactory(owner=user, name="Launch kit")
    theirs = CollectionFactory(owner=other_user, name="Their secret")

    assert ">Launch kit</h1>" in chrome_of(client_in, collection=str(mine.pk))
    assert f'data-nav-active="collection:{mine.pk}"' in chrome_of(client_in, collection=str(mine.pk))
    other = chrome_of(client_in, collection=str(theirs.pk))
    assert "Their secret" not in other
    assert 'Collection: <span class="chip-value">Unknown</span>' in other


def test_the_full_page_renders_the_same_chrome(client_in):
    html = client_in.get(reverse("library:library"), {"favorites": "true"}).content.decode()

    assert ('<div class="page-title-block" data-swap="heading"><h1 class="page-title" data-heading>Favorites</h1>'
            in html)
    assert 'class="nav-item is-active" href="/library/?favorites=true" data-nav-view="favorites"' in html
    assert "<template data-chrome" not in html  # only the results alone carry a copy


def test_the_collections_pages_list_alone_is_the_owners(client_in, user, other_user):
    CollectionFactory(owner=user, name="Spring")
    CollectionFactory(owner=other_user, name="Not mine")

    response = client_in.get(reverse("library:collections-fragment"))

    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert 'data-swap="collection-list"' in html and 'data-swap="nav-collections"' in html
    assert html.count(">Spring<") == 2  # the card and the sidebar
    assert "Not mine" not in html
    assert response["Cache-Control"].startswith("private") or "no-cache" in response["Cache-Control"]


def test_an_assets_tags_alone_are_its_owners_only(client_in, user, other_user):
    mine = AssetFactory(owner=user, tags=["Harbour", "dusk"])
    theirs = AssetFactory(owner=other_user, tags=["secret"])

    html = client_in.get(reverse("library:asset-tags", args=[mine.pk])).content.decode()

    assert 'data-swap="asset-tags"' in html and ">Harbour<" in html and "?tags=dusk" in html
    assert client_in.get(reverse("library:asset-tags", args=[theirs.pk])).status_code == 404


@pytest.mark.parametrize("name", ["library:collections-fragment", "library:results"])
def test_partials_need_a_login(client, name):
    assert client.get(reverse(name)).status_code == 302


def test_an_assets_tags_need_a_login(client, user):
    asset = AssetFactory(owner=user)
    assert client.get(reverse("library:asset-tags", args=[asset.pk])).status_code == 302


@pytest.mark.parametrize("params, expected", [
    ({}, {"title": "title", "cost": "-cost", "download_count": "-download_count", "created_at": "created_at"}),
    ({"ordering": "title"}, {"title": "-title", "cost": "-cost", "created_at": ""}),
    ({"ordering": "-cost"}, {"cost": "cost", "title": "title"}),
    ({"ordering": "created_at"}, {"created_at": ""}),  # back to the default, newest first
    ({"q": "boat"}, {"created_at": "-created_at", "title": "title"}),  # a search asks for newest first
])
def test_each_column_header_says_which_ordering_a_click_asks_for(client_in, user, params, expected):
    AssetFactory(owner=user, title="Boat at dawn")
    html = client_in.get(reverse("library:results"), {**params, "view": "list"}).content.decode()

    for column, ordering in expected.items():
        assert f'data-sort-column="{column}" data-next-ordering="{ordering}"' in html


def test_the_page_size_select_shows_a_size_the_url_asks_for(client, user):
    client.force_login(user)

    page = client.get("/library/", {"page_size": "7"}).content.decode()

    assert '<option value="7" selected>7 / page</option>' in page
    assert '<option value="24">24 / page</option>' in page
