"""A misspelt search still finds what it meant (PostgreSQL): when a word matches nothing of
the owner's but a close spelling does, the list is that spelling's and says so in
`corrected_q`; the library page says "Showing results for …"."""

import pytest

from assets.models import SearchWord
from assets.search import edit_distance
from assets.tagging import set_manual_tags
from assets.tests.factories import AssetFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]

LIST = "/api/v1/assets/"


def listed(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    return [item["id"] for item in body["results"]], body["count"], body["corrected_q"]


@pytest.fixture
def library(api):
    return {
        "sunset": AssetFactory(owner=api.user, bare=True, title="Sunset over the bay"),
        "lighthouse": AssetFactory(owner=api.user, bare=True, title="Old lighthouse", prompt="a misty coast"),
        "field": AssetFactory(owner=api.user, bare=True, title="Poppy field", tags=["summer"]),
    }


@pytest.mark.parametrize(
    ("typed", "meant", "asset"),
    [
        ("sunet", "sunset", "sunset"),
        ("ligthouse", "lighthouse", "lighthouse"),
        ("filed", "field", "field"),  # two letters swapped
        ("SUNET", "sunset", "sunset"),
        ("sumer", "summer", "field"),  # a tag
        ("lighthuose misty", "lighthouse misty", "lighthouse"),  # one of two words
        ("misty ligthou", "misty lighthou", "lighthouse"),  # the last word, still being typed
    ],
)
def test_a_misspelt_word_finds_what_it_meant(api, library, typed, meant, asset):
    ids, count, corrected = listed(api, q=typed)

    assert (ids, count) == ([str(library[asset].pk)], 1)
    assert corrected.startswith(meant.split()[0]) and len(corrected.split()) == len(meant.split())


def test_the_correction_is_the_owners_word(api, library):
    _ids, _count, corrected = listed(api, q="ligthouse")

    assert corrected == "lighthouse"


def test_an_exact_match_is_never_corrected(api, library):
    AssetFactory(owner=api.user, bare=True, title="Filed report")

    ids, count, corrected = listed(api, q="filed")

    assert count == 1 and corrected is None


def test_nothing_close_means_no_correction(api, library):
    assert listed(api, q="zeppelin") == ([], 0, None)
    assert listed(api, q="xq") == ([], 0, None)  # too short to guess


def test_words_that_all_match_but_not_together_are_not_corrected(api, library):
    assert listed(api, q="sunset lighthouse") == ([], 0, None)


def test_another_owners_words_are_never_offered(api, library):
    stranger = UserFactory()
    AssetFactory(owner=stranger, bare=True, title="Zeppelin hangar")

    assert listed(api, q="zepelin") == ([], 0, None)
    assert not SearchWord.objects.filter(owner=api.user, word="zeppelin").exists()


def test_a_word_only_in_the_trash_offers_no_results(api, library):
    AssetFactory(owner=api.user, bare=True, title="Windmill", trashed=True)

    assert listed(api, q="widmill") == ([], 0, None)
    ids, count, corrected = listed(api, q="widmill", in_trash="true")
    assert (count, corrected) == (1, "windmill")


def test_the_correction_keeps_the_other_filters(api, library):
    assert listed(api, q="sunet", type="video") == ([], 0, None)
    ids, count, corrected = listed(api, q="sunet", type=library["sunset"].type)
    assert (count, corrected) == (1, "sunset")


def test_words_follow_edits_and_new_tags(api, library):
    asset = library["sunset"]
    asset.title = "Glacier at dawn"
    asset.save()
    set_manual_tags(asset, ["aurora"])

    assert listed(api, q="glaceir")[2] == "glacier"
    assert listed(api, q="auroar")[2] == "aurora"


def test_bulk_actions_by_filter_never_act_on_a_corrected_spelling(api, library):
    response = api.post("/api/v1/assets/bulk/delete/", {"filter": {"q": "sunet"}}, format="json")

    assert response.status_code in (200, 202), response.json()
    assert listed(api, q="sunset")[1] == 1


def test_the_library_page_says_what_it_shows(api, library, client):
    client.force_login(api.user)

    page = client.get("/library/", {"q": "sunet"}).content.decode()

    assert "Showing results for" in page and "sunset" in page


@pytest.mark.parametrize(
    ("a", "b", "distance"),
    [("filed", "field", 1), ("sunet", "sunset", 1), ("kitten", "sitting", 3), ("abc", "abc", 0), ("", "ab", 2)],
)
def test_edit_distance_counts_a_swap_as_one(a, b, distance):
    assert edit_distance(a, b) == distance
