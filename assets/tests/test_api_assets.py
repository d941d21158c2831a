"""One asset through the API: detail, edit, trash, favourites, files, other owners, paging."""

import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from assets.models import Asset, AssetStatus, AssetType
from assets.tests.factories import AssetFactory
from assets.tests.samples import make_image_bytes, stored_files
from conftest import asset_url

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"


def content_of(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def listed_ids(client, **params):
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    return [item["id"] for item in response.json()["results"]]


# --- detail and edit ------------------------------------------------------------------------


def test_detail_has_every_contract_field(api):
    asset = AssetFactory(owner=api.user, tags=["sunset"])

    response = api.get(asset_url(asset))

    assert response.status_code == 200
    body = response.json()
    contract_fields = {
        "id", "type", "status", "source_module", "source_module_label", "external_id", "title", "description",
        "prompt", "model", "provider", "tags", "is_favorite", "cost", "file_url", "thumbnail_url", "mime_type",
        "file_size", "checksum_sha256", "width", "height", "duration_seconds", "text_content", "metadata",
        "parent", "download_count", "share_count", "error_message", "collections", "created_at", "updated_at",
        "deleted_at",
    }
    assert contract_fields <= set(body)
    assert body["id"] == str(asset.pk)
    assert body["tags"] == ["sunset"]
    assert body["cost"] == "0.0400"


@pytest.mark.parametrize("asset_id", ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "1234"])
@pytest.mark.parametrize("suffix", ["", "download/", "file/", "thumbnail/"])
def test_unknown_and_malformed_ids_are_404(api, asset_id, suffix):
    response = api.get(f"{asset_url(asset_id)}{suffix}")

    assert response.status_code == 404
    assert "detail" in response.json()


def test_patch_edits_user_fields(api):
    asset = AssetFactory(owner=api.user, tags=["old"])

    response = api.patch(
        asset_url(asset),
        {"title": "New", "description": "Desc", "tags": ["a", "B"], "is_favorite": True},
        format="json",
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["title"], body["description"], body["is_favorite"]) == ("New", "Desc", True)
    assert sorted(body["tags"]) == ["B", "a"]


def test_patch_edits_module_fields(api):
    asset = AssetFactory(owner=api.user)

    response = api.patch(
        asset_url(asset), {"cost": "1.25", "metadata": {"seed": 3}, "prompt": "p", "model": "m"}, format="json"
    )

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["cost"], body["metadata"], body["prompt"], body["model"]) == ("1.2500", {"seed": 3}, "p", "m")


def test_patch_cannot_set_read_only_fields(api, other_user):
    asset = AssetFactory(owner=api.user)

    response = api.patch(
        asset_url(asset),
        {"download_count": 99, "checksum_sha256": "f" * 64, "owner": other_user.pk, "type": "video",
         "file_size": 1, "source_module": "upload"},
        format="json",
    )

    asset.refresh_from_db()
    assert response.status_code == 200, response.json()  # read-only fields are ignored, not refused
    assert asset.download_count == 0
    assert asset.checksum_sha256 == ""
    assert asset.owner == api.user
    assert asset.type == AssetType.IMAGE
    assert asset.source_module == "image_studio"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": "x" * 501}, "title"),
        ({"cost": "-1"}, "cost"),
        ({"cost": "abc"}, "cost"),
        ({"metadata": [1]}, "metadata"),
        ({"tags": [1, 2]}, "tags"),
        ({"tags": "x"}, "tags"),
        ({"status": "done"}, "status"),
        ({"is_favorite": "maybe"}, "is_favorite"),
    ],
)
def test_bad_patch_is_a_400_and_changes_nothing(api, changes, field):
    asset = AssetFactory(owner=api.user, title="Kept", tags=["kept"])

    response = api.patch(asset_url(asset), changes, format="json")

    assert response.status_code == 400
    assert field in response.json(), response.json()
    asset.refresh_from_db()
    assert asset.title == "Kept"
    assert [t.name for t in asset.tags.all()] == ["kept"]


