"""Recount the statistics' rollups from the assets and usage events, and the tags' counts.

The database keeps them right by itself (analytics.rollups); this is for repairs: after
a backup was restored, or rows were changed with the triggers disabled.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from analytics.rollups import rollups_compact, rollups_kept, rollups_rebuild
from assets.upkeep import tag_counts_rebuild


class Command(BaseCommand):
    help = "Recount the statistics' rollups (all owners, or one) and drop rows that are all zero."

    def add_arguments(self, parser):
        parser.add_argument("--owner", metavar="USERNAME", help="Only this user's rollups.")

    def handle(self, *args, owner=None, **options):
        user = None
        if owner is not None:
            user = get_user_model().objects.filter(username=owner).first()
            if user is None:
                raise CommandError(f"No user named {owner!r}.")
        if not rollups_kept():
            self.stdout.write("This database (SQLite) keeps no rollups: the statistics count the assets directly.")
            return
        rollups_rebuild(owner=user)
        removed = rollups_compact()
        scope = f"for {owner}" if owner else "for every owner"
        self.stdout.write(f"Statistics rollups rebuilt {scope}; {removed} empty rows removed.")
        tag_counts_rebuild()
        self.stdout.write("Tag counts recounted for every owner.")
