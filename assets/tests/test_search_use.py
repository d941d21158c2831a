"""A search within used or never-used assets (`q` with `used`).

On PostgreSQL each search row says whether its asset was ever used ("0used=true" or
"0used=false", assets.sql), so the index answers such a search alone. The mark follows the
usage count when it leaves 0 or returns to it, and nothing else rewrites the row: the trash
and counters leave it as it is (a star changes its favourite mark only: test_search_favorites).
Everywhere, the answers are those of the filter over the assets' own counts.
"""


import pytest
from django.db import connection

from assets import services
from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.listing import filter_lexemes, found, ids, search_rows_rewritten_alike
from assets.usages import usage_delete, usage_record

on_postgres = pytest.mark.usefixtures("require_postgres")


def use(asset, ref="post-1"):
    usage, created = usage_record(asset=asset, source_module="blog_writer", kind="published",
                                  target_title="Ten tips", external_ref=ref)
    assert created
    return usage


def marks(asset) -> list[str]:
    return filter_lexemes(asset, "0used=")


def row_version(asset) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT xmin::text FROM assets_assetsearch WHERE asset_id = %s", [asset.pk])
        return cursor.fetchone()[0]


@pytest.fixture
def library(api, other_api):
    user = api.user
    return {
        "never": AssetFactory(owner=user, bare=True, type="text", title="Misty lighthouse"),
        "used": AssetFactory(owner=user, bare=True, title="Misty harbour", usage_count=2),
        "image": AssetFactory(owner=user, bare=True, type="image", title="Misty pier"),
        "other_word": AssetFactory(owner=user, bare=True, title="Sunny beach"),
        "trashed": AssetFactory(owner=user, bare=True, title="Misty cliffs"),
        "elsewhere": AssetFactory(owner=other_api.user, bare=True, title="Misty lighthouse"),
        "elsewhere_used": AssetFactory(owner=other_api.user, bare=True, title="Misty harbour", usage_count=1),
    }


@pytest.mark.django_db
def test_a_search_within_used_or_never_used_assets_follows_their_usages(api, library):
    services.assets_trash(owner=api.user, ids=[library["trashed"].pk])
    assert found(api, q="misty", used="false") == ids(library, "never", "image")
    assert found(api, q="misty", used="true") == ids(library, "used")
    assert found(api, q="mist", used="false", type="image") == ids(library, "image")

    usage = use(library["never"])
    assert found(api, q="misty", used="true") == ids(library, "used", "never")
    assert found(api, q="misty", used="false") == ids(library, "image")

    use(library["never"], ref="post-2")  # a second usage changes nothing
    usage_delete(usage=usage)
    assert found(api, q="misty", used="true") == ids(library, "used", "never")

    for usage in library["never"].usages.all():
        usage_delete(usage=usage)
    assert found(api, q="misty", used="false") == ids(library, "never", "image")
    assert found(api, q="misty", used="true") == ids(library, "used")
    # In the trash, the same.
    assert found(api, q="misty", used="false", in_trash="true") == ids(library, "trashed")
    assert found(api, q="misty", used="true", in_trash="true") == set()


@pytest.mark.django_db
def test_the_library_page_searches_within_never_used_assets(client, api, library):
    client.force_login(api.user)
    page = client.get("/library/", {"q": "misty", "used": "false"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Misty lighthouse" in text and "Misty pier" in text and "Misty harbour" not in text


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_each_search_row_says_once_whether_its_asset_is_used(api, library):
    assert marks(library["never"]) == ["0used=false"] and marks(library["used"]) == ["0used=true"]

    usage = use(library["never"])
    assert marks(library["never"]) == ["0used=true"]
    usage_delete(usage=usage)
    assert marks(library["never"]) == ["0used=false"]

    # A saved asset (every column written) and edits keep the mark.
    asset = Asset.objects.get(pk=library["used"].pk)
    asset.title = "Misty harbour at night"
    asset.save()
    assert marks(asset) == ["0used=true"]


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_the_trash_and_counters_leave_the_search_rows_alone(api, library):
    asset = library["never"]
    before = row_version(asset)

    Asset.objects.filter(pk=asset.pk).update(download_count=5, share_count=2)
    services.assets_trash(owner=api.user, ids=[asset.pk])
    Asset.objects.filter(pk=asset.pk).update(usage_count=0)  # no change of use either

    assert row_version(asset) == before


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_the_migration_marks_the_search_rows_there_are(library):
    def unmarked():
        assert all(not marks(asset) for asset in library.values())

    assert search_rows_rewritten_alike("0029_search_rows_know_use", undo="UNMARK_USE", redo="MARK_USE",
                                       undone=unmarked)
