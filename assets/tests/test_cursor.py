"""Keyset paging (`?cursor=`): every asset exactly once, in order, while the library grows."""

import base64
import datetime as dt
import json
from decimal import Decimal

import pytest

from assets.tests.factories import AssetFactory

pytestmark = pytest.mark.django_db

LIST = "/api/v1/assets/"
BASE = dt.datetime(2024, 3, 1, 12, tzinfo=dt.UTC)


def get_ok(client, url, params=None):
    response = client.get(url, params) if params is not None else client.get(url)
    assert response.status_code == 200, response.json()
    return response.json()


def page_numbered(client, **params) -> list[str]:
    """The whole list as page numbers give it (the reference order)."""
    body = get_ok(client, LIST, {**params, "page_size": 200})
    assert body["count"] == len(body["results"])
    return [item["id"] for item in body["results"]]


def walk(client, between_pages=None, **params) -> tuple[list[str], list[dict]]:
    """Follow `next` from `?cursor=` to the end; returns the ids seen and the page bodies."""
    bodies = [get_ok(client, LIST, {"cursor": "", **params})]
    while bodies[-1]["next"]:
        if between_pages:
            between_pages(len(bodies))
        bodies.append(get_ok(client, bodies[-1]["next"]))
        assert len(bodies) < 500, "the cursor does not advance"
    seen = [item["id"] for body in bodies for item in body["results"]]
    return seen, bodies


def cursor_token(ordering, value, asset_id) -> str:
    raw = json.dumps({"o": ordering, "v": value, "id": asset_id}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def test_empty_cursor_gives_the_first_page_with_count_and_next(api):
    for minute in range(5):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))

    body = get_ok(api, LIST, {"cursor": "", "page_size": 2})

    assert body["count"] == 5
    assert len(body["results"]) == 2
    assert body["previous"] is None
    assert "cursor=" in body["next"] and "page_size=2" in body["next"]
    assert [item["id"] for item in body["results"]] == page_numbered(api)[:2]


def test_later_pages_have_no_count_and_the_last_has_no_next(api):
    for minute in range(5):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))

    _, bodies = walk(api, page_size=2)

    assert [len(body["results"]) for body in bodies] == [2, 2, 1]
    assert [body["count"] for body in bodies] == [5, None, None]
    assert bodies[-1]["next"] is None


def test_an_exact_last_page_has_no_next(api):
    for minute in range(4):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))

    _, bodies = walk(api, page_size=2)

    assert [len(body["results"]) for body in bodies] == [2, 2]


def test_an_empty_library_is_one_empty_page(api):
    body = get_ok(api, LIST, {"cursor": ""})

    assert body == {"count": 0, "count_exact": True, "corrected_q": None, "next": None, "previous": None, "results": []}


def test_following_next_gives_every_asset_once_in_order(api):
    for minute in range(23):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))

    seen, _ = walk(api, page_size=4)

    assert seen == page_numbered(api)
    assert len(seen) == 23


def test_assets_created_while_paging_never_shift_the_pages(api):
    for minute in range(12):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))
    before = page_numbered(api)
    created = []

    def add_assets(_page_number):
        for _ in range(3):
            response = api.post(LIST, {"source_module": "upload", "type": "text", "text_content": "new"}, format="json")
            assert response.status_code == 201, response.json()
            created.append(response.json()["id"])

    seen, _ = walk(api, between_pages=add_assets, page_size=5)

    assert seen == before  # nothing repeated, nothing skipped, and the newer ones come before the cursor
    assert not set(created) & set(seen)
    assert len(created) == 6


def test_assets_trashed_while_paging_are_not_repeated_or_others_skipped(api):
    assets = [AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))
              for minute in range(10)]
    before = page_numbered(api)

    def trash_a_seen_one(page_number):
        api.delete(f"{LIST}{before[page_number * 4 - 1]}/")

    seen, _ = walk(api, between_pages=trash_a_seen_one, page_size=4)

    assert seen == before
    assert len(assets) == 10


