"""manage.py migrate_storage --to s3|local: copy every stored file to the other backend,
verified, resumable (assets.storage_moves)."""

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from assets.storage_moves import TARGETS, StorageMoveError, move_files


class Command(BaseCommand):
    help = ("Copy every stored file (originals, thumbnails, exports) to the S3 bucket (--to s3) or to the "
            "local media folder (--to local), checking each copy; stop at any time and run again to resume.")

    def add_arguments(self, parser):
        parser.add_argument("--to", required=True, choices=TARGETS)
        parser.add_argument("--limit", type=int, default=None, help="stop after copying this many files")
        parser.add_argument("--dry-run", action="store_true", help="count what is left to copy")

    def handle(self, *args, to, limit, dry_run, **options):
        def progress(summary):
            self.stdout.write(f"  {summary.copied + summary.already:,} / {summary.total:,}+ files, "
                              f"{filesizeformat(summary.bytes_copied)} copied this run")

        try:
            summary = move_files(to=to, limit=limit, dry_run=dry_run, progress=progress)
        except StorageMoveError as exc:
            raise CommandError(str(exc)) from None
        where = "the S3 bucket" if to == "s3" else "the local media folder"
        if dry_run:
            self.stdout.write(f"{summary.total - summary.already:,} of {summary.total:,} files are still to copy "
                              f"to {where}.")
            return
        self.stdout.write(
            f"{summary.copied:,} copied to {where} ({filesizeformat(summary.bytes_copied)}), "
            f"{summary.already:,} there already, {len(summary.missing):,} missing from the source, "
            f"{len(summary.failed):,} failed; {summary.total:,} files seen."
        )
        for name in summary.missing[:20]:
            self.stdout.write(f"  missing: {name}")
        for name, why in summary.failed[:20]:
            self.stderr.write(f"  failed: {name}: {why}")
        if summary.stopped:
            self.stdout.write("Stopped at the limit: run the command again to go on.")
        elif not summary.failed:
            switch = ("set AWS_STORAGE_BUCKET_NAME (and its friends) for every node" if to == "s3"
                      else "unset AWS_STORAGE_BUCKET_NAME on every node")
            self.stdout.write(f"Every file is in {where}. Now {switch} and restart; then run this once more to "
                              "copy what was uploaded meanwhile.")
        if summary.failed:
            raise CommandError(f"{len(summary.failed)} file(s) could not be copied; run again after fixing them.")
