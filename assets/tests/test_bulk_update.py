"""POST /assets/bulk/update/ (api.md, "Bulk actions"): ids or filter; add_tags, remove_tags, title,
description, is_favorite; one transaction, all or nothing; {"updated", "not_found"}."""

import uuid

import pytest
from django.utils import timezone

from assets.models import Asset, AssetType, TaggedAsset
from assets.tagging import add_auto_tags
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"
BULK_UPDATE = "/api/v1/assets/bulk/update/"


def bulk(client, body, status=200):
    response = client.post(BULK_UPDATE, body, format="json")
    assert response.status_code == status, response.json()
    return response.json()


def tag_names(asset):
    return sorted(link.tag.name for link in TaggedAsset.objects.filter(content_object=asset).select_related("tag"))


def fresh(asset):
    return Asset.objects.get(pk=asset.pk)


def snapshot(*assets):
    return [
        (a.title, a.description, a.is_favorite, a.updated_at, tag_names(a))
        for a in Asset.objects.filter(pk__in=[a.pk for a in assets]).order_by("pk")
    ]


def listed_ids(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


# --- by ids --------------------------------------------------------------------------------------


def test_every_field_by_ids(api):
    first = AssetFactory(owner=api.user, text=True, tags=["old", "keep"])
    second = AssetFactory(owner=api.user, text=True)
    untouched = AssetFactory(owner=api.user, text=True, title="Untouched")

    body = bulk(api, {
        "ids": [str(first.pk), str(second.pk)],
        "add_tags": ["campaign-q3", "Sunset"], "remove_tags": ["OLD"],
        "title": "Launch", "description": "For the launch", "is_favorite": True,
    })

    assert body == {"updated": 2, "not_found": []}
    for asset in (first, second):
        asset = fresh(asset)
        assert (asset.title, asset.description, asset.is_favorite) == ("Launch", "For the launch", True)
    assert tag_names(first) == ["Sunset", "campaign-q3", "keep"]
    assert tag_names(second) == ["Sunset", "campaign-q3"]
    assert fresh(untouched).title == "Untouched"
    assert tag_names(untouched) == []


def test_fields_not_sent_are_left_alone(api):
    asset = AssetFactory(owner=api.user, text=True, title="Title", description="Desc", is_favorite=True, tags=["a"])

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["b"]})

    asset = fresh(asset)
    assert (asset.title, asset.description, asset.is_favorite) == ("Title", "Desc", True)
    assert tag_names(asset) == ["a", "b"]


def test_the_api_shows_the_change(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["a"])

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["b"], "title": "New"})

    body = api.get(f"{LIST}{asset.pk}/").json()
    assert (body["title"], sorted(body["tags"])) == ("New", ["a", "b"])


def test_is_favorite_set_and_cleared(api):
    assets = [AssetFactory(owner=api.user, text=True) for _ in range(3)]
    ids = [str(a.pk) for a in assets]

    assert bulk(api, {"ids": ids[:2], "is_favorite": True})["updated"] == 2
    assert listed_ids(api, favorites="true") == set(ids[:2])
    assert bulk(api, {"ids": ids, "is_favorite": False})["updated"] == 3
    assert listed_ids(api, favorites="true") == set()


def test_an_empty_title_and_description_are_allowed(api):
    asset = AssetFactory(owner=api.user, text=True, title="Old", description="Old")

    bulk(api, {"ids": [str(asset.pk)], "title": "", "description": ""})

    asset = fresh(asset)
    assert (asset.title, asset.description) == ("", "")


def test_updated_at_moves(api):
    asset = AssetFactory(owner=api.user, text=True)
    before = fresh(asset).updated_at

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["x"]})

    after = fresh(asset).updated_at
    assert before < after <= timezone.now()


def test_repeated_ids_count_once(api):
    asset = AssetFactory(owner=api.user, text=True)

    assert bulk(api, {"ids": [str(asset.pk)] * 3, "title": "Once"}) == {"updated": 1, "not_found": []}


