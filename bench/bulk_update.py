"""Bulk tag update at scale: POST /assets/bulk/update/ against hand-written SQL, in one run.

    createdb -h 127.0.0.1 -U postgres al_bench_bulk                        # once, an empty database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_bulk .venv/bin/python manage.py migrate
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_bulk \
        .venv/bin/python manage.py seed_bulk --assets 20000 --owners 1      # once
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench_bulk \
        .venv/bin/python bench/bulk_update.py [--runs 5] [--matching 10000]

The owner (`bulk_owner_0`) needs at least `--matching` assets in the library. The filter is
`{"created_after": <the created_at of the owner's N-th newest asset>}`, so it matches
exactly N assets, and the change is `add_tags` of two names that no asset has yet (new
names every run, so every run links N x 2 tags).

The API figure is the whole stack through django.test.Client with token auth (URL routing,
auth, body validation, resolving the filter, the service's locking, tag limit check,
inserts, updated_at and search vector refresh, commit). The baseline is the same work in
hand-written SQL through psycopg: one INSERT ... SELECT ... ON CONFLICT DO NOTHING of the
links (whose trigger rewrites the search rows, as for the app) and one UPDATE of
updated_at, in one transaction. Before
every timed call (untimed) the links added so far are removed and the tables vacuumed, so
every call starts from the same state. Target: API p50 <= 30 s and <= 2x the baseline.
"""

import argparse
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import api_client, setup_django  # noqa: E402

TARGET_SECONDS = 30
TARGET_RATIO = 2

SELECTION = "a.owner_id = %(owner)s AND a.deleted_at IS NULL AND a.created_at >= %(after)s"
LINK_SQL = f"""
INSERT INTO assets_taggedasset (content_object_id, tag_id, auto)
SELECT a.id, t.id, false
FROM assets_asset a CROSS JOIN assets_tag t
WHERE {SELECTION} AND t.id = ANY(%(tags)s)
ON CONFLICT DO NOTHING
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=1)
    parser.add_argument("--matching", type=int, default=10_000)
    parser.add_argument("--owner", default="bulk_owner_0")
    args = parser.parse_args()
    setup_django()

    from django.contrib.auth import get_user_model
    from django.db import connection

    owner = get_user_model().objects.get(username=args.owner)
    client = api_client(owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT created_at FROM assets_asset WHERE owner_id = %s AND deleted_at IS NULL "
            "ORDER BY created_at DESC, id DESC OFFSET %s LIMIT 1",
            [owner.pk, args.matching - 1],
        )
        row = cursor.fetchone()
    if row is None:
        sys.exit(f"{args.owner} has fewer than {args.matching:,} assets: run manage.py seed_bulk first.")
    after = row[0]
    selection = {"created_after": after.isoformat()}
    matching = client.get("/api/v1/assets/", {**selection, "page_size": 1}).json()["count"]
    print(f"owner {args.owner}: {owner.assets.count():,} assets; the filter matches {matching:,}; "
          f"{args.runs} timed runs per side after {args.warmup} untimed\n")

    bench_tags = []  # names added by this run, removed again before every call
    raw = connection.cursor().cursor  # the psycopg cursor underneath Django

    def fresh_names():
        names = [f"bench-{uuid.uuid4().hex[:8]}-a", f"bench-{uuid.uuid4().hex[:8]}-b"]
        bench_tags.extend(names)
        return names

    def reset():  # autocommit, as Django leaves the connection outside atomic()
        raw.execute(
            "DELETE FROM assets_taggedasset WHERE tag_id IN "
            "(SELECT id FROM assets_tag WHERE owner_id = %s AND name = ANY(%s))",
            [owner.pk, bench_tags],
        )
        raw.execute("DELETE FROM assets_tag WHERE owner_id = %s AND name = ANY(%s)", [owner.pk, bench_tags])
        for table in ("assets_asset", "assets_assetsearch", "assets_taggedasset"):
            raw.execute(f"VACUUM ANALYZE {table}")

    def run_api():
        response = client.post(
            "/api/v1/assets/bulk/update/", {"filter": selection, "add_tags": fresh_names()},
            content_type="application/json",
        )
        assert response.status_code == 200, response.content[:300]
        return response.json()["updated"]

    def run_sql():
        names = fresh_names()
        with connection.connection.transaction():
            raw.execute(
                "INSERT INTO assets_tag (owner_id, name, slug) SELECT %s, n, n FROM unnest(%s::text[]) AS n "
                "ON CONFLICT DO NOTHING",
                [owner.pk, names],
            )
            raw.execute(
                "SELECT id FROM assets_tag WHERE owner_id = %s AND lower(name) = ANY(%s)",
                [owner.pk, [name.lower() for name in names]],
            )
            tag_ids = [r[0] for r in raw.fetchall()]
            params = {"owner": owner.pk, "after": after, "tags": tag_ids}
            raw.execute(LINK_SQL, params)
            raw.execute(f"UPDATE assets_asset AS a SET updated_at = now() WHERE {SELECTION}", params)
            # The search rows of the tagged assets are rewritten by the tag links' trigger
            # (assets.models.TaggedAsset), for this statement as for the app's.
            return raw.rowcount

    samples = {"api": [], "sql": []}
    results = {}
    for index in range(args.warmup + args.runs):
        # Alternate which side goes first, so neither always meets the warmer cache.
        order = [("api", run_api), ("sql", run_sql)]
        for side, fn in order if index % 2 == 0 else reversed(order):
            reset()
            started = time.perf_counter()
            results[side] = fn()
            elapsed = time.perf_counter() - started
            if index >= args.warmup:
                samples[side].append(elapsed)
    reset()

    api50, sql50 = statistics.median(samples["api"]), statistics.median(samples["sql"])
    ratio = api50 / sql50 if sql50 else float("inf")
    same = results["api"] == results["sql"] == matching
    ok = same and api50 <= TARGET_SECONDS and ratio <= TARGET_RATIO
    print("| what | assets | p50 s | max s |")
    print("|---|---:|---:|---:|")
    print(f"| API POST /assets/bulk/update/ (filter, add_tags x2) | {results['api']:,} | {api50:.2f} | "
          f"{max(samples['api']):.2f} |")
    print(f"| SQL INSERT ... SELECT + UPDATE (search rows by trigger) | {results['sql']:,} | {sql50:.2f} | "
          f"{max(samples['sql']):.2f} |")
    print(f"\nAPI / SQL (p50): {ratio:.2f}x; target API <= {TARGET_SECONDS} s and <= {TARGET_RATIO}x: "
          f"{'ok' if ok else 'MISS'}{'' if same else ' (counts differ)'}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
