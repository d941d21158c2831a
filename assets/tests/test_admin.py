"""The operators' admin: list filters, search, change page, preview and actions."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.files.base import ContentFile
from django.test import Client

from assets.models import Asset, AssetStatus, AssetType
from assets.tests.factories import AssetFactory, SuperUserFactory
from assets.tests.samples import make_image_bytes

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/assets/asset/"


@pytest.fixture
def admin_client_(db):
    client = Client()
    client.force_login(SuperUserFactory())
    return client


@pytest.fixture
def library(user, other_user):
    return {
        "sunset": AssetFactory(owner=user, title="Sunset over sea", model="ideogram-v3-turbo", is_favorite=True),
        "story": AssetFactory(owner=user, type=AssetType.TEXT, title="A story", source_module="story_writer",
                              model="gpt-4o"),
        "pending": AssetFactory(owner=other_user, pending=True, title="Waiting clip", type=AssetType.VIDEO,
                                source_module="video_studio", model="veo-3"),
        "trashed": AssetFactory(owner=other_user, trashed=True, title="Old banner"),
    }


def titles(response):
    return {asset.title for asset in response.context["cl"].result_list}


def test_changelist_renders(admin_client_, library):
    response = admin_client_.get(CHANGELIST)

    assert response.status_code == 200
    assert titles(response) == {a.title for a in library.values()}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"type__exact": "text"}, {"story"}),
        ({"type__exact": "video"}, {"pending"}),
        ({"status__exact": "pending"}, {"pending"}),
        ({"status__exact": "completed"}, {"sunset", "story", "trashed"}),
        ({"source_module": "story_writer"}, {"story"}),
        ({"is_favorite__exact": "1"}, {"sunset"}),
        ({"is_favorite__exact": "0"}, {"story", "pending", "trashed"}),
        ({"trashed": "yes"}, {"trashed"}),
        ({"trashed": "no"}, {"sunset", "story", "pending"}),
    ],
)
def test_each_list_filter(admin_client_, library, params, expected):
    response = admin_client_.get(CHANGELIST, params)

    assert response.status_code == 200
    assert titles(response) == {library[key].title for key in expected}


def test_owner_filter(admin_client_, library, user):
    response = admin_client_.get(CHANGELIST, {"owner__id__exact": user.pk})

    assert response.status_code == 200
    assert titles(response) == {library["sunset"].title, library["story"].title}


def test_filters_combine(admin_client_, library, other_user):
    response = admin_client_.get(CHANGELIST, {"owner__id__exact": other_user.pk, "trashed": "no"})

    assert titles(response) == {library["pending"].title}


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("Sunset", {"sunset"}),
        ("veo-3", {"pending"}),
        ("ideogram", {"sunset", "trashed"}),
    ],
)
def test_search_by_title_and_model(admin_client_, library, term, expected):
    response = admin_client_.get(CHANGELIST, {"q": term})

    assert response.status_code == 200
    assert titles(response) == {library[key].title for key in expected}


def test_search_by_full_and_partial_id(admin_client_, library):
    asset = library["story"]

    full = admin_client_.get(CHANGELIST, {"q": str(asset.pk)})
    partial = admin_client_.get(CHANGELIST, {"q": str(asset.pk)[:8]})
    across_hyphen = admin_client_.get(CHANGELIST, {"q": str(asset.pk)[2:12].upper()})

    assert full.status_code == 200 and titles(full) == {asset.title}
    assert partial.status_code == 200 and asset.title in titles(partial)
    assert across_hyphen.status_code == 200 and asset.title in titles(across_hyphen)


def test_change_page_renders_for_each_type(admin_client_, library):
    for asset in library.values():
        response = admin_client_.get(f"{CHANGELIST}{asset.pk}/change/")
        assert response.status_code == 200, asset.type


def test_change_page_shows_the_image_preview(admin_client_, user):
    asset = AssetFactory(owner=user)
    preview_url = f"{CHANGELIST}{asset.pk}/preview/"

    response = admin_client_.get(f"{CHANGELIST}{asset.pk}/change/")

    assert preview_url in response.content.decode()


def test_image_preview_serves_the_file_safely(admin_client_, user):
    png = make_image_bytes()
    asset = AssetFactory(owner=user, file=ContentFile(png, name="a.png"))

    response = admin_client_.get(f"{CHANGELIST}{asset.pk}/preview/")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == png
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_preview_prefers_the_thumbnail(admin_client_, user):
    asset = AssetFactory(owner=user)
    asset.thumbnail.save("t.webp", ContentFile(b"RIFF-thumb"), save=True)

    response = admin_client_.get(f"{CHANGELIST}{asset.pk}/preview/")

    assert b"".join(response.streaming_content) == b"RIFF-thumb"


def test_preview_of_an_unknown_asset_is_404(admin_client_):
    response = admin_client_.get(f"{CHANGELIST}00000000-0000-0000-0000-000000000000/preview/")

    assert response.status_code == 404


def test_preview_of_a_file_missing_from_storage_is_404(admin_client_, user):
    from django.core.files.storage import default_storage

    asset = AssetFactory(owner=user)
    default_storage.delete(asset.file.name)

    assert admin_client_.get(f"{CHANGELIST}{asset.pk}/preview/").status_code == 404


def test_preview_needs_staff(client, user):
    asset = AssetFactory(owner=user)
    client.force_login(user)

    response = client.get(f"{CHANGELIST}{asset.pk}/preview/")

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_action_restore_from_trash(admin_client_, user, other_user):
    mine = AssetFactory(owner=user, trashed=True)
    theirs = AssetFactory(owner=other_user, trashed=True)
    alive = AssetFactory(owner=user)

    response = admin_client_.post(
        CHANGELIST,
        {"action": "restore_from_trash", ACTION_CHECKBOX_NAME: [str(mine.pk), str(theirs.pk), str(alive.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Restored 2 asset(s)." in response.content.decode()
    assert not Asset.objects.trashed().exists()


def test_action_mark_failed(admin_client_, user):
    pending = AssetFactory(owner=user, pending=True)
    processing = AssetFactory(owner=user, pending=True, status=AssetStatus.PROCESSING)
    completed = AssetFactory(owner=user)

    response = admin_client_.post(
        CHANGELIST,
        {"action": "mark_failed", ACTION_CHECKBOX_NAME: [str(pending.pk), str(processing.pk), str(completed.pk)]},
        follow=True,
    )

    assert response.status_code == 200
    assert "Marked 2 asset(s) as failed." in response.content.decode()
    for asset in (pending, processing):
        asset.refresh_from_db()
        assert asset.status == AssetStatus.FAILED
        assert asset.error_message.startswith("Marked failed by an operator")
    completed.refresh_from_db()
    assert completed.status == AssetStatus.COMPLETED


def test_an_assets_owner_cannot_be_changed_in_the_admin(admin_client_, user, other_user):
    asset = AssetFactory(owner=user, title="Mine")
    page = admin_client_.get(f"/admin/assets/asset/{asset.pk}/change/")
    assert page.status_code == 200
    assert 'name="owner"' not in page.content.decode()


# --- at a million assets: the library's search, counts that stop or estimate, no row scans ----------


def test_search_is_the_librarys_keyword_search(admin_client_, library, user):
    AssetFactory(owner=user, title="Harbour", description="a zeppelin at dusk", tags=["seaside"])

    def found(term):
        return titles(admin_client_.get(CHANGELIST, {"q": term}))

    assert found("zeppe") == {"Harbour"}  # the last word is a prefix, the description searched
    assert found("seaside harbour") == {"Harbour"}  # every word, in any field, tags included
    assert found("sunset story") == set()


def test_an_unfiltered_large_table_shows_the_estimate(admin_client_, library, monkeypatch):
    monkeypatch.setattr("assets.admin.sql.estimated_rows", lambda table: 1_234_567)

    page = admin_client_.get(CHANGELIST).content.decode()

    assert "about 1234567 assets" in page
    filtered = admin_client_.get(CHANGELIST, {"type__exact": "image"}).content.decode()
    assert "about" not in filtered  # filtered: counted


def test_beyond_the_limit_a_filtered_count_is_a_lower_bound(admin_client_, library, monkeypatch):
    monkeypatch.setattr("assets.search.COUNT_LIMIT", 2)

    assert "2+ assets" in admin_client_.get(CHANGELIST, {"type__exact": "image"}).content.decode()
    assert "1 asset" in admin_client_.get(CHANGELIST, {"type__exact": "video"}).content.decode()


def test_the_module_filter_lists_the_modules_in_use(admin_client_, library):
    response = admin_client_.get(CHANGELIST)

    module_filter = next(spec for spec in response.context["cl"].filter_specs if spec.title == "source module")
    assert [slug for slug, _label in module_filter.lookup_choices] == sorted(
        {asset.source_module for asset in library.values()})


def test_the_search_bar_says_when_its_count_is_a_lower_bound(admin_client_, library, monkeypatch):
    monkeypatch.setattr("assets.search.COUNT_LIMIT", 1)

    filtered = admin_client_.get(CHANGELIST, {"type__exact": "image"}).content.decode()
    unfiltered = admin_client_.get(CHANGELIST).content.decode()

    assert "1+ results" in filtered and "Show all" in filtered
    assert "Show all" not in unfiltered
