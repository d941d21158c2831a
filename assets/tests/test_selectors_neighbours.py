"""asset_neighbours (the asset page's previous/next), asset_children and asset_trash_list."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from assets import selectors
from assets.models import AssetType
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def walk(user, params, first):
    """Follow the `next` neighbours from `first` to the end, checking `previous` on the way."""
    seen, current = [first], first
    while True:
        previous, following = selectors.asset_neighbours(owner=user, asset=current, params=params)
        if following is None:
            return seen
        back, _ = selectors.asset_neighbours(owner=user, asset=following, params=params)
        assert back.pk == current.pk
        seen.append(following)
        current = selectors.asset_get(owner=user, asset_id=following.pk)


def expected(user, params):
    return [a.pk for a in selectors.asset_listing(owner=user, params=params).rows]


@pytest.fixture
def library(user):
    now = timezone.now()
    same_moment = now - dt.timedelta(hours=5)
    assets = [
        AssetFactory(owner=user, title="Beta", cost="0.5000", created_at=now - dt.timedelta(hours=1)),
        AssetFactory(owner=user, title="alpha", cost="0.1000", created_at=same_moment),
        AssetFactory(owner=user, title="Gamma", cost="0.5000", created_at=same_moment),  # a tie on created_at
        AssetFactory(owner=user, title="Delta", cost="0.0000", type=AssetType.TEXT, created_at=now),
        AssetFactory(owner=user, title="Epsilon", cost="2.0000", created_at=now - dt.timedelta(days=2)),
    ]
    AssetFactory(owner=user, title="Trashed", trashed=True)
    AssetFactory(title="Someone else's")
    return assets


@pytest.mark.parametrize("ordering", ["", "-created_at", "created_at", "title", "-title", "cost", "-cost",
                                      "file_size", "-file_size", "download_count"])
def test_walking_next_visits_the_list_in_order(user, library, ordering):
    params = {"ordering": ordering} if ordering else {}
    order = expected(user, params)
    first = selectors.asset_get(owner=user, asset_id=order[0])
    assert selectors.asset_neighbours(owner=user, asset=first, params=params)[0] is None
    assert [a.pk for a in walk(user, params, first)] == order


def test_neighbours_follow_the_filters(user, library):
    params = {"type": "image", "ordering": "title"}
    order = expected(user, params)
    assert len(order) == 4
    first = selectors.asset_get(owner=user, asset_id=order[0])
    assert [a.pk for a in walk(user, params, first)] == order


def test_an_asset_outside_the_filter_still_gets_the_rows_around_it(user, library):
    delta = library[3]  # a text asset, newest of all
    previous, following = selectors.asset_neighbours(owner=user, asset=delta, params={"type": "image"})
    assert previous is None
    assert following.pk == expected(user, {"type": "image"})[0]


def test_keyword_search_walks_in_its_own_order(user):
    AssetFactory(owner=user, title="Lighthouse at dusk", prompt="lighthouse")
    AssetFactory(owner=user, title="Lighthouse keeper", prompt="a lighthouse and a lighthouse")
    AssetFactory(owner=user, title="Harbour", prompt="a boat near the lighthouse")
    AssetFactory(owner=user, title="Mountain", prompt="snow")
    params = {"q": "lighthouse"}
    order = expected(user, params)
    assert len(order) == 3
    first = selectors.asset_get(owner=user, asset_id=order[0])
    assert [a.pk for a in walk(user, params, first)] == order


def test_bad_parameters_are_a_validation_error(user, library):
    with pytest.raises(ValidationError):
        selectors.asset_neighbours(owner=user, asset=library[0], params={"type": "nope"})


def test_neighbours_take_two_queries_whatever_the_size(user, library, django_assert_num_queries):
    with django_assert_num_queries(2):
        selectors.asset_neighbours(owner=user, asset=library[0], params={"ordering": "title"})


def test_children_are_the_live_assets_derived_from_it(user, other_user):
    parent = AssetFactory(owner=user)
    kept = AssetFactory(owner=user, parent=parent, title="Upscaled")
    AssetFactory(owner=user, parent=parent, trashed=True)
    AssetFactory(owner=other_user, parent=parent)
    assert [a.pk for a in selectors.asset_children(owner=user, asset=parent)] == [kept.pk]


def test_trash_list_is_most_recently_deleted_first(user, other_user):
    now = timezone.now()
    old = AssetFactory(owner=user, deleted_at=now - dt.timedelta(days=3))
    new = AssetFactory(owner=user, deleted_at=now - dt.timedelta(hours=1))
    AssetFactory(owner=user)
    AssetFactory(owner=other_user, trashed=True)
    assert [a.pk for a in selectors.asset_trash_list(owner=user)] == [new.pk, old.pk]
