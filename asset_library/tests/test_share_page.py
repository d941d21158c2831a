import datetime as dt
import re
import uuid

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from analytics.models import UsageEvent, UsageEventKind
from asset_library import share_views
from assets.models import Asset, AssetType
from assets.tests.factories import AssetFactory, UserFactory
from collections_app import share_passwords
from collections_app.models import ShareKind, ShareLink, ShareLinkItem
from collections_app.tests.factories import CollectionFactory, CollectionItemFactory, ShareLinkFactory

pytestmark = pytest.mark.django_db

FILE_URLS = ("file", "thumbnail", "download")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def owner(db):
    return UserFactory(username="secret-owner-name", email="owner-private@example.com")


def page_url(link):
    return f"/s/{link.token}/"


def file_url(link, asset, what="file"):
    return f"/s/{link.token}/assets/{asset.pk}/{what}/"


def with_thumbnail(**kwargs):
    return AssetFactory(thumbnail=ContentFile(b"RIFF\x00\x00\x00\x00WEBPVP8 thumb", name="t.webp"), **kwargs)


def views(link):
    return ShareLink.objects.get(pk=link.pk).view_count


# --- the page ------------------------------------------------------------------------------


def test_the_page_shows_exactly_the_shared_live_assets_and_nothing_of_the_owner(client, owner, other_user):
    shown = [AssetFactory(owner=owner, title=f"Shown {n}") for n in range(2)]
    trashed = AssetFactory(owner=owner, title="Trashed one", trashed=True)
    AssetFactory(owner=owner, title="Not shared")
    AssetFactory(owner=other_user, title="Someone else")
    link = ShareLinkFactory(owner=owner, title="Autumn picks", assets=[*shown, trashed])

    response = client.get(page_url(link))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Autumn picks" in html and "2 assets" in html
    for asset in shown:
        assert asset.title in html and str(asset.pk) in html
    for absent in ("Trashed one", str(trashed.pk), "Not shared", "Someone else", "secret-owner-name",
                   "owner-private@example.com"):
        assert absent not in html
    assert [card.id for card in response.context["cards"]] == [str(a.pk) for a in sorted(
        shown, key=lambda a: (a.created_at, a.pk), reverse=True)]


def test_the_page_is_public_and_sets_its_security_headers(owner):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])

    response = Client().get(page_url(link))

    assert response.status_code == 200
    # same-origin: the page's forms must post with a real Origin; it links nowhere else.
    assert response["Referrer-Policy"] == "same-origin"
    assert "noindex" in response["X-Robots-Tag"]
    csp = response["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "style-src 'self'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "nonce" not in csp
    html = response.content.decode()
    # Our own stylesheet and script only: no inline script, style block or style attribute.
    scripts = re.findall(r"<script\b[^>]*>", html)
    assert len(scripts) == 1 and re.fullmatch(r'<script type="module" src="/static/asset_library/share[^"]*\.js">',
                                              scripts[0])
    assert "<style" not in html and " style=" not in html
    assert "/static/asset_library/app" in html and "/static/asset_library/share" in html
    assert response["Cache-Control"] == "no-store"


def test_previews_follow_the_type(client, owner):
    image = with_thumbnail(owner=owner, title="Pic")
    bare_image = AssetFactory(owner=owner, title="Bare pic")
    video = with_thumbnail(owner=owner, type=AssetType.VIDEO, mime_type="video/mp4", title="Clip",
                           duration_seconds=75.2, width=1920, height=1080)
    bare_video = AssetFactory(owner=owner, type=AssetType.VIDEO, mime_type="video/mp4", title="Raw clip")
    audio = AssetFactory(owner=owner, type=AssetType.AUDIO, mime_type="audio/mpeg", title="Song")
    text = AssetFactory(owner=owner, type=AssetType.TEXT, title="Story", text_content="It was a <dark> night.")
    pending = AssetFactory(owner=owner, pending=True, title="")
    link = ShareLinkFactory(owner=owner, assets=[image, bare_image, video, bare_video, audio, text, pending])

    html = client.get(page_url(link)).content.decode()

    assert f'src="{file_url(link, image, "thumbnail")}"' in html
    assert f'src="{file_url(link, bare_image)}"' in html
    assert f'src="{file_url(link, video, "thumbnail")}"' in html  # its poster
    assert re.search(rf'<video [^>]*src="{file_url(link, bare_video)}#t=0.1"', html)  # its first frame
    assert "1920×1080 · 1:15" in html and "1:15</span>" in html  # the ▶ badge's duration
    assert 'class="share-waveform"' in html and html.count('width="6"') == 40  # audio's drawn waveform
    assert "It was a &lt;dark&gt; night." in html and "<dark>" not in html
    assert "Untitled image" in html and "No preview" in html
    assert file_url(link, pending) not in html
    # Every card opens the viewer.
    for asset in (image, bare_image, video, bare_video, audio, text, pending):
        assert f'href="{file_url(link, asset)[: -len("file/")]}"' in html


def test_each_view_counts_once_and_records_a_viewed_event(client, owner):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner)])

    client.get(page_url(link))
    client.get(page_url(link))
    client.head(page_url(link))  # not a view

    assert views(link) == 2
    events = UsageEvent.objects.filter(kind=UsageEventKind.VIEWED)
    assert events.count() == 2
    assert {(e.owner_id, e.asset_id, e.source, e.share_link_id) for e in events} == {(owner.pk, None, "share", link.pk)}


