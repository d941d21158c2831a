"""Who may do what with a collection, and so with what it holds: the one place that decides.

A user's role on a collection is the highest of: its owner; a grant to them; a grant to a
team they belong to (CollectionRole: viewer < editor < owner). What each role may do:

- viewer: see the collection, its assets (outside the trash), their files and downloads, and
  its activity;
- editor: also add their own assets, remove any asset (never delete it), and edit the
  name, description and cover;
- owner: also grant and revoke, share it by link, and delete it.

Anyone without a role gets a 404 for the collection and everything reached through it; a
role without the right gets a 403. Losing a grant or a team ends access on the next
request: nothing here is cached.
"""

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When

from collections_app.models import Collection, CollectionGrant, CollectionItem, CollectionRole, TeamMembership
from common.lookups import by_id
from config.api_errors import Forbidden, NotFound

VIEW = "view"
EDIT = "edit"  # name, description, cover
ADD_ASSETS = "add_assets"
REMOVE_ASSETS = "remove_assets"
MANAGE_GRANTS = "manage_grants"
SHARE = "share"
DELETE = "delete"

RANK = {CollectionRole.VIEWER: 1, CollectionRole.EDITOR: 2, CollectionRole.OWNER: 3}
NEEDS = {
    VIEW: CollectionRole.VIEWER,
    EDIT: CollectionRole.EDITOR,
    ADD_ASSETS: CollectionRole.EDITOR,
    REMOVE_ASSETS: CollectionRole.EDITOR,
    MANAGE_GRANTS: CollectionRole.OWNER,
    SHARE: CollectionRole.OWNER,
    DELETE: CollectionRole.OWNER,
}
_ROLE_OF_RANK = {rank: role for role, rank in RANK.items()}


def allows(role: str | None, action: str) -> bool:
    return role is not None and RANK[role] >= RANK[NEEDS[action]]


def _grants_reaching(user) -> QuerySet:
    """The grants that reach `user`: to them, or to a team they belong to."""
    teams = TeamMembership.objects.filter(user_id=user.pk).values("team_id")
    return CollectionGrant.objects.filter(Q(user_id=user.pk) | Q(team_id__in=teams))


def shared_with_q(user) -> Q:
    """Collections shared with `user` (by a grant to them or to one of their teams)."""
    return Q(Exists(_grants_reaching(user).filter(collection_id=OuterRef("pk"))))


def accessible_q(user) -> Q:
    """Collections `user` has any role on: their own, and those shared with them."""
    return Q(owner_id=user.pk) | shared_with_q(user)


def with_role(queryset: QuerySet, user) -> QuerySet:
    """Annotate `caller_role` (owner, editor or viewer; null without one), in the query."""
    grants = _grants_reaching(user).filter(collection_id=OuterRef("pk"))
    rank = Case(
        When(owner_id=user.pk, then=Value(RANK[CollectionRole.OWNER])),
        When(Exists(grants.filter(role=CollectionRole.EDITOR)), then=Value(RANK[CollectionRole.EDITOR])),
        When(Exists(grants), then=Value(RANK[CollectionRole.VIEWER])),
        default=Value(0),
        output_field=IntegerField(),
    )
    return queryset.annotate(caller_rank=rank)


def role_of(collection) -> str | None:
    """The role annotated by with_role."""
    return _ROLE_OF_RANK.get(getattr(collection, "caller_rank", 0))


def collection_for(user, collection_id, action: str, *, queryset: QuerySet | None = None) -> Collection:
    """The collection for `user` to do `action` with: NotFound without a role on it,
    Forbidden when their role does not allow `action`. It carries `caller_role`."""
    base = Collection.objects.all() if queryset is None else queryset
    collection = by_id(with_role(base.filter(accessible_q(user)), user), collection_id,
                       missing=lambda: NotFound("No such collection."))
    collection.caller_role = role_of(collection)
    _check(collection.caller_role, action)
    return collection


def require_now(collection: Collection, user, action: str) -> None:
    """Inside the transaction that holds the collection's lock: NotFound or Forbidden
    unless `user` may do `action`, their role read with the grants and team memberships it
    rests on locked until commit (a revocation waits for this change, or this change sees
    it)."""
    if user.pk == collection.owner_id:
        return
    teams = list(TeamMembership.objects.select_for_update().filter(user_id=user.pk).values_list("team_id", flat=True))
    grants = CollectionGrant.objects.select_for_update().filter(
        Q(user_id=user.pk) | Q(team_id__in=teams), collection_id=collection.pk
    )
    _check(_ROLE_OF_RANK.get(max((RANK[grant.role] for grant in grants), default=0)), action)


def _check(role: str | None, action: str) -> None:
    if role is None:
        raise NotFound("No such collection.")
    if not allows(role, action):
        raise Forbidden("Your role on this collection does not allow this.")


def assets_visible_through_collections(user) -> Q:
    """For the core (assets.extensions.register_visibility): assets outside the trash in a
    collection `user` has a role on."""
    collections = Collection.objects.filter(accessible_q(user)).values("pk")
    in_one = CollectionItem.objects.filter(asset_id=OuterRef("pk"), collection_id__in=collections)
    return Q(deleted_at__isnull=True) & Q(Exists(in_one))
