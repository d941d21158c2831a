"""Keyword search over title, description, prompt, model and tags.

Every word must match and the last word matches as a prefix, so results follow typing.

On PostgreSQL, each asset has a search row (AssetSearch: its owner, creation time and a
tsvector, with a GIN index on owner and vector) kept up to date by triggers declared on
the models it follows (assets.models; the SQL in assets.sql). It holds each field's words
twice, stemmed ('english') and as typed ('simple'): whole words match either form, so
"sunsets" finds "sunset", while the last word is a prefix of the unstemmed form, so
"lighth" already finds "lighthouse".

Best match first means by tier, then newest first: assets whose title or tags hold every
word, then those where every word is in the title, tags, prompt or model, then the rest
(a word found only in the description). Each lexeme is marked with its field's tier, so
the index answers each tier's query exactly, and `search_page` reads the newest matches
of a tier among the newest assets of the list (a common word: a few hundred rows), or,
for a rare one, from the index: never every match of a broad search. Its count is exact
up to COUNT_LIMIT matches, and a lower bound beyond (the contract allows this for `q`).

Elsewhere (SQLite) the same rules run as substring matches: slower, without stemming,
ranked newest first, but the same answers for ordinary words.
"""

import bisect
import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import Case, Exists, IntegerField, OuterRef, Q, Value, When

from assets import sql
from assets.models import Asset, AssetSearch, TaggedAsset

MAX_WORDS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)
# A search counts its matches exactly up to here; beyond, `count` is this lower bound (or
# the end of the page asked for, when deeper) with `count_exact` false.
COUNT_LIMIT = 10_000
# How many of a list's newest rows a tier's newest matches are looked for in before asking
# the index (a tier whose matches are rarer than one in a few hundred rows).
WINDOW_ROWS = 4_000
# ...and at least this many per result wanted (a deep page looks further).
WINDOW_ROWS_PER_RESULT = 8
# A page looks through its budget of rows only when the newest PROBE_ROWS hold at least
# this many times the rate it needs (the rest of the list may hold fewer).
PROBE_ROWS = 1_000
DEEP_MARGIN = 1.25
# Up to this many matches are ranked all together, straight from the index (more cost
# more there than the tier-by-tier way: measured with bench/search.py).
FEW_MATCHES = 2_000


def uses_postgres_search() -> bool:
    return connection.vendor == "postgresql"


def search_words(value: str) -> list[str]:
    return [word for word in value.lower().split() if _TOKEN.search(word)][:MAX_WORDS]


class Lexemes(SearchQuery):
    """A tsquery given as text, taken as it is (its lexemes are already the search rows'
    marked ones: no text-search configuration may parse them again)."""

    def __init__(self, text: str):
        super().__init__(Value(str(text)))

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql})::tsquery", params


def _quote(lexeme: str, *, prefix: bool) -> str:
    return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'" + (":*" if prefix else "")


def _each(tokens: list[str], tiers: tuple[str, ...], *, prefix: bool) -> str:
    """Every token, found in any of `tiers`."""
    return " & ".join(
        "(" + " | ".join(_quote(tier + token, prefix=prefix) for tier in tiers) + ")" for token in tokens
    )


class Tsquery(str):
    """A tsquery (its text, which every row-by-row test reads), and the same as `parts` that
    must all match, for the GIN index: the exact lexemes in one part, each prefix term in
    one of its own (`matching`).

    Never a prefix term in the same part as exact lexemes: once a prefix's matches (a
    bitmap of every owner's rows) outgrow work_mem, PostgreSQL (15, measured) combines
    them with the part's exact lexemes wrongly, and matches go missing (about one in
    twelve for "knight comic" at a million assets with 4 MB; the 32 MB the connections
    set only moves that size). Across parts it is right.
    """

    exact: str
    prefixes: tuple[str, ...]
    parts: tuple[str, ...]

    def __new__(cls, exact: str, prefixes: tuple[str, ...] = ()):
        parts = tuple(part for part in (exact, *prefixes) if part)
        query = super().__new__(cls, " & ".join(f"({part})" for part in parts) if len(parts) > 1 else parts[0])
        query.exact, query.prefixes, query.parts = exact, tuple(prefixes), parts
        return query

    def __getnewargs__(self):
        return self.exact, self.prefixes

    def narrowed(self, extra: str) -> "Tsquery":
        """This query and the exact lexemes of `extra` too."""
        return Tsquery(f"({self.exact}) & {extra}" if self.exact else extra, self.prefixes)

    @property
    def whole_words(self) -> "Tsquery | None":
        """The same query with each prefix term asked as a whole word (its matches are some
        of this query's), or None when it has no prefix term. The index finds a word's few
        postings far faster than a prefix's (every owner's, of every lexeme it begins)."""
        if not self.prefixes:
            return None
        # A prefix term's tokens are \w+ words: ":*" in it is only ever a prefix mark (an
        # exact lexeme may hold one: "x.com/a:*b" is a word as typed).
        whole = tuple(prefix.replace(":*", "") for prefix in self.prefixes)
        return Tsquery(" & ".join(f"({part})" for part in (self.exact, *whole) if part))


