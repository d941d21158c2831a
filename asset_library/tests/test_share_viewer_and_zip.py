"""The public share page's full-screen viewer, its live refresh, and "Download all" (one zip
through the job machinery, `POST /s/{token}/download/`), without a browser."""

import csv
import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from analytics.models import UsageEvent, UsageEventKind
from asset_library import share_views
from assets.models import Asset, AssetType, Job, JobStatus
from assets.tests.factories import AssetFactory, UserFactory
from collections_app import services
from collections_app.models import ShareDownload, ShareKind
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory, ShareLinkFactory

JSON = {"HTTP_ACCEPT": "application/json"}
HTML = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(username="secret-owner-name")


def view_url(link, asset):
    return f"/s/{link.token}/assets/{asset.pk}/"


def start_url(link):
    return f"/s/{link.token}/download/"


def three_in_order(owner, **kwargs):
    """Three assets, newest first (the page's order)."""
    now = timezone.now()
    return [AssetFactory(owner=owner, title=f"Asset {n}", created_at=now - dt.timedelta(minutes=n), **kwargs)
            for n in range(3)]


# --- the viewer -------------------------------------------------------------------------------


def test_the_viewer_steps_through_the_link_in_the_pages_order(client, owner):
    newest, middle, oldest = three_in_order(owner)
    AssetFactory(owner=owner, title="Not shared")
    link = ShareLinkFactory(owner=owner, assets=[newest, middle, oldest])

    html = client.get(view_url(link, middle)).content.decode()

    assert "<h1" in html and "Asset 1" in html and "2 of 3" in html
    assert f'href="{view_url(link, newest)}" rel="prev"' in html
    assert f'href="{view_url(link, oldest)}" rel="next"' in html
    assert f'href="/s/{link.token}/#asset-{middle.pk}"' in html  # back to the grid, at this card
    assert "Not shared" not in html and "secret-owner-name" not in html

    first = client.get(view_url(link, newest)).content.decode()
    assert 'rel="prev"' not in first and "1 of 3" in first and f'data-older="{view_url(link, middle)}"' in first
    last = client.get(view_url(link, oldest)).content.decode()
    assert 'rel="next"' not in last and "3 of 3" in last


def test_the_viewer_goes_back_to_the_grid_page_that_holds_the_asset(client, owner, monkeypatch):
    monkeypatch.setattr(share_views, "PAGE_SIZE", 2)
    newest, _middle, oldest = three_in_order(owner)
    link = ShareLinkFactory(owner=owner, assets=[newest, _middle, oldest])

    html = client.get(view_url(link, oldest)).content.decode()

    assert f'data-back="/s/{link.token}/?page=2#asset-{oldest.pk}"' in html


def test_the_viewer_plays_video_and_audio_and_shows_a_picture_whole(client, owner):
    image = AssetFactory(owner=owner, title="Pic")
    video = AssetFactory(owner=owner, type=AssetType.VIDEO, mime_type="video/mp4", title="Clip", duration_seconds=4)
    audio = AssetFactory(owner=owner, type=AssetType.AUDIO, mime_type="audio/mpeg", title="Song")
    link = ShareLinkFactory(owner=owner, assets=[image, video, audio])

    def file_of(asset):
        return f"/s/{link.token}/assets/{asset.pk}/file/"

    assert re.search(rf'<img class="viewer-image" src="{file_of(image)}" alt="Pic">',
                     client.get(view_url(link, image)).content.decode())
    assert re.search(rf'<video class="viewer-video" controls[^>]*src="{file_of(video)}"',
                     client.get(view_url(link, video)).content.decode())
    assert re.search(rf'<audio controls[^>]*src="{file_of(audio)}"', client.get(view_url(link, audio)).content.decode())


def test_the_viewer_shows_a_text_in_full(client, owner, monkeypatch):
    story = "Once upon a <time>.\n\n" + "Then it went on. " * 100
    text = AssetFactory(owner=owner, type=AssetType.TEXT, title="Story", text_content=story)
    link = ShareLinkFactory(owner=owner, assets=[text])

    html = client.get(view_url(link, text)).content.decode()
    assert "Once upon a &lt;time&gt;." in html and html.count("Then it went on.") == 100
    assert "Open the whole text" not in html

    monkeypatch.setattr(share_views, "VIEWER_TEXT_LIMIT", 100)
    html = client.get(view_url(link, text)).content.decode()
    assert "Open the whole text" in html and html.count("Then it went on.") < 10


