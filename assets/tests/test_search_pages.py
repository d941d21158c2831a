"""A keyword search ranks, counts and pages its matches from the search rows (PostgreSQL).

Ranked by relevance, a page and its count come from one pass over the owner's search
rows; with an explicit ordering, the count does. Every test compares those answers with
what the list query itself gives for the same parameters (its rows, read in full):
results, order, counts and errors must not differ.
"""

import datetime as dt

import pytest
from django.db import connection

from assets import services
from assets.models import Asset, AssetSearch
from assets.selectors import asset_listing
from assets.tests.conftest import SEARCHED_AT
from assets.tests.factories import AssetFactory

pytestmark = [pytest.mark.django_db]

LIST = "/api/v1/assets/"
EVERY_TYPE = "image,video,audio,text"
on_postgres = connection.vendor == "postgresql"


def listed(client, **params):
    """(ids, count) of one list request."""
    response = client.get(LIST, params)
    assert response.status_code == 200, response.json()
    body = response.json()
    return [item["id"] for item in body["results"]], body["count"]


def list_query(user, **params):
    """(ids of the page, count) as the list query itself gives them: every row, in order."""
    everything = [str(asset.pk) for asset in asset_listing(owner=user, params=params).rows]
    size, number = int(params.get("page_size", 24)), int(params.get("page", 1))
    return everything[(number - 1) * size : number * size], len(everything)


def assert_same_as_list_query(client, **params):
    # Whether the one pass over the search rows answered: test_query_plans.py.
    ids, count = listed(client, **params)
    assert (ids, count) == list_query(client.user, **params)
    return ids, count


def test_a_search_page_and_count_match_the_list_query(search_library):
    ids, count = assert_same_as_list_query(search_library, q="lighthouse")

    assert count == 6
    assert len(ids) == 6


