"""The asset, collections, trash, shares, statistics and upload pages as the server renders
them (no browser): login required, the first screen rendered, other owners' things absent."""

import datetime as dt
import json
import re
import uuid

import pytest
from django.utils import timezone

from asset_library import svg_charts
from asset_library.svg_charts import Bar, Point, Series
from assets.models import AssetStatus, AssetType
from assets.tests.factories import AssetFactory
from collections_app.models import ShareKind
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db

PAGES = ["/library/collections/", "/library/trash/", "/library/shares/", "/library/stats/", "/library/upload/"]


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def html_of(response):
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def page_config(html):
    match = re.search(r'<script id="page-config" type="application/json">(.*?)</script>', html, re.S)
    return json.loads(match.group(1))


# A fixed id: parametrized test ids must be the same in every xdist process.
@pytest.mark.parametrize("path", [*PAGES, "/library/assets/0b9f4c1e-8a2d-4e6f-9c3b-5d7a1e2f4b6c/"])
def test_every_page_needs_a_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith(f"/accounts/login/?next={path}")


@pytest.mark.parametrize("path", PAGES)
def test_every_page_renders_in_the_app_shell(client_in, user, path):
    html = html_of(client_in.get(path))
    assert 'class="app-header"' in html and 'id="app-sidebar"' in html
    assert f"Account: {user.username}" in html  # the user menu
    assert "pages.css" in html
    # Nothing from another origin (no CDN): every script, style and image is our own.
    assert not re.search(r'(?:src|href)="(?:https?:)?//', html)


def test_pages_refuse_writes(client_in):
    for path in PAGES:
        assert client_in.post(path).status_code == 405


# ---------- The asset page ----------


def test_asset_page_shows_every_field(client_in, user):
    parent = AssetFactory(owner=user, title="The original")
    asset = AssetFactory(
        owner=user, title="Lighthouse at dusk", prompt="a lighthouse at dusk, <b>oil</b> painting",
        description="For the autumn issue.", model="flux-1.1-pro", provider="black-forest-labs", cost="0.0550",
        width=1024, height=768, file_size=123_456, parent=parent, tags=["autumn", "cover"],
        metadata={"seed": 42, "original_filename": "lighthouse.png"},
    )
    child = AssetFactory(owner=user, title="Upscaled lighthouse", parent=asset)
    collection = CollectionFactory(owner=user, name="Autumn issue")
    CollectionItemFactory(collection=collection, asset=asset)
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    for text in ("Lighthouse at dusk", "For the autumn issue.", "flux-1.1-pro", "black-forest-labs",
                 "0.055 credits", "1024 × 768 px", "121 KB", "lighthouse.png", "Autumn issue",
                 "The original", "Upscaled lighthouse", str(asset.pk), "Copy prompt", "Seed"):
        assert text in html, text
    assert "&lt;b&gt;oil&lt;/b&gt;" in html  # the prompt is text, escaped
    assert f'href="/library/assets/{parent.pk}/"' in html
    assert f'href="/library/assets/{child.pk}/"' in html
    assert f'href="/library/?collection={collection.pk}"' in html
    assert 'href="/library/?tags=autumn"' in html
    assert f'src="http://testserver/api/v1/assets/{asset.pk}/file/"' in html
    assert page_config(html)["asset"]["id"] == str(asset.pk)


def test_asset_page_marks_automatic_tags(client_in, user):
    from assets.tagging import add_auto_tags

    asset = AssetFactory(owner=user, tags=["mine"])
    add_auto_tags(asset, ["derived"])
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    assert re.search(r'class="tag is-auto"[^>]*>derived<span class="visually-hidden"> \(automatic\)', html)
    assert re.search(r'class="tag"[^>]*>mine<', html)


