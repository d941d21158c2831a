"""Every statement of the assets app that the ORM cannot write, in one place.

Each is here because it measurably beats what the ORM would send (the benchmarks in
bench/ say by how much). Nothing else in the app builds SQL text; values always travel
as parameters, and the few names put into the text are fixed ones.

- the search rows' vectors (what is searchable, as one SQL expression) and the trigger
  bodies that keep them (declared on the models, assets.models);
- each word's lexemes (`words_of`), and a search tier's newest matches among the newest
  rows of a list (`newest_matching`);
- the owner's distinct model names, by skip scan (`model_names_containing`);
- a keyset cursor's row comparison (`row_after`);
- an UPDATE that returns the ids it changed and records them in the same statement
  (`update_returning_ids`);
- many new rows in one INSERT of one array per column (`insert_rows`).
"""

import uuid

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import BooleanField, ExpressionWrapper
from django.db.models.expressions import RawSQL

from common.plain_values import plain_key

ASSETS = "assets_asset"


def _postgres():
    """The default connection where these statements run (PostgreSQL), else None: each
    function below then says what stands in for it (None, False, or the ORM)."""
    connection = connections["default"]
    return connection if connection.vendor == "postgresql" else None

# The asset's tag names as one string (its owner's tags, in their spelling), for the row aliased "a".
TAG_NAMES_SQL = """(SELECT string_agg(t.name, ' ') FROM assets_taggedasset ta
    JOIN assets_tag t ON t.id = ta.tag_id WHERE ta.content_object_id = a.id)"""

# The one definition of what is searchable, as SQL over the row aliased "a"; {tags} is
# an SQL expression for its tag names.
#
# Each field's words, as typed ('simple') and stemmed ('english'), become lexemes marked
# with the tier of the field they come from: "1" for the title and tags, "2" for the prompt
# and model, "3" for the description ("1misty", "1misti", "2lighthouse"). A search asks the
# GIN index for a tier's words directly (assets.search builds the queries), which is what
# lets it find the best tier's newest matches without reading every match; lexemes carry
# no positions (nothing ranks by them), which keeps the rows narrow.
SEARCH_TIERS = ("1", "2", "3")
# The asset's type and module as lexemes too ("0type=image", "0module=image_studio"; both
# fixed once the asset exists), its model as written ("0model=ideogram-v3-turbo"; rewritten
# with the rest of the row when it is edited), and whether it was ever used ("0used=true" or
# "0used=false", rewritten when its usage count leaves or returns to 0: SEARCH_ROW_OF_USE),
# whether it is a favourite ("0favorite=true", in a favourite's row only: rewritten when
# it is starred or unstarred, SEARCH_ROW_OF_FAVORITE), the month it was created in (UTC:
# "0month=2026-09") and the step of COST_STEPS its cost is in ("0cost=0.02": from 0.02 to
# below 0.05; rewritten with the cost, SEARCH_ROW_OF_COST), so that a search within a type,
# module, model, use, the favourites, a few months or a narrow cost range asks the index
# for all at once (assets.search.SearchQueries.narrowed; a `model` part is asked as the
# owner's model names that contain it, model_names_containing; dates and costs as the
# months and steps they span, their exact bounds then tested on the rows the index gives).
# Keyed by the list parameter each answers ("created": `date`, `created_after` and
# `created_before`; "cost": `min_cost` and `max_cost`).
SEARCH_FILTER_LEXEMES = {"type": "0type=", "source_module": "0module=", "model": "0model=", "used": "0used=",
                         "favorites": "0favorite=", "created": "0month=", "cost": "0cost="}
COST_STEPS = ("0", "0.001", "0.002", "0.005", "0.01", "0.02", "0.05", "0.1", "0.2", "0.5", "1", "2", "5", "10",
              "20", "50", "100", "1000")
