"""How much a 200 MB upload grows the web process's memory, on disk and in a bucket.

    .venv/bin/python bench/upload_memory.py [--size-mb 200] [--runs 2] [--s3]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/al_bench .venv/bin/python bench/upload_memory.py

With --s3 the files go to an S3 bucket instead: moto's standalone S3 server, started here
on a free port (or the one at --s3-endpoint), through the app's own settings
(AWS_STORAGE_BUCKET_NAME and friends); the run then also checks that nothing was written
under the local media folder and that the object in the bucket has the upload's size.

Starts the app (`manage.py runserver --noreload` on a free 127.0.0.1 port, a temporary
SQLite database and MEDIA_ROOT unless DATABASE_URL is set, the audio limit raised above the
upload), warms it up with a small upload, then streams a WAV file of --size-mb megabytes
(MiB) through POST /api/v1/assets/ as multipart. The client never holds the file either:
the WAV is generated on the fly in 1 MiB chunks and sent over a plain http.client
connection with a Content-Length.

The server's resident memory is read from /proc/<pid>/status: VmRSS just before the upload,
and VmHWM (peak) after it, with the peak reset first through /proc/<pid>/clear_refs. Celery
runs eagerly here, so the peak includes the thumbnail task (ffprobe, ffmpeg and the
waveform) that a worker would run in production. Target: growth <= 30 MB.
"""

import argparse
import http.client
import json
import math
import os
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MIB = 1024 * 1024
TARGET_MB = 30
BOUNDARY = "benchUploadBoundary7MA4YWxkTrZu0gW"
RATE = 48_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def memory_kb(pid: int) -> dict:
    values = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _sep, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = int(rest.split()[0])
    return values


