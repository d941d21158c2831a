"""Every read of collections on behalf of a user goes through here."""

import hashlib
import uuid
from dataclasses import dataclass

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    UUIDField,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, Substr
from django.utils import timezone

from assets import jobs
from assets.extensions import ListRelation, ListScope
from assets.models import Asset, AssetType, Job, JobStatus
from collections_app import access, sql
from collections_app.models import (
    ActivityVerb,
    Collection,
    CollectionActivity,
    CollectionGrant,
    CollectionItem,
    CollectionTally,
    ShareDownload,
    ShareKind,
    ShareLink,
    ShareLinkItem,
    Team,
    TeamMembership,
    TeamRole,
)
from common.lookups import by_id
from config.api_errors import Forbidden, NotFound

ORDERINGS = {
    "name": (Lower("name").asc(), "id"),
    "-name": (Lower("name").desc(), "-id"),
    "created_at": ("created_at", "id"),
    "-created_at": ("-created_at", "-id"),
    "updated_at": ("updated_at", "id"),
    "-updated_at": ("-updated_at", "-id"),
}
DEFAULT_ORDERING = "name"
MAX_QUERY_LENGTH = 200

# What the cover can show: its thumbnail, else (images) the file itself, else nothing.
COVER_PREVIEW_THUMBNAIL = "thumbnail"
COVER_PREVIEW_FILE = "file"


def with_asset_count(queryset: QuerySet) -> QuerySet:
    """Annotate `asset_count`: the collection's assets outside the trash.

    A correlated subquery rather than a JOIN + GROUP BY, so that the list's COUNT and
    ORDER BY stay on the collection table and the number of queries does not grow with
    the number of collections. On PostgreSQL it reads the collection's tally (kept by
    triggers: collections_app.sql), not its memberships.
    """
    if sql.keeps_copies():  # PostgreSQL: the tally the triggers keep, one row
        tally = CollectionTally.objects.filter(collection_id=OuterRef("pk")).values("live_assets")[:1]
        return queryset.annotate(asset_count=Coalesce(Subquery(tally, output_field=IntegerField()), 0))
    count = _live_items().order_by().values("collection").annotate(n=Count("pk")).values("n")
    return queryset.annotate(asset_count=Coalesce(Subquery(count, output_field=IntegerField()), 0))


def _live_items() -> QuerySet:
    """The memberships of the outer collection whose asset is outside the trash: by the
    rows' own copy on PostgreSQL (one range of collection_item_live_newest), else through
    the assets."""
    if sql.keeps_copies():
        return CollectionItem.objects.filter(collection=OuterRef("pk"), asset_alive=True)
    return CollectionItem.objects.filter(collection=OuterRef("pk"), asset__deleted_at__isnull=True)


