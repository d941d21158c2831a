"""/teams/ and /collections/{id}/grants/: who belongs, who is granted what, and the trail."""

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from assets.tests.factories import AssetFactory, UserFactory
from collections_app import services
from collections_app.models import CollectionGrant, CollectionItem, Team, TeamMembership
from collections_app.tests.factories import CollectionFactory
from conftest import collection_url

pytestmark = pytest.mark.django_db

TEAMS = "/api/v1/teams/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def team_url(team, rest=""):
    return f"{TEAMS}{team.pk if hasattr(team, 'pk') else team}/{rest}"


def test_a_team_is_made_by_its_first_admin_and_seen_only_by_its_members(api, other_api):
    response = api.post(TEAMS, {"name": "  Design   crew "}, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["name"] == "Design crew"
    assert body["members"] == [{"username": api.user.username, "role": "admin"}]
    assert set(body) == {"id", "name", "members", "created_at"}
    assert other_api.get(team_url(body["id"])).status_code == 404
    assert other_api.get(TEAMS).json()["results"] == []
    assert api.get(TEAMS).json()["count"] == 1


@pytest.mark.parametrize("name, message", [("", "name"), ("x" * 101, "name"), (None, "name"), (5, "name")])
def test_team_names_are_checked(api, name, message):
    response = api.post(TEAMS, {"name": name}, format="json")
    assert response.status_code == 400
    assert message in response.json()


def test_team_names_are_unique_on_the_instance_whatever_the_case(api, other_api):
    api.post(TEAMS, {"name": "Studio"}, format="json")
    response = other_api.post(TEAMS, {"name": "STUDIO"}, format="json")
    assert response.status_code == 400
    assert "name" in response.json()


def test_admins_add_and_remove_members_and_members_may_only_leave(api, other_user, user):
    team = services.team_create(creator=user, name="Crew")
    third = UserFactory(username="third")

    added = api.post(team_url(team, "members/"), {"username": other_user.username, "role": "member"}, format="json")
    assert added.status_code == 201
    assert {m["username"]: m["role"] for m in added.json()["members"]} == {user.username: "admin",
                                                                           other_user.username: "member"}
    assert api.post(team_url(team, "members/"), {"username": other_user.username, "role": "admin"},
                    format="json").status_code == 200  # only the role changed
    assert api.post(team_url(team, "members/"), {"username": "nobody"}, format="json").json().keys() == {"username"}
    assert api.post(team_url(team, "members/"), {"username": "third", "role": "boss"},
                    format="json").status_code == 400

    member = client_for(third)
    services.team_member_set(team=team, username="third", role="member")
    assert member.patch(team_url(team), {"name": "Mine now"}, format="json").status_code == 403
    assert member.delete(team_url(team, f"members/{user.username}/")).status_code == 403
    assert member.delete(team_url(team)).status_code == 403
    assert member.delete(team_url(team, "members/third/")).status_code == 204  # leaving
    assert member.get(team_url(team)).status_code == 404


def test_the_last_admin_cannot_leave_but_may_delete_the_team(api, user):
    team = services.team_create(creator=user, name="Solo")
    response = api.delete(team_url(team, f"members/{user.username}/"))
    assert response.status_code == 400 and "username" in response.json()
    assert api.post(team_url(team, "members/"), {"username": user.username, "role": "member"},
                    format="json").status_code == 400
    assert api.delete(team_url(team)).status_code == 204
    assert not Team.objects.exists()


def test_grants_by_username_and_by_team_name(api, user, other_user):
    collection = CollectionFactory(owner=user)
    services.team_create(creator=user, name="Reviewers")
    url = collection_url(collection, "grants")

    first = api.post(url, {"grantee": {"type": "user", "name": other_user.username}, "role": "viewer"}, format="json")
    assert first.status_code == 201
    assert first.json()["grantee"] == {"type": "user", "name": other_user.username}
    assert set(first.json()) == {"id", "grantee", "role", "created_at"}
    again = api.post(url, {"grantee": {"type": "user", "name": other_user.username}, "role": "editor"}, format="json")
    assert again.status_code == 200 and again.json()["role"] == "editor"
    assert api.post(url, {"grantee": {"type": "team", "name": "reviewers"}, "role": "viewer"},
                    format="json").status_code == 201
    listed = api.get(url).json()
    assert listed["count"] == 2 and [g["grantee"]["type"] for g in listed["results"]] == ["user", "team"]

    for bad in ({"type": "user", "name": "ghost"}, {"type": "team", "name": "Nobody's"},
                {"type": "robot", "name": "x"}, {"type": "user", "name": user.username}):
        response = api.post(url, {"grantee": bad, "role": "viewer"}, format="json")
        assert response.status_code == 400 and "grantee" in response.json(), bad
    assert "role" in api.post(url, {"grantee": {"type": "user", "name": other_user.username}, "role": "owner"},
                              format="json").json()

    # A team the owner is not in cannot be granted.
    services.team_create(creator=other_user, name="Theirs")
    assert api.post(url, {"grantee": {"type": "team", "name": "Theirs"}, "role": "viewer"},
                    format="json").status_code == 400

    grant = CollectionGrant.objects.get(user=other_user)
    assert api.delete(collection_url(collection, f"grants/{grant.pk}")).status_code == 204
    assert api.delete(collection_url(collection, f"grants/{grant.pk}")).status_code == 404
    verbs = [(e["verb"], e["target"]) for e in api.get(collection_url(collection, "activity")).json()["results"]]
    assert verbs == [("revoked", f"user {other_user.username}"), ("granted", "team Reviewers as viewer"),
                     ("granted", f"user {other_user.username} as editor"),
                     ("granted", f"user {other_user.username} as viewer")]


def test_the_highest_role_wins(user, other_user):
    collection = CollectionFactory(owner=user)
    team = services.team_create(creator=user, name="Makers")
    services.team_member_set(team=team, username=other_user.username, role="member")
    services.grant_set(collection=collection, actor=user, grantee_type="user", name=other_user.username,
                       role="viewer")
    services.grant_set(collection=collection, actor=user, grantee_type="team", name="Makers", role="editor")

    shared = client_for(other_user).get("/api/v1/collections/", {"shared": "true"}).json()["results"]
    assert [(c["role"], c["owner"]) for c in shared] == [("editor", user.username)]
    mine = AssetFactory(owner=other_user)
    assert client_for(other_user).post(collection_url(collection, "assets"), {"ids": [str(mine.pk)]},
                                       format="json").json() == {"added": 1, "not_found": []}


def test_renames_and_additions_are_in_the_activity_newest_first(api, user, other_user):
    collection = CollectionFactory(owner=user, name="Before")
    services.grant_set(collection=collection, actor=user, grantee_type="user", name=other_user.username,
                       role="editor")
    editor = client_for(other_user)
    theirs = AssetFactory.create_batch(2, owner=other_user)
    editor.post(collection_url(collection, "assets"), {"ids": [str(a.pk) for a in theirs]}, format="json")
    editor.patch(collection_url(collection), {"name": "After"}, format="json")

    page = editor.get(collection_url(collection, "activity"), {"page_size": 2}).json()
    assert page["count"] == 3 and page["next"]
    assert [(e["actor"], e["verb"], e["assets"], e["target"]) for e in page["results"]] == [
        (other_user.username, "renamed", 0, "After"), (other_user.username, "added", 2, "")]


def test_a_team_rename_without_a_name_changes_nothing(api, user):
    team = services.team_create(creator=user, name="Same")
    assert api.patch(team_url(team), {}, format="json").json()["name"] == "Same"


def test_shared_is_a_boolean(api):
    assert api.get("/api/v1/collections/", {"shared": "perhaps"}).json().keys() == {"shared"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("require_postgres")
def test_an_add_racing_a_revocation_ends_consistent():
    """An editor adds while the owner revokes them: either the add happened before the
    revocation (the asset is in and the grant gone), or it is refused; never an asset
    added by someone who had no grant when it was added."""
    owner, editor = UserFactory(username="race_owner"), UserFactory(username="race_editor")
    collection = CollectionFactory(owner=owner)
    grant, _ = services.grant_set(collection=collection, actor=owner, grantee_type="user", name="race_editor",
                                  role="editor")
    assets = AssetFactory.create_batch(20, owner=editor)
    outcomes = {}
    barrier = threading.Barrier(2)

    def add():
        try:
            barrier.wait()
            outcomes["added"] = services.collection_add_assets(
                collection=collection, actor=editor,
                assets=type(assets[0]).objects.filter(pk__in=[a.pk for a in assets]))
        except Exception as error:  # noqa: BLE001 - the refusal is an outcome
            outcomes["added"] = error
        finally:
            connection.close()

    def revoke():
        try:
            barrier.wait()
            services.grant_revoke(grant=grant, actor=owner)
        finally:
            connection.close()

    threads = [threading.Thread(target=add), threading.Thread(target=revoke)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert not CollectionGrant.objects.filter(pk=grant.pk).exists()
    in_collection = CollectionItem.objects.filter(collection=collection).count()
    if isinstance(outcomes["added"], int):
        assert in_collection == outcomes["added"] == 20
        verbs = list(collection.activity.order_by("created_at", "id").values_list("verb", flat=True))
        assert verbs.index("added") < verbs.index("revoked")
    else:
        assert in_collection == 0
    assert TeamMembership.objects.count() == 0
