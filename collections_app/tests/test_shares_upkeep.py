import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from assets.models import Asset
from assets.tests.factories import AssetFactory
from collections_app import tasks
from collections_app.models import ShareLink, ShareLinkItem
from collections_app.tests.factories import ShareLinkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def links(user):
    now = timezone.now()
    return {
        "open": ShareLinkFactory(owner=user),
        "open_with_expiry": ShareLinkFactory(owner=user, expires_at=now + dt.timedelta(days=1)),
        "just_expired": ShareLinkFactory(owner=user, expires_at=now - dt.timedelta(hours=1)),
        "long_expired": ShareLinkFactory(
            owner=user, expires_at=now - dt.timedelta(days=100), assets=[AssetFactory(owner=user)]
        ),
        "recently_revoked": ShareLinkFactory(owner=user, revoked_at=now - dt.timedelta(days=89)),
        "long_revoked": ShareLinkFactory(owner=user, revoked_at=now - dt.timedelta(days=91)),
    }


def run(*args) -> tuple[str, dict]:
    out = StringIO()
    call_command("expire_shares", *args, stdout=out)
    line = out.getvalue().strip()
    return line, json.loads(line.split(": ", 1)[1])


def test_dry_run_reports_and_changes_nothing(links):
    line, summary = run("--dry-run")

    assert line.startswith("[dry run] expire_shares: ")
    assert summary == {"retention_days": 90, "expired": 2, "deleted": 2}
    assert ShareLink.objects.count() == 6
    assert ShareLink.objects.filter(revoked_at__isnull=False).count() == 2  # the two revoked by hand


def test_expired_links_end_at_their_expiry_and_long_ended_ones_go(links):
    line, summary = run()

    assert line.startswith("expire_shares: ")
    assert summary == {"retention_days": 90, "expired": 2, "deleted": 2}
    remaining = {link.pk: link for link in ShareLink.objects.all()}
    assert set(remaining) == {links[name].pk for name in ("open", "open_with_expiry", "just_expired",
                                                         "recently_revoked")}
    just_expired = remaining[links["just_expired"].pk]
    assert just_expired.revoked_at == just_expired.expires_at
    assert remaining[links["open"].pk].revoked_at is None
    assert remaining[links["open_with_expiry"].pk].revoked_at is None
    assert not ShareLinkItem.objects.exists()  # the deleted link's items went with it
    assert Asset.objects.count() == 1  # the assets stay


def test_it_is_idempotent_and_the_task_does_the_same(links):
    run()

    assert tasks.expire_shares.delay().get() == {"retention_days": 90, "expired": 0, "deleted": 0}
    assert ShareLink.objects.count() == 4


def test_deletes_in_batches(user, monkeypatch):
    from collections_app import services

    monkeypatch.setattr(services, "SHARE_DELETE_BATCH", 2)
    ended = timezone.now() - dt.timedelta(days=200)
    ShareLinkFactory.create_batch(5, owner=user, revoked_at=ended)

    assert run()[1]["deleted"] == 5
    assert not ShareLink.objects.exists()