def test_patch_with_a_new_file_replaces_the_old_one_after_commit(api, django_capture_on_commit_callbacks):
    first, second = make_image_bytes(color=(1, 1, 1)), make_image_bytes(size=(10, 20), color=(9, 9, 9))
    created = api.post(LIST, {"source_module": "upload", "file": SimpleUploadedFile("a.png", first)},
                       format="multipart").json()
    old_name = Asset.objects.get(pk=created["id"]).file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = api.patch(asset_url(created["id"]), {"file": SimpleUploadedFile("b.png", second)},
                             format="multipart")

    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["width"], body["height"]) == (10, 20)
    assert body["checksum_sha256"] == hashlib.sha256(second).hexdigest()
    assert content_of(api.get(body["file_url"])) == second
    assert not default_storage.exists(old_name)


def test_patch_with_a_bad_file_keeps_the_old_one(api, settings):
    png = make_image_bytes()
    created = api.post(LIST, {"source_module": "upload", "file": SimpleUploadedFile("a.png", png)},
                       format="multipart").json()
    files = stored_files(settings.MEDIA_ROOT)

    response = api.patch(asset_url(created["id"]), {"file": SimpleUploadedFile("b.png", b"<html></html>")},
                         format="multipart")

    assert response.status_code == 400
    assert "file" in response.json()
    assert stored_files(settings.MEDIA_ROOT) == files
    assert content_of(api.get(created["file_url"])) == png


# --- trash ------------------------------------------------------------------------------------


def test_delete_moves_to_trash_and_restore_brings_back(api):
    asset = AssetFactory(owner=api.user)

    response = api.delete(asset_url(asset))

    assert response.status_code == 204
    assert listed_ids(api) == []
    trashed = api.get(asset_url(asset))
    assert trashed.status_code == 200
    assert trashed.json()["deleted_at"] is not None
    assert listed_ids(api, in_trash="true") == [str(asset.pk)]

    restored = api.post(asset_url(asset, "restore"))

    assert restored.status_code == 200
    assert restored.json()["deleted_at"] is None
    assert listed_ids(api) == [str(asset.pk)]
    assert listed_ids(api, in_trash="true") == []


def test_delete_permanently_removes_row_and_files(api, django_capture_on_commit_callbacks):
    png = make_image_bytes()
    created = api.post(LIST, {"source_module": "upload", "file": SimpleUploadedFile("a.png", png)},
                       format="multipart").json()
    asset = Asset.objects.get(pk=created["id"])
    asset.thumbnail.save("t.webp", ContentFile(b"RIFF thumb"), save=True)
    names = [asset.file.name, asset.thumbnail.name]
    assert all(default_storage.exists(name) for name in names)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = api.delete(f"{asset_url(asset)}?permanent=true")

    assert response.status_code == 204
    assert not Asset.objects.filter(pk=asset.pk).exists()
    # Files go only once the deletion has committed.
    assert all(default_storage.exists(name) for name in names)
    for callback in callbacks:
        callback()
    assert not any(default_storage.exists(name) for name in names)
    assert api.get(asset_url(asset)).status_code == 404


def test_delete_permanently_works_from_the_trash(api, django_capture_on_commit_callbacks):
    asset = AssetFactory(owner=api.user, trashed=True)
    name = asset.file.name

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{asset_url(asset)}?permanent=true").status_code == 204

    assert not Asset.objects.filter(pk=asset.pk).exists()
    assert not default_storage.exists(name)


def test_favorite_set_and_clear_are_idempotent(api):
    asset = AssetFactory(owner=api.user)
    url = asset_url(asset, "favorite")

    assert api.post(url).json()["is_favorite"] is True
    assert api.post(url).json()["is_favorite"] is True
    assert listed_ids(api, favorites="true") == [str(asset.pk)]
    assert api.delete(url).json()["is_favorite"] is False
    assert api.delete(url).json()["is_favorite"] is False
    assert listed_ids(api, favorites="true") == []


