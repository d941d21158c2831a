"""The library page as the server renders it (no browser): login, first page, filters, owners."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from asset_library import display, library_state
from assets.models import AssetStatus, AssetType
from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_in(client, user):
    client.force_login(user)
    return client


def config_of(response):
    """What the page (or its results alone) tells library.js about the results."""
    html = response.content.decode()
    marker = '<script id="library-results" type="application/json">'
    start = html.index(marker) + len(marker)
    return json.loads(html[start:html.index("</script>", start)])


def test_library_requires_login(client):
    response = client.get("/library/?type=image")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/library/")


def test_login_page_renders_and_logs_in(client, user):
    page = client.get("/accounts/login/")
    assert page.status_code == 200
    assert 'name="username"' in page.content.decode()
    response = client.post("/accounts/login/", {"username": user.username, "password": "pass-w0rd-123"})
    assert response.status_code == 302
    assert response["Location"] == "/library/"


def test_logout_is_a_post(client_in):
    response = client_in.post("/accounts/logout/")
    assert response.status_code == 302
    assert client_in.get("/library/").status_code == 302


def test_old_image_studio_address_redirects(client):
    assert client.get("/image-studio/asset-library")["Location"] == "/library/"


def test_first_page_is_rendered_server_side(client_in, user):
    AssetFactory(owner=user, title="Lighthouse at dusk")
    AssetFactory(owner=user, title="Harbour podcast intro", type=AssetType.AUDIO, duration_seconds=65)
    AssetFactory(owner=user, title="Short story draft", type=AssetType.TEXT, text_content="It was a dark night.")
    response = client_in.get("/library/")
    assert response.status_code == 200
    html = response.content.decode()
    for title in ("Lighthouse at dusk", "Harbour podcast intro", "Short story draft"):
        assert title in html
    assert "It was a dark night." in html  # the text snippet
    assert html.count("1:05") == 1  # the audio duration, once (on its preview, not again under it)
    assert "3 assets" in html
    config = config_of(response)
    assert config["count"] == 3
    titles = {a["title"] for a in config["assets"]}
    assert titles == {"Lighthouse at dusk", "Harbour podcast intro", "Short story draft"}
    assert "csrftoken" in response.cookies


def test_filters_in_the_query_string_apply_server_side(client_in, user):
    AssetFactory(owner=user, title="Red image", tags=["sunset"])
    AssetFactory(owner=user, title="Failed image", status=AssetStatus.FAILED)
    AssetFactory(owner=user, title="A story", type=AssetType.TEXT, source_module="story_writer")
    html = client_in.get("/library/?type=text").content.decode()
    assert "A story" in html and "Red image" not in html
    html = client_in.get("/library/?status=failed").content.decode()
    assert "Failed image" in html and "Red image" not in html
    assert "Status: <span class=\"chip-value\">Failed</span>" in html
    html = client_in.get("/library/?tags=sunset").content.decode()
    assert "Red image" in html and "Failed image" not in html
    html = client_in.get("/library/?source_module=story_writer&type=text").content.decode()
    assert "A story" in html and "Red image" not in html
    html = client_in.get("/library/?q=story").content.decode()
    assert "A story" in html and "Red image" not in html


def test_date_filters_and_paging(client_in, user):
    old = timezone.now() - dt.timedelta(days=40)
    AssetFactory(owner=user, title="Old one", created_at=old)
    for n in range(5):
        AssetFactory(owner=user, title=f"New {n}")
    html = client_in.get(f"/library/?date={old.date().isoformat()}").content.decode()
    assert "Old one" in html and "New 0" not in html
    html = client_in.get(f"/library/?created_before={(old + dt.timedelta(days=1)).date().isoformat()}").content.decode()
    assert "Old one" in html and "New 0" not in html
    response = client_in.get("/library/?page_size=2&page=2&ordering=title")
    config = config_of(response)
    assert [a["title"] for a in config["assets"]] == ["New 2", "New 3"]
    assert config["page"] == 2 and config["num_pages"] == 3


def test_bad_filters_are_explained_not_a_500(client_in, user):
    AssetFactory(owner=user, title="Anything")
    response = client_in.get("/library/?status=done&page=abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "status" in html and "is not one of" in html
    assert "Anything" not in html


def test_another_owners_assets_are_never_rendered(client_in, user, other_user):
    AssetFactory(owner=user, title="Mine")
    theirs = AssetFactory(owner=other_user, title="Someone else's secret", tags=["shared-tag"])
    for url in ("/library/", f"/library/?id={theirs.pk.hex[:8]}", "/library/?tags=shared-tag", "/library/?q=secret"):
        html = client_in.get(url).content.decode()
        assert "Someone else" not in html  # however its quote is escaped
        assert str(theirs.pk) not in html


@pytest.mark.parametrize("view", ["grid", "list"])
def test_cards_and_rows_escape_what_people_type(client_in, user, view):
    """Cards and table rows (Jinja2) escape every value as the Django templates do, and
    link to each asset's page with the list's query."""
    asset = AssetFactory(owner=user, title='<b>Bold</b> "quoted" & it\'s', model="x<y>",
                         tags=["<i>tag</i>"], usage_count=3)
    text = AssetFactory(owner=user, type=AssetType.TEXT, title="", text_content="A <dark> night")

    html = client_in.get("/library/", {"view": view, "q": "", "type": "image,text"}).content.decode()

    assert "<b>Bold</b>" not in html and "<y>" not in html and "<dark>" not in html and "<i>tag" not in html
    assert "&lt;b&gt;Bold&lt;/b&gt;" in html and "&amp; it" in html and "x&lt;y&gt;" in html
    assert f'href="/library/assets/{asset.pk}/?view={view}&amp;q=&amp;type=image%2Ctext"' in html
    assert f'data-id="{text.pk}"' in html and "Untitled text" in html
    if view == "grid":
        assert "A &lt;dark&gt; night" in html and 'class="media-badge media-used"' in html
    else:
        assert "&lt;i&gt;tag&lt;/i&gt;" in html and f"<code>{str(asset.pk)[:8]}</code>" in html


def test_trashed_assets_stay_out_of_the_library(client_in, user):
    AssetFactory(owner=user, title="Kept")
    AssetFactory(owner=user, title="Binned", trashed=True)
    html = client_in.get("/library/?in_trash=true").content.decode()
    assert "Kept" in html and "Binned" not in html


def test_view_mode_comes_from_the_url_then_the_cookie(client_in, user):
    AssetFactory(owner=user, title="Row me")
    assert 'class="asset-table"' in client_in.get("/library/?view=list").content.decode()
    client_in.cookies["library_view"] = "list"
    assert 'class="asset-table"' in client_in.get("/library/").content.decode()
    assert 'class="asset-grid"' in client_in.get("/library/?view=grid").content.decode()


def test_empty_library_and_empty_results_say_what_to_do(client_in, user):
    html = client_in.get("/library/").content.decode()
    assert "Your library is empty" in html
    AssetFactory(owner=user, title="Something")
    html = client_in.get("/library/?q=nothing-like-this").content.decode()
    assert "No assets match these filters" in html and "Clear filters" in html


def test_sidebar_lists_collections_with_counts(client_in, user):
    from collections_app.models import Collection, CollectionItem

    collection = Collection.objects.create(owner=user, name="Launch kit")
    asset = AssetFactory(owner=user, title="In the kit")
    CollectionItem.objects.create(collection=collection, asset=asset)
    html = client_in.get(f"/library/?collection={collection.pk}").content.decode()
    assert "Launch kit" in html
    assert 'aria-label="1 assets"' in html
    assert "<h1 class=\"page-title\" data-heading>Launch kit</h1>" in html


def test_the_page_queries_do_not_grow_with_the_page(client_in, user, django_assert_max_num_queries):
    for n in range(30):
        AssetFactory(owner=user, title=f"Asset {n}", tags=["a", "b"])
    with django_assert_max_num_queries(14):
        client_in.get("/library/?page_size=30")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(20, "just now"), (60, "1 min ago"), (150, "3 min ago"), (7200, "2 h ago"), (90000, "yesterday"),
     (3 * 86400, "3 days ago")],
)
def test_relative_time_matches_the_scripts_rules(seconds, text):
    now = timezone.now()
    assert display.relative_time(now - dt.timedelta(seconds=seconds), now) == text


def test_formatting_helpers():
    assert display.credits("0.0400") == "0.04"
    assert display.credits("0.0067") == "0.0067"
    assert display.credits("1234.5000") == "1,234.50"
    assert display.duration(65.4) == "1:05"
    assert display.duration(3725) == "1:02:05"
    assert display.waveform_bars("9b2f0c6e-0000")[:3] == display.waveform_bars("9b2f0c6e-1111")[:3]
    assert library_state.page_links(1, 3) == [1, 2, 3]
    assert library_state.page_links(10, 20) == [1, None, 9, 10, 11, None, 20]


def test_the_sidebar_collections_alone(client_in, user):
    from collections_app.models import Collection

    collection = Collection.objects.create(owner=user, name="Launch kit")
    html = client_in.get("/library/nav-collections/").content.decode()
    assert 'data-swap="nav-collections"' in html and "<html" not in html
    assert f'href="/library/?collection={collection.pk}"' in html and "Launch kit" in html
