"""Search and filter latency at scale: the API against hand-written SQL, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python manage.py seed_bulk --assets 1000000 --owners 10   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/search.py [--runs 40]

For each shape, the first page (24 rows) plus its exact count for the big owner
(`bulk_owner_0`, half of all assets): p50 and p95 through the whole API stack (URL
routing, auth, filters, serializers, JSON), and the same rows and count as raw SQL
through psycopg. Targets: p95 <= 100 ms (150 ms for q shapes) and API <= 2x raw SQL.
"""

import argparse
import datetime as dt
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import api_client, setup_django, timed  # noqa: E402

BASE = "FROM assets_asset a WHERE a.owner_id = %(owner)s AND a.deleted_at IS NULL"
SEARCH_BASE = (
    "FROM assets_asset a JOIN assets_assetsearch s ON s.asset_id = a.id "
    "WHERE a.owner_id = %(owner)s AND a.deleted_at IS NULL"
)
NEWEST = "ORDER BY a.created_at DESC, a.id DESC"
TAGS_SQL = (
    "EXISTS (SELECT 1 FROM assets_taggedasset ta JOIN assets_tag t ON t.id = ta.tag_id "
    "WHERE ta.content_object_id = a.id AND t.owner_id = %(owner)s AND lower(t.name) = ANY(%(tags)s))"
)
TSQUERY = (
    "((plainto_tsquery('english', %(w1)s) || plainto_tsquery('simple', %(w1)s)) "
    "&& to_tsquery('simple', %(w2)s || ':*'))"
)
# What the API gives of each row besides its columns: its tags (and which are automatic)
# and its collections, as a hand-written query would fetch them, with the row.
ROW = (
    "a.*, ARRAY(SELECT t.name FROM assets_taggedasset ta JOIN assets_tag t ON t.id = ta.tag_id "
    "WHERE ta.content_object_id = a.id ORDER BY t.name, ta.id) AS tags, "
    "ARRAY(SELECT ta.auto FROM assets_taggedasset ta JOIN assets_tag t ON t.id = ta.tag_id "
    "WHERE ta.content_object_id = a.id ORDER BY t.name, ta.id) AS auto_tags, "
    "ARRAY(SELECT ci.collection_id FROM collections_app_collectionitem ci WHERE ci.asset_id = a.id "
    "ORDER BY ci.id) AS collections"
)
# A ranked search written by hand at its best: the owner's matches ranked and counted in
# one pass over the search rows (which carry owner and creation time), the trash left out
# through its index, and only the page's 24 asset rows read. OFFSET 0 keeps the ranking
# subquery whole, so the window counts narrow rows (see assets.search.search_page).
RANKED_PAGE = f"""
SELECT {ROW}, x.total FROM (
    SELECT m.asset_id, m.created_at, m.rank, count(*) OVER () AS total FROM (
        SELECT s.asset_id, s.created_at, ts_rank(s.vector, {TSQUERY}) AS rank
        FROM assets_assetsearch s
        WHERE s.owner_id = %(owner)s AND s.vector @@ {TSQUERY}
          AND NOT EXISTS (SELECT 1 FROM assets_asset t
                          WHERE t.id = s.asset_id AND t.owner_id = %(owner)s AND t.deleted_at IS NOT NULL)
        OFFSET 0
    ) m
    ORDER BY m.rank DESC, m.created_at DESC, m.asset_id DESC LIMIT 24
) x JOIN assets_asset a ON a.id = x.asset_id
ORDER BY x.rank DESC, x.created_at DESC, x.asset_id DESC
"""


