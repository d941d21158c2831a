import datetime as dt
import uuid

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from assets.models import Asset
from assets.tests.factories import AssetFactory
from collections_app.models import Collection, CollectionItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory
from conftest import collection_url

pytestmark = pytest.mark.django_db

URL = "/api/v1/collections/"
NOW = timezone.now()
FIELDS = {"id", "name", "description", "cover_asset", "asset_count", "cover_thumbnail_url", "owner", "role",
          "created_at", "updated_at"}


def member_ids(collection):
    return set(CollectionItem.objects.filter(collection=collection).values_list("asset_id", flat=True))


# --- list ----------------------------------------------------------------------------


def test_list_shows_only_my_collections_with_their_summary(api, other_user):
    mine = CollectionFactory(owner=api.user, name="Mine", description="d")
    AssetFactory(owner=api.user)  # not in the collection
    older = CollectionItemFactory(collection=mine, asset__created_at=NOW - dt.timedelta(days=1)).asset
    newest = CollectionItemFactory(collection=mine, asset__created_at=NOW).asset
    CollectionItemFactory(collection=mine, asset__created_at=NOW + dt.timedelta(days=1), asset__deleted_at=NOW)
    CollectionFactory(owner=other_user, name="Theirs")

    response = api.get(URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1 and body["next"] is None and body["previous"] is None
    [row] = body["results"]
    assert set(row) == FIELDS
    assert row["id"] == str(mine.pk)
    assert (row["name"], row["description"], row["asset_count"]) == ("Mine", "d", 2)
    assert row["cover_asset"] == str(newest.pk) != str(older.pk)
    assert row["cover_thumbnail_url"] == f"http://testserver/api/v1/assets/{newest.pk}/file/"


def test_list_is_ordered_by_name_and_takes_ordering_q_and_page_size(api):
    for name in ("beta", "Alpha", "gamma"):
        CollectionFactory(owner=api.user, name=name)

    assert [c["name"] for c in api.get(URL).json()["results"]] == ["Alpha", "beta", "gamma"]
    assert [c["name"] for c in api.get(URL, {"ordering": "-name"}).json()["results"]] == ["gamma", "beta", "Alpha"]
    assert [c["name"] for c in api.get(URL, {"q": "amm"}).json()["results"]] == ["gamma"]
    page = api.get(URL, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 3 and [c["name"] for c in page["results"]] == ["gamma"]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"ordering": "nope"}, "ordering"), ({"page_size": 0}, "page_size"), ({"page": "x"}, "page"),
     ({"page": 9}, "page"), ({"q": "x" * 201}, "q"), ({"q": "a\x00"}, "q")],
)
def test_list_rejects_bad_parameters(api, params, field):
    CollectionFactory(owner=api.user)
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def _populate(owner, collections, assets_each):
    for _ in range(collections):
        collection = CollectionFactory(owner=owner)
        for asset in AssetFactory.create_batch(assets_each, owner=owner):
            CollectionItemFactory(collection=collection, asset=asset)


def test_list_query_count_does_not_grow_with_collections(api, django_assert_num_queries):
    _populate(api.user, collections=1, assets_each=1)
    with django_assert_num_queries(2):  # the page's COUNT, then the page itself
        assert len(api.get(URL).json()["results"]) == 1

    _populate(api.user, collections=7, assets_each=3)
    with django_assert_num_queries(2):
        results = api.get(URL).json()["results"]
    assert len(results) == 8
    assert sorted(row["asset_count"] for row in results) == [1] + [3] * 7


def test_anonymous_requests_are_refused():
    response = APIClient().get(URL)
    assert response.status_code == 401


# --- create --------------------------------------------------------------------------


def test_create(api):
    cover = AssetFactory(owner=api.user)
    response = api.post(URL, {"name": "  Summer  ", "description": "Q3", "cover_asset": str(cover.pk)})

    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == FIELDS
    assert (body["name"], body["description"], body["asset_count"]) == ("Summer", "Q3", 0)
    assert body["cover_asset"] == str(cover.pk)
    collection = Collection.objects.get(pk=body["id"])
    assert collection.owner == api.user and collection.cover_asset == cover


