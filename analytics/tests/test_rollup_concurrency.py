"""Concurrent writers of one owner's library share rollup rows: they must queue, never deadlock.

PostgreSQL only (SQLite has one writer at a time); real transactions in threads.
"""

import threading
import time

import pytest
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from analytics.models import UsageEventKind
from analytics.rollups import rollups_rebuild
from analytics.services import usage_event_record
from assets.models import Asset, AssetType
from assets.tests.factories import AssetFactory, UserFactory
from conftest import require_service

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres():
    if connection.vendor != "postgresql":
        require_service("PostgreSQL", "set DATABASE_URL=postgres://...")


def run_all(*transactions):
    outcome = {}

    def run(name, body):
        try:
            body()
            outcome[name] = "ok"
        except DatabaseError as exc:
            outcome[name] = f"{type(exc).__name__}: {str(exc).splitlines()[0]}"
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(name, body)) for name, body in transactions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcome


def text_asset(owner, **fields):
    return AssetFactory(owner=owner, file="", type=AssetType.TEXT, text_content="x", created_at=timezone.now(),
                        **fields)


def test_a_download_and_a_new_asset_of_the_same_group_both_commit():
    user = UserFactory()
    old = text_asset(user)
    counted = threading.Event()

    def download():  # the counter, then (a moment later) the event, as asset_record_download
        with transaction.atomic():
            Asset.objects.filter(pk=old.pk).update(download_count=F("download_count") + 1)
            counted.set()
            time.sleep(0.5)
            usage_event_record(asset=old, kind=UsageEventKind.DOWNLOADED)

    def create():
        counted.wait(5)
        with transaction.atomic():
            Asset.objects.create(owner=user, type=AssetType.TEXT, text_content="y", source_module=old.source_module,
                                 status=old.status, model=old.model, cost=old.cost)

    assert run_all(("download", download), ("create", create)) == {"download": "ok", "create": "ok"}
    assert_rollups_are_exact()


def test_two_transactions_editing_different_assets_in_crossed_groups_both_commit():
    user = UserFactory()
    x1, x2 = text_asset(user), text_asset(user)
    y1, y2 = text_asset(user, source_module="blog_writer"), text_asset(user, source_module="blog_writer")
    first_done = threading.Event()

    def edit(first, second, wait_for=None):
        def body():
            if wait_for is not None:
                wait_for.wait(5)
            with transaction.atomic():
                Asset.objects.filter(pk=first.pk).update(is_favorite=True)
                if wait_for is None:
                    first_done.set()
                    time.sleep(0.5)
                Asset.objects.filter(pk=second.pk).update(is_favorite=True)
        return body

    outcome = run_all(("a", edit(x1, y1)), ("b", edit(y2, x2, wait_for=first_done)))

    assert outcome == {"a": "ok", "b": "ok"}
    assert Asset.objects.filter(is_favorite=True).count() == 4
    assert_rollups_are_exact()


def assert_rollups_are_exact():
    from analytics.tests.test_rollups import snapshot

    kept = snapshot()
    rollups_rebuild()
    assert kept == snapshot()
