import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count

from analytics.models import UsageEvent, UsageEventKind, UsageSource
from analytics.services import usage_event_record, usage_events_record_many
from assets import services
from assets.models import Asset
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


def _events(**filters):
    return list(UsageEvent.objects.filter(**filters).order_by("id").values_list("asset_id", "kind", "source"))


def _assert_counters_agree_with_events():
    counted = {
        (row["asset_id"], row["kind"]): row["n"]
        for row in UsageEvent.objects.filter(asset__isnull=False).values("asset_id", "kind").annotate(n=Count("id"))
    }
    for asset in Asset.objects.all():
        assert asset.download_count == counted.get((asset.pk, UsageEventKind.DOWNLOADED), 0)
        assert asset.share_count == counted.get((asset.pk, UsageEventKind.SHARED), 0)


class TestRecording:
    def test_an_event_belongs_to_its_assets_owner(self, user):
        asset = AssetFactory(owner=user)

        event = usage_event_record(asset=asset, kind=UsageEventKind.VIEWED, source=UsageSource.SHARE,
                                   share_link_id=uuid.UUID(int=7))

        event.refresh_from_db()
        assert (event.owner_id, event.asset_id, event.kind, event.source) == (user.pk, asset.pk, "viewed", "share")
        assert event.share_link_id == uuid.UUID(int=7)
        assert event.created_at is not None

    def test_unknown_kinds_and_sources_are_refused(self, user):
        asset = AssetFactory(owner=user)

        with pytest.raises(ValidationError) as error:
            usage_event_record(asset=asset, kind="liked", source="email")

        assert set(error.value.message_dict) == {"kind", "source"}
        with pytest.raises(ValidationError):
            usage_events_record_many(owner=user, asset_ids=[asset.pk], kind="liked")
        assert not UsageEvent.objects.exists()

    def test_an_asset_and_another_owner_do_not_mix(self, user, other_user):
        with pytest.raises(ValueError):
            usage_event_record(owner=other_user, asset=AssetFactory(owner=user), kind=UsageEventKind.VIEWED)

    def test_many_events_in_one_batch_at_one_moment(self, user, django_assert_num_queries):
        assets = AssetFactory.create_batch(3, owner=user)

        with django_assert_num_queries(1):
            recorded = usage_events_record_many(
                owner=user, asset_ids=[a.pk for a in assets], kind=UsageEventKind.VIEWED, source=UsageSource.UI
            )

        assert recorded == 3
        assert {event[0] for event in _events()} == {a.pk for a in assets}
        assert UsageEvent.objects.values("created_at").distinct().count() == 1
        with django_assert_num_queries(0):
            assert usage_events_record_many(owner=user, asset_ids=[], kind=UsageEventKind.VIEWED) == 0


