"""Who may do what with a shared collection and its assets: the permission matrix.

Seven callers (the owner; an editor and a viewer, each by a direct grant and through a
team; a former member, whose grant was revoked; a stranger) against every endpoint that
touches a collection or its assets. Each answer is the expected status, and no body shows
anything of the owner's beyond the shared collection.
"""

import json

import pytest
from rest_framework.test import APIClient

from assets.models import Asset
from assets.tests.factories import AssetFactory, UserFactory
from collections_app import services
from collections_app.models import CollectionItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory
from conftest import asset_url, collection_url

pytestmark = pytest.mark.django_db

CALLERS = ("owner", "editor", "viewer", "team_editor", "team_viewer", "former", "stranger")
EDITORS = {"owner", "editor", "team_editor"}
MEMBERS = {"editor", "viewer", "team_editor", "team_viewer"}


class World:
    """A shared collection, the owner's private things around it, and a client per caller."""

    def __init__(self):
        self.users = {name: UserFactory(username=name) for name in CALLERS}
        owner = self.users["owner"]
        self.collection = CollectionFactory(owner=owner, name="Campaign")
        self.private_collection = CollectionFactory(owner=owner, name="Private plans")
        self.parent = AssetFactory(owner=owner, title="Secret parent")
        self.shared = AssetFactory(owner=owner, title="Shared poster", parent=self.parent)
        self.private = AssetFactory(owner=owner, title="Private draft")
        CollectionItemFactory(collection=self.collection, asset=self.shared)
        CollectionItemFactory(collection=self.private_collection, asset=self.shared)
        CollectionItemFactory(collection=self.private_collection, asset=self.private)
        editors = services.team_create(creator=owner, name="Editors")
        viewers = services.team_create(creator=owner, name="Viewers")
        services.team_member_set(team=editors, username="team_editor", role="member")
        services.team_member_set(team=viewers, username="team_viewer", role="member")
        grant = lambda kind, name, role: services.grant_set(  # noqa: E731
            collection=self.collection, actor=owner, grantee_type=kind, name=name, role=role)[0]
        grant("user", "editor", "editor")
        grant("user", "viewer", "viewer")
        grant("team", "Editors", "editor")
        grant("team", "Viewers", "viewer")
        services.grant_revoke(grant=grant("user", "former", "editor"), actor=owner)
        self.own = {name: AssetFactory(owner=user, title=f"{name}'s own") for name, user in self.users.items()}
        self.clients = {}
        for name, user in self.users.items():
            client = APIClient()
            client.force_authenticate(user)
            self.clients[name] = client

    def secrets(self) -> list[str]:
        """What no one but the owner may ever read."""
        return [str(self.private.pk), str(self.parent.pk), str(self.private_collection.pk), "Private draft",
                "Secret parent", "Private plans"]


@pytest.fixture
def world():
    return World()


def expect(caller, *, owner, member_status, outsider=404, editor=None):
    if caller == "owner":
        return owner
    if caller in MEMBERS:
        if editor is not None and caller in EDITORS:
            return editor
        return member_status
    return outsider


def assert_no_secrets(world, caller, response):
    if caller == "owner":
        return
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    body = raw.decode(errors="replace")
    for secret in world.secrets():
        assert secret not in body, (caller, secret, response.request["PATH_INFO"])


