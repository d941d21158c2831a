"""The SQL behind the answers, where its shape is the point: which table a count reads, that
a page's count has no ORDER BY, join or rank, that a ranked search is one pass, that a bulk
write is one statement.

What the answers are (rows, counts, statuses) is tested beside the code that gives them; the
module each section comes from is named in its heading. These are the tests to revisit when a
query is rewritten on purpose. Query-count pins stay beside their outcomes.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets.models import Asset
from assets.search import COUNT_LIMIT
from assets.selectors import asset_listing, with_list_relations
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"
EVERY_TYPE = "image,video,audio,text"
on_postgres = connection.vendor == "postgresql"


def captured_sql(call) -> list[str]:
    """The SQL of every query `call()` runs."""
    with CaptureQueriesContext(connection) as queries:
        call()
    return [query["sql"] for query in queries.captured_queries]


def list_sql(client, params) -> list[str]:
    """The SQL of one successful GET /assets/."""

    def get():
        response = client.get(LIST, params)
        assert response.status_code == 200, response.json()

    return captured_sql(get)


# --- the list's count from the statistics' rollups (test_list_counts.py) ---------------------------


def test_simple_filters_count_from_the_rollups_and_others_from_the_rows(api, rollup_library):
    assert asset_listing(owner=api.user, params={"type": "image"}).count() == 2

    [simple] = captured_sql(
        lambda: asset_listing(owner=api.user, params={"type": "image", "favorites": "true"}).count()
    )
    [other] = captured_sql(lambda: asset_listing(owner=api.user, params={"min_cost": "0.01"}).count())

    assert ("analytics_ownertotals" in simple) == on_postgres  # SQLite keeps no rollups: it counts rows
    assert "analytics_ownertotals" not in other


def test_the_web_pages_prefetch_keeps_the_rollup_count(api, rollup_library):
    listing = asset_listing(owner=api.user, params={"type": "text"}).with_rows(with_list_relations)

    [count] = captured_sql(listing.count)

    assert ("analytics_ownertotals" in count) == on_postgres


# --- a list page reads a text's excerpt, not the text (test_text_excerpts.py) ---------------------


def test_a_list_page_does_not_read_the_whole_text(api, user):
    long_text = "Chapter one. " + "The lighthouse keeper counted the waves. " * 20_000
    AssetFactory(owner=user, text=True, text_content=long_text)
    AssetFactory(owner=user)

    page_query = next(sql for sql in list_sql(api, {}) if "ORDER BY" in sql and "LIMIT" in sql)

    assert page_query.count("text_content") == 1  # inside the excerpt's SUBSTR only


# --- the page's count query (test_filters.py) -------------------------------------------------------


def _without_exists_subqueries(sql: str) -> str:
    """The SQL with the body of every EXISTS(...) removed."""
    result, index = [], 0
    for match in re.finditer(r"EXISTS\s*\(", sql, flags=re.IGNORECASE):
        if match.start() < index:
            continue
        result.append(sql[index:match.end()])
        depth, position = 1, match.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(sql[position], 0)
            position += 1
        index = position - 1
    result.append(sql[index:])
    return "".join(result)


@pytest.mark.parametrize(
    "extra",
    [
        {"ordering": "-cost"},
        {"ordering": "title"},
        {},  # relevance order on PostgreSQL
    ],
)
def test_count_query_has_no_order_by_no_join_and_no_rank(api, extra, tagged_collection):
    collection = tagged_collection

    queries = list_sql(api, {"q": "lighthouse", "tags": "x,y", "collection": str(collection.pk), "page_size": 2,
                             **extra})
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and SIDEBAR not in sql]
    assert len(counts) == 1, counts  # (the sidebar's collections count their own assets)
    [sql] = counts

    if connection.vendor == "postgresql" and not extra:
        # Ranked by relevance, the search rows are counted (assets.search.count_matches),
        # up to a limit, the other filters selecting assets in a subquery.
        assert SEARCH_ROWS_COUNTED in sql, sql
        assert "JOIN" not in _without_exists_subqueries(sql).upper(), sql
    assert "ORDER BY" not in sql.upper()
    # The only join allowed is the one q needs: the asset's own search row (one per asset).
    search_join = 'INNER JOIN "assets_assetsearch" ON ("assets_asset"."id" = "assets_assetsearch"."asset_id")'
    assert "JOIN" not in _without_exists_subqueries(sql).replace(search_join, "").upper(), sql
    assert "DISTINCT" not in sql.upper()
    assert "TS_RANK" not in sql.upper()


# --- a keyword search pages and counts from the search rows (test_search_pages.py) -----------------

# A search's count on PostgreSQL: the owner's matching search rows, up to the limit.
SEARCH_ROWS_COUNTED = 'FROM "assets_assetsearch" WHERE'
COUNT_LIMITED = f"LIMIT {COUNT_LIMIT}) subquery"
# The page's rows, read by id once the search rows have given them.
SIDEBAR = 'LOWER("collections_app_collection"."name")'  # the sidebar's collections, with their counts
ROWS_BY_ID = '"assets_asset"."id" IN ('

# The ranked searches of test_search_pages.py, each with the parameters it compares.
RANKED = [
    {"q": "lighthouse"},
    *[{"q": "lighth", "page_size": size, "page": number}
      for size in (1, 2, 4, 5) for number in range(1, 6 // size + (6 % size > 0) + 1)],
    {"q": "zeppelin"},
    {"q": "lighthouse", "in_trash": "true"},
    *[{"q": "lighthouse", **dates} for dates in (
        {"date": "2025-03-10"},
        {"date": "2025-03-11", "tz": "Pacific/Kiritimati"},
        {"created_after": "2025-03-10T12:02:00Z"},
        {"created_before": "2025-03-10T12:02:00Z"},
        {"created_after": "2025-03-10T12:01:00", "created_before": "2025-03-10T12:03:00", "tz": "UTC"},
        {"date": "2025-03-09"},
    )],
    *[{"q": "lighthouse", **filters} for filters in (
        {"favorites": "true"}, {"tags": "night"}, {"model": "IDEO"}, {"type": "image"}, {"type": "text"},
        {"type": EVERY_TYPE}, {"status": "completed"}, {"source_module": "image_studio"}, {"min_cost": "0.3"},
        {"favorites": "true", "in_trash": "true"}, {"favorites": "true", "date": "2025-03-10", "page_size": 1},
        {"tags": "night,nothing", "type": "image", "max_cost": "0.5"},
    )],
]
EXPLICITLY_ORDERED = [
    {"q": "lighth", "ordering": "-created_at"},
    {"q": "lighth", "ordering": "title"},
    {"q": "lighth", "ordering": "-cost", "favorites": "true"},
    {"q": "lighth", "ordering": "created_at", "in_trash": "true"},
]


def _searched_from_the_search_rows(queries: list[str]) -> bool:
    """Whether the count came from the search rows, up to the limit, and the page's assets
    were read by id (what the search rows found), never by sorting the assets."""
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and SIDEBAR not in sql]
    # (The sidebar's collections count their own assets.) A last word typed whole is
    # counted as that word first, then, when that is fewer than the limit, as a prefix.
    assert 1 <= len(counts) <= 2, counts
    from_rows = all(SEARCH_ROWS_COUNTED in sql and COUNT_LIMITED in sql for sql in counts)
    pages = [sql for sql in queries if "COUNT(" not in sql.upper() and '"assets_asset"."title"' in sql]
    return from_rows and all(ROWS_BY_ID in sql for sql in pages)


@pytest.mark.parametrize("params", RANKED, ids=[str(params) for params in RANKED])
def test_a_ranked_search_is_paged_and_counted_from_the_search_rows(search_library, params):
    assert _searched_from_the_search_rows(list_sql(search_library, params)) == on_postgres


@pytest.mark.parametrize("params", EXPLICITLY_ORDERED, ids=[str(params) for params in EXPLICITLY_ORDERED])
def test_an_explicit_ordering_reads_the_assets_in_that_order(search_library, params):
    pages = [sql for sql in list_sql(search_library, params) if '"assets_asset"."title"' in sql]

    assert pages and all(ROWS_BY_ID not in sql for sql in pages)


def test_the_library_page_searches_from_the_search_rows(search_library, client):
    client.force_login(search_library.user)

    def get():
        response = client.get("/library/", {"q": "lighthouse", "page_size": 4, "page": 2})
        assert response.status_code == 200

    assert _searched_from_the_search_rows(captured_sql(get)) == on_postgres


def test_a_search_in_another_order_with_filters_runs_each_query_once(search_library):
    sql = " ".join(list_sql(search_library, {"q": "lighthouse", "model": "ideo", "ordering": "title"}))

    assert sql.count("WITH RECURSIVE") == (1 if on_postgres else 0)  # the model names, looked up once


def _probe_plan(owner, *, one_by_one: bool) -> str:
    """The plan of a tier's probe of the owner's newest assets (sql.newest_matching), with the
    planner told that a nested loop costs the earth."""
    from assets import sql
    from assets.search import search_queries

    window = Asset.objects.filter(owner=owner, deleted_at__isnull=True).order_by("-created_at", "-id")
    tier = list(search_queries(["lighthouse"]).by_tier[0].parts)
    [probe] = captured_sql(lambda: sql.newest_matching(window.values_list("id", "created_at")[:1000], tier=tier,
                                                       better=None, limit=3, one_by_one=one_by_one))
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_nestloop = off")
        try:
            cursor.execute("EXPLAIN " + probe)
            return "\n".join(row[0] for row in cursor.fetchall())
        finally:
            cursor.execute("RESET enable_nestloop")


@pytest.mark.postgres
def test_a_probe_reads_each_rows_search_row_by_its_primary_key_whatever_the_planner_prefers(require_postgres,
                                                                                            search_library):
    """A probe of a few rows (assets.search._newest_of_tier) holds the planner to one primary-key
    probe per row: left to itself, it may read the tier's matches of every owner from the index."""
    held = _probe_plan(search_library.user, one_by_one=True)
    free = _probe_plan(search_library.user, one_by_one=False)

    assert "Nested Loop" in held and "assets_assetsearch_pkey" in held
    assert "Nested Loop" not in free