def test_a_page_view_costs_a_fixed_number_of_queries(client, owner, django_assert_num_queries):
    link = ShareLinkFactory(owner=owner, assets=AssetFactory.create_batch(3, owner=owner))
    # The link, the COUNT, the page of assets, then the view: UPDATE + INSERT in a savepoint.
    with django_assert_num_queries(7):
        assert client.get(page_url(link)).status_code == 200
    ShareLinkItem.objects.bulk_create(  # more assets, same queries
        [ShareLinkItem(share_link=link, asset=a) for a in AssetFactory.create_batch(12, owner=owner)]
    )
    with django_assert_num_queries(7):
        assert client.get(page_url(link)).status_code == 200


def test_the_page_is_paged(client, owner, monkeypatch):
    monkeypatch.setattr(share_views, "PAGE_SIZE", 2)
    link = ShareLinkFactory(owner=owner, assets=AssetFactory.create_batch(3, owner=owner))

    first = client.get(page_url(link))
    second = client.get(page_url(link), {"page": 2})

    assert len(first.context["cards"]) == 2 and len(second.context["cards"]) == 1
    assert "3 assets" in first.content.decode() and 'href="?page=2"' in first.content.decode()
    assert client.get(page_url(link), {"page": "junk"}).status_code == 200


def test_an_empty_link_says_so(client, owner):
    link = ShareLinkFactory(owner=owner, assets=[AssetFactory(owner=owner, trashed=True)])
    response = client.get(page_url(link))
    assert response.status_code == 200 and "Nothing to show here" in response.content.decode()


def test_a_collection_link_shows_the_collection_as_it_is_now(client, owner):
    collection = CollectionFactory(owner=owner)
    first = CollectionItemFactory(collection=collection, asset__title="First in").asset
    link = ShareLinkFactory(owner=owner, kind=ShareKind.COLLECTION, collection=collection, title="Coll")
    assert "First in" in client.get(page_url(link)).content.decode()

    CollectionItemFactory(collection=collection, asset__title="Added later")
    collection.items.filter(asset=first).delete()

    html = client.get(page_url(link)).content.decode()
    assert "Added later" in html and "First in" not in html
    assert client.get(file_url(link, first)).status_code == 404


def test_a_selection_link_stays_frozen(client, owner):
    asset = AssetFactory(owner=owner, title="Chosen")
    link = ShareLinkFactory(owner=owner, assets=[asset])
    AssetFactory(owner=owner, title="Made later")
    html = client.get(page_url(link)).content.decode()
    assert "Chosen" in html and "Made later" not in html


# --- ended links ---------------------------------------------------------------------------