# --- another owner's asset ---------------------------------------------------------------------


@pytest.fixture
def foreign_asset(other_user):
    asset = AssetFactory(owner=other_user, title="Not yours")
    asset.thumbnail.save("t.webp", ContentFile(b"RIFF thumb"), save=True)
    return asset


def _foreign_requests(asset):
    url = asset_url(asset)
    return [
        ("get", url, None),
        ("patch", url, {"title": "mine now"}),
        ("delete", url, None),
        ("delete", f"{url}?permanent=true", None),
        ("post", f"{url}restore/", None),
        ("post", f"{url}favorite/", None),
        ("delete", f"{url}favorite/", None),
        ("get", f"{url}download/", None),
        ("get", f"{url}file/", None),
        ("get", f"{url}thumbnail/", None),
    ]


def test_another_owners_asset_is_404_everywhere(api, other_api, foreign_asset):
    for method, url, data in _foreign_requests(foreign_asset):
        response = getattr(api, method)(url, data, format="json") if data else getattr(api, method)(url)
        assert response.status_code == 404, (method, url, response.status_code)

    foreign_asset.refresh_from_db()
    assert foreign_asset.title == "Not yours"
    assert foreign_asset.deleted_at is None
    assert foreign_asset.is_favorite is False
    assert foreign_asset.download_count == 0
    # The owner still reaches every one of them.
    assert other_api.get(asset_url(foreign_asset, "thumbnail")).status_code == 200
    assert other_api.get(asset_url(foreign_asset, "file")).status_code == 200


def test_another_owners_trashed_asset_is_404_for_restore(api, other_user):
    asset = AssetFactory(owner=other_user, trashed=True)

    assert api.post(asset_url(asset, "restore")).status_code == 404
    asset.refresh_from_db()
    assert asset.deleted_at is not None


def test_list_shows_only_own_assets(api, other_user):
    mine = AssetFactory(owner=api.user)
    AssetFactory(owner=other_user)

    assert listed_ids(api) == [str(mine.pk)]


def test_unauthenticated_requests_are_401(user):
    asset = AssetFactory(owner=user)
    client = APIClient()

    for url in (LIST, asset_url(asset), asset_url(asset, "download"), asset_url(asset, "file")):
        assert client.get(url).status_code == 401, url
    assert client.delete(asset_url(asset)).status_code == 401


# --- files served safely -------------------------------------------------------------------------


def _assert_hardened(response):
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_file_and_download_are_hardened_and_byte_exact(api, png_bytes):
    created = api.post(LIST, {"source_module": "upload", "title": "Red",
                              "file": SimpleUploadedFile("a.png", png_bytes)}, format="multipart").json()

    inline = api.get(created["file_url"])
    download = api.get(asset_url(created['id'], "download"))

    for response in (inline, download):
        assert response.status_code == 200
        _assert_hardened(response)
        assert response["Content-Type"] == "image/png"
        assert content_of(response) == png_bytes
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="Red.png"' in download["Content-Disposition"]
    assert not inline["Content-Disposition"].startswith("attachment")


def test_file_url_works_with_accept_header_of_an_img_tag(api, png_bytes):
    created = api.post(LIST, {"source_module": "upload", "file": SimpleUploadedFile("a.png", png_bytes)},
                       format="multipart").json()

    response = api.get(created["file_url"], HTTP_ACCEPT="image/avif,image/webp,*/*;q=0.8")

    assert response.status_code == 200
    assert content_of(response) == png_bytes


def test_download_counts_one_download_each_time(api, asset_detail):
    asset = AssetFactory(owner=api.user)

    api.get(asset_url(asset, "download"))
    api.get(asset_url(asset, "download"))

    asset.refresh_from_db()
    assert asset.download_count == 2
    assert asset_detail(asset)["download_count"] == 2


