"""`manage.py seed_demo_sharing`: a teammate who shares a collection with the demo user.

After `seed_demo`, so that a newcomer who signs in as the demo user finds something under
"Shared with me": a second user (`--teammate`, default `alex`) with a small library of
their own, a team (`Studio`) that both belong to (the demo user as a member), and the
teammate's collection "Brand refresh" shared with that team as editor. Running it again
changes nothing.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from assets.demo.corpus import VIDEO_CLIPS
from assets.demo.library import library_create
from assets.demo.planner import build_plan
from assets.models import Asset
from collections_app import services
from collections_app.models import Collection, Team

TEAM = "Studio"
COLLECTION = "Brand refresh"


class Command(BaseCommand):
    help = "Give the demo user a teammate who shares a collection with them (after seed_demo)."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="demo", help="The demo user (made by seed_demo).")
        parser.add_argument("--teammate", default="alex")
        parser.add_argument("--password", default="demo-pass-123", help="The teammate's, set when created.")
        parser.add_argument("--assets", type=int, default=24, help="The size of the teammate's library.")

    def handle(self, *args, username, teammate, password, assets, **options):
        users = get_user_model()
        demo = users.objects.filter(username=username).first()
        if demo is None:
            raise CommandError(f"No user {username!r}: run seed_demo first.")
        mate = users.objects.filter(username=teammate).first()
        if mate is None:
            mate = users(username=teammate, email=f"{teammate}@example.com")
            mate.set_password(password)
            mate.save()
            self.stdout.write(f"Created the user {teammate!r}.")
        if not Asset.objects.owned_by(mate).exists():
            plan = build_plan(count=max(assets, 12), seed=7, now=timezone.now(), video_clips=list(VIDEO_CLIPS))
            library_create(owner=mate, plan=plan, seed=7)
        team = Team.objects.filter(name__iexact=TEAM).first() or services.team_create(creator=mate, name=TEAM)
        if not team.memberships.filter(user=demo).exists():
            services.team_member_set(team=team, username=demo.get_username(), role="member")
        collection = Collection.objects.owned_by(mate).filter(name=COLLECTION).first()
        if collection is None:
            collection = services.collection_create(
                owner=mate, name=COLLECTION, description=f"{teammate}'s picks for the relaunch, shared with {TEAM}."
            )
            picks = Asset.objects.owned_by(mate).alive().order_by("-created_at")[:12]
            services.collection_add_assets(collection=collection, actor=mate,
                                           assets=Asset.objects.filter(pk__in=[a.pk for a in picks]))
        if not collection.grants.filter(team=team).exists():
            services.grant_set(collection=collection, actor=mate, grantee_type="team", name=team.name, role="editor")
        self.stdout.write(self.style.SUCCESS(
            f"{username} is in team {TEAM}; {teammate}'s collection {COLLECTION!r} is shared with it as editor."
        ))
