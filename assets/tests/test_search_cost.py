"""A search within a cost range (`q` with `min_cost` and `max_cost`, inclusive).

On PostgreSQL each search row holds its asset's cost, kept by a trigger when the cost
changes, so such a search is counted and paged from the search rows alone. Everywhere, the
answers are those of the filter over the assets' own costs.
"""

import importlib
from decimal import Decimal

import pytest
from django.db import connection

from assets import search, services
from assets.models import Asset, AssetSearch
from assets.tests.factories import AssetFactory
from assets.tests.listing import LIST, filter_lexemes, found, found_in_order, ids

on_postgres = pytest.mark.usefixtures("require_postgres")
pytestmark = pytest.mark.django_db


@pytest.fixture
def library(api, other_api):
    user = api.user
    return {
        "free": AssetFactory(owner=user, bare=True, title="Misty lighthouse", cost="0", status="pending"),
        "cheap": AssetFactory(owner=user, bare=True, title="Misty harbour", cost="0.0400"),
        "dear": AssetFactory(owner=user, bare=True, title="Misty pier", cost="1.5000"),
        "other_word": AssetFactory(owner=user, bare=True, title="Sunny beach", cost="1.5000"),
        "elsewhere": AssetFactory(owner=other_api.user, bare=True, title="Misty lighthouse", cost="1.5000"),
    }


def test_a_search_within_a_cost_range_finds_the_assets_in_it(api, library):
    assert found(api, q="misty", min_cost="0.04") == ids(library, "cheap", "dear")
    assert found(api, q="misty", max_cost="0.04") == ids(library, "free", "cheap")
    assert found(api, q="misty", min_cost="0.04", max_cost="0.04") == ids(library, "cheap")
    assert found(api, q="mist", min_cost="0") == ids(library, "free", "cheap", "dear")
    assert found(api, q="misty", min_cost="2") == set()
    in_order = found_in_order(api, q="misty", min_cost="0.01", ordering="-cost")
    assert in_order == [str(library["dear"].pk), str(library["cheap"].pk)]


def test_a_search_within_a_cost_range_follows_cost_edits_and_the_trash(api, library):
    response = api.patch(f"{LIST}{library['free'].pk}/", {"cost": "2.0000"}, format="json")
    assert response.status_code == 200, response.json()
    assert found(api, q="misty", min_cost="1") == ids(library, "free", "dear")
    assert found(api, q="misty", max_cost="0.01") == set()

    services.assets_trash(owner=api.user, ids=[library["dear"].pk])
    assert found(api, q="misty", min_cost="1") == ids(library, "free")
    assert found(api, q="misty", min_cost="1", in_trash="true") == ids(library, "dear")


@pytest.mark.postgres
@on_postgres
def test_each_search_row_holds_its_assets_cost(library):
    def cost_of(asset):
        return AssetSearch.objects.values_list("cost", flat=True).get(asset=asset)

    assert cost_of(library["cheap"]) == Decimal("0.0400") and cost_of(library["free"]) == 0
    assert step_marks(library["cheap"]) == ["0cost=0.02"] and step_marks(library["free"]) == ["0cost=0"]
    Asset.objects.filter(pk=library["cheap"].pk).update(cost=Decimal("0.0700"))
    assert cost_of(library["cheap"]) == Decimal("0.0700") and step_marks(library["cheap"]) == ["0cost=0.05"]
    asset = Asset.objects.get(pk=library["dear"].pk)
    asset.title, asset.cost = "Misty pier at dawn", Decimal("3")
    asset.save()  # an edit of searched fields and the cost at once
    assert cost_of(asset) == Decimal("3") and step_marks(asset) == ["0cost=2"]
    Asset.objects.filter(pk=asset.pk).update(cost=Decimal("99999999"))
    assert step_marks(asset) == ["0cost=1000"]


def step_marks(asset) -> list[str]:
    return filter_lexemes(asset, "0cost=")


@pytest.mark.parametrize(("costs", "params", "expected"), [
    # Bounds on and about the steps (0.01, 0.02, 0.05): inclusive, as the filter.
    (("0.0099", "0.0100", "0.0199", "0.0200", "0.0300", "0.0500"), {"min_cost": "0.01", "max_cost": "0.03"},
     ("0.0100", "0.0199", "0.0200", "0.0300")),
    (("0.0099", "0.0100", "0.0199", "0.0200", "0.0300", "0.0500"), {"min_cost": "0.0199", "max_cost": "0.0200"},
     ("0.0199", "0.0200")),
    (("0.0000", "0.0009", "0.0010", "0.0020"), {"max_cost": "0.001"}, ("0.0000", "0.0009", "0.0010")),
    (("0.0000", "0.0009", "0.0010", "0.0020"), {"max_cost": "0"}, ("0.0000",)),
    (("0.0400", "0.0500", "0.0900", "0.1000"), {"min_cost": "0.05", "max_cost": "0.05"}, ("0.0500",)),
    (("0.0400", "0.0500", "0.0900", "0.1000"), {"min_cost": "0.06", "max_cost": "0.04"}, ()),
    (("999.0000", "1000.0000", "5000.0000"), {"min_cost": "999", "max_cost": "99999999"},
     ("999.0000", "1000.0000", "5000.0000")),
])
def test_a_search_within_a_narrow_cost_range_finds_every_cost_in_it(api, costs, params, expected):
    made = {cost: AssetFactory(owner=api.user, bare=True, title=f"Misty field {cost}", cost=cost) for cost in costs}
    made["elsewhere"] = AssetFactory(bare=True, title="Misty field", cost=costs[0])

    assert found(api, q="misty", **params) == {str(made[cost].pk) for cost in expected}
    assert found(api, q="misty", ordering="-cost", **params) == {str(made[cost].pk) for cost in expected}


def test_the_steps_of_cost_a_search_is_narrowed_to():
    steps = search.searched_cost_steps

    assert steps(Decimal("0.01"), Decimal("0.03")) == ["0.01", "0.02"]
    assert steps(Decimal("0.02"), Decimal("0.0499")) == ["0.02"]
    assert steps(None, Decimal("0.001")) == ["0", "0.001"]
    assert steps(Decimal("0.06"), Decimal("0.04")) == ["0.05"]  # nothing is in it: any one step
    assert steps(Decimal("500"), None) == ["100", "1000"]
    assert steps(Decimal("0.01"), Decimal("0.0999")) == ["0.01", "0.02", "0.05"]
    assert steps(Decimal("0.01"), Decimal("0.1")) == []  # four steps: most of a library, often
    assert steps(Decimal("0.05"), None) == []
    assert steps(None, None) == []


@pytest.mark.postgres
@on_postgres
def test_the_migration_writes_the_costs_into_the_search_rows_there_are(library):
    migration = importlib.import_module("assets.migrations.0033_search_rows_know_cost")
    written = dict(AssetSearch.objects.values_list("asset_id", "cost"))
    AssetSearch.objects.update(cost=0)
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL_COST)

    assert dict(AssetSearch.objects.values_list("asset_id", "cost")) == written