@pytest.mark.parametrize("kind, marker", [
    (AssetType.VIDEO, "<video"), (AssetType.AUDIO, "<audio"), (AssetType.TEXT, 'class="text-paper"'),
])
def test_asset_page_previews_each_type(client_in, user, kind, marker):
    asset = AssetFactory(owner=user, type=kind, duration_seconds=75 if kind != AssetType.TEXT else None,
                         text_content="Chapter one.\nIt was a dark night." if kind == AssetType.TEXT else None)
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    assert marker in html
    if kind == AssetType.TEXT:
        assert "Chapter one.\nIt was a dark night." in html  # the full text, as written
        assert page_config(html)["asset"]["text_content"] is None  # not twice on the page
    else:
        assert "1:15" in html


def test_a_failed_asset_says_why(client_in, user):
    asset = AssetFactory(owner=user, status=AssetStatus.FAILED, file="", error_message="Provider timed out")
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    assert "Generation failed" in html and "Provider timed out" in html
    assert 'data-download hidden' in html
    # Nothing to share: the button says so and does nothing.
    assert re.search(r'<button[^>]*data-share data-nothing-to-share title="A failed generation has nothing to '
                     r'share" disabled>', html)


def test_a_completed_asset_can_be_shared(client_in, user):
    asset = AssetFactory(owner=user)
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    assert re.search(r'<button type="button" class="btn" data-share>', html)


def test_a_video_card_marks_a_playable_video_only(client_in, user):
    playable = AssetFactory(owner=user, type=AssetType.VIDEO, duration_seconds=75, title="Playable")
    AssetFactory(owner=user, type=AssetType.VIDEO, status=AssetStatus.FAILED, file="", title="Failed")
    html = html_of(client_in.get("/library/"))
    cards = {title: card for card in re.findall(r'<li class="card.*?</li>', html, re.S)
             for title in re.findall(r'title="(Playable|Failed)"', card)[:1]}
    assert str(playable.pk) in cards["Playable"] and 'class="media-badge"' in cards["Playable"]
    assert "1:15" in cards["Playable"]
    assert 'class="media-badge"' not in cards["Failed"]


def test_another_owners_asset_is_a_404(client_in, other_user):
    asset = AssetFactory(owner=other_user, title="Not yours")
    response = client_in.get(f"/library/assets/{asset.pk}/")
    assert response.status_code == 404
    assert "Not yours" not in response.content.decode()


def test_an_unknown_asset_is_a_404(client_in):
    assert client_in.get(f"/library/assets/{uuid.uuid4()}/").status_code == 404


def test_a_trashed_asset_shows_the_banner_with_restore(client_in, user, settings):
    settings.TRASH_RETENTION_DAYS = 30
    deleted = timezone.now() - dt.timedelta(days=2)
    asset = AssetFactory(owner=user, deleted_at=deleted)
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/"))
    banner = re.search(r'<div class="banner banner-trash"[^>]*>', html).group(0)
    assert "hidden" not in banner
    assert "This asset is in the trash." in html and "data-restore" in html
    assert (deleted + dt.timedelta(days=30)).strftime("%b %-d, %Y") in html
    assert "(in 28 days)" in html


def test_a_live_asset_has_the_banner_hidden(client_in, user):
    html = html_of(client_in.get(f"/library/assets/{AssetFactory(owner=user).pk}/"))
    assert re.search(r'<div class="banner banner-trash"[^>]*hidden>', html)


def test_previous_and_next_follow_the_librarys_query_string(client_in, user):
    now = timezone.now()
    newest = AssetFactory(owner=user, title="Newest image", created_at=now)
    AssetFactory(owner=user, title="A text in between", type=AssetType.TEXT, created_at=now - dt.timedelta(hours=1))
    middle = AssetFactory(owner=user, title="Middle image", created_at=now - dt.timedelta(hours=2))
    oldest = AssetFactory(owner=user, title="Oldest image", created_at=now - dt.timedelta(hours=3))
    html = html_of(client_in.get(f"/library/assets/{middle.pk}/?type=image&view=list"))
    assert f'href="/library/assets/{newest.pk}/?type=image&amp;view=list" rel="prev"' in html
    assert f'href="/library/assets/{oldest.pk}/?type=image&amp;view=list" rel="next"' in html
    assert 'href="/library/?type=image&amp;view=list"' in html  # back to the same results
    assert "Back to results" in html

    # Without a filter, the text sits between them; reversed ordering swaps the sides.
    html = html_of(client_in.get(f"/library/assets/{middle.pk}/?ordering=created_at"))
    assert f'href="/library/assets/{oldest.pk}/?ordering=created_at" rel="prev"' in html
    assert "A text in between" in html  # the next one's title, for screen readers


