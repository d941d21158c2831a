from assets.upkeep import fail_stuck_assets
from common.upkeep_command import UpkeepCommand


class Command(UpkeepCommand):
    help = "Mark failed the assets pending or processing for longer than --minutes."
    summary_title = "fail_stuck_assets"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--minutes", type=int, default=None, help="Default: STUCK_ASSET_MINUTES (60).")

    def handle(self, *args, dry_run, minutes, **options):
        self.report(fail_stuck_assets(minutes=minutes, dry_run=dry_run), dry_run=dry_run)