def test_other_owners_and_unknown_ids_are_not_found_and_untouched(api, other_user):
    mine = AssetFactory(owner=api.user, text=True)
    theirs = AssetFactory(owner=other_user, text=True, title="Theirs", tags=["theirs"])
    trashed = AssetFactory(owner=api.user, text=True, title="Trashed", trashed=True)
    unknown = str(uuid.uuid4())

    body = bulk(api, {
        "ids": [str(theirs.pk), str(mine.pk), unknown, str(trashed.pk)],
        "title": "Mine", "add_tags": ["bulk"], "remove_tags": ["theirs"], "is_favorite": True,
    })

    assert body == {"updated": 1, "not_found": [str(theirs.pk), unknown, str(trashed.pk)]}
    assert fresh(mine).title == "Mine"
    theirs = fresh(theirs)
    assert (theirs.title, theirs.is_favorite, tag_names(theirs)) == ("Theirs", False, ["theirs"])
    assert (fresh(trashed).title, tag_names(trashed)) == ("Trashed", [])


def test_only_unknown_ids_is_a_200_with_nothing_updated(api):
    unknown = [str(uuid.uuid4()), str(uuid.uuid4())]

    assert bulk(api, {"ids": unknown, "title": "x"}) == {"updated": 0, "not_found": unknown}


# --- tags ----------------------------------------------------------------------------------------


def test_remove_tags_ignores_case_and_spares_other_owners(api, other_user):
    mine = AssetFactory(owner=api.user, text=True, tags=["Sunset", "beach"])
    theirs = AssetFactory(owner=other_user, text=True, tags=["sunset"])

    bulk(api, {"ids": [str(mine.pk), str(theirs.pk)], "remove_tags": ["SUNSET", "  Beach "]})

    assert tag_names(mine) == []
    assert [name.lower() for name in tag_names(theirs)] == ["sunset"]


def test_remove_tags_also_removes_automatic_ones(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["manual"])
    add_auto_tags(asset, ["landscape"])

    bulk(api, {"ids": [str(asset.pk)], "remove_tags": ["landscape"]})

    assert tag_names(asset) == ["manual"]


def test_removing_a_tag_an_asset_lacks_is_fine(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["a"])

    assert bulk(api, {"ids": [str(asset.pk)], "remove_tags": ["zzz"]})["updated"] == 1
    assert tag_names(asset) == ["a"]


def test_add_tags_matches_existing_tags_ignoring_case(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["Sunset"])

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["sunset", "SUNSET", "new"]})

    assert tag_names(asset) == ["Sunset", "new"]


def test_adding_an_automatic_tag_by_hand_makes_it_manual(api):
    asset = AssetFactory(owner=api.user, text=True)
    add_auto_tags(asset, ["landscape", "blue"])

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["Landscape"]})

    body = api.get(f"{LIST}{asset.pk}/").json()
    assert sorted(body["tags"]) == ["blue", "landscape"]
    assert body["auto_tags"] == ["blue"]


def test_add_then_remove_in_one_call(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["draft"])

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["final"], "remove_tags": ["draft"]})

    assert tag_names(asset) == ["final"]


def test_search_sees_new_tags_and_titles_at_once(api):
    asset = AssetFactory(owner=api.user, text=True, title="Plain", prompt="nothing here")
    other = AssetFactory(owner=api.user, text=True, title="Other", prompt="nothing here")

    bulk(api, {"ids": [str(asset.pk)], "add_tags": ["zanzibar"], "title": "Quokka portrait"})

    assert listed_ids(api, q="zanzibar") == {str(asset.pk)}
    assert listed_ids(api, q="quokka") == {str(asset.pk)}
    assert listed_ids(api, tags="zanzibar") == {str(asset.pk)}
    bulk(api, {"ids": [str(asset.pk), str(other.pk)], "remove_tags": ["zanzibar"]})
    assert listed_ids(api, q="zanzibar") == set()


