"""Editing an asset's metadata with PATCH: title, description and tags are validated, updated_at
moves, and keyword search sees the change at once."""

import pytest

from assets.models import Asset
from assets.tests.factories import AssetFactory
from conftest import asset_url

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"


def found(client, q):
    response = client.get(LIST, {"q": q})
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


def test_patch_title_description_and_tags_together(api):
    asset = AssetFactory(owner=api.user, text=True, title="Old", description="Old words", tags=["old"])
    before = Asset.objects.get(pk=asset.pk).updated_at

    response = api.patch(asset_url(asset), {"title": "Harbour at dawn", "description": "Boats and gulls",
                                          "tags": ["harbour", "Q3 campaign"]}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["description"]) == ("Harbour at dawn", "Boats and gulls")
    assert sorted(body["tags"]) == ["Q3 campaign", "harbour"]
    stored = Asset.objects.get(pk=asset.pk)
    assert stored.updated_at > before
    assert body["updated_at"] == stored.updated_at.isoformat().replace("+00:00", "Z")


@pytest.mark.parametrize("change", [{"title": "New"}, {"description": "New"}, {"tags": ["new"]}])
def test_each_edit_moves_updated_at(api, change):
    asset = AssetFactory(owner=api.user, text=True, title="Old", tags=["old"])
    before = Asset.objects.get(pk=asset.pk).updated_at

    assert api.patch(asset_url(asset), change, format="json").status_code == 200

    assert Asset.objects.get(pk=asset.pk).updated_at > before


def test_search_sees_a_new_title_at_once(api):
    asset = AssetFactory(owner=api.user, text=True, title="Plain name", prompt="nothing", description="")

    api.patch(asset_url(asset), {"title": "Quokka selfie"}, format="json")

    assert found(api, "quokka") == {str(asset.pk)}
    assert found(api, "plain") == set()


def test_search_sees_a_new_description_at_once(api):
    asset = AssetFactory(owner=api.user, text=True, title="Plain", prompt="nothing")

    api.patch(asset_url(asset), {"description": "Shot on the Zanzibar coast"}, format="json")

    assert found(api, "zanzibar coast") == {str(asset.pk)}


def test_search_sees_new_and_removed_tags_at_once(api):
    asset = AssetFactory(owner=api.user, text=True, title="Plain", prompt="nothing", tags=["marzipan"])

    api.patch(asset_url(asset), {"tags": ["pistachio"]}, format="json")

    assert found(api, "pistachio") == {str(asset.pk)}
    assert found(api, "marzipan") == set()


def test_an_empty_title_and_description_are_allowed(api):
    asset = AssetFactory(owner=api.user, text=True, title="Old", description="Old")

    body = api.patch(asset_url(asset), {"title": "", "description": ""}, format="json").json()

    assert (body["title"], body["description"]) == ("", "")


@pytest.mark.parametrize(
    ("change", "field"),
    [({"title": "x" * 501}, "title"), ({"description": "x" * 20_001}, "description"), ({"title": None}, "title"),
     ({"title": ["a"]}, "title"), ({"tags": [""]}, "tags"), ({"tags": ["x" * 101]}, "tags"),
     ({"tags": [f"t{n}" for n in range(51)]}, "tags")],
)
def test_bad_metadata_is_a_400_naming_the_field_and_changes_nothing(api, change, field):
    asset = AssetFactory(owner=api.user, text=True, title="Kept", description="Kept", tags=["kept"])
    before = Asset.objects.get(pk=asset.pk)

    response = api.patch(asset_url(asset), {"description": "Would change", **change}, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    after = Asset.objects.get(pk=asset.pk)
    assert (after.title, after.description, after.updated_at) == (before.title, before.description,
                                                                  before.updated_at)
    assert [t.name for t in after.tags.all()] == ["kept"]
    assert found(api, "would") == set()


def test_a_title_of_500_characters_is_accepted(api):
    asset = AssetFactory(owner=api.user, text=True)

    response = api.patch(asset_url(asset), {"title": "x" * 500}, format="json")

    assert response.status_code == 200
    assert response.json()["title"] == "x" * 500


def test_another_owners_asset_cannot_be_edited(api, other_user):
    asset = AssetFactory(owner=other_user, text=True, title="Theirs", tags=["theirs"])

    response = api.patch(asset_url(asset), {"title": "Mine", "tags": ["mine"]}, format="json")

    assert response.status_code == 404
    stored = Asset.objects.get(pk=asset.pk)
    assert stored.title == "Theirs"
    assert [t.name for t in stored.tags.all()] == ["theirs"]
