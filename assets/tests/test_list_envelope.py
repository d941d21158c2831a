"""The asset list's envelope, as the contract states it: count (exact), count_exact,
corrected_q, next, previous, results; with page numbers and with a cursor."""

import pytest

from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"


@pytest.mark.parametrize("params", [{}, {"q": "lighthouse"}, {"type": "image", "page_size": 2}, {"cursor": ""}])
def test_every_list_answer_says_whether_its_count_is_exact_and_what_spelling_it_used(api, params):
    AssetFactory.create_batch(3, owner=api.user, title="Lighthouse at dusk")

    body = api.get(LIST, params).json()

    assert list(body) == ["count", "count_exact", "corrected_q", "next", "previous", "results"]
    assert body["count"] == 3 and body["count_exact"] is True and body["corrected_q"] is None


def test_later_cursor_pages_keep_the_envelope(api):
    AssetFactory.create_batch(3, owner=api.user)
    first = api.get(LIST, {"cursor": "", "page_size": 2}).json()

    second = api.get(first["next"]).json()

    assert second["count"] is None and second["count_exact"] is True and second["corrected_q"] is None
    assert len(second["results"]) == 1


def test_the_schema_states_the_envelope(api):
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    listing = schema["paths"]["/api/v1/assets/"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    envelope = schema["components"]["schemas"][listing["$ref"].rsplit("/", 1)[-1]]

    assert {"count", "count_exact", "corrected_q", "results"} <= set(envelope["required"])
    assert envelope["properties"]["count_exact"]["type"] == "boolean"
    assert envelope["properties"]["corrected_q"]["nullable"] is True


@pytest.mark.parametrize("ordering", ["", "title", "-cost", "file_size"])
def test_a_deep_page_reads_its_ids_first_and_lists_the_same_rows(api, monkeypatch, ordering):
    """From DEEP_OFFSET rows in, a page reads its ids before its rows (no row's tags and
    collections are computed for the rows it skips): the same rows, in the same order,
    with the same tags, as reading them at once."""
    from assets import listing

    for n in range(9):
        AssetFactory(owner=api.user, title=f"Poster {n % 3}", cost=f"0.0{n % 4}", file_size=(n % 2) * 100 or None,
                     tags=[f"t{n}"])
    params = {"page_size": 2, **({"ordering": ordering} if ordering else {})}
    at_once = [api.get(LIST, {**params, "page": page}).json()["results"] for page in (1, 2, 3, 4, 5)]

    monkeypatch.setattr(listing, "DEEP_OFFSET", 1)
    ids_first = [api.get(LIST, {**params, "page": page}).json()["results"] for page in (1, 2, 3, 4, 5)]

    assert ids_first == at_once
    assert [len(page) for page in at_once] == [2, 2, 2, 2, 1]
    assert len({item["id"] for page in at_once for item in page}) == 9
    assert all(item["tags"] for page in ids_first for item in page)