_TIER_LEXEMES = "ARRAY(SELECT '{tier}' || w FROM unnest(tsvector_to_array({document})) AS w)"
_TIER_DOCUMENTS = {
    "1": "to_tsvector('english', coalesce(a.title, '')) || to_tsvector('simple', coalesce(a.title, ''))"
         " || to_tsvector('simple', coalesce({tags}, ''))",
    "2": "to_tsvector('english', coalesce(a.prompt, '')) || to_tsvector('simple', coalesce(a.prompt, ''))"
         " || to_tsvector('simple', coalesce(a.model, ''))"
         " || to_tsvector('simple', replace(coalesce(a.model, ''), '-', ' '))",
    "3": "to_tsvector('english', coalesce(a.description, '')) || to_tsvector('simple', coalesce(a.description, ''))",
}
_TIER_ARRAYS = {tier: _TIER_LEXEMES.format(tier=tier, document=document) for tier, document in _TIER_DOCUMENTS.items()}
_USED_LEXEME = "'0used=' || ({row}.usage_count > 0)::text"
FAVORITE_LEXEME = "0favorite=true"
_FAVORITE_ARRAY = f"(CASE WHEN a.is_favorite THEN ARRAY['{FAVORITE_LEXEME}'] ELSE ARRAY[]::text[] END)"
# The month of a row's creation time, and the step of its cost (never negative: a check
# of the assets), as lexemes (of a row "{row}" with created_at and cost).
MONTH_LEXEME = "'0month=' || to_char({row}.created_at AT TIME ZONE 'UTC', 'YYYY-MM')"
COST_LEXEME = (
    "'0cost=' || coalesce((ARRAY[" + ", ".join(f"'{step}'" for step in COST_STEPS) + "])"
    "[width_bucket({row}.cost, ARRAY[" + ", ".join(COST_STEPS) + "]::numeric[])], 'none')"
)
COST_LEXEMES = [f"0cost={step}" for step in (*COST_STEPS, "none")]
_FILTER_ARRAY = (
    f"ARRAY['0type=' || a.type, '0module=' || a.source_module, '0model=' || a.model, {_USED_LEXEME.format(row='a')}, "
    f"{MONTH_LEXEME.format(row='a')}, {COST_LEXEME.format(row='a')}] || {_FAVORITE_ARRAY}"
)
SEARCH_VECTOR_TEMPLATE = "array_to_tsvector(" + " || ".join([*_TIER_ARRAYS.values(), _FILTER_ARRAY]) + ")"
SEARCH_VECTOR_SQL = SEARCH_VECTOR_TEMPLATE.format(tags=TAG_NAMES_SQL)
# Followed by SELECT a.id, a.owner_id, a.created_at, a.cost, <vector>: how every search row is
# written (the owner, creation time and cost are the asset's, for the searches within them).
SEARCH_ROW_INSERT = "INSERT INTO assets_assetsearch (asset_id, owner_id, created_at, cost, vector)"
# Each owner's lexemes (SearchLexeme) from search rows written (`rows`): without their tier
# mark, the filter lexemes ("0…") and those that begin with a digit left out (a numbered
# title would add one per asset: assets.search never expands a number); in sorted order,
# so that two writers adding the same ones wait for each other in the same order, never in
# a cycle.
SEARCH_LEXEMES_OF_NEW_ROWS = (
    "INSERT INTO assets_searchlexeme (owner_id, lexeme) SELECT DISTINCT r.owner_id, substr(w, 2) "
    "FROM new_rows AS r, unnest(tsvector_to_array(r.vector)) AS w WHERE left(w, 1) <> '0' "
    "AND w !~ '^.[0-9]' ORDER BY 1, 2 ON CONFLICT DO NOTHING; RETURN NULL;"
)


def lexemes_beginning(*, owner_id, prefixes: list[str], limit: int) -> list[list[str] | None]:
    """For each prefix, the owner's lexemes (SearchLexeme) that begin with it, or None when
    there are more than `limit`: one range of the primary key each, in one statement."""
    patterns = [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%" for prefix in prefixes]
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT ARRAY(SELECT lexeme FROM assets_searchlexeme WHERE owner_id = %s AND lexeme LIKE p "
            "ORDER BY lexeme LIMIT %s) FROM unnest(%s::text[]) WITH ORDINALITY AS t(p, n) ORDER BY n",
            [owner_id, limit + 1, patterns],
        )
        return [list(found) if len(found) <= limit else None for (found,) in cursor.fetchall()]


def words_of(words: list[str]) -> list[tuple[list[str], list[str]]]:
    """Each word's lexemes as the search rows hold them: (stemmed, as typed); a stop word
    has no stemmed ones."""
    with connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT tsvector_to_array(to_tsvector('english', w)), tsvector_to_array(to_tsvector('simple', w)) "
            "FROM unnest(%s::text[]) WITH ORDINALITY AS t(w, n) ORDER BY n",
            [words],
        )
        return [(list(stemmed), list(typed)) for stemmed, typed in cursor.fetchall()]


