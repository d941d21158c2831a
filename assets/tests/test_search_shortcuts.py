"""The search's shortcuts give the answers of the plain way: a last word typed whole is
counted as that word before its prefix; a two-digit id fragment within a search is asked
of the search rows' trigram index; a deep page skips the newest rows when they are too
sparse in matches. Each test compares with what the list gives without the shortcut, on
both databases (the shortcuts themselves are PostgreSQL's)."""

import datetime as dt
import uuid

import pytest
from django.db import connection

from assets import search
from assets.tests.conftest import SEARCHED_AT
from assets.tests.factories import AssetFactory
from assets.tests.listing import LIST, found

pytestmark = [pytest.mark.django_db]


def make(owner, title, *, pk=None, minutes=0, **fields):
    extra = {"id": uuid.UUID(pk)} if pk else {}
    return AssetFactory(owner=owner, bare=True, title=title,
                        created_at=SEARCHED_AT + dt.timedelta(minutes=minutes), **extra, **fields)


def counted(client, **params) -> tuple[int, bool]:
    response = client.get(LIST, {"page_size": 1, **params})  # a page needs no more than the limit
    assert response.status_code == 200, response.json()
    body = response.json()
    return body["count"], body["count_exact"]


@pytest.fixture
def knights(api, other_user):
    """Two live assets hold "knight" itself and three a longer word it begins (which does
    not stem to it); one more of each is in the trash, and another owner has three."""
    for n in range(3):
        make(api.user, "A knight at dawn", minutes=n, trashed=n == 0)
    for n in range(4):
        make(api.user, "Knighthood vows", minutes=10 + n, trashed=n == 0)
    for n in range(3):
        make(other_user, "Another knight", minutes=n)
    return api


@pytest.mark.parametrize("limit, expected", [(2, (2, False)), (3, (3, False)), (6, (5, True)), (10, (5, True))])
@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_a_whole_word_counts_up_to_the_limit_with_its_longer_words(knights, monkeypatch, limit, expected):
    monkeypatch.setattr(search, "COUNT_LIMIT", limit)

    assert counted(knights, q="knight") == expected


@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_the_whole_word_answers_alone_when_it_reaches_the_limit(knights, monkeypatch):
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr(search, "COUNT_LIMIT", 2)
    with CaptureQueriesContext(connection) as queries:
        assert counted(knights, q="knight") == (2, False)

    counts = [query["sql"] for query in queries.captured_queries if "COUNT(" in query["sql"]
              and "assets_assetsearch" in query["sql"]]
    assert len(counts) == 1 and ":*" not in counts[0], counts


@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_a_filter_that_keeps_most_of_the_library_counts_the_whole_word_first(knights, monkeypatch):
    """Within a type or use that most of the library has, as without it; within a narrow
    one, the prefix at once (the whole word would rarely reach the limit there)."""
    from django.test.utils import CaptureQueriesContext

    make(knights.user, "A knight on film", type="video", minutes=30)
    monkeypatch.setattr(search, "COUNT_LIMIT", 2)

    def counts(**params):
        with CaptureQueriesContext(connection) as queries:
            answer = counted(knights, q="knight", **params)
        return answer, [query["sql"] for query in queries.captured_queries
                        if "COUNT(" in query["sql"] and "assets_assetsearch" in query["sql"]]

    answer, sql = counts(used="false", type="image")
    assert answer == (2, False) and len(sql) == 1 and ":*" not in sql[0], sql
    answer, sql = counts(type="video")
    assert answer == (1, True) and len(sql) == 1 and ":*" in sql[0], sql
    monkeypatch.setattr(search, "COUNT_LIMIT", 10)
    assert counts(used="false", type="image")[0] == (5, True)
    assert counts(used="true")[0] == (0, True)


@pytest.mark.postgres
@pytest.mark.usefixtures("require_postgres")
def test_a_prefix_that_is_no_word_counts_as_before(knights, monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 4)

    assert counted(knights, q="knig") == (4, False)
    assert counted(knights, q="knighth") == (3, True)
    assert counted(knights, q="knight", in_trash="true") == (2, True)


