"""`manage.py seed_demo_sharing`: the demo user finds a teammate's collection shared with them."""

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from collections_app.models import Collection, CollectionGrant, Team

pytestmark = pytest.mark.django_db


def test_the_demo_user_finds_a_shared_collection_and_a_rerun_changes_nothing(django_user_model):
    call_command("seed_demo", "--assets", "12", stdout=None)
    call_command("seed_demo_sharing", "--assets", "12")
    call_command("seed_demo_sharing", "--assets", "12")

    demo = django_user_model.objects.get(username="demo")
    client = APIClient()
    client.force_authenticate(demo)
    [shared] = client.get("/api/v1/collections/", {"shared": "true"}).json()["results"]
    assert (shared["name"], shared["owner"], shared["role"]) == ("Brand refresh", "alex", "editor")
    assert shared["asset_count"] >= 10  # up to 12 of the teammate's assets outside the trash
    listed = client.get("/api/v1/assets/", {"collection": shared["id"]}).json()
    assert listed["count"] == shared["asset_count"]
    assert (Team.objects.count(), Collection.objects.filter(name="Brand refresh").count(),
            CollectionGrant.objects.count()) == (1, 1, 1)
    assert django_user_model.objects.get(username="alex").check_password("demo-pass-123")
