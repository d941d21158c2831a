"""Keyword search over title, description, prompt, model and tags.

Every word must match and the last word matches as a prefix, so results follow typing.

On PostgreSQL, each asset has a search row (AssetSearch: its owner, creation time and a
tsvector, with a GIN index on owner and vector) kept up to date by triggers declared on
the models it follows (assets.models; the SQL in assets.sql). It holds every field twice,
stemmed ('english') and as typed ('simple'): whole words match either form, so
"sunsets" finds "sunset", while the last word is a prefix of the unstemmed form, so
"lighth" already finds "lighthouse". Results are ranked with ts_rank; `search_page`
ranks and counts an owner's matches in one pass over those rows.

Elsewhere (SQLite) the same rules run as substring matches: slower, and without
stemming or ranking, but the same answers for ordinary words.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q

from assets import sql
from assets.models import TaggedAsset

MAX_WORDS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def search_words(value: str) -> list[str]:
    return [word for word in value.lower().split() if _TOKEN.search(word)][:MAX_WORDS]


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


def keyword_search(queryset, value: str, *, owner_id=None):
    """The assets of `queryset` that match every word. `owner_id`, the owner the queryset
    is scoped to, lets PostgreSQL look up only that owner's entries of the search index."""
    words = search_words(value)
    if not words:
        return queryset
    if uses_postgres_search():
        terms = {"search__vector": _postgres_query(words)}
        if owner_id is not None:
            terms["search__owner_id"] = owner_id
        return queryset.filter(**terms)
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


def _owner_matches(*, owner_id, words: list[str], in_trash: bool, created: Q, assets=None):
    """The owner's search rows that match every word: those of `assets` (a queryset of the
    owner's assets that already tells the library from the trash) or, without it, in or
    out of the trash."""
    from assets.models import Asset, AssetSearch

    rows = AssetSearch.objects.filter(created, owner_id=owner_id, vector=_postgres_query(words))
    if assets is not None:
        return rows.filter(asset_id__in=assets.values("pk"))
    trashed = Asset.objects.filter(pk=OuterRef("asset_id"), owner_id=owner_id, deleted_at__isnull=False)
    return rows.filter(Exists(trashed)) if in_trash else rows.exclude(Exists(trashed))


def search_page(*, offset: int, limit: int, **terms):
    """One page of an owner's best matches and how many there are, from the search rows
    alone (PostgreSQL): (asset ids in relevance order, count). `terms` are those of
    AssetFilterSet.search_row_terms().

    The same results and order as ranking the list query (relevance_ordering), in one
    pass over the owner's matches: the GIN index on (owner, vector) finds them; the
    owner's trash, looked up in its own index, is left out (or kept alone, for
    `in_trash`), or, when other filters apply, only the assets they select are kept (a
    semi-join); and the count is a window over the ranked rows. Only the page's rows are
    then read from the assets, by the caller.

    The matches are ranked in a subquery that PostgreSQL may not flatten (OFFSET 0), so
    that the window and the sort see narrow (id, time, rank) rows. Flattened, the planner
    either carries every matching vector up to the window (spilling to disk past a few
    thousand matches) or, asked for the window in rank order, costs the trash check as if
    the LIMIT stopped it early and probes the assets once per match (2x slower).
    """
    rank = SearchRank(F("vector"), _postgres_query(terms["words"]))
    ranked = _owner_matches(**terms).annotate(rank=rank).values_list("asset_id", "created_at", "rank")
    page = sql.ranked_page(ranked, offset=offset, limit=limit)
    if page:
        return [asset_id for asset_id, _total in page], page[0][1]
    return [], search_count(**terms)  # no matches, or a page past the end


def search_count(**terms) -> int:
    """How many assets search_page would find, without ranking them (for cursor paging)."""
    return _owner_matches(**terms).count()