def test_create_with_only_a_name(api):
    response = api.post(URL, {"name": "Plain"})
    assert response.status_code == 201
    assert response.json()["description"] == ""
    assert response.json()["cover_asset"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": None}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "a\x00b"}, "name"),
        ({"name": "A", "description": "x" * 20_001}, "description"),
        ({"name": "A", "description": "a\x00b"}, "description"),
        ({"name": "A", "cover_asset": "not-a-uuid"}, "cover_asset"),
        ({"name": "A", "cover_asset": str(uuid.uuid4())}, "cover_asset"),
    ],
)
def test_create_rejects_bad_input(api, body, field):
    response = api.post(URL, body)
    assert response.status_code == 400
    assert field in response.json()
    assert not Collection.objects.exists()


def test_create_rejects_a_duplicate_name_whatever_the_case(api, other_api):
    assert api.post(URL, {"name": "Campaign"}).status_code == 201
    response = api.post(URL, {"name": " CAMPAIGN "})
    assert response.status_code == 400
    assert list(response.json()) == ["name"]
    assert other_api.post(URL, {"name": "campaign"}).status_code == 201


def test_create_rejects_another_owners_asset_as_cover(api, other_user):
    response = api.post(URL, {"name": "A", "cover_asset": str(AssetFactory(owner=other_user).pk)})
    assert response.status_code == 400
    assert list(response.json()) == ["cover_asset"]


# --- retrieve / patch / delete -------------------------------------------------------


def test_retrieve(api):
    collection = CollectionFactory(owner=api.user, name="One")
    response = api.get(collection_url(collection))
    assert response.status_code == 200
    assert response.json()["name"] == "One"


def test_patch(api):
    collection = CollectionFactory(owner=api.user, name="Old", description="keep")
    cover = AssetFactory(owner=api.user)

    response = api.patch(collection_url(collection), {"name": " New ", "cover_asset": str(cover.pk)})

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["name"], body["description"], body["cover_asset"]) == ("New", "keep", str(cover.pk))
    collection.refresh_from_db()
    assert (collection.name, collection.cover_asset_id) == ("New", cover.pk)


def test_patch_cover_null_goes_back_to_the_newest_asset(api):
    collection = CollectionFactory(owner=api.user)
    newest = CollectionItemFactory(collection=collection).asset
    collection.cover_asset = AssetFactory(owner=api.user)
    collection.save()

    response = api.patch(collection_url(collection), {"cover_asset": None})

    assert response.status_code == 200
    assert response.json()["cover_asset"] == str(newest.pk)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Taken"}, "name"),
        ({"name": "taken"}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"cover_asset": "nope"}, "cover_asset"),
        ({"cover_asset": str(uuid.uuid4())}, "cover_asset"),
    ],
)
def test_patch_rejects_bad_input(api, body, field):
    CollectionFactory(owner=api.user, name="Taken")
    collection = CollectionFactory(owner=api.user, name="Mine")
    response = api.patch(collection_url(collection), body)
    assert response.status_code == 400
    assert field in response.json()
    collection.refresh_from_db()
    assert collection.name == "Mine"


def test_put_is_not_offered(api):
    collection = CollectionFactory(owner=api.user)
    assert api.put(collection_url(collection), {"name": "X"}).status_code == 405


def test_delete_keeps_the_assets(api):
    collection = CollectionFactory(owner=api.user)
    asset = CollectionItemFactory(collection=collection).asset

    assert api.delete(collection_url(collection)).status_code == 204

    assert not Collection.objects.filter(pk=collection.pk).exists()
    assert Asset.objects.filter(pk=asset.pk, deleted_at__isnull=True).exists()
    assert api.get(f"/api/v1/assets/{asset.pk}/").json()["collections"] == []


def test_unknown_collection_is_404(api):
    assert api.get(f"{URL}{uuid.uuid4()}/").status_code == 404
    assert api.get(f"{URL}not-a-uuid/").status_code == 404


