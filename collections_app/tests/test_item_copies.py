"""PostgreSQL keeps each membership's copy of its asset's creation time and trash state
(collections_app.sql), and a shared collection's plain list reads them alone."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from assets import services as asset_services
from assets.models import Asset
from assets.tests.factories import AssetFactory, UserFactory
from collections_app import services
from collections_app.models import CollectionItem
from collections_app.tests.factories import CollectionFactory
from conftest import asset_url

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]


@pytest.fixture
def shared():
    owner, member = UserFactory(username="keeper"), UserFactory(username="guest")
    collection = CollectionFactory(owner=owner, name="Big")
    now = timezone.now()
    assets = [AssetFactory(owner=owner, title=f"Item {n}", created_at=now - dt.timedelta(minutes=n)) for n in range(30)]
    services.collection_add_assets(collection=collection, actor=owner,
                                   assets=Asset.objects.filter(pk__in=[a.pk for a in assets]))
    services.grant_set(collection=collection, actor=owner, grantee_type="user", name="guest", role="viewer")
    client = APIClient()
    client.force_authenticate(member)
    owner_client = APIClient()
    owner_client.force_authenticate(owner)
    return collection, assets, client, owner_client


def test_a_membership_copies_its_asset_and_follows_the_trash(shared):
    collection, assets, _client, owner_client = shared
    item = CollectionItem.objects.get(collection=collection, asset=assets[0])
    assert (item.asset_created_at, item.asset_alive) == (assets[0].created_at, True)

    owner_client.delete(asset_url(assets[0]))
    owner_client.post("/api/v1/assets/bulk/delete/", {"ids": [str(a.pk) for a in assets[1:3]]}, format="json")
    assert set(CollectionItem.objects.filter(collection=collection, asset_alive=False)
               .values_list("asset_id", flat=True)) == {a.pk for a in assets[:3]}
    asset_services.assets_restore(owner=collection.owner, ids=Asset.objects.filter(pk=assets[1].pk))
    assert CollectionItem.objects.get(collection=collection, asset=assets[1]).asset_alive
    assert owner_client.get(f"/api/v1/collections/{collection.pk}/").json()["asset_count"] == 28


def test_a_members_plain_list_reads_the_memberships_and_matches_the_assets(shared):
    collection, assets, client, owner_client = shared
    owner_client.delete(asset_url(assets[0]))
    with CaptureQueriesContext(connection) as queries:
        first = client.get("/api/v1/assets/", {"collection": str(collection.pk), "page_size": 10}).json()
    assert first["count"] == 29
    assert first["results"][0]["id"] == str(assets[1].pk)
    assert [r["id"] for r in first["results"]] == [str(a.pk) for a in assets[1:11]]
    reads = [q["sql"] for q in queries.captured_queries if "collections_app_collectionitem" in q["sql"]
             and "asset_alive" in q["sql"]]
    assert reads, "the count and the page come from the memberships' copies"
    second = client.get("/api/v1/assets/", {"collection": str(collection.pk), "page_size": 10, "page": 3}).json()
    assert [r["id"] for r in second["results"]] == [str(a.pk) for a in assets[21:30]]
    # Any other parameter lists through the assets, with the same answer.
    filtered = client.get("/api/v1/assets/", {"collection": str(collection.pk), "page_size": 10,
                                              "status": "completed"}).json()
    assert filtered["count"] == 29 and [r["id"] for r in filtered["results"]] == [r["id"] for r in first["results"]]


def test_a_members_list_of_one_type_reads_the_memberships_too(shared):
    collection, assets, client, owner_client = shared
    texts = [AssetFactory(owner=collection.owner, type="text", text_content=f"Text {n}",
                          created_at=timezone.now() - dt.timedelta(seconds=30 + n)) for n in range(3)]
    services.collection_add_assets(collection=collection, actor=collection.owner,
                                   assets=Asset.objects.filter(pk__in=[a.pk for a in texts]))
    assert set(CollectionItem.objects.filter(collection=collection, asset_type="text")
               .values_list("asset_id", flat=True)) == {a.pk for a in texts}
    owner_client.delete(asset_url(texts[1]))

    def listed(**params):
        with CaptureQueriesContext(connection) as queries:
            body = client.get("/api/v1/assets/", {"collection": str(collection.pk), **params}).json()
        from_items = any("asset_type" in q["sql"] and "asset_alive" in q["sql"] for q in queries.captured_queries)
        return body["count"], [r["id"] for r in body["results"]], from_items

    assert listed(type="text") == (2, [str(texts[0].pk), str(texts[2].pk)], True)
    count, ids, from_items = listed(type="image", page_size=5, page=2)
    assert (count, ids, from_items) == (30, [str(a.pk) for a in assets[5:10]], True)
    # Two types: the same answer as the rows give.
    count, ids, _ = listed(type="image,text", page_size=50)
    assert count == 32 and ids[:2] == [str(assets[0].pk), str(texts[0].pk)] and len(ids) == 32
    # With another parameter, through the assets: the same answer.
    assert listed(type="text", status="completed")[:2] == (2, [str(texts[0].pk), str(texts[2].pk)])


def tallied(collection) -> int:
    from collections_app.models import CollectionTally

    return CollectionTally.objects.get(collection=collection).live_assets


def counted(collection) -> int:
    return CollectionItem.objects.filter(collection=collection, asset__deleted_at__isnull=True).count()


def test_each_collections_tally_follows_its_live_assets(shared):
    collection, assets, _client, owner_client = shared
    other = CollectionFactory(owner=collection.owner, name="Other")
    services.collection_add_assets(collection=other, actor=collection.owner,
                                   assets=Asset.objects.filter(pk__in=[a.pk for a in assets[:5]]))
    assert (tallied(collection), tallied(other)) == (30, 5)

    owner_client.delete(asset_url(assets[0]))  # to the trash: out of both
    owner_client.post("/api/v1/assets/bulk/delete/", {"ids": [str(a.pk) for a in assets[1:4]]}, format="json")
    assert (tallied(collection), tallied(other)) == (26, 1) == (counted(collection), counted(other))
    asset_services.assets_restore(owner=collection.owner, ids=Asset.objects.filter(pk__in=[assets[1].pk]))
    assert (tallied(collection), tallied(other)) == (27, 2)

    services.collection_remove_assets(collection=collection, actor=collection.owner,
                                      assets=Asset.objects.filter(pk__in=[a.pk for a in assets[1:3]]))
    assert tallied(collection) == counted(collection) == 26  # one live and one trashed left it
    owner_client.delete(asset_url(assets[5]) + "?permanent=true")
    assert tallied(collection) == counted(collection) == 25
    Asset.objects.filter(pk=assets[6].pk).update(status="failed")  # not a trash move: no change
    assert tallied(collection) == 25
    assert owner_client.get(f"/api/v1/collections/{collection.pk}/").json()["asset_count"] == 25

    owner_client.delete(f"/api/v1/collections/{other.pk}/")  # its tally goes with it
    assert not type(other).objects.filter(pk=other.pk).exists()


def test_a_members_list_of_one_status_follows_the_assets(shared):
    collection, assets, client, _owner_client = shared
    Asset.objects.filter(pk__in=[assets[3].pk, assets[7].pk]).update(status="failed")

    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/v1/assets/", {"collection": str(collection.pk), "status": "failed"}).json()
    assert body["count"] == 2 and [r["id"] for r in body["results"]] == [str(assets[3].pk), str(assets[7].pk)]
    assert any("asset_status" in q["sql"] for q in queries.captured_queries)
    Asset.objects.filter(pk=assets[3].pk).update(status="completed")
    assert client.get("/api/v1/assets/", {"collection": str(collection.pk), "status": "failed"}).json()["count"] == 1


def test_a_members_search_ranks_best_match_first_and_counts(shared, monkeypatch):
    from assets import search

    collection, assets, client, _owner_client = shared
    Asset.objects.filter(pk=assets[20].pk).update(title="Knight at dawn")
    Asset.objects.filter(pk=assets[2].pk).update(prompt="a knight rides")
    Asset.objects.filter(pk=assets[9].pk).update(description="somewhere, a knight")
    outside = AssetFactory(owner=collection.owner, title="Knight outside")  # not in the collection

    def search_for(q, **params):
        body = client.get("/api/v1/assets/", {"collection": str(collection.pk), "q": q, **params}).json()
        return [r["id"] for r in body["results"]], body["count"], body.get("count_exact", True)

    best_first = [str(assets[20].pk), str(assets[2].pk), str(assets[9].pk)]
    assert search_for("knight") == (best_first, 3, True)
    assert str(outside.pk) not in search_for("knight")[0]
    assert search_for("knight", type="video") == ([], 0, True)
    assert search_for("zeppelin") == ([], 0, True)

    # A collection bigger than the window: a common word is counted among the newest rows
    # (a lower bound); a rare one exactly, from the owners' search rows.
    monkeypatch.setattr(search, "WINDOW_ROWS", 4)
    monkeypatch.setattr(search, "WINDOW_ROWS_PER_RESULT", 1)
    Asset.objects.filter(pk__in=[a.pk for a in assets[:3]]).update(title="Item knight")
    ids, count, exact = search_for("knight", page_size=2)
    assert ids == [str(assets[0].pk), str(assets[1].pk)] and (count, exact) == (3, False)  # 3 in the newest 4
    assert search_for("dawn") == ([str(assets[20].pk)], 1, True)