def reset_peak(pid: int) -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+; our own child process)."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def wav_chunks(data_bytes: int, *, salt: bytes):
    """A mono 16-bit WAV of exactly 44 + data_bytes bytes, yielded in 1 MiB pieces."""
    yield b"RIFF" + struct.pack("<I", 36 + data_bytes) + b"WAVE"
    yield b"fmt " + struct.pack("<IHHIIHH", 16, 1, 1, RATE, RATE * 2, 2, 16)
    yield b"data" + struct.pack("<I", data_bytes)
    second = b"".join(
        struct.pack("<h", int(12_000 * math.sin(2 * math.pi * 440 * i / RATE) * (0.3 + 0.7 * (i / RATE))))
        for i in range(RATE)
    )
    block = (second * (MIB // len(second) + 1))[:MIB]
    # A unique start, so a second run is not answered as a duplicate of the first.
    first = (salt + block)[:MIB]
    remaining = data_bytes
    current = first
    while remaining > 0:
        piece = current[: min(remaining, MIB)]
        yield piece
        remaining -= len(piece)
        current = block


def multipart_parts(file_chunks, file_size: int, *, name: str):
    head = (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="source_module"\r\n\r\nupload\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="title"\r\n\r\nbench upload\r\n'
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        "Content-Type: audio/wav\r\n\r\n"
    ).encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()

    def parts():
        yield head
        yield from file_chunks
        yield tail

    return parts(), len(head) + file_size + len(tail)


def post_streamed(port: int, token: str, parts, total: int) -> tuple[int, dict, float]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    started = time.perf_counter()
    conn.putrequest("POST", "/api/v1/assets/")
    conn.putheader("Authorization", f"Token {token}")
    conn.putheader("Content-Type", f"multipart/form-data; boundary={BOUNDARY}")
    conn.putheader("Content-Length", str(total))
    conn.endheaders()
    sent = 0
    for part in parts:
        conn.send(part)
        sent += len(part)
    assert sent == total, (sent, total)
    response = conn.getresponse()
    body = response.read()
    elapsed = time.perf_counter() - started
    conn.close()
    try:
        payload = json.loads(body)
    except ValueError:
        payload = {"raw": body[:300].decode("utf-8", "replace")}
    return response.status, payload, elapsed


def manage(env, *args) -> str:
    completed = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=ROOT, capture_output=True, text=True,
        check=True, timeout=600,
    )
    return completed.stdout.strip()


def wait_until_up(port: int, process, timeout: float = 60.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"The server exited with {process.returncode}.")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("The server did not come up.")


def bucket_summary(env) -> str:
    from bench.common import s3_client

    pages = s3_client(env["AWS_S3_ENDPOINT_URL"]).get_paginator("list_objects_v2").paginate(
        Bucket=env["AWS_STORAGE_BUCKET_NAME"], Prefix=env["AWS_LOCATION"] + "/")
    sizes = [item["Size"] for page in pages for item in page.get("Contents", [])]
    return f"{len(sizes)}, largest {max(sizes, default=0) / MIB:.1f} MiB"


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mb", type=int, default=200, help="upload size in MiB")
    parser.add_argument("--runs", type=int, default=2, help="timed uploads (each a new file)")
    parser.add_argument("--s3", action="store_true", help="store the files in an S3 bucket (moto's server)")
    parser.add_argument("--s3-endpoint", default="", help="an S3 endpoint to use instead of starting moto")
    args = parser.parse_args()
    file_size = args.size_mb * MIB

    workdir = Path(tempfile.mkdtemp(prefix="bench-upload-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DJANGO_DEBUG": "false",
        "MEDIA_ROOT": str(workdir / "media"),
        "MAX_AUDIO_UPLOAD_SIZE": str(file_size + 64 * MIB),
        "MAX_UPLOAD_SIZE": str(file_size + 64 * MIB),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("CELERY_BROKER_URL", None)  # eager: the thumbnail task runs in the web process too
    env.setdefault("DATABASE_URL", f"sqlite:///{workdir / 'db.sqlite3'}")
    database = "PostgreSQL" if env["DATABASE_URL"].startswith("postgres") else "SQLite"
    server = moto = None
    try:
        if args.s3:
            from bench.common import s3_env, start_moto

            endpoint, moto = start_moto(args.s3_endpoint)
            env.update(s3_env(endpoint, "bench-uploads", f"run-{os.getpid()}"))
        manage(env, "migrate", "--noinput", "-v0")
        token = manage(
            env, "shell", "-c",
            "from django.contrib.auth import get_user_model;"
            "from rest_framework.authtoken.models import Token;"
            "u, _ = get_user_model().objects.get_or_create(username='bench_upload');"
            "print(Token.objects.get_or_create(user=u)[0].key)",
        ).splitlines()[-1]
        port = free_port()
        server = subprocess.Popen(  # noqa: S603 - our own manage.py
            [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
            env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        wait_until_up(port, server)

        # Warm up: imports (Pillow, libmagic, DRF serializers), connections, the thumbnail path.
        small = 24 * MIB  # past the multipart threshold: its machinery is warm too
        for index in range(2):
            parts, total = multipart_parts(wav_chunks(small, salt=os.urandom(16) + bytes([index])), small + 44,
                                           name="warmup.wav")
            status, payload, _elapsed = post_streamed(port, token, parts, total)
            if status != 201:
                sys.exit(f"Warm-up upload failed: {status} {payload}")

        where = f"S3 bucket at {env['AWS_S3_ENDPOINT_URL']}" if args.s3 else "local disk"
        print(f"upload of {args.size_mb} MiB (a WAV streamed as multipart) to {where}, {database}, "
              f"runserver pid {server.pid}, Celery eager (thumbnail task in-process)\n")
        print("| run | status | seconds | MiB/s | RSS before | peak RSS | growth | growth / file size | thumbnail |")
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---|")
        growths = []
        for run in range(1, args.runs + 1):
            before = memory_kb(server.pid)
            peak_reset = reset_peak(server.pid)
            parts, total = multipart_parts(wav_chunks(file_size, salt=os.urandom(32)), file_size + 44,
                                           name="big.wav")
            status, payload, elapsed = post_streamed(port, token, parts, total)
            after = memory_kb(server.pid)
            peak = after["VmHWM"] if peak_reset else max(after["VmRSS"], before["VmRSS"])
            growth_mb = (peak - before["VmRSS"]) / 1024
            growths.append(growth_mb)
            thumbnail = "yes" if payload.get("thumbnail_url") else "no"
            print(f"| {run} | {status} | {elapsed:.1f} | {args.size_mb / elapsed:.0f} "
                  f"| {before['VmRSS'] / 1024:.1f} MiB | {peak / 1024:.1f} MiB | {growth_mb:+.1f} MiB "
                  f"| {growth_mb / args.size_mb:.3f} | {thumbnail} |")
            if status != 201:
                print(f"  unexpected answer: {payload}")
            elif payload.get("file_size") != file_size + 44:
                print(f"  stored size {payload.get('file_size')} != sent {file_size + 44}")
        if args.s3:
            media = workdir / "media"
            on_disk = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
            print(f"\nfiles under the local media folder: {len(on_disk)} (expected 0); "
                  f"objects in the bucket: {bucket_summary(env)}")
        worst = max(growths)
        verdict = "OK" if worst <= TARGET_MB else "OVER"
        print(f"\nworst peak growth {worst:.1f} MiB for a {args.size_mb} MiB upload "
              f"(ratio {worst / args.size_mb:.3f}); target <= {TARGET_MB} MB: {verdict}")
        if not reset_peak(server.pid):
            print("(VmHWM could not be reset: the peak shown is the process's lifetime peak)")
    finally:
        if moto is not None:
            moto.terminate()
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
