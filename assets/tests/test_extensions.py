"""The core's extension points (assets.extensions): what the apps above it plug in."""

import pytest

from analytics.models import UsageEvent, UsageEventKind
from assets import extensions, services
from assets.extensions import AssetChange
from assets.tests.factories import AssetFactory
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory

pytestmark = pytest.mark.django_db


def test_every_change_the_core_reports_is_a_usage_event_kind():
    assert list(AssetChange.values) == list(UsageEventKind.values)


def test_the_installed_apps_plug_in_what_the_core_asks_for():
    assert extensions.library_counter() is not None
    assert set(extensions.list_relations()) == {"collections"}


def test_changes_reach_every_registered_recorder_in_the_same_transaction(user, request):
    seen = []

    class Listening:
        def record(self, **kwargs):
            seen.append((kwargs["change"], list(kwargs["asset_ids"])))

        def insert_sql(self, **kwargs):
            seen.append((kwargs["change"], "sql"))
            return "SELECT 1", []

    listener = Listening()
    extensions.register_change_recorder(listener)
    request.addfinalizer(lambda: extensions.unregister_change_recorder(listener))
    asset = AssetFactory(owner=user)

    services.assets_trash(owner=user, ids=[asset.pk])

    assert seen and seen[0][0] == AssetChange.DELETED
    # The usage events (analytics' recorder) are there too.
    assert UsageEvent.objects.filter(asset=asset, kind=UsageEventKind.DELETED).count() == 1


def test_a_list_relation_is_read_for_a_page_at_once_or_through_its_prefetch(user):
    asset = AssetFactory(owner=user)
    first, second = CollectionFactory(owner=user), CollectionFactory(owner=user)
    CollectionItemFactory(collection=first, asset=asset)
    CollectionItemFactory(collection=second, asset=asset)

    from assets import selectors

    [attached] = selectors.attach_list_relations([asset])
    assert extensions.relation_values("collections", attached) == [first.pk, second.pk]
    [prefetched] = selectors.with_list_relations(type(asset).objects.filter(pk=asset.pk))
    assert extensions.relation_values("collections", prefetched) == [first.pk, second.pk]
    assert extensions.relation_values("no-such-relation", prefetched) == []


def test_a_list_filter_no_app_provides_selects_nothing(user):
    AssetFactory(owner=user)
    term = extensions.list_filter_term("no-such-parameter", owner=user, value="x")
    assert not AssetFactory._meta.model.objects.filter(term).exists()


def test_visibility_is_the_owners_own_unless_a_provider_adds_more(user, other_user, request):
    mine, theirs = AssetFactory(owner=user), AssetFactory(owner=other_user)
    model = type(mine)
    assert set(model.objects.filter(extensions.visible_to(user))) == {mine}

    def everything_of_other_user(viewer):
        from django.db.models import Q

        return Q(owner_id=other_user.pk)

    extensions.register_visibility(everything_of_other_user)
    request.addfinalizer(lambda: extensions.unregister_visibility(everything_of_other_user))
    assert set(model.objects.filter(extensions.visible_to(user))) == {mine, theirs}