def test_another_owners_collection_is_404_everywhere(api, other_user):
    theirs = CollectionFactory(owner=other_user, name="Theirs")
    their_asset = CollectionItemFactory(collection=theirs).asset
    my_asset = AssetFactory(owner=api.user)
    body = {"ids": [str(my_asset.pk), str(their_asset.pk)]}

    responses = [
        api.get(collection_url(theirs)),
        api.patch(collection_url(theirs), {"name": "Mine now"}),
        api.delete(collection_url(theirs)),
        api.post(collection_url(theirs, "assets"), body),
        api.post(collection_url(theirs, "assets/remove"), body),
        api.post(collection_url(theirs, "assets"), {}),  # a bad body is not looked at either
    ]

    assert [r.status_code for r in responses] == [404] * 6
    assert responses[0].json() == {"detail": "No such collection."}
    theirs.refresh_from_db()
    assert theirs.name == "Theirs"
    assert member_ids(theirs) == {their_asset.pk}


# --- add assets ----------------------------------------------------------------------


def test_add_by_ids(api, other_user):
    collection = CollectionFactory(owner=api.user)
    already = CollectionItemFactory(collection=collection).asset
    new = AssetFactory.create_batch(2, owner=api.user)
    theirs = AssetFactory(owner=other_user)
    trashed = AssetFactory(owner=api.user, deleted_at=NOW)
    unknown = uuid.uuid4()
    ids = [str(already.pk), str(new[0].pk), str(theirs.pk), str(new[1].pk), str(trashed.pk), str(unknown),
           str(new[0].pk)]

    response = api.post(collection_url(collection, "assets"), {"ids": ids})

    assert response.status_code == 200, response.json()
    assert response.json() == {"added": 2, "not_found": [str(theirs.pk), str(trashed.pk), str(unknown)]}
    assert member_ids(collection) == {already.pk, new[0].pk, new[1].pk}
    assert not CollectionItem.objects.filter(asset=theirs).exists()
    assert api.get(collection_url(collection)).json()["asset_count"] == 3


def test_adding_again_is_not_an_error_and_counts_nothing(api):
    collection = CollectionFactory(owner=api.user)
    asset = AssetFactory(owner=api.user)
    api.post(collection_url(collection, "assets"), {"ids": [str(asset.pk)]})
    response = api.post(collection_url(collection, "assets"), {"ids": [str(asset.pk)]})
    assert response.status_code == 200
    assert response.json() == {"added": 0, "not_found": []}


def test_ids_are_accepted_in_any_uuid_spelling_and_reported_canonically(api):
    collection = CollectionFactory(owner=api.user)
    asset = AssetFactory(owner=api.user)
    unknown = uuid.uuid4()
    response = api.post(collection_url(collection, "assets"), {"ids": [asset.pk.hex.upper(), unknown.hex]})
    assert response.json() == {"added": 1, "not_found": [str(unknown)]}


def test_add_by_filter(api, other_user):
    collection = CollectionFactory(owner=api.user)
    texts = AssetFactory.create_batch(2, owner=api.user, type="text")
    AssetFactory(owner=api.user, type="text", deleted_at=NOW)
    AssetFactory(owner=api.user)  # an image
    AssetFactory(owner=other_user, type="text")

    response = api.post(collection_url(collection, "assets"), {"filter": {"type": "text", "page": 1, "page_size": 1}})

    assert response.status_code == 200, response.json()
    assert response.json() == {"added": 2, "not_found": []}
    assert member_ids(collection) == {asset.pk for asset in texts}


def test_filter_takes_json_values(api):
    collection = CollectionFactory(owner=api.user)
    wanted = [
        AssetFactory(owner=api.user, is_favorite=True, tags=["q3"]),
        AssetFactory(owner=api.user, is_favorite=True, type="text", tags=["launch"]),
    ]
    AssetFactory(owner=api.user, is_favorite=False, tags=["q3"])
    AssetFactory(owner=api.user, is_favorite=True, type="audio", file=None, status="pending", tags=["q3"])

    response = api.post(
        collection_url(collection, "assets"),
        {"filter": {"favorites": True, "tags": ["q3", "launch"], "type": ["image", "text"], "max_cost": 1}},
    )

    assert response.json() == {"added": 2, "not_found": []}
    assert member_ids(collection) == {asset.pk for asset in wanted}