@pytest.mark.parametrize("caller", CALLERS)
def test_reading_the_collection_and_its_assets(world, caller):
    client = world.clients[caller]
    cases = [
        ("get", collection_url(world.collection), None, expect(caller, owner=200, member_status=200)),
        ("get", collection_url(world.collection, "activity"), None, expect(caller, owner=200, member_status=200)),
        ("get", collection_url(world.collection, "grants"), None, expect(caller, owner=200, member_status=403)),
        ("get", asset_url(world.shared), None, expect(caller, owner=200, member_status=200)),
        ("get", asset_url(world.shared, "file"), None, expect(caller, owner=200, member_status=200)),
        ("get", asset_url(world.shared, "download"), None, expect(caller, owner=200, member_status=200)),
        ("get", asset_url(world.private), None, expect(caller, owner=200, member_status=404)),
        ("get", asset_url(world.private, "file"), None, expect(caller, owner=200, member_status=404)),
        ("get", asset_url(world.parent), None, expect(caller, owner=200, member_status=404)),
        ("get", collection_url(world.private_collection), None, expect(caller, owner=200, member_status=404)),
    ]
    for method, url, body, status in cases:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == status, (caller, method, url, response.content[:200])
        if url != asset_url(world.private) and url != asset_url(world.parent) and \
                url != collection_url(world.private_collection):
            assert_no_secrets(world, caller, response)

    listed = client.get("/api/v1/assets/", {"collection": str(world.collection.pk)})
    assert listed.status_code == 200
    ids = [row["id"] for row in listed.json()["results"]]
    assert ids == ([str(world.shared.pk)] if caller in MEMBERS | {"owner"} else [])
    assert_no_secrets(world, caller, listed)
    if caller in MEMBERS:
        [row] = listed.json()["results"]
        assert row["collections"] == [str(world.collection.pk)]  # not the owner's private one
        assert row["parent"] is None  # the owner's parent is not theirs to see
        assert client.get(asset_url(world.shared)).json()["collections"] == [str(world.collection.pk)]


@pytest.mark.parametrize("caller", CALLERS)
def test_the_library_stays_each_callers_own(world, caller):
    client = world.clients[caller]
    library = client.get("/api/v1/assets/").json()
    ids = {row["id"] for row in library["results"]}
    assert str(world.own[caller].pk) in ids
    if caller != "owner":
        assert ids == {str(world.own[caller].pk)}
    own_collections = client.get("/api/v1/collections/").json()["results"]
    assert all(c["owner"] == caller and c["role"] == "owner" for c in own_collections)
    shared = client.get("/api/v1/collections/", {"shared": "true"}).json()["results"]
    if caller in MEMBERS:
        [entry] = shared
        role = "editor" if caller in EDITORS else "viewer"
        assert (entry["id"], entry["owner"], entry["role"]) == (str(world.collection.pk), "owner", role)
    else:
        assert shared == []


@pytest.mark.parametrize("caller", CALLERS)
def test_writing(world, caller):
    client = world.clients[caller]
    mine = world.own[caller]
    cases = [
        ("patch", collection_url(world.collection), {"description": f"by {caller}"},
         expect(caller, owner=200, member_status=403, editor=200)),
        ("post", collection_url(world.collection, "assets"), {"ids": [str(mine.pk)]},
         expect(caller, owner=200, member_status=403, editor=200)),
        ("post", collection_url(world.collection, "grants"), {"grantee": {"type": "user", "name": "stranger"},
                                                              "role": "viewer"},
         expect(caller, owner=201, member_status=403)),
        ("post", collection_url(world.collection, "share"), {},
         expect(caller, owner=201, member_status=403)),
        ("patch", asset_url(world.shared), {"title": "hijacked"}, expect(caller, owner=200, member_status=403)),
        ("post", asset_url(world.shared, "favorite"), {}, expect(caller, owner=200, member_status=403)),
        ("post", asset_url(world.shared, "share"), {}, expect(caller, owner=201, member_status=403)),
        ("delete", asset_url(world.shared), None, expect(caller, owner=204, member_status=403)),
    ]
    for method, url, body, status in cases:
        response = getattr(client, method)(url, body, format="json")
        assert response.status_code == status, (caller, method, url, response.content[:300])
        assert_no_secrets(world, caller, response)
    world.shared.refresh_from_db()
    assert (world.shared.title == "hijacked") == (caller == "owner")
    assert (world.shared.deleted_at is not None) == (caller == "owner")
    in_collection = CollectionItem.objects.filter(collection=world.collection, asset=mine).exists()
    assert in_collection == (caller in EDITORS)


