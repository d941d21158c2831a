"""A collection's "People & activity": the fragment the collections page and a collection's
view in the library load, and the library heading that offers it."""

import pytest
from django.test import Client

from assets.models import Asset
from assets.tests.factories import AssetFactory, UserFactory
from collections_app import services
from collections_app.tests.factories import CollectionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared():
    owner, mate, stranger = UserFactory(username="keeper"), UserFactory(username="mate"), UserFactory()
    collection = CollectionFactory(owner=owner, name="Launch")
    asset = AssetFactory(owner=owner)
    services.collection_add_assets(collection=collection, assets=Asset.objects.filter(pk=asset.pk))
    services.grant_set(collection=collection, actor=owner, grantee_type="user", name="mate", role="viewer")
    return collection, owner, mate, stranger


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_owner_changes_the_grants_and_a_member_reads_them(shared):
    collection, owner, mate, _stranger = shared
    url = f"/library/collections/{collection.pk}/people/"

    mine = signed_in(owner).get(url).content.decode()
    assert "data-grant-form" in mine and "data-revoke" in mine and "mate" in mine

    theirs = signed_in(mate).get(url).content.decode()
    assert "keeper owns this collection; you are viewer." in theirs
    assert "mate <span class=\"member-you\">(you)</span>" in theirs and "Viewer" in theirs
    assert "data-grant-form" not in theirs and "data-revoke" not in theirs and "<select" not in theirs
    assert "added 1 asset" in theirs and "shared it with user mate as viewer" in theirs


def test_nobody_else_sees_them(shared):
    collection, owner, mate, stranger = shared
    url = f"/library/collections/{collection.pk}/people/"
    assert signed_in(stranger).get(url).status_code == 404
    services.grant_revoke(grant=collection.grants.get(), actor=owner)
    assert signed_in(mate).get(url).status_code == 404


def test_the_library_heading_names_the_owner_and_the_role(shared):
    collection, owner, mate, _stranger = shared
    html = signed_in(mate).get("/library/", {"collection": str(collection.pk)}).content.decode()
    assert "Shared by <strong>keeper</strong> · you are viewer" in html
    assert f'data-collection-people="{collection.pk}"' in html

    own = signed_in(owner).get("/library/", {"collection": str(collection.pk)}).content.decode()
    assert "Shared by" not in own and f'data-collection-people="{collection.pk}"' in own
    assert "data-collection-people" not in signed_in(owner).get("/library/").content.decode()


def test_the_collections_page_lists_what_is_shared_with_the_user_with_whose_and_their_role(shared):
    collection, owner, mate, stranger = shared

    page = signed_in(mate).get("/library/collections/").content.decode()
    assert "Shared with you" in page
    assert f'href="/library/?collection={collection.pk}"' in page
    assert "1 asset · shared by keeper · you are viewer" in page

    for someone in (owner, stranger):  # the owner's own list has it; nobody else sees it
        page = signed_in(someone).get("/library/collections/").content.decode()
        assert "Shared with you" not in page
    assert "Launch" not in signed_in(stranger).get("/library/collections/").content.decode()