def test_filter_can_search_by_keyword(api):
    collection = CollectionFactory(owner=api.user)
    wanted = AssetFactory(owner=api.user, title="Lighthouse at dusk", prompt="")
    AssetFactory(owner=api.user, title="Forest", prompt="")

    response = api.post(collection_url(collection, "assets"), {"filter": {"q": "lighthouse"}})

    assert response.json() == {"added": 1, "not_found": []}
    assert member_ids(collection) == {wanted.pk}


def test_an_empty_filter_adds_the_whole_library(api):
    collection = CollectionFactory(owner=api.user)
    AssetFactory.create_batch(3, owner=api.user)
    AssetFactory(owner=api.user, deleted_at=NOW)
    assert api.post(collection_url(collection, "assets"), {"filter": {}}).json() == {"added": 3, "not_found": []}


def test_ten_thousand_ids_are_accepted(api):
    collection = CollectionFactory(owner=api.user)
    asset = AssetFactory(owner=api.user)
    ids = [str(asset.pk), *(str(uuid.uuid4()) for _ in range(9_999))]
    response = api.post(collection_url(collection, "assets"), {"ids": ids})
    assert response.status_code == 200
    body = response.json()
    assert body["added"] == 1 and len(body["not_found"]) == 9_999


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "non_field_errors"),
        ({"ids": None, "filter": None}, "non_field_errors"),
        ({"ids": ["00000000-0000-0000-0000-000000000001"], "filter": {}}, "non_field_errors"),
        ({"ids": "00000000-0000-0000-0000-000000000001"}, "ids"),
        ({"ids": []}, "ids"),
        ({"ids": ["not-a-uuid"]}, "ids"),
        ({"ids": [12345]}, "ids"),
        ({"ids": [["00000000-0000-0000-0000-000000000001"]]}, "ids"),
        ({"ids": [str(uuid.UUID(int=n)) for n in range(10_001)]}, "ids"),
        ({"filter": "type=image"}, "filter"),
        ({"filter": ["type", "image"]}, "filter"),
        ({"filter": {"type": "foo"}}, "filter.type"),
        ({"filter": {"ordering": "nope"}}, "filter.ordering"),
        ({"filter": {"created_after": "yesterday"}}, "filter.created_after"),
        ({"filter": {"collection": "nope"}}, "filter.collection"),
        ({"filter": {"stauts": "failed"}}, "filter.stauts"),
        ({"filter": {"type": {"in": ["image"]}}}, "filter.type"),
        ({"filter": {"type": [["image"]]}}, "filter.type"),
    ],
)
@pytest.mark.parametrize("action", ["assets", "assets/remove"], ids=["add", "remove"])
def test_bulk_bodies_are_validated(api, body, field, action):
    collection = CollectionFactory(owner=api.user)
    member = CollectionItemFactory(collection=collection).asset
    AssetFactory(owner=api.user)

    response = api.post(collection_url(collection, action), body)

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert member_ids(collection) == {member.pk}


def test_a_body_that_is_not_an_object_is_refused(api):
    collection = CollectionFactory(owner=api.user)
    response = api.post(collection_url(collection, "assets"), ["00000000-0000-0000-0000-000000000001"])
    assert response.status_code == 400
    assert "non_field_errors" in response.json()


def test_bulk_endpoints_take_json_only(api):
    collection = CollectionFactory(owner=api.user)
    response = api.post(collection_url(collection, "assets"), {"ids": str(uuid.uuid4())}, format="multipart")
    assert response.status_code == 415


# --- remove assets -------------------------------------------------------------------


def test_remove_by_ids(api, other_user):
    collection = CollectionFactory(owner=api.user)
    kept, gone, trashed = (CollectionItemFactory(collection=collection).asset for _ in range(3))
    Asset.objects.filter(pk=trashed.pk).update(deleted_at=NOW)
    outside = AssetFactory(owner=api.user)
    theirs = AssetFactory(owner=other_user)
    unknown = uuid.uuid4()

    response = api.post(
        collection_url(collection, "assets/remove"),
        {"ids": [str(gone.pk), str(trashed.pk), str(outside.pk), str(theirs.pk), str(unknown)]},
    )

    assert response.status_code == 200, response.json()
    assert response.json() == {"removed": 2, "not_found": [str(theirs.pk), str(unknown)]}
    assert member_ids(collection) == {kept.pk}
    assert Asset.objects.filter(pk__in=[gone.pk, trashed.pk, outside.pk, theirs.pk]).count() == 4


