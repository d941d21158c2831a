from assets.upkeep import cleanup_orphans
from common.upkeep_command import UpkeepCommand


class Command(UpkeepCommand):
    help = "Delete stored files that no asset refers to; report assets whose file is missing."
    summary_title = "cleanup_orphans"

    def handle(self, *args, dry_run, **options):
        self.report(cleanup_orphans(dry_run=dry_run), dry_run=dry_run)