def newest_matching(window, *, tier: list[str], better: str | None, limit: int, one_by_one: bool = False) -> list:
    """The ids of the first `limit` rows of `window` (a queryset of assets giving id and
    created_at, newest first, sliced to a budget) whose search row matches every tsquery
    of `tier` (a tier's query, as its index parts) but not `better` (the tiers above).
    Each window row costs one primary-key probe of the search rows, and the scan stops at
    `limit` matches: a common word's newest matches are found after a few hundred rows,
    however many there are in all.

    `one_by_one` holds the planner to that: for a window of a few rows (a probe). Left to
    itself, it may read the tier's matches of every owner from the index instead and join
    them to the window, when it takes them for few (`misty lighthouse`'s titles, 3,200
    matches among 110,000 candidates: 41 ms at a million assets, against 17 one by one)."""
    sql, params = window.query.sql_with_params()
    # A condition per tsquery of `tier`, should the index answer them (assets.search.Tsquery).
    condition = " AND ".join(["s.vector @@ %s::tsquery"] * len(tier))
    params = [*params, *map(str, tier)]
    if better is not None:
        condition += " AND NOT s.vector @@ %s::tsquery"
        params.append(str(better))
    connection = connections[window.db]
    with connection.cursor() as cursor:
        # OFFSET 0 keeps the lateral subquery a subquery: one primary-key probe per row.
        join = (
            "CROSS JOIN LATERAL (SELECT 1 FROM assets_assetsearch s WHERE s.asset_id = w.id AND "  # noqa: S608
            f"{condition} OFFSET 0) AS s" if one_by_one
            else f"JOIN assets_assetsearch s ON s.asset_id = w.id WHERE {condition}"
        )
        cursor.execute(
            f"SELECT w.id FROM ({sql}) AS w (id, created_at) {join} "  # noqa: S608 - ORM SQL and fixed text
            "ORDER BY w.created_at DESC, w.id DESC LIMIT %s",
            [*params, limit],
        )
        return [row[0] for row in cursor.fetchall()]


def count_matching(window, *, query: str) -> tuple[int, int]:
    """(rows, matches) of `window` (a sliced queryset giving id and created_at): how many
    rows it has, and how many of them have a search row matching the tsquery `query`. One
    primary-key probe of the search rows per window row."""
    sql, params = window.query.sql_with_params()
    connection = connections[window.db]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), count(*) FILTER (WHERE s.vector @@ %s::tsquery) "  # noqa: S608 - ORM SQL
            f"FROM ({sql}) AS w (id, created_at) LEFT JOIN assets_assetsearch s ON s.asset_id = w.id",
            [str(query), *params],
        )
        rows, matches = cursor.fetchone()
    return rows, matches


# A skip scan over the live assets' (owner, model, created_at, id) index: one probe per
# distinct model name, however many assets carry it. An owner uses a few dozen models, so
# the partial match is decided on those names and the list query becomes `model IN (...)`,
# served by that same index instead of a scan of every row's model.
_DISTINCT_MODELS_SQL = """
WITH RECURSIVE m(model) AS (
    (SELECT model FROM assets_asset WHERE owner_id = %(owner)s AND deleted_at IS NULL ORDER BY model LIMIT 1)
  UNION ALL
    SELECT (SELECT a.model FROM assets_asset a
            WHERE a.owner_id = %(owner)s AND a.deleted_at IS NULL AND a.model > m.model
            ORDER BY a.model LIMIT 1)
    FROM m WHERE m.model IS NOT NULL
)
SELECT model FROM m WHERE model IS NOT NULL AND strpos(lower(model), lower(%(part)s)) > 0
"""


