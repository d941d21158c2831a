"""manage.py import_alwrity: bring ALwrity's asset libraries in (collections_app.alwrity_import)."""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from collections_app.alwrity_import import FileFinder, alwrity_import, read_user_map
from collections_app.alwrity_source import AlwritySourceError, find_databases


class Command(BaseCommand):
    help = ("Import ALwrity asset libraries (their SQLite databases): assets with their files, texts, status, "
            "tags, favourites, counters, timestamps and collections. Safe to run again: it imports only what "
            "is new.")

    def add_arguments(self, parser):
        parser.add_argument("databases", nargs="*", metavar="DB_PATH", help="ALwrity database files")
        parser.add_argument("--workspace-root", type=Path, metavar="DIR",
                            help="ALwrity's workspace folder (holding workspace_<user>/): import every database in it")
        parser.add_argument("--user-map", type=Path, metavar="CSV",
                            help="clerk_id,username lines mapping ALwrity's users to accounts here")
        parser.add_argument("--create-users", action="store_true",
                            help="create an account (username = the Clerk id) for users not in the map")
        parser.add_argument("--files-root", type=Path, metavar="DIR",
                            help="look for files under this folder, by the trailing parts of their paths")
        parser.add_argument("--rebase", action="append", default=[], metavar="OLD=NEW",
                            help="read files under NEW where ALwrity's paths start with OLD (repeatable)")
        parser.add_argument("--dry-run", action="store_true", help="report what would be imported; write nothing")
        parser.add_argument("--report", type=Path, metavar="FILE.json", help="write the report as JSON")
        parser.add_argument("--strict", action="store_true",
                            help="exit non-zero when anything was skipped, missing or unmapped")

    def handle(self, *args, databases, workspace_root, user_map, create_users, files_root, rebase, dry_run,
               report, strict, **options):
        paths = [Path(path) for path in databases]
        if workspace_root is not None:
            if not workspace_root.is_dir():
                raise CommandError(f"--workspace-root: {workspace_root} is not a folder.")
            paths += find_databases(workspace_root)
        paths = list(dict.fromkeys(path.resolve() for path in paths))
        if not paths:
            raise CommandError("Give ALwrity database files, or --workspace-root with databases in it.")
        if files_root is not None and not files_root.is_dir():
            raise CommandError(f"--files-root: {files_root} is not a folder.")
        try:
            mapping = read_user_map(user_map) if user_map else {}
        except (OSError, ValueError) as error:
            raise CommandError(f"--user-map: {error}") from None
        finder = FileFinder(rebase=tuple(_rebase(value) for value in rebase), files_root=files_root)

        bar = tqdm(unit=" rows", disable=None, file=sys.stderr, dynamic_ncols=True)

        def on_total(total):
            bar.reset(total=total)

        try:
            result = alwrity_import(databases=paths, user_map=mapping, create_users=create_users, finder=finder,
                                    dry_run=dry_run, progress=bar.update, on_total=on_total)
        except AlwritySourceError as error:
            raise CommandError(str(error)) from None
        finally:
            bar.close()

        self._summary(result)
        if report is not None:
            report.write_text(json.dumps(result.as_json(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            self.stdout.write(f"Report written to {report}.")
        if strict and result.incomplete:
            totals = result.totals()
            raise CommandError(f"--strict: {totals['skipped']} skipped, {totals['missing_files']} missing files, "
                               f"{totals['unmapped_users']} unmapped users.")

    def _summary(self, result):
        verb = "would be created" if result.dry_run else "created"
        for entry in result.databases:
            who = entry.username or "(no account: give it in --user-map, or use --create-users)"
            self.stdout.write(f"{entry.path} [{entry.clerk_id} -> {who}]")
            self.stdout.write(f"  {entry.read} read, {entry.created} {verb}, {entry.duplicates} imported before, "
                              f"{entry.skipped} skipped; {entry.collections_created} collections {verb}")
            for path in entry.missing_files[:20]:
                self.stdout.write(f"  missing file: {path}")
            if len(entry.missing_files) > 20:
                self.stdout.write(f"  … and {len(entry.missing_files) - 20} more missing files (see --report)")
            for refused in entry.refused_files[:20]:
                self.stdout.write(f"  refused: {refused['path']}: {refused['error']}")
            if entry.text_without_content:
                self.stdout.write(f"  {entry.text_without_content} text rows without content")
            for old, new in entry.fallback_modules.items():
                self.stdout.write(f"  module {old!r} imported as {new!r}")
            for old, new in entry.renamed_collections.items():
                self.stdout.write(f"  collection {old!r} renamed {new!r}")
        totals = result.totals()
        rate = totals["read"] / result.seconds if result.seconds else 0
        self.stdout.write(
            f"{'Dry run: ' if result.dry_run else ''}{totals['read']} rows read, {totals['created']} {verb}, "
            f"{totals['duplicates']} imported before, {totals['skipped']} skipped "
            f"({totals['missing_files']} missing files, {totals['unmapped_users']} unmapped users) "
            f"in {result.seconds:.1f} s ({rate:.0f} rows/s)."
        )


def _rebase(value: str) -> tuple[str, str]:
    old, separator, new = value.partition("=")
    if not separator or not old:
        raise CommandError(f"--rebase: expected OLD=NEW, got {value!r}.")
    return old, new