def test_viewing_the_file_does_not_count_a_download(api):
    asset = AssetFactory(owner=api.user)

    api.get(asset_url(asset, "file"))

    asset.refresh_from_db()
    assert asset.download_count == 0


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("../../etc/passwd", "etcpasswd.png"),
        ("..\\..\\boot.ini", "boot.ini.png"),
        ("evil\r\nSet-Cookie: a=b", "evilSet-Cookie ab.png"),
        ("tab\there\x1bescape\x7f", "tabhereescape.png"),
        ('quote"s; name=x', "quotes namex.png"),
    ],
)
def test_download_name_is_sanitised(api, title, expected):
    asset = AssetFactory(owner=api.user, title=title, mime_type="image/png")

    response = api.get(asset_url(asset, "download"))

    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment")
    assert "/" not in disposition and "\\" not in disposition
    assert "\r" not in disposition and "\n" not in disposition and "\x00" not in disposition
    assert expected in disposition


def test_download_name_falls_back_to_the_id(api):
    asset = AssetFactory(owner=api.user, title="../..", mime_type="image/png")

    response = api.get(asset_url(asset, "download"))

    assert f"{asset.pk}.png" in response["Content-Disposition"]


def test_text_download_is_exactly_the_text_in_utf8(api):
    text = "Grüße aus Köln — 東京 🌅\nline two\r\n"
    created = api.post(LIST, {"type": "text", "source_module": "story_writer", "title": "Grüße",
                              "text_content": text}, format="json").json()

    response = api.get(asset_url(created['id'], "download"))

    assert response.status_code == 200
    _assert_hardened(response)
    assert content_of(response) == text.encode("utf-8")
    assert response["Content-Type"].startswith("text/plain")
    assert "charset=utf-8" in response["Content-Type"]
    assert response["Content-Disposition"].startswith("attachment")
    assert ".txt" in response["Content-Disposition"]
    inline = api.get(created["file_url"])
    assert content_of(inline) == text.encode("utf-8")
    _assert_hardened(inline)


def test_file_missing_from_storage_is_404(api):
    asset = AssetFactory(owner=api.user)
    asset.thumbnail.save("t.webp", ContentFile(b"RIFF thumb"), save=True)
    default_storage.delete(asset.file.name)
    default_storage.delete(asset.thumbnail.name)

    for suffix in ("file/", "download/", "thumbnail/"):
        response = api.get(f"{asset_url(asset)}{suffix}")
        assert response.status_code == 404, suffix
    asset.refresh_from_db()
    assert asset.download_count == 0


def test_pending_asset_without_a_file_has_no_file_url_and_404s(api, asset_detail):
    asset = AssetFactory(owner=api.user, pending=True)

    assert asset_detail(asset)["file_url"] is None
    assert api.get(asset_url(asset, "file")).status_code == 404
    assert api.get(asset_url(asset, "download")).status_code == 404
    assert api.get(asset_url(asset, "thumbnail")).status_code == 404


# --- pagination -----------------------------------------------------------------------------------


def test_default_page_size_is_24_and_count_is_exact(api):
    AssetFactory.create_batch(30, owner=api.user, file="")

    first = api.get(LIST).json()
    second = api.get(LIST, {"page": 2}).json()

    assert first["count"] == 30
    assert len(first["results"]) == 24
    assert first["previous"] is None and first["next"] is not None
    assert len(second["results"]) == 6 and second["next"] is None
    assert not {a["id"] for a in first["results"]} & {a["id"] for a in second["results"]}


@pytest.mark.parametrize("size", ["1", "200"])
def test_page_size_bounds_are_accepted(api, size):
    AssetFactory.create_batch(3, owner=api.user, file="")

    response = api.get(LIST, {"page_size": size})

    assert response.status_code == 200
    assert len(response.json()["results"]) == min(int(size), 3)
    assert response.json()["count"] == 3


@pytest.mark.parametrize("size", ["0", "201", "abc", "-1", "1.5"])
def test_bad_page_size_is_400(api, size):
    response = api.get(LIST, {"page_size": size})

    assert response.status_code == 400
    assert "page_size" in response.json()