def test_remove_by_filter(api):
    collection = CollectionFactory(owner=api.user)
    image = CollectionItemFactory(collection=collection).asset
    CollectionItemFactory(collection=collection, asset__type="text")
    other_collection = CollectionFactory(owner=api.user)
    CollectionItemFactory(collection=other_collection, asset__type="text")

    response = api.post(collection_url(collection, "assets/remove"), {"filter": {"type": "text"}})

    assert response.json() == {"removed": 1, "not_found": []}
    assert member_ids(collection) == {image.pk}
    assert other_collection.items.count() == 1


def test_remove_by_filter_can_take_trashed_assets_out(api):
    collection = CollectionFactory(owner=api.user)
    live = CollectionItemFactory(collection=collection).asset
    CollectionItemFactory(collection=collection, asset__deleted_at=NOW)

    response = api.post(collection_url(collection, "assets/remove"), {"filter": {"in_trash": True}})

    assert response.json() == {"removed": 1, "not_found": []}
    assert member_ids(collection) == {live.pk}


# --- the assets side -----------------------------------------------------------------


def test_assets_list_filters_by_collection(api, other_user):
    collection = CollectionFactory(owner=api.user)
    members = AssetFactory.create_batch(2, owner=api.user)
    AssetFactory(owner=api.user)
    api.post(collection_url(collection, "assets"), {"ids": [str(asset.pk) for asset in members]})
    theirs = CollectionItemFactory(collection__owner=other_user).collection

    listing = api.get("/api/v1/assets/", {"collection": str(collection.pk)}).json()

    assert listing["count"] == 2
    assert {row["id"] for row in listing["results"]} == {str(asset.pk) for asset in members}
    assert api.get("/api/v1/assets/", {"collection": str(theirs.pk)}).json()["count"] == 0
    assert api.get("/api/v1/assets/", {"collection": "nope"}).status_code == 400


def test_assets_show_their_collections(api):
    first, second = CollectionFactory.create_batch(2, owner=api.user)
    asset = AssetFactory(owner=api.user)
    for collection in (first, second):
        api.post(collection_url(collection, "assets"), {"ids": [str(asset.pk)]})

    shown = api.get(f"/api/v1/assets/{asset.pk}/").json()["collections"]
    assert sorted(shown) == sorted([str(first.pk), str(second.pk)])
    listed = api.get("/api/v1/assets/").json()["results"][0]["collections"]
    assert sorted(listed) == sorted(shown)

    api.post(collection_url(first, "assets/remove"), {"ids": [str(asset.pk)]})
    assert api.get(f"/api/v1/assets/{asset.pk}/").json()["collections"] == [str(second.pk)]


# --- schema --------------------------------------------------------------------------


def test_every_collections_endpoint_is_documented():
    from django.urls import include, path
    from drf_spectacular.generators import SchemaGenerator
    from drf_spectacular.validation import validate_schema

    # Only the collections routes: the schema of the whole API is generated elsewhere.
    patterns = [path("api/v1/", include(([path("", include("collections_app.api.urls"))], "api")))]
    schema = SchemaGenerator(patterns=patterns).get_schema(request=None, public=True)
    validate_schema(schema)
    paths = schema["paths"]

    assert set(paths["/api/v1/collections/"]) == {"get", "post"}
    assert set(paths["/api/v1/collections/{id}/"]) == {"get", "patch", "delete"}
    for suffix, answer in (("assets/", "CollectionAssetsAdded"), ("assets/remove/", "CollectionAssetsRemoved")):
        operation = paths[f"/api/v1/collections/{{id}}/{suffix}"]["post"]
        assert operation["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
            "CollectionAssetsSelectionRequest"
        )
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith(answer)
        assert {"400", "404"} <= set(operation["responses"])
    collection_fields = schema["components"]["schemas"]["Collection"]["properties"]
    assert FIELDS <= set(collection_fields)
