"""POST /assets/bulk/register/: up to 500 JSON registrations, each on its own, answered in order."""

from decimal import Decimal

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


def test_a_value_repeated_across_items_is_judged_alike_for_each(api):
    """A batch's variants repeat their values, each checked once (assets.api.register and
    services._RowChecks): every item still gets its own answer and its own errors."""
    items = [
        pending_image("a", cost=0.04, title="Dusk"),
        pending_image("b", cost=0.04, title="Dusk", status="bogus"),
        pending_image("c", cost="0.04", title="Dusk", model="m" * 201),
        pending_image("d", cost=0.04, title="Dusk", status="bogus"),
        pending_image("e", cost="0.04", title="Dusk", model="m" * 201),
        pending_image("f", cost=-1),
        pending_image("g", cost=-1),
        pending_image("h", cost=0.04, title=True),
        pending_image("i", cost=0.04, title=True),
        pending_image("j", cost=0.04, title="Dusk", is_favorite=True),
    ]
    results = register(api, items).json()["results"]

    assert [r["status"] for r in results] == [201, 400, 400, 400, 400, 400, 400, 400, 400, 201]
    assert results[1]["errors"] == results[3]["errors"] and "status" in results[1]["errors"]
    assert results[2]["errors"] == results[4]["errors"] and "model" in results[2]["errors"]
    assert results[5]["errors"] == results[6]["errors"] and "cost" in results[5]["errors"]
    assert results[7]["errors"] == results[8]["errors"] and "title" in results[7]["errors"]
    made = Asset.objects.filter(owner=api.user).order_by("external_id")
    assert [(a.external_id, a.cost, a.title, a.is_favorite) for a in made] == [
        ("a", Decimal("0.0400"), "Dusk", False), ("j", Decimal("0.0400"), "Dusk", True)]


def test_the_service_checks_each_registration_of_a_batch_alike(user):
    """Without the API's serializer (an importer calling the service), a value that fails the
    model's checks fails every row that repeats it, and a passed one passes again."""
    from django.core.exceptions import ValidationError

    from assets.services import assets_register

    rows = [{"type": "image", "status": "pending", "source_module": "importer", "model": model, "title": "Dusk"}
            for model in ("flux", "m" * 201, "flux", "m" * 201)]
    rows.append({**rows[0], "status": "bogus"})
    rows.append({**rows[0], "status": "bogus"})
    rows.append({**rows[0], "cost": Decimal("0.04")})
    rows.append({**rows[0], "cost": Decimal("0.04000")})  # equal, but five places
    results = assets_register(owner=user, registrations=rows)

    assert [isinstance(result, ValidationError) for result in results] == [
        False, True, False, True, True, True, False, True]
    assert "cost" in results[7].message_dict
    assert all("model" in results[n].message_dict for n in (1, 3))
    assert all("status" in results[n].message_dict for n in (4, 5))
    assert Asset.objects.filter(owner=user, model="flux").count() == 3


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


# --- written together: a few statements for the whole batch --------------------------------------


def test_a_batch_is_written_in_a_fixed_number_of_queries(api, django_assert_max_num_queries):
    batch = [pending_image(f"q{n}", tags=["coast", f"set-{n % 5}", "Night"]) for n in range(120)]

    with django_assert_max_num_queries(20):  # whatever the batch's size
        response = register(api, batch)

    assert [r["status"] for r in response.json()["results"]] == [201] * 120
    assert Asset.objects.filter(owner=api.user).count() == 120
    from assets.models import Tag, TaggedAsset

    assert Tag.objects.filter(owner=api.user).count() == 7  # each name made once
    assert TaggedAsset.objects.filter(content_object__owner=api.user, auto=False).count() == 360


def test_tags_keep_the_owners_spelling_and_are_manual(api):
    AssetFactory(owner=api.user, tags=["Coast"])

    register(api, [pending_image("a", tags=["coast", "HARBOUR"]), pending_image("b", tags=["harbour"])])

    asset = Asset.objects.get(owner=api.user, external_id="a")
    assert sorted(asset.tags.names()) == ["Coast", "HARBOUR"]
    assert sorted(Asset.objects.get(owner=api.user, external_id="b").tags.names()) == ["HARBOUR"]
    assert not asset.tagged_items.filter(auto=True, tag__name__in=["Coast", "HARBOUR"]).exists()


def test_already_registered_external_ids_answer_200_with_their_asset(api, other_api):
    earlier = AssetFactory(owner=api.user, source_module="image_studio", external_id="old")
    theirs = AssetFactory(owner=other_api.user, source_module="image_studio", external_id="new")

    batch = [pending_image("old"), pending_image("new"), pending_image("old", source_module="blog_writer")]
    results = register(api, batch).json()["results"]

    assert [r["status"] for r in results] == [200, 201, 201]
    assert results[0]["id"] == str(earlier.pk)
    assert results[1]["id"] != str(theirs.pk)  # another owner's external id is theirs