def matching(query: Tsquery, field: str = "vector") -> Q:
    """The condition that `field` (a search vector) matches `query`, a condition per part."""
    condition = Q()
    for part in query.parts:
        condition &= Q(**{field: Lexemes(part)})
    return condition


@dataclass(frozen=True)
class SearchQueries:
    """A search's tsqueries, one per tier: `by_tier[0]` matches the assets whose title and
    tags hold every word, `by_tier[1]` adds prompt and model, and `by_tier[2]` (`any`)
    every match."""

    by_tier: tuple[Tsquery, Tsquery, Tsquery]

    @property
    def any(self) -> Tsquery:
        return self.by_tier[-1]

    def narrowed(self, **values) -> "SearchQueries":
        """These queries within the types, modules and use given (lists, ORed within each):
        their lexemes are in every search row (assets.sql.SEARCH_FILTER_LEXEMES)."""
        extra = " & ".join(
            "(" + " | ".join(_quote(sql.SEARCH_FILTER_LEXEMES[name] + value, prefix=False) for value in chosen) + ")"
            for name, chosen in values.items() if chosen
        )
        return SearchQueries(tuple(query.narrowed(extra) for query in self.by_tier)) if extra else self

    def tier(self, vector="search__vector"):
        """The tier (1 best) of each matching asset, as an SQL expression over `vector`."""
        return Case(
            When(**{vector: Lexemes(self.by_tier[0])}, then=Value(1)),
            When(**{vector: Lexemes(self.by_tier[1])}, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        )


# A search within dates is narrowed in the index to the months they span (UTC; each search
# row holds its month as a lexeme) when they are at most this many: a common word's
# matches of the last weeks are then read, not all of them (q=knight within 60 days at 1M:
# 150 -> 50 ms). More months hold most of a library: the rows' dates alone sort them out.
MAX_SEARCHED_MONTHS = 4


def searched_months(owner_id, start: dt.datetime | None, end: dt.datetime | None) -> list[str]:
    """The months ("2026-09", UTC) that the owner's search rows created from `start`
    (inclusive) to `end` (exclusive) are in, when they are a few (MAX_SEARCHED_MONTHS);
    else, or without dates, none. An open end is the owner's first or last row's month."""
    if start is None and end is None:
        return []
    rows = AssetSearch.objects.filter(owner_id=owner_id).values_list("created_at", flat=True)
    first = start if start is not None else rows.order_by("created_at").first()
    last = end - dt.timedelta(microseconds=1) if end is not None else rows.order_by("-created_at").first()
    if first is None or last is None:
        return []  # no rows
    first, last = first.astimezone(dt.UTC), max(first, last).astimezone(dt.UTC)
    first_month, last_month = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    if last_month - first_month >= MAX_SEARCHED_MONTHS:
        return []
    return [f"{month // 12:04d}-{month % 12 + 1:02d}" for month in range(first_month, last_month + 1)]


# A search within a cost range is narrowed in the index to the steps of cost it spans
# (assets.sql.COST_STEPS; each search row holds its cost's step as a lexeme) when they are
# at most this many: a narrow range's matches are read, not all of the word's.
MAX_SEARCHED_COST_STEPS = 3
_COST_STEP_VALUES = tuple(Decimal(step) for step in sql.COST_STEPS)


def searched_cost_steps(low: Decimal | None, high: Decimal | None) -> list[str]:
    """The steps of cost (assets.sql.COST_STEPS) that costs from `low` to `high`
    (inclusive, either open) are in, when they are a few; else, or without either, none."""
    if low is None and high is None:
        return []
    # Each step's index is that of the last step at or below the cost (costs are never negative).
    first = bisect.bisect_right(_COST_STEP_VALUES, low or 0) - 1
    last = bisect.bisect_right(_COST_STEP_VALUES, high) - 1 if high is not None else len(_COST_STEP_VALUES) - 1
    if last - first >= MAX_SEARCHED_COST_STEPS:
        return []
    return list(sql.COST_STEPS[first:max(first, last) + 1])  # a range with nothing in it: one step


# A last word's prefix is asked as the owner's lexemes it begins (SearchLexeme) when they
# are at most this many; more, and it stays a prefix (a part of its own).
MAX_EXPANDED_LEXEMES = 64
MAX_LEXEMES_OF_A_WORD_ALONE = 1
DIGITS = "0123456789"


def _word_terms(words: list[str], tiers: tuple[str, ...], expanded: dict) -> Tsquery:
    """Each word over `tiers`: as typed or stemmed, the last as the prefix of a word (its
    \\w+ parts, each), or as the owner's lexemes that begin with it (`expanded`: token ->
    lexemes, when known)."""
    *whole, last = words
    terms = []
    for stemmed, typed in _forms(tuple(whole)) if whole else []:
        alternatives = [_each(tokens, tiers, prefix=False) for tokens in (typed, stemmed) if tokens]
        alternatives = list(dict.fromkeys(alternatives))  # a word is often its own stem
        terms.append("(" + " | ".join(f"({a})" for a in alternatives) + ")")
    prefixes = []
    for token in _TOKEN.findall(last):
        lexemes = expanded.get(token)
        if lexemes is None:
            prefixes.append(_each([token], tiers, prefix=True))
        else:
            # None begins with it: the token itself, which no row holds either.
            lexemes = lexemes or [token]
            terms.append("(" + " | ".join(_quote(tier + lexeme, prefix=False) for lexeme in lexemes
                                          for tier in tiers) + ")")
    return Tsquery(" & ".join(terms), tuple(prefixes))


def search_queries(words: list[str], *, owner_id=None) -> SearchQueries:
    """The tsqueries of `words` (search_words()), one per tier: every word must match.

    With `owner_id` (PostgreSQL), the last word is asked as the owner's lexemes it begins,
    when they are few: in a search of several, up to MAX_EXPANDED_LEXEMES (the other
    words' exact lexemes then lead the index; a prefix reads every owner's postings of
    every lexeme it begins); a word alone, only when it begins one lexeme (the index
    reads a prefix's postings faster than those of several words ORed: measured)."""
    expanded = {}
    if owner_id is not None and uses_postgres_search():
        # Numbers are not kept as lexemes (assets.sql.SEARCH_LEXEMES_OF_NEW_ROWS): they stay prefixes.
        tokens = [token for token in dict.fromkeys(_TOKEN.findall(words[-1])) if token[0] not in DIGITS]
        found = sql.lexemes_beginning(owner_id=owner_id, prefixes=tokens, limit=MAX_EXPANDED_LEXEMES)
        most = MAX_EXPANDED_LEXEMES if len(words) > 1 else MAX_LEXEMES_OF_A_WORD_ALONE
        for token, lexemes in zip(tokens, found, strict=True):
            lexemes = None if lexemes is None else _without_compounds(lexemes)
            if lexemes is not None and len(lexemes) <= most:
                expanded[token] = lexemes
    return SearchQueries(tuple(
        _word_terms(words, sql.SEARCH_TIERS[:count], expanded) for count in range(1, len(sql.SEARCH_TIERS) + 1)
    ))


def _without_compounds(lexemes: list[str]) -> list[str]:
    """`lexemes` (those beginning with a word's first letters) but a hyphenated compound whose
    first part is one of them ("lighthouse-kitchen", with "lighthouse"): whatever parses a
    compound into a search row also puts its parts as typed (the 'simple' words of the same
    field, assets.sql._TIER_DOCUMENTS), so every row holding it holds that part, and it
    matches nothing more; each one left out is three fewer posting lists to read."""
    kept = set(lexemes)
    return [lexeme for lexeme in lexemes if lexeme.partition("-")[0] not in kept - {lexeme}]


def corrected_words(*, owner_id, words: list[str]) -> list[str] | None:
    """`words` (of a search that found nothing) with each one the owner's assets never hold
    replaced by the owner's closest word (SearchWord), or None when every word is known,
    or an unknown one has no close word. Close: one edit (insert, delete, change, or swap
    of two neighbours) for a word of up to 4 letters, two for a longer one; the last word,
    typed as a prefix, may also be the start of its correction."""
    found = sql.words_known(owner_id=owner_id, words=words)
    if all(found):
        return None
    corrected = []
    for position, (word, known) in enumerate(zip(words, found, strict=True)):
        if known:
            corrected.append(word)
            continue
        if len(word) < 3 or not word.isalpha():
            return None
        allowed = 1 if len(word) <= 4 else 2
        last = position == len(words) - 1
        best = None
        for candidate in sql.similar_words(owner_id=owner_id, word=word):
            distance = edit_distance(word, candidate)
            if last:
                distance = min(distance, edit_distance(word, candidate[: len(word)]))
            if distance <= allowed and (best is None or distance < best[0]):
                best = (distance, candidate)
        if best is None:
            return None
        corrected.append(best[1])
    return corrected


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, change, or swap of two neighbouring letters) from a to b."""
    previous2, previous = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (letter != other))
            if previous2 is not None and i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        previous2, previous = previous, current
    return previous[-1]


@lru_cache(maxsize=4096)
def _forms(words: tuple[str, ...]) -> list[tuple[list[str], list[str]]]:
    # How the database stems a word never changes while it runs.
    return sql.words_of(list(words))


def keyword_search(queryset, value: str, *, owner_id=None, queries: SearchQueries | None = None):
    """The assets of `queryset` that match every word. `owner_id`, the owner the queryset
    is scoped to, lets PostgreSQL look up only that owner's entries of the search index;
    `queries`, the value's search_queries() when already made."""
    words = search_words(value)
    if not words:
        return queryset
    if uses_postgres_search():
        query = (queries or search_queries(words)).any
        terms = {"search__owner_id": owner_id} if owner_id is not None else {}
        return queryset.filter(matching(query, "search__vector"), **terms)
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(description__icontains=word)
            | Q(prompt__icontains=word)
            | Q(model__icontains=word)
            | Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), tag__name__icontains=word))
        )
    return queryset