def test_many_assets_sharing_created_at_are_ordered_by_id(api):
    same = BASE
    assets = [AssetFactory(owner=api.user, file="", created_at=same) for _ in range(13)]
    AssetFactory(owner=api.user, file="", created_at=same - dt.timedelta(microseconds=1))
    AssetFactory(owner=api.user, file="", created_at=same + dt.timedelta(microseconds=1))

    seen, _ = walk(api, page_size=3)

    assert seen == page_numbered(api)
    assert seen[1:14] == sorted((str(asset.pk) for asset in assets), reverse=True)
    oldest_first, _ = walk(api, page_size=4, ordering="created_at")
    assert oldest_first == list(reversed(seen))


def test_paging_through_ties_while_newer_assets_arrive(api):
    same = BASE
    for _ in range(8):
        AssetFactory(owner=api.user, file="", created_at=same)
    before = page_numbered(api)

    seen, _ = walk(
        api,
        between_pages=lambda _: AssetFactory(owner=api.user, file="", created_at=same + dt.timedelta(seconds=1)),
        page_size=3,
    )

    assert seen == before


@pytest.fixture
def varied(api):
    """Assets with many ties in every ordering field (titles that differ only in case among
    them), some without a file size."""
    rows = []
    for index in range(17):
        rows.append(
            AssetFactory(owner=api.user, file="",
                title=["Alpha", "bravo", "Charlie", "alpha", "BRAVO"][index % 5],
                cost=Decimal(["0.0400", "0.1000", "1.5000", "0"][index % 4]),
                download_count=index % 5,
                file_size=None if index % 3 == 0 else 1000 * (index % 4),
                created_at=BASE + dt.timedelta(minutes=index % 6),
            )
        )
    return rows


@pytest.mark.parametrize(
    "ordering",
    [
        "created_at", "-created_at", "title", "-title", "cost", "-cost",
        "download_count", "-download_count", "file_size", "-file_size",
    ],
)
@pytest.mark.parametrize("page_size", [1, 4])
def test_every_ordering_walks_without_repeats_or_gaps(api, varied, ordering, page_size):
    seen, bodies = walk(api, ordering=ordering, page_size=page_size)

    assert seen == page_numbered(api, ordering=ordering)
    assert len(seen) == len(varied) == bodies[0]["count"]


def test_titles_sort_without_regard_to_case_in_pages_and_cursors(api):
    titles = ["Yoga at dawn", "brand colours", "Apple", "apple", "Zebra"]
    made = {title: str(AssetFactory(owner=api.user, file="", title=title).pk) for title in titles}
    apples = sorted([made["Apple"], made["apple"]])  # equal but for case: by id

    ascending = page_numbered(api, ordering="title")
    descending = page_numbered(api, ordering="-title")

    assert ascending == [*apples, made["brand colours"], made["Yoga at dawn"], made["Zebra"]]
    assert descending == list(reversed(ascending))
    for page_size in (1, 2, 4):
        assert walk(api, ordering="title", page_size=page_size)[0] == ascending
        assert walk(api, ordering="-title", page_size=page_size)[0] == descending


def test_file_size_nulls_sort_lowest_in_both_directions(api):
    sized = [AssetFactory(owner=api.user, file="", file_size=size) for size in (10, 20)]
    unsized = [AssetFactory(owner=api.user, file="", file_size=None) for _ in range(3)]

    ascending, _ = walk(api, ordering="file_size", page_size=2)
    descending, _ = walk(api, ordering="-file_size", page_size=2)

    unsized_ids = sorted(str(asset.pk) for asset in unsized)
    assert ascending == [*unsized_ids, str(sized[0].pk), str(sized[1].pk)]
    assert descending == [str(sized[1].pk), str(sized[0].pk), *reversed(unsized_ids)]


def test_cursor_respects_filters_and_search(api):
    for index in range(9):
        AssetFactory(owner=api.user, file="", title=f"Lighthouse {index}", prompt="", tags=["x" if index % 2 else "y"],
             created_at=BASE + dt.timedelta(minutes=index))
    AssetFactory(owner=api.user, file="", title="Boat", prompt="", tags=["x"])
    AssetFactory(owner=api.user, file="", title="Lighthouse", prompt="", tags=["x"], trashed=True)

    seen, bodies = walk(api, q="lighthouse", tags="x,z", page_size=2)

    assert seen == page_numbered(api, q="lighthouse", tags="x,z", ordering="-created_at")
    assert bodies[0]["count"] == 4
    trash, _ = walk(api, in_trash="true", page_size=1)
    assert len(trash) == 1


