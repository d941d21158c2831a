"""Every write to a Collection (and to what it holds) and to a ShareLink goes through here.

Views, the admin, tasks and the web UI call these functions. The rules they keep:
names are trimmed, 1-200 characters and unique per owner whatever their case; a
collection holds its owner's assets and those its editors added (each adds only their
own), and a chosen cover is one of the owner's assets or one in the collection, outside
the trash; deleting a collection never touches the assets in it. Who may do what is
collections_app.access's to say; a change a member makes goes into the activity.

Teams: names unique on the instance whatever their case; a team always keeps an admin.
Grants: one per user or team and collection, viewer or editor.

Share links show only their owner's assets outside the trash; making one counts a share
for each asset it shows at that moment; a link that has ended (revoked or expired)
never opens again.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Lower
from django.utils import timezone

from analytics.models import UsageEventKind, UsageSource
from analytics.services import usage_event_record
from assets import jobs
from assets.models import Asset, Job, JobKind
from assets.services import asset_record_download, assets_record_shared
from collections_app import access, selectors, share_passwords
from collections_app.models import (
    ActivityVerb,
    Collection,
    CollectionActivity,
    CollectionGrant,
    CollectionItem,
    CollectionRole,
    ShareDownload,
    ShareKind,
    ShareLink,
    ShareLinkItem,
    Team,
    TeamMembership,
    TeamRole,
)
from collections_app.selectors import collection_name_taken
from common.chunks import id_chunks
from common.request_source import RequestSource
from config.api_errors import DomainError, NotFound

MAX_DESCRIPTION_LENGTH = 20_000
INSERT_BATCH_SIZE = 1_000


class _Unset:
    def __repr__(self):
        return "UNSET"


UNSET = _Unset()  # "leave this field as it is" in collection_update


def collection_create(*, owner, name: str, description: str = "", cover_asset_id=None) -> Collection:
    """Create a collection for `owner`. `cover_asset_id`: one of the owner's live assets, or None
    for "the newest asset in the collection"."""
    collection = Collection(owner=owner, name=_clean_name(name), description=description or "")
    collection.cover_asset = _cover_asset(owner, cover_asset_id)
    _validate_and_save(collection)
    return collection


def collection_update(
    *, collection: Collection, name=UNSET, description=UNSET, cover_asset_id=UNSET, actor=None
) -> Collection:
    """Change any of name, description and cover (None resets the cover to the default),
    as `actor` (the owner, or an editor: collections_app.access decides; None: the owner).

    A new name is recorded in the collection's activity. On failure the instance is
    reloaded, so a caller never holds half-applied changes.
    """
    actor = actor or collection.owner
    old_name = collection.name
    try:
        with transaction.atomic():
            if name is not UNSET:
                collection.name = _clean_name(name)
            if description is not UNSET:
                collection.description = description or ""
            if cover_asset_id is not UNSET:
                collection.cover_asset = _cover_asset(collection.owner, cover_asset_id, collection=collection)
            _validate_and_save(collection)
            if collection.name != old_name:
                _record(collection, actor, ActivityVerb.RENAMED, target=collection.name)
    except BaseException:
        collection.refresh_from_db(fields=["name", "description", "cover_asset"])
        raise
    return collection


def collection_delete(*, collection: Collection) -> None:
    """Delete the collection and its memberships; the assets stay where they are."""
    with transaction.atomic():
        collection.delete()


def collection_add_assets(*, collection: Collection, assets: QuerySet, actor=None) -> int:
    """Add `assets` (a queryset, e.g. from resolve_bulk_selection) to the collection, as
    `actor` (its owner, or an editor; None: the owner).

    Only the actor's own assets are ever added. Assets already in the collection are left
    as they are and not counted: the answer is the number of new memberships. All or
    nothing: one transaction, with the collection row locked so that concurrent adds count
    exactly, and the actor's role read again under that lock (with the grants and team
    memberships it rests on locked too): an editor whose grant is revoked meanwhile either
    added before the revocation or is refused after it, never half of each.
    """
    actor = actor or collection.owner
    with transaction.atomic():
        _lock(collection)
        access.require_now(collection, actor, access.ADD_ASSETS)
        already_in = CollectionItem.objects.filter(collection_id=collection.pk, asset_id=OuterRef("pk"))
        new_ids = list(
            dict.fromkeys(
                assets.filter(owner_id=actor.pk)
                .exclude(Exists(already_in))
                .order_by()
                .values_list("pk", flat=True)
            )
        )
        CollectionItem.objects.bulk_create(
            [CollectionItem(collection_id=collection.pk, asset_id=asset_id) for asset_id in new_ids],
            ignore_conflicts=True,
            batch_size=INSERT_BATCH_SIZE,
        )
        if new_ids:
            _touch(collection)
            _record(collection, actor, ActivityVerb.ADDED, assets=len(new_ids))
            if actor.pk != collection.owner_id and not collection.holds_others:
                Collection.objects.filter(pk=collection.pk).update(holds_others=True)
                collection.holds_others = True
    return len(new_ids)


def collection_remove_assets(*, collection: Collection, assets: QuerySet, actor=None) -> int:
    """Take `assets` out of the collection in one DELETE, as `actor` (its owner or an
    editor, who may remove anyone's); returns how many were in it.

    The assets themselves are untouched. An explicitly chosen cover stays chosen even if
    it leaves the collection (a cover may be any of the owner's assets).
    """
    actor = actor or collection.owner
    with transaction.atomic():
        _lock(collection)
        access.require_now(collection, actor, access.REMOVE_ASSETS)
        asset_ids = assets.order_by().values("pk")
        removed, _ = CollectionItem.objects.filter(collection_id=collection.pk, asset_id__in=asset_ids).delete()
        if removed:
            _touch(collection)
            _record(collection, actor, ActivityVerb.REMOVED, assets=removed)
    return removed


def _clean_name(name) -> str:
    return (name or "").strip()


def _cover_asset(owner, cover_asset_id, *, collection: Collection | None = None) -> Asset | None:
    """The chosen cover: one of the owner's assets outside the trash, or (for an existing
    collection) any asset in it outside the trash (an editor's, say)."""
    if cover_asset_id is None:
        return None
    try:
        cover_asset_id = uuid.UUID(str(cover_asset_id))
    except ValueError:
        raise ValidationError({"cover_asset": ["Use an asset id (a UUID)."]}) from None
    allowed = Q(owner_id=owner.pk)
    if collection is not None and collection.pk is not None:
        allowed |= Q(Exists(CollectionItem.objects.filter(collection_id=collection.pk, asset_id=OuterRef("pk"))))
    asset = Asset.objects.alive().filter(allowed, pk=cover_asset_id).first()
    if asset is None:
        raise ValidationError({"cover_asset": ["No such asset in the owner's library or the collection "
                                               "(outside the trash)."]})
    return asset


def _name_taken(collection: Collection) -> bool:
    return collection_name_taken(owner=collection.owner, name=collection.name, exclude_pk=collection.pk)


def name_taken_message(name: str) -> str:
    return f"You already have a collection named '{name}'."


def _name_taken_error(collection: Collection) -> ValidationError:
    return ValidationError({"name": [name_taken_message(collection.name)]})


def _validate_and_save(collection: Collection) -> None:
    if len(collection.description) > MAX_DESCRIPTION_LENGTH:
        raise ValidationError({"description": [f"Use at most {MAX_DESCRIPTION_LENGTH:,} characters."]})
    for field in ("name", "description"):
        if "\x00" in getattr(collection, field):  # PostgreSQL cannot store it
            raise ValidationError({field: ["Null characters are not allowed."]})
    # The unique name rule is checked here, with a message naming the field; the database
    # constraint behind it catches a concurrent request that got in between.
    collection.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        if _name_taken(collection):
            raise _name_taken_error(collection)
        try:
            with transaction.atomic():
                collection.save()
        except IntegrityError:
            if _name_taken(collection):
                raise _name_taken_error(collection) from None
            raise


def _lock(collection: Collection) -> None:
    """Lock the collection row for the rest of the transaction (NotFound if it is gone)."""
    if not Collection.objects.select_for_update().filter(pk=collection.pk).exists():
        raise NotFound("No such collection.")


def _touch(collection: Collection) -> None:
    now = timezone.now()
    Collection.objects.filter(pk=collection.pk).update(updated_at=now)
    collection.updated_at = now


# --- Share links ------------------------------------------------------------------------

MAX_SHARE_DAYS = 365
MAX_SHARE_TITLE_LENGTH = 200
SHARE_DELETE_BATCH = 1_000


class NothingToShare(DomainError):
    """None of the chosen assets can be shared (none of the owner's, outside the trash)."""


def share_link_create_for_asset(*, owner, asset: Asset, source: str = UsageSource.API, **options) -> ShareLink:
    """A link to one of the owner's assets outside the trash. Counts one share for it.

    `options`: see _share_link_create (allow_download, expires_at or expires_in_days,
    password, title; the title defaults to the asset's).
    """
    if asset.owner_id != owner.pk:
        raise NotFound("No such asset.")
    if asset.deleted_at is not None:
        raise NothingToShare("This asset is in the trash: restore it to share it.")
    if options.get("title") is None:
        options["title"] = asset.title
    return _share_link_create(
        owner=owner, kind=ShareKind.ASSET, assets=Asset.objects.filter(pk=asset.pk), source=source, **options
    )


def share_link_create_for_selection(
    *, owner, assets: QuerySet, source: str = UsageSource.API, **options
) -> ShareLink:
    """A link to the owner's live assets among `assets` (e.g. from resolve_bulk_selection),
    frozen now: assets added to the library later are not part of it. Counts one share
    for each. NothingToShare when none of them qualifies."""
    return _share_link_create(owner=owner, kind=ShareKind.SELECTION, assets=assets, source=source, **options)


def share_link_create_for_collection(
    *, owner, collection: Collection, source: str = UsageSource.API, **options
) -> ShareLink:
    """A live link to a collection: it always shows the collection's current assets outside
    the trash. Counts one share for each asset in it now (an empty collection may be
    shared). The title defaults to the collection's name."""
    if collection.owner_id != owner.pk:
        raise NotFound("No such collection.")
    if options.get("title") is None:
        options["title"] = collection.name
    return _share_link_create(owner=owner, kind=ShareKind.COLLECTION, collection=collection, source=source, **options)


def _share_link_create(
    *,
    owner,
    kind: str,
    source: str,
    assets: QuerySet | None = None,
    collection: Collection | None = None,
    allow_download: bool = True,
    expires_at=None,
    expires_in_days: int | None = None,
    password: str | None = None,
    title: str | None = None,
) -> ShareLink:
    now = timezone.now()
    share_link = ShareLink(
        owner=owner,
        kind=kind,
        collection=collection,
        title=_clean_share_title(title),
        allow_download=_boolean(allow_download, "allow_download"),
        expires_at=_share_expiry(expires_at=expires_at, expires_in_days=expires_in_days, now=now),
        password_hash=share_passwords.password_hash_for(password),
        created_at=now,
    )
    share_link.full_clean(validate_unique=False, validate_constraints=False)
    with transaction.atomic():
        if kind == ShareKind.COLLECTION:
            _lock(collection)
            members = CollectionItem.objects.filter(collection_id=collection.pk).values("asset_id")
            asset_ids = _lock_live_assets(owner, Asset.objects.filter(pk__in=members))
        else:
            asset_ids = _lock_live_assets(owner, assets)
            if not asset_ids:
                raise NothingToShare("None of these assets can be shared (yours, outside the trash).")
        share_link.save(force_insert=True)
        if kind != ShareKind.COLLECTION:
            ShareLinkItem.objects.bulk_create(
                [ShareLinkItem(share_link_id=share_link.pk, asset_id=asset_id) for asset_id in asset_ids],
                batch_size=INSERT_BATCH_SIZE,
            )
        assets_record_shared(owner=owner, asset_ids=asset_ids, source=source, share_link_id=share_link.pk)
    return share_link


def _lock_live_assets(owner, assets: QuerySet) -> list:
    """The ids of the owner's live assets among `assets`, locked until the transaction ends.

    Locked so that the frozen items and the share counts cover exactly the same assets
    even if some of them are trashed meanwhile.
    """
    requested = list(dict.fromkeys(assets.order_by().values_list("pk", flat=True)))
    locked = []
    for chunk in id_chunks(requested):
        locked += (
            Asset.objects.owned_by(owner).alive().filter(pk__in=chunk).select_for_update().values_list("pk", flat=True)
        )
    return locked


def _boolean(value, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError({field: ["Use true or false."]})
    return value


def _clean_share_title(title) -> str:
    title = (title or "").strip()
    if len(title) > MAX_SHARE_TITLE_LENGTH:
        title = title[: MAX_SHARE_TITLE_LENGTH - 1].rstrip() + "…"  # defaults come from longer asset titles
    if "\x00" in title:
        raise ValidationError({"title": ["Null characters are not allowed."]})
    return title


def _share_expiry(*, expires_at, expires_in_days, now):
    """When a new link ends: at `expires_at` (in the future), after `expires_in_days` (1-365),
    never both; with neither, after SHARE_LINK_DEFAULT_DAYS (0: never)."""
    if expires_at is not None and expires_in_days is not None:
        raise ValidationError({NON_FIELD_ERRORS: ["Send either expires_at or expires_in_days, not both."]})
    if expires_in_days is not None:
        if isinstance(expires_in_days, bool) or not isinstance(expires_in_days, int) or not (
            1 <= expires_in_days <= MAX_SHARE_DAYS
        ):
            raise ValidationError({"expires_in_days": [f"Use a whole number of days from 1 to {MAX_SHARE_DAYS}."]})
        return now + dt.timedelta(days=expires_in_days)
    if expires_at is not None:
        if not isinstance(expires_at, dt.datetime) or timezone.is_naive(expires_at):
            raise ValidationError({"expires_at": ["Use an ISO 8601 date and time with a time zone."]})
        if expires_at <= now:
            raise ValidationError({"expires_at": ["Use a time in the future."]})
        return expires_at
    default_days = settings.SHARE_LINK_DEFAULT_DAYS
    return now + dt.timedelta(days=default_days) if default_days > 0 else None


def share_link_revoke(*, share_link: ShareLink) -> ShareLink:
    """End the link now. Idempotent: a link that has ended keeps the time it ended."""
    share_links_revoke(queryset=ShareLink.objects.filter(pk=share_link.pk))
    share_link.refresh_from_db(fields=["revoked_at"])
    return share_link


def share_links_revoke(*, queryset: QuerySet) -> int:
    """End every link of `queryset` that still opens (the admin's action). Expired ones keep
    their expiry as the time they ended. Returns how many were open."""
    now = timezone.now()
    with transaction.atomic():
        scope = ShareLink.objects.filter(pk__in=queryset.order_by().values("pk"), revoked_at__isnull=True)
        share_links_expire(now=now, queryset=scope)
        return scope.update(revoked_at=now)


def share_link_record_view(*, share_link: ShareLink) -> None:
    """One view of the public page: the counter (in SQL, no lost updates) and a 'viewed'
    event for the owner (no asset), in one transaction: two cheap statements."""
    with transaction.atomic():
        ShareLink.objects.filter(pk=share_link.pk).update(view_count=F("view_count") + 1)
        usage_event_record(
            asset=None,
            owner=share_link.owner,
            kind=UsageEventKind.VIEWED,
            source=UsageSource.SHARE,
            share_link_id=share_link.pk,
        )


def share_link_record_download(*, share_link: ShareLink, asset: Asset) -> None:
    """One download of a shared asset through the link: counted on the asset, with the link."""
    asset_record_download(asset=asset, source=UsageSource.SHARE, share_link_id=share_link.pk)


def share_link_download_start(*, share_link: ShareLink) -> Job:
    """Start (or join) the "Download all" zip of every asset the link shows now.

    Visitors asking for the same set of assets share one zip while it is being made and
    as long as it lasts; a changed set (a live collection grew) gets a new one. The zip is
    a core download job owned by the link's owner, run by the workers like any other;
    its manifest holds only what the public page shows. Taken under the link's row lock,
    so two visitors at once make one zip.
    """
    ids = selectors.share_link_asset_ids(share_link=share_link)
    if not ids:
        raise DomainError("This link has nothing to download.")
    fingerprint = selectors.share_fingerprint(ids)
    with transaction.atomic():
        ShareLink.objects.select_for_update().filter(pk=share_link.pk).exists()
        job = selectors.share_link_download_reusable(share_link=share_link, fingerprint=fingerprint)
        if job is None:
            job = jobs.job_create(owner=share_link.owner, kind=JobKind.DOWNLOAD, asset_ids=ids,
                                  source=RequestSource.SHARE)
            ShareDownload.objects.create(share_link=share_link, job=job, fingerprint=fingerprint)
    return job


def share_links_expire(*, now=None, queryset: QuerySet | None = None) -> int:
    """Mark links past their expiry as ended at their expiry (revoked_at = expires_at).

    The links stopped opening at expires_at already; this records it, so that the
    sweep of old ended links finds them. Idempotent.
    """
    now = now or timezone.now()
    scope = ShareLink.objects.all() if queryset is None else queryset
    return scope.filter(revoked_at__isnull=True, expires_at__lte=now).update(revoked_at=F("expires_at"))


def share_links_delete_ended(*, before) -> int:
    """Delete links that ended (revoked_at) before `before`, with their items, in batches.

    The assets are untouched; usage events keep the link's id. Returns the links deleted.
    """
    deleted = 0
    while True:
        ids = list(ShareLink.objects.filter(revoked_at__lt=before).values_list("pk", flat=True)[:SHARE_DELETE_BATCH])
        if not ids:
            return deleted
        with transaction.atomic():
            ShareLinkItem.objects.filter(share_link_id__in=ids).delete()
            _, per_model = ShareLink.objects.filter(pk__in=ids).delete()
        deleted += per_model.get(ShareLink._meta.label, 0)


# --- Activity, teams and grants -----------------------------------------------------------

MAX_TEAM_NAME_LENGTH = 100


def _record(collection: Collection, actor, verb: str, *, assets: int = 0, target: str = "") -> None:
    CollectionActivity.objects.create(collection_id=collection.pk, actor=actor, actor_name=actor.get_username(),
                                      verb=verb, assets=assets, target=target[:300])


def _user_named(username, *, field: str):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username, is_active=True).first() if username else None
    if user is None:
        raise ValidationError({field: [f"No user named '{str(username)[:150]}'."]})
    return user


def _clean_team_name(name) -> str:
    name = " ".join(str(name or "").split())
    if not name:
        raise ValidationError({"name": ["Give the team a name."]})
    if len(name) > MAX_TEAM_NAME_LENGTH:
        raise ValidationError({"name": [f"Use at most {MAX_TEAM_NAME_LENGTH} characters."]})
    if "\x00" in name:
        raise ValidationError({"name": ["Null characters are not allowed."]})
    return name


def _save_team(team: Team) -> None:
    """Save under the instance-wide unique name (any case), with a message naming `name`."""
    taken = Team.objects.exclude(pk=team.pk).alias(lower=Lower("name")).filter(lower=team.name.lower())
    if taken.exists():
        raise ValidationError({"name": [f"A team named '{team.name}' exists already."]})
    try:
        with transaction.atomic():
            team.save()
    except IntegrityError:
        raise ValidationError({"name": [f"A team named '{team.name}' exists already."]}) from None


def team_create(*, creator, name: str) -> Team:
    """A new team, with its creator as its first admin."""
    with transaction.atomic():
        team = Team(name=_clean_team_name(name))
        _save_team(team)
        TeamMembership.objects.create(team=team, user=creator, role=TeamRole.ADMIN)
    return team


def team_rename(*, team: Team, name: str) -> Team:
    team.name = _clean_team_name(name)
    try:
        _save_team(team)
    except ValidationError:
        team.refresh_from_db(fields=["name"])
        raise
    return team


def team_delete(*, team: Team) -> None:
    """Delete the team: its memberships and the grants made to it go with it (access they
    gave ends at once)."""
    with transaction.atomic():
        team.delete()


def team_member_set(*, team: Team, username, role: str) -> bool:
    """Add the user named `username` to the team with `role`, or change their role;
    True when they were added. Demoting the last admin is refused (a team keeps one)."""
    if role not in TeamRole.values:
        raise ValidationError({"role": [f"Use one of: {', '.join(TeamRole.values)}."]})
    user = _user_named(username, field="username")
    with transaction.atomic():
        _lock_team(team)
        membership = TeamMembership.objects.filter(team=team, user=user).first()
        if membership is None:
            TeamMembership.objects.create(team=team, user=user, role=role)
            return True
        if membership.role == TeamRole.ADMIN and role != TeamRole.ADMIN and _admins(team) == 1:
            raise ValidationError({"role": ["A team keeps at least one admin: make someone else admin first."]})
        membership.role = role
        membership.save(update_fields=["role"])
    return False


def team_member_remove(*, team: Team, username) -> None:
    """Take the user named `username` out of the team (an admin removing them, or they
    leaving). The last admin cannot go: delete the team instead."""
    with transaction.atomic():
        _lock_team(team)
        membership = TeamMembership.objects.filter(team=team, user__username=username).first()
        if membership is None:
            raise NotFound("No such member in this team.")
        if membership.role == TeamRole.ADMIN and _admins(team) == 1:
            raise ValidationError({"username": ["The last admin cannot leave the team; delete the team instead."]})
        membership.delete()


def _lock_team(team: Team) -> None:
    if not Team.objects.select_for_update().filter(pk=team.pk).exists():
        raise NotFound("No such team.")


def _admins(team: Team) -> int:
    return TeamMembership.objects.filter(team=team, role=TeamRole.ADMIN).count()


def grant_set(*, collection: Collection, actor, grantee_type: str, name, role: str) -> tuple[CollectionGrant, bool]:
    """Share the collection with the user or team named `name`, as `role`; or change the
    role of its existing grant. (grant, True) when it is new.

    A user by username (not the owner); a team by name, one the owner belongs to. Anything
    else is a ValidationError naming `grantee` (or `role`).
    """
    if role not in (CollectionRole.VIEWER, CollectionRole.EDITOR):
        raise ValidationError({"role": ["Use viewer or editor."]})
    target = {}
    if grantee_type == "user":
        user = _user_named(name, field="grantee")
        if user.pk == collection.owner_id:
            raise ValidationError({"grantee": ["You own this collection already."]})
        target = {"user": user}
        label = user.get_username()
    elif grantee_type == "team":
        team = Team.objects.of_member(collection.owner).alias(lower=Lower("name")).filter(
            lower=str(name or "").strip().lower()).first()
        if team is None:
            raise ValidationError({"grantee": [f"No team named '{str(name)[:100]}' that you belong to."]})
        target = {"team": team}
        label = team.name
    else:
        raise ValidationError({"grantee": ["Send a type of user or team."]})
    with transaction.atomic():
        _lock(collection)
        grant = CollectionGrant.objects.filter(collection=collection, **target).first()
        created = grant is None
        if created:
            grant = CollectionGrant.objects.create(collection=collection, role=role, **target)
        elif grant.role != role:
            grant.role = role
            grant.save(update_fields=["role"])
        else:
            return grant, False
        _record(collection, actor, ActivityVerb.GRANTED, target=f"{grantee_type} {label} as {role}")
    return grant, created


def grant_revoke(*, grant: CollectionGrant, actor) -> None:
    """End a grant; those it reached lose access on their next request (an add by an
    editor in flight finishes first, under the collection's lock, or is refused)."""
    collection = grant.collection
    with transaction.atomic():
        _lock(collection)
        label = grant.user.get_username() if grant.user_id else grant.team.name
        grant_type = grant.grantee_type
        deleted, _ = CollectionGrant.objects.filter(pk=grant.pk).delete()
        if deleted:
            _record(collection, actor, ActivityVerb.REVOKED, target=f"{grant_type} {label}")
