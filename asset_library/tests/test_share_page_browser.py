"""The public share page as a client sees it, in Chromium: the grid, the full-screen viewer
with the arrow keys, "Download all" as one zip (with and without script), and a collection
link that shows new assets as they are added."""

import datetime as dt
import io
import re
import wave
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from playwright.sync_api import expect

from asset_library.tests.conftest import make_asset
from assets.models import AssetType

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def a_second_of_silence() -> ContentFile:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as sound:
        sound.setnchannels(1)
        sound.setsampwidth(2)
        sound.setframerate(8000)
        sound.writeframes(b"\x00\x00" * 8000)
    return ContentFile(buffer.getvalue(), name="waves.wav")


def three_assets(owner):
    now = timezone.now()
    return [
        make_asset(owner, title="Harbour at dawn", created_at=now),
        make_asset(owner, title="Bedtime story", type=AssetType.TEXT,
                   text_content="Once upon a time, a lighthouse keeper counted the ships.\n\nThe sea was calm.",
                   created_at=now - dt.timedelta(minutes=1)),
        make_asset(owner, title="Wave sounds", type=AssetType.AUDIO, duration_seconds=1, mime_type="audio/wav",
                   file=a_second_of_silence(),
                   created_at=now - dt.timedelta(minutes=2)),
    ]


def ready(page, path):
    assert page.goto(path).status == 200
    page.wait_for_selector("html[data-page-ready]", state="attached")
    return page


def test_a_client_steps_through_the_viewer_with_the_keyboard(new_page, creator):
    from collections_app import services

    harbour, story, waves = three_assets(creator)
    link = services.share_link_create_for_selection(
        owner=creator, assets=type(harbour).objects.filter(pk__in=[harbour.pk, story.pk, waves.pk]), title="For Ana")
    page = ready(new_page(fresh=True), f"/s/{link.token}/")
    expect(page.get_by_role("heading", name="For Ana")).to_be_visible()
    expect(page.locator(".share-card")).to_have_count(3)

    page.get_by_role("link", name="Harbour at dawn", exact=True).click()
    page.wait_for_selector("html[data-page-ready]", state="attached")
    expect(page.get_by_role("heading", name="Harbour at dawn")).to_be_visible()
    expect(page.get_by_text("1 of 3")).to_be_visible()
    expect(page.get_by_role("img", name="Harbour at dawn")).to_be_visible()

    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Bedtime story")).to_be_visible()
    expect(page.get_by_role("article", name="Bedtime story")).to_contain_text("The sea was calm.")  # in full
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("heading", name="Wave sounds")).to_be_visible()
    expect(page.locator("audio[controls]")).to_have_count(1)
    page.keyboard.press("ArrowRight")  # the last one: nothing further
    expect(page.get_by_text("3 of 3")).to_be_visible()
    page.keyboard.press("ArrowLeft")
    expect(page.get_by_role("heading", name="Bedtime story")).to_be_visible()

    page.keyboard.press("Escape")
    expect(page).to_have_url(re.compile(rf"/s/{link.token}/#asset-{story.pk}$"))
    expect(page.get_by_role("heading", name="For Ana")).to_be_visible()
    assert page.errors == [], page.errors


def test_download_all_gives_one_zip_with_its_progress_in_place(new_page, creator, tmp_path):
    from collections_app import services

    assets = three_assets(creator)
    link = services.share_link_create_for_selection(
        owner=creator, assets=type(assets[0]).objects.filter(pk__in=[a.pk for a in assets]), title="Ship it")
    page = ready(new_page(fresh=True), f"/s/{link.token}/")

    with page.expect_download() as download:
        page.get_by_role("button", name="Download all").click()
    expect(page.get_by_role("status").filter(has_text="Your zip is ready")).to_be_visible()
    expect(page.get_by_role("link", name="Download zip")).to_be_visible()
    target = tmp_path / download.value.suggested_filename
    download.value.save_as(target)
    assert target.name.startswith("ship-it-") and target.suffix == ".zip"
    names = zipfile.ZipFile(target).namelist()
    assert len(names) == 4 and "manifest.csv" in names and "Bedtime story.txt" in names
    assert page.errors == [], page.errors


def test_download_all_works_without_script(browser, live_server, creator, tmp_path):
    from collections_app import services

    assets = three_assets(creator)
    link = services.share_link_create_for_selection(
        owner=creator, assets=type(assets[0]).objects.filter(pk__in=[a.pk for a in assets]))
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, accept_downloads=True)
    try:
        page = context.new_page()
        page.goto(f"/s/{link.token}/")
        page.get_by_role("button", name="Download all").click()
        expect(page).to_have_url(re.compile(rf"/s/{link.token}/download/[0-9a-f-]+/$"))
        expect(page.get_by_role("heading", name="Your zip is ready")).to_be_visible()
        with page.expect_download() as download:
            page.get_by_role("link", name="Download zip").click()
        target = tmp_path / "all.zip"
        download.value.save_as(target)
        assert len(zipfile.ZipFile(target).namelist()) == 4
        page.get_by_role("link", name="Back to the shared assets").click()
        expect(page.locator(".share-card")).to_have_count(3)
    finally:
        context.close()


def test_a_collection_link_shows_new_assets_as_they_are_added(new_page, creator, settings):
    from collections_app import services
    from collections_app.models import Collection

    settings.SHARE_LIVE_REFRESH_SECONDS = 0.3
    first = make_asset(creator, title="First light", created_at=timezone.now() - dt.timedelta(hours=1))
    collection = Collection.objects.create(owner=creator, name="Moodboard")
    services.collection_add_assets(collection=collection, assets=type(first).objects.filter(pk=first.pk))
    link = services.share_link_create_for_collection(owner=creator, collection=collection)
    page = ready(new_page(fresh=True), f"/s/{link.token}/")
    expect(page.get_by_text("1 asset", exact=False).first).to_be_visible()

    added = make_asset(creator, title="Fresh from the studio")
    services.collection_add_assets(collection=collection, assets=type(added).objects.filter(pk=added.pk))

    expect(page.get_by_role("link", name="Fresh from the studio", exact=True)).to_be_visible()
    expect(page.locator(".share-card.is-new")).to_have_count(1)
    expect(page.locator("[data-live-note]")).to_have_text("1 new asset added.")
    expect(page.locator("[data-share-summary]")).to_contain_text("2 assets")

    services.share_link_revoke(share_link=link)  # revoked: the page says so on its next look
    expect(page.get_by_role("link", name="Fresh from the studio", exact=True)).to_have_count(0)