# --- collection memberships in bulk (collections_app/tests/test_services.py) -----------------------


def test_adding_to_a_collection_is_one_insert_not_one_per_asset(user):
    from collections_app import services
    from collections_app.tests.factories import CollectionFactory

    collection = CollectionFactory(owner=user)
    AssetFactory.create_batch(30, owner=user)

    queries = captured_sql(lambda: services.collection_add_assets(collection=collection, assets=Asset.objects.all()))

    inserts = [sql for sql in queries if sql.startswith("INSERT") and "collectionitem" in sql]
    assert len(inserts) == 1


def test_removing_from_a_collection_is_one_delete(user):
    from collections_app import services
    from collections_app.tests.factories import CollectionFactory, CollectionItemFactory

    collection = CollectionFactory(owner=user)
    items = CollectionItemFactory.create_batch(4, collection=collection)
    outside = AssetFactory(owner=user)
    ids = [items[0].asset_id, items[1].asset_id, outside.pk]

    queries = captured_sql(
        lambda: services.collection_remove_assets(collection=collection, assets=Asset.objects.filter(pk__in=ids))
    )

    assert len([sql for sql in queries if sql.startswith("DELETE")]) == 1


@pytest.mark.parametrize(
    "params",
    [{"type": "image"}, {"source_module": "image_studio"}, {"type": "image,text", "source_module": "image_studio"},
     {"used": "false"}, {"used": "true", "type": "image"}, {"model": "IDEO"}, {"model": "flux", "type": "image"},
     {"min_cost": "0.3"}, {"min_cost": "0.1", "max_cost": "0.5", "type": "text"}, {"favorites": "true"},
     {"favorites": "true", "used": "true"}],
)
def test_a_search_within_types_modules_use_and_costs_is_counted_from_the_search_rows(search_library, params):
    """Types, modules, models, use and the favourites are lexemes of the search rows, and their cost a column:
    the count asks the rows for them, with no subquery over the assets
    (assets.sql.SEARCH_FILTER_LEXEMES, AssetSearch.cost)."""
    queries = list_sql(search_library, {"q": "lighthouse", **params})
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and SIDEBAR not in sql]
    assert 1 <= len(counts) <= 2, counts  # the whole word first, then its prefix (count_matches)

    if on_postgres:
        for count in counts:
            assert SEARCH_ROWS_COUNTED in count
            assert ("0type=" in count) == ("type" in params) and ("0module=" in count) == ("source_module" in params)
            assert ("0used=" in count) == ("used" in params)
            assert ("0favorite=" in count) == ("favorites" in params)
            assert '"assets_asset"."is_favorite"' not in count
            assert ("0model=" in count) == ("model" in params)
            assert '"assets_asset"."model"' not in count and '"assets_asset"."cost"' not in count
            assert ('"assets_assetsearch"."cost"' in count) == ("min_cost" in params)
            assert '"assets_asset"."type"' not in count and '"assets_asset"."source_module"' not in count
            assert '"assets_asset"."usage_count"' not in count


