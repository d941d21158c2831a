"""Accessibility in a real browser: axe-core (npm, pinned by package-lock.json, installed by
`make test` with `npm ci`) is injected into every page of the UI and must report no serious
or critical violation, at 390, 1024 and 1440 px, in light and dark mode. And the controls
whose labels collapse to icons on narrow screens keep their names and show a tooltip on
keyboard focus.

Each page is one test: it signs in once, then walks the three widths and both colour
schemes in the same browser page, so the count stays small and a failure lists every
(width, scheme) that broke. Screenshots of each state go to screenshots/a11y/ (git-ignored).
"""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from asset_library.tests.conftest import make_asset, sign_in
from asset_library.tests.conftest import page_ready as ready
from assets.models import AssetStatus, AssetType
from conftest import require_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "screenshots" / "a11y"
WIDTHS = (390, 1024, 1440)
SCHEMES = ("light", "dark")
BLOCKING = ("serious", "critical")


@pytest.fixture(scope="session")
def axe_source():
    if not AXE.exists():
        require_service("axe-core", f"{AXE.relative_to(ROOT)} is missing (run `npm ci`)")
    return AXE.read_text(encoding="utf-8")


# ---------- Helpers ----------


def settle(page):
    """Wait for fonts, pictures and finite transitions, so colours are the final ones."""
    page.wait_for_load_state("load")
    page.evaluate("""async () => {
        await document.fonts.ready;
        const finite = document.getAnimations().filter((animation) => {
            const timing = animation.effect && animation.effect.getComputedTiming();
            return timing && Number.isFinite(timing.endTime);
        });
        await Promise.all(finite.map((animation) => animation.finished.catch(() => null)));
    }""")


def axe_violations(page, axe_source):
    """Inject axe-core (once per document) and return its serious and critical violations.
    It is evaluated through the DevTools protocol rather than added as a <script>, which the
    public share page's Content-Security-Policy (default-src 'none') would block."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(axe_source)
    results = page.evaluate("""async (blocking) => {
        const result = await axe.run(document, {resultTypes: ["violations"]});
        return result.violations
            .filter((violation) => blocking.includes(violation.impact))
            .map((violation) => ({
                id: violation.id,
                impact: violation.impact,
                help: violation.help,
                nodes: violation.nodes.slice(0, 6).map((node) => ({
                    target: node.target.join(" "),
                    summary: (node.failureSummary || "").split("\\n").slice(1, 3).join(" ").trim(),
                })),
                more: Math.max(0, violation.nodes.length - 6),
            }));
    }""", list(BLOCKING))
    return results


def describe(problems):
    lines = []
    for where, violations in problems:
        for violation in violations:
            lines.append(f"[{where}] {violation['impact']} {violation['id']}: {violation['help']}")
            for node in violation["nodes"]:
                lines.append(f"    {node['target']}  — {node['summary']}")
            if violation["more"]:
                lines.append(f"    … and {violation['more']} more")
    return "\n".join(lines)


def check_every_width_and_scheme(page, axe_source, name, prepare=None):
    """Run axe at each width in light and dark. `prepare(page)` puts the page back in the
    state under test after a resize (e.g. makes a selection); it may be None."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        problems += axe_in_each_scheme(page, axe_source, f"{name}-{width}", prepare=prepare)
    assert not problems, "axe found serious or critical violations:\n" + describe(problems)


def check_this_width(page, axe_source, name):
    """Run axe at the current width in light and dark (for states that do not outlive a resize)."""
    problems = axe_in_each_scheme(page, axe_source, name)
    assert not problems, "axe found serious or critical violations:\n" + describe(problems)


def axe_in_each_scheme(page, axe_source, label, prepare=None):
    """axe's serious/critical violations in light and dark, with a screenshot of each."""
    problems = []
    for scheme in SCHEMES:
        page.emulate_media(color_scheme=scheme)
        if prepare:
            prepare(page)
        settle(page)
        violations = axe_violations(page, axe_source)
        if violations:
            problems.append((f"{label} {scheme}", violations))
        page.screenshot(path=str(SCREENSHOTS / f"{label}-{scheme}.png"))
    page.emulate_media(color_scheme="light")
    return problems


