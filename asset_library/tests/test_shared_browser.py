"""A collection shared with a teammate, in a real browser: they find it under "Shared with
me", browse it, zip two of its assets, and see none of the owner's controls."""

import re
import zipfile

import pytest
from playwright.sync_api import expect

from asset_library.tests.conftest import log_in, make_asset
from assets.models import AssetType
from assets.tests.factories import UserFactory
from collections_app import services

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def shared(creator):
    """The creator's "Launch" collection shared with `mate` through a team (as `role`)."""

    def share(role):
        mate = UserFactory(username="mate")
        collection = services.collection_create(owner=creator, name="Launch")
        picture = make_asset(creator, title="Launch poster", color=(40, 160, 90))
        poem = make_asset(creator, title="Launch poem", type=AssetType.TEXT, text_content="Up we go.")
        make_asset(creator, title="Creator's secret")
        services.collection_add_assets(collection=collection, actor=creator,
                                       assets=type(picture).objects.filter(pk__in=[picture.pk, poem.pk]))
        team = services.team_create(creator=creator, name="Launch crew")
        services.team_member_set(team=team, username="mate", role="member")
        services.grant_set(collection=collection, actor=creator, grantee_type="team", name="Launch crew", role=role)
        make_asset(mate, title="Mate's own")
        return mate

    return share


def test_a_teammate_finds_the_collection_and_zips_two_of_its_assets(page, shared, tmp_path):
    mate = shared("viewer")
    log_in(page, mate)
    nav = page.locator("[data-nav-shared]")
    expect(nav).to_contain_text("Launch")
    expect(nav).to_contain_text("creator · viewer")
    nav.get_by_role("link", name="Launch").click()
    expect(page.locator("[data-heading]")).to_contain_text("Launch")
    titles = page.locator("[data-results] .card-link")
    expect(titles).to_have_count(2)
    assert "Creator's secret" not in page.content() and "Mate's own" not in page.locator("[data-results]").inner_text()

    page.get_by_role("checkbox", name="Select all on this page").check()
    for action in ("share", "tags", "collection", "favorite", "delete"):
        expect(page.locator(f'[data-bulk="{action}"]')).to_be_hidden()
    page.locator('[data-bulk="download"]').click()
    link = page.locator(".toast").get_by_role("link", name="Download")
    expect(link).to_be_visible()
    with page.expect_download() as info:
        link.click()
    path = tmp_path / "shared.zip"
    info.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    assert any(name.startswith("Launch poster") for name in names)
    assert any(name.startswith("Launch poem") for name in names)
    assert not any("secret" in name for name in names)

    # Its members, their roles and its activity, at hand (read only for a member).
    expect(page.locator(".collection-meta")).to_contain_text("Shared by creator · you are viewer")
    page.get_by_role("button", name="People & activity").click()
    dialog = page.get_by_role("dialog")
    expect(dialog.locator(".people-list")).to_contain_text("creator")
    expect(dialog.locator(".people-list")).to_contain_text("Viewer")
    expect(dialog.locator(".activity-list")).to_contain_text("added")
    expect(dialog.locator("select, [data-revoke], [data-grant-form]")).to_have_count(0)


def test_a_viewer_is_offered_none_of_the_owners_controls(page, shared):
    mate = shared("viewer")
    log_in(page, mate)
    page.locator("[data-nav-shared]").get_by_role("link", name="Launch").click()
    expect(page.locator("[data-results] .card-link")).to_have_count(2)
    expect(page.locator("[data-results] [data-fav]")).to_have_count(0)
    expect(page.locator("[data-results] [data-edit]")).to_have_count(0)
    page.get_by_role("link", name="Launch poster", exact=True).click()
    page.wait_for_url("**/library/assets/**")
    expect(page.get_by_text("Shared with you by creator")).to_be_visible()
    expect(page.get_by_role("link", name="Download")).to_be_visible()
    for name in ("Edit", "Share", "Delete", "Favourite"):
        expect(page.get_by_role("button", name=name, exact=True)).to_have_count(0)


