import uuid

import pgtrigger
from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Lower
from django.utils import timezone
from taggit.managers import TaggableManager
from taggit.models import NaturalKeyManager, TagBase, TaggedItemBase

from assets import sql
from assets.modules import SLUG_RE, module_label


class AssetType(models.TextChoices):
    IMAGE = "image", "Image"
    VIDEO = "video", "Video"
    AUDIO = "audio", "Audio"
    TEXT = "text", "Text"


class AssetStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    COMPLETED = "completed", "Completed"
    FAILED = "failed", "Failed"


MEDIA_TYPES = (AssetType.IMAGE, AssetType.VIDEO, AssetType.AUDIO)
ALIVE = Q(deleted_at__isnull=True)


def asset_file_path(instance, filename):
    """Files live under a per-owner folder; the client never chooses the path.

    Only the extension of the (already sniffed) name is kept.
    """
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"assets/{instance.owner_id}/{instance.created_at:%Y/%m}/{instance.id}.{ext}"


def asset_thumbnail_path(instance, filename):
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "webp"
    return f"thumbnails/{instance.owner_id}/{instance.created_at:%Y/%m}/{instance.id}.{ext}"


# A text asset in a list carries this many first characters (`text_excerpt`), not the text.
TEXT_EXCERPT_LENGTH = 500


class AssetQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The ownership term. Every read of assets on behalf of a user starts here."""
        return self.filter(owner_id=user.pk)

    def alive(self):
        return self.filter(deleted_at__isnull=True)

    def trashed(self):
        return self.filter(deleted_at__isnull=False)

    def of_type(self, *types):
        return self.filter(type__in=types)

    def with_status(self, *statuses):
        return self.filter(status__in=statuses)

    def newest_first(self):
        # id breaks ties so that paging is stable; it is the index's last column.
        return self.order_by("-created_at", "-id")


class TagQuerySet(models.QuerySet):
    def owned_by(self, user):
        """The ownership term for tags: an owner's tags are theirs alone."""
        return self.filter(owner_id=user.pk)

    def named(self, *names):
        """The tags with any of these names, ignoring case as the unique index does (lower()
        in the database on both sides, so SQLite and PostgreSQL each agree with their index)."""
        if not names:
            return self.none()
        return self.alias(_lower_name=Lower("name")).filter(_lower_name__in=[Lower(Value(n)) for n in names])


