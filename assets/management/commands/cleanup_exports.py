from assets.upkeep import cleanup_exports
from common.upkeep_command import UpkeepCommand


class Command(UpkeepCommand):
    help = "Remove expired zip exports (EXPORT_TTL) and export files no job owns."
    summary_title = "cleanup_exports"

    def handle(self, *args, dry_run, **options):
        self.report(cleanup_exports(dry_run=dry_run), dry_run=dry_run)