@pytest.mark.parametrize("page", ["0", "abc", "-1", "99"])
def test_bad_page_is_400(api, page):
    AssetFactory(owner=api.user, file="")

    response = api.get(LIST, {"page": page})

    assert response.status_code == 400
    assert "page" in response.json()


def test_empty_library_is_an_empty_first_page(api):
    body = api.get(LIST).json()

    assert body == {"count": 0, "count_exact": True, "corrected_q": None, "next": None, "previous": None, "results": []}


@pytest.mark.parametrize(
    ("param", "value"),
    [("type", "foo"), ("status", "done"), ("ordering", "nope"), ("in_trash", "maybe"), ("date", "2024-13-01")],
)
def test_bad_list_parameters_are_400_naming_them(api, param, value):
    response = api.get(LIST, {param: value})

    assert response.status_code == 400
    assert param in response.json()


# --- query count ----------------------------------------------------------------------------------


def _make_tagged(owner, count, tags_each):
    for index in range(count):
        AssetFactory(owner=owner, file="", tags=[f"tag{index}-{n}" for n in range(tags_each)])


def test_list_query_count_is_fixed(api, django_assert_num_queries):
    from collections_app.models import Collection, CollectionItem

    _make_tagged(api.user, 24, 2)
    collection = Collection.objects.create(owner=api.user, name="c")
    for asset in Asset.objects.all()[:5]:
        CollectionItem.objects.create(collection=collection, asset=asset)

    # count and page; on PostgreSQL the page brings each row's tags and collections as
    # arrays, elsewhere they are two more queries
    from django.db import connection

    with django_assert_num_queries(2 if connection.vendor == "postgresql" else 4):
        response = api.get(LIST)
    results = response.json()["results"]
    assert len(results) == 24
    assert sum(item["collections"] == [str(collection.pk)] for item in results) == 5
    assert all(len(item["tags"]) == 2 and item["auto_tags"] == [] for item in results)


def test_a_listed_asset_shows_the_same_tags_and_collections_as_its_own_page(api, asset_detail):
    from assets.tagging import add_auto_tags
    from collections_app.models import Collection, CollectionItem

    asset = AssetFactory(owner=api.user, file="", tags=["zebra", "Apple", "mango"])
    add_auto_tags(asset, ["blue", "landscape"])
    AssetFactory(owner=api.user, file="")  # nothing to show
    for name in ("b", "a"):
        collection = Collection.objects.create(owner=api.user, name=name)
        CollectionItem.objects.create(collection=collection, asset=asset)

    listed = {item["id"]: item for item in api.get(LIST).json()["results"]}
    own = asset_detail(asset)

    for key in ("tags", "auto_tags", "collections"):
        assert listed[str(asset.pk)][key] == own[key], key
    assert set(own["auto_tags"]) == {"blue", "landscape"}
    assert len(own["collections"]) == 2
    assert [listed[pk]["tags"] for pk in listed if pk != str(asset.pk)] == [[]]


def test_list_query_count_does_not_grow_with_assets_or_tags(api, django_assert_max_num_queries):
    _make_tagged(api.user, 50, 4)

    with django_assert_max_num_queries(4):
        response = api.get(LIST, {"page_size": 50})
    assert len(response.json()["results"]) == 50
    assert all(len(item["tags"]) == 4 for item in response.json()["results"])


@pytest.mark.parametrize("cut", [lambda i: i[:8], lambda i: i[4:14].replace("-", ""), lambda i: i[9:23].upper()])
def test_id_parameter_matches_a_fragment_with_or_without_hyphens(api, cut):
    asset = AssetFactory(owner=api.user)
    AssetFactory(owner=api.user)

    assert listed_ids(api, id=cut(str(asset.pk))) == [str(asset.pk)]


def test_status_filter_and_type_filter_combine(api):
    AssetFactory(owner=api.user, status=AssetStatus.PENDING, file="")
    image = AssetFactory(owner=api.user)
    AssetFactory(owner=api.user, type=AssetType.TEXT)

    assert listed_ids(api, type="image", status="completed") == [str(image.pk)]