def test_the_first_and_last_have_no_previous_or_next(client_in, user):
    only = AssetFactory(owner=user)
    html = html_of(client_in.get(f"/library/assets/{only.pk}/"))
    assert 'rel="prev"' not in html and 'rel="next"' not in html
    assert html.count('aria-disabled="true"') == 2


def test_bad_filters_in_the_query_string_still_show_the_asset(client_in, user):
    asset = AssetFactory(owner=user, title="Still here")
    html = html_of(client_in.get(f"/library/assets/{asset.pk}/?type=nope"))
    assert "Still here" in html
    assert "no previous or next" in html


def test_neighbours_are_never_another_owners(client_in, user, other_user):
    now = timezone.now()
    mine = AssetFactory(owner=user, created_at=now - dt.timedelta(hours=1))
    AssetFactory(owner=other_user, created_at=now)
    AssetFactory(owner=other_user, created_at=now - dt.timedelta(hours=2))
    html = html_of(client_in.get(f"/library/assets/{mine.pk}/"))
    assert 'rel="prev"' not in html and 'rel="next"' not in html


def test_the_asset_page_reads_a_fixed_number_of_queries(client_in, user, django_assert_max_num_queries):
    asset = AssetFactory(owner=user, tags=["a", "b"])
    for _ in range(5):
        AssetFactory(owner=user, parent=asset, tags=["c"])
    with django_assert_max_num_queries(20):
        html_of(client_in.get(f"/library/assets/{asset.pk}/"))


# ---------- Collections ----------


def test_collections_page_lists_mine_with_covers_and_counts(client_in, user, other_user):
    kit = CollectionFactory(owner=user, name="Launch kit", description="Banners for the launch")
    for _ in range(3):
        CollectionItemFactory(collection=kit)
    CollectionFactory(owner=user, name="Empty one")
    CollectionFactory(owner=other_user, name="Someone else's")
    html = html_of(client_in.get("/library/collections/"))
    assert "Launch kit" in html and "Banners for the launch" in html and "Empty one" in html
    assert "Someone else&#x27;s" not in html and "Someone else's" not in html
    assert "3 assets" in html and "0 assets" in html
    assert f'href="/library/?collection={kit.pk}"' in html
    assert "/api/v1/assets/" in html  # the cover picture
    assert [c["name"] for c in page_config(html)["collections"]] == ["Empty one", "Launch kit"]


def test_collections_page_without_collections_explains_what_to_do(client_in):
    html = html_of(client_in.get("/library/collections/"))
    assert "No collections yet" in html
    assert re.search(r'<div class="empty-state" data-empty>', html)


# ---------- Trash ----------


def test_trash_lists_my_trashed_assets_with_their_purge_day(client_in, user, other_user, settings):
    settings.TRASH_RETENTION_DAYS = 10
    deleted = timezone.now() - dt.timedelta(days=3)
    AssetFactory(owner=user, title="In the trash", deleted_at=deleted)
    AssetFactory(owner=user, title="Still in the library")
    AssetFactory(owner=other_user, title="Other trash", trashed=True)
    html = html_of(client_in.get("/library/trash/"))
    assert "In the trash" in html
    assert "Still in the library" not in html and "Other trash" not in html
    assert "Deleted <time" in html and "3 days ago" in html
    assert "in 7 days" in html  # 10 - 3
    assert (deleted + dt.timedelta(days=10)).strftime("%b %-d") in html
    assert "stay here for 10 days" in html
    assert "1 asset" in html and "Empty trash" in html
    assert page_config(html)["count"] == 1


