"""The library's other pages: one asset, collections, trash, shares, statistics and upload.

Like the library page (asset_library.views) they read through the selectors the API uses,
render their first screen on the server, and leave every change to their JS module, which
talks to /api/v1/. Another owner's asset, like an unknown one, is a 404.
"""

import datetime as dt
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from asset_library import display, library_state, stats_page
from assets import selectors
from assets.api.serializers import AssetSerializer
from assets.file_inspection import ALLOWED_MIME_TYPES
from collections_app import selectors as collection_selectors
from collections_app.access import role_of
from collections_app.api.serializers import CollectionSerializer, TeamSerializer
from collections_app.api.shares import ShareLinkSerializer
from config.api_errors import NotFound

TRASH_PAGE_SIZE = 48
SHARES_PAGE_SIZE = 50
MAX_COLLECTIONS = 500
SHARE_FILTERS = (("", "All"), ("true", "Active"), ("false", "Ended"))
UPLOAD_EXTENSIONS = {
    "image": ".png, .jpg, .webp, .gif",
    "video": ".mp4, .webm, .mov",
    "audio": ".mp3, .wav, .ogg, .m4a",
    "text": ".txt, .md",
}

# Stands for an asset's id in an address template given to a script.
ASSET_ID_PLACEHOLDER = "00000000-0000-0000-0000-000000000000"


def _serialize(request, assets, **kwargs):
    return AssetSerializer(assets, context={"request": request}, **kwargs).data


def _purge_at(deleted_at) -> dt.datetime | None:
    if deleted_at is None:
        return None
    return deleted_at + dt.timedelta(days=settings.TRASH_RETENTION_DAYS)


# ---------- One asset ----------

# The asset page lists this many usages, newest first (the API pages through all of them).
USAGES_SHOWN = 20


@login_required
@ensure_csrf_cookie
@require_safe
def asset_page(request, asset_id):
    """One asset: its preview, every field, its lineage and collections, and the actions.

    The query string is the library's (filters and ordering): previous/next walk that list,
    and "Back to the library" returns to it.
    """
    try:
        asset = selectors.asset_get(owner=request.user, asset_id=asset_id)
    except NotFound:
        raise Http404("No such asset.") from None
    data = _serialize(request, asset)
    state = library_state.from_request(request)
    carried = urlencode(state.params)
    previous = following = None
    filter_error = ""
    mine = asset.owner_id == request.user.pk
    if asset.deleted_at is None and mine:  # another's asset is not in the caller's lists
        try:
            previous, following = selectors.asset_neighbours(
                owner=request.user, asset=asset, params=state.filter_params
            )
        except ValidationError:
            filter_error = "The library filters in this address are not valid, so there is no previous or next."

    parent = None
    if asset.parent_id:
        try:
            parent = _serialize(request, selectors.asset_get(owner=request.user, asset_id=asset.parent_id))
        except NotFound:
            parent = None
    children = _serialize(request, selectors.asset_children(owner=request.user, asset=asset), many=True)
    collections = collection_selectors.collection_list(owner=request.user).filter(pk__in=data["collections"])
    usages = list(selectors.asset_usages(asset=asset)[:USAGES_SHOWN])

    def link(target):
        if target is None:
            return None
        suffix = f"?{carried}" if carried else ""
        return {"href": reverse("library:asset", args=[target.pk]) + suffix, "title": display.display_title(target)}

    metadata = {k: v for k, v in (data["metadata"] or {}).items() if k != "original_filename"}
    config = {
        # The text is on the page already; the script copies it from there.
        "asset": {**data, "text_content": None},
        "untitled": display.untitled(data["type"]),
        "trash_retention_days": settings.TRASH_RETENTION_DAYS,
        "back_url": reverse("library:library") + (f"?{carried}" if carried else ""),
        "trash_url": reverse("library:trash"),
        "tags_url": reverse("library:asset-tags", args=[asset.pk]),
    }
    context = {
        "asset": data,
        "parent": parent,
        "children": children,
        "asset_collections": collections,
        "usages": usages,
        "usages_more": max(0, asset.usage_count - len(usages)),
        "previous": link(previous),
        "next": link(following),
        "filter_error": filter_error,
        "back_url": config["back_url"],
        "filtered": state.has_filters,
        "original_filename": (data["metadata"] or {}).get("original_filename", ""),
        "metadata": metadata,
        "purge_at": _purge_at(asset.deleted_at),
        "page_config": config,
        # Only its owner edits, shares, favourites or deletes it: a member is offered none of it.
        "mine": mine,
        "owner_name": asset.owner.get_username(),
    }
    return render(request, "pages/asset.html", context)