def shapes(ctx):
    day = ctx["day"]
    week_ago = ctx["now"] - dt.timedelta(days=7)
    tags = ctx["tags"]
    w1, w2 = ctx["words"]
    frag = ctx["fragment"]
    return [
        ("no filter", {}, f"{BASE}", NEWEST, {}),
        ("type=image", {"type": "image"}, f"{BASE} AND a.type = 'image'", NEWEST, {}),
        ("status=failed", {"status": "failed"}, f"{BASE} AND a.status = 'failed'", NEWEST, {}),
        ("source_module=story_writer", {"source_module": "story_writer"},
         f"{BASE} AND a.source_module = 'story_writer'", NEWEST, {}),
        ("three tags ORed", {"tags": ",".join(tags)}, f"{BASE} AND {TAGS_SQL}", NEWEST,
         {"tags": [t.lower() for t in tags]}),
        ("favorites=true", {"favorites": "true"}, f"{BASE} AND a.is_favorite", NEWEST, {}),
        ("one date", {"date": day.isoformat()},
         f"{BASE} AND a.created_at >= %(d0)s AND a.created_at < %(d1)s", NEWEST,
         {"d0": dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
          "d1": dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)}),
        ("created_after 7 days", {"created_after": week_ago.isoformat()},
         f"{BASE} AND a.created_at >= %(after)s", NEWEST, {"after": week_ago}),
        ("model=ideogram", {"model": "ideogram"}, f"{BASE} AND upper(a.model::text) LIKE '%%IDEOGRAM%%'", NEWEST, {}),
        ("id 6-hex fragment", {"id": frag},
         f"{BASE} AND a.id IN (SELECT asset_id FROM assets_assetsearch WHERE replace(asset_id::text, '-', '') "
         "LIKE %(frag)s)", NEWEST, {"frag": f"%{frag}%"}),
        (f"q='{w1} {w2}'", {"q": f"{w1} {w2}"}, RANKED_PAGE, None, {"w1": w1, "w2": w2}),
        (f"q='{w1}'+type+tags+-cost", {"q": w1, "type": "image", "tags": ",".join(tags), "ordering": "-cost"},
         f"{SEARCH_BASE} AND s.owner_id = %(owner)s AND s.vector @@ to_tsquery('simple', %(w1)s || ':*') "
         f"AND a.type = 'image' AND {TAGS_SQL}",
         "ORDER BY a.cost DESC, a.id DESC", {"w1": w1, "tags": [t.lower() for t in tags]}),
    ]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--owner", default="bulk_owner_0")
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    owner = get_user_model().objects.get(username=args.owner)
    client = api_client(owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT t.name FROM assets_taggedasset ta JOIN assets_tag t ON t.id = ta.tag_id "
            "JOIN assets_asset a ON a.id = ta.content_object_id WHERE a.owner_id = %s "
            "GROUP BY t.name ORDER BY count(*) DESC LIMIT 3 OFFSET 40",
            [owner.pk],
        )
        tags = [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "SELECT replace(id::text, '-', '') FROM assets_asset WHERE owner_id = %s AND deleted_at IS NULL "
            "ORDER BY created_at LIMIT 1 OFFSET 1000",
            [owner.pk],
        )
        fragment = cursor.fetchone()[0][9:15]
        total = owner.assets.count()
    now = timezone.now()
    ctx = {"day": (now - dt.timedelta(days=30)).date(), "now": now, "tags": tags,
           "words": ("misty", "lighthouse"), "fragment": fragment}
    print(f"owner {args.owner}: {total:,} assets; {args.runs} timed runs per shape\n")
    print("| shape | matches | API p50 | API p95 | SQL p50 | SQL p95 | p95 ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    failures = 0
    raw = connection.cursor().cursor  # the psycopg cursor underneath Django
    for name, params, where, order, extra in shapes(ctx):
        sql_params = {"owner": owner.pk, **extra}

        def run_sql(where=where, order=order, sql_params=sql_params):
            if order is None:  # one statement gives the page and, on each row, the count
                raw.execute(where, sql_params)
                rows = raw.fetchall()
                return [str(r[0]) for r in rows], rows[0][-1] if rows else 0
            raw.execute(f"SELECT {ROW} {where} {order} LIMIT 24", sql_params)
            rows = raw.fetchall()
            raw.execute(f"SELECT count(*) {where}", sql_params)
            return [str(r[0]) for r in rows], raw.fetchone()[0]

        def run_api(params=params):
            response = client.get("/api/v1/assets/", params)
            assert response.status_code == 200, response.content[:300]
            body = response.json()
            return [r["id"] for r in body["results"]], body["count"]

        api50, api95, (api_ids, api_count) = timed(run_api, runs=args.runs)
        sql50, sql95, (sql_ids, sql_count) = timed(run_sql, runs=args.runs)
        same = api_count == sql_count and api_ids == sql_ids
        limit = 150 if name.startswith("q=") else 100
        ratio = api95 / sql95 if sql95 else float("inf")
        ok = same and api95 <= limit and ratio <= 2
        failures += not ok
        verdict = ("ok" if ok else "MISS") + ("" if same else " (results differ)")
        print(f"| {name} | {api_count:,} | {api50:.1f} | {api95:.1f} | {sql50:.1f} | {sql95:.1f} | "
              f"{ratio:.2f}x | {verdict} |")
    print(f"\n{failures} shape(s) missed a target.")


if __name__ == "__main__":
    main()
