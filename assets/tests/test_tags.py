"""Tags (api.md, "Tags"): names trimmed, matched case-insensitively, at most 100 characters and
50 per asset; GET /tags/ counts over the caller's own assets only; the OR tag filter."""

import pytest
from rest_framework.test import APIClient

from assets.models import Tag, TaggedAsset
from assets.tests.factories import AssetFactory
from conftest import asset_url

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"
TAGS = "/api/v1/tags/"


def tag_names(asset):
    return sorted(link.tag.name for link in TaggedAsset.objects.filter(content_object=asset).select_related("tag"))


def counts(client, **params):
    response = client.get(TAGS, params)
    assert response.status_code == 200, response.json()
    return [(row["name"], row["count"]) for row in response.json()]


# --- names ---------------------------------------------------------------------------------------


def test_tag_names_are_trimmed(api):
    asset = AssetFactory(owner=api.user, text=True)

    response = api.patch(asset_url(asset), {"tags": ["  sunset  ", "golden \t  hour", "\nq3"]}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["tags"]) == ["golden hour", "q3", "sunset"]
    assert tag_names(asset) == ["golden hour", "q3", "sunset"]


def test_tag_names_trimmed_on_create(api):
    response = api.post(
        LIST, {"type": "text", "source_module": "story_writer", "text_content": "Hi", "tags": [" draft ", "a  b"]},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["tags"] == ["a b", "draft"]


def test_names_differing_only_in_case_are_one_tag(api):
    asset = AssetFactory(owner=api.user, text=True)

    response = api.patch(asset_url(asset), {"tags": ["Sunset", "sunset", "SUNSET "]}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["tags"] == ["Sunset"]


def test_a_tag_is_one_row_whatever_the_case_it_is_typed_in(api):
    first = AssetFactory(owner=api.user, text=True, tags=["Sunset"])
    second = AssetFactory(owner=api.user, text=True)

    api.patch(asset_url(second), {"tags": ["sunset"]}, format="json")

    assert Tag.objects.filter(owner=api.user, name__iexact="sunset").count() == 1
    assert counts(api) == [("Sunset", 2)]
    listed = {item["id"] for item in api.get(LIST, {"tags": "SUNSET"}).json()["results"]}
    assert listed == {str(first.pk), str(second.pk)}


def test_resending_a_tag_in_another_case_keeps_it(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["Sunset", "beach"])

    response = api.patch(asset_url(asset), {"tags": ["sunset"]}, format="json")

    assert response.status_code == 200
    assert response.json()["tags"] == ["Sunset"]


def test_a_tag_of_100_characters_is_accepted(api):
    asset = AssetFactory(owner=api.user, text=True)
    name = "t" * 100

    response = api.patch(asset_url(asset), {"tags": [name, f"  {'u' * 100}  "]}, format="json")

    assert response.status_code == 200, response.json()
    assert sorted(response.json()["tags"]) == [name, "u" * 100]


def test_fifty_tags_are_accepted(api):
    asset = AssetFactory(owner=api.user, text=True)
    names = [f"tag{n:02}" for n in range(50)]

    response = api.patch(asset_url(asset), {"tags": names}, format="json")

    assert response.status_code == 200, response.json()
    assert len(response.json()["tags"]) == 50


def test_repeats_do_not_count_towards_the_limit(api):
    asset = AssetFactory(owner=api.user, text=True)
    names = [f"tag{n:02}" for n in range(50)] + ["TAG00", " tag01 "]

    response = api.patch(asset_url(asset), {"tags": names}, format="json")

    assert response.status_code == 200, response.json()
    assert len(response.json()["tags"]) == 50


@pytest.mark.parametrize(
    ("tags", "words"),
    [
        ([""], "empty"),
        (["ok", "   "], "empty"),
        (["t" * 101], "100"),
        ([f"tag{n}" for n in range(51)], "50"),
        (["ok", 7], None),
        ("sunset", None),
        ([["nested"]], None),
    ],
    ids=["empty", "blank", "101-chars", "51-tags", "number", "not-a-list", "nested"],
)
def test_bad_tags_are_a_400_naming_tags_and_change_nothing(api, tags, words):
    asset = AssetFactory(owner=api.user, text=True, title="Kept", tags=["kept"])

    response = api.patch(asset_url(asset), {"title": "Changed", "tags": tags}, format="json")

    assert response.status_code == 400
    body = response.json()
    assert "tags" in body, body
    if words:
        assert words in " ".join(map(str, body["tags"])), body
    asset.refresh_from_db()
    assert asset.title == "Kept"
    assert tag_names(asset) == ["kept"]


@pytest.mark.parametrize(
    "tags", [[""], ["t" * 101], [f"tag{n}" for n in range(51)]], ids=["empty", "101-chars", "51-tags"]
)
def test_bad_tags_on_create_are_a_400_and_create_nothing(api, tags):
    response = api.post(
        LIST, {"type": "text", "source_module": "story_writer", "text_content": "Hi", "tags": tags}, format="json"
    )

    assert response.status_code == 400
    assert "tags" in response.json()
    assert not api.user.assets.exists()


def test_an_empty_list_clears_the_tags(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["a", "b"])

    response = api.patch(asset_url(asset), {"tags": []}, format="json")

    assert response.status_code == 200
    assert response.json()["tags"] == []
    assert tag_names(asset) == []


# --- GET /tags/ ----------------------------------------------------------------------------------


def test_tags_are_counted_over_the_callers_assets_most_used_first(api):
    AssetFactory(owner=api.user, text=True, tags=["sunset", "beach"])
    AssetFactory(owner=api.user, text=True, tags=["sunset", "forest"])
    AssetFactory(owner=api.user, text=True, tags=["sunset"])

    assert counts(api) == [("sunset", 3), ("beach", 1), ("forest", 1)]


def test_another_owners_use_of_a_tag_never_shows_or_counts(api, other_user):
    AssetFactory(owner=api.user, text=True, tags=["shared"])
    AssetFactory(owner=other_user, text=True, tags=["shared", "secret-project"])
    AssetFactory(owner=other_user, text=True, tags=["Shared"])

    assert counts(api) == [("shared", 1)]
    assert counts(api, q="secret") == []
    assert counts(api, q="shared") == [("shared", 1)]


def test_another_owner_sees_only_their_own_counts(api, other_api):
    AssetFactory(owner=api.user, text=True, tags=["mine"])
    AssetFactory(owner=other_api.user, text=True, tags=["theirs", "shared"])
    AssetFactory(owner=api.user, text=True, tags=["shared"])

    assert counts(other_api) == [("shared", 1), ("theirs", 1)]


def test_trashed_assets_do_not_count(api):
    AssetFactory(owner=api.user, text=True, tags=["kept", "gone"])
    AssetFactory(owner=api.user, text=True, tags=["gone"], trashed=True)

    assert counts(api) == [("gone", 1), ("kept", 1)]
    AssetFactory(owner=api.user, text=True, tags=["only-trashed"], trashed=True)
    assert counts(api, q="only") == []


def test_q_matches_part_of_a_name_ignoring_case(api):
    AssetFactory(owner=api.user, text=True, tags=["Sunset", "sunrise", "beach"])

    assert counts(api, q="SUN") == [("Sunset", 1), ("sunrise", 1)]
    assert counts(api, q="  set ") == [("Sunset", 1)]
    assert counts(api, q="zzz") == []


def test_automatic_tags_count_like_the_others(api):
    asset = AssetFactory(owner=api.user, text=True, tags=["manual"])
    from assets.tagging import add_auto_tags

    add_auto_tags(asset, ["landscape"])

    assert counts(api) == [("landscape", 1), ("manual", 1)]


def test_limit_caps_the_answer(api):
    AssetFactory(owner=api.user, text=True, tags=[f"t{n}" for n in range(10)])

    assert len(counts(api, limit=3)) == 3


@pytest.mark.parametrize(("params", "field"), [({"limit": "0"}, "limit"), ({"limit": "abc"}, "limit"),
                                                ({"limit": "201"}, "limit"), ({"q": "x" * 101}, "q")])
def test_bad_tag_parameters_are_a_400_naming_them(api, params, field):
    response = api.get(TAGS, params)

    assert response.status_code == 400
    assert field in response.json()


def test_tags_need_authentication():
    assert APIClient().get(TAGS).status_code == 401


# --- the OR tag filter ---------------------------------------------------------------------------


def listed_ids(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return {item["id"] for item in response.json()["results"]}


def test_the_tag_filter_matches_any_of_the_names_ignoring_case(api, other_user):
    red = AssetFactory(owner=api.user, text=True, tags=["Red"])
    blue = AssetFactory(owner=api.user, text=True, tags=["blue", "sky"])
    both = AssetFactory(owner=api.user, text=True, tags=["red", "blue"])
    AssetFactory(owner=api.user, text=True, tags=["green"])
    AssetFactory(owner=other_user, text=True, tags=["red"])
    AssetFactory(owner=api.user, text=True, tags=["red"], trashed=True)

    assert listed_ids(api, tags="red,BLUE") == {str(red.pk), str(blue.pk), str(both.pk)}
    assert listed_ids(api, tags=" red ") == {str(red.pk), str(both.pk)}
    assert api.get(LIST, {"tags": "red,blue"}).json()["count"] == 3


def test_the_tag_filter_finds_automatic_tags(api):
    asset = AssetFactory(owner=api.user, text=True)
    from assets.tagging import add_auto_tags

    add_auto_tags(asset, ["portrait"])

    assert listed_ids(api, tags="portrait") == {str(asset.pk)}


def test_a_tag_filter_name_over_100_characters_is_a_400(api):
    response = api.get(LIST, {"tags": "t" * 101})

    assert response.status_code == 400
    assert "tags" in response.json()
