"""A member browsing a big shared collection: the API list and the library page, against
hand-written SQL of the same rows and count, in one run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/shared.py [--runs 40] [--size 100000]

The first run makes, for the big owner (`bulk_owner_0`), a collection of `--size` of their
live assets picked at random ("bench shared"), shares it with a user `bench_member` as
viewer through a team, and adds 20 assets of an editor (`bench_editor`), so that the
collection holds two owners' assets as a shared one does. Then, as the member:

- `GET /api/v1/assets/?collection=<id>`: the first page (24, newest first) and its count;
- the same with a type (common and rarer), a status, and keyword searches (broad, broad
  within a type, rare), ranked best match first as the library ranks them;
- `/library/?collection=<id>` with the same parameters, as a logged-in browser asks for it.

Target (#18): p95 <= 100 ms for the API list and the page at 1M assets. The SQL baseline
is the plain query: the collection's visible assets (the member's own, or anyone's outside
the trash), newest first, with their tags and collections, and their count.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import api_client, setup_django, timed  # noqa: E402

NAME = "bench shared"
ROW = (
    "a.*, ARRAY(SELECT t.name FROM assets_taggedasset ta JOIN assets_tag t ON t.id = ta.tag_id "
    "WHERE ta.content_object_id = a.id ORDER BY t.name, ta.id) AS tags, "
    "ARRAY(SELECT ci.collection_id FROM collections_app_collectionitem ci WHERE ci.asset_id = a.id "
    "ORDER BY ci.id) AS collections"
)
IN_COLLECTION = (
    "FROM assets_asset a WHERE EXISTS (SELECT 1 FROM collections_app_collectionitem ci "
    "WHERE ci.collection_id = %(collection)s AND ci.asset_id = a.id) "
    "AND (a.owner_id = %(member)s OR a.deleted_at IS NULL) AND a.deleted_at IS NULL"
)
NEWEST = "ORDER BY a.created_at DESC, a.id DESC"


def shared_collection(size: int):
    """(collection, member): made on the first run, found after."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    from assets.models import Asset
    from collections_app import services
    from collections_app.models import Collection, Team

    users = get_user_model()
    owner = users.objects.get(username="bulk_owner_0")
    member, _ = users.objects.get_or_create(username="bench_member")
    editor, _ = users.objects.get_or_create(username="bench_editor")
    collection = Collection.objects.filter(owner=owner, name=NAME).first()
    if collection is None:
        collection = services.collection_create(owner=owner, name=NAME)
        with connection.cursor() as cursor:  # a random sample of the owner's live assets, in one statement
            cursor.execute(
                "INSERT INTO collections_app_collectionitem (collection_id, asset_id, added_at) "
                "SELECT %s, id, now() FROM assets_asset WHERE owner_id = %s AND deleted_at IS NULL "
                "ORDER BY md5(id::text) LIMIT %s",
                [collection.pk, owner.pk, size],
            )
        team = Team.objects.filter(name="bench viewers").first() or services.team_create(
            creator=owner, name="bench viewers")
        services.team_member_set(team=team, username="bench_member", role="member")
        services.grant_set(collection=collection, actor=owner, grantee_type="team", name=team.name, role="viewer")
        services.grant_set(collection=collection, actor=owner, grantee_type="user", name="bench_editor",
                           role="editor")
        theirs = [Asset(owner=editor, type="image", status="completed", source_module="image_studio",
                        title=f"Editor's knight {n}", prompt="a knight at dawn", model="flux-dev") for n in range(20)]
        Asset.objects.bulk_create(theirs)
        services.collection_add_assets(collection=collection, actor=editor,
                                       assets=Asset.objects.filter(pk__in=[a.pk for a in theirs]))
    with connection.cursor() as cursor:
        # What autovacuum keeps true in production (it is off on the bench machine): the
        # statistics, and the visibility map that lets the memberships' index answer alone.
        cursor.execute("VACUUM ANALYZE collections_app_collectionitem")
    return collection, member


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    setup_django()
    from django.db import connection
    from django.test import Client

    collection, member = shared_collection(args.size)
    client = api_client(member)
    browser = Client()
    browser.force_login(member)
    raw = connection.cursor().cursor
    size = collection.items.count()
    print(f"collection {NAME!r}: {size:,} assets, shared with bench_member (viewer, through a team); "
          f"{args.runs} timed runs\n")
    print("| shape | matches (API's count) | API p50 | API p95 | SQL p50 | SQL p95 | p95 ratio | page p50 | "
          "page p95 | target |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    from assets.search import search_queries

    def searching(words):
        """The SQL of a search within the collection: its matches, best tier first."""
        tiers = search_queries(words).by_tier
        join = " JOIN assets_assetsearch s ON s.asset_id = a.id"
        where = " AND s.vector @@ %(t3)s::tsquery"
        order = "ORDER BY CASE WHEN s.vector @@ %(t1)s::tsquery THEN 1 WHEN s.vector @@ %(t2)s::tsquery THEN 2 " \
                "ELSE 3 END, a.created_at DESC, a.id DESC"
        return join, where, order, {"t1": str(tiers[0]), "t2": str(tiers[1]), "t3": str(tiers[2])}

    shapes = [
        ("collection", {}, ("", "", NEWEST, {})),
        ("collection + type=image", {"type": "image"}, ("", " AND a.type = 'image'", NEWEST, {})),
        ("collection + type=video", {"type": "video"}, ("", " AND a.type = 'video'", NEWEST, {})),
        ("collection + status=failed", {"status": "failed"}, ("", " AND a.status = 'failed'", NEWEST, {})),
        ("collection + q=knight", {"q": "knight"}, searching(["knight"])),
        ("collection + q=knight + type=image", {"q": "knight", "type": "image"},
         (lambda j, w, o, p: (j, w + " AND a.type = 'image'", o, p))(*searching(["knight"]))),
        ("collection + q=zeppelin (rare)", {"q": "zeppelin"}, searching(["zeppelin"])),
    ]
    failures = 0
    for name, extra, (join, where, order, extra_sql) in shapes:
        params = {"collection": str(collection.pk), **extra}
        sql_params = {"collection": collection.pk, "member": member.pk, **extra_sql}
        from_assets = IN_COLLECTION.replace("FROM assets_asset a", f"FROM assets_asset a{join}", 1)

        def run_api(params=params):
            response = client.get("/api/v1/assets/", params)
            assert response.status_code == 200, response.content[:300]
            body = response.json()
            return [r["id"] for r in body["results"]], body["count"], body.get("count_exact", True)

        def run_sql(where=where, order=order, sql_params=sql_params, from_assets=from_assets):
            raw.execute(f"SELECT {ROW} {from_assets}{where} {order} LIMIT 24", sql_params)
            rows = raw.fetchall()
            raw.execute(f"SELECT count(*) {from_assets}{where}", sql_params)
            return [str(r[0]) for r in rows], raw.fetchone()[0]

        def run_page(params=params):
            response = browser.get("/library/", params)
            assert response.status_code == 200, response.status_code

        api50, api95, (api_ids, api_count, exact) = timed(run_api, runs=args.runs)
        sql50, sql95, (sql_ids, sql_count) = timed(run_sql, runs=args.runs)
        page50, page95, _ = timed(run_page, runs=args.runs)
        # The same page; the same count, or (`count_exact: false`, a broad search) a lower bound of it.
        same = api_ids == sql_ids and (api_count == sql_count if exact else api_count <= sql_count)
        ok = same and api95 <= 100 and page95 <= 100
        failures += not ok
        shown = f"{sql_count:,}" if exact else f"{sql_count:,} ({api_count:,}+)"
        print(f"| {name} | {shown} | {api50:.1f} | {api95:.1f} | {sql50:.1f} | {sql95:.1f} | "
              f"{api95 / sql95:.2f}x | {page50:.1f} | {page95:.1f} | "
              f"{'ok' if ok else 'MISS'}{'' if same else f' (results differ: SQL {sql_count:,})'} |")
    print(f"\n{failures} shape(s) missed a target.")


if __name__ == "__main__":
    main()