def test_a_batch_sent_again_changes_nothing(api):
    """An importer retrying a batch (a timeout, say): every item answers 200 with the asset
    it made the first time, and no tag link, tag count or asset is added."""
    from assets.models import TaggedAsset

    batch = [pending_image(f"r{n}", tags=["coast", f"set-{n % 2}"]) for n in range(4)]
    first = register(api, batch).json()["results"]
    tags_before = api.get("/api/v1/tags/").json()

    again = register(api, [*batch, pending_image("r-new", tags=["coast"])]).json()["results"]

    assert [r["status"] for r in again] == [200] * 4 + [201]
    assert [r["id"] for r in again[:4]] == [r["id"] for r in first]
    assert TaggedAsset.objects.filter(content_object__owner=api.user).count() == 4 * 2 + 1
    assert not TaggedAsset.objects.exclude(content_object_id__in=Asset.objects.values("pk")).exists()
    coast = {t["name"]: t["count"] for t in tags_before}["coast"]
    assert {t["name"]: t["count"] for t in api.get("/api/v1/tags/").json()}["coast"] == coast + 1
    assert Asset.objects.filter(owner=api.user).count() == 5


def test_parents_and_texts_are_checked_per_item(api, other_api):
    mine = AssetFactory(owner=api.user)
    theirs = AssetFactory(owner=other_api.user)

    results = register(api, [
        pending_image("child", parent=str(mine.pk)),
        pending_image("stolen", parent=str(theirs.pk)),
        {"type": "text", "source_module": "story_writer", "text_content": "Once upon a time."},
        {"type": "text", "source_module": "story_writer", "status": "completed"},  # no text
        {"type": "image", "source_module": "image_studio", "status": "failed"},  # no error_message
    ]).json()["results"]

    assert [r["status"] for r in results] == [201, 400, 201, 400, 400]
    assert "parent" in results[1]["errors"] and "text_content" in results[3]["errors"]
    assert "error_message" in results[4]["errors"]
    assert Asset.objects.get(pk=results[0]["id"]).parent_id == mine.pk
    assert Asset.objects.get(pk=results[2]["id"]).text_content == "Once upon a time."


def test_new_assets_are_counted_and_tagged_automatically(api, django_capture_on_commit_callbacks):
    from analytics.models import UsageEvent

    batch = [pending_image(f"s{n}", prompt="a red fox in the snow") for n in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        results = register(api, batch).json()["results"]
    ids = [r["id"] for r in results]

    assert UsageEvent.objects.filter(asset_id__in=ids, kind="created").count() == 3
    assert api.get("/api/v1/stats/").json()["totals"]["assets"] == 3
    assert all(Asset.objects.get(pk=pk).tagged_items.filter(auto=True).exists() for pk in ids)


def test_a_concurrent_registration_of_the_same_external_id_is_found(api, monkeypatch):
    """Another request registers one of the batch's external ids before the batch's INSERT
    (after its look-up, where there is one): that one answers 200 with the other's asset."""
    from assets import services

    other = AssetFactory(owner=api.user, source_module="image_studio", external_id="raced")
    monkeypatch.setattr(services, "_registered_among", lambda owner, registrations: {})

    results = register(api, [pending_image("fresh"), pending_image("raced")]).json()["results"]

    assert [r["status"] for r in results] == [201, 200]
    assert results[1]["id"] == str(other.pk)
    assert Asset.objects.filter(owner=api.user, external_id="fresh").count() == 1


@pytest.mark.parametrize("count", [1, 2, 5])
def test_rows_written_together_keep_every_value_shared_or_not(user, count):
    """sql.insert_rows sends a column that every row shares once, the others as arrays:
    each row reads back exactly as made."""
    from assets import sql

    made = [Asset(owner=user, type="image", status="pending", source_module="image_studio", title="Dusk",
                  prompt="a lighthouse" if n != 1 else "a harbour",
                  cost=Decimal("0.04") if n != 2 else Decimal("0.0400"),
                  width=None if n != 3 else 640, metadata={"seed": 7}, is_favorite=n == 4, external_id=f"e{n}")
            for n in range(count)]
    assert sql.insert_rows(Asset, made) == {asset.pk for asset in made}

    fields = ("type", "status", "source_module", "title", "prompt", "cost", "width", "metadata", "is_favorite",
              "external_id", "owner_id", "created_at", "file", "usage_count")
    for asset in made:
        stored = Asset.objects.get(pk=asset.pk)
        assert [getattr(stored, name) for name in fields] == [getattr(asset, name) for name in fields]
