"""Two requests of one owner creating the same new tag at once (e.g. uploads auto-tagged together)."""

import pytest
from django.db import transaction

from assets import tagging
from assets.models import Tag

pytestmark = pytest.mark.django_db


def test_losing_the_race_to_create_a_tag_reuses_the_winners_row(monkeypatch, user):
    winner = Tag.objects.create(owner=user, name="Sunset")
    calls = []

    def not_seen_the_first_time(owner_id, name):
        # As if another request inserted the tag between our look-up and our insert.
        calls.append(name)
        return None if len(calls) == 1 else Tag.objects.filter(owner_id=owner_id, name__iexact=name).first()

    monkeypatch.setattr(tagging, "_existing_tag", not_seen_the_first_time)
    with transaction.atomic():
        tags = tagging.tags_for_names(owner_id=user.pk, names=["Sunset"])
        assert Tag.objects.count() == 1  # the transaction is still usable
    assert [t.pk for t in tags] == [winner.pk]


def test_new_names_are_created_once(user):
    first = tagging.tags_for_names(owner_id=user.pk, names=["Harbour", "dawn"])
    again = tagging.tags_for_names(owner_id=user.pk, names=["harbour", "DAWN"])
    assert [t.pk for t in first] == [t.pk for t in again]
    assert Tag.objects.count() == 2
