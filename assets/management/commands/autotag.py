"""Derive automatic tags again, for one owner's assets, every owner's, or named ones.

    manage.py autotag --owner alice            # alice's library, here and now
    manage.py autotag --all --missing-only     # assets that have no automatic tag yet
    manage.py autotag --ids <uuid> <uuid> ...
    manage.py autotag --all --async            # queue the work on the Celery workers

Assets in the trash are left alone. Safe to run any number of times: the service only adds
the tags an asset lacks, and never touches a manual tag.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Exists, OuterRef

from assets import services
from assets.models import Asset, TaggedAsset


class Command(BaseCommand):
    help = "Derive automatic tags (prompt keywords, model, module, orientation, colours) for assets."

    def add_arguments(self, parser):
        scope = parser.add_argument_group("which assets (at least one)")
        scope.add_argument("--owner", metavar="USERNAME", help="Only this user's assets.")
        scope.add_argument("--all", action="store_true", dest="every_owner", help="Every owner's assets.")
        scope.add_argument("--ids", nargs="+", metavar="ID", default=[], help="Only these asset ids.")
        parser.add_argument("--missing-only", action="store_true", help="Only assets with no automatic tag yet.")
        parser.add_argument("--dry-run", action="store_true", help="Count the assets, change nothing.")
        parser.add_argument(
            "--async", action="store_true", dest="run_async", help="Queue Celery tasks instead of working here."
        )
        parser.add_argument("--chunk-size", type=int, default=services.AUTOTAG_CHUNK, help="Assets per batch.")

    def handle(self, *args, owner, every_owner, ids, missing_only, dry_run, run_async, chunk_size, **options):
        if chunk_size < 1:
            raise CommandError("--chunk-size must be at least 1.")
        assets = self._scope(owner=owner, every_owner=every_owner, ids=ids)
        if missing_only:
            assets = assets.exclude(Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), auto=True)))
        if dry_run:
            self.stdout.write(f"Would derive automatic tags for {assets.count():,} asset(s).")
            return

        seen = added = batches = 0
        for chunk in _id_batches(assets, chunk_size):
            if run_async:
                services.assets_schedule_autotag(asset_ids=chunk)
            else:
                added += services.assets_autotag(asset_ids=chunk)
            seen += len(chunk)
            batches += 1
            if options["verbosity"] >= 2:
                self.stdout.write(f"  {seen:,} asset(s)")
        if run_async:
            message = f"Queued automatic tagging of {seen:,} asset(s) in {batches} task(s)."
            self.stdout.write(self.style.SUCCESS(message))
        else:
            self.stdout.write(self.style.SUCCESS(f"Tagged {seen:,} asset(s): {added:,} automatic tag(s) added."))

    def _scope(self, *, owner, every_owner, ids):
        if not (owner or every_owner or ids):
            raise CommandError("Say which assets: --owner USERNAME, --all or --ids ID ...")
        if owner and every_owner:
            raise CommandError("Use --owner or --all, not both.")
        assets = Asset.objects.alive()
        if owner:
            user = get_user_model().objects.filter(username=owner).first()
            if user is None:
                raise CommandError(f"No user named {owner!r}.")
            assets = assets.owned_by(user)
        if ids:
            try:
                parsed = [uuid.UUID(value) for value in ids]
            except ValueError:
                bad = next(value for value in ids if not _is_uuid(value))
                raise CommandError(f"{bad!r} is not an asset id (a UUID).") from None
            assets = assets.filter(pk__in=parsed)
        return assets


def _is_uuid(value) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _id_batches(assets, size):
    """The ids of `assets` in batches, walking the primary key (no OFFSET, no list of millions)."""
    last = None
    while True:
        page = assets.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        chunk = list(page.values_list("pk", flat=True)[:size])
        if not chunk:
            return
        yield chunk
        last = chunk[-1]