def test_relevance_is_replaced_by_newest_first_with_a_cursor(api):
    older = AssetFactory(owner=api.user, file="", title="Lighthouse", created_at=BASE)
    newer = AssetFactory(owner=api.user, file="", title="Sea", description="lighthouse",
                         created_at=BASE + dt.timedelta(days=1))

    seen, _ = walk(api, q="lighthouse", page_size=1)

    assert seen == [str(newer.pk), str(older.pk)]


# Fixed, so that parametrized test ids are the same in every xdist process.
FIXED_ID = "5f0c8a1e2b3d4c5e8f9a0b1c2d3e4f50"


# --- bad cursors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        "!!!",
        "a",
        "e30",  # {}
        base64.urlsafe_b64encode(b"not json").decode(),
        base64.urlsafe_b64encode(b"[1, 2]").decode(),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        cursor_token("-created_at", "yesterday", FIXED_ID),
        cursor_token("-created_at", "2024-03-01T12:00:00+00:00", "not-a-uuid"),
        cursor_token("-created_at", "2024-03-01T12:00:00+00:00", 12345),
        cursor_token("-created_at", "2024-03-01T12:00:00+00:00", None),
        cursor_token("-created_at", None, FIXED_ID),
        cursor_token("-created_at", 12345, FIXED_ID),
        cursor_token("-created_at", ["2024"], FIXED_ID),
        cursor_token("-created_at", "2024-03-01T12:00:00", FIXED_ID),  # naive
        cursor_token("-created_at", "0001-01-01T00:00:00+14:00", FIXED_ID),  # before year 1 in UTC
    ],
)
def test_a_malformed_cursor_is_400_naming_cursor(api, token):
    AssetFactory(owner=api.user, file="")

    response = api.get(LIST, {"cursor": token})

    assert response.status_code == 400, response.content
    assert "cursor" in response.json()


@pytest.mark.parametrize(
    ("ordering", "value"),
    [
        ("cost", "abc"),
        ("cost", "NaN"),
        ("cost", "Infinity"),
        ("cost", "1e999999"),
        ("download_count", "1.5"),
        ("download_count", "99999999999999999999999"),
        ("file_size", "99999999999999999999999"),
        ("file_size", "ten"),
        ("title", None),
        ("title", {"a": 1}),
    ],
)
def test_a_cursor_with_an_impossible_value_is_400_naming_cursor(api, ordering, value):
    AssetFactory(owner=api.user, file="")

    response = api.get(LIST, {"cursor": cursor_token(ordering, value, FIXED_ID), "ordering": ordering})

    assert response.status_code == 400, response.content
    assert "cursor" in response.json()


def test_a_cursor_from_another_ordering_is_400_naming_cursor(api):
    for minute in range(3):
        AssetFactory(owner=api.user, file="", created_at=BASE + dt.timedelta(minutes=minute))
    first = get_ok(api, LIST, {"cursor": "", "page_size": 1, "ordering": "cost"})
    token = first["next"].split("cursor=")[1].split("&")[0]

    response = api.get(LIST, {"cursor": token, "page_size": 1, "ordering": "-cost"})
    default = api.get(LIST, {"cursor": token, "page_size": 1})

    assert response.status_code == 400 and "cursor" in response.json()
    assert default.status_code == 400 and "cursor" in default.json()


def test_cursor_and_page_together_are_400(api):
    AssetFactory(owner=api.user, file="")

    response = api.get(LIST, {"cursor": "", "page": "1"})

    assert response.status_code == 400
    assert "cursor" in response.json()


def test_bad_page_size_with_a_cursor_is_400_naming_page_size(api):
    response = api.get(LIST, {"cursor": "", "page_size": "500"})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_a_title_cursor_carries_the_databases_lowered_title_whatever_row_it_is_made_from(api):
    from assets import keyset

    asset = AssetFactory(owner=api.user, file="", title="Brand Colours")

    value, last_id = keyset.decode_cursor(keyset.encode_cursor("title", asset), "title")

    assert (value, last_id) == ("brand colours", asset.pk)
