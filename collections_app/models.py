import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone


class CollectionQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)


class Collection(models.Model):
    """A named group of assets. Deleting it never deletes the assets."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_collections")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    cover_asset = models.ForeignKey(
        "assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    assets = models.ManyToManyField("assets.Asset", through="CollectionItem", related_name="collections")
    # Whether an editor ever added an asset of theirs: until then the collection holds only
    # its owner's, and the owner's lists of it take the fast paths of their own library.
    holds_others = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CollectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("name"), "owner", name="collection_name_unique_per_owner"),
        ]
        indexes = [models.Index(fields=["owner", "name"], name="collection_owner_name")]

    def __str__(self):
        return self.name


class CollectionItem(models.Model):
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="items")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="collection_items")
    added_at = models.DateTimeField(auto_now_add=True)
    # Copies of the asset's creation time, type, status and whether it is outside the
    # trash, kept by triggers on PostgreSQL (collections_app.sql), for the indexes below.
    asset_created_at = models.DateTimeField(null=True, editable=False)
    asset_alive = models.BooleanField(default=True, editable=False)
    asset_type = models.CharField(max_length=10, blank=True, editable=False)
    asset_status = models.CharField(max_length=12, blank=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["collection", "asset"], name="collection_item_unique"),
        ]
        indexes = [
            models.Index(fields=["asset", "collection"], name="collection_item_asset"),
            # A collection's live assets, newest first, and their count: one range.
            models.Index(fields=["collection", "-asset_created_at", "-asset"], condition=Q(asset_alive=True),
                         name="collection_item_live_newest"),
            # The same within one type (the sidebar's Images, Videos, Audio, Text) or status.
            models.Index(fields=["collection", "asset_type", "-asset_created_at", "-asset"],
                         condition=Q(asset_alive=True), name="collection_item_live_type"),
            models.Index(fields=["collection", "asset_status", "-asset_created_at", "-asset"],
                         condition=Q(asset_alive=True), name="collection_item_live_status"),
        ]


class CollectionTally(models.Model):
    """How many of a collection's assets are outside the trash, kept by triggers on
    PostgreSQL (collections_app.sql) as memberships come and go and assets move to the
    trash and back: the sidebar, the collections page and a shared collection's plain list
    read one row instead of counting 100,000 memberships. A table of its own, which no
    save of the collection ever writes. SQLite counts the memberships instead."""

    collection = models.OneToOneField(Collection, primary_key=True, on_delete=models.CASCADE, related_name="tally")
    live_assets = models.IntegerField(default=0)

    def __str__(self):
        return f"{self.collection_id}: {self.live_assets}"


def new_share_token() -> str:
    """43 URL-safe characters carrying 256 random bits (the contract asks for at least 128)."""
    return secrets.token_urlsafe(32)


class ShareKind(models.TextChoices):
    ASSET = "asset", "One asset"
    SELECTION = "selection", "A selection of assets"
    COLLECTION = "collection", "A collection"


class ShareLinkQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)

    def active(self, now=None):
        """Links that still open: not revoked and not past their expiry."""
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))

    def ended(self, now=None):
        """The complement of active(): revoked, or past their expiry."""
        now = now or timezone.now()
        return self.filter(Q(revoked_at__isnull=False) | Q(expires_at__lte=now))

    def newest_first(self):
        return self.order_by("-created_at", "-id")


class ShareLink(models.Model):
    """A public, unguessable link to some of one owner's assets.

    What it shows depends on `kind`: `asset` and `selection` links hold the assets chosen
    when the link was made (ShareLinkItem rows, frozen); a `collection` link shows the
    collection's assets as they are now (live). Either way only assets outside the trash
    are shown. A link ends when it is revoked or expires; `revoked_at` is then when it
    ended (upkeep sets it to `expires_at` for expired links, and deletes links that
    ended long ago).

    Deleting the collection deletes its links (CASCADE): the link has nothing left to
    show, and usage events keep the link's id as a plain UUID, so the history survives.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="share_links")
    token = models.CharField(max_length=64, unique=True, default=new_share_token, editable=False)
    kind = models.CharField(max_length=10, choices=ShareKind.choices)
    title = models.CharField(max_length=200, blank=True, help_text="The heading of the public page.")
    collection = models.ForeignKey(
        Collection, null=True, blank=True, on_delete=models.CASCADE, related_name="share_links"
    )
    assets = models.ManyToManyField("assets.Asset", through="ShareLinkItem", related_name="share_links")
    allow_download = models.BooleanField(default=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: the link never expires.")
    password_hash = models.CharField(max_length=128, blank=True, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)
    view_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = ShareLinkQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ShareKind.values), name="share_link_kind_valid"),
            models.CheckConstraint(
                condition=Q(kind=ShareKind.COLLECTION, collection__isnull=False)
                | (~Q(kind=ShareKind.COLLECTION) & Q(collection__isnull=True)),
                name="share_link_collection_iff_collection_kind",
            ),
        ]
        indexes = [
            # The owner's links, newest first (GET /shares/ and its count).
            models.Index(fields=["owner", "-created_at", "-id"], name="share_link_owner_newest"),
            # The upkeep sweeps: open links with an expiry, and ended links by age.
            models.Index(
                fields=["expires_at"],
                condition=Q(revoked_at__isnull=True, expires_at__isnull=False),
                name="share_link_open_expiring",
            ),
            models.Index(fields=["revoked_at"], condition=Q(revoked_at__isnull=False), name="share_link_ended"),
        ]

    def __str__(self):
        return self.title or f"{self.get_kind_display()} {self.id}"

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def ended_at(self, now=None):
        """When the link stopped working (revoked, or expired), or None while it works."""
        if self.revoked_at is not None:
            return self.revoked_at
        now = now or timezone.now()
        if self.expires_at is not None and self.expires_at <= now:
            return self.expires_at
        return None