@pytest.mark.parametrize("state", ["revoked", "expired", "unknown"])
def test_ended_or_unknown_links_are_404_everywhere(client, owner, state):
    asset = with_thumbnail(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[asset])
    if state == "revoked":
        link.revoked_at = timezone.now()
        link.save()
    elif state == "expired":
        link.expires_at = timezone.now() - dt.timedelta(seconds=1)
        link.save()
    else:
        link.token = "A" * 43

    page = client.get(page_url(link))
    assert page.status_code == 404
    assert "A shared link may have expired or been revoked" in page.content.decode()  # our page, not a bare one
    assert client.post(page_url(link), {"password": "x"}).status_code == 404
    for what in FILE_URLS:
        assert client.get(file_url(link, asset, what)).status_code == 404
    assert views(link) == 0 and Asset.objects.get(pk=asset.pk).download_count == 0


def test_revoking_through_the_api_closes_the_page_at_once(api, client):
    asset = AssetFactory(owner=api.user)
    link_id = api.post(f"/api/v1/assets/{asset.pk}/share/", {}, format="json").json()["id"]
    link = ShareLink.objects.get(pk=link_id)
    assert client.get(page_url(link)).status_code == 200

    api.delete(f"/api/v1/shares/{link_id}/")

    assert client.get(page_url(link)).status_code == 404
    assert client.get(file_url(link, asset)).status_code == 404


# --- files ---------------------------------------------------------------------------------


def test_file_is_served_inline_and_hardened(client, owner):
    asset = AssetFactory(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[asset])

    response = client.get(file_url(link, asset))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer" and "noindex" in response["X-Robots-Tag"]
    assert Asset.objects.get(pk=asset.pk).download_count == 0 and views(link) == 0


def test_text_file_is_its_text(client, owner):
    text = AssetFactory(owner=owner, type=AssetType.TEXT, text_content="Ünïcode tale")
    link = ShareLinkFactory(owner=owner, assets=[text])

    response = client.get(file_url(link, text))

    assert response.status_code == 200 and response.content == "Ünïcode tale".encode()
    assert response["Content-Type"] == "text/plain; charset=utf-8"


def test_thumbnail_when_there_is_one(client, owner):
    with_thumb = with_thumbnail(owner=owner)
    without = AssetFactory(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[with_thumb, without])

    response = client.get(file_url(link, with_thumb, "thumbnail"))

    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "sandbox" in response["Content-Security-Policy"]
    assert client.get(file_url(link, without, "thumbnail")).status_code == 404


def test_assets_outside_the_link_are_404(client, owner, other_user):
    shared = AssetFactory(owner=owner)
    trashed = with_thumbnail(owner=owner, trashed=True)
    not_shared = with_thumbnail(owner=owner)
    theirs = with_thumbnail(owner=other_user)
    link = ShareLinkFactory(owner=owner, assets=[shared, trashed])
    other_link = ShareLinkFactory(owner=other_user, assets=[theirs])

    for asset in (trashed, not_shared, theirs):
        for what in FILE_URLS:
            assert client.get(file_url(link, asset, what)).status_code == 404, (asset.title, what)
    # A real asset id from another link does not open through this one.
    assert client.get(file_url(other_link, shared)).status_code == 404
    assert client.get(f"/s/{link.token}/assets/{uuid.uuid4()}/file/").status_code == 404
    assert client.get(f"/s/{link.token}/assets/not-a-uuid/file/").status_code == 404
    assert Asset.objects.filter(download_count__gt=0).count() == 0


def test_download_counts_one_download_with_the_link(client, owner):
    asset = AssetFactory(owner=owner, title="Sun set")
    link = ShareLinkFactory(owner=owner, assets=[asset])

    response = client.get(file_url(link, asset, "download"))

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"\x89PNG fake"
    assert response["Content-Disposition"].startswith("attachment")
    assert "Sun set.png" in response["Content-Disposition"]
    assert "sandbox" in response["Content-Security-Policy"]
    assert Asset.objects.get(pk=asset.pk).download_count == 1
    event = UsageEvent.objects.get(kind=UsageEventKind.DOWNLOADED)
    assert (event.asset_id, event.source, event.share_link_id) == (asset.pk, "share", link.pk)
    assert 'href="' + file_url(link, asset, "download") + '"' in client.get(page_url(link)).content.decode()


def test_download_is_404_when_the_link_does_not_allow_it(client, owner):
    asset = AssetFactory(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[asset], allow_download=False)

    assert client.get(file_url(link, asset, "download")).status_code == 404
    assert file_url(link, asset, "download") not in client.get(page_url(link)).content.decode()
    assert client.get(file_url(link, asset)).status_code == 200  # the preview still shows
    assert Asset.objects.get(pk=asset.pk).download_count == 0


