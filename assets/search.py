"""Keyword search over title, description, prompt, model and tags.

Every word must match and the last word matches as a prefix, so results follow typing.

On PostgreSQL, each asset has a search row (AssetSearch: a tsvector with a GIN index)
kept up to date by the services through `refresh_search_vectors`. It holds every field twice,
stemmed ('english') and as typed ('simple'): whole words match either form, so
"sunsets" finds "sunset", while the last word is a prefix of the unstemmed form, so
"lighth" already finds "lighthouse". Results are ranked with ts_rank.

Elsewhere (SQLite) the same rules run as substring matches: slower, and without
stemming or ranking, but the same answers for ordinary words.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from assets.models import TaggedAsset

MAX_WORDS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)

# The asset's tag names as one string, for the row aliased "a".
TAG_NAMES_SQL = """(SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta
    JOIN taggit_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id)"""

# The one definition of what is searchable, as SQL over the row aliased "a"; {tags} is
# an SQL expression for its tag names.
SEARCH_VECTOR_TEMPLATE = """
    setweight(to_tsvector('english', coalesce(a.title, '')), 'A')
 || setweight(to_tsvector('simple', coalesce(a.title, '')), 'A')
 || setweight(to_tsvector('simple', coalesce({tags}, '')), 'A')
 || setweight(to_tsvector('english', coalesce(a.prompt, '')), 'B')
 || setweight(to_tsvector('simple', coalesce(a.prompt, '')), 'B')
 || setweight(to_tsvector('simple', coalesce(a.model, '')), 'B')
 || setweight(to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' ')), 'B')
 || setweight(to_tsvector('english', coalesce(a.description, '')), 'C')
 || setweight(to_tsvector('simple', coalesce(a.description, '')), 'C')
"""
SEARCH_VECTOR_SQL = SEARCH_VECTOR_TEMPLATE.format(tags=TAG_NAMES_SQL)


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def search_words(value: str) -> list[str]:
    return [word for word in value.lower().split() if _TOKEN.search(word)][:MAX_WORDS]


def refresh_search_vectors(asset_ids, *, updated_at=None) -> None:
    """Recompute the search row of these assets (PostgreSQL only).

    `updated_at`, when given, is also set on the assets (for callers that changed only
    what search reads, such as tags).
    """
    ids = [str(pk) for pk in asset_ids]
    if not ids:
        return
    if updated_at is not None:
        from assets.models import Asset

        for start in range(0, len(ids), 5000):  # PostgreSQL takes at most 65,535 parameters
            Asset.objects.filter(pk__in=ids[start : start + 5000]).update(updated_at=updated_at)
    if not uses_postgres_search():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO assets_assetsearch (asset_id, vector) "  # noqa: S608 - fixed SQL
            f"SELECT a.id, {SEARCH_VECTOR_SQL} FROM assets_asset AS a WHERE a.id = ANY(%s::uuid[]) "
            "ON CONFLICT (asset_id) DO UPDATE SET vector = EXCLUDED.vector",
            [ids],
        )


def _postgres_query(words: list[str]) -> SearchQuery:
    query = None
    for position, word in enumerate(words):
        if position == len(words) - 1:
            tokens = _TOKEN.findall(word)
            term = SearchQuery(" & ".join(f"{token}:*" for token in tokens), config="simple", search_type="raw")
        else:
            term = SearchQuery(word, config="english", search_type="plain") | SearchQuery(
                word, config="simple", search_type="plain"
            )
        query = term if query is None else query & term
    return query


def keyword_search(queryset, value: str):
    words = search_words(value)
    if not words:
        return queryset
    if uses_postgres_search():
        return queryset.filter(search__vector=_postgres_query(words))
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(prompt__icontains=word)
            | Q(model__icontains=word)
            | Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=word))
        )
    return queryset


def relevance_ordering(value: str):
    """ORDER BY terms for the best matches first, or None where there is no ranking.

    Used as ordering expressions, never as an annotation, so that the page's COUNT does
    not compute ranks.
    """
    words = search_words(value)
    if not words or not uses_postgres_search():
        return None
    return [SearchRank(F("search__vector"), _postgres_query(words)).desc(), F("created_at").desc(), F("id").desc()]