@pytest.mark.parametrize("page_size", [1, 2, 4, 5])
def test_every_page_matches_and_together_they_list_each_match_once(search_library, page_size):
    pages = [assert_same_as_list_query(search_library, q="lighth", page_size=page_size, page=number)[0]
             for number in range(1, 6 // page_size + (6 % page_size > 0) + 1)]

    together = [pk for page in pages for pk in page]
    assert len(together) == len(set(together)) == 6


def test_a_page_past_the_end_is_the_same_error(search_library):
    for params in ({"q": "lighthouse", "page": 3, "page_size": 4},
                   {"q": "lighthouse", "type": EVERY_TYPE, "page": 3, "page_size": 4}):
        response = search_library.get(LIST, params)

        assert response.status_code == 400
        assert response.json()["page"] == ["There are only 2 pages."]


def test_no_match_is_an_empty_first_page(search_library):
    assert assert_same_as_list_query(search_library, q="zeppelin") == ([], 0)


def test_the_trash_is_searched_alone(search_library):
    ids, count = assert_same_as_list_query(search_library, q="lighthouse", in_trash="true")

    assert count == 2
    assert None not in set(Asset.objects.filter(pk__in=ids).values_list("deleted_at", flat=True))


@pytest.mark.parametrize(
    "params",
    [
        {"date": "2025-03-10"},
        {"date": "2025-03-11", "tz": "Pacific/Kiritimati"},  # 10:00 UTC on the 10th is the 11th there
        {"created_after": "2025-03-10T12:02:00Z"},
        {"created_before": "2025-03-10T12:02:00Z"},
        {"created_after": "2025-03-10T12:01:00", "created_before": "2025-03-10T12:03:00", "tz": "UTC"},
        {"date": "2025-03-09"},
    ],
)
def test_dates_combine_with_a_search(search_library, params):
    ids, count = assert_same_as_list_query(search_library, q="lighthouse", **params)

    assert count == len(ids)


@pytest.mark.parametrize(
    "params",
    [
        {"favorites": "true"}, {"tags": "night"}, {"model": "IDEO"}, {"type": "image"}, {"type": "text"},
        {"type": EVERY_TYPE}, {"status": "completed"}, {"source_module": "image_studio"}, {"min_cost": "0.3"},
        {"favorites": "true", "in_trash": "true"}, {"favorites": "true", "date": "2025-03-10", "page_size": 1},
        {"tags": "night,nothing", "type": "image", "max_cost": "0.5"},
    ],
)
def test_filters_on_the_assets_columns_rank_among_the_assets_they_select(search_library, params):
    ids, count = assert_same_as_list_query(search_library, q="lighthouse", **params)

    assert count == len(ids) or "page_size" in params


@pytest.mark.parametrize(
    "params",
    [{"ordering": "-created_at"}, {"ordering": "title"}, {"ordering": "-cost", "favorites": "true"},
     {"ordering": "created_at", "in_trash": "true"}],
)
def test_an_explicit_ordering_reads_the_assets_and_counts_the_search_rows(search_library, params):
    assert_same_as_list_query(search_library, q="lighth", **params)


@pytest.mark.skipif(not on_postgres, reason="search rows exist on PostgreSQL only")
def test_search_rows_follow_the_assets_creation_time_and_owner(api, other_user):
    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    later = SEARCHED_AT + dt.timedelta(days=3)

    Asset.objects.filter(pk=asset.pk).update(created_at=later)
    asset.refresh_from_db()
    asset.owner = other_user
    asset.save()

    row = AssetSearch.objects.get(asset=asset)
    assert (row.owner_id, row.created_at) == (other_user.pk, later)
    assert listed(api, q="lighthouse")[1] == 0


@pytest.mark.skipif(not on_postgres, reason="search rows exist on PostgreSQL only")
def test_a_moved_asset_is_found_on_its_new_day(api):
    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    Asset.objects.filter(pk=asset.pk).update(created_at=SEARCHED_AT + dt.timedelta(days=3))

    assert listed(api, q="lighthouse", date="2025-03-13") == ([str(asset.pk)], 1)
    assert listed(api, q="lighthouse", date="2025-03-10") == ([], 0)


def test_the_library_page_shows_the_same_search(search_library, client):
    client.force_login(search_library.user)
    expected, count = listed(search_library, q="lighthouse", type=EVERY_TYPE, page_size=4, page=2)

    response = client.get("/library/", {"q": "lighthouse", "page_size": 4, "page": 2})

    assert response.status_code == 200
    results = response.context["results_data"]
    assert [item["id"] for item in results["assets"]] == expected
    assert (results["count"], results["page"], results["num_pages"]) == (count, 2, 2)


def test_the_library_page_past_the_end_shows_the_last_page(search_library, client):
    client.force_login(search_library.user)

    response = client.get("/library/", {"q": "lighthouse", "page_size": 4, "page": 9})

    assert response.status_code == 200
    assert response.context["results_data"]["page"] == 2
    assert len(response.context["results_data"]["assets"]) == 2


@pytest.mark.parametrize("extra", [{}, {"in_trash": "true"}, {"date": "2025-03-10"}])
def test_cursor_paging_of_a_search_counts_the_same(search_library, extra):
    response = search_library.get(LIST, {"q": "lighthouse", "cursor": "", "page_size": 2, **extra})
    expected = listed(search_library, q="lighthouse", type=EVERY_TYPE, **extra)[1]

    assert response.status_code == 200
    assert response.json()["count"] == expected
    seen, url = [], LIST + "?" + response.wsgi_request.META["QUERY_STRING"]
    while url:
        body = search_library.get(url).json()
        seen += [item["id"] for item in body["results"]]
        url = body["next"]
    assert len(seen) == len(set(seen)) == expected


@pytest.mark.parametrize("page", [str(10**17), str(10**30)])
def test_an_absurd_page_number_is_a_400_not_a_database_error(search_library, page):
    for params in ({"q": "lighthouse", "page": page, "page_size": 200},
                   {"q": "lighthouse", "type": EVERY_TYPE, "page": page, "page_size": 200}):
        response = search_library.get(LIST, params)

        assert response.status_code == 400
        assert response.json()["page"] == ["There is only 1 page."]


@pytest.mark.skipif(not on_postgres, reason="search rows exist on PostgreSQL only")
def test_search_rows_follow_writes_that_bypass_the_services(api):
    """The triggers keep the rows, whichever code path writes: bulk SQL, the admin, a shell."""
    from assets.models import Tag, TaggedAsset

    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    Asset.objects.filter(pk=asset.pk).update(title="Harbour", prompt="misty quay")
    assert listed(api, q="lighthouse") == ([], 0)
    assert listed(api, q="misty harbour") == ([str(asset.pk)], 1)

    tag = Tag.objects.create(owner=api.user, name="Seaside")
    TaggedAsset.objects.create(content_object=asset, tag=tag)
    assert listed(api, q="seaside")[1] == 1
    Tag.objects.filter(pk=tag.pk).update(name="Coastal")
    assert listed(api, q="seaside")[1] == 0
    assert listed(api, q="coastal")[1] == 1
    TaggedAsset.objects.filter(content_object=asset).delete()
    assert listed(api, q="coastal")[1] == 0


@pytest.mark.skipif(not on_postgres, reason="search rows exist on PostgreSQL only")
def test_moving_an_asset_in_time_or_to_another_owner_moves_its_search_row(api, other_api):
    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    Asset.objects.filter(pk=asset.pk).update(created_at=SEARCHED_AT - dt.timedelta(days=9))

    row = AssetSearch.objects.get(asset=asset)
    assert row.created_at == SEARCHED_AT - dt.timedelta(days=9)
    assert listed(api, q="lighthouse", date="2025-03-10")[1] == 0

    Asset.objects.filter(pk=asset.pk).update(owner=other_api.user)
    assert listed(api, q="lighthouse")[1] == 0
    assert listed(other_api, q="lighthouse") == ([str(asset.pk)], 1)


@pytest.mark.skipif(not on_postgres, reason="search rows exist on PostgreSQL only")
def test_the_trash_does_not_rewrite_search_rows(api):
    """Only changes to what search reads rewrite a row (the trash of 100,000 assets stays cheap)."""
    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    AssetSearch.objects.filter(asset=asset).update(vector=None)  # a marker the trigger would overwrite

    services.assets_trash(owner=api.user, ids=[asset.pk])
    services.assets_restore(owner=api.user, ids=[asset.pk])

    assert AssetSearch.objects.get(asset=asset).vector is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_reverses_and_reapplies(api):
    from django.core.management import call_command

    asset = AssetFactory(owner=api.user, bare=True, title="Lighthouse", created_at=SEARCHED_AT)
    call_command("migrate", "assets", "0008", verbosity=0)
    try:
        if on_postgres:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'assets_search_%%' "
                    "OR tgname LIKE 'pgtrigger_search_%%'"
                )
                assert cursor.fetchone()[0] == 0
    finally:
        call_command("migrate", verbosity=0)

    assert listed(api, q="lighthouse") == ([str(asset.pk)], 1)
    if on_postgres:
        row = AssetSearch.objects.get(asset=asset)
        assert (row.owner_id, row.created_at) == (api.user.pk, SEARCHED_AT)
