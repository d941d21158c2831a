from collections_app.upkeep import ENDED_RETENTION_DAYS, expire_shares
from common.upkeep_command import UpkeepCommand


class Command(UpkeepCommand):
    help = (
        "Mark share links past their expiry as ended, and delete links that ended more than "
        f"{ENDED_RETENTION_DAYS} days ago."
    )
    summary_title = "expire_shares"

    def handle(self, *args, dry_run, **options):
        self.report(expire_shares(dry_run=dry_run), dry_run=dry_run)
