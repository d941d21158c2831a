"""The library page. It reads through the same selectors as the API and renders the
results server-side: the whole page at first, then `library_results` answers the page's
script with the same partials (cards or rows, pagination, count) for each new URL."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_safe

from analytics import selectors as analytics_selectors
from asset_library import display, library_state
from assets import selectors
from assets.api.serializers import AssetSerializer
from assets.listing import AssetListing
from assets.models import Asset
from assets.modules import KNOWN_MODULES


def _results(request, shared: list[dict] | None = None) -> dict:
    """The results for the filters in the URL: the context of templates/library/_results.html.
    `shared`: the collections shared with the user, when the caller has read them."""
    state = library_state.from_request(request)
    errors: dict[str, list[str]] = dict(state.errors)
    try:
        listing = selectors.asset_listing(owner=request.user, params=state.filter_params)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        listing = AssetListing(Asset.objects.none())
    # As the API lists them: each row brings its tags and collections along (one query).
    listing = listing.with_rows(lambda rows: selectors.with_list_arrays(selectors.with_text_excerpts(rows)))
    page = listing.page_or_nearest(state.page, state.page_size)
    rows = selectors.attach_list_relations(list(page.object_list))
    selectors.hide_unseen_relations(rows, viewer=request.user)
    assets = AssetSerializer(rows, many=True, context={"request": request}).data
    for asset, row in zip(assets, rows, strict=True):
        asset["display_title"] = display.display_title(asset)
        asset["mine"] = row.owner_id == request.user.pk  # only its owner edits or favourites it
    has_filters = state.has_filters
    library_empty = page.count == 0 and not has_filters and not errors
    # Never-used assets (a cleanup): what they cost, for the delete confirmation to say;
    # not for a search with more matches than it counts (summing them all would cost more
    # than the page: the confirmation then says no amount).
    unused_cost = None
    if state.get("used").lower() == "false" and not errors and page.count and page.count_exact:
        unused_cost = display.credits(analytics_selectors.never_used_spend(
            owner=request.user, params=state.filter_params, rows=listing.rows))
    return {
        "assets": assets,
        "page": page,
        "count": page.count,
        # A search with very many matches counts up to a limit ("10,000+ assets"), and one
        # whose words matched nothing may show a close spelling's results instead.
        "count_exact": page.count_exact,
        "corrected_q": listing.corrected_q,
        "searched_q": state.get("q"),
        "state": state,
        "errors": errors,
        "has_filters": has_filters,
        "pagination": library_state.pagination(state, page),
        "column_sort": library_state.column_sort(state),
        "column_next": library_state.column_next_ordering(state),
        "library_empty": library_empty,
        # Each card's link to its page carries the library's query (back to the same list).
        "detail_query": f"?{request.GET.urlencode()}" if request.GET else "",
        # What the script needs of the results to act on them (never to render them).
        "results_data": {"assets": assets, "count": page.count, "count_exact": page.count_exact,
                         "role": library_state.role_here(state, request.user, shared),
                         "collection": state.get("collection") or None,
                         "corrected_q": listing.corrected_q, "page": page.number,
                         "num_pages": page.num_pages, "page_size": state.page_size, "view": state.view,
                         "unused_cost": unused_cost},
    }


@login_required
@ensure_csrf_cookie
def library(request):
    """The library: the first page of the owner's assets for the filters in the URL."""
    shared = library_state.shared_collections_for(request.user)
    context = _results(request, shared)
    state = context["state"]
    collections = library_state.collections_for(request.user)
    config = {
        "modules": [{"slug": slug, "label": label} for slug, label in KNOWN_MODULES.items()],
        "collections": collections,
        "shared_collections": shared,
        "trash_retention_days": settings.TRASH_RETENTION_DAYS,
        "library_url": reverse("library:library"),
        "trash_url": reverse("library:trash"),
        "nav_collections_url": reverse("library:nav-collections"),
        # The list parameters a person sets (the page's URL keeps only these and the display
        # ones), the header box's kinds of search, and the page size a URL need not say.
        "filter_keys": list(library_state.FILTER_KEYS),
        "other_keys": list(library_state.OTHER_KEYS),
        "search_modes": list(library_state.SEARCH_MODES),
        "default_page_size": library_state.DEFAULT_PAGE_SIZE,
        # How often the page asks again about pending/processing assets on screen.
        "refresh_ms": getattr(settings, "LIBRARY_REFRESH_MS", 5000),
    }
    context.update({
        **library_state.chrome(state, collections + shared),
        "sort_options": library_state.SORT_OPTIONS,
        # The usual sizes, and the URL's own when it asks for another (so the select shows it).
        "page_sizes": sorted({*library_state.PAGE_SIZES, state.page_size}),
        "sidebar_collections": collections,
        "sidebar_shared": shared,
        "library_config": config,
    })
    return render(request, "library/library.html", context)


@login_required
@require_safe
def nav_collections(request):
    """The sidebar's list of collections alone, for the library's script after it adds some."""
    context = {"collections": library_state.collections_for(request.user), "current": ""}
    response = render(request, "includes/_nav_collections.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


@login_required
@require_safe
def library_results(request):
    """The library's results alone (same query string as the page), for its script to swap
    in, with what surrounds them (heading, tabs, chips) for that URL."""
    state = library_state.from_request(request)
    # Collection names are only shown for a collection's view.
    shared = library_state.shared_collections_for(request.user) if state.get("collection") else []
    context = _results(request, shared)
    collections = library_state.collections_for(request.user) + shared if state.get("collection") else []
    context.update(library_state.chrome(state, collections), fragment=True)
    response = render(request, "library/_results.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response