def a_varied_library(owner):
    """Every kind of card and badge: image, text, video, audio; each status; a favourite."""
    now = timezone.now()
    image = make_asset(owner, title="Harbour at dawn", prompt="a quiet harbour at dawn, mist",
                       model="flux-1.1-pro", provider="bfl", cost="0.0550",
                       source_module="image_studio", created_at=now, is_favorite=True)
    text = make_asset(owner, title="Bedtime story", type=AssetType.TEXT, model="claude-sonnet",
                      text_content="Once upon a time, a lighthouse keeper counted the ships.\nThe sea was calm.",
                      source_module="story_writer", created_at=now - dt.timedelta(minutes=1))
    make_asset(owner, title="Ocean loop", type=AssetType.VIDEO, duration_seconds=12.5,
               created_at=now - dt.timedelta(minutes=2))
    make_asset(owner, title="Wave sounds", type=AssetType.AUDIO, duration_seconds=64,
               created_at=now - dt.timedelta(minutes=3))
    make_asset(owner, title="Still rendering", status=AssetStatus.PROCESSING, file="", mime_type="",
               created_at=now - dt.timedelta(minutes=4))
    make_asset(owner, title="Broken render", status=AssetStatus.FAILED, file="", mime_type="",
               created_at=now - dt.timedelta(minutes=5))
    make_asset(owner, title="Queued job", status=AssetStatus.PENDING, file="", mime_type="",
               created_at=now - dt.timedelta(minutes=6))
    return image, text


# ---------- axe on every page ----------


LIBRARY_STATES = ("grid", "list", "selection")


@pytest.mark.parametrize("state", LIBRARY_STATES)
def test_library_has_no_serious_violations(state, new_page, creator, axe_source):
    a_varied_library(creator)
    path = "/library/?view=list" if state == "list" else "/library/"
    page = sign_in(new_page(fresh=True), creator, path)

    def select(page):
        bar = page.locator("[data-selection-bar]")
        if bar.is_hidden():
            page.locator("[data-select-page]").check()
        expect(bar).to_be_visible()
        page.mouse.move(0, 0)

    check_every_width_and_scheme(page, axe_source, f"library-{state}", select if state == "selection" else None)
    assert page.errors == [], page.errors


@pytest.mark.parametrize("kind", ("image", "text"))
def test_asset_page_has_no_serious_violations(kind, new_page, creator, axe_source):
    from collections_app import services

    image, text = a_varied_library(creator)
    asset = image if kind == "image" else text
    services.share_link_create_for_asset(owner=creator, asset=asset)
    page = sign_in(new_page(fresh=True), creator, f"/library/assets/{asset.pk}/")
    check_every_width_and_scheme(page, axe_source, f"asset-{kind}")
    assert page.errors == [], page.errors


@pytest.mark.parametrize("view", ("collection", "asset"))
def test_a_members_views_have_no_serious_violations(view, new_page, creator, axe_source):
    """A collection shared with a teammate: "Shared with me" in the sidebar, its list, and
    one of its assets (whose owner's controls are not offered)."""
    from assets.tests.factories import UserFactory
    from collections_app import services

    image, text = a_varied_library(creator)
    mate = UserFactory(username="teammate")
    kit = services.collection_create(owner=creator, name="Spring campaign")
    services.collection_add_assets(collection=kit, assets=type(image).objects.filter(pk__in=[image.pk, text.pk]))
    services.grant_set(collection=kit, actor=creator, grantee_type="user", name="teammate", role="viewer")
    path = f"/library/?collection={kit.pk}" if view == "collection" else f"/library/assets/{image.pk}/"
    page = sign_in(new_page(fresh=True), mate, path)
    check_every_width_and_scheme(page, axe_source, f"member-{view}")
    assert page.errors == [], page.errors


def test_teams_page_has_no_serious_violations(new_page, creator, axe_source):
    from assets.tests.factories import UserFactory
    from collections_app import services

    UserFactory(username="teammate")
    team = services.team_create(creator=creator, name="Design studio")
    services.team_member_set(team=team, username="teammate", role="member")
    page = sign_in(new_page(fresh=True), creator, "/library/teams/")
    check_every_width_and_scheme(page, axe_source, "teams")
    assert page.errors == [], page.errors