def test_an_asset_at_fifty_tags_may_get_one_it_already_has(api):
    names = [f"t{n:02}" for n in range(50)]
    asset = AssetFactory(owner=api.user, text=True, tags=names)

    assert bulk(api, {"ids": [str(asset.pk)], "add_tags": ["T00"]})["updated"] == 1
    assert len(tag_names(asset)) == 50


def test_removing_first_makes_room_for_adding(api):
    asset = AssetFactory(owner=api.user, text=True, tags=[f"t{n:02}" for n in range(50)])

    bulk(api, {"ids": [str(asset.pk)], "remove_tags": ["t00", "t01"], "add_tags": ["x", "y"]})

    assert len(tag_names(asset)) == 50
    assert {"x", "y"} <= set(tag_names(asset))


# --- all or nothing ------------------------------------------------------------------------------


def test_pushing_one_asset_over_fifty_tags_is_a_400_and_changes_nothing(api):
    roomy = AssetFactory(owner=api.user, text=True, title="Roomy", tags=["keep"])
    crowded = AssetFactory(owner=api.user, text=True, title="Crowded", tags=[f"t{n:02}" for n in range(49)])
    before = snapshot(roomy, crowded)

    response = api.post(BULK_UPDATE, {
        "ids": [str(roomy.pk), str(crowded.pk)], "add_tags": ["x", "y"], "remove_tags": ["keep"],
        "title": "Changed", "is_favorite": True,
    }, format="json")

    assert response.status_code == 400
    assert "add_tags" in response.json()
    assert "50" in response.json()["add_tags"][0]
    assert snapshot(roomy, crowded) == before


def test_a_filter_over_more_assets_than_ids_allow_is_all_or_nothing(api):
    """More than one statement's worth of ids, one of them crowded: nothing at all changes."""
    now = timezone.now()
    Asset.objects.bulk_create(
        [Asset(owner=api.user, type=AssetType.TEXT, source_module="story_writer", title=f"Bulk {n}",
               text_content="x", created_at=now, updated_at=now) for n in range(10_001)],
        batch_size=1000,
    )
    crowded = AssetFactory(owner=api.user, text=True, source_module="story_writer", title="Crowded",
                           tags=[f"t{n:02}" for n in range(50)])
    filter_body = {"filter": {"source_module": "story_writer"}, "add_tags": ["bulk-tag"], "title": "Bulk"}

    response = api.post(BULK_UPDATE, filter_body, format="json")

    assert response.status_code == 400
    assert "add_tags" in response.json()
    assert not TaggedAsset.objects.filter(tag__name="bulk-tag").exists()
    assert not Asset.objects.filter(title="Bulk").exists()

    api.patch(f"{LIST}{crowded.pk}/", {"tags": ["only"]}, format="json")
    assert bulk(api, filter_body) == {"updated": 10_002, "not_found": []}
    assert TaggedAsset.objects.filter(tag__name="bulk-tag").count() == 10_002
    assert Asset.objects.filter(owner=api.user, title="Bulk").count() == 10_002


def test_a_title_too_long_is_a_400_naming_title_and_changes_nothing(api):
    asset = AssetFactory(owner=api.user, text=True, title="Kept", tags=["kept"])
    before = snapshot(asset)

    response = api.post(BULK_UPDATE, {"ids": [str(asset.pk)], "title": "x" * 501, "add_tags": ["new"]},
                        format="json")

    assert response.status_code == 400
    assert "title" in response.json()
    assert snapshot(asset) == before


# --- by filter -----------------------------------------------------------------------------------