@pytest.mark.parametrize("caller", ["editor", "team_editor"])
def test_an_editor_removes_anyones_asset_but_deletes_none(world, caller):
    client = world.clients[caller]
    response = client.post(collection_url(world.collection, "assets/remove"), {"ids": [str(world.shared.pk)]},
                           format="json")
    assert response.json() == {"removed": 1, "not_found": []}
    assert Asset.objects.filter(pk=world.shared.pk, deleted_at__isnull=True).exists()
    assert client.delete(collection_url(world.collection)).status_code == 403
    activity = world.clients["owner"].get(collection_url(world.collection, "activity")).json()["results"]
    assert (activity[0]["actor"], activity[0]["verb"], activity[0]["assets"]) == (caller, "removed", 1)


def test_a_viewer_removes_nothing_and_a_stranger_finds_nothing(world):
    body = {"ids": [str(world.shared.pk)]}
    assert world.clients["viewer"].post(collection_url(world.collection, "assets/remove"), body,
                                        format="json").status_code == 403
    assert world.clients["stranger"].post(collection_url(world.collection, "assets/remove"), body,
                                          format="json").status_code == 404
    assert CollectionItem.objects.filter(collection=world.collection, asset=world.shared).exists()


def test_an_editors_asset_is_seen_by_the_owner_and_the_viewers_in_the_collection(world):
    editors_asset = world.own["editor"]
    world.clients["editor"].post(collection_url(world.collection, "assets"), {"ids": [str(editors_asset.pk)]},
                                 format="json")
    for caller in ("owner", "viewer", "team_viewer"):
        listed = world.clients[caller].get("/api/v1/assets/", {"collection": str(world.collection.pk)}).json()
        assert str(editors_asset.pk) in {row["id"] for row in listed["results"]}, caller
        assert world.clients[caller].get(asset_url(editors_asset)).status_code == 200
        # Still the editor's: nobody else edits it.
        assert world.clients[caller].patch(asset_url(editors_asset), {"title": "x"}, format="json").status_code == 403
    # The owner's own library does not gain it.
    library = world.clients["owner"].get("/api/v1/assets/").json()
    assert str(editors_asset.pk) not in {row["id"] for row in library["results"]}


def test_access_ends_at_once(world):
    viewer = world.clients["viewer"]
    team_viewer = world.clients["team_viewer"]
    assert viewer.get(asset_url(world.shared, "file")).status_code == 200
    grant = world.collection.grants.get(user__username="viewer")
    assert world.clients["owner"].delete(collection_url(world.collection, f"grants/{grant.pk}")).status_code == 204
    assert viewer.get(asset_url(world.shared, "file")).status_code == 404
    assert viewer.get(collection_url(world.collection)).status_code == 404

    team = world.users["team_viewer"].team_memberships.get().team
    assert team_viewer.delete(f"/api/v1/teams/{team.pk}/members/team_viewer/").status_code == 204  # leaving
    assert team_viewer.get(asset_url(world.shared)).status_code == 404
    assert team_viewer.get("/api/v1/assets/", {"collection": str(world.collection.pk)}).json()["results"] == []

    # Trashing an asset takes it out of every shared view at once.
    editor = world.clients["editor"]
    assert editor.get(asset_url(world.shared)).status_code == 200
    world.clients["owner"].delete(asset_url(world.shared))
    assert editor.get(asset_url(world.shared)).status_code == 404
    assert editor.get("/api/v1/assets/", {"collection": str(world.collection.pk)}).json()["results"] == []


def test_members_downloads_count_for_the_owner(world):
    world.clients["viewer"].get(asset_url(world.shared, "download"))
    world.shared.refresh_from_db()
    assert world.shared.download_count == 1
    stats = world.clients["owner"].get("/api/v1/stats/").json()
    assert json.dumps(stats).count('"downloads"') >= 1
    assert stats["totals"]["downloads"] == 1


