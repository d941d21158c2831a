"""Search and filter latency at scale: the API against hand-written SQL, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python manage.py seed_bulk --assets 1000000 --owners 10   # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/search.py [--runs 40]

For each shape, the first page (24 rows, unless the shape asks for another page or size)
plus its count for the big owner (`bulk_owner_0`, half of all assets): p50 and p95 through the whole API stack (URL
routing, auth, filters, serializers, JSON), and the same rows and count as hand-written
SQL through psycopg, in the same run, and the library page for the same parameters as
a signed-in browser asks for it. Targets: p95 <= 100 ms for filters, <= 150 ms for every
keyword search (API), <= 200 ms for the library page of any shape, and API <= 2x raw SQL
for filters.

A keyword search's hand-written SQL is the plain query a developer would write for the
same answer: the owner's live matches ordered best tier first, then newest (the tiers'
tsqueries are the app's), and their count up to 10,000 (a lower bound beyond, as the
API's `count_exact`). A misspelt word's SQL is that of the spelling it is corrected to.
The first run adds 30 assets with a rare word ("zeppelin") to the big owner.
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
# A ranked search written by hand: the owner's live matches, best tier first (title and
# tags hold every word; then prompt and model too; then anywhere), newest first within a
# tier; %(q1)s and %(q2)s are the better tiers' tsqueries, the match one condition per part.
TIER = "CASE WHEN s.vector @@ %(q1)s::tsquery THEN 1 WHEN s.vector @@ %(q2)s::tsquery THEN 2 ELSE 3 END"
RANKED = f"ORDER BY {TIER}, a.created_at DESC, a.id DESC"
COUNT_LIMIT = 10_000
RARE_WORD = "zeppelin"


def search_shape(q, params=None, where="", order=RANKED, extra=None, *, meant=None):
    """A keyword search's shape: its name, API parameters and hand-written SQL."""
    from assets.search import search_queries, search_words

    queries = search_queries(search_words(meant or q))
    name = f"q='{q}'" + "".join(f"&{key}={value}" for key, value in (params or {}).items())
    # The match as the index must be asked (assets.search.Tsquery): the last word's prefix
    # in a condition of its own, since PostgreSQL 15 loses matches when it combines a
    # prefix grown past work_mem with exact lexemes in one condition.
    parts = {f"q{index}_part": str(part) for index, part in enumerate(queries.any.parts)}
    searched = " ".join(f"AND s.vector @@ %({key})s::tsquery" for key in parts)
    return (name, {"q": q, **(params or {})}, f"{SEARCH_BASE} {searched} {where}", order,
            {"q1": str(queries.by_tier[0]), "q2": str(queries.by_tier[1]), **parts, **(extra or {}), "capped": True})