@login_required
@require_safe
def asset_tags_fragment(request, asset_id):
    """An asset's tags as its page shows them, alone, for the page's script after an edit."""
    try:
        asset = selectors.asset_get(owner=request.user, asset_id=asset_id)
    except NotFound:
        raise Http404("No such asset.") from None
    response = render(request, "pages/_asset_tags.html", {"asset": _serialize(request, asset)})
    patch_cache_control(response, private=True, no_cache=True)
    return response


# ---------- Collections ----------


@login_required
@ensure_csrf_cookie
@require_safe
def collections_page(request):
    """Every collection with its cover and count, then those shared with the user (whose,
    and their role); each opens in the library view."""
    shared = collection_selectors.collection_list(owner=request.user, params={"shared": "true"})[:MAX_COLLECTIONS]
    context = {
        **_collections_context(request),
        "shared_collections": CollectionSerializer(shared, many=True, context={"request": request}).data,
    }
    return render(request, "pages/collections.html", context)


@login_required
@require_safe
def collections_fragment(request):
    """The collections page's list and the sidebar's, alone, for the page's script after it
    created, renamed or deleted one."""
    response = render(request, "pages/_collections_fragment.html", _collections_context(request))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _collections_context(request) -> dict:
    queryset = collection_selectors.collection_list(owner=request.user)[:MAX_COLLECTIONS]
    collections = CollectionSerializer(queryset, many=True, context={"request": request}).data
    return {
        "collections": collections,
        "sidebar_collections": [
            {"id": c["id"], "name": c["name"], "asset_count": c["asset_count"]} for c in collections
        ],
        "page_config": {
            "collections": collections,
            "library_url": reverse("library:library"),
            "fragment_url": reverse("library:collections-fragment"),
        },
    }


# ---------- Trash ----------


