"""A search within a model (`q` with `model`, a case-insensitive part of its name).

On PostgreSQL each search row holds its asset's model as written ("0model=ideogram-v3"),
so the index answers such a search alone, asked as the owner's model names that contain
the part; in the trash, or when too many names contain it, the assets answer it. Everywhere,
the answers are those of the filter over the assets' own models.
"""


import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assets import selectors, services
from assets.models import Asset
from assets.tests.factories import AssetFactory
from assets.tests.listing import filter_lexemes, found, ids, search_rows_rewritten_alike

on_postgres = pytest.mark.usefixtures("require_postgres")
pytestmark = pytest.mark.django_db


def models_of(asset) -> list[str]:
    return filter_lexemes(asset, "0model=")


@pytest.fixture
def library(api, other_api):
    user = api.user
    return {
        "turbo": AssetFactory(owner=user, bare=True, title="Misty lighthouse", model="ideogram-v3-turbo"),
        "v2": AssetFactory(owner=user, bare=True, title="Misty harbour", model="Ideogram-V2"),
        "flux": AssetFactory(owner=user, bare=True, title="Misty pier", model="flux-pro"),
        "none": AssetFactory(owner=user, bare=True, title="Misty cliffs", model=""),
        "other_word": AssetFactory(owner=user, bare=True, title="Sunny beach", model="ideogram-v3-turbo"),
        "elsewhere": AssetFactory(owner=other_api.user, bare=True, title="Misty lighthouse", model="ideogram-v3"),
    }


def test_a_search_within_a_model_finds_the_models_that_contain_it(api, library):
    assert found(api, q="misty", model="ideogram") == ids(library, "turbo", "v2")
    assert found(api, q="misty", model="IDEO") == ids(library, "turbo", "v2")
    assert found(api, q="mist", model="v3-tur") == ids(library, "turbo")
    assert found(api, q="misty", model="flux", type="image,text") == ids(library, "flux")
    assert found(api, q="misty", model="midjourney") == set()
    assert found(api, q="misty", model="ideogram", ordering="title") == ids(library, "v2", "turbo")


def test_a_search_within_a_model_follows_edits_and_the_trash(api, library):
    asset = Asset.objects.get(pk=library["flux"].pk)
    asset.model = "ideogram-v3-quality"
    asset.save()
    assert found(api, q="misty", model="ideogram") == ids(library, "turbo", "v2", "flux")
    assert found(api, q="misty", model="flux") == set()

    services.assets_trash(owner=api.user, ids=[library["turbo"].pk])
    assert found(api, q="misty", model="ideogram") == ids(library, "v2", "flux")
    assert found(api, q="misty", model="turbo", in_trash="true") == ids(library, "turbo")


def test_a_part_that_too_many_models_contain_is_asked_of_the_assets(api, library, monkeypatch):
    monkeypatch.setattr(selectors, "MAX_SEARCHED_MODELS", 1)
    with CaptureQueriesContext(connection) as queries:
        assert found(api, q="misty", model="ideogram") == ids(library, "turbo", "v2")
    assert not any("0model=" in query["sql"] for query in queries.captured_queries)


@pytest.mark.postgres
@on_postgres
def test_each_search_row_holds_its_model_once(library):
    assert models_of(library["turbo"]) == ["0model=ideogram-v3-turbo"]
    assert models_of(library["none"]) == ["0model="]

    asset = Asset.objects.get(pk=library["v2"].pk)
    asset.model = "ideogram-v3"
    asset.save()
    assert models_of(asset) == ["0model=ideogram-v3"]


@pytest.mark.postgres
@on_postgres
def test_the_migration_writes_the_models_into_the_search_rows_there_are(library):
    def unwritten():
        assert all(not models_of(asset) for asset in library.values())

    assert search_rows_rewritten_alike("0032_search_rows_know_model", undo="UNMARK_MODEL", redo="MARK_MODEL",
                                       undone=unwritten)
