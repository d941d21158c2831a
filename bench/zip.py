"""Zip export throughput and worker memory, against `zip -0 -r` on the same files.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/zip.py [--files 500] [--mb 4] [--s3]

Writes FILES files of MB megabytes (2 GB by default) of random bytes under a temporary
MEDIA_ROOT, registers them as one owner's assets, then in the same run:
- times `zip -0 -r -q` over those files (the baseline);
- runs the real export job (assets.tasks.run_job) in a child process, as a worker would,
  which reports its own peak RSS (VmHWM). Not getrusage(RUSAGE_CHILDREN): Linux counts a
  child's resident pages before its exec too, i.e. this benchmark's own memory.
Targets: throughput >= 0.9x zip's, worker peak RSS <= 150 MB.

With --s3 the files are objects in an S3 bucket (moto's standalone server, started here,
or --s3-endpoint), the baseline is boto3 downloading the same objects one after another,
and the export reads them from the bucket and writes its zip back as a multipart upload.
Target: throughput >= 0.8x boto3's download, worker peak RSS <= 150 MB.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, setup_django  # noqa: E402

CHILD = """
import os, sys, django
sys.path.insert(0, {root!r})
os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.local"
django.setup()
from assets.tasks import run_job
print(run_job({job_id!r}))
peak = next(line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM"))
print("PEAK_RSS_KB", peak, flush=True)
"""


def run_child(job_id: str, env: dict) -> float:
    """Run the export job in a fresh process, as a worker would; its peak RSS in MB."""
    done = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), job_id=job_id)], check=True, env=env,
                          stdout=subprocess.PIPE, text=True)
    return next(int(line.split()[1]) for line in done.stdout.splitlines() if line.startswith("PEAK_RSS_KB")) / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--mb", type=int, default=4)
    parser.add_argument("--s3", action="store_true", help="files in an S3 bucket (moto's server)")
    parser.add_argument("--s3-endpoint", default="")
    args = parser.parse_args()
    media = Path(tempfile.mkdtemp(prefix="zip-bench-"))
    os.environ["MEDIA_ROOT"] = str(media)
    if args.s3:
        return main_s3(args, media)
    setup_django()

    from django.contrib.auth import get_user_model

    from assets.models import Asset, Job, JobKind

    owner, _ = get_user_model().objects.get_or_create(username="zip_bench_owner")
    Asset.objects.filter(owner=owner).delete()
    folder = media / "assets" / str(owner.pk) / "bench"
    folder.mkdir(parents=True)
    size = args.mb * 1024 * 1024
    print(f"writing {args.files} files of {args.mb} MB ...", flush=True)
    rows = []
    block = os.urandom(size)
    for index in range(args.files):
        path = folder / f"clip-{index:04d}.mp4"
        path.write_bytes(index.to_bytes(4, "big") + block[4:])
        rows.append(Asset(owner=owner, type="video", source_module="video_studio", title=f"Clip {index:04d}",
                          mime_type="video/mp4", file=str(path.relative_to(media)), file_size=size))
    Asset.objects.bulk_create(rows)
    total = size * args.files
    subprocess.run(["sync"], check=False)  # noqa: S607

    started = time.perf_counter()
    subprocess.run(["zip", "-0", "-r", "-q", str(media / "baseline.zip"), str(folder)], check=True)  # noqa: S607
    zip_seconds = time.perf_counter() - started
    (media / "baseline.zip").unlink()

    job = Job.objects.create(owner=owner, kind=JobKind.DOWNLOAD, asset_ids=[str(a.pk) for a in rows],
                             total=len(rows))
    env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "true"}
    started = time.perf_counter()
    peak_mb = run_child(str(job.pk), env)
    ours_seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    archive = media / job.result_file.name
    print(f"\n{total / 2**30:.2f} GB in {args.files} files")
    print("| | seconds | MB/s | ratio |")
    print("|---|---:|---:|---:|")
    print(f"| zip -0 -r | {zip_seconds:.1f} | {total / 2**20 / zip_seconds:.0f} | 1.00x |")
    print(f"| export job | {ours_seconds:.1f} | {total / 2**20 / ours_seconds:.0f} | "
          f"{zip_seconds / ours_seconds:.2f}x |")
    print(f"\nworker peak RSS: {peak_mb:.0f} MB (target <= 150 MB); archive {archive.stat().st_size / 2**30:.2f} GB")
    Asset.objects.filter(owner=owner).delete()
    job.delete()
    shutil.rmtree(media, ignore_errors=True)


def main_s3(args, media: Path):
    from bench.common import s3_client, s3_env, start_moto

    endpoint, moto = start_moto(args.s3_endpoint)
    try:
        prefix = f"zip-bench-{os.getpid()}"
        os.environ.update(s3_env(endpoint, "bench-zips", prefix))
        setup_django()
        from django.contrib.auth import get_user_model

        from assets.models import Asset, Job, JobKind

        client = s3_client(endpoint)
        owner, _ = get_user_model().objects.get_or_create(username="zip_bench_owner")
        Asset.objects.filter(owner=owner).delete()
        size = args.mb * 1024 * 1024
        print(f"putting {args.files} objects of {args.mb} MB into the bucket ...", flush=True)
        rows, block = [], os.urandom(size)
        for index in range(args.files):
            name = f"assets/{owner.pk}/bench/clip-{index:04d}.mp4"
            client.put_object(Bucket="bench-zips", Key=f"{prefix}/{name}", Body=index.to_bytes(4, "big") + block[4:])
            rows.append(Asset(owner=owner, type="video", source_module="video_studio", title=f"Clip {index:04d}",
                              mime_type="video/mp4", file=name, file_size=size))
        Asset.objects.bulk_create(rows)
        total = size * args.files

        started = time.perf_counter()  # the baseline: boto3 reading every object once
        for row in rows:
            body = client.get_object(Bucket="bench-zips", Key=f"{prefix}/{row.file}")["Body"]
            for _chunk in body.iter_chunks(1024 * 1024):
                pass
        boto_seconds = time.perf_counter() - started

        # A second baseline: boto3 writing the same number of bytes back as one object (the
        # zip's upload), with boto3's default transfer settings (10 threads).
        from boto3.s3.transfer import TransferConfig

        class Repeat:
            def __init__(self):
                self.left = total

            def read(self, n=-1):
                n = self.left if n is None or n < 0 else min(n, self.left)
                self.left -= n
                return block[:n] if n <= len(block) else block * (n // len(block)) + block[: n % len(block)]

        started = time.perf_counter()
        client.upload_fileobj(Repeat(), "bench-zips", f"{prefix}/baseline-upload.bin", Config=TransferConfig())
        upload_seconds = time.perf_counter() - started
        client.delete_object(Bucket="bench-zips", Key=f"{prefix}/baseline-upload.bin")

        job = Job.objects.create(owner=owner, kind=JobKind.DOWNLOAD, asset_ids=[str(a.pk) for a in rows],
                                 total=len(rows))
        env = {**os.environ, "CELERY_TASK_ALWAYS_EAGER": "true"}
        started = time.perf_counter()
        peak_mb = run_child(str(job.pk), env)
        ours_seconds = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == "succeeded", job.error
        stored = client.head_object(Bucket="bench-zips", Key=f"{prefix}/{job.result_file.name}")["ContentLength"]
        print(f"\n{total / 2**30:.2f} GB in {args.files} objects, S3 at {endpoint}")
        print("| | seconds | MB/s | ratio |")
        print("|---|---:|---:|---:|")
        print(f"| boto3 download | {boto_seconds:.1f} | {total / 2**20 / boto_seconds:.0f} | 1.00x |")
        print(f"| boto3 upload of as many bytes | {upload_seconds:.1f} | {total / 2**20 / upload_seconds:.0f} | "
              f"{boto_seconds / upload_seconds:.2f}x |")
        both = boto_seconds + upload_seconds
        print(f"| boto3 download + upload | {both:.1f} | {total / 2**20 / both:.0f} | {boto_seconds / both:.2f}x |")
        print(f"| export job | {ours_seconds:.1f} | {total / 2**20 / ours_seconds:.0f} | "
              f"{boto_seconds / ours_seconds:.2f}x |")
        print(f"\nworker peak RSS: {peak_mb:.0f} MB (target <= 150 MB); archive in the bucket "
              f"{stored / 2**30:.2f} GB; target throughput >= 0.8x")
        Asset.objects.filter(owner=owner).delete()
        job.delete()
    finally:
        if moto is not None:
            moto.terminate()
        shutil.rmtree(media, ignore_errors=True)


if __name__ == "__main__":
    main()