def test_whole_words_change_only_the_prefix_terms():
    # An exact lexeme as typed may hold ":*" ("x.com/a:*b"): it stays as it is.
    query = search.Tsquery("('1x.com/a:*b' | '2x.com/a:*b')", ("('1knight':* | '2knight':*)",))

    assert query.whole_words == "(('1x.com/a:*b' | '2x.com/a:*b')) & (('1knight' | '2knight'))"
    assert search.Tsquery("('1knight' | '2knight')").whole_words is None


@pytest.fixture
def ids_library(api, other_user):
    """Searchable assets whose ids hold "ab" at the start, across a hyphen, in the middle,
    and not at all; and another owner's with "ab"."""
    made = {
        "start": make(api.user, "Castle one", pk="ab000000-0000-4000-8000-000000000001"),
        "hyphen": make(api.user, "Castle two", pk="0000000a-b000-4000-8000-000000000002", minutes=1),
        "middle": make(api.user, "Castle three", pk="00000000-0000-4000-8000-0000000ab003", minutes=2),
        "none": make(api.user, "Castle four", pk="00000000-0000-4000-8000-000000000004", minutes=3),
        "no_word": make(api.user, "Harbour", pk="ab000000-0000-4000-8000-000000000005", minutes=4),
    }
    make(other_user, "Castle of someone else", pk="ab000000-0000-4000-8000-000000000006")
    return api, made


@pytest.mark.parametrize("fragment, names", [
    ("ab", {"start", "hyphen", "middle"}),
    ("AB", {"start", "hyphen", "middle"}),
    ("a-b", {"start", "hyphen", "middle"}),
    ("b0", {"start", "hyphen", "middle"}),
    ("ab0", {"start", "hyphen", "middle"}),
    ("0ab", {"hyphen", "middle"}),
    ("a", {"start", "hyphen", "middle"}),
    ("4", {"start", "hyphen", "middle", "none"}),
    ("ac", set()),
])
def test_an_id_fragment_within_a_search(ids_library, fragment, names):
    api, made = ids_library
    expected = {str(made[name].pk) for name in names}

    assert found(api, q="castle", id=fragment) == expected
    assert found(api, q="castl", id=fragment) == expected
    # The same fragment without a search, and the search without it, agree.
    assert found(api, id=fragment) & found(api, q="castle") == expected


def test_an_id_fragment_within_a_search_in_another_order_and_the_trash(ids_library):
    api, made = ids_library
    type(made["start"]).objects.filter(pk=made["start"].pk).update(deleted_at=SEARCHED_AT)

    assert found(api, q="castle", id="ab", ordering="title") == {str(made["hyphen"].pk), str(made["middle"].pk)}
    assert found(api, q="castle", id="ab", in_trash="true") == {str(made["start"].pk)}


@pytest.mark.parametrize("page_size", [1, 2, 3])
@pytest.mark.parametrize("newest_match", [False, True])
def test_deep_pages_list_each_match_once_in_order(api, monkeypatch, page_size, newest_match):
    """Matches sparse among the newest rows (a deep page goes to the index) or every row a
    match (it looks among the newest rows): together the pages are the list's order."""
    monkeypatch.setattr(search, "FEW_MATCHES", 0)
    monkeypatch.setattr(search, "WINDOW_ROWS", 4)
    monkeypatch.setattr(search, "PROBE_ROWS", 2)
    monkeypatch.setattr(search, "WINDOW_ROWS_PER_RESULT", 3)
    matches = [make(api.user, "Dragon", minutes=n * 10) for n in range(7 if newest_match else 12)]
    if not newest_match:
        for n in range(30):
            make(api.user, "Harbour", minutes=200 + n)  # the newest rows hold no match
    expected = [str(asset.pk) for asset in reversed(matches)]

    pages, number = [], 1
    while True:
        response = api.get(LIST, {"q": "dragon", "page_size": page_size, "page": number})
        assert response.status_code == 200, response.json()
        pages += [item["id"] for item in response.json()["results"]]
        if response.json()["next"] is None:
            break
        number += 1

    assert pages == expected