def test_a_filter_acts_on_everything_it_matches_and_nothing_else(api, other_user):
    story = AssetFactory(owner=api.user, text=True, source_module="story_writer")
    blog = AssetFactory(owner=api.user, text=True, source_module="blog_writer")
    trashed_story = AssetFactory(owner=api.user, text=True, source_module="story_writer", trashed=True)
    theirs = AssetFactory(owner=other_user, text=True, source_module="story_writer")

    body = bulk(api, {"filter": {"source_module": "story_writer"}, "add_tags": ["stories"], "is_favorite": True})

    assert body == {"updated": 1, "not_found": []}
    assert tag_names(story) == ["stories"]
    assert fresh(story).is_favorite is True
    for untouched in (blog, trashed_story, theirs):
        assert tag_names(untouched) == []
        assert fresh(untouched).is_favorite is False


def test_a_filter_takes_the_list_parameters(api):
    cheap_image = AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="0.01", tags=["red"])
    AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="5", tags=["red"])
    AssetFactory(owner=api.user, type=AssetType.TEXT, cost="0.01", tags=["red"])
    AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="0.01", tags=["blue"])

    body = bulk(api, {"filter": {"type": ["image"], "max_cost": "1", "tags": "red,green", "page": 3},
                      "title": "Picked"})

    assert body["updated"] == 1
    assert set(Asset.objects.filter(title="Picked").values_list("pk", flat=True)) == {cheap_image.pk}


def test_a_filter_takes_json_numbers_booleans_and_lists_where_they_fit(api):
    picked = AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="0.01", tags=["red"], is_favorite=True)
    AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="0.50", tags=["red"], is_favorite=True)
    AssetFactory(owner=api.user, type=AssetType.IMAGE, cost="0.01", tags=["red"])

    for selection in (
        {"favorites": True, "max_cost": 0.1, "tags": ["red", "green"], "type": ["image", "video"]},
        {"favorites": 1, "max_cost": "0.1", "tags": "red, green", "type": "image,video"},
        {"favorites": "true", "min_cost": 0, "max_cost": ".1", "status": ["completed"], "in_trash": False},
    ):
        assert bulk(api, {"filter": selection, "title": "Picked"})["updated"] == 1, selection
    assert set(Asset.objects.filter(title="Picked").values_list("pk", flat=True)) == {picked.pk}


def test_a_filter_with_a_search_query(api):
    fox = AssetFactory(owner=api.user, text=True, title="Red fox in snow")
    AssetFactory(owner=api.user, text=True, title="Blue whale")

    assert bulk(api, {"filter": {"q": "fox"}, "add_tags": ["animals"]})["updated"] == 1
    assert listed_ids(api, tags="animals") == {str(fox.pk)}


def test_a_filter_that_matches_nothing_updates_nothing(api):
    AssetFactory(owner=api.user, text=True)

    assert bulk(api, {"filter": {"type": "video"}, "title": "x"}) == {"updated": 0, "not_found": []}