def test_collections_page_has_no_serious_violations(new_page, creator, axe_source):
    from collections_app import services
    from collections_app.models import Collection

    image, text = a_varied_library(creator)
    kit = services.collection_create(owner=creator, name="Spring campaign", description="Hero banners.")
    services.collection_add_assets(collection=kit, assets=type(image).objects.filter(pk__in=[image.pk, text.pk]))
    services.collection_create(owner=creator, name="Client review")
    assert Collection.objects.filter(owner=creator).count() == 2
    page = sign_in(new_page(fresh=True), creator, "/library/collections/")
    check_every_width_and_scheme(page, axe_source, "collections")
    assert page.errors == [], page.errors


def test_trash_page_has_no_serious_violations(new_page, creator, axe_source):
    now = timezone.now()
    make_asset(creator, title="Kept")
    for n, title in enumerate(("Old draft", "Rejected cover", "A story I cut")):
        make_asset(creator, title=title, deleted_at=now - dt.timedelta(days=n * 9 + 1),
                   type=AssetType.TEXT if "story" in title else AssetType.IMAGE)
    page = sign_in(new_page(fresh=True), creator, "/library/trash/")
    check_every_width_and_scheme(page, axe_source, "trash")
    assert page.errors == [], page.errors


def test_shares_page_has_no_serious_violations(new_page, creator, axe_source):
    from collections_app import services

    image, text = a_varied_library(creator)
    services.share_link_create_for_asset(owner=creator, asset=image, password="tide-7", allow_download=False)
    services.share_link_create_for_asset(owner=creator, asset=text, expires_in_days=7)
    ended = services.share_link_create_for_asset(owner=creator, asset=text)
    services.share_link_revoke(share_link=ended)
    page = sign_in(new_page(fresh=True), creator, "/library/shares/")
    check_every_width_and_scheme(page, axe_source, "shares")
    assert page.errors == [], page.errors


def test_stats_page_has_no_serious_violations(new_page, creator, axe_source):
    now = timezone.now()
    for days, cost in ((0, "1.5000"), (1, "0.2500"), (10, "0.7500"), (40, "2.0000")):
        make_asset(creator, title=f"Made {days} days ago", cost=cost, model="flux-1.1-pro",
                   created_at=now - dt.timedelta(days=days), download_count=days % 3)
    make_asset(creator, title="A story", type=AssetType.TEXT, cost="0.1000", model="claude-sonnet")
    page = sign_in(new_page(fresh=True), creator, "/library/stats/")
    check_every_width_and_scheme(page, axe_source, "stats")
    assert page.errors == [], page.errors


def test_upload_page_has_no_serious_violations(new_page, creator, axe_source):
    page = sign_in(new_page(fresh=True), creator, "/library/upload/")
    check_every_width_and_scheme(page, axe_source, "upload")
    assert page.errors == [], page.errors


def test_login_page_has_no_serious_violations(new_page, creator, axe_source):
    page = new_page(fresh=True)
    page.goto("/accounts/login/")
    check_every_width_and_scheme(page, axe_source, "login")

    # With an error shown too.
    page.get_by_label("Username").fill(creator.username)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("load")
    check_every_width_and_scheme(page, axe_source, "login-error")
    assert page.errors == [], page.errors