def test_an_empty_trash_says_so(client_in, user):
    AssetFactory(owner=user)
    html = html_of(client_in.get("/library/trash/"))
    assert "The trash is empty" in html
    assert re.search(r'<div class="page-actions" data-trash-actions hidden>', html)


def test_trash_is_paged(client_in, user, monkeypatch):
    from asset_library import page_views

    monkeypatch.setattr(page_views, "TRASH_PAGE_SIZE", 2)
    for n in range(3):
        AssetFactory(owner=user, title=f"Trashed {n}", trashed=True)
    first = html_of(client_in.get("/library/trash/"))
    second = html_of(client_in.get("/library/trash/?page=2"))
    assert first.count('class="trash-row"') == 2 and second.count('class="trash-row"') == 1
    assert "1–2 of 3" in first


# ---------- Shares ----------


def test_shares_lists_every_link_with_expiry_views_and_download(client_in, user, other_user):
    asset = AssetFactory(owner=user, title="Poster")
    collection = CollectionFactory(owner=user, name="Press kit")
    ShareLinkFactory(owner=user, title="Poster", kind=ShareKind.ASSET, assets=[asset], view_count=7,
                     expires_at=timezone.now() + dt.timedelta(days=5))
    ShareLinkFactory(owner=user, title="Press kit link", kind=ShareKind.COLLECTION, collection=collection,
                     allow_download=False, password="open-sesame")
    ShareLinkFactory(owner=user, title="Old one", assets=[asset], revoked_at=timezone.now())
    ShareLinkFactory(owner=other_user, title="Not mine")
    html = html_of(client_in.get("/library/shares/"))
    assert "Poster" in html and "Press kit" in html and "Old one" in html
    assert "Not mine" not in html
    assert ">7<" in html  # views
    assert "View only" in html and "Password" in html and "Never" in html
    assert html.count('data-revoke') == 2  # the revoked link has no actions
    assert "Revoked" in html and html.count('pill-ok">Active<') == 2
    assert f'href="/library/?collection={collection.pk}"' in html

    active = html_of(client_in.get("/library/shares/?active=true"))
    assert "Old one" not in active and "Poster" in active
    ended = html_of(client_in.get("/library/shares/?active=false"))
    assert "Old one" in ended and "Press kit link" not in ended


def test_no_shares_yet(client_in):
    assert "No share links yet" in html_of(client_in.get("/library/shares/"))


def test_a_bad_shares_filter_is_ignored(client_in, user):
    ShareLinkFactory(owner=user, title="Kept")
    assert "Kept" in html_of(client_in.get("/library/shares/?active=maybe"))


# ---------- Statistics ----------


def stats_html(client, query=""):
    return html_of(client.get(f"/library/stats/{query}"))


def test_stats_draw_real_charts_from_my_data(client_in, user, other_user):
    now = timezone.now()
    AssetFactory(owner=user, cost="1.5000", model="flux-1.1-pro", created_at=now - dt.timedelta(days=2),
                 download_count=4, file_size=2048)
    AssetFactory(owner=user, cost="0.5000", model="flux-1.1-pro", type=AssetType.TEXT, created_at=now)
    AssetFactory(owner=other_user, cost="99.0000", model="secret-model")
    html = stats_html(client_in)
    assert html.count('<svg class="chart chart-bars"') == 2  # cost, wide and narrow
    assert html.count('<svg class="chart chart-lines"') == 2  # downloads and shares
    assert html.count('<svg class="chart chart-hbars"') == 3  # type, status, module
    assert 'role="img"' in html and "<title" in html
    assert "2.00" in html  # credits spent
    assert "flux-1.1-pro" in html and "secret-model" not in html
    assert "2.0 KB" in html  # storage
    assert 'data-period="day"' in html and 'data-points="30"' in html
    assert "Last 30 days" in html
    assert 'href="/api/v1/stats/export.csv?period=day&amp;created_after=' in html


