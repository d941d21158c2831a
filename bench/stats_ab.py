"""/stats/ before and after a change, on the same data and machine, interleaved.

    git worktree add /tmp/before <commit before the change>
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/stats_ab.py --before /tmp/before [--rounds 8] [--runs 10]

Run bench/stats.py first (it generates its 500,000-asset owner and checks every figure
against hand-written SQL). This script then times GET /api/v1/stats/ for the same shapes,
and the statistics page for like ones, with two checkouts of the code against the same
database: in each of `--rounds` rounds a fresh process of each checkout (the order
alternating round by round) makes `--runs` timed requests per shape after warming up.
Interleaving spreads the machine's own drift (CPU speed, other load) over both sides. It
prints p50 and p95 of all the samples per shape, and after/before ratios; the change is
within `--tolerance` (default 10 %) when every shape's p95 ratio is at most 1 + tolerance
(exit status 1 otherwise).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
AFTER = HERE.parent.parent
sys.path.insert(0, str(AFTER))
from bench.stats import shapes  # noqa: E402 - the API's shapes, as bench/stats.py times them

# The statistics page (/library/stats/, as a logged-in browser asks for it) for like shapes:
# its figures, charts and the cleanup panel.
PAGE_SHAPES = [
    ("page: all time, month, Europe/Paris", {"range": "all", "period": "month", "tz": "Europe/Paris"}),
    ("page: all time, week, UTC", {"range": "all", "period": "week"}),
    ("page: last 90 days, day, America/New_York", {"range": "90d", "period": "day", "tz": "America/New_York"}),
    ("page: last 12 months, month, Asia/Tokyo", {"range": "12m", "period": "month", "tz": "Asia/Tokyo"}),
]


def worker(code: Path, owner: str, runs: int, warmup: int):
    """In a checkout's own process: time the shapes and print {shape: [ms, ...]} as JSON."""
    sys.path.insert(0, str(code))
    os.chdir(code)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.utils import timezone
    from rest_framework.authtoken.models import Token
    from rest_framework.throttling import SimpleRateThrottle

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    SimpleRateThrottle.THROTTLE_RATES = {"user": None, "anon": None, "token": None}
    user = get_user_model().objects.get(username=owner)
    token, _ = Token.objects.get_or_create(user=user)
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    browser = Client()
    browser.force_login(user)
    samples = {}
    for (name, params), url, who in [
        *[(shape, "/api/v1/stats/", client) for shape in shapes(timezone.now())],
        *[(shape, "/library/stats/", browser) for shape in PAGE_SHAPES],
    ]:
        for _ in range(warmup):
            assert who.get(url, params).status_code == 200
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = who.get(url, params)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.content[:300]
        samples[name] = times
    print(json.dumps(samples))


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="a checkout of the code before the change")
    parser.add_argument("--owner", default="stats_owner")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--tolerance", type=float, default=0.10)
    parser.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.worker, args.owner, args.runs, args.warmup)
        return
    if not args.before or not (args.before / "manage.py").exists():
        sys.exit("--before must be a checkout of the code before the change (git worktree add ...)")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    sides = {"before": args.before.resolve(), "after": AFTER}
    samples = {"before": {}, "after": {}}
    for round_number in range(args.rounds):
        order = ("before", "after") if round_number % 2 == 0 else ("after", "before")
        for side in order:
            output = subprocess.run(
                [sys.executable, str(HERE), "--worker", str(sides[side]), "--owner", args.owner,
                 "--runs", str(args.runs), "--warmup", str(args.warmup)],
                check=True, capture_output=True, text=True,
            ).stdout
            for name, times in json.loads(output.strip().splitlines()[-1]).items():
                samples[side].setdefault(name, []).extend(times)
        print(f"round {round_number + 1}/{args.rounds} done", file=sys.stderr, flush=True)
    print(f"\n{args.rounds} interleaved rounds x {args.runs} runs per shape and side; load average "
          f"{os.getloadavg()[0]:.1f}\n")
    print("| shape | before p50 | before p95 | after p50 | after p95 | p50 ratio | p95 ratio | within |")
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    misses = 0
    for name, before in samples["before"].items():
        after = samples["after"][name]
        b50, b95, a50, a95 = statistics.median(before), p95(before), statistics.median(after), p95(after)
        ok = a95 <= b95 * (1 + args.tolerance)
        misses += not ok
        print(f"| {name} | {b50:.1f} | {b95:.1f} | {a50:.1f} | {a95:.1f} | {a50 / b50:.2f}x | {a95 / b95:.2f}x | "
              f"{'ok' if ok else 'NO'} |")
    print(f"\n{misses} shape(s) over {args.tolerance:.0%} slower at p95.")
    sys.exit(1 if misses else 0)


if __name__ == "__main__":
    main()