def test_file_urls_take_no_writes(client, owner):
    asset = AssetFactory(owner=owner)
    link = ShareLinkFactory(owner=owner, assets=[asset])
    for what in FILE_URLS:
        assert client.post(file_url(link, asset, what)).status_code == 405
    assert client.put(page_url(link)).status_code == 405


# --- passwords -----------------------------------------------------------------------------


@pytest.fixture
def locked(owner):
    asset = with_thumbnail(owner=owner, title="Behind the lock")
    link = ShareLinkFactory(owner=owner, title="Locked title", assets=[asset], password="open sesame")
    return link, asset


def test_a_locked_link_shows_only_the_form(client, locked):
    link, asset = locked

    response = client.get(page_url(link))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="password"' in html and "csrfmiddlewaretoken" in html
    assert "Behind the lock" not in html and "Locked title" not in html and str(asset.pk) not in html
    # Not no-referrer: browsers would then post the form with `Origin: null`, failing CSRF.
    assert response["Referrer-Policy"] == "same-origin" and "noindex" in response["X-Robots-Tag"]
    assert 'name="referrer"' not in html  # a <meta> would override the header (checked in Chromium)
    assert response["Content-Security-Policy"] == share_views.PAGE_CSP  # our own script only, no inline code
    assert views(link) == 0


def test_every_file_url_needs_the_password(client, locked):
    link, asset = locked
    for what in FILE_URLS:
        assert client.get(file_url(link, asset, what)).status_code == 403, what
    assert Asset.objects.get(pk=asset.pk).download_count == 0


def test_a_wrong_password_shows_the_form_again(client, locked):
    link, asset = locked

    response = client.post(page_url(link), {"password": "open says me"})

    assert response.status_code == 403
    html = response.content.decode()
    assert "That password is not right." in html and "Behind the lock" not in html
    assert client.get(file_url(link, asset)).status_code == 403


def test_the_right_password_unlocks_the_page_and_its_files_for_this_session(client, locked):
    link, asset = locked

    response = client.post(page_url(link), {"password": "open sesame"})

    assert response.status_code == 303 and response["Location"] == page_url(link)
    page = client.get(page_url(link))
    assert page.status_code == 200 and "Behind the lock" in page.content.decode()
    for what in FILE_URLS:
        assert client.get(file_url(link, asset, what)).status_code == 200, what
    assert views(link) == 1
    # Another browser has not given the password.
    stranger = Client()
    assert "Behind the lock" not in stranger.get(page_url(link)).content.decode()
    assert stranger.get(file_url(link, asset)).status_code == 403


def test_changing_the_password_ends_earlier_unlocks(client, locked):
    link, asset = locked
    client.post(page_url(link), {"password": "open sesame"})
    assert client.get(file_url(link, asset)).status_code == 200

    link.password_hash = share_passwords.password_hash_for("a new one")
    link.save()

    assert client.get(file_url(link, asset)).status_code == 403
    assert "Behind the lock" not in client.get(page_url(link)).content.decode()


def test_guesses_are_throttled(client, locked, settings):
    link, _asset = locked
    for _ in range(share_passwords.MAX_ATTEMPTS):
        assert client.post(page_url(link), {"password": "guess"}).status_code == 403

    response = client.post(page_url(link), {"password": "open sesame"})

    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Too many wrong passwords" in response.content.decode()
    # Another address can still try.
    assert Client(REMOTE_ADDR="10.0.0.9").post(page_url(link), {"password": "open sesame"}).status_code == 303


def test_the_password_form_is_csrf_protected(locked):
    link, _asset = locked
    client = Client(enforce_csrf_checks=True)

    assert client.post(page_url(link), {"password": "open sesame"}).status_code == 403  # no token

    form = client.get(page_url(link))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.content.decode()).group(1)
    response = client.post(page_url(link), {"password": "open sesame", "csrfmiddlewaretoken": token})
    assert response.status_code == 303


def test_posting_to_a_link_without_a_password_just_goes_back(client, owner):
    link = ShareLinkFactory(owner=owner)
    response = client.post(page_url(link), {"password": "anything"})
    assert response.status_code == 303 and response["Location"] == page_url(link)