def model_names_containing(*, owner_id, part: str) -> list[str] | None:
    """The model names of the owner's live assets containing `part` (any case), or None where
    this isn't worth it (SQLite)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_DISTINCT_MODELS_SQL, {"owner": owner_id, "part": part})
        return [row[0] for row in cursor.fetchall()]


def row_after(queryset, *, column: str, descending: bool, value, last_id, lowered: bool = False,
              own_value: bool = False):
    """The condition `(column, id) < (value, last_id)` (> ascending) on `queryset`'s model,
    as one row comparison: PostgreSQL answers it as a range of the (owner, column, id)
    index instead of scanning past earlier pages. `column` is one of the fixed orderings,
    never the request's text; `lowered`: the column's lower() is what is ordered by (and
    `value` is one); `own_value`: the value is the row `last_id`'s own, read in the same
    query (`value` is ignored)."""
    model = queryset.model
    table = model._meta.db_table
    connection = connections[queryset.db]
    last = model._meta.get_field("id").get_db_prep_value(last_id, connection)
    key = f'LOWER("{table}"."{column}")' if lowered else f'"{table}"."{column}"'
    op = "<" if descending else ">"
    if own_value:
        own = key.replace(f'"{table}".', "own.")
        row = RawSQL(  # noqa: S611 - fixed column and table names
            f'({key}, "{table}"."id") {op} ((SELECT {own} FROM "{table}" own WHERE own."id" = %s), %s)',  # noqa: S608
            (last, last),
        )
    else:
        params = (model._meta.get_field(column).get_db_prep_value(value, connection), last)
        row = RawSQL(f'({key}, "{table}"."id") {op} (%s, %s)', params)  # noqa: S611
    return ExpressionWrapper(row, output_field=BooleanField())


def update_returning_ids(queryset, assignments: dict, *, record=None) -> tuple[list[uuid.UUID], bool]:
    """Set `assignments` on every row of `queryset` (assets) in one UPDATE: (the ids it
    changed, whether `record` recorded them).

    `record(ids_from)` may give statements (SQL, params) to run in the same statement
    over those ids, as the query named `ids_from` with an `id` column (PostgreSQL:
    `WITH changed AS (UPDATE ... RETURNING id) INSERT ...`): for 100,000 assets the ids
    make no round trip through Python. Elsewhere they are returned and recorded by the
    caller.

    The rows are those of the queryset's own SELECT, read once (`id = ANY(ARRAY(...))`):
    PostgreSQL then updates them through the primary key, whatever its statistics say
    (a self-join `id IN (SELECT ...)` could be hashed against the whole table, or
    rescanned once per row on a library just imported).
    """
    model = queryset.model
    connection = connections[queryset.db]
    quote = connection.ops.quote_name
    try:
        select_sql, select_params = queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # e.g. pk__in=[]: no row can match
        return [], False
    sets, set_params = [], []
    for name, value in assignments.items():
        field = model._meta.get_field(name)
        sets.append(f"{quote(field.column)} = %s")
        set_params.append(field.get_db_prep_save(value, connection))
    pk = quote(model._meta.pk.column)
    if connection.vendor == "postgresql":
        chosen = f"{pk} = ANY(ARRAY({select_sql}))"
    else:
        chosen = f"{pk} IN ({select_sql})"
    update = (
        f"UPDATE {quote(model._meta.db_table)} SET {', '.join(sets)} WHERE {chosen} "  # noqa: S608 - fixed names
        f"RETURNING {pk} AS id"
    )
    params = [*set_params, *select_params]
    statements = record("changed") if record is not None and connection.vendor == "postgresql" else []
    if statements:
        parts = [f"WITH changed AS ({update})"]
        parts += [f"recorded_{index} AS ({sql})" for index, (sql, _params) in enumerate(statements)]
        update = ", ".join(parts) + " SELECT id FROM changed"  # noqa: S608 - our own SQL, values are params
        params += [param for _sql, record_params in statements for param in record_params]
    with connection.cursor() as cursor:
        cursor.execute(update, params)
        ids = [pk if isinstance(pk, uuid.UUID) else uuid.UUID(pk) for (pk,) in cursor.fetchall()]
    return ids, bool(statements)


# --- Triggers that keep the search rows (declared on the models they watch, through
# django-pgtrigger; PostgreSQL only: SQLite keeps no search rows and searches the assets).
_SEARCH_ROW_SET = (
    "ON CONFLICT (asset_id) DO UPDATE SET vector = EXCLUDED.vector, "
    "owner_id = EXCLUDED.owner_id, created_at = EXCLUDED.created_at, cost = EXCLUDED.cost"
)


def _words_of(source: str, *, owner: str, text: str) -> str:
    """Add the words (as typed) of `text`, for each row of `source`, to their owner's
    words (SearchWord), in sorted order: two writers adding the same words then wait for
    each other in the same order, never in a cycle."""
    return (
        "INSERT INTO assets_searchword (owner_id, word) "  # noqa: S608 - fixed text
        f"SELECT DISTINCT {owner}, w FROM {source}, unnest(tsvector_to_array(to_tsvector('simple', {text}))) AS w "
        "WHERE char_length(w) BETWEEN 3 AND 40 AND w !~ '[0-9_]' ORDER BY 1, 2 ON CONFLICT DO NOTHING;"
    )


_ASSET_TEXT = "concat_ws(' ', a.title, a.prompt, a.description)"
# Each distinct text of new assets' searched fields once: a batch's variants share their
# prompt and description, which are then parsed once, not once per asset.
_NEW_TEXTS = ("(SELECT DISTINCT a.owner_id, v.text FROM new_rows AS a, "
              "LATERAL (VALUES (a.title), (a.prompt), (a.description)) AS v(text)) AS a")
# New assets (a statement's rows at once: bulk inserts and COPY write their rows in one pass).
# The same vector as SEARCH_VECTOR_SQL (array_to_tsvector sorts and merges its lexemes), with
# the prompt, model and description's lexemes (tiers 2 and 3) made once for each distinct
# combination: a batch of variants shares them, and their parsing is most of the vector's cost.
# (OFFSET 0 keeps them made once: without it PostgreSQL pulls the subquery up into the join
# and parses the shared texts again for every row, measured 65 ms against 22 for 500 rows.)
_SHARED_TEXT = ("SELECT a.prompt, a.model, a.description, "  # noqa: S608 - fixed text
                f"{_TIER_ARRAYS['2']} || {_TIER_ARRAYS['3']} AS lexemes "
                "FROM (SELECT DISTINCT prompt, model, description FROM new_rows) AS a OFFSET 0")
SEARCH_ROWS_OF_INSERTED_ASSETS = (
    f"{SEARCH_ROW_INSERT} SELECT a.id, a.owner_id, a.created_at, a.cost, "  # noqa: S608
    f"array_to_tsvector({_TIER_ARRAYS['1'].format(tags=TAG_NAMES_SQL)} || shared.lexemes || {_FILTER_ARRAY}) "
    f"FROM new_rows AS a JOIN ({_SHARED_TEXT}) AS shared ON shared.prompt = a.prompt "
    f"AND shared.model = a.model AND shared.description = a.description {_SEARCH_ROW_SET}; "
    + _words_of(_NEW_TEXTS, owner="a.owner_id", text="a.text")
    + " RETURN NULL;"
)
# An asset whose searchable columns changed (row level, so that the trash, restores and
# counters, which change none of them, never call it).
SEARCH_ROW_OF_EDITED_ASSET = (
    f"{SEARCH_ROW_INSERT} SELECT a.id, a.owner_id, a.created_at, a.cost, {SEARCH_VECTOR_SQL} "  # noqa: S608
    f"FROM assets_asset AS a WHERE a.id = NEW.id {_SEARCH_ROW_SET}; "
    + _words_of("(SELECT NEW.*) AS a", owner="a.owner_id", text=_ASSET_TEXT)
    + " RETURN NULL;"
)
# An asset first used, or no longer used by anything (row level, condition in
# assets.models): its search row's use lexeme only, the rest as it is. Counters, stars and
# the trash change no use, and never call it.
SEARCH_ROW_OF_USE = (
    "UPDATE assets_assetsearch SET vector = ts_delete(vector, ARRAY['0used=true', '0used=false']) "  # noqa: S608
    f"|| array_to_tsvector(ARRAY[{_USED_LEXEME.format(row='NEW')}]) WHERE asset_id = NEW.id; RETURN NULL;"
)
# An asset starred or unstarred (row level, condition in assets.models): its search row's
# favourite lexeme only, added or taken away.
SEARCH_ROW_OF_FAVORITE = (
    "UPDATE assets_assetsearch SET vector = CASE WHEN NEW.is_favorite "  # noqa: S608 - fixed text
    f"THEN vector || array_to_tsvector(ARRAY['{FAVORITE_LEXEME}']) "
    f"ELSE ts_delete(vector, '{FAVORITE_LEXEME}'::text) END "
    "WHERE asset_id = NEW.id; RETURN NULL;"
)
# An asset whose cost changed (row level, condition in assets.models): its search row's
# cost and cost step only (a search within a cost range counts and pages from the search rows).
SEARCH_ROW_OF_COST = (
    "UPDATE assets_assetsearch SET cost = NEW.cost, vector = ts_delete(vector, ARRAY["  # noqa: S608 - fixed text
    + ", ".join(f"'{lexeme}'" for lexeme in COST_LEXEMES)
    + f"]) || array_to_tsvector(ARRAY[{COST_LEXEME.format(row='NEW')}]) WHERE asset_id = NEW.id; RETURN NULL;"
)
# What a search row is made of (fields, and their columns for UPDATE OF).
SEARCHED_FIELDS = ("title", "description", "prompt", "model", "owner", "created_at", "type", "source_module")
SEARCHED_COLUMNS = ("title", "description", "prompt", "model", "owner_id", "created_at", "type", "source_module")


def _vector_of_assets_in(ids_sql: str) -> str:
    """Recompute the existing search rows of the assets whose ids `ids_sql` selects (a row
    being deleted with its asset is left alone: it is on its way out)."""
    return (
        "UPDATE assets_assetsearch AS s SET vector = v.vector FROM ("  # noqa: S608 - fixed names
        f"SELECT a.id, {SEARCH_VECTOR_SQL} AS vector FROM assets_asset AS a WHERE a.id IN ({ids_sql})"
        ") AS v WHERE s.asset_id = v.id; RETURN NULL;"
    )


# Tags added to or removed from assets: the statement's assets at once (a bulk tag edit).
#
# A statement's links name a few distinct tags, each read by its primary key (OFFSET 0 keeps
# the lookup a nested loop: a transition table has no statistics, and the planner would
# otherwise hash every tag of every owner to join a handful).
def _tags_of(links: str, columns: str) -> str:
    return (f"(SELECT DISTINCT tag_id FROM {links}) AS n CROSS JOIN LATERAL "  # noqa: S608 - fixed text
            f"(SELECT {columns} FROM assets_tag AS tag WHERE tag.id = n.tag_id OFFSET 0) AS t")


_NEW_TAGS = _tags_of("new_rows", "tag.owner_id, tag.name")
SEARCH_ROWS_OF_TAGGED = " ".join((
    _words_of(_NEW_TAGS, owner="t.owner_id", text="t.name"),
    _vector_of_assets_in("SELECT DISTINCT content_object_id FROM new_rows"),
))
SEARCH_ROWS_OF_UNTAGGED = _vector_of_assets_in("SELECT DISTINCT content_object_id FROM old_rows")
# A tag renamed (row level: rare).
SEARCH_ROWS_OF_RENAMED_TAG = " ".join((
    _words_of("(SELECT NEW.*) AS t", owner="t.owner_id", text="t.name"),
    _vector_of_assets_in("SELECT content_object_id FROM assets_taggedasset WHERE tag_id = NEW.id"),
))


def words_known(*, owner_id, words: list[str]) -> list[bool]:
    """For each word, whether the owner has it (SearchWord): as it is, or, for the last one
    (typed as a prefix), as the start of one (the trigram index answers LIKE 'x%')."""
    if not words:
        return []
    tests = ["EXISTS (SELECT 1 FROM assets_searchword WHERE owner_id = %s AND word = %s)"] * (len(words) - 1)
    tests.append("EXISTS (SELECT 1 FROM assets_searchword WHERE owner_id = %s AND word LIKE %s)")
    escaped = words[-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    params = [value for word in [*words[:-1], escaped] for value in (owner_id, word)]
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(tests), params)  # noqa: S608 - fixed text, values are params
        return list(cursor.fetchone())


def similar_words(*, owner_id, word: str, limit: int = 20) -> list[str]:
    """The owner's words most like `word` by trigrams (the trigram index on SearchWord finds
    those sharing enough of them), most similar first.

    The threshold is lower than pg_trgm's default (0.3), which misses a swapped pair of
    letters in a short word ("filed": "field" is 0.2). It is set for this statement only:
    the value before is put back, also inside a caller's transaction (where leaving the
    savepoint would keep it).
    """
    setting = "pg_trgm.similarity_threshold"
    with transaction.atomic(), connections["default"].cursor() as cursor:
        cursor.execute(
            "SELECT coalesce(current_setting(%s, true), '0.3'), set_config(%s, '0.15', true)", [setting, setting]
        )
        before = cursor.fetchone()[0]
        cursor.execute(
            "SELECT word FROM assets_searchword WHERE owner_id = %s AND word %% %s "
            "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
            [owner_id, word, word, limit],
        )
        found = [row[0] for row in cursor.fetchall()]
        cursor.execute("SELECT set_config(%s, %s, true)", [setting, before])
    return found


# --- Tag counts: how many live assets carry each tag (TagCount), kept by triggers declared
# on Asset, TaggedAsset and Tag (PostgreSQL). Each body first takes the owner's advisory
# lock, the one the statistics' rollups take too (analytics.sql), in owner order: one
# owner's writers queue rather than lock count rows in crossing orders.
OWNER_LOCK_CLASS = 0x524F4C4C  # 'ROLL'
_MOVED = "(o.deleted_at IS NULL) <> (a.deleted_at IS NULL)"  # to the trash, or out of it


def _tag_count_body(delta: str, owners: str) -> str:
    """Lock the owners `owners` selects, then add `delta` (tag_id, owner_id, n) to the counts."""
    return (
        f"FOR concerned IN {owners} ORDER BY 1 LOOP\n"  # noqa: S608 - fixed text
        f"PERFORM pg_advisory_xact_lock({OWNER_LOCK_CLASS}, concerned.owner_id);\nEND LOOP;\n"
        "INSERT INTO assets_tagcount (tag_id, owner_id, assets) "
        f"SELECT tag_id, owner_id, sum(n) FROM ({delta}) AS d GROUP BY tag_id, owner_id HAVING sum(n) <> 0 "
        "ORDER BY tag_id ON CONFLICT (tag_id) DO UPDATE SET assets = assets_tagcount.assets + EXCLUDED.assets;\n"
        "RETURN NULL;"
    )


# A tag is its asset's owner's (tags are per owner): the asset gives the owner, no join
# with the tags needed.
def _links_delta(links: str, sign: int) -> str:
    return (
        f"SELECT l.tag_id, a.owner_id, {sign} AS n FROM {links} AS l "  # noqa: S608 - fixed text
        "JOIN assets_asset AS a ON a.id = l.content_object_id WHERE a.deleted_at IS NULL"
    )


def _assets_delta(assets: str, n: str, where: str = "") -> str:
    return (
        f"SELECT l.tag_id, a.owner_id, {n} AS n FROM {assets} "  # noqa: S608 - fixed text
        f"JOIN assets_taggedasset AS l ON l.content_object_id = a.id WHERE {where or 'a.deleted_at IS NULL'}"
    )


def _link_owners(links: str) -> str:
    return f"SELECT DISTINCT t.owner_id FROM {_tags_of(links, 'tag.owner_id')}"  # noqa: S608 - fixed text


TAG_COUNTS_OF_LINKS_ADDED = _tag_count_body(_links_delta("new_rows", 1), _link_owners("new_rows"))
TAG_COUNTS_OF_LINKS_REMOVED = _tag_count_body(_links_delta("old_rows", -1), _link_owners("old_rows"))
# New assets whose links came first (a COPY of links, then the assets): usually none.
TAG_COUNTS_OF_ASSETS_ADDED = _tag_count_body(
    _assets_delta("new_rows AS a", "1"), "SELECT DISTINCT owner_id FROM new_rows"
)
# Assets going to the trash (-1 for each of their tags) or coming back (+1).
TAG_COUNTS_OF_ASSETS_MOVED = _tag_count_body(
    _assets_delta(
        "new_rows AS a JOIN old_rows AS o ON o.id = a.id", "CASE WHEN a.deleted_at IS NULL THEN 1 ELSE -1 END",
        where=_MOVED,
    ),
    # Every owner of the statement's rows (one scan, no join; locking one whose rows did
    # not move costs nothing: the rollups' trigger locks them all the same).
    "SELECT DISTINCT owner_id FROM new_rows",
)
# Live assets deleted with their links still there (the links' own deletion counts otherwise).
TAG_COUNTS_OF_ASSETS_REMOVED = _tag_count_body(
    _assets_delta("old_rows AS a", "-1"), "SELECT DISTINCT owner_id FROM old_rows"
)
# A tag deleted (after its links): its count goes too.
TAG_COUNTS_OF_TAGS_REMOVED = "DELETE FROM assets_tagcount WHERE tag_id IN (SELECT id FROM old_rows); RETURN NULL;"
# Every count again from the links (migration 0016 and tag_counts_rebuild).
TAG_COUNTS_REBUILD = (
    "DELETE FROM assets_tagcount; "
    "INSERT INTO assets_tagcount (tag_id, owner_id, assets) SELECT l.tag_id, t.owner_id, count(*) "
    "FROM assets_taggedasset AS l JOIN assets_asset AS a ON a.id = l.content_object_id "
    "JOIN assets_tag AS t ON t.id = l.tag_id WHERE a.deleted_at IS NULL GROUP BY l.tag_id, t.owner_id"
)


# Every distinct module of every asset, by skip scan over the (source_module) index: one
# probe per module, however many assets there are (the admin's module filter).
_DISTINCT_MODULES_SQL = """
WITH RECURSIVE m(source_module) AS (
    (SELECT source_module FROM assets_asset WHERE id IS NOT NULL ORDER BY source_module LIMIT 1)
  UNION ALL
    SELECT (SELECT a.source_module FROM assets_asset a WHERE a.id IS NOT NULL AND a.source_module > m.source_module
            ORDER BY a.source_module LIMIT 1)
    FROM m WHERE m.source_module IS NOT NULL
)
SELECT source_module FROM m WHERE source_module IS NOT NULL LIMIT %s
"""


def distinct_modules(limit: int = 100) -> list[str] | None:
    """The modules of all assets, or None where this isn't worth it (SQLite)."""
    if connections["default"].vendor != "postgresql":
        return None
    with connections["default"].cursor() as cursor:
        cursor.execute(_DISTINCT_MODULES_SQL, [limit])
        return [row[0] for row in cursor.fetchall()]


