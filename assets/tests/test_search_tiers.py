"""Best match first, by tier, and how a search finds its page and count (PostgreSQL).

A search's page comes one of two ways (assets.search.search_page): a few matches are
ranked together from the index; more are taken tier by tier, newest first, among the
newest assets of the list or, when a tier is rarer than that, from the index. Both must
give what the list query itself gives (its rows, read in full, in the same order). The
count is exact up to a limit, and a lower bound beyond it (`count_exact` false).
"""

import datetime as dt

import pytest

from assets import search
from assets.tests.factories import AssetFactory
from assets.tests.test_query_plans import RANKED
from assets.tests.test_search_pages import assert_same_as_list_query, listed

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]

LIST = "/api/v1/assets/"
NOW = dt.datetime(2025, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture(params=[(1, 0), (2, 1), (5, 0), (1000, 1)], ids=["window-1", "window-2", "window-5", "window-all"])
def tier_by_tier(request, monkeypatch):
    """Every search takes the tier-by-tier way, with windows of a few rows (so that both
    the window and the index answer tiers) or of every row."""
    rows, per_result = request.param
    monkeypatch.setattr(search, "FEW_MATCHES", 0)
    monkeypatch.setattr(search, "WINDOW_ROWS", rows)
    monkeypatch.setattr(search, "WINDOW_ROWS_PER_RESULT", per_result)


@pytest.mark.parametrize("params", RANKED, ids=[str(params) for params in RANKED])
def test_tier_by_tier_gives_what_the_list_query_gives(search_library, tier_by_tier, params):
    assert_same_as_list_query(search_library, **params)


def at(minutes):
    return NOW + dt.timedelta(minutes=minutes)


def make(owner, minutes, **fields):
    return str(AssetFactory(owner=owner, bare=True, created_at=at(minutes), **fields).pk)


@pytest.fixture
def tiered(api):
    """Matches of 'misty lighthouse' in every tier, each tier with an older and a newer one."""
    user = api.user
    return api, {
        "title_old": make(user, 0, title="Misty lighthouse"),
        "title_new": make(user, 9, title="Lighthouse", tags=["misty"]),
        "prompt_old": make(user, 1, title="Misty", prompt="a lighthouse"),
        "prompt_new": make(user, 8, model="misty-lighthouse-xl"),
        "desc_old": make(user, 2, title="Lighthouse", description="misty"),
        "desc_new": make(user, 7, description="misty lighthouse"),
    }


@pytest.mark.parametrize("way", ["few", "tier_by_tier"])
def test_best_tier_first_then_newest(tiered, monkeypatch, way):
    api, made = tiered
    if way == "tier_by_tier":
        monkeypatch.setattr(search, "FEW_MATCHES", 0)
        monkeypatch.setattr(search, "WINDOW_ROWS", 2)
        monkeypatch.setattr(search, "WINDOW_ROWS_PER_RESULT", 0)
    expected = [made[key] for key in ("title_new", "title_old", "prompt_new", "prompt_old", "desc_new", "desc_old")]

    assert listed(api, q="misty lighthouse") == (expected, 6)
    assert listed(api, q="lighthouse misty") == (expected, 6)  # the order of the words does not matter
    pages = [listed(api, q="misty lighth", page_size=4, page=n)[0] for n in (1, 2)]
    assert pages[0] + pages[1] == expected


def test_a_stemmed_word_counts_in_its_tier(api):
    in_title = make(api.user, 0, title="Sunsets")
    in_prompt = make(api.user, 5, prompt="sunset")

    assert listed(api, q="sunset")[0] == [in_title, in_prompt]


@pytest.fixture
def count_limit(monkeypatch):
    monkeypatch.setattr(search, "COUNT_LIMIT", 3)


def body(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return response.json()


def test_beyond_the_limit_the_count_is_a_lower_bound(search_library, count_limit):
    first = body(search_library, q="lighthouse", page_size=2)

    assert (first["count"], first["count_exact"]) == (3, False)
    assert first["next"] is not None


def test_a_lower_bound_never_ends_the_pages_early(search_library, count_limit):
    seen, page, answers = [], 1, []
    while True:
        answer = body(search_library, q="lighthouse", page_size=2, page=page)
        seen += [item["id"] for item in answer["results"]]
        answers.append((answer["count"], answer["count_exact"]))
        if answer["next"] is None:
            break
        page += 1

    assert len(seen) == len(set(seen)) == 6
    assert answers[-1] == (6, True)  # the last page knows the whole count
    assert all(count >= 2 * n + 1 for n, (count, exact) in enumerate(answers[:-1], 1))


@pytest.mark.parametrize(
    "extra", [{}, {"ordering": "-cost"}, {"type": "image"}, {"type": "image", "ordering": "title"}]
)
def test_every_search_shape_may_answer_a_lower_bound(search_library, count_limit, extra):
    answer = body(search_library, q="lighth", page_size=1, **extra)

    assert answer["count_exact"] is False and answer["count"] == 3


def test_a_cursor_list_gives_the_lower_bound_too(search_library, count_limit):
    answer = body(search_library, q="lighthouse", page_size=1, cursor="")

    assert (answer["count"], answer["count_exact"]) == (3, False)


def test_lists_without_a_search_stay_exact(search_library, count_limit):
    answer = body(search_library, type="image,text")

    assert answer["count_exact"] is True and answer["count"] == 9


def test_the_library_page_says_10000_plus(search_library, count_limit, client):
    client.force_login(search_library.user)

    page = client.get("/library/", {"q": "lighthouse", "page_size": 2}).content.decode()

    assert "3+ assets" in page and "of 3+" in page
