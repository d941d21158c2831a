"""A search within the favourites (`q` with `favorites=true`).

On PostgreSQL a favourite's search row holds "0favorite=true" (assets.sql), so the index
answers such a search alone. The mark follows the star, however it is set (one asset, a
bulk edit, a save of the whole asset); everywhere, the answers are those of the filter over
the assets' own stars.
"""


import pytest
from django.db import connection

from assets import services, sql
from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.listing import filter_lexemes, found, found_in_order, ids, search_rows_rewritten_alike

on_postgres = pytest.mark.usefixtures("require_postgres")


def marks(asset) -> list[str]:
    return filter_lexemes(asset, "0favorite=")


@pytest.fixture
def library(api, other_api):
    user = api.user
    return {
        "starred": AssetFactory(owner=user, bare=True, type="text", title="Misty harbour", is_favorite=True),
        "plain": AssetFactory(owner=user, bare=True, type="text", title="Misty lighthouse"),
        "image": AssetFactory(owner=user, bare=True, type="image", title="Misty pier", is_favorite=True),
        "other_word": AssetFactory(owner=user, bare=True, title="Sunny beach", is_favorite=True),
        "trashed": AssetFactory(owner=user, bare=True, title="Misty cliffs", is_favorite=True),
        "elsewhere": AssetFactory(owner=other_api.user, bare=True, title="Misty harbour", is_favorite=True),
    }


@pytest.mark.django_db
def test_a_search_within_the_favourites_follows_the_stars(api, library):
    services.assets_trash(owner=api.user, ids=[library["trashed"].pk])
    assert found(api, q="misty", favorites="true") == ids(library, "starred", "image")
    assert found(api, q="mist", favorites="true", type="image") == ids(library, "image")
    assert found(api, q="misty", favorites="false") == ids(library, "starred", "plain", "image")

    response = api.patch(f"/api/v1/assets/{library['plain'].pk}/", {"is_favorite": True}, format="json")
    assert response.status_code == 200
    assert found(api, q="misty", favorites="true") == ids(library, "starred", "plain", "image")

    response = api.post("/api/v1/assets/bulk/update/", {
        "ids": [str(library["starred"].pk), str(library["image"].pk)], "is_favorite": False,
    }, format="json")
    assert response.status_code == 200, response.content
    assert found(api, q="misty", favorites="true") == ids(library, "plain")
    assert found(api, q="misty", favorites="true", in_trash="true") == ids(library, "trashed")
    # Ranked as any search: the title's word first, then newest.
    assert found_in_order(api, q="misty", favorites="true", ordering="-created_at") == [str(library["plain"].pk)]


@pytest.mark.django_db
def test_the_library_page_searches_within_the_favourites(client, api, library):
    client.force_login(api.user)
    page = client.get("/library/", {"q": "misty", "favorites": "true"})
    assert page.status_code == 200
    text = page.content.decode()
    assert "Misty harbour" in text and "Misty pier" in text and "Misty lighthouse" not in text


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_only_a_favourites_search_row_is_marked_and_the_mark_follows_the_star(api, library):
    assert marks(library["starred"]) == ["0favorite=true"] and marks(library["plain"]) == []

    services.asset_set_favorite(asset=library["plain"], value=True)
    services.asset_set_favorite(asset=library["starred"], value=False)
    assert marks(library["plain"]) == ["0favorite=true"] and marks(library["starred"]) == []

    # A save of every column, and an edit of what search reads, keep the mark.
    asset = Asset.objects.get(pk=library["plain"].pk)
    asset.title = "Misty lighthouse at night"
    asset.save()
    assert marks(asset) == ["0favorite=true"]
    assert found(api, q="night", favorites="true") == ids(library, "plain")
    # The rest of the row is as an edit would write it.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT s.vector = {sql.SEARCH_VECTOR_SQL} FROM assets_asset AS a "  # noqa: S608 - fixed text
            "JOIN assets_assetsearch AS s ON s.asset_id = a.id WHERE a.owner_id = %s", [api.user.pk],
        )
        assert all(same for (same,) in cursor.fetchall())


@pytest.mark.django_db
@pytest.mark.postgres
@on_postgres
def test_the_migration_marks_the_favourites_search_rows(library):
    def unmarked():
        assert all(not marks(asset) for asset in library.values())

    assert search_rows_rewritten_alike("0035_search_rows_know_favorites", undo="UNMARK_FAVORITES",
                                       redo="MARK_FAVORITES", undone=unmarked)
