import pytest
from django.utils import timezone

from assets.tests.factories import AssetFactory, UserFactory
from collections_app.models import Collection, CollectionItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/collections_app/collection/"


def _change_url(collection):
    return f"{CHANGELIST}{collection.pk}/change/"


def _form_data(collection, items=(), new_assets=()):
    """The change form as the browser would post it, with inline rows."""
    rows = list(items)
    data = {
        "owner": collection.owner_id,
        "name": collection.name,
        "description": collection.description,
        "cover_asset": collection.cover_asset_id or "",
        "items-TOTAL_FORMS": len(rows) + len(new_assets),
        "items-INITIAL_FORMS": len(rows),
        "items-MIN_NUM_FORMS": 0,
        "items-MAX_NUM_FORMS": 1000,
    }
    for prefix in ("grants", "activity"):  # the read-only inlines, empty here
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0, f"{prefix}-MIN_NUM_FORMS": 0,
                     f"{prefix}-MAX_NUM_FORMS": 1000})
    for index, item in enumerate(rows):
        data[f"items-{index}-id"] = item.pk
        data[f"items-{index}-collection"] = collection.pk
        data[f"items-{index}-asset"] = item.asset_id
    for offset, asset in enumerate(new_assets, start=len(rows)):
        data[f"items-{offset}-collection"] = collection.pk
        data[f"items-{offset}-asset"] = asset.pk
    return data


def test_changelist_shows_owner_name_and_live_asset_count(admin_client):
    owner = UserFactory(username="painter")
    collection = CollectionFactory(owner=owner, name="Sunsets")
    CollectionItemFactory.create_batch(2, collection=collection)
    CollectionItemFactory(collection=collection, asset__deleted_at=timezone.now())

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert (row.name, row.owner.username, row.asset_count) == ("Sunsets", "painter", 2)
    assert b"Sunsets" in response.content and b"painter" in response.content


def test_changelist_can_sort_by_asset_count(admin_client):
    big = CollectionFactory(name="big")
    small = CollectionFactory(name="small")  # newer: first by the default ordering
    CollectionItemFactory.create_batch(2, collection=big)
    CollectionItemFactory(collection=small)

    response = admin_client.get(CHANGELIST, {"o": "-3"})  # the third column: asset count, descending

    assert [c.pk for c in response.context["cl"].result_list] == [big.pk, small.pk]


def test_changelist_searches_by_name(admin_client):
    CollectionFactory(name="Sunsets")
    CollectionFactory(name="Portraits")
    response = admin_client.get(CHANGELIST, {"q": "sun"})
    assert [c.name for c in response.context["cl"].result_list] == ["Sunsets"]


def test_change_page_lists_items_inline_with_a_raw_id_asset_field(admin_client):
    item = CollectionItemFactory()
    response = admin_client.get(_change_url(item.collection))
    assert response.status_code == 200
    assert b'name="items-0-asset"' in response.content
    assert b"vForeignKeyRawIdAdminField" in response.content


def test_an_item_can_be_added_inline(admin_client):
    item = CollectionItemFactory()
    collection = item.collection
    extra = AssetFactory(owner=collection.owner)

    response = admin_client.post(_change_url(collection), _form_data(collection, [item], [extra]))

    assert response.status_code == 302, response.context["inline_admin_formsets"][1].formset.errors
    assert set(collection.items.values_list("asset_id", flat=True)) == {item.asset_id, extra.pk}


def test_inline_refuses_another_owners_asset(admin_client):
    collection = CollectionFactory()
    foreign = AssetFactory()

    response = admin_client.post(_change_url(collection), _form_data(collection, [], [foreign]))

    assert response.status_code == 200
    assert "another user" in str(response.context["inline_admin_formsets"][1].formset.errors)
    assert not CollectionItem.objects.exists()


def test_cover_must_belong_to_the_owner(admin_client):
    collection = CollectionFactory()
    data = _form_data(collection)
    data["cover_asset"] = AssetFactory().pk

    response = admin_client.post(_change_url(collection), data)

    assert response.status_code == 200
    assert "cover_asset" in response.context["adminform"].form.errors
    collection.refresh_from_db()
    assert collection.cover_asset_id is None


def test_a_duplicate_name_is_refused(admin_client):
    taken = CollectionFactory(name="Taken")
    collection = CollectionFactory(owner=taken.owner, name="Mine")
    data = _form_data(collection)
    data["name"] = "TAKEN"

    response = admin_client.post(_change_url(collection), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"name": ["You already have a collection named 'TAKEN'."]}
    collection.refresh_from_db()
    assert collection.name == "Mine"


def test_deleting_in_the_admin_keeps_the_assets(admin_client):
    item = CollectionItemFactory()
    response = admin_client.post(f"{CHANGELIST}{item.collection.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Collection.objects.exists()
    assert type(item.asset).objects.filter(pk=item.asset_id).exists()


def test_operators_see_teams_with_their_members_and_collections_with_their_grants(admin_client):
    from collections_app import services

    owner = UserFactory(username="team_owner")
    team = services.team_create(creator=owner, name="Ops crew")
    collection = CollectionFactory(owner=owner, name="Shared board")
    services.grant_set(collection=collection, actor=owner, grantee_type="team", name="Ops crew", role="editor")

    assert b"Ops crew" in admin_client.get("/admin/collections_app/team/").content
    page = admin_client.get(f"/admin/collections_app/team/{team.pk}/change/").content.decode()
    assert "team_owner" in page
    page = admin_client.get(f"/admin/collections_app/collection/{collection.pk}/change/").content.decode()
    assert "Ops crew" in page and "Granted" in page


def test_a_team_keeps_an_admin_in_the_admin_too(admin_client):
    from collections_app import services
    from collections_app.models import TeamMembership

    owner = UserFactory(username="only_admin")
    team = services.team_create(creator=owner, name="Lonely")
    membership = TeamMembership.objects.get(team=team)
    response = admin_client.post(f"/admin/collections_app/team/{team.pk}/change/", {
        "name": "Lonely",
        "memberships-TOTAL_FORMS": 1, "memberships-INITIAL_FORMS": 1, "memberships-MIN_NUM_FORMS": 0,
        "memberships-MAX_NUM_FORMS": 1000, "memberships-0-id": membership.pk, "memberships-0-team": team.pk,
        "memberships-0-user": owner.pk, "memberships-0-role": "member",
    })
    assert response.status_code == 200 and b"at least one admin" in response.content
    membership.refresh_from_db()
    assert membership.role == "admin"