class TestAssetServicesRecordEvents:
    def test_created_only_when_really_created(self, user, png_bytes):
        first = services.asset_create(owner=user, source_module="image_studio", external_id="gen-1",
                                      file=SimpleUploadedFile("a.png", png_bytes), source=UsageSource.UI)
        services.asset_create(owner=user, source_module="image_studio", external_id="gen-1",
                              file=SimpleUploadedFile("a.png", png_bytes))
        services.asset_create(owner=user, source_module="upload", file=SimpleUploadedFile("b.png", png_bytes))

        assert _events() == [(first.asset.pk, "created", "ui")]

    def test_a_failed_create_records_nothing(self, user):
        with pytest.raises(ValidationError):
            services.asset_create(owner=user, source_module="image_studio", type="image")  # completed, no file

        assert not UsageEvent.objects.exists()

    def test_edited_once_per_update_that_changes_something(self, user):
        asset = AssetFactory(owner=user)

        services.asset_update(asset=asset, title="New", tags=["x"], source=UsageSource.UI)
        services.asset_update(asset=asset)

        assert _events() == [(asset.pk, "edited", "ui")]

    def test_deleted_for_exactly_the_assets_trashed(self, user, other_user):
        live = AssetFactory.create_batch(2, owner=user)
        already = AssetFactory(owner=user, deleted_at="2024-01-01T00:00:00Z")
        theirs = AssetFactory(owner=other_user)

        trashed = services.assets_trash(owner=user, ids=[*(a.pk for a in live), already.pk, theirs.pk])

        assert trashed == 2
        assert sorted(_events()) == sorted([(a.pk, "deleted", "api") for a in live])
        assert Asset.objects.get(pk=theirs.pk).deleted_at is None

    def test_trashing_many_takes_a_fixed_number_of_queries(self, user, django_assert_max_num_queries):
        ids = [a.pk for a in AssetFactory.create_batch(25, owner=user)]

        with django_assert_max_num_queries(5):  # not one query per asset
            assert services.assets_trash(owner=user, ids=ids) == 25

        assert UsageEvent.objects.filter(kind="deleted").count() == 25

    def test_restored_for_exactly_the_assets_restored(self, user):
        trashed = AssetFactory(owner=user, deleted_at="2024-01-01T00:00:00Z")
        live = AssetFactory(owner=user)

        services.asset_restore(asset=trashed, source=UsageSource.UI)
        restored = services.assets_restore(owner=user, ids=[trashed.pk, live.pk])

        assert restored == 0
        assert _events() == [(trashed.pk, "restored", "ui")]

    def test_a_permanent_delete_keeps_the_history(self, user):
        kept_in_library = AssetFactory(owner=user)
        from_trash = AssetFactory(owner=user)
        services.asset_record_download(asset=kept_in_library)
        services.asset_trash(asset=from_trash)

        services.asset_delete_permanently(asset=kept_in_library)
        services.asset_delete_permanently(asset=Asset.objects.get(pk=from_trash.pk))

        assert not Asset.objects.exists()
        assert _events() == [(None, "downloaded", "api"), (None, "deleted", "api"), (None, "deleted", "api")]
        assert set(UsageEvent.objects.values_list("owner_id", flat=True)) == {user.pk}


class TestCounters:
    def test_a_download_moves_the_counter_and_records_the_event(self, user):
        asset = AssetFactory(owner=user)

        services.asset_record_download(asset=asset, source=UsageSource.UI)
        services.asset_record_download(asset=asset)

        asset.refresh_from_db()
        assert asset.download_count == 2
        assert _events() == [(asset.pk, "downloaded", "ui"), (asset.pk, "downloaded", "api")]

    def test_shares_count_the_owners_live_assets_only(self, user, other_user, django_assert_max_num_queries):
        mine = AssetFactory.create_batch(2, owner=user)
        trashed = AssetFactory(owner=user, deleted_at="2024-01-01T00:00:00Z")
        theirs = AssetFactory(owner=other_user)
        link = uuid.uuid4()

        with django_assert_max_num_queries(5):
            shared = services.assets_record_shared(
                owner=user, asset_ids=[*(a.pk for a in mine), trashed.pk, theirs.pk],
                source=UsageSource.SHARE, share_link_id=link,
            )

        assert shared == 2
        assert sorted(_events()) == sorted((a.pk, "shared", "share") for a in mine)
        assert set(UsageEvent.objects.values_list("share_link_id", flat=True)) == {link}
        assert Asset.objects.get(pk=trashed.pk).share_count == 0
        assert Asset.objects.get(pk=theirs.pk).share_count == 0

    def test_counters_always_agree_with_the_events(self, user):
        assets = AssetFactory.create_batch(3, owner=user)
        for asset in assets[:2]:
            services.asset_record_download(asset=asset)
        services.asset_record_download(asset=assets[0])
        services.assets_record_shared(owner=user, asset_ids=[a.pk for a in assets])
        services.assets_record_shared(owner=user, asset_ids=[assets[2].pk])
        services.assets_trash(owner=user, ids=[assets[1].pk])

        _assert_counters_agree_with_events()
        assert [a.download_count for a in Asset.objects.order_by("-download_count", "-share_count")] == [2, 1, 0]