def test_members_zip_a_shared_collection_until_their_access_ends(world, django_capture_on_commit_callbacks):
    import io
    import zipfile

    viewer = world.clients["viewer"]
    with django_capture_on_commit_callbacks(execute=True):
        response = viewer.post("/api/v1/assets/bulk/download/",
                               {"ids": [str(world.shared.pk), str(world.private.pk)]}, format="json")
    assert response.status_code == 202, response.content
    job = response.json()
    zipped = viewer.get(f"/api/v1/jobs/{job['id']}/download/")
    assert zipped.status_code == 200
    names = zipfile.ZipFile(io.BytesIO(b"".join(zipped.streaming_content))).namelist()
    assert any(name.startswith("Shared poster") for name in names), names
    assert not any("Private" in name for name in names)
    world.shared.refresh_from_db()
    assert world.shared.download_count == 1
    assert world.clients["owner"].get("/api/v1/stats/").json()["totals"]["downloads"] == 1

    with django_capture_on_commit_callbacks(execute=True):
        by_filter = viewer.post("/api/v1/assets/bulk/download/", {"filter": {"collection": str(world.collection.pk)}},
                                format="json")
    assert by_filter.status_code == 202 and by_filter.json()["total"] == 1

    grant = world.collection.grants.get(user__username="viewer")
    world.clients["owner"].delete(collection_url(world.collection, f"grants/{grant.pk}"))
    assert viewer.get(f"/api/v1/jobs/{job['id']}/download/").status_code == 404
    stranger = world.clients["stranger"]
    refused = stranger.post("/api/v1/assets/bulk/download/", {"ids": [str(world.shared.pk)]}, format="json")
    assert refused.status_code == 400  # nothing of theirs among them


@pytest.mark.parametrize("caller", CALLERS)
def test_the_pages_follow_the_same_rules(world, caller, client):
    client.force_login(world.users[caller])
    sees = caller not in ("former", "stranger")
    listed = client.get("/library/results/", {"collection": str(world.collection.pk)})
    assert listed.status_code == 200
    body = listed.content.decode()
    page = client.get(f"/library/assets/{world.shared.pk}/")
    private = client.get(f"/library/assets/{world.private.pk}/")
    people = client.get(f"/library/collections/{world.collection.pk}/people/")
    assert private.status_code == (200 if caller == "owner" else 404)
    if not sees:
        assert "Shared poster" not in body
        assert page.status_code == 404 and people.status_code == 404
    else:
        assert "Shared poster" in body
        assert page.status_code == 200 and people.status_code == 200
        # Only the owner is offered the controls over who has access.
        assert ("data-grant-form" in people.content.decode()) == (caller == "owner")
    if caller == "owner":
        return  # the secrets are theirs
    assert "Private plans" not in page.content.decode()
    for secret in world.secrets():
        assert secret not in body and secret not in people.content.decode()


@pytest.mark.parametrize("caller, role", [("viewer", "viewer"), ("team_editor", "editor"), ("stranger", None)])
def test_the_sidebar_lists_what_is_shared_with_me(world, caller, role, client):
    client.force_login(world.users[caller])
    page = client.get("/library/").content.decode()
    if role is None:
        assert "Shared with me" not in page
        return
    assert "Shared with me" in page
    assert f"owner · {role}" in page and f"?collection={world.collection.pk}" in page
    heading = client.get("/library/", {"collection": str(world.collection.pk)}).content.decode()
    assert "<h1" in heading and "Campaign" in heading


def test_the_teams_page_shows_only_my_teams_and_what_i_may_do(world, client):
    client.force_login(world.users["team_viewer"])
    page = client.get("/library/teams/").content.decode()
    assert "Viewers" in page and "Editors" not in page
    assert 'data-action="add"' not in page and 'data-action="leave"' in page
    client.force_login(world.users["owner"])
    page = client.get("/library/teams/").content.decode()
    assert "Viewers" in page and "Editors" in page and 'data-action="add"' in page
    fragment = client.get("/library/teams/fragment/")
    assert fragment.status_code == 200 and b"data-swap=\"team-list\"" in fragment.content