def test_a_team_is_made_filled_and_left_in_the_teams_page(page, new_page, creator):
    mate = UserFactory(username="mate")
    log_in(page, creator)
    page.get_by_role("link", name="Teams").click()
    page.wait_for_selector("html[data-page-ready]", state="attached")
    page.locator("[data-teams-page] .page-actions").get_by_role("button", name="New team").click()
    page.get_by_label("Name").fill("Night shift")
    page.get_by_role("button", name="Create").click()
    team = page.locator("[data-team-id]").filter(has_text="Night shift")
    expect(team).to_be_visible()
    expect(team.locator("[data-username='creator']")).to_contain_text("(you)")

    team.get_by_role("button", name="Add member").click()
    page.get_by_label("Username").fill("nobody-here")
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.locator("dialog [role=alert]")).to_contain_text("No user named")
    page.get_by_label("Username").fill("mate")
    page.get_by_role("button", name="Add", exact=True).click()
    row = team.locator("[data-username='mate']")
    expect(row).to_be_visible()
    row.get_by_label("Role of mate").select_option("admin")
    expect(page.locator(".toast").filter(has_text="mate is now an admin")).to_be_visible()
    assert mate.team_memberships.get().role == "admin"

    other = new_page(fresh=True)
    log_in(other, mate)
    other.goto("/library/teams/")
    other.wait_for_selector("html[data-page-ready]", state="attached")
    other.locator("[data-username='mate']").get_by_role("button", name="Leave").click()
    other.get_by_role("button", name="Leave team").click()
    expect(other.locator(".toast").filter(has_text="You left")).to_be_visible()
    expect(other.get_by_role("heading", name="No teams yet")).to_be_visible()
    assert not mate.team_memberships.exists()


def test_the_owner_shares_a_collection_from_its_people_dialog(page, creator, tmp_path):
    from collections_app.models import CollectionGrant

    UserFactory(username="mate")
    services.collection_create(owner=creator, name="Autumn")
    log_in(page, creator)
    page.goto("/library/collections/")
    page.wait_for_selector("html[data-page-ready]", state="attached")
    page.get_by_role("button", name="People and activity of Autumn").click()
    dialog = page.locator("dialog")
    expect(dialog.get_by_text("Not shared with anyone yet.")).to_be_visible()
    dialog.get_by_label("Username or team name").fill("ghost")
    dialog.get_by_role("button", name="Share", exact=True).click()
    refused = dialog.locator("[data-grant-error]")  # said in the dialog, beside the name
    expect(refused).to_have_text("No user named 'ghost'.")
    expect(dialog.get_by_label("Username or team name")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_label("Username or team name").fill("mate")
    dialog.get_by_label("Role", exact=True).select_option("editor")
    dialog.get_by_role("button", name="Share", exact=True).click()
    expect(dialog.get_by_label("Role of mate")).to_have_value("editor")
    expect(dialog.locator(".activity-list")).to_contain_text("shared it with user mate as editor")
    page.screenshot(path=str(tmp_path / "people.png"))
    dialog.get_by_label("Role of mate").select_option("viewer")
    expect(page.locator(".toast").filter(has_text="mate is now viewer")).to_be_visible()
    assert CollectionGrant.objects.get().role == "viewer"
    dialog.get_by_role("button", name="Stop sharing with mate").click()
    expect(dialog.get_by_text("Not shared with anyone yet.")).to_be_visible()
    assert not CollectionGrant.objects.exists()


def test_an_editor_adds_their_own_asset_and_removes_one_from_the_shared_collection(page, shared):
    from collections_app.models import CollectionItem

    mate = shared("editor")
    log_in(page, mate)
    page.locator("[data-results] [data-id]").filter(has_text="Mate's own").locator("[data-select]").click()
    page.locator('[data-bulk="collection"]').click()
    dialog = page.locator("dialog")
    dialog.get_by_label("Launch · creator's").check()
    dialog.get_by_role("button", name="Add").click()
    expect(page.locator(".toast").filter(has_text="added to “Launch”")).to_be_visible()
    assert CollectionItem.objects.filter(collection__name="Launch", asset__title="Mate's own").exists()

    page.locator("[data-nav-shared]").get_by_role("link", name="Launch").click()
    expect(page.locator("[data-results] .card-link")).to_have_count(3)
    page.locator("[data-results] [data-id]").filter(has_text="Launch poem").locator("[data-select]").click()
    expect(page.locator('[data-bulk="delete"]')).to_be_hidden()
    page.locator('[data-bulk="uncollect"]').click()
    expect(page.locator(".toast").filter(has_text="removed from the collection")).to_be_visible()
    expect(page.locator("[data-results] .card-link")).to_have_count(2)
    assert not CollectionItem.objects.filter(collection__name="Launch", asset__title="Launch poem").exists()
    assert type(mate).objects.get(username="creator").assets.filter(title="Launch poem").exists()


def test_the_collection_filter_offers_the_collections_shared_with_you(page, shared):
    mate = shared("viewer")
    log_in(page, mate)
    page.locator('[data-chip="collection"] [data-chip-button]').click()
    dialog = page.get_by_role("dialog")
    expect(dialog).not_to_contain_text("No collections yet")
    dialog.get_by_label(re.compile("Launch · creator's")).click()
    expect(page).to_have_url(re.compile(r"collection="))
    expect(page.locator("[data-results] .card-link")).to_have_count(2)
    expect(page.locator("[data-heading]")).to_contain_text("Launch")