def _owner_matches(*, owner_id, query: str, in_trash: bool, rows_within: Q, assets=None, below: str | None = None):
    """The owner's search rows within `rows_within` (terms on their creation time and cost)
    that match the tsquery `query` (and not `below`, a better tier's): those of `assets` (a
    queryset of the owner's assets that already tells the library from the trash) or,
    without it, in or out of the trash."""
    rows = AssetSearch.objects.filter(rows_within, matching(query), owner_id=owner_id)
    if below is not None:
        rows = rows.exclude(vector=Lexemes(below))
    if assets is not None:
        return rows.filter(asset_id__in=assets.values("pk"))
    trashed = Asset.objects.filter(pk=OuterRef("asset_id"), owner_id=owner_id, deleted_at__isnull=False)
    return rows.filter(Exists(trashed)) if in_trash else rows.exclude(Exists(trashed))


def _newest_of_tier(*, window, budget: int, whole, need: int, query: str, below: str | None, matches) -> list:
    """The ids of the `need` newest assets of the list whose best tier is `query`'s (all of
    them when fewer): among the list's newest `budget` rows when they hold enough (or
    `whole()` says they are the whole list), else from the index (`matches(query, below)`:
    the search rows of the list's assets whose best tier that is)."""
    tier = list(query.parts)
    # The newest PROBE_ROWS rows first: they tell how common the tier is. When the budget
    # would not hold enough at that rate (a big or deep page of a tier rarer than one in a
    # few dozen rows), the index answers without reading the rest of it.
    probe = min(PROBE_ROWS, budget)
    found = sql.newest_matching(window[:probe], tier=tier, better=below, limit=need, one_by_one=True)
    if len(found) == need:
        return found
    if probe < budget:
        if len(found) * budget < need * probe * DEEP_MARGIN and not whole():
            return _newest_of_tier_indexed(query, below, need=need, matches=matches)
        found += sql.newest_matching(window[probe:budget], tier=tier, better=below, limit=need - len(found))
    if len(found) == need or whole():
        return found
    return _newest_of_tier_indexed(query, below, need=need, matches=matches)