@login_required
@ensure_csrf_cookie
@require_safe
def trash_page(request):
    """The trash, most recently deleted first, each with the day it will be purged."""
    paginator = Paginator(selectors.asset_trash_list(owner=request.user), TRASH_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    items = []
    for asset, data in zip(page.object_list, _serialize(request, page.object_list, many=True), strict=True):
        items.append({**data, "purge_at": _purge_at(asset.deleted_at)})
    context = {
        "items": items,
        "page": page,
        "count": paginator.count,
        "retention_days": settings.TRASH_RETENTION_DAYS,
        "page_config": {
            "count": paginator.count, "retention_days": settings.TRASH_RETENTION_DAYS,
            "library_url": reverse("library:library"),
        },
    }
    return render(request, "pages/trash.html", context)


# ---------- Shares ----------


@login_required
@ensure_csrf_cookie
@require_safe
def shares_page(request):
    """Every share link: what it shares, its expiry, views, download and password, its state."""
    active = request.GET.get("active", "")
    if active not in dict(SHARE_FILTERS):
        active = ""
    queryset = collection_selectors.share_link_list(owner=request.user, params={"active": active})
    paginator = Paginator(queryset, SHARES_PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    links = ShareLinkSerializer(page.object_list, many=True, context={"request": request}).data
    context = {
        "links": links,
        "page": page,
        "count": paginator.count,
        "active": active,
        "filters": [
            {"value": value, "label": label, "current": value == active,
             "href": f"?active={value}" if value else "?"}
            for value, label in SHARE_FILTERS
        ],
    }
    return render(request, "pages/shares.html", context)


# ---------- Statistics ----------


@login_required
@require_safe
def stats_page_view(request):
    """The dashboard. With `?fragment=1` only the figures (the picker swaps them in)."""
    picker = stats_page.picker_from_query(request.GET)
    stats = None if picker.errors else stats_page.stats_for(owner=request.user, picker=picker)
    if stats is None:  # a bad parameter: say why, over the default figures
        errors = picker.errors
        picker = stats_page.picker_from_query({})
        picker.errors = errors
        stats = stats_page.stats_for(owner=request.user, picker=picker)
    context = {
        "picker": picker,
        "ranges": stats_page.RANGES,
        "periods": stats_page.PERIODS,
        "charts": stats_page.charts(stats, picker),
        "cleanup": stats_page.cleanup(owner=request.user,
                                      days=request.GET.get("cleanup_days", stats_page.CLEANUP_DAYS)),
        "export_url": f"{reverse('api:stats-export')}?{urlencode(picker.api_params())}",
        "api_url": f"{reverse('api:stats')}?{urlencode(picker.api_params())}",
    }
    template = "pages/_stats_figures.html" if request.GET.get("fragment") else "pages/stats.html"
    return render(request, template, context)


@login_required
@require_safe
def stats_cleanup_view(request):
    """The cleanup panel alone, for `?days=N` (the panel's script swaps it in as N changes)."""
    return render(request, "pages/_stats_cleanup.html",
                  {"cleanup": stats_page.cleanup(owner=request.user, days=request.GET.get("days", ""))})


# ---------- Upload ----------


@login_required
@ensure_csrf_cookie
@require_safe
def upload_page(request):
    """Drop or pick files; each uploads on its own (POST /api/v1/assets/) with its progress."""
    mime_types = sorted({mime for mime, _type, _ext in ALLOWED_MIME_TYPES.values()})
    extensions = sorted({f".{ext}" for _mime, _type, ext in ALLOWED_MIME_TYPES.values()} | {".jpeg", ".markdown"})
    limits = {kind: settings.MAX_UPLOAD_SIZE_BY_TYPE.get(kind, settings.MAX_UPLOAD_SIZE) for kind in UPLOAD_EXTENSIONS}
    context = {
        "accept": ",".join([*mime_types, *extensions]),
        "kinds": [
            {"type": kind, "extensions": exts, "limit": display.file_size(limits[kind])}
            for kind, exts in UPLOAD_EXTENSIONS.items()
        ],
        "page_config": {
            "mime_types": mime_types,
            "extensions": extensions,
            "limits": limits,
            "max_size": settings.MAX_UPLOAD_SIZE,
            # An uploaded asset's page: this address with the asset's id for ASSET_ID.
            "asset_url": reverse("library:asset", args=[ASSET_ID_PLACEHOLDER]).replace(
                str(ASSET_ID_PLACEHOLDER), "ASSET_ID"
            ),
        },
    }
    return render(request, "pages/upload.html", context)


@login_required
@ensure_csrf_cookie
@require_safe
def teams_page(request):
    """The user's teams, their members and roles; admins manage them, members may leave."""
    return render(request, "pages/teams.html", _teams_context(request))


@login_required
@require_safe
def teams_fragment(request):
    """The teams page's list alone, for its script after a change."""
    response = render(request, "pages/_team_list.html", _teams_context(request))
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _teams_context(request) -> dict:
    me = request.user.get_username()
    teams = TeamSerializer(collection_selectors.team_list(user=request.user), many=True).data
    for team in teams:
        team["is_admin"] = any(m["username"] == me and m["role"] == "admin" for m in team["members"])
        team["admins"] = sum(1 for m in team["members"] if m["role"] == "admin")
    return {
        "teams": teams,
        "me": me,
        "page_config": {"teams": teams, "me": me, "fragment_url": reverse("library:teams-fragment")},
    }


@login_required
@require_safe
def collection_people_fragment(request, collection_id):
    """Who a collection is shared with (its owner changes the grants; its members see
    them) and its recent activity, for the "People & activity" dialog of the collections
    page and of a collection's view in the library."""
    try:
        collection = collection_selectors.collection_get(owner=request.user, collection_id=collection_id)
    except NotFound:
        raise Http404("No such collection.") from None
    is_owner = role_of(collection) == "owner"
    # Members see who else is in it too (read only); only its owner changes that.
    grants = list(collection_selectors.collection_grants(collection=collection))
    context = {
        "collection": collection,
        "is_owner": is_owner,
        "grants": grants,
        "activity": list(collection_selectors.collection_activity(collection=collection)[:20]),
    }
    response = render(request, "pages/_collection_people.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response
