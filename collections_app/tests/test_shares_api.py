import datetime as dt
import uuid

import pytest
from django.contrib.auth.hashers import check_password
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from rest_framework.test import APIClient

from analytics.models import UsageEvent, UsageEventKind
from assets.models import Asset, AssetType
from assets.tests.factories import AssetFactory
from collections_app.models import ShareKind, ShareLink, ShareLinkItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db

SHARES = "/api/v1/shares/"
BULK = "/api/v1/assets/bulk/share/"
REQUIRED_FIELDS = {"id", "token", "url", "asset_count", "allow_download", "expires_at", "revoked", "view_count",
                   "created_at"}
FIELDS = REQUIRED_FIELDS | {"kind", "title", "collection", "has_password", "revoked_at"}


def asset_share_url(asset_id):
    return f"/api/v1/assets/{asset_id}/share/"


def collection_share_url(collection_id):
    return f"/api/v1/collections/{collection_id}/share/"


def share_count(asset):
    return Asset.objects.get(pk=asset.pk).share_count


def item_ids(link_id):
    return set(ShareLinkItem.objects.filter(share_link_id=link_id).values_list("asset_id", flat=True))


# --- one asset -------------------------------------------------------------------------


def test_share_one_asset_answers_201_with_the_link_and_counts_a_share(api):
    asset = AssetFactory(owner=api.user, title="Lighthouse")

    response = api.post(asset_share_url(asset.pk), {}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    link = ShareLink.objects.get()
    assert body["id"] == str(link.pk)
    assert body["token"] == link.token
    assert body["url"] == f"http://testserver/s/{link.token}/"
    assert body["kind"] == "asset" and body["title"] == "Lighthouse" and body["collection"] is None
    assert (body["asset_count"], body["allow_download"], body["has_password"]) == (1, True, False)
    assert (body["expires_at"], body["revoked"], body["revoked_at"], body["view_count"]) == (None, False, None, 0)
    assert item_ids(link.pk) == {asset.pk}
    assert share_count(asset) == 1
    event = UsageEvent.objects.get(kind=UsageEventKind.SHARED)
    assert (event.asset_id, event.owner_id, event.share_link_id, event.source) == (asset.pk, api.user.pk, link.pk, "ui")


def test_share_one_asset_takes_the_options(api):
    asset = AssetFactory(owner=api.user)
    before = timezone.now()

    response = api.post(
        asset_share_url(asset.pk),
        {"expires_in_days": 7, "allow_download": False, "password": "open sesame", "title": "For the client"},
        format="json",
    )

    assert response.status_code == 201
    body = response.json()
    assert "password" not in body and "password_hash" not in body
    expires_at = parse_datetime(body["expires_at"])
    assert before + dt.timedelta(days=7) <= expires_at <= timezone.now() + dt.timedelta(days=7)
    assert (body["allow_download"], body["has_password"], body["title"]) == (False, True, "For the client")
    link = ShareLink.objects.get()
    assert link.password_hash != "open sesame" and check_password("open sesame", link.password_hash)


def test_share_with_expires_at_in_the_future(api):
    asset = AssetFactory(owner=api.user)
    when = (timezone.now() + dt.timedelta(hours=3)).replace(microsecond=0)

    response = api.post(asset_share_url(asset.pk), {"expires_at": when.isoformat()}, format="json")

    assert response.status_code == 201
    assert parse_datetime(response.json()["expires_at"]) == when


def test_a_blank_password_means_no_password(api):
    asset = AssetFactory(owner=api.user)
    response = api.post(asset_share_url(asset.pk), {"password": "", "expires_at": None}, format="json")
    assert response.status_code == 201
    assert response.json()["has_password"] is False


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"expires_at": "2999-01-01T00:00:00Z", "expires_in_days": 3}, "non_field_errors"),
        ({"expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
        ({"expires_at": "next tuesday"}, "expires_at"),
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 366}, "expires_in_days"),
        ({"expires_in_days": "soon"}, "expires_in_days"),
        ({"allow_download": "maybe"}, "allow_download"),
        ({"password": "abc"}, "password"),
        ({"password": "x" * 129}, "password"),
        ({"title": "t" * 201}, "title"),
    ],
)
def test_share_rejects_bad_options_naming_them(api, body, field):
    asset = AssetFactory(owner=api.user)

    response = api.post(asset_share_url(asset.pk), body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ShareLink.objects.exists() and share_count(asset) == 0


def test_share_another_owners_or_an_unknown_asset_is_404(api, other_user):
    theirs = AssetFactory(owner=other_user)

    for asset_id in (theirs.pk, uuid.uuid4(), "not-a-uuid"):
        assert api.post(asset_share_url(asset_id), {}, format="json").status_code == 404
    assert not ShareLink.objects.exists() and share_count(theirs) == 0


def test_share_a_trashed_asset_is_400(api):
    asset = AssetFactory(owner=api.user, trashed=True)

    response = api.post(asset_share_url(asset.pk), {}, format="json")

    assert response.status_code == 400
    assert "trash" in response.json()["detail"]
    assert not ShareLink.objects.exists()


def test_share_endpoints_need_authentication(user):
    asset = AssetFactory(owner=user)
    collection = CollectionFactory(owner=user)
    link = ShareLinkFactory(owner=user)
    client = APIClient()
    assert client.post(asset_share_url(asset.pk), {}, format="json").status_code == 401
    assert client.post(BULK, {"ids": [str(asset.pk)]}, format="json").status_code == 401
    assert client.post(collection_share_url(collection.pk), {}, format="json").status_code == 401
    assert client.get(SHARES).status_code == 401
    assert client.get(f"{SHARES}{link.pk}/").status_code == 401
    assert client.delete(f"{SHARES}{link.pk}/").status_code == 401


def test_token_clients_are_recorded_as_the_api(user):
    from rest_framework.authtoken.models import Token

    asset = AssetFactory(owner=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")

    assert client.post(asset_share_url(asset.pk), {}, format="json").status_code == 201
    assert UsageEvent.objects.get(kind=UsageEventKind.SHARED).source == "api"


def test_default_expiry_comes_from_the_setting(api, settings):
    settings.SHARE_LINK_DEFAULT_DAYS = 30
    asset = AssetFactory(owner=api.user)

    body = api.post(asset_share_url(asset.pk), {}, format="json").json()

    assert parse_datetime(body["expires_at"]) > timezone.now() + dt.timedelta(days=29)


# --- a selection -----------------------------------------------------------------------


def test_bulk_share_by_ids_shares_mine_and_reports_the_rest(api, other_user):
    mine = AssetFactory.create_batch(2, owner=api.user)
    theirs = AssetFactory(owner=other_user)
    trashed = AssetFactory(owner=api.user, trashed=True)
    unknown = uuid.uuid4()
    ids = [str(mine[0].pk), str(theirs.pk), str(trashed.pk), str(unknown), str(mine[1].pk)]

    response = api.post(BULK, {"ids": ids, "allow_download": False}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS | {"not_found"}
    assert body["kind"] == "selection" and body["asset_count"] == 2 and body["allow_download"] is False
    assert body["not_found"] == [str(theirs.pk), str(trashed.pk), str(unknown)]
    assert item_ids(body["id"]) == {a.pk for a in mine}
    assert [share_count(a) for a in (*mine, theirs, trashed)] == [1, 1, 0, 0]
    assert UsageEvent.objects.filter(kind=UsageEventKind.SHARED, share_link_id=body["id"]).count() == 2


def test_bulk_share_by_filter(api, other_user):
    images = AssetFactory.create_batch(2, owner=api.user, type=AssetType.IMAGE)
    AssetFactory(owner=api.user, type=AssetType.TEXT)
    AssetFactory(owner=other_user, type=AssetType.IMAGE)

    response = api.post(BULK, {"filter": {"type": "image"}, "expires_in_days": 1}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["asset_count"] == 2 and body["not_found"] == []
    assert item_ids(body["id"]) == {a.pk for a in images}


def test_bulk_share_by_a_keyword_filter(api):
    # On PostgreSQL a keyword search orders by relevance: the link must not mind.
    hit = AssetFactory(owner=api.user, title="Lighthouse at dusk", tags=["coast"])
    AssetFactory(owner=api.user, title="Forest", prompt="trees")

    response = api.post(BULK, {"filter": {"q": "lighthouse", "ordering": None}}, format="json")

    assert response.status_code == 201
    assert item_ids(response.json()["id"]) == {hit.pk}


def test_a_selection_is_frozen_when_the_link_is_made(api):
    first = AssetFactory(owner=api.user, type=AssetType.IMAGE)
    link_id = api.post(BULK, {"filter": {"type": "image"}}, format="json").json()["id"]

    later = AssetFactory(owner=api.user, type=AssetType.IMAGE)  # matches the filter, made afterwards

    assert item_ids(link_id) == {first.pk}
    assert api.get(f"{SHARES}{link_id}/").json()["asset_count"] == 1
    assert share_count(later) == 0


def test_asset_count_leaves_out_trashed_assets(api):
    assets = AssetFactory.create_batch(3, owner=api.user)
    link_id = api.post(BULK, {"ids": [str(a.pk) for a in assets]}, format="json").json()["id"]

    api.delete(f"/api/v1/assets/{assets[0].pk}/")
    assert api.get(f"{SHARES}{link_id}/").json()["asset_count"] == 2

    api.post(f"/api/v1/assets/{assets[0].pk}/restore/")
    assert api.get(f"{SHARES}{link_id}/").json()["asset_count"] == 3


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"ids": ["00000000-0000-0000-0000-000000000001"]}, "ids"),
        ({"filter": {"type": "audio"}}, "filter"),
        ({"ids": ["x"]}, "ids"),
        ({"ids": [], "filter": {}}, "non_field_errors"),
        ({}, "non_field_errors"),
        ({"filter": {"colour": "red"}}, "filter.colour"),
        ({"filter": {"type": "image"}, "expires_in_days": 0}, "expires_in_days"),
    ],
)
def test_bulk_share_400s_name_the_problem(api, body, field):
    AssetFactory(owner=api.user, type=AssetType.IMAGE)

    response = api.post(BULK, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not ShareLink.objects.exists()


def test_bulk_share_of_only_other_owners_assets_is_400(api, other_user):
    theirs = AssetFactory(owner=other_user)

    response = api.post(BULK, {"ids": [str(theirs.pk)]}, format="json")

    assert response.status_code == 400 and "ids" in response.json()
    assert share_count(theirs) == 0


# --- a collection ----------------------------------------------------------------------


def test_share_a_collection_counts_its_current_assets(api):
    collection = CollectionFactory(owner=api.user, name="Q3 campaign")
    members = [CollectionItemFactory(collection=collection).asset for _ in range(2)]
    trashed = CollectionItemFactory(collection=collection, asset__deleted_at=timezone.now()).asset
    outsider = AssetFactory(owner=api.user)

    response = api.post(collection_share_url(collection.pk), {"allow_download": False}, format="json")

    assert response.status_code == 201
    body = response.json()
    assert set(body) == FIELDS
    assert (body["kind"], body["collection"], body["title"]) == ("collection", str(collection.pk), "Q3 campaign")
    assert body["asset_count"] == 2 and body["allow_download"] is False
    assert [share_count(a) for a in (*members, trashed, outsider)] == [1, 1, 0, 0]
    assert not ShareLinkItem.objects.exists()  # live: nothing is frozen


def test_a_collection_link_is_live(api):
    collection = CollectionFactory(owner=api.user)
    member = CollectionItemFactory(collection=collection).asset
    link_id = api.post(collection_share_url(collection.pk), {}, format="json").json()["id"]

    newcomer = AssetFactory(owner=api.user)
    api.post(f"/api/v1/collections/{collection.pk}/assets/", {"ids": [str(newcomer.pk)]}, format="json")
    assert api.get(f"{SHARES}{link_id}/").json()["asset_count"] == 2

    api.post(f"/api/v1/collections/{collection.pk}/assets/remove/", {"ids": [str(member.pk)]}, format="json")
    assert api.get(f"{SHARES}{link_id}/").json()["asset_count"] == 1


def test_an_empty_collection_can_be_shared(api):
    collection = CollectionFactory(owner=api.user)
    response = api.post(collection_share_url(collection.pk), {}, format="json")
    assert response.status_code == 201 and response.json()["asset_count"] == 0


def test_share_another_owners_collection_is_404(api, other_user):
    theirs = CollectionFactory(owner=other_user)
    CollectionItemFactory(collection=theirs)

    assert api.post(collection_share_url(theirs.pk), {}, format="json").status_code == 404
    assert api.post(collection_share_url(uuid.uuid4()), {}, format="json").status_code == 404
    assert not ShareLink.objects.exists()


def test_deleting_a_collection_deletes_its_links(api):
    collection = CollectionFactory(owner=api.user)
    link_id = api.post(collection_share_url(collection.pk), {}, format="json").json()["id"]

    assert api.delete(f"/api/v1/collections/{collection.pk}/").status_code == 204

    assert api.get(f"{SHARES}{link_id}/").status_code == 404


# --- list, detail, revoke ------------------------------------------------------------


def test_list_shows_my_links_newest_first_with_their_asset_count(api, other_user):
    now = timezone.now()
    assets = AssetFactory.create_batch(2, owner=api.user)
    older = ShareLinkFactory(owner=api.user, assets=assets, created_at=now - dt.timedelta(days=1))
    collection = CollectionFactory(owner=api.user)
    CollectionItemFactory.create_batch(3, collection=collection)
    newer = ShareLinkFactory(owner=api.user, kind=ShareKind.COLLECTION, collection=collection, created_at=now)
    ShareLinkFactory(owner=other_user, assets=[AssetFactory(owner=other_user)])

    response = api.get(SHARES)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["next"] is None and body["previous"] is None
    assert [(row["id"], row["asset_count"]) for row in body["results"]] == [(str(newer.pk), 3), (str(older.pk), 2)]
    assert set(body["results"][0]) == FIELDS


def test_list_pages_and_filters(api):
    now = timezone.now()
    active = ShareLinkFactory(owner=api.user, created_at=now)
    revoked = ShareLinkFactory(owner=api.user, revoked_at=now, created_at=now - dt.timedelta(hours=1))
    expired = ShareLinkFactory(
        owner=api.user, expires_at=now - dt.timedelta(minutes=1), created_at=now - dt.timedelta(hours=2)
    )
    collection_link = ShareLinkFactory(
        owner=api.user, kind=ShareKind.COLLECTION, collection=CollectionFactory(owner=api.user),
        created_at=now - dt.timedelta(hours=3),
    )

    def ids(params):
        return [row["id"] for row in api.get(SHARES, params).json()["results"]]

    assert ids({"active": "true"}) == [str(active.pk), str(collection_link.pk)]
    assert ids({"active": "false"}) == [str(revoked.pk), str(expired.pk)]
    assert ids({"kind": "collection"}) == [str(collection_link.pk)]
    page = api.get(SHARES, {"page_size": 2, "page": 2}).json()
    assert page["count"] == 4 and [row["id"] for row in page["results"]] == [str(expired.pk), str(collection_link.pk)]


@pytest.mark.parametrize(
    ("params", "field"),
    [({"kind": "folder"}, "kind"), ({"active": "maybe"}, "active"), ({"page": 5}, "page"),
     ({"page_size": 201}, "page_size")],
)
def test_list_rejects_bad_parameters(api, params, field):
    ShareLinkFactory(owner=api.user)
    response = api.get(SHARES, params)
    assert response.status_code == 400 and field in response.json()


def test_list_query_count_does_not_grow_with_links(api, django_assert_num_queries):
    collection = CollectionFactory(owner=api.user)
    CollectionItemFactory.create_batch(2, collection=collection)
    ShareLinkFactory(owner=api.user, assets=AssetFactory.create_batch(2, owner=api.user))
    ShareLinkFactory(owner=api.user, kind=ShareKind.COLLECTION, collection=collection)
    with django_assert_num_queries(2):  # the page's COUNT, then the page with its asset counts
        assert api.get(SHARES).status_code == 200

    for _ in range(5):
        ShareLinkFactory(owner=api.user, assets=AssetFactory.create_batch(2, owner=api.user))
        ShareLinkFactory(owner=api.user, kind=ShareKind.COLLECTION, collection=collection)
    with django_assert_num_queries(2):
        body = api.get(SHARES).json()
    assert body["count"] == 12 and {row["asset_count"] for row in body["results"]} == {2}


def test_detail_is_mine_only(api, other_api):
    link = ShareLinkFactory(owner=api.user, assets=[AssetFactory(owner=api.user)], password="secret-1")

    response = api.get(f"{SHARES}{link.pk}/")

    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["asset_count"], body["has_password"]) == (str(link.pk), 1, True)
    assert other_api.get(f"{SHARES}{link.pk}/").status_code == 404
    assert api.get(f"{SHARES}{uuid.uuid4()}/").status_code == 404
    assert api.get(f"{SHARES}nope/").status_code == 404