def test_the_viewer_offers_a_download_only_when_the_link_does(client, owner):
    asset = AssetFactory(owner=owner)
    open_link = ShareLinkFactory(owner=owner, assets=[asset])
    closed = ShareLinkFactory(owner=owner, assets=[asset], allow_download=False)

    offered = client.get(view_url(open_link, asset)).content.decode()
    assert f"/s/{open_link.token}/assets/{asset.pk}/download/" in offered
    assert "/download/" not in client.get(view_url(closed, asset)).content.decode()


def test_the_viewer_opens_only_the_links_live_assets(client, owner, other_user):
    shown = AssetFactory(owner=owner)
    trashed = AssetFactory(owner=owner, trashed=True)
    outside = AssetFactory(owner=owner)
    foreign = AssetFactory(owner=other_user)
    link = ShareLinkFactory(owner=owner, assets=[shown, trashed])

    assert client.get(view_url(link, shown)).status_code == 200
    for asset in (trashed, outside, foreign):
        assert client.get(view_url(link, asset)).status_code == 404
    services.share_link_revoke(share_link=link)
    assert client.get(view_url(link, shown)).status_code == 404


def test_a_locked_links_viewer_sends_to_the_password_first(owner):
    asset = AssetFactory(owner=owner, title="Behind the lock")
    link = ShareLinkFactory(owner=owner, assets=[asset], password="open sesame")
    visitor = Client()

    response = visitor.get(view_url(link, asset))
    assert response.status_code == 303 and response["Location"] == f"/s/{link.token}/"

    visitor.post(f"/s/{link.token}/", {"password": "open sesame"})
    assert visitor.get(view_url(link, asset)).status_code == 200


# --- the live refresh of a collection link ------------------------------------------------------


def test_a_collection_link_refreshes_its_grid_without_counting_views(client, owner):
    collection = CollectionFactory(owner=owner)
    CollectionItemFactory(collection=collection, asset=AssetFactory(owner=owner, title="First"))
    link = ShareLinkFactory(owner=owner, kind=ShareKind.COLLECTION, collection=collection)

    page = client.get(f"/s/{link.token}/").content.decode()
    assert f'data-live="/s/{link.token}/"' in page and "updates as the collection grows" in page
    CollectionItemFactory(collection=collection, asset=AssetFactory(owner=owner, title="Added later"))

    fragment = client.get(f"/s/{link.token}/", HTTP_X_SHARE_LIVE="1")
    html = fragment.content.decode()
    assert fragment.status_code == 200 and "<html" not in html
    assert 'data-count="2"' in html and "Added later" in html
    link.refresh_from_db()
    assert link.view_count == 1


def test_a_frozen_link_does_not_refresh(client, owner):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    assert "data-live=" not in client.get(f"/s/{link.token}/").content.decode()


# --- Download all -------------------------------------------------------------------------------


def zip_names(response) -> list[str]:
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()


