"""Where assets are used, in a real browser: the card and row markers, the Usage filter, the
asset page's "Used in", and the cleanup from the statistics to the trash."""

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asset_library.tests.conftest import make_asset, sign_in
from asset_library.tests.conftest import page_ready as ready
from assets.models import Asset
from assets.usages import usage_record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def used(asset, *titles):
    for number, title in enumerate(titles):
        usage_record(asset=asset, source_module="blog_writer", kind="published", target_title=title,
                     target_url=f"https://blog.example.com/post-{number}", external_ref=f"post-{number}")


def test_markers_filter_and_used_in(page, creator):
    lighthouse = make_asset(creator, title="Lighthouse at dawn")
    used(lighthouse, "Ten tips for coastal photos", "Our spring campaign")
    make_asset(creator, title="Forgotten sketch")
    sign_in(page, creator, "/library/")

    card = page.locator(".card", has_text="Lighthouse at dawn")
    expect(card.locator(".media-used")).to_have_text("used 2×")
    expect(card.locator(".media-used")).to_have_attribute("title", "Used in 2 places")
    expect(page.locator(".card", has_text="Forgotten sketch").locator(".media-used")).to_have_count(0)

    # The Usage chip: never used, then used.
    page.locator('[data-chip="used"] [data-chip-button]').click()
    page.get_by_role("radio", name="Never used").click()
    expect(page).to_have_url(re.compile(r"used=false"))
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card")).to_contain_text("Forgotten sketch")
    expect(page.locator('[data-chip="used"] .chip-value')).to_have_text("Never used")
    page.locator('[data-chip="used"] [data-chip-button]').click()
    page.get_by_role("radio", name="Used somewhere").click()
    expect(page.locator(".card")).to_have_count(1)
    expect(page.locator(".card")).to_contain_text("Lighthouse at dawn")

    # The list view's column, and the asset page's "Used in" with its links.
    page.goto("/library/?used=true&view=list")
    expect(page.locator("tr.row", has_text="Lighthouse at dawn").locator(".col-used")).to_have_text("used 2×")
    page.get_by_role("link", name="Lighthouse at dawn").click()
    ready(page)
    used_in = page.locator("section", has=page.get_by_role("heading", name=re.compile("Used in")))
    expect(used_in.locator(".usage")).to_have_count(2)
    link = used_in.get_by_role("link", name=re.compile("Ten tips for coastal photos"))
    expect(link).to_have_attribute("href", "https://blog.example.com/post-0")
    expect(link).to_have_attribute("rel", re.compile("noopener"))
    expect(used_in).to_contain_text("Blog Writer")
    assert not page.errors, page.errors


def test_cleanup_from_the_statistics_to_the_trash(page, creator):
    now = timezone.now()
    old = [make_asset(creator, title=f"Old unused {n}", cost="0.2500", created_at=now - dt.timedelta(days=60 + n))
           for n in range(3)]
    old_used = make_asset(creator, title="Old but used", cost="1.0000", created_at=now - dt.timedelta(days=70))
    used(old_used, "The launch post")
    recent = make_asset(creator, title="Made yesterday", cost="0.5000", created_at=now - dt.timedelta(days=1))
    sign_in(page, creator, "/library/stats/")
    page.goto("/library/stats/?range=all")
    ready(page)

    expect(page.locator('[data-kpi="used"] .kpi-value')).to_have_text("1")
    expect(page.locator('[data-kpi="used"] .kpi-hint')).to_have_text("20% of these assets")
    expect(page.locator('[data-kpi="unused_cost"] .kpi-value')).to_have_text("1.25")
    panel = page.locator("[data-cleanup]")
    expect(panel.locator("[data-cleanup-count]")).to_have_text("3 assets")  # 30 days by default
    expect(panel.locator("[data-cleanup-cost]")).to_have_text("0.75 credits")

    # Fewer days take in yesterday's asset too; more days, nothing.
    panel.get_by_label("Never used, and older than").fill("0")
    expect(panel.locator("[data-cleanup-count]")).to_have_text("4 assets")
    expect(panel.locator("[data-cleanup-cost]")).to_have_text("1.25 credits")
    panel.get_by_label("Never used, and older than").fill("365")
    expect(panel.locator("[data-cleanup-count]")).to_contain_text("Nothing to clean up")
    panel.get_by_label("Never used, and older than").fill("-5")
    expect(panel).to_contain_text("Use a whole number of days")
    panel.get_by_label("Never used, and older than").fill("45")
    expect(panel.locator("[data-cleanup-count]")).to_have_text("3 assets")

    # One click: the library, every one of them selected for review.
    panel.get_by_role("link", name="Review them for the trash").click()
    expect(page).to_have_url(re.compile(r"/library/\?used=false&created_before=\d{4}-\d{2}-\d{2}$"))
    expect(page.locator(".card")).to_have_count(3)
    expect(page.locator("[data-selection-count]")).to_have_text("All 3 selected")

    # The confirmation says what they cost; then they go to the trash.
    page.get_by_role("button", name="Delete").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_contain_text("Move 3 assets to the trash?")
    expect(dialog).to_contain_text("None of them was ever used: they cost 0.75 credits.")
    dialog.get_by_role("button", name="Delete 3 assets").click()
    expect(page.locator(".toast", has_text="3 assets moved to the trash")).to_be_visible()
    assert set(Asset.objects.filter(owner=creator, deleted_at__isnull=False).values_list("pk", flat=True)) == {
        asset.pk for asset in old}
    assert Asset.objects.get(pk=recent.pk).deleted_at is None and Asset.objects.get(pk=old_used.pk).deleted_at is None
    assert not page.errors, page.errors
