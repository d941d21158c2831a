"""A search of several words asks for the exact lexemes its last word begins (PostgreSQL).

Each owner's lexemes (SearchLexeme) are kept by the search rows' triggers; the last word,
typed as a prefix, becomes the owner's lexemes that begin with it when they are few
(assets.search.search_queries), and stays a prefix, in an index condition of its own,
when they are many. Either way a search finds exactly what a prefix finds: the tests
compare with the assets' own text, read in Python, and with the unexpanded query.
"""

import pytest

from assets import search
from assets.models import Asset, AssetSearch, SearchLexeme
from assets.search import matching, search_queries, search_words
from assets.tests.factories import AssetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]

LIST = "/api/v1/assets/"


def lexemes(user) -> set[str]:
    return set(SearchLexeme.objects.filter(owner=user).values_list("lexeme", flat=True))


def found(client, q, **params) -> set[str]:
    response = client.get(LIST, {"q": q, "page_size": 100, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"])
    return {item["id"] for item in body["results"]}


def test_an_owners_lexemes_follow_titles_tags_models_and_edits(api, other_api):
    asset = AssetFactory(owner=api.user, title="Happy lighthouses", model="flux-dev",
                         tags=["castle-aerial"])
    AssetFactory(owner=other_api.user, bare=True, title="Zeppelin")

    mine = lexemes(api.user)
    # As typed and stemmed, a model and its parts, a tag and its parts; no tier marks.
    assert {"happy", "happi", "lighthouses", "lighthous", "flux-dev", "flux", "dev",
            "castle-aerial", "castle", "aerial"} <= mine
    assert "zeppelin" not in mine and not any(lexeme.startswith(("0", "1", "2", "3")) for lexeme in mine)

    response = api.patch(f"{LIST}{asset.pk}/", {"title": "Stormy harbour", "tags": ["beacon"]}, format="json")
    assert response.status_code == 200, response.json()
    assert {"stormi", "stormy", "harbour", "beacon"} <= lexemes(api.user)
    assert "happy" in lexemes(api.user)  # kept: a superset only costs a lexeme that matches nothing


def test_the_last_word_is_asked_as_the_lexemes_it_begins(api):
    AssetFactory(owner=api.user, bare=True, title="Misty lighthouse", tags=["lighthouses"])

    queries = search_queries(search_words("misty lighth"), owner_id=api.user.pk)

    assert queries.any.prefixes == ()
    assert "'3lighthouses'" in queries.any and ":*" not in queries.any
    # One word alone, or no owner to ask: a prefix, in an index condition of its own.
    assert search_queries(search_words("lighth"), owner_id=api.user.pk).any.parts == (
        "('1lighth':* | '2lighth':* | '3lighth':*)",)
    plain = search_queries(search_words("misty lighth")).any
    assert len(plain.parts) == 2 and ":*" not in plain.parts[0] and plain.parts[1].endswith(":*)")


@pytest.fixture
def library(api, other_api):
    """Assets whose words begin alike, in every field, and another owner's."""
    user = api.user
    return api, {
        "title": AssetFactory(owner=user, bare=True, title="Old lighthouse at dusk"),
        "plural": AssetFactory(owner=user, bare=True, title="Old lighthouses", prompt="harbour"),
        "stem": AssetFactory(owner=user, bare=True, title="Old and happy", description="cheerful"),
        "tag": AssetFactory(owner=user, bare=True, title="Old pier", tags=["lighthouse-kitchen"]),
        "model": AssetFactory(owner=user, bare=True, prompt="old keeper", model="lightning-xl"),
        "digits": AssetFactory(owner=user, bare=True, title="Old poster 2024b", description="v2 light"),
        "trash": AssetFactory(owner=user, bare=True, title="Old lighthouse, trashed"),
        "other": AssetFactory(owner=other_api.user, bare=True, title="Old lighthouse elsewhere"),
    }


@pytest.mark.parametrize(("q", "expected"), [
    ("old light", {"title", "plural", "tag", "model", "digits"}),
    ("old lighthouse", {"title", "plural", "tag"}),
    ("old lighthouses", {"plural"}),
    ("old happi", {"stem"}),  # only the stem begins so: "happy" does not
    ("old happ", {"stem"}),
    ("old 2024", {"digits"}),
    ("old lighthouse-k", {"tag"}),
    ("old lightning-x", {"model"}),
    ("old zzz", set()),  # no lexeme begins so
    ("harbour old", {"plural"}),
])
def test_expanded_searches_find_what_a_prefix_finds(library, q, expected):
    api, made = library
    services_trash(made["trash"])
    ids = {str(made[name].pk) for name in expected}

    assert found(api, q) == ids
    unexpanded = search_queries(search_words(q)).any
    rows = AssetSearch.objects.filter(matching(unexpanded), owner_id=api.user.pk,
                                      asset__deleted_at__isnull=True)
    assert {str(pk) for pk in rows.values_list("asset_id", flat=True)} == ids


def services_trash(asset):
    Asset.objects.filter(pk=asset.pk).update(deleted_at=asset.created_at)


def test_a_compound_is_asked_as_its_first_part(api):
    """A hyphenated word's first part is in every row that holds the compound: only the
    part is asked, and the same assets are found (as words, as tags, stemmed or not)."""
    made = {name: str(AssetFactory(owner=api.user, bare=True, **fields).pk) for name, fields in {
        "title": {"title": "Misty lighthouse-kitchen"},
        "tag": {"title": "Misty pier", "tags": ["lighthouses-at-dusk"]},
        "description": {"title": "Misty pier", "description": "A Lighthouse-Keeper's cottage"},
        "model": {"title": "Misty pier", "model": "lighthouse-xl"},
    }.items()}
    wanted = set(made.values())
    AssetFactory(owner=api.user, bare=True, title="Sunny lighthouse-kitchen")
    assert {"lighthouse-kitchen", "lighthouses-at-dusk", "lighthouse-keeper"} <= lexemes(api.user)

    queries = search_queries(search_words("misty lighth"), owner_id=api.user.pk)

    assert queries.any.prefixes == () and "-" not in queries.any
    assert "'1lighthouse'" in queries.any and "'1lighthouses'" in queries.any
    assert found(api, "misty lighth") == found(api, "misty lighthouse") == wanted
    assert found(api, "misty lighthouse-k") == {made["title"], made["description"]}
    assert found(api, "misty lighthouses-at") == {made["tag"]}
    unexpanded = search_queries(search_words("misty lighth")).any
    rows = AssetSearch.objects.filter(matching(unexpanded), owner_id=api.user.pk)
    assert {str(pk) for pk in rows.values_list("asset_id", flat=True)} == wanted


def test_a_word_alone_is_asked_as_the_one_lexeme_it_begins(api, other_api):
    """Alone, a word that begins one lexeme (its compounds aside) is asked as it; one that
    begins several stays a prefix. Either way the same assets are found."""
    made = [AssetFactory(owner=api.user, bare=True, **fields) for fields in (
        {"title": "A knight at dawn"},
        {"title": "Knight-errant", "tags": ["knight-errant"]},
        {"title": "Old lighthouse"},
        {"title": "Lightning over the bay"},
    )]
    AssetFactory(owner=other_api.user, bare=True, title="Knighthood")

    for q, expanded in (("kni", True), ("knight", True), ("lig", False), ("zzz", True)):
        queries = search_queries(search_words(q), owner_id=api.user.pk)
        assert (queries.any.prefixes == ()) is expanded, q
        unexpanded = search_queries(search_words(q)).any
        rows = AssetSearch.objects.filter(matching(unexpanded), owner_id=api.user.pk)
        assert found(api, q) == {str(pk) for pk in rows.values_list("asset_id", flat=True)}, q
    assert found(api, "kni") == {str(made[0].pk), str(made[1].pk)}
    assert found(api, "lig") == {str(made[2].pk), str(made[3].pk)}


def test_a_prefix_that_begins_too_many_lexemes_stays_a_prefix(api, monkeypatch):
    monkeypatch.setattr(search, "MAX_EXPANDED_LEXEMES", 2)
    wanted = {str(AssetFactory(owner=api.user, bare=True, title=f"Misty light{suffix}").pk)
              for suffix in ("house", "ship", "ning")}
    AssetFactory(owner=api.user, bare=True, title="Sunny lighthouse")

    queries = search_queries(search_words("misty light"), owner_id=api.user.pk)
    assert len(queries.any.prefixes) == 1

    assert found(api, "misty light") == wanted
    assert found(api, "misty light", type="image,video,audio,text") == wanted


def test_a_last_word_of_several_parts_expands_each(api):
    sci = AssetFactory(owner=api.user, bare=True, title="Retro sci-fi poster")
    AssetFactory(owner=api.user, bare=True, title="Retro science poster")

    queries = search_queries(search_words("retro sci-f"), owner_id=api.user.pk)

    assert queries.any.prefixes == ()
    assert found(api, "retro sci-f") == {str(sci.pk)}


def test_numbers_are_not_kept_as_lexemes_and_a_last_number_stays_a_prefix(api):
    poster = AssetFactory(owner=api.user, bare=True, title="Old poster 2024b", tags=["v2"])
    AssetFactory(owner=api.user, bare=True, title="Old poster 2031")

    assert {"old", "poster"} <= lexemes(api.user)
    assert not any(lexeme[0].isdigit() for lexeme in lexemes(api.user))
    assert search_queries(search_words("poster 20"), owner_id=api.user.pk).any.prefixes  # not expanded
    assert found(api, "poster 2024") == {str(poster.pk)}
    assert len(found(api, "old 20")) == 2 and found(api, "poster v2") == {str(poster.pk)}


def test_a_batch_of_variants_writes_the_same_search_rows_as_one_by_one(api):
    """New assets' rows parse the texts a batch shares once (assets.sql): each row is still
    the vector that an edit would write (SEARCH_VECTOR_SQL), whatever the batch shares."""
    from django.db import connection

    from assets import sql

    shared = {"type": "image", "status": "pending", "source_module": "image_studio",
              "prompt": "a misty lighthouse at dawn",
              "model": "flux-1.1-pro"}
    batch = [{**shared, "title": f"Variant {n}", "tags": ["coast", f"take-{'ab'[n % 2]}"]} for n in range(4)]
    batch += [{**shared, "title": "Other", "prompt": "a sunny beach", "description": "warm sand"},
              {**shared, "title": "Bare", "prompt": "", "model": ""}]
    response = api.post(f"{LIST}bulk/register/", {"assets": batch}, format="json")
    assert response.status_code == 200 and {r["status"] for r in response.json()["results"]} == {201}
    ids = [r["id"] for r in response.json()["results"]]

    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT a.id::text, s.vector = {sql.SEARCH_VECTOR_SQL} FROM assets_asset AS a "  # noqa: S608
            "JOIN assets_assetsearch AS s ON s.asset_id = a.id WHERE a.id = ANY(%s::uuid[])", [ids]
        )
        same = dict(cursor.fetchall())
    assert same == dict.fromkeys(ids, True)
    assert found(api, "misty take-b") == {ids[1], ids[3]} and found(api, "warm") == {ids[4]}