def estimated_rows(table: str) -> int | None:
    """PostgreSQL's estimate of a table's rows (from its last ANALYZE), or None where there
    is none (SQLite, or never analysed)."""
    connection = connections["default"]
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples::bigint FROM pg_class WHERE oid = to_regclass(%s)", [table])
        row = cursor.fetchone()
    return row[0] if row and row[0] is not None and row[0] >= 0 else None


def tags_named(*, owner_id, names: list[str]) -> list[tuple[int, str]] | None:
    """The owner's (id, name) tags with any of these names, ignoring case as the unique
    index does (lower() on both sides, in the database); None where this isn't worth it
    (SQLite: the ORM's TagQuerySet.named says the same)."""
    connection = _postgres()
    if connection is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id, name FROM assets_tag WHERE owner_id = %s "
            "AND lower(name) = ANY(ARRAY(SELECT lower(n) FROM unnest(%s::text[]) AS n))",
            [owner_id, names],
        )
        return cursor.fetchall()


def link_new_assets_tags(*, asset_ids: list, tag_ids: list[int]) -> bool:
    """Link just-created assets to tags (manual links: the i-th asset to the i-th tag), in
    one INSERT of two arrays; False where this isn't worth it (SQLite)."""
    connection = _postgres()
    if connection is None:
        return False
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO assets_taggedasset (content_object_id, tag_id, auto) "
            "SELECT asset_id, tag_id, false FROM unnest(%s::uuid[], %s::integer[]) AS l(asset_id, tag_id)",
            [asset_ids, tag_ids],
        )
    return True


