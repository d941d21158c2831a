"""Favourites: POST / DELETE /assets/{id}/favorite/ (idempotent), is_favorite in PATCH, favorites=true."""

import pytest
from rest_framework.test import APIClient

from assets.models import Asset, AssetType
from assets.tests.factories import AssetFactory
from conftest import asset_url

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"


def listed_ids(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


def test_post_sets_and_delete_clears_idempotently(api):
    asset = AssetFactory(owner=api.user, text=True)

    for _ in range(2):
        response = api.post(asset_url(asset, "favorite"))
        assert response.status_code == 200
        assert response.json()["is_favorite"] is True
        assert response.json()["id"] == str(asset.pk)
        assert Asset.objects.get(pk=asset.pk).is_favorite is True
    for _ in range(2):
        response = api.delete(asset_url(asset, "favorite"))
        assert response.status_code == 200
        assert response.json()["is_favorite"] is False
        assert Asset.objects.get(pk=asset.pk).is_favorite is False


def test_setting_the_mark_moves_updated_at_and_repeating_it_does_not(api):
    asset = AssetFactory(owner=api.user, text=True)
    before = Asset.objects.get(pk=asset.pk).updated_at

    api.post(asset_url(asset, "favorite"))
    marked = Asset.objects.get(pk=asset.pk).updated_at
    api.post(asset_url(asset, "favorite"))

    assert marked > before
    assert Asset.objects.get(pk=asset.pk).updated_at == marked


def test_favorite_leaves_other_fields_alone(api):
    asset = AssetFactory(owner=api.user, text=True, title="Kept", tags=["kept"])

    body = api.post(asset_url(asset, "favorite")).json()

    assert (body["title"], body["tags"]) == ("Kept", ["kept"])


def test_get_is_not_allowed_on_favorite(api):
    asset = AssetFactory(owner=api.user, text=True)

    assert api.get(asset_url(asset, "favorite")).status_code == 405


def test_patch_sets_and_clears_is_favorite(api):
    asset = AssetFactory(owner=api.user, text=True)

    response = api.patch(asset_url(asset), {"is_favorite": True}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["is_favorite"] is True
    assert listed_ids(api, favorites="true") == [str(asset.pk)]

    response = api.patch(asset_url(asset), {"is_favorite": False}, format="json")
    assert response.status_code == 200
    assert response.json()["is_favorite"] is False
    assert listed_ids(api, favorites="true") == []


@pytest.mark.parametrize("value", ["maybe", None, [True]])
def test_patch_with_a_bad_is_favorite_is_a_400(api, value):
    asset = AssetFactory(owner=api.user, text=True, is_favorite=True)

    response = api.patch(asset_url(asset), {"is_favorite": value}, format="json")

    assert response.status_code == 400
    assert "is_favorite" in response.json()
    assert Asset.objects.get(pk=asset.pk).is_favorite is True


@pytest.mark.parametrize("method", ["post", "delete"])
def test_another_owners_asset_is_404_and_untouched(api, other_user, method):
    asset = AssetFactory(owner=other_user, text=True, is_favorite=(method == "delete"))

    response = getattr(api, method)(asset_url(asset, "favorite"))

    assert response.status_code == 404
    assert Asset.objects.get(pk=asset.pk).is_favorite is (method == "delete")


@pytest.mark.parametrize("asset_id", ["00000000-0000-0000-0000-000000000000", "nope"])
def test_unknown_ids_are_404(api, asset_id):
    assert api.post(asset_url(asset_id, "favorite")).status_code == 404


def test_favorite_needs_authentication(user):
    asset = AssetFactory(owner=user, text=True)

    assert APIClient().post(asset_url(asset, "favorite")).status_code == 401
    assert Asset.objects.get(pk=asset.pk).is_favorite is False


def test_the_favorites_filter_lists_only_the_callers_favourites(api, other_user):
    liked = AssetFactory(owner=api.user, text=True, is_favorite=True)
    plain = AssetFactory(owner=api.user, text=True)
    AssetFactory(owner=api.user, text=True, is_favorite=True, trashed=True)
    AssetFactory(owner=other_user, text=True, is_favorite=True)

    assert listed_ids(api, favorites="true") == [str(liked.pk)]
    assert set(listed_ids(api, favorites="false")) == {str(liked.pk), str(plain.pk)}
    assert set(listed_ids(api)) == {str(liked.pk), str(plain.pk)}


def test_the_favorites_filter_combines_with_others(api):
    liked_image = AssetFactory(owner=api.user, type=AssetType.IMAGE, is_favorite=True)
    AssetFactory(owner=api.user, text=True, is_favorite=True)
    AssetFactory(owner=api.user, type=AssetType.IMAGE)

    assert listed_ids(api, favorites="true", type="image") == [str(liked_image.pk)]


def test_a_bad_favorites_value_is_a_400_naming_it(api):
    response = api.get(LIST, {"favorites": "sometimes"})

    assert response.status_code == 400
    assert "favorites" in response.json()
