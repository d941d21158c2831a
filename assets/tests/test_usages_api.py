"""Where assets are used: POST/GET /assets/{id}/usages/, DELETE /assets/{id}/usages/{usage_id}/."""

import pytest

from analytics.models import UsageEvent
from assets.models import Asset, AssetUsage
from assets.tests.factories import AssetFactory
from collections_app.services import collection_add_assets, grant_set
from collections_app.tests.factories import CollectionFactory
from conftest import asset_url

POST = {"source_module": "blog_writer", "kind": "published", "target_url": "https://blog.example.com/ten-tips",
        "target_title": "Ten tips for coastal photos", "external_ref": "post-42"}


@pytest.fixture
def asset(user):
    return AssetFactory(owner=user)


def report(api, asset, **changes):
    return api.post(asset_url(asset, "usages"), {**POST, **changes}, format="json")


def test_a_module_reports_a_usage_and_the_asset_counts_it(api, asset):
    answer = report(api, asset)
    assert answer.status_code == 201
    body = answer.json()
    assert body["asset"] == str(asset.pk) and body["kind"] == "published"
    assert body["target_title"] == "Ten tips for coastal photos" and body["external_ref"] == "post-42"
    assert body["source_module"] == "blog_writer" and body["source_module_label"] == "Blog Writer"
    assert api.get(asset_url(asset)).json()["usage_count"] == 1
    assert UsageEvent.objects.filter(asset=asset, kind="used").count() == 1


def test_the_same_reference_from_the_same_module_is_the_same_usage(api, asset):
    first = report(api, asset).json()
    again = report(api, asset, target_title="Edited title")
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert report(api, asset, source_module="linkedin_writer").status_code == 201  # another module
    assert report(api, asset, external_ref=None).status_code == 201  # no reference: always new
    assert report(api, asset, external_ref=None).status_code == 201
    asset.refresh_from_db()
    assert asset.usage_count == 4 and AssetUsage.objects.filter(asset=asset).count() == 4


def test_usages_are_listed_newest_first_and_paginated(api, asset):
    for n in range(3):
        report(api, asset, external_ref=f"post-{n}", target_title=f"Post {n}")
    answer = api.get(asset_url(asset, "usages"), {"page_size": 2})
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 3 and [u["target_title"] for u in body["results"]] == ["Post 2", "Post 1"]
    assert api.get(asset_url(asset, "usages"), {"page": 2, "page_size": 2}).json()["results"][0]["target_title"] \
        == "Post 0"


def test_removing_a_usage(api, asset):
    usage = report(api, asset).json()
    assert api.delete(f"{asset_url(asset, 'usages')}{usage['id']}/").status_code == 204
    asset.refresh_from_db()
    assert asset.usage_count == 0 and not AssetUsage.objects.exists()
    assert api.delete(f"{asset_url(asset, 'usages')}{usage['id']}/").status_code == 404
    assert api.delete(f"{asset_url(asset, 'usages')}not-a-uuid/").status_code == 404
    assert UsageEvent.objects.filter(asset=asset, kind="used").count() == 1  # history stays


@pytest.mark.parametrize("changes, field", [
    ({"kind": "printed"}, "kind"),
    ({"target_url": "javascript:alert(1)"}, "target_url"),
    ({"target_url": "ftp://example.com/x"}, "target_url"),
    ({"target_url": "https://" + "a" * 2000 + ".com"}, "target_url"),
    ({"target_title": ""}, "target_title"),
    ({"target_title": "   "}, "target_title"),
    ({"target_title": "x" * 301}, "target_title"),
    ({"target_title": 42}, "target_title"),
    ({"source_module": "Blog Writer"}, "source_module"),
    ({"source_module": " blog_writer"}, "source_module"),
    ({"target_title": "x" * 300 + " "}, "target_title"),
    ({"external_ref": "r" * 256}, "external_ref"),
])
def test_bad_reports_name_their_field(api, asset, changes, field):
    answer = report(api, asset, **changes)
    assert answer.status_code == 400 and field in answer.json()
    assert not AssetUsage.objects.exists()


def test_a_title_is_required(api, asset):
    answer = api.post(asset_url(asset, "usages"), {"source_module": "blog_writer", "kind": "embedded"},
                      format="json")
    assert answer.status_code == 400 and "target_title" in answer.json()


def test_another_owners_asset_is_not_found(api, other_user):
    theirs = AssetFactory(owner=other_user)
    usage = AssetUsage.objects.create(asset=theirs, owner=other_user, source_module="blog_writer",
                                      kind="published", target_title="Theirs")
    assert report(api, theirs).status_code == 404
    assert api.get(asset_url(theirs, "usages")).status_code == 404
    assert api.delete(f"{asset_url(theirs, 'usages')}{usage.pk}/").status_code == 404
    assert AssetUsage.objects.count() == 1


