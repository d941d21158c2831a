"""Registration speed: one asset at a time and in batches, against a bare request.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        CELERY_BROKER_URL=redis://127.0.0.1:6379/13 .venv/bin/python bench/ingest.py [--seconds 20]

1. Server time, in process (Django's test client, no network): p50 and p95 of one JSON
   registration (a pending image with a title, prompt, model, cost and three tags, as a
   generation module sends it) against a bare authenticated request (GET of one asset that
   does not exist: token check, routing, one lookup, a 404) in the same run. Target: a
   registration <= 8 ms at p50.
2. Throughput over HTTP: gunicorn (3 sync workers) on 127.0.0.1 and 8 client threads
   registering for --seconds seconds, each with its own keep-alive connection, on this
   same machine. Target: >= 150 registrations/s.
3. Batches: POST /assets/bulk/register/ with 500 registrations, --batches times (30), from one
   importer and then from two at once; assets/s over each run, once every worker has
   answered a batch (as 2. warms the workers up first). Target: >= 2,000 assets/s.

Tasks (automatic tagging) go to the Celery broker given (CELERY_BROKER_URL, required: an
eager Celery would run them inside each request) and are dropped afterwards: a worker
runs them in production, elsewhere. The assets are registered for `bench_ingest`, a user
made for this, who is deleted with them at the end (about 50,000 assets a run, so that
they do not pile up in the database that bench/search.py measures); --keep leaves them.
"""

import argparse
import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, api_client, setup_django, timed  # noqa: E402

WORKERS = 3
CLIENTS = 8


def registration(n: int) -> dict:
    return {
        "type": "image", "status": "pending", "source_module": "image_studio",
        "title": f"A misty lighthouse at dawn {n}",
        "prompt": "a misty lighthouse on a rocky coast at dawn, cinematic light, golden hour, wide angle",
        "model": "flux-1.1-pro", "provider": "bfl", "cost": "0.04",
        "tags": ["lighthouse", "coast", f"campaign-{n % 7}"], "external_id": str(uuid.uuid4()),
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_time(client, runs: int):
    missing = f"/api/v1/assets/{uuid.uuid4()}/"

    def bare():
        assert client.get(missing).status_code == 404

    counter = iter(range(10**9))

    def register():
        response = client.post("/api/v1/assets/", registration(next(counter)), content_type="application/json")
        assert response.status_code == 201, response.content[:300]

    bare50, bare95, _ = timed(bare, runs=runs)
    reg50, reg95, _ = timed(register, runs=runs)
    return bare50, bare95, reg50, reg95


def start_gunicorn(port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DJANGO_DEBUG": "false",
           "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
           "THROTTLE_USER_RATE": "1000000/min"}  # the bench measures the app, not its throttle
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "-w", str(WORKERS), "-b", f"127.0.0.1:{port}",
         "--log-level", "warning", "--keep-alive", "30"],
        cwd=ROOT, env=env, start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("gunicorn did not start")


def throughput(port: int, token: str, seconds: float) -> tuple[int, list[float]]:
    done, latencies, errors = [0], [], []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        n = index * 10**6
        while time.monotonic() < stop:
            n += 1
            started = time.perf_counter()
            connection.request("POST", "/api/v1/assets/", json.dumps(registration(n)), headers)
            response = connection.getresponse()
            response.read()
            with lock:
                if response.status == 201:
                    done[0] += 1
                    latencies.append((time.perf_counter() - started) * 1000)
                else:
                    errors.append(response.status)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        print(f"  ({len(errors)} registrations refused: {sorted(set(errors))})")
    return done[0], sorted(latencies)


def batches(port: int, token: str, count: int, clients: int) -> tuple[int, float, list[float]]:
    """`clients` importers, each sending `count` batches of 500 one after another: (assets
    registered, seconds, each batch's answer time in ms, sorted)."""
    bodies = [[json.dumps({"assets": [registration(10**7 * (c + 1) + b * 1000 + n) for n in range(500)]})
               for b in range(count)] for c in range(clients)]
    registered, latencies = [0], []
    lock = threading.Lock()

    def client(mine):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
        for body in mine:
            sent = time.perf_counter()
            connection.request("POST", "/api/v1/assets/bulk/register/", body, headers)
            response = connection.getresponse()
            answer = json.loads(response.read())
            assert response.status == 200, answer
            with lock:
                latencies.append((time.perf_counter() - sent) * 1000)
                registered[0] += sum(1 for result in answer["results"] if result["status"] == 201)

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(mine,)) for mine in bodies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return registered[0], time.perf_counter() - started, sorted(latencies)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--runs", type=int, default=200)
    # Enough batches that a 10 % change shows through a machine's run-to-run noise.
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--keep", action="store_true", help="leave bench_ingest and its assets in the database")
    args = parser.parse_args()
    if not os.environ.get("CELERY_BROKER_URL"):
        sys.exit("Set CELERY_BROKER_URL (e.g. redis://127.0.0.1:6379/13): tasks must be queued, not run here.")
    setup_django()
    import logging

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the bare request's 404s
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    owner, _ = get_user_model().objects.get_or_create(username="bench_ingest")
    token, _ = Token.objects.get_or_create(user=owner)
    from django.db import connection

    with connection.cursor() as cursor:  # statistics that know this owner's earlier runs, as autovacuum's would
        cursor.execute("ANALYZE assets_asset, assets_assetsearch")

    bare50, bare95, reg50, reg95 = server_time(api_client(owner), args.runs)
    print("| measure | p50 | p95 | target |\n|---|---:|---:|---|")
    print(f"| bare authenticated request (404), in process | {bare50:.2f} ms | {bare95:.2f} ms | |")
    verdict = "ok" if reg50 <= 8 else "MISS"
    print(f"| one registration, in process | {reg50:.2f} ms | {reg95:.2f} ms | <= 8 ms p50: {verdict} |")
    print(f"| registration over bare | {reg50 / bare50:.2f}x | {reg95 / bare95:.2f}x | |")

    port = free_port()
    server = start_gunicorn(port)
    try:
        throughput(port, token.key, 2)  # warm the workers up
        count, latencies = throughput(port, token.key, args.seconds)
        rate = count / args.seconds
        p50 = latencies[len(latencies) // 2] if latencies else float("nan")
        p95 = latencies[int(len(latencies) * 0.95)] if latencies else float("nan")
        print(f"\n{CLIENTS} clients, gunicorn {WORKERS} workers, {args.seconds:.0f} s: {count:,} registrations, "
              f"{rate:.0f}/s (latency p50 {p50:.1f} ms, p95 {p95:.1f} ms); "
              f"target >= 150/s: {'ok' if rate >= 150 else 'MISS'}")
        batches(port, token.key, 2, WORKERS)  # warm every worker's batch path up, as above
        for clients in (1, 2):
            registered, elapsed, answers = batches(port, token.key, args.batches, clients)
            rate = registered / elapsed
            print(f"batches of 500, {clients} client(s): {registered:,} assets in {elapsed:.1f} s, "
                  f"{rate:,.0f} assets/s (a batch answered in {answers[0]:.0f} ms at best, "
                  f"{answers[len(answers) // 2]:.0f} ms p50); target >= 2,000/s: {'ok' if rate >= 2000 else 'MISS'}")
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        from celery import current_app

        current_app.control.purge()
        if not args.keep:
            started = time.perf_counter()
            removed = get_user_model().objects.filter(pk=owner.pk).delete()[1].get("assets.Asset", 0)
            print(f"\nremoved bench_ingest and its {removed:,} assets ({time.perf_counter() - started:.0f} s)")


if __name__ == "__main__":
    main()
