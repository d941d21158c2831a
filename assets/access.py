"""Who may do what with an asset: the one place that decides.

An asset is its owner's: only they edit, favourite, share, trash, restore or delete it.
Others may see it (its page, file, thumbnail, download) where an app above the core says
so through `extensions.register_visibility` (the collections app: assets in a collection
shared with them, outside the trash). Everyone else gets a 404, as if it did not exist;
someone who can see it but asks for an owner's action gets a 403.

Views, selectors, bulk actions, jobs and file URLs ask here; none checks ownership by hand.
"""

from django.db.models import Q, QuerySet

from assets import extensions
from assets.models import Asset
from common.lookups import by_id
from config.api_errors import Forbidden, NotFound

# What anyone who can see an asset may do with it.
VIEW = "view"
DOWNLOAD = "download"
SEEING_ACTIONS = frozenset({VIEW, DOWNLOAD})
# What only its owner may do.
EDIT = "edit"
FAVORITE = "favorite"
SHARE = "share"
TRASH = "trash"
RESTORE = "restore"
DELETE = "delete"
USE = "use"  # report or remove where it is used
OWNER_ACTIONS = frozenset({EDIT, FAVORITE, SHARE, TRASH, RESTORE, DELETE, USE})


def visible_q(user) -> Q:
    """The assets `user` may see: their own (trash included) and what others let them see."""
    return extensions.visible_to(user)


def visible_assets(user) -> QuerySet:
    return Asset.objects.filter(visible_q(user))


def allows(user, asset: Asset, action: str) -> bool:
    """Whether `user`, who can see `asset`, may do `action` with it."""
    if action in SEEING_ACTIONS:
        return True
    if action in OWNER_ACTIONS:
        return asset.owner_id == user.pk
    raise ValueError(f"Unknown action: {action}")


def asset_for(user, asset_id, action: str, *, queryset: QuerySet | None = None) -> Asset:
    """The asset `asset_id` for `user` to do `action` with: NotFound when they cannot see
    it (malformed, unknown, another's), Forbidden when they can but may not do that.

    `queryset` (over assets) adds what the caller needs read with it; its rows are narrowed
    to the visible ones here.
    """
    base = Asset.objects.all() if queryset is None else queryset

    def missing():
        return NotFound("No such asset.")

    # The owner's own first: the common case, by primary key and owner (what others let a
    # user see is a query of several subqueries, to build and to plan: asked only after).
    try:
        return by_id(base.filter(owner_id=user.pk), asset_id, missing=missing)
    except NotFound:
        pass
    seen = by_id(base.filter(visible_q(user)), asset_id, missing=missing)
    if action in OWNER_ACTIONS:
        raise Forbidden("Only the asset's owner may do this.")
    return seen
