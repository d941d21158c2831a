"""Every list ordering reads an index in that order (PostgreSQL): a page of any ordering is a
page of index entries, never a sort of the owner's whole library (bench/search.py)."""

import pytest
from django.db import connection

from assets.filters import ORDERING_CHOICES
from assets.selectors import asset_listing
from assets.tests.factories import AssetFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]


def plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Whatever the statistics of a small table say: a sort is what must not be needed.
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


@pytest.mark.parametrize("extra", [{}, {"type": "video"}, {"used": "false"}], ids=["all", "type", "unused"])
@pytest.mark.parametrize("ordering", ORDERING_CHOICES)
def test_every_ordering_pages_from_an_index(api, ordering, extra):
    AssetFactory.create_batch(3, owner=api.user, bare=True)
    rows = asset_listing(owner=api.user, params={"ordering": ordering, **extra}).rows[:24]

    assert "Sort" not in plan(rows)


def test_the_favourites_index_covers_use_and_cost():
    """Favourites used or never used are counted, and their cost summed, from the index
    alone (at a million assets: an index-only scan, 150 -> 4 ms; a small table's planner
    is free to choose otherwise, so the index itself is what is checked)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'asset_owner_favorite_newest'")
        [(definition,)] = cursor.fetchall()

    assert "INCLUDE (usage_count, cost)" in definition and "is_favorite" in definition