def test_public_share_pages_have_no_serious_violations(new_page, creator, axe_source):
    from collections_app import services

    image, text = a_varied_library(creator)
    open_link = services.share_link_create_for_asset(owner=creator, asset=image)
    selection = services.share_link_create_for_selection(
        owner=creator, assets=type(image).objects.filter(pk__in=[image.pk, text.pk]))
    locked = services.share_link_create_for_asset(owner=creator, asset=text, password="let-me-in")

    visitor = new_page(fresh=True)
    assert visitor.goto(f"/s/{open_link.token}/").status == 200
    check_every_width_and_scheme(visitor, axe_source, "share-asset")
    assert visitor.goto(f"/s/{selection.token}/").status == 200
    check_every_width_and_scheme(visitor, axe_source, "share-selection")
    # The full-screen viewer (a picture, a text) and the "Download all" page.
    for asset, name in ((image, "share-viewer-image"), (text, "share-viewer-text")):
        assert visitor.goto(f"/s/{selection.token}/assets/{asset.pk}/").status == 200
        check_every_width_and_scheme(visitor, axe_source, name)
    job = services.share_link_download_start(share_link=selection)
    assert visitor.goto(f"/s/{selection.token}/download/{job.pk}/").status == 200
    expect(visitor.get_by_role("heading", name="Your zip is ready")).to_be_visible()
    check_every_width_and_scheme(visitor, axe_source, "share-download")

    visitor.goto(f"/s/{locked.token}/")
    expect(visitor.get_by_role("heading", name="This link needs a password")).to_be_visible()
    check_every_width_and_scheme(visitor, axe_source, "share-password")
    visitor.get_by_label("Password").fill("wrong-guess")
    visitor.get_by_role("button", name="Open").click()
    expect(visitor.get_by_role("alert")).to_be_visible()
    check_every_width_and_scheme(visitor, axe_source, "share-password-error")
    # The password page answers 403 (and the share layout has no favicon): only scripts count.
    scripts = [error for error in visitor.errors if error.startswith("pageerror")]
    assert scripts == [], scripts


# ---------- Names and tooltips of collapsed labels ----------


def tab_to(page, locator, limit=80):
    """Move keyboard focus to `locator` with Tab presses, as a keyboard user would."""
    handle = locator.element_handle()
    for _ in range(limit):
        if page.evaluate("(element) => document.activeElement === element", handle):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def tooltip(page, locator):
    """The CSS tooltip (::after from the data-tip attribute) as it is drawn now."""
    return locator.evaluate("""(element) => {
        const style = getComputedStyle(element, "::after");
        return {content: style.content, visibility: style.visibility, opacity: style.opacity,
                display: style.display};
    }""")


def assert_tooltip_shown(page, locator, name):
    tab_to(page, locator)
    page.wait_for_function("""([element, name]) => {
        const style = getComputedStyle(element, "::after");
        return style.content === JSON.stringify(name) && style.visibility === "visible"
            && style.display !== "none" && Number(style.opacity) === 1;
    }""", arg=[locator.element_handle(), name])
    drawn = tooltip(page, locator)
    assert drawn["content"] == f'"{name}"', drawn
    box = locator.bounding_box()
    assert box and box["width"] > 0 and box["height"] > 0


@pytest.mark.parametrize("width", (390, 1024))
def test_collapsed_labels_keep_names_and_show_tooltips_on_focus(width, new_page, creator):
    now = timezone.now()
    make_asset(creator, title="Harbour at dawn", created_at=now)
    lake = make_asset(creator, title="Mountain lake", created_at=now - dt.timedelta(minutes=1))
    make_asset(creator, title="Forest path", created_at=now - dt.timedelta(minutes=2))
    make_asset(creator, title="Old draft", deleted_at=now - dt.timedelta(days=1))
    page = sign_in(new_page(width=width, fresh=True), creator, "/library/")

    # The header's Upload: an icon under 700 px, a name at every width.
    upload = page.get_by_role("link", name="Upload", exact=True)
    expect(upload).to_be_visible()
    label_shown = upload.locator(".btn-label").is_visible()
    assert label_shown == (width >= 700)
    if not label_shown:
        page.locator("[data-search-input]").focus()
        assert_tooltip_shown(page, upload, "Upload")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"tooltip-upload-{width}.png"))

    # The selection toolbar: icons under 1100 px, each with a name and a tooltip.
    page.locator("[data-select-page]").check()
    expect(page.locator("[data-selection-bar]")).to_be_visible()
    names = ["Download", "Share", "Tags", "Add to collection", "Favourite", "Delete"]
    for name in names:
        button = page.locator("[data-selection-bar]").get_by_role("button", name=name, exact=True)
        expect(button).to_be_visible()
        assert not button.locator(".btn-label").is_visible()
        page.locator("[data-select-page]").focus()
        assert_tooltip_shown(page, button, name)
        if name in ("Download", "Delete"):
            page.screenshot(path=str(SCREENSHOTS / f"tooltip-{name.lower()}-{width}.png"))
    clear = page.get_by_role("button", name="Clear selection", exact=True)
    page.locator("[data-select-page]").focus()
    assert_tooltip_shown(page, clear, "Clear selection (Esc)")

    # Hover shows it too (for a mouse user).
    page.locator("body").focus()
    download = page.locator("[data-selection-bar]").get_by_role("button", name="Download", exact=True)
    download.hover()
    page.wait_for_function(
        "(element) => getComputedStyle(element, '::after').display === 'block'", arg=download.element_handle())
    # Escape hides a tooltip until the pointer leaves (here it also clears the selection).
    page.keyboard.press("Escape")
    expect(page.locator("[data-selection-bar]")).to_be_hidden()
    list_view = page.get_by_role("button", name="List view", exact=True)
    list_view.hover()
    page.wait_for_function(
        "(element) => getComputedStyle(element, '::after').display === 'block'", arg=list_view.element_handle())
    page.keyboard.press("Escape")
    page.wait_for_function(
        "(element) => getComputedStyle(element, '::after').display === 'none'", arg=list_view.element_handle())

    if width < 700:
        # The asset page's Previous / Next and the trash rows' Restore / Delete forever
        # collapse to icons too.
        page.goto(f"/library/assets/{lake.pk}/")
        ready(page)
        for name, tip in (("Previous: Harbour at dawn", "Previous (←)"), ("Next: Forest path", "Next (→)")):
            link = page.get_by_role("link", name=name, exact=True)
            expect(link).to_be_visible()
            assert not link.locator(".btn-label").is_visible()
            page.locator("[data-back]").focus()
            assert_tooltip_shown(page, link, tip)
        page.goto("/library/trash/")
        ready(page)
        for name, tip in (("Restore Old draft", "Restore"), ("Delete forever: Old draft", "Delete forever")):
            button = page.get_by_role("button", name=name, exact=True)
            expect(button).to_be_visible()
            assert not button.locator(".btn-label").is_visible()
            page.locator(".row-link").first.focus()
            assert_tooltip_shown(page, button, tip)
    assert page.errors == [], page.errors