def shapes(ctx):
    day = ctx["day"]
    week_ago = ctx["now"] - dt.timedelta(days=7)
    tags = ctx["tags"]
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
        ("used=true", {"used": "true"}, f"{BASE} AND a.usage_count > 0", NEWEST, {}),
        ("used=false", {"used": "false"}, f"{BASE} AND a.usage_count = 0", NEWEST, {}),
        ("used=false&type=image", {"used": "false", "type": "image"},
         f"{BASE} AND a.usage_count = 0 AND a.type = 'image'", NEWEST, {}),
        ("used=false&created_before 90 days", {"used": "false", "created_before": (day - dt.timedelta(days=90))
                                               .isoformat()},
         f"{BASE} AND a.usage_count = 0 AND a.created_at < %(before)s", NEWEST,
         {"before": dt.datetime.combine(day - dt.timedelta(days=90), dt.time.min, tzinfo=dt.UTC)}),
        ("one date", {"date": day.isoformat()},
         f"{BASE} AND a.created_at >= %(d0)s AND a.created_at < %(d1)s", NEWEST,
         {"d0": dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
          "d1": dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)}),
        ("created_after 7 days", {"created_after": week_ago.isoformat()},
         f"{BASE} AND a.created_at >= %(after)s", NEWEST, {"after": week_ago}),
        ("model=ideogram", {"model": "ideogram"}, f"{BASE} AND upper(a.model::text) LIKE '%%IDEOGRAM%%'", NEWEST, {}),
        ("used=false&favorites=true", {"used": "false", "favorites": "true"},
         f"{BASE} AND a.usage_count = 0 AND a.is_favorite", NEWEST, {}),
        ("used=true&favorites=true", {"used": "true", "favorites": "true"},
         f"{BASE} AND a.usage_count > 0 AND a.is_favorite", NEWEST, {}),
        ("ordering=title", {"ordering": "title"}, BASE, "ORDER BY lower(a.title), a.id", {}),
        ("ordering=-download_count", {"ordering": "-download_count"}, BASE,
         "ORDER BY a.download_count DESC, a.id DESC", {}),
        ("ordering=file_size", {"ordering": "file_size"}, BASE, "ORDER BY a.file_size ASC NULLS FIRST, a.id", {}),
        ("type=video&ordering=-title", {"type": "video", "ordering": "-title"}, f"{BASE} AND a.type = 'video'",
         "ORDER BY lower(a.title) DESC, a.id DESC", {}),
        ("used=false&type=image&ordering=-file_size", {"used": "false", "type": "image", "ordering": "-file_size"},
         f"{BASE} AND a.usage_count = 0 AND a.type = 'image'", "ORDER BY a.file_size DESC NULLS LAST, a.id DESC", {}),
        ("id 6-hex fragment", {"id": frag},
         f"{BASE} AND a.id IN (SELECT asset_id FROM assets_assetsearch WHERE replace(asset_id::text, '-', '') "
         "LIKE %(frag)s)", NEWEST, {"frag": f"%{frag}%"}),
        *[search_shape(q) for q in ("knight", "comic", RARE_WORD, "knight comic", "misty lighthouse",
                                    "knight comic castle", "m", "mi", "kni")],
        search_shape("field", {"type": "image", "ordering": "-cost"}, "AND a.type = 'image'",
                     "ORDER BY a.cost DESC, a.id DESC"),
        search_shape("misty", {"type": "image", "tags": ",".join(tags), "ordering": "-cost"},
                     f"AND a.type = 'image' AND {TAGS_SQL}", "ORDER BY a.cost DESC, a.id DESC",
                     {"tags": [t.lower() for t in tags]}),
        search_shape("wizard", {"type": "video"}, "AND a.type = 'video'"),
        search_shape("kni", {"type": "audio"}, "AND a.type = 'audio'"),
        search_shape("knight", {"ordering": "title"}, "", "ORDER BY lower(a.title), a.id"),
        search_shape("misty", {"used": "false"}, "AND a.usage_count = 0"),
        # A search within filters that the search rows hold (dates) or do not (the rest).
        search_shape("knight", {"date": day.isoformat()}, "AND a.created_at >= %(d0)s AND a.created_at < %(d1)s",
                     extra={"d0": dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC),
                            "d1": dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)}),
        search_shape("knight", {"created_after": week_ago.isoformat()}, "AND a.created_at >= %(after)s",
                     extra={"after": week_ago}),
        search_shape("knight", {"favorites": "true"}, "AND a.is_favorite"),
        search_shape("knight", {"model": "ideogram"}, "AND upper(a.model::text) LIKE '%%IDEOGRAM%%'"),
        search_shape("knight", {"min_cost": "0.05"}, "AND a.cost >= 0.05"),
        search_shape("knight", {"min_cost": "0.01", "max_cost": "0.03", "ordering": "-cost"},
                     "AND a.cost >= 0.01 AND a.cost <= 0.03", "ORDER BY a.cost DESC, a.id DESC"),
        search_shape("knight", {"created_after": (day - dt.timedelta(days=60)).isoformat()},
                     "AND a.created_at >= %(after60)s",
                     extra={"after60": dt.datetime.combine(day - dt.timedelta(days=60), dt.time.min, tzinfo=dt.UTC)}),
        # Deeper pages, bigger pages, and a short id fragment within a search.
        search_shape("knight", {"page": "200"}, extra={"offset": 199 * 24}),
        search_shape("knight", {"id": frag[:2]}, "AND replace(a.id::text, '-', '') LIKE %(frag2)s",
                     extra={"frag2": f"%{frag[:2]}%"}),
        search_shape("knight", {"id": frag[:1]}, "AND replace(a.id::text, '-', '') LIKE %(frag1)s",
                     extra={"frag1": f"%{frag[:1]}%"}),
        ("page_size=200", {"page_size": "200"}, BASE, NEWEST, {"limit": 200}),
        ("page=200", {"page": "200"}, BASE, NEWEST, {"offset": 199 * 24}),
        search_shape("knight", {"page_size": "200"}, extra={"limit": 200}),
        search_shape("filed", meant="field"),
        search_shape("ligthouse", meant="lighthouse"),
        search_shape("misty ligthouse", meant="misty lighthouse"),
    ]


