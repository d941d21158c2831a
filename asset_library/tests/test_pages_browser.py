"""The asset, collections, trash, shares, statistics and upload pages in a real browser,
used as a person would: click, type, wait. Each page is also screenshotted at 1280 and
375 px into screenshots/ (git-ignored) to be looked at."""

import base64
import datetime as dt
import re
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asset_library.tests.conftest import make_asset, sign_in
from asset_library.tests.conftest import page_ready as ready
from assets.models import Asset, AssetType
from collections_app.models import Collection, ShareLink
from conftest import make_image_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"




def toast(page, text):
    return page.locator(".toast").filter(has_text=text)


def eventually(check, timeout=5.0):
    """Wait for a condition the server side reaches a moment after the page shows it."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            raise AssertionError("the condition never held")
        time.sleep(0.05)


# ---------- The asset page ----------


def test_asset_page_preview_copy_favourite_edit_share_download(page, creator, live_server):
    asset = make_asset(creator, title="Harbour at dawn", prompt="a quiet harbour at dawn, mist",
                       model="flux-1.1-pro", provider="bfl", cost="0.0550", tags=["harbour"])
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    sign_in(page, creator, f"/library/assets/{asset.pk}/")
    expect(page.get_by_role("heading", name="Harbour at dawn", level=1)).to_be_visible()
    expect(page.get_by_text("a quiet harbour at dawn, mist")).to_be_visible()

    # Preview: the image toggles between fitting and its actual size; full screen and back.
    stage = page.locator("[data-stage]")
    expect(stage).to_have_class(re.compile(r"\bis-fit\b"))
    page.get_by_role("img", name="Harbour at dawn").first.click()
    expect(stage).to_have_class(re.compile(r"\bis-actual\b"))
    expect(page.locator("[data-zoom]")).to_have_text("Fit to screen")
    page.get_by_role("button", name="Fit to screen").click()
    expect(stage).to_have_class(re.compile(r"\bis-fit\b"))
    page.get_by_role("button", name="Full screen").click()
    expect(page.locator("[data-lightbox-dialog]")).to_be_visible()
    page.keyboard.press("Escape")
    expect(page.locator("[data-lightbox-dialog]")).to_be_hidden()

    # Copy the prompt.
    page.get_by_role("button", name="Copy prompt").click()
    expect(page.get_by_role("button", name="Copied")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == "a quiet harbour at dawn, mist"

    # Favourite.
    star = page.get_by_role("button", name="Favourite")
    star.click()
    expect(star).to_have_attribute("aria-pressed", "true")
    eventually(lambda: Asset.objects.get(pk=asset.pk).is_favorite)

    # Edit title and tags.
    page.get_by_role("button", name="Edit").click()
    dialog = page.get_by_role("dialog", name="Edit asset")
    dialog.get_by_label("Title").fill("Harbour at first light")
    dialog.get_by_role("combobox", name="Tags").fill("cover")
    dialog.get_by_role("combobox", name="Tags").press("Enter")
    dialog.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Harbour at first light", level=1)).to_be_visible()
    expect(page.locator("[data-tags]").get_by_role("link", name="cover")).to_be_visible()
    expect(page).to_have_title(re.compile("Harbour at first light"))
    eventually(lambda: Asset.objects.get(pk=asset.pk).title == "Harbour at first light")
    assert sorted(Asset.objects.get(pk=asset.pk).tags.names()) == ["cover", "harbour"]

    # Share with a password: a link to copy, the share counted.
    page.get_by_role("button", name="Share").click()
    dialog = page.get_by_role("dialog", name="Share this asset")
    dialog.get_by_label("Link expires").select_option("7")
    dialog.get_by_label("Password").fill("tide-7")
    dialog.get_by_label("Allow downloads").uncheck()
    dialog.get_by_role("button", name="Create link").click()
    expect(dialog.get_by_label("Link", exact=True)).to_have_value(re.compile(r"/s/[\w-]{22,}/$"))
    expect(dialog.get_by_text("view only · password protected")).to_be_visible()
    dialog.get_by_role("button", name="Copy link").click()
    expect(dialog.get_by_role("button", name="Copied")).to_be_visible()
    assert re.search(r"/s/[\w-]+/$", page.evaluate("navigator.clipboard.readText()"))
    dialog.get_by_role("button", name="Done").click()
    expect(page.locator("[data-share-count]")).to_have_text("1")
    link = ShareLink.objects.get(owner=creator)
    assert link.password_hash and not link.allow_download and link.expires_at is not None

    # Download: the file, named after the asset.
    with page.expect_download() as download:
        page.get_by_role("link", name="Download").click()
    assert download.value.suggested_filename.startswith("Harbour at first light")
    expect(page.locator("[data-download-count]")).to_have_text("1")
    page.context.clear_permissions()
    assert page.errors == [], page.errors


def test_asset_page_delete_with_undo_restore_and_previous_next(page, creator):
    now = timezone.now()
    newer = make_asset(creator, title="Newer image", created_at=now)
    make_asset(creator, title="A story", type=AssetType.TEXT, created_at=now - dt.timedelta(minutes=1))
    asset = make_asset(creator, title="Middle image", created_at=now - dt.timedelta(minutes=2))
    older = make_asset(creator, title="Older image", created_at=now - dt.timedelta(minutes=3))
    sign_in(page, creator, "/library/?type=image")
    page.get_by_role("link", name="Middle image", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/\?type=image$"))
    ready(page)

    # Previous and next walk the library's filter (images only), keeping its query string.
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(rf"/library/assets/{older.pk}/\?type=image$"))
    page.get_by_role("link", name=re.compile("^Previous")).click()
    expect(page).to_have_url(re.compile(rf"/library/assets/{asset.pk}/\?type=image$"))
    page.get_by_role("link", name=re.compile("^Previous")).click()
    expect(page).to_have_url(re.compile(rf"/library/assets/{newer.pk}/\?type=image$"))
    expect(page.get_by_role("link", name=re.compile("^Next: Middle image")))
    page.get_by_role("link", name=re.compile("^Next")).click()
    page.get_by_role("link", name="Back to results").click()
    expect(page).to_have_url(re.compile(r"/library/\?type=image$"))
    page.go_back()
    ready(page)

    # Delete: at once to the trash, with Undo.
    page.get_by_role("button", name="Delete").click()
    banner = page.locator("[data-trash-banner]")
    expect(banner).to_be_visible()
    expect(banner).to_contain_text("It will be deleted for good on")
    eventually(lambda: Asset.objects.get(pk=asset.pk).deleted_at is not None)
    toast(page, "Moved to the trash").get_by_role("button", name="Undo").click()
    expect(banner).to_be_hidden()
    expect(toast(page, "Deletion undone")).to_be_visible()
    eventually(lambda: Asset.objects.get(pk=asset.pk).deleted_at is None)

    # A trashed asset opens with the banner; Restore brings it back.
    Asset.objects.filter(pk=asset.pk).update(deleted_at=timezone.now())
    page.reload()
    ready(page)
    expect(banner).to_be_visible()
    expect(page.get_by_role("button", name="Share")).to_be_disabled()
    banner.get_by_role("button", name="Restore").click()
    expect(banner).to_be_hidden()
    expect(page.get_by_role("button", name="Share")).to_be_enabled()
    eventually(lambda: Asset.objects.get(pk=asset.pk).deleted_at is None)
    assert page.errors == [], page.errors


def test_another_owners_asset_is_not_found(page, creator):
    from assets.tests.factories import UserFactory

    stranger_asset = make_asset(UserFactory(), title="Someone else's secret")
    sign_in(page, creator, "/library/trash/")
    response = page.goto(f"/library/assets/{stranger_asset.pk}/")
    assert response.status == 404
    assert "Someone else" not in page.content()


# ---------- Collections ----------


def test_create_a_collection_fill_it_from_the_library_and_share_it(page, new_page, creator):
    make_asset(creator, title="Banner one")
    make_asset(creator, title="Banner two")
    make_asset(creator, title="Not in it")
    sign_in(page, creator, "/library/collections/")
    expect(page.get_by_role("heading", name="No collections yet")).to_be_visible()

    page.get_by_role("button", name="New collection").first.click()
    dialog = page.get_by_role("dialog", name="New collection")
    dialog.get_by_label("Name").fill("Launch kit")
    dialog.get_by_label("Description").fill("Everything for the launch")
    dialog.get_by_role("button", name="Create").click()
    card = page.locator(".collection-card").filter(has_text="Launch kit")
    expect(card).to_contain_text("0 assets")
    expect(page.locator("#app-sidebar").get_by_role("link", name=re.compile("Launch kit"))).to_be_visible()

    # A second name the same is refused, in the dialog.
    page.get_by_role("button", name="New collection").first.click()
    dialog = page.get_by_role("dialog", name="New collection")
    dialog.get_by_label("Name").fill("launch KIT")
    dialog.get_by_role("button", name="Create").click()
    expect(dialog.get_by_role("alert")).to_contain_text("Name")
    dialog.get_by_role("button", name="Cancel").click()
    assert page.errors == ["console: Failed to load resource: the server responded with a status of 400 (Bad Request)"]
    page.errors.clear()

    # Fill it from the library's selection bar.
    card.get_by_role("link", name="Launch kit").click()
    expect(page).to_have_url(re.compile(r"/library/\?collection="))
    expect(page.locator("[data-heading]")).to_have_text("Launch kit")
    page.goto("/library/")
    page.get_by_role("checkbox", name="Select Banner one").check()
    page.get_by_role("checkbox", name="Select Banner two").check()
    page.locator('[data-bulk="collection"]').click()
    dialog = page.get_by_role("dialog", name="Add 2 assets to a collection")
    dialog.get_by_role("radio", name=re.compile("Launch kit")).check()
    dialog.get_by_role("button", name="Add").click()
    expect(toast(page, "2 assets added to “Launch kit”")).to_be_visible()
    # The sidebar's list comes again from the server, with the new count.
    expect(page.locator("[data-nav-collections] [data-collection-id]").filter(has_text="Launch kit")
           .locator(".nav-count")).to_have_text("2")

    # Back on the collections page: counted, renamed, shared.
    page.goto("/library/collections/")
    ready(page)
    card = page.locator(".collection-card").filter(has_text="Launch kit")
    expect(card).to_contain_text("2 assets")
    expect(card.locator(".collection-cover img")).to_be_visible()
    card.get_by_role("button", name="Rename Launch kit").click()
    dialog = page.get_by_role("dialog", name="Rename collection")
    dialog.get_by_label("Name").fill("Launch kit 2026")
    dialog.get_by_role("button", name="Save").click()
    card = page.locator(".collection-card").filter(has_text="Launch kit 2026")
    expect(card).to_be_visible()
    card.get_by_role("button", name="Share Launch kit 2026").click()
    dialog = page.get_by_role("dialog", name="Share “Launch kit 2026”")
    dialog.get_by_role("button", name="Create link").click()
    url = dialog.get_by_label("Link", exact=True)
    expect(url).to_have_value(re.compile(r"/s/[\w-]+/$"))
    link = url.input_value()
    dialog.get_by_role("button", name="Done").click()

    stranger = new_page(fresh=True)
    assert stranger.goto(link).status == 200
    expect(stranger.get_by_role("heading", name="Launch kit 2026")).to_be_visible()
    expect(stranger.get_by_role("link", name="Banner one", exact=True)).to_be_visible()
    expect(stranger.get_by_role("link", name="Banner two", exact=True)).to_be_visible()
    assert "Not in it" not in stranger.content()

    # Deleting the collection (confirmed) keeps its assets.
    card.get_by_role("button", name="Delete Launch kit 2026").click()
    page.get_by_role("dialog", name="Delete “Launch kit 2026”?").get_by_role(
        "button", name="Delete collection").click()
    expect(page.get_by_role("heading", name="No collections yet")).to_be_visible()
    eventually(lambda: not Collection.objects.filter(owner=creator).exists())
    assert Asset.objects.filter(owner=creator, deleted_at__isnull=True).count() == 3
    assert page.errors == [], page.errors


# ---------- Trash ----------


def test_trash_restore_delete_forever_and_empty(page, creator):
    now = timezone.now()
    for n, title in enumerate(["Old draft", "Second take", "Third take", "Fourth take"]):
        make_asset(creator, title=title, deleted_at=now - dt.timedelta(days=n))
    make_asset(creator, title="Alive")
    sign_in(page, creator, "/library/trash/")
    expect(page.locator(".trash-row")).to_have_count(4)
    expect(page.locator("[data-count]")).to_have_text("4 assets")
    expect(page.locator(".trash-row").first).to_contain_text("Purged in 30 days")

    # Restore one: at once (nothing to confirm), then gone from the trash.
    page.get_by_role("button", name="Restore Old draft").click()
    expect(page.locator(".trash-row")).to_have_count(3)
    expect(toast(page, "“Old draft” restored")).to_be_visible()
    assert Asset.objects.get(title="Old draft").deleted_at is None

    # Delete one forever: confirmed, and a cancel does nothing.
    page.get_by_role("button", name="Delete forever: Second take").click()
    page.get_by_role("dialog", name="Delete forever?").get_by_role("button", name="Cancel").click()
    expect(page.locator(".trash-row")).to_have_count(3)
    page.get_by_role("button", name="Delete forever: Second take").click()
    page.get_by_role("dialog", name="Delete forever?").get_by_role("button", name="Delete forever").click()
    expect(page.locator(".trash-row")).to_have_count(2)
    eventually(lambda: not Asset.objects.filter(title="Second take").exists())

    # Empty the trash: a job, followed in a progress toast.
    jobs = []
    page.on("request", lambda r: jobs.append(r.url) if "/api/v1/jobs/" in r.url else None)
    page.get_by_role("button", name="Empty trash").click()
    page.get_by_role("dialog", name="Empty the trash?").get_by_role("button", name="Empty trash").click()
    expect(toast(page, "Trash emptied: 2 assets deleted for good")).to_be_visible()
    expect(page.get_by_role("heading", name="The trash is empty")).to_be_visible()
    expect(page.locator("[data-trash-actions]")).to_be_hidden()
    assert not Asset.objects.filter(owner=creator, deleted_at__isnull=False).exists()
    assert Asset.objects.filter(owner=creator).count() == 2  # "Alive" and "Old draft"
    assert page.errors == [], page.errors


def test_emptying_a_big_trash_shows_the_jobs_progress(page, creator):
    """The job runs on the workers: the toast follows GET /jobs/{id}/ until it is done."""
    for n in range(3):
        make_asset(creator, title=f"Trashed {n}", trashed=True)
    sign_in(page, creator, "/library/trash/")
    polls = {"n": 0}

    def job_in_progress(route):
        # The first two polls see the job half-way; then the real answer.
        polls["n"] += 1
        if polls["n"] <= 2:
            response = route.fetch()
            body = response.json()
            body.update(status="running", done=1, total=3, download_url=None)
            route.fulfill(response=response, json=body)
        else:
            route.continue_()

    page.route("**/api/v1/jobs/*/", job_in_progress)

    def job_queued(route):
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "status": "queued", "done": 0})

    page.route("**/api/v1/assets/bulk/delete/", job_queued)
    page.get_by_role("button", name="Empty trash").click()
    page.get_by_role("dialog", name="Empty the trash?").get_by_role("button", name="Empty trash").click()
    progress = page.locator(".toast [role=progressbar]")
    expect(progress).to_have_attribute("aria-valuenow", "33")
    expect(page.locator(".toast-detail")).to_have_text("1 of 3")
    expect(toast(page, "Trash emptied: 3 assets deleted for good")).to_be_visible()
    assert polls["n"] >= 3


# ---------- Shares ----------


def test_revoking_a_share_makes_its_link_a_404(page, new_page, creator):
    from collections_app import services

    asset = make_asset(creator, title="Poster draft")
    link = services.share_link_create_for_asset(owner=creator, asset=asset, expires_in_days=7)
    url = f"/s/{link.token}/"
    stranger = new_page(fresh=True)
    assert stranger.goto(url).status == 200

    sign_in(page, creator, "/library/shares/")
    row = page.locator(".share-row").filter(has_text="Poster draft")
    expect(row).to_contain_text("Active")
    expect(row).to_contain_text("Download")
    row.get_by_role("button", name="Copy the link to Poster draft").click()
    expect(toast(page, "Link copied")).to_be_visible()
    row.get_by_role("button", name="Revoke the link to Poster draft").click()
    page.get_by_role("dialog", name="Revoke this link?").get_by_role("button", name="Revoke link").click()
    expect(row).to_contain_text("Revoked")
    expect(row.get_by_role("button")).to_have_count(0)

    assert stranger.goto(url).status == 404
    page.get_by_role("link", name="Ended").click()
    expect(page.locator(".share-row")).to_have_count(1)
    page.get_by_role("link", name="Active").click()
    expect(page.get_by_role("heading", name="No active links")).to_be_visible()
    assert page.errors == [], page.errors


def test_the_public_page_logged_out_with_and_without_a_password(new_page, creator):
    from collections_app import services

    open_asset = make_asset(creator, title="Open sunrise")
    locked_asset = make_asset(creator, title="Locked sunset")
    make_asset(creator, title="Private draft")
    open_link = services.share_link_create_for_asset(owner=creator, asset=open_asset)
    locked_link = services.share_link_create_for_asset(owner=creator, asset=locked_asset, password="let-me-in")

    visitor = new_page(fresh=True)
    assert visitor.goto(f"/s/{open_link.token}/").status == 200
    expect(visitor.get_by_role("heading", name="Open sunrise", level=1)).to_be_visible()
    assert "Private draft" not in visitor.content() and "/accounts/login/" not in visitor.url

    visitor.goto(f"/s/{locked_link.token}/")
    expect(visitor.get_by_role("heading", name="This link needs a password")).to_be_visible()
    assert "Locked sunset" not in visitor.content()
    visitor.get_by_label("Password").fill("wrong-guess")
    visitor.get_by_role("button", name="Open").click()
    expect(visitor.get_by_role("alert")).to_be_visible()
    visitor.get_by_label("Password").fill("let-me-in")
    visitor.get_by_role("button", name="Open").click()
    expect(visitor.get_by_role("heading", name="Locked sunset", level=1)).to_be_visible()


# ---------- Statistics ----------


def test_stats_charts_are_drawn_from_real_data_and_the_picker_changes_them(page, creator):
    now = timezone.now()
    for days, cost in ((0, "1.5000"), (1, "0.2500"), (10, "0.7500"), (40, "2.0000"), (200, "3.0000")):
        make_asset(creator, title=f"Made {days} days ago", cost=cost, model="flux-1.1-pro",
                   created_at=now - dt.timedelta(days=days), download_count=days % 3)
    make_asset(creator, title="A story", type=AssetType.TEXT, cost="0.1000", model="claude-sonnet")
    sign_in(page, creator, "/library/stats/")

    figures = page.locator("[data-figures]")
    expect(figures).to_have_attribute("data-period", "day")
    expect(figures).to_have_attribute("data-points", "30")
    cost_chart = page.locator("#cost-chart-wide")
    expect(cost_chart).to_be_visible()
    expect(cost_chart.locator("rect.chart-bar")).to_have_count(30)
    # Today's bar carries the real figures in its tooltip, and is the tallest one.
    titles = cost_chart.locator("rect.chart-bar title").all_text_contents()
    assert any(re.match(r"\w{3} \d+, \d{4}: 1\.60 credits · 2 assets", t) for t in titles), titles
    heights = [float(h) for h in cost_chart.locator("rect.chart-bar").evaluate_all(
        "bars => bars.map(b => b.getAttribute('height'))")]
    assert max(heights) == heights[-1] > 0
    expect(page.locator('[data-kpi="assets"] .kpi-value')).to_have_text("4")
    expect(page.locator("#type-chart")).to_contain_text("Image")
    expect(page.get_by_role("row", name=re.compile("flux-1.1-pro"))).to_be_visible()

    # The period picker redraws the same range by week, without a reload.
    page.evaluate("window.__samePage = true")
    page.get_by_text("Week", exact=True).click()
    expect(figures).to_have_attribute("data-period", "week")
    expect(page).to_have_url(re.compile(r"period=week"))
    weeks = int(figures.get_attribute("data-points"))
    assert 5 <= weeks <= 6
    expect(cost_chart.locator("rect.chart-bar")).to_have_count(weeks)
    assert page.evaluate("window.__samePage") is True

    # A longer range: by month, with the older assets in it.
    page.get_by_label("Date range").select_option("12m")
    expect(figures).to_have_attribute("data-period", "month")
    expect(page.locator('[data-kpi="assets"] .kpi-value')).to_have_text("6")
    expect(page.get_by_role("radio", name="Month")).to_be_checked()
    assert "range=12m" in page.url
    export = page.get_by_role("link", name="Export CSV")
    expect(export).to_have_attribute("href", re.compile(r"/api/v1/stats/export.csv\?period=month&created_after="))

    # A custom range, applied with the button.
    page.get_by_label("Date range").select_option("custom")
    page.get_by_label("From", exact=True).fill((now - dt.timedelta(days=2)).date().isoformat())
    page.get_by_label("To", exact=True).fill(now.date().isoformat())
    page.get_by_role("button", name="Apply").click()
    expect(figures).to_have_attribute("data-range", "custom")
    expect(page.locator('[data-kpi="assets"] .kpi-value')).to_have_text("3")

    # The back button returns to the previous figures.
    page.go_back()
    expect(figures).to_have_attribute("data-period", "month")
    with page.expect_download() as download:
        export.click()
    assert download.value.suggested_filename.endswith(".csv")
    assert page.errors == [], page.errors


# ---------- Upload ----------


PNG = make_image_bytes(size=(40, 30), color=(20, 160, 90))


def upload_files():
    return [
        {"name": "green-square.png", "mimeType": "image/png", "buffer": PNG},
        {"name": "story.txt", "mimeType": "text/plain", "buffer": b"Once there was a harbour.\n"},
        {"name": "notes.md", "mimeType": "text/markdown", "buffer": b"# Notes\n\nShort ones."},
    ]


def expect_three_uploaded(page, creator):
    rows = page.locator(".upload-item")
    expect(rows).to_have_count(3)
    for name in ("green-square.png", "story.txt", "notes.md"):
        row = rows.filter(has_text=name)
        expect(row.locator("[data-status]")).to_have_text("Added to your library")
        expect(row.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100")
        expect(row.get_by_role("link", name=re.compile("^View"))).to_have_attribute(
            "href", re.compile(r"^/library/assets/[0-9a-f-]{36}/$"))
    expect(page.locator("[data-upload-summary]")).to_have_text("3 files added to your library")
    expect(page.get_by_role("link", name="View in library")).to_be_visible()
    uploaded = Asset.objects.filter(owner=creator, source_module="upload")
    assert sorted(uploaded.values_list("title", flat=True)) == ["green-square", "notes", "story"]
    assert sorted(uploaded.values_list("type", flat=True)) == ["image", "text", "text"]


def test_upload_three_files_through_the_drop_zones_input(page, creator, settings):
    settings.MAX_UPLOAD_SIZE_BY_TYPE = {**settings.MAX_UPLOAD_SIZE_BY_TYPE, "text": 64}
    sign_in(page, creator, "/library/upload/")
    page.locator("[data-file-input]").set_input_files(upload_files())
    expect_three_uploaded(page, creator)

    # Each file has its own outcome: refused types and sizes say why, a duplicate says so.
    page.locator("[data-file-input]").set_input_files([
        {"name": "tool.exe", "mimeType": "application/x-msdownload", "buffer": b"MZ\x90\x00"},
        {"name": "long.txt", "mimeType": "text/plain", "buffer": b"word " * 40},
        {"name": "again.png", "mimeType": "image/png", "buffer": PNG},
        {"name": "fake.png", "mimeType": "image/png", "buffer": bytes(range(256)) * 4},
    ])
    rows = page.locator(".upload-item")
    expect(rows).to_have_count(7)
    expect(rows.filter(has_text="tool.exe").locator("[data-status]")).to_have_text(
        "This file type is not accepted.")
    expect(rows.filter(has_text="long.txt").locator("[data-status]")).to_have_text(
        "Too large: text files can be at most 64 bytes.")
    expect(rows.filter(has_text="again.png").locator("[data-status]")).to_have_text(
        "Already in your library: this is the same file.")
    expect(rows.filter(has_text="fake.png").locator("[data-status]")).to_contain_text("not accepted")
    assert Asset.objects.filter(owner=creator).count() == 3

    page.get_by_role("link", name="View in library").click()
    expect(page.locator("[data-results] .card-link")).to_have_count(3)
    assert page.errors == [] or all("400" in e or "413" in e for e in page.errors), page.errors


def test_upload_three_files_by_dropping_them(page, creator):
    sign_in(page, creator, "/library/upload/")
    files = [
        {"name": f["name"], "type": f["mimeType"], "data": base64.b64encode(f["buffer"]).decode()}
        for f in upload_files()
    ]
    page.evaluate("""(files) => {
        const zone = document.querySelector('[data-dropzone]');
        const transfer = new DataTransfer();
        for (const f of files) {
            const bytes = Uint8Array.from(atob(f.data), (c) => c.charCodeAt(0));
            transfer.items.add(new File([bytes], f.name, { type: f.type }));
        }
        zone.dispatchEvent(new DragEvent('dragenter', { bubbles: true, cancelable: true, dataTransfer: transfer }));
        zone.dispatchEvent(new DragEvent('dragover', { bubbles: true, cancelable: true, dataTransfer: transfer }));
        window.__overDuringDrag = zone.classList.contains('is-over');
        zone.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
    }""", files)
    assert page.evaluate("window.__overDuringDrag") is True
    expect(page.locator("[data-dropzone]")).not_to_have_class(re.compile(r"\bis-over\b"))
    expect_three_uploaded(page, creator)
    assert page.errors == [], page.errors


# ---------- Every page at 1280 and 375 px ----------


def _picture(top, bottom, size=(960, 640)):
    """A gradient with a sun: something that reads as a picture in the screenshots."""
    import io

    from django.core.files.base import ContentFile
    from PIL import Image, ImageDraw

    width, height = size
    image = Image.new("RGB", size)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        draw.line([(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True)))
    draw.ellipse([width * 0.58, height * 0.22, width * 0.78, height * 0.52], fill=(255, 236, 200))
    hill = [(0, height), (width * 0.35, height * 0.55), (width * 0.7, height)]
    draw.polygon(hill, fill=tuple(c // 2 for c in bottom))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return ContentFile(buffer.getvalue(), name="picture.png")


def _seed_for_screenshots(user):
    from collections_app import services
    from collections_app.tests.factories import CollectionFactory

    now = timezone.now()
    colours = [((251, 146, 60), (79, 70, 229)), ((244, 63, 94), (30, 27, 75)), ((253, 224, 71), (194, 65, 12)),
               ((125, 211, 252), (30, 64, 175)), ((190, 242, 100), (21, 128, 61)), ((196, 181, 253), (88, 28, 135))]
    images = [
        make_asset(user, title=title, file=_picture(*colours[n]), width=960, height=640, file_size=48_000 + n * 9_000,
                   prompt=f"{title.lower()}, soft light",
                   model=("flux-1.1-pro", "ideogram-v3-turbo", "dall-e-3")[n % 3], cost=f"0.0{n + 2}00",
                   created_at=now - dt.timedelta(days=n * 3, hours=n), download_count=n % 4, tags=["campaign"])
        for n, title in enumerate(["Harbour at dawn", "Neon alley", "Desert highway", "Lighthouse keeper",
                                   "Citrus splash", "Mountain lake"])
    ]
    parent = images[0]
    Asset.objects.filter(pk__in=[images[1].pk, images[2].pk]).update(parent=parent)
    make_asset(user, title="Night at the observatory", type=AssetType.TEXT, model="claude-sonnet",
               source_module="story_writer", cost="0.0136",
               text_content="It was Nadia's turn to lock up.\n\nThe observatory stood above the town.")
    make_asset(user, title="Meditation drone", type=AssetType.AUDIO, model="stable-audio-2",
               source_module="podcast_maker", duration_seconds=95, cost="0.1210")
    for n in range(2):
        make_asset(user, title=f"Rejected draft {n + 1}", deleted_at=now - dt.timedelta(days=n * 9 + 1))
    kit = CollectionFactory(owner=user, name="Spring campaign", description="Hero banners and social cuts.")
    services.collection_add_assets(collection=kit, assets=Asset.objects.filter(pk__in=[i.pk for i in images[:4]]))
    CollectionFactory(owner=user, name="Client review")
    services.share_link_create_for_collection(owner=user, collection=kit, password="open-up", expires_in_days=7)
    services.share_link_create_for_asset(owner=user, asset=images[3], allow_download=False)
    revoked = services.share_link_create_for_asset(owner=user, asset=images[4])
    services.share_link_revoke(share_link=revoked)
    return parent


def test_every_page_at_desktop_and_phone_widths(new_page, creator):
    parent = _seed_for_screenshots(creator)
    SCREENSHOTS.mkdir(exist_ok=True)
    pages = [
        ("asset", f"/library/assets/{parent.pk}/"),
        ("collections", "/library/collections/"),
        ("trash", "/library/trash/"),
        ("shares", "/library/shares/"),
        ("stats", "/library/stats/?range=90d"),
        ("upload", "/library/upload/"),
    ]
    for width, height in ((1280, 900), (375, 812)):
        page = new_page(width=width, height=height, fresh=True)
        sign_in(page, creator, "/library/upload/")
        for name, path in pages:
            page.goto(path)
            ready(page)
            page.wait_for_load_state("networkidle")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{name} overflows at {width}"
            expect(page.get_by_label(re.compile("^Account: creator"))).to_be_visible()  # the user menu
            page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        # The phone's navigation drawer reaches every page.
        if width == 375:
            page.get_by_role("button", name="Open navigation").click()
            page.locator("#app-sidebar").get_by_role("link", name="Statistics").click()
            expect(page).to_have_url(re.compile(r"/library/stats/"))
        assert page.errors == [], page.errors


def test_long_names_and_narrow_cards_keep_every_collection_action_in_reach(page, creator):
    from asset_library.tests.test_library_browser import assert_inside

    long_name = "Autumn campaign for the harbour district, final round of approved visuals"
    Collection.objects.create(owner=creator, name=long_name)
    sign_in(page, creator, "/library/collections/")
    ready(page)

    card = page.locator(".collection-card").first
    for action in ("People and activity of", "Share", "Rename", "Delete"):
        button = card.get_by_role("button", name=f"{action} {long_name}")
        expect(button).to_be_visible()
        assert_inside(button, card)
    card.get_by_role("button", name=f"Delete {long_name}").click()
    expect(page.get_by_role("dialog")).to_be_visible()
    page.keyboard.press("Escape")

    # The sidebar cuts the name short and keeps its count in view.
    sidebar = page.locator("#app-sidebar")
    link = sidebar.locator("[data-collection-id]").first
    assert_inside(link, sidebar)
    assert_inside(link.locator(".nav-count"), sidebar)
    assert page.errors == [], page.errors