def test_a_usage_of_another_asset_is_not_found_through_this_one(api, user, asset):
    mine_too = AssetFactory(owner=user)
    usage = report(api, mine_too).json()
    assert api.delete(f"{asset_url(asset, 'usages')}{usage['id']}/").status_code == 404
    assert Asset.objects.get(pk=mine_too.pk).usage_count == 1


def test_members_of_a_shared_collection_read_usages_but_do_not_write_them(api, user, other_user, other_api, asset):
    collection = CollectionFactory(owner=user)
    collection_add_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    grant_set(collection=collection, actor=user, grantee_type="user", name=other_user.username, role="editor")
    usage = report(api, asset).json()
    listed = other_api.get(asset_url(asset, "usages"))
    assert listed.status_code == 200 and listed.json()["count"] == 1
    assert report(other_api, asset).status_code == 403
    assert other_api.delete(f"{asset_url(asset, 'usages')}{usage['id']}/").status_code == 403
    assert other_api.get(asset_url(asset)).json()["usage_count"] == 1


def test_deleting_the_asset_deletes_its_usages_but_not_their_count_over_time(api, asset):
    report(api, asset)
    assert api.delete(asset_url(asset)).status_code == 204  # to the trash first
    assert api.delete(f"{asset_url(asset)}?permanent=true").status_code == 204
    assert not AssetUsage.objects.exists()
    assert UsageEvent.objects.filter(kind="used", asset__isnull=True).count() == 1


def test_the_list_filters_used_and_never_used(api, user, other_user):
    used, never, trashed_used = AssetFactory(owner=user), AssetFactory(owner=user), AssetFactory(owner=user)
    AssetFactory(owner=other_user)
    report(api, used)
    report(api, trashed_used)
    api.delete(asset_url(trashed_used))
    listed = api.get("/api/v1/assets/", {"used": "true"}).json()
    assert [a["id"] for a in listed["results"]] == [str(used.pk)] and listed["count"] == 1
    assert listed["results"][0]["usage_count"] == 1
    never_used = api.get("/api/v1/assets/", {"used": "false"}).json()
    assert [a["id"] for a in never_used["results"]] == [str(never.pk)] and never_used["count"] == 1
    assert api.get("/api/v1/assets/", {"used": ""}).json()["count"] == 2
    both = api.get("/api/v1/assets/", {"used": "false", "favorites": "true"}).json()
    assert both["count"] == 0
    bad = api.get("/api/v1/assets/", {"used": "sometimes"})
    assert bad.status_code == 400 and "used" in bad.json()


def test_never_used_with_a_search_counts_only_the_never_used(api, user):
    lighthouse = AssetFactory(owner=user, title="Lighthouse at dawn")
    AssetFactory(owner=user, title="Lighthouse at dusk")
    report(api, lighthouse)
    answer = api.get("/api/v1/assets/", {"used": "false", "q": "lighthouse"}).json()
    assert answer["count"] == 1 and answer["results"][0]["title"] == "Lighthouse at dusk"
    assert api.get("/api/v1/assets/", {"used": "true", "q": "lighthouse"}).json()["count"] == 1


def test_operators_see_usages_in_the_admin(api, asset, admin_client):
    report(api, asset)
    page = admin_client.get(f"/admin/assets/asset/{asset.pk}/change/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Used in" in body and "Ten tips for coastal photos" in body and "https://blog.example.com/ten-tips" in body
    listed = admin_client.get("/admin/assets/assetusage/", {"q": "coastal"})
    assert listed.status_code == 200 and "Ten tips for coastal photos" in listed.content.decode()
    assert admin_client.get("/admin/assets/assetusage/add/").status_code == 403


@pytest.mark.parametrize("url", ["", "https://example.com", "http://example.com/a?b=c#d"])
def test_an_empty_or_http_address_is_taken(api, asset, url):
    answer = report(api, asset, target_url=url, external_ref=None)
    assert answer.status_code == 201, answer.json()
    assert answer.json()["target_url"] == url


@pytest.mark.parametrize("url", ["http://[::1]/x", "https://", "http://exa mple.com", "mailto:a@example.com", "  ",
                                 " https://example.com"])
def test_other_addresses_are_refused(api, asset, url):
    answer = report(api, asset, target_url=url)
    assert answer.status_code == 400 and "target_url" in answer.json()


def test_a_bulk_filter_takes_used_as_a_boolean(api, user):
    never = AssetFactory(owner=user)
    used_one = AssetFactory(owner=user)
    report(api, used_one)
    answer = api.post("/api/v1/assets/bulk/delete/", {"filter": {"used": False}}, format="json")
    assert answer.status_code == 200, answer.json()
    assert Asset.objects.get(pk=never.pk).deleted_at is not None
    assert Asset.objects.get(pk=used_one.pk).deleted_at is None
    assert api.post("/api/v1/assets/bulk/delete/", {"filter": {"used": "sometimes"}},
                    format="json").status_code == 400
