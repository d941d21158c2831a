"""`manage.py seed_demo`: a demo user and a believable library, made through the services.

The library is planned by `assets.demo.planner` from `--seed` and `--assets` alone: the
same arguments give the same titles, prompts, tags and file contents (only ids and "now"
differ). `assets.demo.library` creates it through `asset_create`, so every file passes the
same content checks as an upload. External ids are derived from the seed too, so running
the command twice with the same seed adds nothing. With another seed it adds a new batch,
except that a completed video whose clip the library already holds resolves to that
existing asset (there are only 20 clips).
"""

import time

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Sum
from django.utils import timezone

from assets.demo.corpus import VIDEO_CLIPS
from assets.demo.library import library_create
from assets.demo.planner import MIN_ASSETS, build_plan, money
from assets.models import Asset, AssetStatus, AssetType


class Command(BaseCommand):
    help = "Create (or reuse) a demo user and fill its library with a believable set of assets."

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true", help="Do nothing if the user already has assets.")
        parser.add_argument("--username", default="demo")
        parser.add_argument("--password", default="demo-pass-123", help="Set only when the user is created.")
        parser.add_argument("--assets", type=int, default=240, help=f"How many assets (at least {MIN_ASSETS}).")
        parser.add_argument("--seed", type=int, default=42, help="The same seed gives the same library.")

    def handle(self, *args, if_empty, username, password, assets, seed, **options):
        if assets < MIN_ASSETS:
            raise CommandError(f"--assets must be at least {MIN_ASSETS}.")
        started = time.monotonic()
        user = get_user_model().objects.filter(username=username).first()
        existing = Asset.objects.owned_by(user).count() if user is not None else 0
        if if_empty and existing:
            self.stdout.write(f"{username} already has {existing} assets; nothing to do (--if-empty).")
            return

        user = self._demo_user(user, username=username, password=password)
        plan = build_plan(count=assets, seed=seed, now=timezone.now(), video_clips=list(VIDEO_CLIPS))
        created = library_create(owner=user, plan=plan, seed=seed)
        self._summarise(user=user, created=created, planned=len(plan), seconds=time.monotonic() - started)

    def _demo_user(self, user, *, username: str, password: str):
        """The demo user, created with `password` if missing; either way a staff superuser for /admin/."""
        if user is None:
            user = get_user_model()(
                username=username, email=f"{username}@example.com", is_staff=True, is_superuser=True
            )
            user.set_password(password)
            user.save()
            self.stdout.write(f"Created the staff superuser {username!r}.")
        elif not (user.is_staff and user.is_superuser and user.is_active):
            user.is_staff = user.is_superuser = user.is_active = True
            user.save(update_fields=["is_staff", "is_superuser", "is_active"])
            self.stdout.write(f"Made {username!r} a staff superuser; its password is unchanged.")
        return user

    def _summarise(self, *, user, created: dict[int, Asset], planned: int, seconds: float) -> None:
        library = Asset.objects.owned_by(user)
        by_type = dict(library.values_list("type").annotate(n=Count("pk")).order_by())
        by_status = dict(library.values_list("status").annotate(n=Count("pk")).order_by())
        total_cost = money(library.aggregate(total=Sum("cost"))["total"] or 0)
        self.stdout.write(self.style.SUCCESS(
            f"Created {len(created)} of {planned} planned assets for {user.username} in {seconds:.1f}s "
            f"({planned - len(created)} were already there)."
        ))
        self.stdout.write(f"  library: {library.count()} assets, {library.trashed().count()} in the trash, "
                          f"{library.filter(is_favorite=True).count()} favourites, cost {total_cost}")
        self.stdout.write("  by type:   " + ", ".join(f"{t} {by_type.get(t, 0)}" for t in AssetType.values))
        self.stdout.write("  by status: " + ", ".join(f"{s} {by_status.get(s, 0)}" for s in AssetStatus.values))
