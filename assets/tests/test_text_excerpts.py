"""Lists carry a text's excerpt, never the whole text; the detail carries both."""

import pytest

from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LONG_TEXT = "Chapter one. " + "The lighthouse keeper counted the waves. " * 20_000  # ~800 KB


@pytest.fixture
def story(user):
    return AssetFactory(owner=user, text=True, text_content=LONG_TEXT, title="Keeper")


def test_a_list_page_carries_the_excerpt_and_no_text(api, user, story):
    image = AssetFactory(owner=user)
    response = api.get("/api/v1/assets/")
    rows = {row["id"]: row for row in response.json()["results"]}
    assert rows[str(story.pk)]["text_content"] is None
    assert rows[str(story.pk)]["text_excerpt"] == LONG_TEXT[:500]
    assert rows[str(image.pk)]["text_excerpt"] is None
    assert len(response.content) < 10_000
    # That the text itself is not even read from the database: test_query_plans.py.


def test_searches_and_the_trash_list_carry_excerpts_too(api, story):
    searched = api.get("/api/v1/assets/", {"q": "keeper"}).json()["results"]
    assert [(row["text_content"], row["text_excerpt"][:12]) for row in searched] == [(None, "Chapter one.")]
    api.delete(f"/api/v1/assets/{story.pk}/")
    trashed = api.get("/api/v1/assets/", {"in_trash": "true"}).json()["results"]
    assert trashed[0]["text_content"] is None and trashed[0]["text_excerpt"] == LONG_TEXT[:500]


def test_the_detail_carries_the_whole_text_and_its_excerpt(api, story):
    detail = api.get(f"/api/v1/assets/{story.pk}/").json()
    assert detail["text_content"] == LONG_TEXT
    assert detail["text_excerpt"] == LONG_TEXT[:500]


def test_a_short_text_is_its_own_excerpt_and_non_text_assets_have_none(api, user):
    short = AssetFactory(owner=user, text=True, text_content="Short.")
    assert api.get("/api/v1/assets/").json()["results"][0]["text_excerpt"] == "Short."
    assert api.get(f"/api/v1/assets/{short.pk}/").json()["text_excerpt"] == "Short."


def test_the_library_page_shows_the_excerpt_not_the_whole_text(client, user, story):
    client.force_login(user)
    page = client.get("/library/").content.decode()
    assert "The lighthouse keeper counted the waves." in page
    assert page.count("The lighthouse keeper counted the waves.") < 30


def test_text_assets_in_a_list_cost_no_query_each(api, user, django_assert_num_queries):
    def list_queries():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/assets/").status_code == 200
        return len(queries.captured_queries)

    AssetFactory(owner=user, text=True, file="", text_content="One.")
    AssetFactory(owner=user, text=True, file="", text_content=None, pending=True)
    one_of_each = list_queries()
    AssetFactory.create_batch(5, owner=user, text=True, file="", text_content="More.")
    AssetFactory.create_batch(3, owner=user, text=True, file="", text_content=None, pending=True)
    assert list_queries() == one_of_each
    rows = api.get("/api/v1/assets/").json()["results"]
    assert sum(row["file_url"] is None for row in rows) == 4
