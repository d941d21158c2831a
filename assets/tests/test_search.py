"""Keyword search (`q`): every word must match, the last as a prefix, across fields, ranked on PostgreSQL."""

import datetime as dt

import pytest
from django.db import connection

from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="ranking and stemming are PostgreSQL full-text features"
)


def search(client, q, **params) -> list[str]:
    response = client.get(LIST, {"q": q, **params})
    assert response.status_code == 200, response.json()
    found = [item["id"] for item in response.json()["results"]]
    assert len(found) == len(set(found)), "an asset was listed twice"
    if "page" not in params:
        assert response.json()["count"] == len(found)
    return found


def test_a_word_in_the_title_finds_the_asset(api):
    lighthouse = AssetFactory(owner=api.user, bare=True, title="Red lighthouse")
    AssetFactory(owner=api.user, bare=True, title="Blue boat")

    assert search(api, "lighthouse") == [str(lighthouse.pk)]


@pytest.mark.parametrize("field", ["title", "description", "prompt", "model"])
def test_each_text_field_is_searched(api, field):
    asset = AssetFactory(owner=api.user, bare=True, **{field: "harbour"})
    AssetFactory(owner=api.user, bare=True, title="meadow")

    assert search(api, "harbour") == [str(asset.pk)]


def test_tags_are_searched(api):
    tagged = AssetFactory(owner=api.user, bare=True, title="Untitled", tags=["seascape"])
    AssetFactory(owner=api.user, bare=True, title="Untitled", tags=["portrait"])

    assert search(api, "seascape") == [str(tagged.pk)]


def test_search_ignores_case(api):
    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", tags=["Harbour"])

    assert search(api, "LIGHTHOUSE") == [str(asset.pk)]
    assert search(api, "lightHOUSE harbour") == [str(asset.pk)]
    assert search(api, "HARBOUR") == [str(asset.pk)]


def test_every_word_must_match(api):
    AssetFactory(owner=api.user, bare=True, title="Red lighthouse", prompt="a stormy night")

    assert search(api, "lighthouse banana") == []
    assert search(api, "banana lighthouse") == []


def test_words_may_match_in_different_fields(api):
    in_prompt = AssetFactory(owner=api.user, bare=True, title="Lighthouse", prompt="stormy night at sea")
    in_tag = AssetFactory(owner=api.user, bare=True, title="Lighthouse", tags=["winter"])
    in_description = AssetFactory(owner=api.user, bare=True, title="Lighthouse", description="painted in oils")
    AssetFactory(owner=api.user, bare=True, title="Lighthouse")

    assert search(api, "lighthouse stormy") == [str(in_prompt.pk)]
    assert search(api, "stormy lighthouse") == [str(in_prompt.pk)]
    assert search(api, "lighthouse winter") == [str(in_tag.pk)]
    assert search(api, "winter lighthouse") == [str(in_tag.pk)]
    assert search(api, "oils lighthouse") == [str(in_description.pk)]


def test_model_words_are_searchable(api):
    ideogram = AssetFactory(owner=api.user, bare=True, model="ideogram-v3-turbo")
    AssetFactory(owner=api.user, bare=True, model="stability-ultra")

    assert search(api, "ideogram") == [str(ideogram.pk)]
    assert search(api, "turbo") == [str(ideogram.pk)]


def test_the_last_word_matches_as_a_prefix(api):
    lighthouse = AssetFactory(owner=api.user, bare=True, title="Old lighthouse", prompt="stormy night")
    light = AssetFactory(owner=api.user, bare=True, title="Old light")

    assert search(api, "lightho") == [str(lighthouse.pk)]
    assert search(api, "LIGHTHO") == [str(lighthouse.pk)]
    assert search(api, "old lighth") == [str(lighthouse.pk)]
    assert search(api, "lighthouse sto") == [str(lighthouse.pk)]
    assert set(search(api, "old lig")) == {str(lighthouse.pk), str(light.pk)}


def test_a_prefix_of_a_tag_is_found(api):
    tagged = AssetFactory(owner=api.user, bare=True, tags=["campaign-q3"])

    assert search(api, "campai") == [str(tagged.pk)]


def test_an_asset_with_several_matching_tags_is_listed_once(api):
    asset = AssetFactory(owner=api.user, bare=True, title="Sunset", tags=["sunset", "sunset-beach", "sunsets"])

    assert search(api, "sunset") == [str(asset.pk)]


def test_punctuation_only_query_does_not_filter(api):
    first = AssetFactory(owner=api.user, bare=True, title="one")
    second = AssetFactory(owner=api.user, bare=True, title="two")

    assert set(search(api, "!! ?")) == {str(first.pk), str(second.pk)}


def test_search_combines_with_other_filters(api):
    image = AssetFactory(owner=api.user, bare=True, title="Lighthouse", type="image")
    AssetFactory(owner=api.user, bare=True, title="Lighthouse", type="text")
    AssetFactory(owner=api.user, bare=True, title="Lighthouse", type="image", trashed=True)

    assert search(api, "lighthouse", type="image") == [str(image.pk)]