def with_summary(queryset: QuerySet) -> QuerySet:
    """Annotate what the API shows of a collection besides its own columns.

    `asset_count` (see with_asset_count); `effective_cover_id`: the chosen cover while it
    is outside the trash, else the newest live asset in the collection; `cover_preview`:
    which picture of that cover exists ("thumbnail", "file" or ""). All computed by the
    database in the one query that reads the collections.
    """
    newest = ("-asset_created_at", "-asset_id") if sql.keeps_copies() else ("-asset__created_at", "-asset_id")
    newest_live = _live_items().order_by(*newest).values("asset_id")[:1]
    chosen_is_live = Exists(Asset.objects.filter(pk=OuterRef("cover_asset_id"), deleted_at__isnull=True))
    preview = (
        Asset.objects.filter(pk=OuterRef("effective_cover_id"))
        .annotate(
            preview=Case(
                When(~Q(thumbnail=""), then=Value(COVER_PREVIEW_THUMBNAIL)),
                When(Q(type=AssetType.IMAGE) & ~Q(file=""), then=Value(COVER_PREVIEW_FILE)),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .values("preview")[:1]
    )
    return (
        with_asset_count(queryset)
        .annotate(
            effective_cover_id=Case(
                When(chosen_is_live, then=F("cover_asset_id")),
                default=Subquery(newest_live),
                output_field=UUIDField(),
            )
        )
        .annotate(cover_preview=Coalesce(Subquery(preview, output_field=CharField()), Value("")))
    )


def collection_list(*, owner, params=None) -> QuerySet:
    """The caller's collections with their summary, their owner and the caller's role,
    ordered as asked (by name by default).

    `params`: `shared` (true: only the collections others shared with the caller, directly
    or through a team; false or absent: the caller's own), `ordering` (one of ORDERINGS)
    and `q` (part of the name, any case). A bad value is a ValidationError naming the
    parameter.
    """
    params = params or {}
    ordering = params.get("ordering") or DEFAULT_ORDERING
    if ordering not in ORDERINGS:
        raise ValidationError({"ordering": [f"'{ordering}' is not one of: {', '.join(ORDERINGS)}."]})
    if _boolean_param(params, "shared"):
        queryset = Collection.objects.filter(access.shared_with_q(owner)).exclude(owner_id=owner.pk)
    else:
        queryset = Collection.objects.owned_by(owner)
    queryset = access.with_role(queryset.select_related("owner"), owner)
    query = (params.get("q") or "").strip()
    if len(query) > MAX_QUERY_LENGTH:
        raise ValidationError({"q": [f"Use at most {MAX_QUERY_LENGTH} characters."]})
    if "\x00" in query:
        raise ValidationError({"q": ["Null characters are not allowed."]})
    if query:
        queryset = queryset.filter(name__icontains=query)
    return with_summary(queryset).order_by(*ORDERINGS[ordering])


def collection_name_taken(*, owner, name: str, exclude_pk=None) -> bool:
    """Whether another of the owner's collections has this name, compared the way the
    database's unique constraint compares it (Lower on both sides, in SQL)."""
    return (
        Collection.objects.owned_by(owner)
        .exclude(pk=exclude_pk)
        .alias(lower_name=Lower("name"))
        .filter(lower_name=Lower(Value(name)))
        .exists()
    )


def collection_get(*, owner, collection_id, action: str = access.VIEW) -> Collection:
    """A collection the caller (`owner`) has a role on, with its summary, its owner and the
    caller's role, for `action` (collections_app.access: NotFound without a role,
    Forbidden when the role does not allow it)."""
    return access.collection_for(owner, collection_id, action,
                                 queryset=with_summary(Collection.objects.select_related("owner")))


def collection_activity(*, collection: Collection) -> QuerySet:
    """The collection's activity, newest first."""
    return CollectionActivity.objects.filter(collection_id=collection.pk).order_by("-created_at", "-id")


def collection_grants(*, collection: Collection) -> QuerySet:
    return (CollectionGrant.objects.filter(collection_id=collection.pk).select_related("user", "team")
            .order_by("created_at", "id"))


def collection_grant_get(*, collection: Collection, grant_id) -> CollectionGrant:
    return by_id(collection_grants(collection=collection), grant_id, missing=lambda: NotFound("No such grant."))


# --- Teams ----------------------------------------------------------------------------------


def team_list(*, user) -> QuerySet:
    """The teams `user` belongs to (no one sees another team), by name, members prefetched."""
    members = TeamMembership.objects.select_related("user").order_by("user__username")
    return (Team.objects.of_member(user).prefetch_related(Prefetch("memberships", queryset=members))
            .order_by(Lower("name"), "id"))


def team_get(*, user, team_id, admin: bool = False) -> Team:
    """One of `user`'s teams (NotFound otherwise); with `admin`, Forbidden unless they
    are one of its admins."""
    team = by_id(team_list(user=user), team_id, missing=lambda: NotFound("No such team."))
    if admin and not any(m.user_id == user.pk and m.role == TeamRole.ADMIN for m in team.memberships.all()):
        raise Forbidden("Only the team's admins may do this.")
    return team


# --- Share links ------------------------------------------------------------------------

SHARE_TOKEN_MAX_LENGTH = 64
TEXT_SNIPPET_LENGTH = 600
_TRUE, _FALSE = ("true", "1"), ("false", "0")


def with_share_asset_count(queryset: QuerySet) -> QuerySet:
    """Annotate `asset_count`: how many assets the link shows now (outside the trash).

    A correlated subquery per row, chosen by kind: the frozen items of an asset or
    selection link, the collection's current members for a collection link. The list
    stays one query whatever the number of links.
    """
    frozen = (
        ShareLinkItem.objects.filter(share_link=OuterRef("pk"), asset__deleted_at__isnull=True)
        .order_by()
        .values("share_link")
        .annotate(n=Count("pk"))
        .values("n")
    )
    live = (
        CollectionItem.objects.filter(collection=OuterRef("collection_id"), asset__deleted_at__isnull=True)
        .order_by()
        .values("collection")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        asset_count=Case(
            When(kind=ShareKind.COLLECTION, then=Coalesce(Subquery(live, output_field=IntegerField()), 0)),
            default=Coalesce(Subquery(frozen, output_field=IntegerField()), 0),
            output_field=IntegerField(),
        )
    )


def _boolean_param(params, name: str) -> bool | None:
    raw = (params.get(name) or "").strip().lower()
    if raw == "":
        return None
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise ValidationError({name: ["Use true or false."]})


def share_link_list(*, owner, params=None) -> QuerySet:
    """The owner's share links, newest first, with `asset_count`.

    `params`: `kind` (asset, selection or collection) and `active` (true: links that still
    open; false: revoked or expired ones). A bad value is a ValidationError naming it.
    """
    params = params or {}
    queryset = ShareLink.objects.owned_by(owner)
    kind = (params.get("kind") or "").strip()
    if kind:
        if kind not in ShareKind.values:
            raise ValidationError({"kind": [f"'{kind[:50]}' is not one of: {', '.join(ShareKind.values)}."]})
        queryset = queryset.filter(kind=kind)
    active = _boolean_param(params, "active")
    if active is not None:
        now = timezone.now()
        queryset = queryset.active(now) if active else queryset.ended(now)
    return with_share_asset_count(queryset).newest_first()


def share_link_get(*, owner, share_link_id) -> ShareLink:
    """One of the owner's links (ended ones too), with `asset_count`; anything else is NotFound."""
    return by_id(with_share_asset_count(ShareLink.objects.owned_by(owner)), share_link_id,
                 missing=lambda: NotFound("No such share link."))


def share_link_get_public(*, token: str) -> ShareLink | None:
    """The link behind a public token, or None when it is unknown, revoked or expired, or
    its owner's account is deactivated.

    Everything the public pages do starts here, so an ended link opens nothing. The owner
    comes along (one join) for the page's 'viewed' event; the page never shows it.
    """
    if not token or len(token) > SHARE_TOKEN_MAX_LENGTH:
        return None
    return ShareLink.objects.active().select_related("owner").filter(token=token, owner__is_active=True).first()


def _shared_assets(share_link: ShareLink) -> QuerySet:
    """Exactly what the link shows: its owner's assets outside the trash that it holds."""
    if share_link.kind == ShareKind.COLLECTION:
        members = CollectionItem.objects.filter(collection_id=share_link.collection_id, asset_id=OuterRef("pk"))
    else:
        members = ShareLinkItem.objects.filter(share_link_id=share_link.pk, asset_id=OuterRef("pk"))
    return Asset.objects.filter(owner_id=share_link.owner_id).alive().filter(Exists(members))


def share_link_page_assets(*, share_link: ShareLink) -> QuerySet:
    """The shared assets for the public page, newest first, reading only what a card shows.

    A text asset's text is cut to `text_snippet` by the database, so a long text is
    never read in full to show its first lines.
    """
    return (
        _shared_assets(share_link)
        .only(
            "id", "owner_id", "type", "status", "title", "file", "thumbnail", "mime_type",
            "width", "height", "duration_seconds", "created_at",
        )
        .annotate(text_snippet=Substr("text_content", 1, TEXT_SNIPPET_LENGTH))
        .newest_first()
    )


def share_link_asset(*, share_link: ShareLink, asset_id) -> Asset | None:
    """One asset the link shows (for its file, thumbnail or download), or None."""
    try:
        asset_id = uuid.UUID(str(asset_id))
    except ValueError:
        return None
    return _shared_assets(share_link).filter(pk=asset_id).first()


@dataclass(frozen=True)
class Neighbours:
    """Where one shared asset sits in the link's newest-first order, for the viewer."""

    newer: uuid.UUID | None
    older: uuid.UUID | None
    position: int  # 1-based
    count: int


def share_link_neighbours(*, share_link: ShareLink, asset: Asset) -> Neighbours:
    """The assets before and after `asset` on the public page, its position and the total.

    Four index reads along (created_at, id), the page's order, whatever the link's size.
    """
    shared = _shared_assets(share_link)
    newer_q = Q(created_at__gt=asset.created_at) | Q(created_at=asset.created_at, id__gt=asset.pk)
    older_q = Q(created_at__lt=asset.created_at) | Q(created_at=asset.created_at, id__lt=asset.pk)
    newer = shared.filter(newer_q).order_by("created_at", "id").values_list("pk", flat=True).first()
    older = shared.filter(older_q).newest_first().values_list("pk", flat=True).first()
    return Neighbours(newer=newer, older=older, position=shared.filter(newer_q).count() + 1, count=shared.count())


def share_link_asset_ids(*, share_link: ShareLink) -> list[str]:
    """The ids of every asset the link shows now, newest first (the page's order)."""
    return [str(pk) for pk in _shared_assets(share_link).newest_first().values_list("pk", flat=True)]


def share_fingerprint(asset_ids) -> str:
    """A name for a set of assets: the same ids in any order give the same fingerprint."""
    return hashlib.sha256(",".join(sorted(str(pk) for pk in asset_ids)).encode()).hexdigest()


def share_link_download_reusable(*, share_link: ShareLink, fingerprint: str) -> Job | None:
    """A zip of exactly these assets that is being made or still ready to serve, if any."""
    latest = (
        ShareDownload.objects.filter(share_link=share_link, fingerprint=fingerprint)
        .select_related("job").order_by("-created_at").first()
    )
    if latest is None:
        return None
    job = latest.job
    if job.status in (JobStatus.QUEUED, JobStatus.RUNNING) or jobs.job_download_ready(job):
        return job
    return None


def share_link_download_get(*, share_link: ShareLink, job_id) -> Job | None:
    """A "Download all" zip of this link, or None (another link's, unknown or malformed)."""
    try:
        job_id = uuid.UUID(str(job_id))
    except ValueError:
        return None
    found = ShareDownload.objects.filter(share_link=share_link, job_id=job_id).select_related("job").first()
    return found.job if found else None


def share_link_download_current(*, share_link: ShareLink, job: Job) -> bool:
    """Whether the link still shows every asset in the zip. One made before an asset was
    trashed, removed from the collection or otherwise unshared is never served."""
    return set(job.asset_ids) <= set(share_link_asset_ids(share_link=share_link))


# What the core's asset lists take from collections (registered in CollectionsConfig.ready).


def _items_prefetch():
    return Prefetch(
        "collection_items", queryset=CollectionItem.objects.only("id", "asset_id", "collection_id").order_by("pk")
    )


def _item_collection_ids(asset) -> list:
    return [item.collection_id for item in asset.collection_items.all()]


def _collection_id_rows(asset_ids):
    return CollectionItem.objects.filter(asset_id__in=asset_ids).order_by("pk").values_list("asset_id", "collection_id")


def _collection_id_array(outer_ref):
    return ArraySubquery(CollectionItem.objects.filter(asset=outer_ref).order_by("pk").values("collection_id"))


def _seen_collections(user, collection_ids) -> set:
    """Which of these collections `user` has a role on (all they may see of another's asset)."""
    return set(Collection.objects.filter(access.accessible_q(user), pk__in=collection_ids)
               .values_list("pk", flat=True))


ASSET_COLLECTIONS = ListRelation(
    prefetch=_items_prefetch, values=_item_collection_ids, rows=_collection_id_rows, array=_collection_id_array,
    seen=_seen_collections,
)


def _tally(collection_id) -> int:
    tally = CollectionTally.objects.filter(collection_id=collection_id)
    return tally.values_list("live_assets", flat=True).first() or 0


def collection_assets_scope(*, user, value) -> ListScope | None:
    """The asset list's `collection` parameter (assets.extensions' list scope): the assets
    in that collection, whoever owns them (its owner's, and those its editors added), for
    a user with a role on it: their own, trash included, and the others' outside the trash
    (trashing an asset takes it out of every shared view at once). Nothing for a
    collection they have no role on; None (the owner's library, filtered by the
    collection) for the owner of one that holds only their assets."""
    found = Collection.objects.filter(access.accessible_q(user), pk=value).values("owner_id", "holds_others").first()
    if found is None:
        return ListScope(Asset.objects.none())
    if found["owner_id"] == user.pk and not found["holds_others"]:
        return None  # only its owner's assets: their library's own paths, with the `collection` filter
    in_it = CollectionItem.objects.filter(collection_id=value, asset_id=OuterRef("pk"))
    assets = Asset.objects.filter(Exists(in_it)).filter(Q(owner_id=user.pk) | Q(deleted_at__isnull=True))
    if not sql.keeps_copies():
        return ListScope(assets)
    live = CollectionItem.objects.filter(collection_id=value, asset_alive=True)  # collection_item_live_newest

    def live_of(types=None, statuses=None):  # within a type or status: collection_item_live_type, _status
        narrowed = live.filter(asset_type__in=types) if types else live
        return narrowed.filter(asset_status__in=statuses) if statuses else narrowed

    def newest(**terms):
        return live_of(**terms).order_by("-asset_created_at", "-asset_id")

    def owner_ids():
        # Only the owner and editors add assets, each their own, and every add is in the
        # activity (collections_app.services.collection_add_assets).
        if not found["holds_others"]:
            return [found["owner_id"]]
        adders = CollectionActivity.objects.filter(collection_id=value, verb=ActivityVerb.ADDED,
                                                   actor__isnull=False).values_list("actor_id", flat=True)
        return sorted({found["owner_id"], *adders})

    return ListScope(
        assets,
        live_count=lambda **terms: live_of(**terms).count() if any(terms.values()) else _tally(value),
        newest_live_ids=lambda offset, limit, **terms: list(
            newest(**terms).values_list("asset_id", flat=True)[offset:offset + limit]
        ),
        narrows_by=frozenset({"type", "status"}),
        live_window=lambda **terms: newest(**terms).values_list("asset_id", "asset_created_at"),
        live_members=lambda **terms: live_of(**terms).values("asset_id"),
        owner_ids=owner_ids,
    )


def collection_list_term(*, owner, value):
    """The asset list's `collection` parameter: assets in that collection. Another owner's
    collection selects nothing, even if it held assets of this one."""
    items = CollectionItem.objects.filter(collection_id=value, asset=OuterRef("pk"))
    if owner is not None:
        items = items.filter(collection__owner_id=owner.pk)
    return Exists(items)