def _newest_of_tier_indexed(query: str, below: str | None, *, need: int, matches) -> list:
    """The ids of the `need` newest assets whose best tier is `query`'s, from the index."""
    rows = matches(query, below).order_by("-created_at", "-asset_id")
    return list(rows.values_list("asset_id", flat=True)[:need])


def search_page(
    *, offset: int, limit: int, window, queries: SearchQueries, counted, matches=None, **terms
) -> tuple[list, int, bool]:
    """One page of the best matches, best first, and how many there are: (asset ids, count,
    whether the count is exact). `window` is the list's assets without the search, newest
    first (a queryset of id and created_at); `counted(need)` is its count_matches; `terms`
    are those of _owner_matches (owner, trash, creation terms, and `assets` when other
    filters select them), or `matches`: `(query, below) -> search rows` of another kind
    of list (scoped_search).

    The count comes first. Up to FEW_MATCHES matches are ranked together from the index.
    More are taken tier by tier, newest first, until the page is full (_newest_of_tier),
    so that a broad search reads a few hundred rows, not its matches.
    """
    need = offset + limit
    count, exact = counted(need + 1)
    if count <= offset:
        return [], count, exact  # nothing, or a page past the end
    if matches is None:
        def matches(query, below):
            return _owner_matches(query=query, below=below, **terms)
    if exact and count <= FEW_MATCHES:
        ranked = matches(queries.any, None).annotate(tier=queries.tier("vector"))
        ranked = ranked.order_by("tier", "-created_at", "-asset_id").values_list("asset_id", flat=True)
        return list(ranked[offset:need]), count, exact
    budget = max(WINDOW_ROWS, need * WINDOW_ROWS_PER_RESULT)
    whole = cache(lambda: window[: budget + 1].count() <= budget)  # asked once, whatever the tiers
    ids: list = []
    below = None
    for query in queries.by_tier:
        ids += _newest_of_tier(window=window, budget=budget, whole=whole, need=need - len(ids), query=query,
                               below=below, matches=matches)
        if len(ids) >= need:
            break
        below = query
    return ids[offset:need], count, exact