class ShareLinkItem(models.Model):
    """One asset of an `asset` or `selection` link, frozen when the link was made."""

    share_link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="items")
    asset = models.ForeignKey("assets.Asset", on_delete=models.CASCADE, related_name="share_link_items")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["share_link", "asset"], name="share_link_item_unique"),
        ]


class ShareDownload(models.Model):
    """A "Download all" zip asked for on a link's public page: a core zip job (owned by
    the link's owner, so it never shows in anyone's own jobs) tied to the link.

    `fingerprint` names the exact set of assets the zip holds, so that visitors asking
    again for the same set share one zip, and a zip whose assets are no longer all shown
    by the link is never served.
    """

    share_link = models.ForeignKey(ShareLink, on_delete=models.CASCADE, related_name="downloads")
    job = models.OneToOneField("assets.Job", on_delete=models.CASCADE, related_name="share_download")
    fingerprint = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [
            models.Index(fields=["share_link", "fingerprint", "-created_at"], name="share_download_latest"),
        ]

    def __str__(self):
        return f"Download all of {self.share_link_id} ({self.job_id})"


# --- Working together: teams, grants and the activity of shared collections ---------------


class TeamRole(models.TextChoices):
    ADMIN = "admin", "Admin"
    MEMBER = "member", "Member"


class TeamQuerySet(models.QuerySet):
    def of_member(self, user):
        """The teams `user` belongs to (a user sees only those)."""
        return self.filter(memberships__user_id=user.pk)


class Team(models.Model):
    """A named group of users, to share collections with all of them at once. Its name is
    unique on the instance, whatever the case; its admins manage it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = TeamQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(Lower("name"), name="team_name_unique")]

    def __str__(self):
        return self.name


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships",
                             db_index=False)
    role = models.CharField(max_length=10, choices=TeamRole.choices, default=TeamRole.MEMBER)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["team", "user"], name="team_membership_unique"),
            models.CheckConstraint(condition=Q(role__in=TeamRole.values), name="team_membership_role_valid"),
        ]
        # A user's teams (what they may see, and the grants that reach them).
        indexes = [models.Index(fields=["user", "team"], name="team_membership_user")]


class CollectionRole(models.TextChoices):
    """What a user may do with a collection, from least to most."""

    VIEWER = "viewer", "Viewer"
    EDITOR = "editor", "Editor"
    OWNER = "owner", "Owner"


class CollectionGrant(models.Model):
    """A collection shared with one user or one team (exactly one), as viewer or editor."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="grants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
                             related_name="collection_grants", db_index=False)
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="grants",
                             db_index=False)
    role = models.CharField(max_length=10, choices=CollectionRole.choices[:2])
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(user__isnull=True) ^ Q(team__isnull=True),
                                   name="collection_grant_user_xor_team"),
            models.CheckConstraint(condition=Q(role__in=[CollectionRole.VIEWER, CollectionRole.EDITOR]),
                                   name="collection_grant_role_valid"),
            models.UniqueConstraint(fields=["collection", "user"], condition=Q(user__isnull=False),
                                    name="collection_grant_unique_user"),
            models.UniqueConstraint(fields=["collection", "team"], condition=Q(team__isnull=False),
                                    name="collection_grant_unique_team"),
        ]
        indexes = [
            # The collections shared with a user, or with a team (a member's "Shared with me").
            models.Index(fields=["user", "collection"], condition=Q(user__isnull=False), name="collection_grant_user"),
            models.Index(fields=["team", "collection"], condition=Q(team__isnull=False), name="collection_grant_team"),
        ]

    @property
    def grantee_type(self) -> str:
        return "user" if self.user_id is not None else "team"


class ActivityVerb(models.TextChoices):
    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"
    RENAMED = "renamed", "Renamed"
    GRANTED = "granted", "Granted"
    REVOKED = "revoked", "Revoked"


class CollectionActivity(models.Model):
    """Who did what to a shared collection, and when (kept with the collection). The
    actor's name is kept as it was, so the trail survives the account."""

    collection = models.ForeignKey(Collection, on_delete=models.CASCADE, related_name="activity")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+", db_index=False)
    actor_name = models.CharField(max_length=150)
    verb = models.CharField(max_length=10, choices=ActivityVerb.choices)
    assets = models.PositiveIntegerField(default=0)
    target = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(verb__in=ActivityVerb.values), name="collection_activity_verb_valid"),
        ]
        indexes = [models.Index(fields=["collection", "-created_at", "-id"], name="collection_activity_newest")]


class ImportRecord(models.Model):
    """One row or collection brought in from another product (manage.py import_alwrity), under
    its origin there (`alwrity:<clerk id>:<row id>`, `alwrity:<clerk id>:collection:<id>`).

    A re-run finds what an earlier one imported, also when a row became an asset the owner
    had already (the same file), and never brings back what the owner deleted since (the
    record stays, its asset or collection becomes empty).
    """

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_records",
                              db_index=False)
    origin = models.CharField(max_length=300)
    asset = models.ForeignKey("assets.Asset", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    collection = models.ForeignKey(Collection, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    database = models.CharField(max_length=1000, blank=True, help_text="The database file it was read from.")
    imported_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["owner", "origin"], name="import_record_origin_unique")]

    def __str__(self):
        return self.origin