def link_new_asset_tags(asset_id, tag_ids: list[int]) -> list[str] | None:
    """Link a just-created asset to tags (manual links, in one INSERT) and return its tag
    names as a list of assets orders them (by name, then link); None where this isn't
    worth it (SQLite)."""
    connection = _postgres()
    if connection is None:
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH links AS (INSERT INTO assets_taggedasset (tag_id, content_object_id, auto) "
            "SELECT tag_id, %s, false FROM unnest(%s::integer[]) AS tag_id RETURNING id, tag_id) "
            "SELECT t.name FROM links JOIN assets_tag AS t ON t.id = links.tag_id ORDER BY t.name, links.id",
            [asset_id, tag_ids],
        )
        return [name for (name,) in cursor.fetchall()]


# Appended to an INSERT of assets: a row whose (owner, module, external id) is registered
# already is left out, not an error (the unique index says so, also for a registration
# that commits meanwhile).
SKIP_REGISTERED = (
    "ON CONFLICT (owner_id, source_module, external_id) WHERE external_id IS NOT NULL DO NOTHING"
)


def inserts_skip_conflicts() -> bool:
    """Whether insert_rows(on_conflict=…) leaves conflicting rows out (PostgreSQL); elsewhere
    the caller must find them first."""
    return connections["default"].vendor == "postgresql"