def count_matches(*, queries: SearchQueries, at_least: int = 1, few: bool = False, **terms) -> tuple[int, bool]:
    """(how many assets match, whether exactly), from the search rows alone.

    A common word typed whole ("knight") is counted as that word first: when the assets
    holding it already reach the limit, so do those holding a word it begins, and the
    prefix (several times slower in the index) is never asked. Not when the terms are
    likely to select `few` rows (other filters): the first count would most often be
    wasted."""
    whole = queries.any.whole_words
    if whole is not None and not few:
        count, exact = count_up_to(_owner_matches(query=whole, **terms), at_least=at_least)
        if not exact:
            return count, exact
    return count_up_to(_owner_matches(query=queries.any, **terms), at_least=at_least)


def count_up_to(queryset, *, at_least: int = 1) -> tuple[int, bool]:
    """(how many rows `queryset` has, whether exactly): counted up to COUNT_LIMIT (or
    `at_least`, when more), a lower bound beyond. The rows are not read past it."""
    limit = max(COUNT_LIMIT, at_least)
    count = queryset.order_by().values("pk")[:limit].count()
    return count, count < limit


def counted_once(count):
    """`count(limit)` (count_matches or count_up_to at that limit) as a listing's counter:
    need -> (count, exact), each limit counted once (the spelling check, the page and the
    API's envelope share it)."""
    count = cache(count)
    return lambda need: count(max(COUNT_LIMIT, need))


# A search within a list scope (a shared collection): its assets may be several owners'.
# Its live members, newest first, come from the scope's own index. A common word is
# counted among the newest rows (a lower bound, or exact when they are all of them); a
# word too rare there is counted exactly from the owners' search rows when they hold few
# matches, else looked for further while a deeper page needs it, up to SCOPED_WINDOW_CAP.
SCOPED_WINDOW_CAP = 64_000


def scoped_search(*, queries: SearchQueries, window, members, owner_ids):
    """(counted, page_finder) of a search within a scope. `window`: the scope's live
    assets, newest first (a queryset giving id and created_at); `members`: their ids (a
    queryset of one column); `owner_ids`: every owner whose assets the scope may hold."""
    def matches(query, below):
        rows = AssetSearch.objects.filter(matching(query), owner_id__in=owner_ids, asset_id__in=members)
        return rows.exclude(vector=Lexemes(below)) if below is not None else rows

    @cache
    def rare() -> bool:
        """Whether the owners' matches are few: then the scope's are counted exactly."""
        everywhere = AssetSearch.objects.filter(matching(queries.any), owner_id__in=owner_ids)
        return everywhere.order_by().values("pk")[:FEW_MATCHES + 1].count() <= FEW_MATCHES

    @cache
    def counted(need: int) -> tuple[int, bool]:
        size = max(WINDOW_ROWS, need * WINDOW_ROWS_PER_RESULT)
        while True:
            rows, found = sql.count_matching(window[:size], query=queries.any)
            if rows < size:
                return found, True  # the window was every live asset of the scope
            if found >= need:
                return found, False  # a common word: at least these
            if rare():
                return count_up_to(matches(queries.any, None), at_least=need)
            if size >= SCOPED_WINDOW_CAP:
                return found, False
            size *= 4

    def page_finder(offset: int, limit: int):
        return search_page(offset=offset, limit=limit, window=window, queries=queries, counted=counted,
                           matches=matches)

    return counted, page_finder
