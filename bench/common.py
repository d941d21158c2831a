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


def start_moto(given: str = ""):
    """(endpoint, process): the S3 endpoint given, or moto's standalone S3 server started on a
    free 127.0.0.1 port (stop it with process.terminate())."""
    import http.client
    import socket
    import subprocess

    if given:
        return given, None
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/")
            conn.getresponse().read()
            return f"http://127.0.0.1:{port}", process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("moto's S3 server did not start (pip install 'moto[server]').")


def s3_client(endpoint: str):
    import boto3

    return boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="bench",
                        aws_secret_access_key="bench")


def s3_env(endpoint: str, bucket: str, prefix: str) -> dict:
    """The app's settings for that bucket, as environment variables; the bucket is made."""
    client = s3_client(endpoint)
    try:
        client.create_bucket(Bucket=bucket)
    except client.exceptions.BucketAlreadyOwnedByYou:
        pass
    return {"AWS_STORAGE_BUCKET_NAME": bucket, "AWS_S3_ENDPOINT_URL": endpoint, "AWS_S3_REGION_NAME": "us-east-1",
            "AWS_ACCESS_KEY_ID": "bench", "AWS_SECRET_ACCESS_KEY": "bench", "AWS_LOCATION": prefix}
