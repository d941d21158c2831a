import pytest
from django.test import Client

from analytics.tests.factories import UsageEventFactory
from assets.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_operators_read_the_usage_history_and_cannot_change_it():
    operator = UserFactory(is_staff=True, is_superuser=True)
    event = UsageEventFactory(kind="downloaded", source="ui")
    client = Client()
    client.force_login(operator)

    listing = client.get("/admin/analytics/usageevent/", {"q": event.owner.username})
    detail = client.get(f"/admin/analytics/usageevent/{event.pk}/change/")

    assert listing.status_code == 200
    assert event.owner.username in listing.content.decode()
    assert detail.status_code == 200
    assert client.post(f"/admin/analytics/usageevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/analytics/usageevent/add/").status_code == 403