@pytest.mark.parametrize(
    ("params", "months", "steps"),
    [({"created_after": "2025-03-01T00:00:00Z", "created_before": "2025-05-01T00:00:00Z"}, True, False),
     ({"date": "2025-03-10", "tz": "Europe/Paris"}, True, False),
     ({"created_after": "2020-01-01T00:00:00Z", "created_before": "2025-05-01T00:00:00Z"}, False, False),
     ({"min_cost": "0.1", "max_cost": "0.5"}, False, True),
     ({"min_cost": "0.3"}, False, False),
     ({"max_cost": "0.001", "date": "2025-03-10"}, True, True)],
)
def test_a_search_within_a_few_months_or_a_narrow_cost_range_asks_the_index_for_them(search_library, params, months,
                                                                                       steps):
    """Dates spanning a few months and costs spanning a few steps are asked of the index as
    those months' and steps' lexemes (assets.search.searched_months, searched_cost_steps),
    wider ones not; their exact bounds are on the rows either way."""
    queries = list_sql(search_library, {"q": "lighthouse", **params})
    counts = [sql for sql in queries if "COUNT(" in sql.upper() and SIDEBAR not in sql]
    assert counts

    if on_postgres:
        for count in counts:
            assert SEARCH_ROWS_COUNTED in count
            assert ("0month=" in count) == months and ("0cost=" in count) == steps