def insert_rows(model, rows: list, *, fields=None, on_conflict: str = "") -> set:
    """INSERT new `rows` of `model` (their primary keys set, or taken from the column's
    default), one array per column: `INSERT … SELECT … FROM unnest(…)`; the primary keys
    of the rows written (all of them, but those `on_conflict`, e.g. SKIP_REGISTERED, left out).

    What bulk_create sends on PostgreSQL too, without its per-value compilation (about a
    third of a 500-asset batch registration's Python time): each column's values are
    prepared once by their field, in one pass. A column whose rows all hold the same value
    (most of a batch of variants': its type, module, prompt, empty file, counters) is sent
    once, not as an array. Elsewhere (SQLite) it is bulk_create.
    """
    connection = connections["default"]
    if not rows:
        return set()
    if connection.vendor != "postgresql":
        model.objects.bulk_create(rows)
        return {row.pk for row in rows}
    fields = fields or [field for field in model._meta.concrete_fields if not (field.primary_key and
                                                                               field.db_returning)]
    columns, selected, constants, casts, arrays = [], [], [], [], []
    for field in fields:
        values = [field.pre_save(row, add=True) for row in rows]
        if field.get_internal_type() not in _PASSED_AS_IS:
            values = [field.get_db_prep_save(value, connection) for value in values]
        columns.append(connection.ops.quote_name(field.column))
        db_type = field.db_type(connection).split("(")[0]
        shared = plain_key(values[0])  # one plain value, written alike in every row
        if shared is not None and all(plain_key(value) == shared for value in values[1:]):
            selected.append(f"%s::{db_type}")
            constants.append(values[0])
        else:
            selected.append(f"u.c{len(arrays)}")
            casts.append(f"%s::{db_type}[]")
            arrays.append(values)
    rows_sql = (f"unnest({', '.join(casts)}) AS u({', '.join(f'c{n}' for n in range(len(arrays)))})" if arrays
                else f"generate_series(1, {len(rows):d})")
    pk = model._meta.pk
    with connection.cursor() as cursor:
        cursor.execute(
            # The model's own table and columns; the values are parameters.
            f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "  # noqa: S608
            f"SELECT {', '.join(selected)} FROM {rows_sql} "
            f"{on_conflict} RETURNING {connection.ops.quote_name(pk.column)}",
            [*constants, *arrays],
        )
        written = {pk.to_python(value) for (value,) in cursor.fetchall()}
    for row in rows:
        if row.pk in written:
            row._state.adding, row._state.db = False, connection.alias
    return written


# Fields whose Python values psycopg sends as they are (no preparation by the field).
_PASSED_AS_IS = {"CharField", "TextField", "BooleanField", "IntegerField", "BigIntegerField",
                 "PositiveIntegerField", "FloatField", "UUIDField", "ForeignKey", "DateTimeField"}
