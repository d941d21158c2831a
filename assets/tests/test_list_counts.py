"""The list's exact count: from the statistics' rollups where they answer, from the rows
otherwise, and the same number either way."""

import pytest

from assets import services
from assets.models import Asset, AssetStatus, AssetType
from assets.selectors import asset_list
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db
LIST = "/api/v1/assets/"


@pytest.fixture
def library(user, other_user):
    made = [
        AssetFactory(owner=user, type=AssetType.IMAGE, source_module="image_studio", is_favorite=True),
        AssetFactory(owner=user, type=AssetType.IMAGE, source_module="image_studio", status=AssetStatus.FAILED,
                     file=""),
        AssetFactory(owner=user, type=AssetType.TEXT, source_module="story_writer", file="", model="gpt-4o"),
        AssetFactory(owner=user, type=AssetType.TEXT, source_module="blog_writer", file="", is_favorite=True),
        AssetFactory(owner=user, type=AssetType.AUDIO, source_module="podcast_maker", status=AssetStatus.PENDING),
    ]
    AssetFactory.create_batch(3, owner=other_user, source_module="image_studio")
    services.assets_trash(owner=user, ids=[made[4].pk])
    return made


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
def test_the_count_is_the_number_of_rows(api, library, params):
    body = api.get(LIST, params).json()
    rows = asset_list(owner=api.user, params=params)

    assert body["count"] == len(list(rows.all())) == Asset.objects.filter(pk__in=rows.values("pk")).count()


def test_simple_filters_count_from_the_rollups_and_others_from_the_rows(api, library, django_assert_num_queries):
    assert asset_list(owner=api.user, params={"type": "image"}).count() == 2
    with django_assert_num_queries(1) as captured:
        asset_list(owner=api.user, params={"type": "image", "favorites": "true"}).count()
    assert "analytics_ownertotals" in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1) as captured:
        asset_list(owner=api.user, params={"min_cost": "0.01"}).count()
    assert "analytics_ownertotals" not in captured.captured_queries[0]["sql"]


def test_a_further_filter_counts_rows_again(api, library):
    rows = asset_list(owner=api.user, params={})
    assert rows.count() == 4
    assert rows.filter(type=AssetType.TEXT).count() == 2
    assert rows[:1].count() == 1


def test_counts_follow_every_change(api, library):
    services.assets_trash(owner=api.user, ids=[library[0].pk])
    services.asset_update(asset=library[2], is_favorite=True)
    services.assets_restore(owner=api.user, ids=[library[4].pk])
    for params in PARAMS:
        rows = asset_list(owner=api.user, params=params)
        assert api.get(LIST, params).json()["count"] == len(list(rows.all())), params


def test_the_web_pages_prefetch_keeps_the_rollup_count(api, library, django_assert_num_queries):
    from assets.selectors import with_list_relations

    rows = with_list_relations(asset_list(owner=api.user, params={"type": "text"}))
    with django_assert_num_queries(1) as captured:
        assert rows.count() == 2
    assert "analytics_ownertotals" in captured.captured_queries[0]["sql"]
