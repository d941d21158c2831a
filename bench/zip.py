"""Zip export throughput and worker memory, against `zip -0 -r` on the same files.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asset_library_bench \
        .venv/bin/python bench/zip.py [--files 500] [--mb 4]

Writes FILES files of MB megabytes (2 GB by default) of random bytes under a temporary
MEDIA_ROOT, registers them as one owner's assets, then in the same run:
- times `zip -0 -r -q` over those files (the baseline);
- runs the real export job (assets.tasks.run_job) in a child process, as a worker would,
  and reads that process's peak RSS.
Targets: throughput >= 0.9x zip's, worker peak RSS <= 150 MB.
"""

import argparse
import os
import resource
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
"""


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=500)
    parser.add_argument("--mb", type=int, default=4)
    args = parser.parse_args()
    media = Path(tempfile.mkdtemp(prefix="zip-bench-"))
    os.environ["MEDIA_ROOT"] = str(media)
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
    subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), job_id=str(job.pk))], check=True, env=env)
    ours_seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
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


if __name__ == "__main__":
    main()