class Tag(TagBase):
    """A tag of one owner, in the spelling that owner gave it (django-taggit's TagBase).

    Each owner has their own tags: "Sunset" for one and "sunset" for another are two rows,
    and neither ever shows or counts for the other. Names match without regard to case
    (TAGGIT_CASE_INSENSITIVE), so the owner's (owner, lower(name)) is unique: that index
    also serves every look-up by owner and name. The slug (TagBase fills it on save) is not
    used by the library and is not unique.
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_tags", db_index=False
    )
    name = models.CharField(verbose_name="name", max_length=100)
    slug = models.SlugField(verbose_name="slug", max_length=100, allow_unicode=True, db_index=False)

    natural_key_fields = ["owner_id", "name"]
    objects = NaturalKeyManager.from_queryset(TagQuerySet)()

    class Meta:
        verbose_name = "tag"
        verbose_name_plural = "tags"
        constraints = [
            models.UniqueConstraint(F("owner"), Lower("name"), name="tag_unique_name_per_owner"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="search_rows_follow_tag_name", when=pgtrigger.After, operation=pgtrigger.UpdateOf("name"),
                condition=pgtrigger.AnyChange("name"), func=sql.SEARCH_ROWS_OF_RENAMED_TAG,
            ),
            pgtrigger.Trigger(
                name="tag_counts_of_tags_removed", when=pgtrigger.After, operation=pgtrigger.Delete,
                level=pgtrigger.Statement, referencing=pgtrigger.Referencing(old="old_rows"),
                func=sql.TAG_COUNTS_OF_TAGS_REMOVED,
            ),
        ]


def tag_count_triggers(rows: str, *, added: str, removed: str, moved: bool = False) -> list:
    """The statement-level triggers that keep TagCount following `rows` (links or assets;
    bodies assets.sql.TAG_COUNTS_OF_<ROWS>_ADDED, _REMOVED and, for assets, _MOVED)."""
    kinds = [
        ("added", pgtrigger.Insert, pgtrigger.Referencing(new=added)),
        ("removed", pgtrigger.Delete, pgtrigger.Referencing(old=removed)),
    ]
    if moved:
        kinds.append(("moved", pgtrigger.Update, pgtrigger.Referencing(old="old_rows", new="new_rows")))
    return [
        pgtrigger.Trigger(
            name=f"tag_counts_of_{rows}_{kind}", when=pgtrigger.After, operation=operation,
            level=pgtrigger.Statement, referencing=referencing, declare=[("concerned", "record")],
            func=getattr(sql, f"TAG_COUNTS_OF_{rows.upper()}_{kind.upper()}"),
        )
        for kind, operation, referencing in kinds
    ]


class TaggedAsset(TaggedItemBase):
    """The tag link, to one of the asset owner's tags. `auto` marks tags derived by the
    system rather than typed by a person; a person setting a tag makes its link manual."""

    # No index of their own: the (asset, tag) and (tag, asset) indexes below lead with each
    # (two fewer index entries per link written: a batch registration writes thousands).
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="%(app_label)s_%(class)s_items",
                            db_index=False)
    content_object = models.ForeignKey("Asset", on_delete=models.CASCADE, related_name="tagged_items",
                                       db_index=False)
    auto = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["content_object", "tag"], name="tagged_asset_unique_tag"),
        ]
        indexes = [models.Index(fields=["tag", "content_object"], name="tagged_asset_tag_asset")]
        triggers = [
            pgtrigger.Trigger(
                name="search_rows_follow_tagging", when=pgtrigger.After, operation=pgtrigger.Insert,
                level=pgtrigger.Statement, referencing=pgtrigger.Referencing(new="new_rows"),
                func=sql.SEARCH_ROWS_OF_TAGGED,
            ),
            pgtrigger.Trigger(
                name="search_rows_follow_untagging", when=pgtrigger.After, operation=pgtrigger.Delete,
                level=pgtrigger.Statement, referencing=pgtrigger.Referencing(old="old_rows"),
                func=sql.SEARCH_ROWS_OF_UNTAGGED,
            ),
            *tag_count_triggers("links", added="new_rows", removed="old_rows"),
        ]


# The condition of the indexes that serve the admin's list of every owner's assets, which
# its queryset states (AssetAdmin.get_queryset); no owner's list does.
ADMIN_ONLY = Q(id__isnull=False)


class Asset(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Its own index (not partial) serves what the live-only ones cannot: deleting a user, and
    # PostgreSQL's foreign-key check when one is deleted.
    # No index on the owner alone: every query of an owner's assets has a better one below
    # (the library, the trash, a module's external ids), and one on the owner alone is a
    # trap. For an owner who is new since the table's last ANALYZE the planner expects one
    # row, and it chose that index over the primary key for `owner AND id` (an asset's
    # page), reading all of a fresh importer's 130,000 assets for each (20 ms, not 0.1).
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assets",
                              db_index=False)
    type = models.CharField(max_length=10, choices=AssetType.choices)
    status = models.CharField(max_length=12, choices=AssetStatus.choices, default=AssetStatus.COMPLETED)
    source_module = models.CharField(
        max_length=50,
        validators=[RegexValidator(SLUG_RE, "Use 1-50 lowercase letters, digits or underscores.")],
    )
    external_id = models.CharField(max_length=255, null=True, blank=True)
    title = models.CharField(max_length=500, blank=True)
    description = models.TextField(blank=True, validators=[MaxLengthValidator(20_000)])
    prompt = models.TextField(blank=True, validators=[MaxLengthValidator(50_000)])
    model = models.CharField(max_length=200, blank=True)
    provider = models.CharField(max_length=100, blank=True)
    tags = TaggableManager(through=TaggedAsset, blank=True)
    is_favorite = models.BooleanField(default=False)
    cost = models.DecimalField(max_digits=12, decimal_places=4, default=0, validators=[MinValueValidator(0)])
    file = models.FileField(upload_to=asset_file_path, max_length=500, blank=True)
    thumbnail = models.FileField(upload_to=asset_thumbnail_path, max_length=500, blank=True)
    mime_type = models.CharField(max_length=100, blank=True)
    file_size = models.BigIntegerField(null=True, blank=True)
    checksum_sha256 = models.CharField(max_length=64, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    duration_seconds = models.FloatField(null=True, blank=True, validators=[MinValueValidator(0)])
    text_content = models.TextField(null=True, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children", db_index=False
    )
    download_count = models.PositiveIntegerField(default=0)
    share_count = models.PositiveIntegerField(default=0)
    # How many usages (AssetUsage) modules reported: kept by assets.usages, in the same
    # transaction as the usages themselves.
    usage_count = models.PositiveIntegerField(default=0)
    error_message = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = AssetQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(type__in=AssetType.values), name="asset_type_valid"),
            models.CheckConstraint(condition=Q(status__in=AssetStatus.values), name="asset_status_valid"),
            models.CheckConstraint(condition=Q(cost__gte=0), name="asset_cost_not_negative"),
            models.UniqueConstraint(
                fields=["owner", "source_module", "external_id"],
                condition=Q(external_id__isnull=False),
                name="asset_external_id_unique_per_owner_module",
            ),
        ]
        indexes = [
            # Every owner's assets newest first (the admin's list), and by module and status
            # in that order (the admin's module and status filters; its module filter lists
            # the modules by skip scan: assets.sql.distinct_modules). Only a query that
            # says `id IS NOT NULL` (ADMIN_ONLY) may use them: an owner's list would
            # otherwise be planned over every owner's newest rows and skip other owners'
            # (measured: 41,000 rows skipped after another owner's busy hour, 0.1 -> 10 ms).
            models.Index(fields=["-created_at", "-id"], condition=ADMIN_ONLY, name="asset_newest"),
            models.Index(fields=["source_module", "status", "-created_at"], condition=ADMIN_ONLY,
                         name="asset_module_status"),
            # The owner's library, newest first (the default list and its count).
            models.Index(
                fields=["owner", "-created_at", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="asset_owner_alive_newest",
            ),
            # The trash in its order; with the id in the key, a search outside the trash
            # leaves out the owner's trashed matches from this index alone.
            models.Index(
                fields=["owner", "-deleted_at", "-id"], condition=Q(deleted_at__isnull=False),
                name="asset_owner_trash_order",
            ),
            # One per common filter, each ending in the list's order so that the page is read
            # straight from the index and the count is an index-only scan (chosen from the
            # EXPLAIN plans of bench/search.py).
            models.Index(
                fields=["owner", "type", "-created_at", "-id"], condition=ALIVE, name="asset_owner_type_newest"
            ),
            models.Index(
                fields=["owner", "status", "-created_at", "-id"], condition=ALIVE, name="asset_owner_status_newest"
            ),
            models.Index(
                fields=["owner", "source_module", "-created_at", "-id"], condition=ALIVE,
                name="asset_owner_module_newest",
            ),
            models.Index(
                fields=["owner", "model", "-created_at", "-id"], condition=ALIVE, name="asset_owner_model_newest"
            ),
            # With usage and cost beside each entry: favourites used or never used are
            # counted, and what they cost summed, from the index alone (the rollups keep
            # favourites, not favourites by use; 17,000 favourites scattered over 21,000
            # pages: 150 ms -> a few).
            models.Index(
                fields=["owner", "-created_at", "-id"], condition=ALIVE & Q(is_favorite=True),
                include=["usage_count", "cost"], name="asset_owner_favorite_newest",
            ),
            # Used and never used (`used=true|false`), each in the list's order.
            models.Index(
                fields=["owner", "-created_at", "-id"], condition=ALIVE & Q(usage_count__gt=0),
                name="asset_owner_used_newest",
            ),
            models.Index(
                fields=["owner", "-created_at", "-id"], condition=ALIVE & Q(usage_count=0),
                name="asset_owner_unused_newest",
            ),
            models.Index(fields=["owner", "-cost", "-id"], condition=ALIVE, name="asset_owner_cost"),
            # The other orderings a list offers, each read forwards or backwards, so that a
            # page of any of them reads a page of rows, not a sort of the whole library
            # (490,000 rows: 360 ms -> a few). File size, ordered with no size first
            # ascending, has its index on PostgreSQL only (migration 0028: SQLite indexes
            # know no NULLS FIRST).
            # Titles sort without regard to case (assets.keyset.SORT_EXPRESSIONS).
            models.Index("owner", Lower("title"), "id", condition=ALIVE, name="asset_owner_title_folded"),
            models.Index(fields=["owner", "download_count", "id"], condition=ALIVE, name="asset_owner_downloads"),
            # Cost depends on the type (videos cost the most): within a type tab sorted by
            # cost, the owner's list above would pass every costlier asset of other types
            # first (a search for "field" among images by cost: 100 ms -> 2 ms).
            models.Index(fields=["owner", "type", "-cost", "-id"], condition=ALIVE, name="asset_owner_type_cost"),
            # Duplicate detection looks among live assets only.
            models.Index(fields=["owner", "checksum_sha256"], condition=ALIVE, name="asset_owner_live_checksum"),
            # Most assets have no parent: only those that do are indexed.
            models.Index(fields=["parent"], condition=Q(parent__isnull=False), name="asset_parent"),
        ]
        # The search rows (AssetSearch) follow the assets, on PostgreSQL: written for new
        # assets, rewritten when what search reads changes (assets.sql says how).
        triggers = [
            pgtrigger.Trigger(
                name="search_rows_of_new_assets", when=pgtrigger.After, operation=pgtrigger.Insert,
                level=pgtrigger.Statement, referencing=pgtrigger.Referencing(new="new_rows"),
                func=sql.SEARCH_ROWS_OF_INSERTED_ASSETS,
            ),
            pgtrigger.Trigger(
                name="search_row_follows_asset", when=pgtrigger.After,
                operation=pgtrigger.UpdateOf(*sql.SEARCHED_COLUMNS),
                condition=pgtrigger.AnyChange(*sql.SEARCHED_FIELDS), func=sql.SEARCH_ROW_OF_EDITED_ASSET,
            ),
            pgtrigger.Trigger(
                name="search_row_follows_cost", when=pgtrigger.After, operation=pgtrigger.UpdateOf("cost"),
                condition=pgtrigger.AnyChange("cost"), func=sql.SEARCH_ROW_OF_COST,
            ),
            pgtrigger.Trigger(
                name="search_row_follows_use", when=pgtrigger.After, operation=pgtrigger.UpdateOf("usage_count"),
                condition=pgtrigger.Condition("((OLD.usage_count = 0) <> (NEW.usage_count = 0))"),
                func=sql.SEARCH_ROW_OF_USE,
            ),
            pgtrigger.Trigger(
                name="search_row_follows_favorite", when=pgtrigger.After, operation=pgtrigger.UpdateOf("is_favorite"),
                condition=pgtrigger.AnyChange("is_favorite"), func=sql.SEARCH_ROW_OF_FAVORITE,
            ),
            *tag_count_triggers("assets", added="new_rows", removed="old_rows", moved=True),
        ]
        # Moving assets to the trash writes a new version of each row, and PostgreSQL adds it
        # to every index whose condition it meets. Live-only (partial) indexes take no
        # entry then, so the trash writes to three or four indexes (primary key, owner, trash,
        # external id if any), not seven: 100,000 assets to the trash in about half the time (bench/trash.py).

    def __str__(self):
        return self.title or f"{self.get_type_display()} {self.id}"

    @property
    def source_module_label(self):
        return module_label(self.source_module)

    @property
    def is_trashed(self):
        return self.deleted_at is not None


class UsageKind(models.TextChoices):
    PUBLISHED = "published", "Published"
    EMBEDDED = "embedded", "Embedded"
    ATTACHED = "attached", "Attached"
    SCHEDULED = "scheduled", "Scheduled"


class AssetUsageQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)


class AssetUsage(models.Model):
    """Where an asset went, as the module that took it there reported it: a blog post it
    was published in, a newsletter it is scheduled for. `external_ref` is the module's own
    reference: the same one again from the same module is the same usage.

    The owner is the asset's, kept on the row so that every query is scoped by it. Usages
    go with their asset; the statistics keep their count (a 'used' usage event each).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    asset = models.ForeignKey(Asset, on_delete=models.CASCADE, related_name="usages")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              db_index=False)
    source_module = models.CharField(max_length=50, validators=[RegexValidator(SLUG_RE)])
    kind = models.CharField(max_length=10, choices=UsageKind.choices)
    target_url = models.URLField(max_length=2000, blank=True)
    target_title = models.CharField(max_length=300)
    external_ref = models.CharField(max_length=255, null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = AssetUsageQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=UsageKind.values), name="asset_usage_kind_valid"),
            models.UniqueConstraint(
                fields=["asset", "source_module", "external_ref"], condition=Q(external_ref__isnull=False),
                name="asset_usage_ref_unique",
            ),
        ]
        indexes = [models.Index(fields=["asset", "-created_at", "-id"], name="asset_usage_newest")]

    def __str__(self):
        return f"{self.get_kind_display()} in {self.target_title}"

    @property
    def source_module_label(self):
        return module_label(self.source_module)