def test_search_never_finds_other_owners_assets(api, other_user):
    AssetFactory(owner=other_user, bare=True, title="Lighthouse")

    assert search(api, "lighthouse") == []


def test_trashed_assets_are_found_only_in_the_trash(api):
    trashed = AssetFactory(owner=api.user, bare=True, title="Lighthouse", trashed=True)

    assert search(api, "lighthouse") == []
    assert search(api, "lighthouse", in_trash="true") == [str(trashed.pk)]


# --- edits are searchable at once ------------------------------------------------------------------


def test_an_asset_created_through_the_api_is_searchable(api):
    response = api.post(
        LIST,
        {"source_module": "story_writer", "type": "text", "text_content": "Once.", "title": "Moonlit harbour",
         "tags": ["nocturne"]},
        format="json",
    )
    assert response.status_code == 201, response.json()

    assert search(api, "moonlit") == [response.json()["id"]]
    assert search(api, "harbour nocturne") == [response.json()["id"]]


def test_a_title_edit_is_searchable_at_once(api):
    asset = AssetFactory(owner=api.user, bare=True, type="text", title="Old name")

    response = api.patch(f"{LIST}{asset.pk}/", {"title": "Lighthouse at dawn"}, format="json")
    assert response.status_code == 200, response.json()

    assert search(api, "lighthouse dawn") == [str(asset.pk)]
    assert search(api, "old name") == []


def test_a_tag_edit_is_searchable_at_once(api):
    asset = AssetFactory(owner=api.user, bare=True, type="text", title="Picture", tags=["winter"])

    response = api.patch(f"{LIST}{asset.pk}/", {"tags": ["summer", "beach"]}, format="json")
    assert response.status_code == 200, response.json()

    assert search(api, "summer") == [str(asset.pk)]
    assert search(api, "picture beach") == [str(asset.pk)]
    assert search(api, "winter") == []


def test_a_description_edit_is_searchable_at_once(api):
    asset = AssetFactory(owner=api.user, bare=True, type="text", title="Picture")

    response = api.patch(f"{LIST}{asset.pk}/", {"description": "granite cliffs"}, format="json")
    assert response.status_code == 200, response.json()

    assert search(api, "granite cliffs") == [str(asset.pk)]


# --- ranking (PostgreSQL) -------------------------------------------------------------------------


@postgres_only
def test_title_matches_rank_above_description_matches(api):
    now = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    in_title = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=now)
    in_description = AssetFactory(owner=api.user, bare=True, title="Sea", description="a lighthouse far away",
                                  created_at=now + dt.timedelta(1))
    in_prompt = AssetFactory(owner=api.user, bare=True, title="Coast", prompt="lighthouse",
                             created_at=now + dt.timedelta(2))

    assert search(api, "lighthouse") == [str(in_title.pk), str(in_prompt.pk), str(in_description.pk)]


@postgres_only
def test_an_explicit_ordering_overrides_relevance(api):
    now = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    in_title = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=now)
    in_description = AssetFactory(owner=api.user, bare=True, title="Sea", description="a lighthouse",
                                  created_at=now + dt.timedelta(1))

    assert search(api, "lighthouse", ordering="-created_at") == [str(in_description.pk), str(in_title.pk)]
    assert search(api, "lighthouse", ordering="created_at") == [str(in_title.pk), str(in_description.pk)]
    assert search(api, "lighthouse", ordering="title") == [str(in_title.pk), str(in_description.pk)]


@postgres_only
def test_ranked_results_page_without_repeats(api):
    now = dt.datetime(2024, 5, 1, tzinfo=dt.UTC)
    for index in range(7):
        AssetFactory(owner=api.user, bare=True, title="Lighthouse" if index % 2 else "Sea", description="lighthouse",
             created_at=now + dt.timedelta(minutes=index % 3))
    everything = search(api, "lighthouse", page_size=50)

    pages = [search(api, "lighthouse", page_size=3, page=number) for number in (1, 2, 3)]

    assert [pk for page in pages for pk in page] == everything


@postgres_only
def test_stemmed_words_match(api):
    asset = AssetFactory(owner=api.user, bare=True, title="Sunset over the bay")

    assert search(api, "sunsets bay") == [str(asset.pk)]


def test_ordering_applies_to_search_results(api):
    cheap = AssetFactory(owner=api.user, bare=True, title="Lighthouse", cost="0.1")
    dear = AssetFactory(owner=api.user, bare=True, title="Lighthouse", cost="0.9")

    assert search(api, "lighthouse", ordering="-cost") == [str(dear.pk), str(cheap.pk)]
    assert search(api, "lighthouse", ordering="cost") == [str(cheap.pk), str(dear.pk)]
