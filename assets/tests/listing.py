"""What a list answers, for the tests of searches within filters (test_search_*.py)."""

LIST = "/api/v1/assets/"


def found_in_order(client, **params) -> list[str]:
    """The ids that GET /assets/ lists for `params` (one page of up to 100), in order; its
    count must be exact and whole."""
    response = client.get(LIST, {"page_size": 100, **params})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["count"] == len(body["results"]) and body["count_exact"] is True
    return [item["id"] for item in body["results"]]


def found(client, **params) -> set[str]:
    return set(found_in_order(client, **params))


def ids(library: dict, *names) -> set[str]:
    """The ids of the fixture's assets of these names."""
    return {str(library[name].pk) for name in names}


def filter_lexemes(asset, mark: str) -> list[str]:
    """The lexemes of `asset`'s search row (PostgreSQL) that begin with `mark` ("0used=",
    "0month=", ...: assets.sql.SEARCH_FILTER_LEXEMES), sorted."""
    from assets.models import AssetSearch

    vector = AssetSearch.objects.values_list("vector", flat=True).get(asset=asset)
    return sorted(lexeme for lexeme in (part.strip("'") for part in vector.split()) if lexeme.startswith(mark))


def search_rows_rewritten_alike(migration: str, *, undo: str, redo: str, undone) -> bool:
    """Run the SQL named `undo` of assets' migration `migration` (what its reverse runs) on
    the search rows there are, check `undone()`, then run its `redo`: whether every search
    row is then as it was before (PostgreSQL)."""
    import importlib

    from django.db import connection

    from assets.models import AssetSearch

    module = importlib.import_module(f"assets.migrations.{migration}")
    before = dict(AssetSearch.objects.values_list("asset_id", "vector"))
    with connection.cursor() as cursor:
        # (Written for schema_editor.execute, which reads "%%" as "%"; a bare cursor does not.)
        cursor.execute(getattr(module, undo).replace("%%", "%"))
        undone()
        cursor.execute(getattr(module, redo))
    return dict(AssetSearch.objects.values_list("asset_id", "vector")) == before
