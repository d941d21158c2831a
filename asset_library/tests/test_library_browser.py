"""The library page in a real browser: search, filters, views, selection, bulk actions,
optimistic updates, downloads and share links. Each test signs in through the login page."""

import datetime as dt
import io
import os
import re
import zipfile

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asset_library.tests.conftest import log_in, make_asset
from assets.models import Asset, AssetStatus, AssetType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def card(page, title):
    return page.locator("[data-results] [data-id]").filter(has=page.get_by_role("link", name=title, exact=True))


def visible_titles(page):
    return page.locator("[data-results] .card-link, [data-results] .row-link").all_inner_texts()


def wait_idle(page):
    page.wait_for_function("() => document.querySelector('[data-results]').getAttribute('aria-busy') === 'false'")


def test_debounced_search_sends_one_request_after_fast_typing(page, creator):
    make_asset(creator, title="Sunset over the harbour")
    make_asset(creator, title="Mountain lake")
    log_in(page, creator)
    searches = []
    page.on("request", lambda r: searches.append(r.url) if "/library/results/?" in r.url and "q=" in r.url else None)

    box = page.get_by_role("searchbox", name="Search assets")
    box.press_sequentially("sunset", delay=40)  # 6 keys well inside the 300 ms window
    expect(page).to_have_url(re.compile(r"[?&]q=sunset"))
    wait_idle(page)
    page.wait_for_timeout(500)

    assert len(searches) == 1, searches
    assert "q=sunset" in searches[0]
    assert visible_titles(page) == ["Sunset over the harbour"]
    expect(page.locator("[data-count]")).to_have_text("1 asset")

    # Searching by an id fragment, then by model, from the same box.
    target = make_asset(creator, title="Found by id", model="flux-1.1-pro")
    page.get_by_label("Search by").select_option("id")
    box.fill(target.pk.hex[:10])
    expect(page).to_have_url(re.compile(rf"[?&]id={target.pk.hex[:10]}"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Found by id"])
    page.get_by_label("Search by").select_option("model")
    box.fill("flux")
    expect(page).to_have_url(re.compile(r"[?&]model=flux"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Found by id"])


def assert_inside(inner, outer):
    """`inner`'s box lies within `outer`'s (on the screen)."""
    box, frame = inner.bounding_box(), outer.bounding_box()
    assert frame["x"] - 0.5 <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"] + 0.5, (box, frame)
    assert frame["y"] - 0.5 <= box["y"] and box["y"] + box["height"] <= frame["y"] + frame["height"] + 0.5, (box, frame)


def assert_on_top(locator):
    """What is drawn at the middle and both ends of `locator`'s box is it (or inside it):
    nothing covers or clips it."""
    assert locator.evaluate(
        """(el) => {
          const box = el.getBoundingClientRect(), y = box.top + box.height / 2;
          return [box.left + 2, box.left + box.width / 2, box.right - 2]
            .every((x) => el.contains(document.elementFromPoint(x, y)));
        }"""
    )


def test_each_filter_alone_and_combined_lives_in_the_url(page, creator):
    from collections_app.models import Collection, CollectionItem

    day = timezone.now() - dt.timedelta(days=3)
    make_asset(creator, title="Red poster", tags=["sunset"], created_at=day)
    make_asset(creator, title="Broken render", status=AssetStatus.FAILED, file="", mime_type="")
    make_asset(creator, title="Bedtime story", type=AssetType.TEXT, source_module="story_writer")
    kit = make_asset(creator, title="Launch banner", tags=["launch"])
    collection = Collection.objects.create(owner=creator, name="Launch kit")
    CollectionItem.objects.create(collection=collection, asset=kit)
    log_in(page, creator)
    expect(page.locator("[data-count]")).to_have_text("4 assets")

    # Type tab alone.
    page.locator("[data-type-tabs]").get_by_role("link", name="Text").click()
    expect(page).to_have_url(re.compile(r"\?type=text$"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Bedtime story"])
    expect(page.locator("[data-heading]")).to_have_text("Text")

    # Status alone, then combined with a type.
    page.locator("[data-type-tabs]").get_by_role("link", name="All").click()
    page.locator('[data-chip="status"] [data-chip-button]').click()
    page.get_by_role("dialog").get_by_label("Failed").check()
    expect(page).to_have_url(re.compile(r"\?status=failed$"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Broken render"])
    page.keyboard.press("Escape")
    page.locator("[data-type-tabs]").get_by_role("link", name="Images").click()
    expect(page).to_have_url(re.compile(r"status=failed&type=image|type=image&status=failed"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Broken render"])
    expect(page.locator('[data-chip="status"]')).to_contain_text("Status: Failed")

    # Clear filters, then the module alone.
    page.locator("[data-chips] [data-clear-filters]").click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.locator("[data-count]")).to_have_text("4 assets")
    page.locator('[data-chip="source_module"] [data-chip-button]').click()
    page.get_by_role("dialog").get_by_label("Story Writer").check()
    expect(page).to_have_url(re.compile(r"source_module=story_writer"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Bedtime story"])
    page.keyboard.press("Escape")
    page.locator('[data-chip="source_module"] [data-chip-clear]').click()

    # Tags: autocomplete from /api/v1/tags/?q=, several tags are ORed.
    page.locator('[data-chip="tags"] [data-chip-button]').click()
    tag_box = page.get_by_role("combobox", name="Filter by tags")
    tag_box.fill("suns")
    suggestion = page.get_by_role("option", name=re.compile("sunset"))
    expect(suggestion).to_be_visible()
    assert_on_top(suggestion)  # shown whole: the popover does not clip it
    suggestion.click()
    expect(page).to_have_url(re.compile(r"tags=sunset"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Red poster"])
    tag_box.fill("launch")
    tag_box.press("Enter")
    expect(page).to_have_url(re.compile(r"tags=sunset%2Claunch"))
    expect(page.locator("[data-results] .card-link")).to_have_count(2)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")

    # Date: one day (with the browser's time zone), combined with the tags.
    page.locator('[data-chip="date"] [data-chip-button]').click()
    page.get_by_label("Day").fill(timezone.localtime(day).date().isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(rf"date={timezone.localtime(day).date().isoformat()}"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Red poster"])

    # Collection alone (it replaces nothing else: clear first).
    page.locator("[data-chips] [data-clear-filters]").click()
    page.locator('[data-chip="collection"] [data-chip-button]').click()
    page.get_by_role("dialog").get_by_label(re.compile("Launch kit")).click()
    expect(page).to_have_url(re.compile(rf"collection={collection.pk}"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Launch banner"])
    expect(page.locator("[data-heading]")).to_have_text("Launch kit")

    # Reload and the back button restore what the URL says.
    page.reload()
    expect(page.locator("[data-results] .card-link")).to_have_text(["Launch banner"])
    page.go_back()
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.locator("[data-count]")).to_have_text("4 assets")

    # Favorites tab.
    Asset.objects.filter(title="Bedtime story").update(is_favorite=True)
    page.locator("[data-type-tabs]").get_by_role("link", name="Favorites").click()
    expect(page).to_have_url(re.compile(r"favorites=true"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Bedtime story"])


def test_grid_or_list_survives_a_reload(page, creator):
    make_asset(creator, title="Toggle me")
    log_in(page, creator)
    expect(page.locator(".asset-grid")).to_be_visible()
    page.get_by_role("button", name="List view").click()
    expect(page).to_have_url(re.compile(r"view=list"))
    expect(page.locator(".asset-table")).to_be_visible()
    expect(page.get_by_role("button", name="List view")).to_have_attribute("aria-pressed", "true")
    page.reload()
    expect(page.locator(".asset-table")).to_be_visible()
    page.goto("/library/")  # no view in the URL: the browser remembers
    expect(page.locator(".asset-table")).to_be_visible()
    expect(page.locator(".asset-table .row-link")).to_have_text(["Toggle me"])
    page.get_by_role("button", name="Grid view").click()
    page.reload()
    expect(page.locator(".asset-grid")).to_be_visible()


def test_select_range_bulk_delete_with_confirmation_then_undo(page, creator):
    now = timezone.now()
    for n in range(4):
        make_asset(creator, title=f"Shot {n}", created_at=now - dt.timedelta(minutes=n))
    log_in(page, creator)
    page.get_by_role("checkbox", name="Select Shot 0").check()
    page.get_by_role("checkbox", name="Select Shot 2").click(modifiers=["Shift"])  # a range: 0, 1, 2
    expect(page.locator("[data-selection-count]")).to_have_text("3 selected")
    expect(page.locator("[data-filter-bar]")).to_be_hidden()

    page.locator('[data-bulk="delete"]').click()
    dialog = page.get_by_role("dialog", name="Move 3 assets to the trash?")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Delete 3 assets").click()
    expect(page.locator("[data-results] .card-link")).to_have_text(["Shot 3"])
    expect(page.locator("[data-count]")).to_have_text("1 asset")
    expect(page.locator("[data-filter-bar]")).to_be_visible()
    expect(page.locator(".toast").filter(has_text="3 assets moved to the trash")).to_be_visible()
    assert Asset.objects.filter(owner=creator, deleted_at__isnull=False).count() == 3

    page.get_by_role("button", name="Undo").click()
    expect(page.locator("[data-results] .card-link")).to_have_count(4)
    assert Asset.objects.filter(owner=creator, deleted_at__isnull=False).count() == 0


def test_select_all_matching_acts_by_filter(page, creator):
    for n in range(5):
        make_asset(creator, title=f"Batch {n}")
    make_asset(creator, title="Other", type=AssetType.TEXT)
    log_in(page, creator, path="/library/?type=image&page_size=2")
    page.get_by_role("checkbox", name="Select all on this page").check()
    page.get_by_role("button", name="Select all 5 matching").click()
    expect(page.locator("[data-selection-count]")).to_have_text("All 5 selected")
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/bulk/update/") else None)
    page.locator('[data-bulk="favorite"]').click()
    expect(page.locator(".toast").filter(has_text="5 assets added to favourites")).to_be_visible()
    assert bodies == [{"filter": {"type": "image"}, "is_favorite": True}]
    assert Asset.objects.filter(owner=creator, is_favorite=True).count() == 5


def test_a_refused_favourite_rolls_back_with_the_reason(page, creator):
    make_asset(creator, title="Precious")
    log_in(page, creator)
    page.route(re.compile(r".*/api/v1/assets/[0-9a-f-]+/favorite/$"),
               lambda route: route.fulfill(status=400, json={"detail": "Favourites are frozen today."}))
    star = card(page, "Precious").get_by_role("button", name="Favourite Precious")
    star.click()
    expect(page.get_by_role("alert")).to_contain_text("Favourites are frozen today.")
    expect(star).to_have_attribute("aria-pressed", "false")
    assert not Asset.objects.get(title="Precious").is_favorite

    page.unroute(re.compile(r".*/api/v1/assets/[0-9a-f-]+/favorite/$"))
    card(page, "Precious").get_by_role("button", name="Favourite Precious").click()
    expect(card(page, "Precious").get_by_role("button", name="Favourite Precious")).to_have_attribute(
        "aria-pressed", "true")
    page.wait_for_timeout(300)
    assert Asset.objects.get(title="Precious").is_favorite


def test_a_refused_edit_rolls_back(page, creator):
    make_asset(creator, title="Stable title")
    log_in(page, creator)
    page.route(re.compile(r".*/api/v1/assets/[0-9a-f-]+/$"),
               lambda route: route.fulfill(status=500, body="boom") if route.request.method == "PATCH"
               else route.continue_())
    card(page, "Stable title").get_by_role("button", name="Edit Stable title").click()
    dialog = page.get_by_role("dialog", name="Edit asset")
    dialog.get_by_role("textbox", name="Title").fill("Renamed")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("The server had a problem (500)")
    expect(page.locator("[data-results] .card-link")).to_have_text(["Stable title"])


def test_editing_tags_marks_automatic_ones_and_saves(page, creator):
    from assets.tagging import add_auto_tags

    asset = make_asset(creator, title="Tag me", tags=["hero"])
    add_auto_tags(asset, ["lighthouse"])
    make_asset(creator, title="Other", tags=["campaign-q3"])
    log_in(page, creator)
    card(page, "Tag me").get_by_role("button", name="Edit Tag me").click()
    dialog = page.get_by_role("dialog", name="Edit asset")
    auto_chip = dialog.locator(".tag-chip.is-auto")
    expect(auto_chip).to_contain_text("lighthouse")
    expect(auto_chip.locator(".auto-badge")).to_have_text("auto")
    dialog.get_by_role("button", name="Remove tag lighthouse").click()
    tags = dialog.get_by_role("combobox", name="Tags")
    tags.fill("campa")
    dialog.get_by_role("option", name=re.compile("campaign-q3")).click()
    tags.fill("brand new")
    tags.press("Enter")
    dialog.get_by_role("textbox", name="Title").fill("Tagged")
    dialog.get_by_role("button", name="Save").click()
    expect(dialog).to_be_hidden()
    expect(card(page, "Tagged")).to_be_visible()
    expect(page.locator(".toast").filter(has_text="Changes saved")).to_be_visible()
    asset.refresh_from_db()
    assert asset.title == "Tagged"
    assert sorted(t.name for t in asset.tags.all()) == ["brand new", "campaign-q3", "hero"]


def test_bulk_download_ends_in_a_real_zip(page, creator, tmp_path):
    make_asset(creator, title="First picture", color=(200, 30, 30))
    make_asset(creator, title="A poem", type=AssetType.TEXT, text_content="Roses are red.")
    log_in(page, creator)
    page.get_by_role("checkbox", name="Select all on this page").check()
    page.locator('[data-bulk="download"]').click()
    link = page.locator(".toast").get_by_role("link", name="Download")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "export.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert "manifest.csv" in names
        assert any(name.startswith("First picture") and name.endswith(".png") for name in names)
        poem = next(name for name in names if name.startswith("A poem"))
        assert archive.read(poem).decode() == "Roses are red."
        assert zipfile.ZipFile(io.BytesIO(path.read_bytes())).testzip() is None


def test_share_link_from_the_toolbar_opens_logged_out(page, new_page, creator):
    make_asset(creator, title="Shared sunrise")
    make_asset(creator, title="Private draft")
    log_in(page, creator)
    card(page, "Shared sunrise").get_by_role("checkbox").check()
    page.locator('[data-bulk="share"]').click()
    dialog = page.get_by_role("dialog", name="Share 1 asset")
    dialog.get_by_role("button", name="Create link").click()
    url_box = dialog.get_by_label("Link", exact=True)
    expect(url_box).to_have_value(re.compile(r"/s/[A-Za-z0-9_-]{22,}/?$"))
    url = url_box.input_value()

    stranger = new_page(fresh=True)  # a context of its own: no session cookie
    response = stranger.goto(url)
    assert response.status == 200
    expect(stranger.get_by_text("Shared sunrise").first).to_be_visible()
    assert "Private draft" not in stranger.content()
    assert "/accounts/login/" not in stranger.url


def test_keyboard_status_refresh_and_no_console_errors(page, creator, settings):
    settings.LIBRARY_REFRESH_MS = 400
    now = timezone.now()
    for n in range(30):
        make_asset(creator, title=f"Frame {n:02d}", created_at=now - dt.timedelta(minutes=n),
                   status=AssetStatus.PROCESSING if n == 1 else AssetStatus.COMPLETED)
    make_asset(creator, title="Voice memo", type=AssetType.AUDIO, duration_seconds=12)
    make_asset(creator, title="Essay", type=AssetType.TEXT, text_content="Paragraph one.\n\nParagraph two.")
    log_in(page, creator)

    # A processing asset turns completed on screen without a reload.
    working = card(page, "Frame 01")
    expect(working).to_have_attribute("data-status", "processing")
    Asset.objects.filter(title="Frame 01").update(status=AssetStatus.COMPLETED, updated_at=timezone.now())
    expect(working).to_have_attribute("data-status", "completed")

    page.keyboard.press("/")
    expect(page.get_by_role("searchbox", name="Search assets")).to_be_focused()
    page.keyboard.press("Escape")
    page.locator("[data-results] .card-link").first.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("[data-results] .card-link").nth(1)).to_be_focused()
    page.keyboard.press(" ")
    expect(page.locator("[data-selection-count]")).to_have_text("1 selected")
    page.keyboard.press("Escape")
    expect(page.locator("[data-selection-bar]")).to_be_hidden()

    # Next page without a full reload (the page's own JS stays alive), list view, a popover.
    # From the bottom of the page, as a reader gets there: the next page starts at its top.
    page.evaluate("window.__sameDocument = true")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    page.wait_for_function("() => window.scrollY > 300")
    page.get_by_role("link", name="Next page").click()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("[data-results] .card-link").first).to_be_visible()
    page.wait_for_function("() => window.scrollY < 300")
    assert page.evaluate("window.__sameDocument") is True
    page.get_by_role("button", name="List view").click()
    page.locator('[data-sort-column="title"]').click()
    expect(page).to_have_url(re.compile(r"ordering=title"))
    page.locator('[data-chip="status"] [data-chip-button]').click()
    page.keyboard.press("Escape")
    page.go_back()
    page.wait_for_timeout(300)
    assert page.errors == [], page.errors


def test_narrow_screen_is_usable(new_page, creator):
    page = new_page(width=375, height=800)
    make_asset(creator, title="Pocket view")
    log_in(page, creator)
    expect(page.locator(".asset-grid")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Open navigation").click()
    expect(page.locator("#app-sidebar")).to_be_visible()
    page.locator("#app-sidebar").get_by_role("link", name="Images").click()
    expect(page).to_have_url(re.compile(r"type=image"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Pocket view"])
    assert page.errors == []


@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_a_misspelt_search_shows_what_it_meant_and_acts_on_that(page, creator, tmp_path):
    make_asset(creator, title="Sunset over the harbour")
    make_asset(creator, title="Sunset at sea")
    make_asset(creator, title="Mountain lake")
    log_in(page, creator, path="/library/?page_size=1")

    box = page.get_by_role("searchbox", name="Search assets")
    box.press_sequentially("sunet", delay=40)
    notice = page.locator("[data-correction]")
    expect(notice).to_have_text("No results for “sunet”. Showing results for sunset.")
    expect(page.locator("[data-count]")).to_have_text("2 assets")
    page.screenshot(path=os.environ.get("SCREENSHOT_DIR", str(tmp_path)) + "/library-spelling.png")

    # "All matching" is what the page shows: the corrected spelling's assets.
    page.get_by_role("checkbox", name="Select all on this page").check()
    page.get_by_role("button", name="Select all 2 matching").click()
    bodies = []
    page.on("request", lambda r: bodies.append(r.post_data_json) if r.url.endswith("/bulk/update/") else None)
    page.locator('[data-bulk="favorite"]').click()
    expect(page.locator(".toast").filter(has_text="2 assets added to favourites")).to_be_visible()
    assert bodies == [{"filter": {"q": "sunset"}, "is_favorite": True}]
    assert set(Asset.objects.filter(is_favorite=True).values_list("title", flat=True)) == {
        "Sunset over the harbour", "Sunset at sea"}

    page.get_by_role("button", name="Clear selection").click()
    box.fill("mountain")
    expect(page.locator("[data-results] .card-link")).to_have_text(["Mountain lake"])
    expect(notice).to_be_hidden()


def test_the_cost_chip_narrows_the_library_to_a_range_of_credits(page, creator, tmp_path):
    make_asset(creator, title="Cheap sketch", cost="0.01")
    make_asset(creator, title="Fair poster", cost="0.04")
    make_asset(creator, title="Dear film", type="video", cost="0.2")
    log_in(page, creator)
    expect(page.locator("[data-count]")).to_have_text("3 assets")

    page.locator('[data-chip="cost"] [data-chip-button]').click()
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("At least").fill("-1")
    dialog.get_by_role("button", name="Apply").click()
    expect(dialog.get_by_role("alert")).to_have_text("Costs are numbers of credits, 0 or more.")
    # The ends given the wrong way round are swapped.
    dialog.get_by_label("At least").fill("0.1")
    dialog.get_by_label("At most").fill("0.03")
    dialog.get_by_role("button", name="Apply").click()
    expect(page).to_have_url(re.compile(r"min_cost=0\.03&max_cost=0\.1|max_cost=0\.1&min_cost=0\.03"))
    expect(page.locator("[data-results] .card-link")).to_have_text(["Fair poster"])
    expect(page.locator('[data-chip="cost"]')).to_contain_text("Cost: 0.03–0.1 credits")

    page.locator('[data-chip="cost"] [data-chip-button]').click()
    page.get_by_role("dialog").get_by_label("At most").fill("")
    page.get_by_role("dialog").get_by_role("button", name="Apply").click()
    expect(page.locator('[data-chip="cost"]')).to_contain_text("Cost: 0.03 credits or more")
    expect(page.locator("[data-results] .card-link")).to_have_count(2)
    page.screenshot(path=os.environ.get("SCREENSHOT_DIR", str(tmp_path)) + "/library-cost-chip.png")

    page.locator('[data-chip="cost"] [data-chip-clear]').click()
    expect(page).to_have_url(re.compile(r"/library/$"))
    expect(page.locator("[data-count]")).to_have_text("3 assets")
