"""POST /assets/bulk/register/: up to 500 JSON registrations, each on its own, answered in order."""

import pytest

from assets.models import Asset
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

REGISTER = "/api/v1/assets/bulk/register/"


def register(client, assets):
    return client.post(REGISTER, {"assets": assets}, format="json")


def pending_image(external_id, **fields):
    return {"type": "image", "status": "pending", "source_module": "image_studio", "external_id": external_id,
            "prompt": "a lighthouse at dusk", "tags": ["coast"], **fields}


def test_each_item_is_registered_on_its_own_and_answered_in_order(api):
    response = register(api, [
        pending_image("v1"),
        {"type": "image"},  # no source_module
        "not an object",
        None,
        pending_image("v2", cost="0.04"),
        pending_image("v1"),  # the first one again
    ])

    assert response.status_code == 200
    results = response.json()["results"]
    assert [r["status"] for r in results] == [201, 400, 400, 400, 201, 200]
    assert results[5]["id"] == results[0]["id"]
    assert results[1]["id"] is None and "source_module" in results[1]["errors"]
    assert results[2]["id"] is None and results[2]["errors"] == results[3]["errors"] != {}
    assert all(r["errors"] == {} for r in results if r["status"] != 400)
    mine = Asset.objects.filter(owner=api.user)
    assert mine.count() == 2
    first = mine.get(external_id="v1")
    assert (first.status, first.prompt, list(first.tags.names())) == ("pending", "a lighthouse at dusk", ["coast"])


def test_a_registration_is_what_a_single_post_takes(api):
    single = api.post("/api/v1/assets/", pending_image("same"), format="json")
    batch = register(api, [pending_image("same"), {"type": "text", "source_module": "story_writer",
                                                    "text_content": "Once upon a time."}])

    assert single.status_code == 201
    assert batch.json()["results"][0] == {"status": 200, "id": single.json()["id"], "errors": {}}
    text = Asset.objects.get(pk=batch.json()["results"][1]["id"])
    assert text.text_content == "Once upon a time."


def test_rules_of_the_service_fail_only_their_item(api, other_user):
    theirs = AssetFactory(owner=other_user)

    results = register(api, [pending_image("a", parent=str(theirs.pk)), pending_image("b")]).json()["results"]

    assert results[0]["status"] == 400 and "parent" in results[0]["errors"]
    assert results[1]["status"] == 201


def test_external_ids_are_per_owner(api, other_api):
    mine = register(api, [pending_image("shared-id")]).json()["results"][0]
    theirs = register(other_api, [pending_image("shared-id")]).json()["results"][0]

    assert mine["status"] == theirs["status"] == 201 and mine["id"] != theirs["id"]


@pytest.mark.parametrize("body", [{}, {"assets": []}, {"assets": "x"}, {"assets": [{}] * 501}, [pending_image("x")]])
def test_a_bad_batch_is_a_400_naming_assets(api, body):
    response = api.post(REGISTER, body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == ({"non_field_errors"} if isinstance(body, list) else {"assets"})
    assert not Asset.objects.exists()


def test_json_only_and_for_the_signed_in(api):
    from rest_framework.test import APIClient

    assert api.post(REGISTER, {"assets": "[]"}, format="multipart").status_code == 415
    assert APIClient().post(REGISTER, {"assets": [pending_image("x")]}, format="json").status_code == 401
    assert not Asset.objects.exists()
