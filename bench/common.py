"""Shared plumbing for the benchmarks: Django setup on PostgreSQL and timing."""

import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("Benchmarks run on PostgreSQL: set DATABASE_URL=postgres://...")
    import django

    django.setup()
    from django.conf import settings
    from rest_framework.throttling import SimpleRateThrottle

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    SimpleRateThrottle.THROTTLE_RATES = {"user": None, "anon": None, "token": None}


def timed(fn, *, runs, warmup=3):
    """(p50, p95) in milliseconds of `runs` calls after `warmup` untimed ones; and the last result."""
    result = None
    for _ in range(warmup):
        result = fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95, result


def api_client(owner):
    """A test client authenticated as `owner` with their API token, through the whole stack."""
    from django.test import Client
    from rest_framework.authtoken.models import Token

    token, _ = Token.objects.get_or_create(user=owner)
    return Client(HTTP_AUTHORIZATION=f"Token {token.key}")