@pytest.mark.parametrize(
    ("filter_params", "field"),
    [({"colour": "red"}, "filter.colour"), ({"type": "foo"}, "filter.type"), ("type=image", "filter"),
     ({"min_cost": "cheap"}, "filter.min_cost"), ({"type": {"a": 1}}, "filter.type"),
     # JSON types the parameter does not take (the schema says which it does).
     ({"tags": 0}, "filter.tags"), ({"q": 5}, "filter.q"), ({"q": ["a"]}, "filter.q"),
     ({"tags": ["a,b"]}, "filter.tags"), ({"type": [1]}, "filter.type"), ({"favorites": 2}, "filter.favorites"),
     ({"favorites": [True]}, "filter.favorites"), ({"min_cost": True}, "filter.min_cost"),
     ({"min_cost": "1e3"}, "filter.min_cost"), ({"max_cost": 1e8}, "filter.max_cost"),
     ({"collection": 7}, "filter.collection")],
)
def test_a_bad_filter_is_a_400_naming_it(api, filter_params, field):
    asset = AssetFactory(owner=api.user, text=True, title="Kept")

    response = api.post(BULK_UPDATE, {"filter": filter_params, "title": "x"}, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert fresh(asset).title == "Kept"


# --- bad bodies ----------------------------------------------------------------------------------


def _ids(api):
    return [str(AssetFactory(owner=api.user, text=True, title="Kept", tags=["kept"]).pk)]


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ({"add_tags": [""]}, "add_tags", "empty"),
        ({"add_tags": ["ok", "   "]}, "add_tags", "empty"),
        ({"remove_tags": [""]}, "remove_tags", "empty"),
        ({"add_tags": ["t" * 101]}, "add_tags", "100"),
        ({"remove_tags": ["t" * 101]}, "remove_tags", "100"),
        ({"add_tags": [f"t{n}" for n in range(51)]}, "add_tags", "50"),
        ({"add_tags": "sunset"}, "add_tags", None),
        ({"add_tags": [1]}, "add_tags", None),
        ({"title": "x" * 501}, "title", None),
        ({"description": "x" * 20_001}, "description", None),
        ({"is_favorite": "maybe"}, "is_favorite", None),
    ],
)
def test_bad_changes_are_a_400_naming_the_field(api, extra, field, words):
    ids = _ids(api)

    response = api.post(BULK_UPDATE, {"ids": ids, **extra}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    if words:
        assert words in " ".join(body[field]), body
    asset = Asset.objects.get(pk=ids[0])
    assert (asset.title, tag_names(asset)) == ("Kept", ["kept"])


def test_no_change_at_all_is_a_400(api):
    ids = _ids(api)

    for body in ({"ids": ids}, {"ids": ids, "add_tags": [], "remove_tags": []}):
        response = api.post(BULK_UPDATE, body, format="json")
        assert response.status_code == 400
        assert "add_tags" in str(response.json())


def test_both_ids_and_filter_is_a_400(api):
    ids = _ids(api)

    response = api.post(BULK_UPDATE, {"ids": ids, "filter": {"type": "text"}, "title": "x"}, format="json")

    assert response.status_code == 400
    message = str(response.json())
    assert "ids" in message and "filter" in message and "not both" in message
    assert Asset.objects.get(pk=ids[0]).title == "Kept"


def test_neither_ids_nor_filter_is_a_400(api):
    _ids(api)

    response = api.post(BULK_UPDATE, {"title": "x"}, format="json")

    assert response.status_code == 400
    message = str(response.json())
    assert "ids" in message and "filter" in message
    assert not Asset.objects.filter(title="x").exists()


def test_more_than_10000_ids_is_a_400_naming_ids(api):
    ids = _ids(api) + [str(uuid.uuid4()) for _ in range(10_000)]

    response = api.post(BULK_UPDATE, {"ids": ids, "title": "x"}, format="json")

    assert response.status_code == 400
    assert "ids" in response.json()
    assert "10,000" in response.json()["ids"][0]
    assert Asset.objects.get(pk=ids[0]).title == "Kept"


def test_exactly_10000_ids_are_accepted(api):
    ids = _ids(api) + [str(uuid.uuid4()) for _ in range(9_999)]

    body = bulk(api, {"ids": ids, "title": "Changed"})

    assert body["updated"] == 1
    assert len(body["not_found"]) == 9_999
    assert Asset.objects.get(pk=ids[0]).title == "Changed"


@pytest.mark.parametrize(
    "ids", [[], "abc", ["not-a-uuid"], [123], [None], {"a": 1}], ids=["empty", "text", "bad", "int", "null", "obj"]
)
def test_malformed_ids_are_a_400_naming_ids(api, ids):
    response = api.post(BULK_UPDATE, {"ids": ids, "title": "x"}, format="json")

    assert response.status_code == 400
    assert "ids" in response.json(), response.json()


def test_a_body_that_is_not_an_object_is_a_400(api):
    response = api.post(BULK_UPDATE, [str(uuid.uuid4())], format="json")

    assert response.status_code == 400


def test_bulk_update_needs_authentication(client):
    assert client.post(BULK_UPDATE, {"ids": [str(uuid.uuid4())], "title": "x"},
                       content_type="application/json").status_code == 401