# ---------- Menus, popovers, dialogs and toasts (axe sees only what is shown) ----------


def test_open_menus_popovers_and_dialogs_have_no_serious_violations(new_page, creator, axe_source):
    image, _ = a_varied_library(creator)
    page = sign_in(new_page(fresh=True), creator, "/library/")

    def user_menu(page):
        page.locator("details.user-menu").evaluate("(menu) => { menu.open = true; }")
        expect(page.locator(".user-menu .menu")).to_be_visible()

    check_every_width_and_scheme(page, axe_source, "open-user-menu", user_menu)
    page.locator("details.user-menu").evaluate("(menu) => { menu.open = false; }")

    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_role("button", name="Open navigation").click()
    expect(page.locator("#app-sidebar")).to_be_visible()
    check_this_width(page, axe_source, "open-navigation-390")
    page.keyboard.press("Escape")

    def status_popover(page):
        chip = page.locator("[data-chip='status'] [data-chip-button]")
        if chip.get_attribute("aria-expanded") != "true":
            chip.click()
        expect(chip).to_have_attribute("aria-expanded", "true")

    check_every_width_and_scheme(page, axe_source, "open-filter-popover", status_popover)
    page.keyboard.press("Escape")

    def edit_dialog(page):
        dialog = page.get_by_role("dialog", name="Edit asset")
        if not dialog.is_visible():
            page.get_by_role("button", name="Edit Harbour at dawn").click()
        expect(dialog).to_be_visible()

    check_every_width_and_scheme(page, axe_source, "open-edit-dialog", edit_dialog)
    page.keyboard.press("Escape")

    page.goto(f"/library/assets/{image.pk}/")
    ready(page)

    def share_dialog(page):
        dialog = page.get_by_role("dialog", name="Share this asset")
        if not dialog.is_visible():
            page.get_by_role("button", name="Share", exact=True).click()
        expect(dialog).to_be_visible()

    check_every_width_and_scheme(page, axe_source, "open-share-dialog", share_dialog)
    page.keyboard.press("Escape")

    # A toast (Delete, with Undo), while it shows (about 8 s).
    page.set_viewport_size({"width": 1024, "height": 900})
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(".toast").filter(has_text="Moved to the trash")).to_be_visible()
    check_this_width(page, axe_source, "toast-1024")
    assert page.errors == [], page.errors