def test_the_period_and_range_change_the_charts(client_in, user):
    AssetFactory(owner=user, cost="1.0000")
    week = stats_html(client_in, "?range=90d")
    assert 'data-period="week"' in week
    month = stats_html(client_in, "?range=12m&period=month")
    assert 'data-period="month"' in month
    assert 'data-points="12"' in month or 'data-points="13"' in month
    custom = stats_html(client_in, "?range=custom&from=2026-01-01&to=2026-01-07&period=day")
    assert 'data-points="7"' in custom and "Jan 1, 2026 – Jan 7, 2026" in custom


def test_the_fragment_is_only_the_figures(client_in, user):
    AssetFactory(owner=user)
    html = stats_html(client_in, "?range=7d&fragment=1")
    assert html.lstrip().startswith("<div class=\"stats-figures\"")
    assert "app-header" not in html


def test_bad_stats_parameters_are_named_and_the_default_shown(client_in, user):
    AssetFactory(owner=user)
    html = stats_html(client_in, "?range=custom&from=not-a-date&period=hour")
    assert "Use a date as YYYY-MM-DD." in html and "Use day, week or month." in html
    assert 'data-points="30"' in html


def test_stats_of_an_empty_library(client_in):
    html = stats_html(client_in)
    assert "Nothing was created, downloaded or shared in this period." in html


# ---------- Upload ----------


def test_upload_page_offers_the_accepted_types_and_limits(client_in, settings):
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "image": 5 * 1024 * 1024}
    html = html_of(client_in.get("/library/upload/"))
    assert 'type="file"' in html and "multiple" in html
    assert re.search(r'accept="[^"]*image/png[^"]*\.md', html)
    assert "up to 5.0 MB" in html
    config = page_config(html)
    assert config["limits"]["image"] == 5 * 1024 * 1024
    assert "image/png" in config["mime_types"] and ".txt" in config["extensions"]


# ---------- The chart helper ----------


def test_nice_scales():
    assert svg_charts.nice_scale(0) == [0.0, 1.0]
    assert svg_charts.nice_scale(9.3) == [0, 2.5, 5, 7.5, 10]
    assert svg_charts.nice_scale(130) == [0, 50, 100, 150]
    assert svg_charts.nice_scale(0.07)[-1] >= 0.07
    assert [svg_charts.format_tick(v) for v in (0, 0.25, 3.0, 1500, 2_000_000)] == ["0", "0.25", "3", "1.5k", "2M"]


def test_charts_escape_their_text_and_give_every_mark_a_tooltip():
    bars = svg_charts.bar_chart(
        [Point("<Mon>", 2, "Mon: 2 credits"), Point("Tue", 0, "Tue: nothing")],
        chart_id="c", title="Cost & more", description="Two days",
    )
    assert "&lt;Mon&gt;" in bars and "<Mon>" not in bars and "Cost &amp; more" in bars
    assert bars.count("<title>Mon: 2 credits</title>") == 2  # the bar and its hover target
    assert 'aria-labelledby="c-title c-desc"' in bars
    line = svg_charts.line_chart(["a", "b"], [Series("Downloads", [1, 3], tooltips=["a: 1", "b: 3"])],
                                 chart_id="l", title="t", description="d")
    assert "<title>b: 3</title>" in line and "Downloads" in line and "<path" in line
    hbars = svg_charts.hbar_chart([Bar("Images", 3, "3"), Bar("A label far too long to fit here", 1, "1")],
                                  chart_id="h", title="t", description="d")
    assert "A label far too l" in hbars and "…" in hbars


def test_library_cards_link_to_the_asset_page_with_the_librarys_query_string(client_in, user):
    asset = AssetFactory(owner=user, title="Carried")
    html = html_of(client_in.get("/library/?type=image&ordering=title"))
    assert f'href="/library/assets/{asset.pk}/?type=image&amp;ordering=title"' in html
    html = html_of(client_in.get("/library/"))
    assert f'href="/library/assets/{asset.pk}/"' in html