def test_download_all_makes_one_zip_of_the_shared_assets(client, owner, django_capture_on_commit_callbacks):
    shown = [AssetFactory(owner=owner, title="Shown one", prompt="secret prompt", cost="1.25"),
             AssetFactory(owner=owner, type=AssetType.TEXT, title="Shown text", text_content="Hello")]
    trashed = AssetFactory(owner=owner, title="Trashed", trashed=True)
    AssetFactory(owner=owner, title="Not shared")
    link = ShareLinkFactory(owner=owner, title="Autumn picks", assets=[*shown, trashed])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(start_url(link), **JSON)

    assert response.status_code == 202
    body = response.json()
    assert set(body) == {"id", "status", "done", "total", "download_url"}
    assert body["total"] == 2 and response["Location"] == f"/s/{link.token}/download/{body['id']}/"

    status = client.get(response["Location"], **JSON).json()
    assert status["status"] == "succeeded" and status["done"] == 2
    assert status["download_url"] == f"http://testserver/s/{link.token}/download/{body['id']}/file/"

    served = client.get(status["download_url"])
    assert served.status_code == 200 and served["Content-Type"] == "application/zip"
    assert 'filename="autumn-picks-' in served["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(served.streaming_content)))
    names = archive.namelist()
    assert len(names) == 3 and "manifest.csv" in names and "Shown text.txt" in names
    manifest = list(csv.reader(io.StringIO(archive.read("manifest.csv").decode())))
    # Only what the public page shows: never the prompt, the model, the cost or the tags.
    assert manifest[0] == ["file", "status", "id", "title", "type", "mime_type", "file_size", "width", "height",
                           "duration_seconds"]
    assert "secret prompt" not in archive.read("manifest.csv").decode()
    # Each asset counts one download, through the link.
    assert sorted(Asset.objects.filter(pk__in=[a.pk for a in shown]).values_list("download_count", flat=True)) == [1, 1]
    assert UsageEvent.objects.filter(kind=UsageEventKind.DOWNLOADED, source="share").count() == 2


def test_the_zip_is_the_links_not_the_owners_job(client, owner, django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(start_url(link), **JSON).json()["id"]

    from rest_framework.test import APIClient

    api = APIClient()
    api.force_authenticate(owner)
    assert api.get("/api/v1/jobs/").json() == []  # not in the owner's own jobs
    assert api.get(f"/api/v1/jobs/{job_id}/").status_code == 404

    other = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    assert client.get(f"/s/{other.token}/download/{job_id}/", **JSON).status_code == 404
    assert client.get(f"/s/{other.token}/download/{job_id}/file/").status_code == 404
    own_job = Job.objects.create(owner=owner, kind="download", asset_ids=[], status=JobStatus.SUCCEEDED)
    assert client.get(f"/s/{link.token}/download/{own_job.pk}/", **JSON).status_code == 404
    assert client.get(f"/s/{link.token}/download/not-a-uuid/", **JSON).status_code == 404


def test_asking_again_joins_the_zip_of_the_same_assets(client, owner, django_capture_on_commit_callbacks):
    collection = CollectionFactory(owner=owner)
    CollectionItemFactory(collection=collection, asset=AssetFactory(owner=owner))
    link = ShareLinkFactory(owner=owner, kind=ShareKind.COLLECTION, collection=collection)

    with django_capture_on_commit_callbacks(execute=False):  # still queued
        first = client.post(start_url(link), **JSON).json()["id"]
        again = client.post(start_url(link), **JSON).json()["id"]
    assert again == first and Job.objects.count() == 1

    CollectionItemFactory(collection=collection, asset=AssetFactory(owner=owner))  # the live link grew
    with django_capture_on_commit_callbacks(execute=True):
        grown = client.post(start_url(link), **JSON).json()
    assert grown["id"] != first and grown["total"] == 2
    assert ShareDownload.objects.filter(share_link=link).count() == 2


def test_a_failed_zip_is_made_again(client, owner, django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    with django_capture_on_commit_callbacks(execute=False):
        first = client.post(start_url(link), **JSON).json()["id"]
    Job.objects.filter(pk=first).update(status=JobStatus.FAILED, error="disk full")
    assert client.get(f"/s/{link.token}/download/{first}/", **JSON).json()["status"] == "failed"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(start_url(link), **JSON).json()["id"] != first


def test_a_browser_without_script_follows_a_self_refreshing_progress_page(client, owner,
                                                                            django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=AssetFactory.create_batch(2, owner=owner))

    page = client.get(f"/s/{link.token}/").content.decode()
    assert f'<form method="post" action="/s/{link.token}/download/"' in page and "Download all" in page

    with django_capture_on_commit_callbacks(execute=False) as queued:
        response = client.post(start_url(link), **HTML)
    assert response.status_code == 303
    progress = client.get(response["Location"], **HTML)
    html = progress.content.decode()
    assert progress.status_code == 200 and '<meta http-equiv="refresh" content="2">' in html
    assert "Preparing your zip" in html and "0 of 2 assets" in html and "<progress" in html
    assert progress["Content-Security-Policy"] == share_views.PAGE_CSP

    for callback in queued:
        callback()  # the worker runs it
    html = client.get(response["Location"], **HTML).content.decode()
    assert "Your zip is ready" in html and 'http-equiv="refresh"' not in html
    assert f'href="http://testserver/s/{link.token}/download/' in html


def test_a_zip_is_never_served_once_an_asset_leaves_the_link(client, owner, django_capture_on_commit_callbacks):
    collection = CollectionFactory(owner=owner)
    leaving = AssetFactory(owner=owner, title="Leaving")
    for asset in (leaving, AssetFactory(owner=owner)):
        CollectionItemFactory(collection=collection, asset=asset)
    link = ShareLinkFactory(owner=owner, kind=ShareKind.COLLECTION, collection=collection)
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(start_url(link), **JSON).json()["id"]
    file_url = f"/s/{link.token}/download/{job_id}/file/"
    assert client.get(file_url).status_code == 200

    Asset.objects.filter(pk=leaving.pk).update(deleted_at=timezone.now())  # trashed by its owner

    assert client.get(file_url).status_code == 404
    assert client.get(f"/s/{link.token}/download/{job_id}/", **JSON).json()["download_url"] is None
    html = client.get(f"/s/{link.token}/download/{job_id}/", **HTML).content.decode()
    assert "no longer available" in html and "Download all again" in html


def test_an_expired_zip_is_gone(client, owner, django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    with django_capture_on_commit_callbacks(execute=True):
        job_id = client.post(start_url(link), **JSON).json()["id"]
    Job.objects.filter(pk=job_id).update(expires_at=timezone.now() - dt.timedelta(minutes=1))

    assert client.get(f"/s/{link.token}/download/{job_id}/file/").status_code == 410
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(start_url(link), **JSON).json()["id"] != job_id  # a new one


@pytest.mark.parametrize("state", ["no-downloads", "revoked", "expired", "unknown"])
def test_download_all_is_404_where_the_link_offers_no_download(client, owner, state):
    asset = AssetFactory(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[asset], allow_download=state != "no-downloads")
    token = link.token
    if state == "revoked":
        services.share_link_revoke(share_link=link)
    elif state == "expired":
        link.expires_at = timezone.now() - dt.timedelta(seconds=1)
        link.save()
    elif state == "unknown":
        token = "x" * 43

    response = client.post(f"/s/{token}/download/", **JSON)
    assert response.status_code == 404 and "detail" in response.json()
    assert client.post(f"/s/{token}/download/", **HTML).status_code == 404
    assert Job.objects.count() == 0
    if state == "no-downloads":
        assert "Download all" not in client.get(f"/s/{token}/").content.decode()


def test_an_empty_link_has_nothing_to_download(client, owner):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner, trashed=True)])
    response = client.post(start_url(link), **JSON)
    assert response.status_code == 400 and response.json()["detail"]
    assert "Download all" not in client.get(f"/s/{link.token}/").content.decode()


def test_download_all_needs_the_password_and_then_csrf(owner, django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)], password="open sesame")
    visitor = Client(enforce_csrf_checks=True)

    assert visitor.post(start_url(link), **JSON).status_code == 403  # the password first

    form = visitor.get(f"/s/{link.token}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    visitor.post(f"/s/{link.token}/", {"password": "open sesame", "csrfmiddlewaretoken": token})
    assert visitor.post(start_url(link), **JSON).status_code == 403  # the session is unlocked: CSRF applies

    page = visitor.get(f"/s/{link.token}/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = visitor.post(start_url(link), {"csrfmiddlewaretoken": token}, **JSON)
    assert response.status_code == 202
    assert Client().get(f"/s/{link.token}/download/{response.json()['id']}/", **JSON).status_code == 403


def test_a_link_without_a_password_takes_posts_from_any_client(owner, django_capture_on_commit_callbacks):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])
    with django_capture_on_commit_callbacks(execute=True):
        response = Client(enforce_csrf_checks=True).post(f"/s/{link.token}/download", **JSON)  # no slash, too
    assert response.status_code == 202


def test_the_zip_survives_a_worker_dying_half_way(client, owner, django_capture_on_commit_callbacks, settings):
    """A running job whose worker stopped beating is taken up again and finished."""
    from assets import jobs

    link = ShareLinkFactory(owner=owner, assets=AssetFactory.create_batch(2, owner=owner))
    with django_capture_on_commit_callbacks(execute=False):
        job_id = client.post(start_url(link), **JSON).json()["id"]
    stale = timezone.now() - dt.timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, heartbeat_at=stale, done=1, attempts=1)

    assert jobs.jobs_recover_stale() == 1  # eager: dispatched and run at once
    status = client.get(f"/s/{link.token}/download/{job_id}/", **JSON).json()
    assert status["status"] == "succeeded" and status["download_url"]
    assert len(zip_names(client.get(status["download_url"]))) == 3
