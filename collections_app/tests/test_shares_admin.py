import datetime as dt

import pytest
from django.utils import timezone

from assets.tests.factories import AssetFactory, UserFactory
from collections_app.models import ShareLink
from collections_app.tests.factories import ShareLinkFactory

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/collections_app/sharelink/"


def test_changelist_shows_owner_kind_asset_count_and_state(admin_client):
    owner = UserFactory(username="painter")
    assets = AssetFactory.create_batch(2, owner=owner)
    AssetFactory(owner=owner, trashed=True)
    link = ShareLinkFactory(owner=owner, title="For Anna", assets=[*assets], view_count=7)

    response = admin_client.get(CHANGELIST)

    assert response.status_code == 200
    [row] = response.context["cl"].result_list
    assert (row.pk, row.owner.username, row.kind, row.asset_count, row.view_count) == (
        link.pk, "painter", "selection", 2, 7
    )
    assert b"For Anna" in response.content and b"painter" in response.content


def test_change_page_shows_the_token_read_only_and_never_the_password(admin_client):
    link = ShareLinkFactory(password="hunter22")

    response = admin_client.get(f"{CHANGELIST}{link.pk}/change/")

    assert response.status_code == 200
    content = response.content.decode()
    assert link.token in content and 'name="token"' not in content
    assert link.password_hash not in content and "hunter22" not in content


def test_links_cannot_be_added_in_the_admin(admin_client):
    assert admin_client.get(f"{CHANGELIST}add/").status_code == 403


def test_revoke_action(admin_client):
    open_link = ShareLinkFactory()
    earlier = timezone.now() - dt.timedelta(days=3)
    revoked = ShareLinkFactory(revoked_at=earlier)

    response = admin_client.post(
        CHANGELIST, {"action": "revoke_links", "_selected_action": [open_link.pk, revoked.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Revoked 1 share link(s)." in response.content.decode()
    assert ShareLink.objects.get(pk=open_link.pk).revoked_at is not None
    assert ShareLink.objects.get(pk=revoked.pk).revoked_at == earlier


def test_state_filter(admin_client):
    open_link = ShareLinkFactory()
    ShareLinkFactory(revoked_at=timezone.now())

    response = admin_client.get(CHANGELIST, {"state": "active"})

    assert [row.pk for row in response.context["cl"].result_list] == [open_link.pk]
