from assets.upkeep import purge_trash
from common.upkeep_command import UpkeepCommand


class Command(UpkeepCommand):
    help = "Delete for good the assets that have been in the trash longer than TRASH_RETENTION_DAYS."
    summary_title = "purge_trash"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--older-than", type=int, default=None, metavar="DAYS",
                            help="Days in the trash (default: TRASH_RETENTION_DAYS).")

    def handle(self, *args, dry_run, older_than, **options):
        self.report(purge_trash(older_than_days=older_than, dry_run=dry_run), dry_run=dry_run)
