"""The shape every cleanup command shares: --dry-run, then a one-line summary."""

import json

from django.core.management.base import BaseCommand


class UpkeepCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be done; change nothing.")

    def report(self, summary: dict, *, dry_run: bool):
        prefix = "[dry run] " if dry_run else ""
        self.stdout.write(f"{prefix}{self.summary_title}: {json.dumps(summary, default=str)}")
