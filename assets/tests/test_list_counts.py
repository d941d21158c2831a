"""The list's exact count: from the statistics' rollups where they answer, from the rows
otherwise, and the same number either way."""

import pytest

from assets import services
from assets.models import Asset, AssetType
from assets.selectors import asset_listing

pytestmark = pytest.mark.django_db
LIST = "/api/v1/assets/"


PARAMS = [
    {},
    {"type": "image"},
    {"type": "image,text"},
    {"status": "failed"},
    {"source_module": "story_writer,blog_writer"},
    {"favorites": "true"},
    {"favorites": "false"},
    {"type": "text", "favorites": "true"},
    {"type": "audio"},
    {"in_trash": "true"},
    {"in_trash": "false", "ordering": "-cost"},
    {"model": "gpt"},
    {"q": "sunset"},
]


@pytest.mark.parametrize("params", PARAMS, ids=[str(p) for p in PARAMS])
def test_the_count_is_the_number_of_rows(api, rollup_library, params):
    body = api.get(LIST, params).json()
    listing = asset_listing(owner=api.user, params=params)
    rows = listing.rows

    assert body["count"] == listing.count() == len(list(rows.all()))
    assert body["count"] == Asset.objects.filter(pk__in=rows.values("pk")).count()


def test_simple_and_other_filters_count_in_one_query(api, rollup_library, django_assert_num_queries):
    # Which table each count reads (rollups or rows): test_query_plans.py.
    assert asset_listing(owner=api.user, params={"type": "image"}).count() == 2
    with django_assert_num_queries(1):
        asset_listing(owner=api.user, params={"type": "image", "favorites": "true"}).count()
    with django_assert_num_queries(1):
        asset_listing(owner=api.user, params={"min_cost": "0.01"}).count()


def test_a_further_filter_counts_rows_again(api, rollup_library):
    listing = asset_listing(owner=api.user, params={})
    rows = listing.rows
    assert listing.count() == rows.count() == 4
    assert rows.filter(type=AssetType.TEXT).count() == 2
    assert rows[:1].count() == 1


def test_counts_follow_every_change(api, rollup_library):
    services.assets_trash(owner=api.user, ids=[rollup_library[0].pk])
    services.asset_update(asset=rollup_library[2], is_favorite=True)
    services.assets_restore(owner=api.user, ids=[rollup_library[4].pk])
    for params in PARAMS:
        listing = asset_listing(owner=api.user, params=params)
        assert api.get(LIST, params).json()["count"] == listing.count() == len(list(listing.rows)), params


def test_the_web_pages_prefetch_still_counts_in_one_query(api, rollup_library, django_assert_num_queries):
    from assets.selectors import with_list_relations

    listing = asset_listing(owner=api.user, params={"type": "text"}).with_rows(with_list_relations)
    with django_assert_num_queries(1):  # from the rollups: test_query_plans.py
        assert listing.count() == 2