def add_rare_assets(owner, count=30):
    """A word only a few of the big owner's assets hold (seed_bulk's words are all common)."""
    from assets.models import Asset

    if Asset.objects.filter(owner=owner, title__startswith="Zeppelin").exists():
        return
    Asset.objects.bulk_create(
        Asset(owner=owner, type="image", status="completed", source_module="image_studio",
              title=f"Zeppelin over the harbour {n}", prompt="an airship at dawn", model="flux-dev")
        for n in range(count)
    )


def library_page(client, params):
    """The library page for `params`, as a person's browser asks for it (session login)."""
    response = client.get("/library/", params)
    assert response.status_code == 200, response.status_code


# The tag list as one would count it by hand: the owner's links of live assets, grouped.
TAG_LIST_SQL = (
    "SELECT t.name, count(*) FROM assets_taggedasset l JOIN assets_tag t ON t.id = l.tag_id "
    "JOIN assets_asset a ON a.id = l.content_object_id WHERE t.owner_id = %(owner)s AND a.owner_id = %(owner)s "
    "AND a.deleted_at IS NULL {where} GROUP BY t.name ORDER BY 2 DESC, 1 LIMIT 50"
)


def endpoints(client, raw, owner, *, runs):
    """The tag list (autocomplete) and one asset's detail, against their hand-written SQL."""
    from assets.models import Asset

    asset_id = str(Asset.objects.filter(owner=owner, deleted_at__isnull=True).order_by("-created_at")
                   .values_list("id", flat=True)[100])
    print("\n| endpoint | API p50 | API p95 | SQL p50 | SQL p95 | p95 ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    failures = 0
    for name, url, sql, params, target in [
        ("GET /tags/", "/api/v1/tags/", TAG_LIST_SQL.format(where=""), {}, 50),
        ("GET /tags/?q=fi", "/api/v1/tags/?q=fi", TAG_LIST_SQL.format(where="AND t.name ILIKE %(like)s"),
         {"like": "%fi%"}, 50),
        ("GET /assets/{id}/", f"/api/v1/assets/{asset_id}/", f"SELECT {ROW} FROM assets_asset a WHERE a.id = %(id)s",
         {"id": asset_id}, 20),
    ]:
        def run_api(url=url):
            response = client.get(url)
            assert response.status_code == 200, response.content[:300]

        def run_sql(sql=sql, params=params):
            raw.execute(sql, {"owner": owner.pk, **params})
            raw.fetchall()

        api50, api95, _ = timed(run_api, runs=runs)
        sql50, sql95, _ = timed(run_sql, runs=runs)
        ok = api95 <= target
        failures += not ok
        print(f"| {name} | {api50:.1f} | {api95:.1f} | {sql50:.1f} | {sql95:.1f} | {api95 / sql95:.2f}x | "
              f"{'ok' if ok else 'MISS'} (<= {target} ms) |")
    return failures


def admin_changelist(raw, *, runs):
    """The admin's asset list (every owner's assets, 50 a page, newest first) against the
    page and the exact count written by hand."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from assets.search import search_queries, search_words

    staff, _ = get_user_model().objects.get_or_create(
        username="bench_admin", defaults={"is_staff": True, "is_superuser": True})
    browser = Client()
    browser.force_login(staff)
    field = str(search_queries(search_words("field")).any)
    print("\n| admin changelist | page p50 | page p95 | SQL p50 | SQL p95 | p95 ratio | target |")
    print("|---|---:|---:|---:|---:|---:|---|")
    failures = 0
    for name, params, where, sql_params in [
        ("default", {}, "", {}),
        ("search box: field", {"q": "field"},
         "JOIN assets_assetsearch s ON s.asset_id = a.id WHERE s.vector @@ %(q)s::tsquery", {"q": field}),
        ("status=failed", {"status__exact": "failed"}, "WHERE a.status = 'failed'", {}),
        ("module=story_writer", {"source_module": "story_writer"}, "WHERE a.source_module = 'story_writer'", {}),
        ("module + status + favourite", {"source_module": "story_writer", "status__exact": "failed",
                                        "is_favorite__exact": "1"},
         "WHERE a.source_module = 'story_writer' AND a.status = 'failed' AND a.is_favorite", {}),
    ]:
        def run_page(params=params):
            response = browser.get("/admin/assets/asset/", params)
            assert response.status_code == 200, response.status_code

        def run_sql(where=where, sql_params=sql_params):
            raw.execute(f"SELECT a.*, u.username FROM assets_asset a JOIN auth_user u ON u.id = a.owner_id "
                        f"{where.replace('WHERE', 'AND', 1) if where.startswith('JOIN') else where} "
                        "ORDER BY a.created_at DESC, a.id DESC LIMIT 50", sql_params)
            raw.fetchall()
            raw.execute(f"SELECT count(*) FROM assets_asset a {where}", sql_params)
            raw.fetchall()

        page50, page95, _ = timed(run_page, runs=runs)
        sql50, sql95, _ = timed(run_sql, runs=runs)
        ok = page95 <= 300
        failures += not ok
        print(f"| {name} | {page50:.1f} | {page95:.1f} | {sql50:.1f} | {sql95:.1f} | {page95 / sql95:.2f}x | "
              f"{'ok' if ok else 'MISS'} (<= 300 ms) |")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--owner", default="bulk_owner_0")
    parser.add_argument("--only", default="", help="time only the list shapes whose name holds this text")
    parser.add_argument("--shape", action="append", default=[],
                        help="time only the list shape of exactly this name (repeatable)")
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
    add_rare_assets(owner)
    now = timezone.now()
    ctx = {"day": (now - dt.timedelta(days=30)).date(), "now": now, "tags": tags, "fragment": fragment}
    print(f"owner {args.owner}: {total:,} assets; {args.runs} timed runs per shape\n")
    from django.test import Client

    browser = Client()
    browser.force_login(owner)
    print("| shape | matches | API p50 | API p95 | SQL p50 | SQL p95 | p95 ratio | page p50 | page p95 | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    failures = 0
    raw = connection.cursor().cursor  # the psycopg cursor underneath Django
    for name, params, where, order, extra in shapes(ctx):
        if args.only not in name or (args.shape and name not in args.shape):
            continue
        sql_params = {"owner": owner.pk, **extra}

        def run_sql(where=where, order=order, sql_params=sql_params):
            window = f"LIMIT {sql_params.get('limit', 24)} OFFSET {sql_params.get('offset', 0)}"
            raw.execute(f"SELECT {ROW} {where} {order} {window}", sql_params)
            rows = raw.fetchall()
            if sql_params.get("capped"):  # a search counts up to the limit
                raw.execute(f"SELECT count(*) FROM (SELECT 1 {where} LIMIT {COUNT_LIMIT}) AS m", sql_params)
            else:
                raw.execute(f"SELECT count(*) {where}", sql_params)
            return [str(r[0]) for r in rows], raw.fetchone()[0]

        def run_api(params=params):
            response = client.get("/api/v1/assets/", params)
            assert response.status_code == 200, response.content[:300]
            body = response.json()
            return [r["id"] for r in body["results"]], body["count"], body["count_exact"]

        search = name.startswith("q=")
        api50, api95, (api_ids, api_count, exact) = timed(run_api, runs=args.runs)
        sql50, sql95, (sql_ids, sql_count) = timed(run_sql, runs=args.runs)
        page50, page95, _ = timed(lambda params=params: library_page(browser, params), runs=args.runs)
        same = api_count == sql_count and api_ids == sql_ids and exact == (sql_count < COUNT_LIMIT or not search)
        ratio = api95 / sql95 if sql95 else float("inf")
        # Searches: absolute targets (their SQL is the plain query); filters: also the ratio.
        # The library page: 200 ms for any list.
        ok = same and page95 <= 200 and (api95 <= 150 if search else api95 <= 100 and ratio <= 2)
        failures += not ok
        verdict = ("ok" if ok else "MISS") + ("" if same else " (results differ)")
        matches = f"{api_count:,}" + ("" if exact else "+")
        pages = f"{page50:.1f} | {page95:.1f}"
        print(f"| {name} | {matches} | {api50:.1f} | {api95:.1f} | {sql50:.1f} | {sql95:.1f} | "
              f"{ratio:.2f}x | {pages} | {verdict} |")
    if not args.only and not args.shape:
        failures += endpoints(client, raw, owner, runs=args.runs)
        failures += admin_changelist(raw, runs=args.runs)
    print(f"\n{failures} shape(s) missed a target.")


if __name__ == "__main__":
    main()