class JobKind(models.TextChoices):
    DOWNLOAD = "download", "Zip download"
    DELETE = "delete", "Permanent delete"


class JobStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"


def job_result_path(instance, filename):
    return f"exports/{instance.owner_id}/{instance.id}.zip"


class JobQuerySet(models.QuerySet):
    def owned_by(self, user):
        return self.filter(owner_id=user.pk)

    def unfinished(self):
        return self.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])


class Job(models.Model):
    """Long work done by the workers for one owner: a zip export or a permanent delete.

    `asset_ids` is frozen when the job is made, so the job acts on exactly what the user
    chose. `heartbeat_at` moves while a worker makes progress; a running job whose
    heartbeat stops is picked up again (see assets.jobs.jobs_recover_stale).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="asset_jobs")
    kind = models.CharField(max_length=20, choices=JobKind.choices)
    status = models.CharField(max_length=12, choices=JobStatus.choices, default=JobStatus.QUEUED)
    asset_ids = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    result_file = models.FileField(upload_to=job_result_path, max_length=500, blank=True)
    result_size = models.BigIntegerField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    source = models.CharField(max_length=10, default="api", help_text="Where the job was asked for: ui or api.")
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(condition=Q(status__in=JobStatus.values), name="job_status_valid"),
        ]
        indexes = [
            models.Index(fields=["owner", "-created_at"], name="job_owner_newest"),
            models.Index(fields=["status", "heartbeat_at"], name="job_status_heartbeat"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.id} ({self.status})"


class StorageCopy(models.Model):
    """A stored file copied to another backend by `migrate_storage` and verified there
    (its SHA-256 read back equal): what a stopped run has done, so that the next one
    resumes after it."""

    name = models.CharField(max_length=500)
    target = models.CharField(max_length=10, choices=[("s3", "S3 bucket"), ("local", "Local disk")])
    size = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    copied_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["target", "name"], name="storage_copy_unique")]

    def __str__(self):
        return f"{self.name} -> {self.target}"


class FileDeletion(models.Model):
    """A stored file that the database has let go of and that is still to be deleted.

    Written in the same transaction that deletes the row holding the file, removed once
    the file is gone. A crash between the two leaves the record, so the file is never
    lost track of: the next purge or `cleanup_orphans` finishes the job.
    """

    name = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.name


class AssetSearch(models.Model):
    """What keyword search and id-fragment search read, kept beside the asset (PostgreSQL).

    A separate narrow row, so that its GIN indexes (full text, id trigrams) are not
    rewritten whenever the asset row gets a new version (trash, restore, counters), and a
    search reads vectors without reading the wide asset rows. Triggers on Asset, Tag and
    TaggedAsset keep it up to date (see their Meta.triggers); SQLite has none.
    """

    asset = models.OneToOneField(Asset, primary_key=True, on_delete=models.CASCADE, related_name="search")
    # Copies of the asset's owner and creation time (kept equal by the same triggers),
    # so that a search ranks, counts and pages an owner's matches from these rows alone:
    # its GIN index is on (owner, vector), and only the page's rows are read from the assets.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    created_at = models.DateTimeField()
    # The asset's cost too, so that a search within a cost range (`min_cost`, `max_cost`) is
    # counted and paged from these rows, not checked against the assets.
    cost = models.DecimalField(max_digits=12, decimal_places=4, default=0)
    vector = SearchVectorField(null=True)

    class Meta:
        # A search within dates (`date`, `created_after`, `created_before`) reads only the
        # rows of those days when they are fewer than its matches (`q=knight&date=…`: 257
        # of 75,000 matches, 346 → 19 ms at 1M), the GIN index's matches otherwise.
        indexes = [models.Index(fields=["owner", "created_at"], name="asset_search_owner_created")]
        # Each new lexeme joins its owner's (SearchLexeme), from every row written.
        triggers = [
            pgtrigger.Trigger(
                name=f"search_lexemes_of_{name}_rows", when=pgtrigger.After, operation=operation,
                level=pgtrigger.Statement, referencing=pgtrigger.Referencing(new="new_rows"),
                func=sql.SEARCH_LEXEMES_OF_NEW_ROWS,
            )
            for name, operation in (("new", pgtrigger.Insert), ("updated", pgtrigger.Update))
        ]

    def __str__(self):
        return f"search of {self.asset_id}"


class SearchLexeme(models.Model):
    """A lexeme an owner's search rows hold (without its tier mark), as the search rows
    hold it: stemmed or as typed, a model name, a tag, a number (PostgreSQL).

    A search of several words asks the index for the exact lexemes its last word (typed
    as a prefix) begins among this owner's (assets.search.search_queries): a GIN prefix
    match reads every owner's postings of every lexeme it begins, and PostgreSQL
    combines it with the other words' exact ones wrongly once that grows past work_mem
    (matches go missing). A superset is harmless (a lexeme none of the owner's rows
    holds matches nothing), so lexemes are never removed; the column sorts by bytes
    ("C", migration 0026) so that the primary key answers a prefix as a range.
    """

    pk = models.CompositePrimaryKey("owner_id", "lexeme")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    lexeme = models.TextField()

    def __str__(self):
        return self.lexeme


class SearchWord(models.Model):
    """A word an owner's assets hold (title, prompt, description, tags), as typed, for
    spelling correction: a searched word that matches nothing is compared with these
    (trigram similarity, then edit distance: assets.search.corrected_words).

    Written by the same triggers as the search rows (PostgreSQL; SQLite has none), in
    sorted order so that concurrent writers never deadlock. Words are not removed when
    the last asset holding one goes: a correction is only offered when its search finds
    something.
    """

    pk = models.CompositePrimaryKey("owner_id", "word")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    word = models.CharField(max_length=40)
    # A trigram index on word (migration 0015, PostgreSQL only) finds the similar ones.

    def __str__(self):
        return self.word


class TagCount(models.Model):
    """How many of its owner's live assets carry a tag (PostgreSQL): what the tag list and
    its autocomplete read, so that neither counts an owner's links on each request.

    Triggers keep it (assets.sql, "Tag counts"): links added or removed, assets added, to
    the trash and back, or deleted, and tags deleted. No foreign-key constraint: a tag's
    row goes with the tag by trigger.
    """

    tag = models.OneToOneField(
        Tag, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False,
        related_name="+",
    )
    assets = models.IntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["owner", "-assets"], name="tag_count_owner_most")]

    def __str__(self):
        return f"{self.tag_id}: {self.assets}"
