"""Moving 100,000 assets to the trash by filter, against the same UPDATE in raw SQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/trash.py

Uses the seed_bulk library (big owner `bulk_owner_0`): picks the newest N of its live
assets by date, trashes them through POST /api/v1/assets/bulk/delete/ {"filter": ...},
restores them, then does the same UPDATE ... RETURNING by hand (and undoes it), `--rounds`
times. Target: <= 5 s in the worst round.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import api_client, setup_django  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection

    owner = get_user_model().objects.get(username="bulk_owner_0")
    client = api_client(owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT created_at FROM assets_asset WHERE owner_id = %s AND deleted_at IS NULL "
            "ORDER BY created_at DESC OFFSET %s LIMIT 1", [owner.pk, args.count - 1])
        since = cursor.fetchone()[0]
    body = {"filter": {"created_after": since.isoformat()}}

    api, restores, raws = [], [], []
    for _round in range(args.rounds):
        # Each round leaves 400,000 dead row versions; start every round from the state
        # autovacuum keeps a library in, not from the previous round's garbage.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE assets_asset, analytics_usageevent")
        started = time.perf_counter()
        response = client.post("/api/v1/assets/bulk/delete/", body, content_type="application/json")
        api.append(time.perf_counter() - started)
        assert response.status_code == 200, response.content[:300]
        trashed = response.json()["deleted"]
        started = time.perf_counter()
        restore = client.post("/api/v1/assets/bulk/restore/", body, content_type="application/json")
        restores.append(time.perf_counter() - started)
        assert restore.json()["restored"] >= trashed, restore.content[:300]  # plus those already in the trash

        with connection.cursor() as cursor:
            # The same rows by hand: one UPDATE on the same index, no events.
            started = time.perf_counter()
            cursor.execute(
                "UPDATE assets_asset SET deleted_at = now(), updated_at = now() "
                "WHERE owner_id = %s AND deleted_at IS NULL AND created_at >= %s RETURNING id", [owner.pk, since])
            raw_count = len(cursor.fetchall())
            raws.append(time.perf_counter() - started)
            cursor.execute("UPDATE assets_asset SET deleted_at = NULL WHERE owner_id = %s AND created_at >= %s "
                           "AND deleted_at >= now() - interval '1 minute'", [owner.pk, since])
    raw = statistics.median(raws)
    print(f"{args.rounds} rounds; median (worst) seconds\n")
    print("| | assets | seconds | ratio to SQL |\n|---|---:|---:|---:|")
    print(f"| API bulk delete (to trash, with events) | {trashed:,} | {statistics.median(api):.2f} ({max(api):.2f}) | "
          f"{statistics.median(api) / raw:.2f}x |")
    print(f"| API bulk restore | {trashed:,} | {statistics.median(restores):.2f} ({max(restores):.2f}) | "
          f"{statistics.median(restores) / raw:.2f}x |")
    print(f"| raw UPDATE ... RETURNING | {raw_count:,} | {raw:.2f} ({max(raws):.2f}) | 1.00x |")
    print(f"\ntarget: <= 5 s for 100,000 (worst round): {'ok' if max(api) <= 5 else 'MISS'}")


if __name__ == "__main__":
    main()