def test_an_expired_link_shows_as_ended_at_its_expiry(api):
    expires_at = timezone.now() - dt.timedelta(hours=1)
    link = ShareLinkFactory(owner=api.user, expires_at=expires_at)

    body = api.get(f"{SHARES}{link.pk}/").json()

    assert body["revoked"] is True and parse_datetime(body["revoked_at"]) == expires_at


def test_delete_revokes_idempotently(api, other_api):
    link = ShareLinkFactory(owner=api.user)

    assert other_api.delete(f"{SHARES}{link.pk}/").status_code == 404
    link.refresh_from_db()
    assert link.revoked_at is None

    assert api.delete(f"{SHARES}{link.pk}/").status_code == 204
    link.refresh_from_db()
    first_revoked_at = link.revoked_at
    assert first_revoked_at is not None

    assert api.delete(f"{SHARES}{link.pk}/").status_code == 204
    link.refresh_from_db()
    assert link.revoked_at == first_revoked_at
    body = api.get(f"{SHARES}{link.pk}/").json()
    assert body["revoked"] is True and parse_datetime(body["revoked_at"]) == first_revoked_at


def test_revoking_an_expired_link_keeps_its_expiry_as_the_end(api):
    expires_at = timezone.now() - dt.timedelta(days=2)
    link = ShareLinkFactory(owner=api.user, expires_at=expires_at)

    assert api.delete(f"{SHARES}{link.pk}/").status_code == 204

    link.refresh_from_db()
    assert link.revoked_at == expires_at


def test_the_schema_documents_the_share_endpoints(api):
    response = api.get("/api/v1/schema/", {"format": "json"})

    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in ("/api/v1/shares/", "/api/v1/shares/{id}/", "/api/v1/assets/{id}/share/",
                 "/api/v1/assets/bulk/share/", "/api/v1/collections/{id}/share/"):
        assert path in paths, path
    created = paths["/api/v1/assets/bulk/share/"]["post"]["responses"]["201"]
    assert "BulkShareLink" in created["content"]["application/json"]["schema"]["$ref"]
    schemas = response.json()["components"]["schemas"]
    assert REQUIRED_FIELDS <= set(schemas["ShareLink"]["properties"])
