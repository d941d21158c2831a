"""Each tag's count of live assets (TagCount), kept by triggers on PostgreSQL: after any
write, whatever path it takes, the counts equal a recount of the links, and the tag list
answers from them."""

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from assets import services
from assets.models import Asset, Tag, TagCount, TaggedAsset
from assets.tagging import add_auto_tags, bulk_add_tags, bulk_remove_tags, set_manual_tags
from assets.tests.factories import AssetFactory
from assets.upkeep import tag_counts_rebuild

pytestmark = [pytest.mark.django_db, pytest.mark.postgres, pytest.mark.usefixtures("require_postgres")]


def recount() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT l.tag_id, count(*) FROM assets_taggedasset l JOIN assets_asset a ON a.id = l.content_object_id "
            "WHERE a.deleted_at IS NULL GROUP BY l.tag_id"
        )
        return dict(cursor.fetchall())


def kept() -> dict:
    return dict(TagCount.objects.exclude(assets=0).values_list("tag_id", "assets"))


def assert_counts_right():
    assert kept() == recount()
    owners = dict(Tag.objects.values_list("pk", "owner_id"))
    assert all(owners[tag] == owner for tag, owner in TagCount.objects.values_list("tag_id", "owner_id"))


@pytest.fixture
def tagged(user, other_user):
    made = [AssetFactory(owner=user, tags=["sunset", "coast"]) for _ in range(3)]
    made.append(AssetFactory(owner=user, tags=["sunset"]))
    AssetFactory(owner=other_user, tags=["sunset", "night"])
    return made


def test_new_assets_with_tags_count(tagged):
    assert_counts_right()
    assert TagCount.objects.get(tag__owner=tagged[0].owner, tag__name="sunset").assets == 4


def test_every_tag_edit_counts(user, tagged):
    set_manual_tags(tagged[0], ["coast", "harbour"])
    add_auto_tags(tagged[1], ["lighthouse", "coast"])
    ids = [asset.pk for asset in tagged]
    bulk_add_tags(ids, ["campaign"], owner_id=user.pk)
    bulk_remove_tags(ids[:2], ["sunset"], owner_id=user.pk)
    assert_counts_right()
    services.assets_bulk_update(owner=user, assets=Asset.objects.filter(pk__in=ids), add_tags=["q3"],
                                remove_tags=["coast"])
    assert_counts_right()


def test_the_trash_and_back_count(user, tagged):
    services.assets_trash(owner=user, ids=[tagged[0].pk, tagged[1].pk])
    assert_counts_right()
    assert TagCount.objects.get(tag__owner=user, tag__name="sunset").assets == 2

    set_manual_tags(Asset.objects.get(pk=tagged[0].pk), ["trashed-only"])  # a trashed asset's tags never count
    assert_counts_right()
    services.assets_restore(owner=user, ids=[tagged[0].pk, tagged[1].pk])
    assert_counts_right()


def test_deletes_count(user, tagged):
    services.asset_delete_permanently(asset=tagged[0])
    services.assets_trash(owner=user, ids=[tagged[1].pk])
    services.assets_delete_permanently(owner=user, ids=[tagged[1].pk])
    assert_counts_right()

    Tag.objects.filter(owner=user, name="coast").delete()
    assert_counts_right()
    assert not TagCount.objects.filter(tag__name="coast").exists()


def test_renaming_a_tag_keeps_its_count(user, tagged):
    tag = Tag.objects.get(owner=user, name="sunset")
    tag.name = "Sunset glow"
    tag.save()

    assert_counts_right()


def test_links_written_before_their_assets_count(user):
    """As seed_bulk loads: the links first (their asset checked at commit), then the assets."""
    tag = Tag.objects.create(owner=user, name="early", slug="early")
    asset = AssetFactory.build(owner=user)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        TaggedAsset.objects.bulk_create([TaggedAsset(content_object_id=asset.pk, tag=tag)])
        Asset.objects.bulk_create([asset])

    assert_counts_right()
    assert TagCount.objects.get(tag=tag).assets == 1


def test_the_tag_list_reads_the_counts(api, tagged):
    response = api.get("/api/v1/tags/")

    assert response.json() == [{"name": "sunset", "count": 4}, {"name": "coast", "count": 3}]
    assert api.get("/api/v1/tags/", {"q": "OAS"}).json() == [{"name": "coast", "count": 3}]
    services.assets_trash(owner=api.user, ids=[asset.pk for asset in tagged])
    assert api.get("/api/v1/tags/").json() == []


def test_a_rebuild_repairs_the_counts(tagged):
    TagCount.objects.update(assets=99)

    assert tag_counts_rebuild() is True
    assert_counts_right()
    TagCount.objects.update(assets=7)
    call_command("rebuild_stats", verbosity=0)
    assert_counts_right()
