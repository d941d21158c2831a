"""Pages of the web UI. They read through the same selectors as the API and render the
first screen server-side; each page's JS module then talks to /api/v1/."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.views.decorators.csrf import ensure_csrf_cookie

from asset_library import library_state
from assets import selectors
from assets.api.serializers import AssetSerializer
from assets.models import Asset
from assets.modules import KNOWN_MODULES


@login_required
@ensure_csrf_cookie
def library(request):
    """The library: the first page of the owner's assets for the filters in the URL."""
    state = library_state.from_request(request)
    errors: dict[str, list[str]] = dict(state.errors)
    try:
        queryset = selectors.asset_list(owner=request.user, params=state.filter_params)
    except ValidationError as exc:
        errors.update(exc.message_dict)
        queryset = Asset.objects.none()
    queryset = selectors.with_text_excerpts(selectors.with_list_relations(queryset))
    paginator = selectors.AssetPaginator(queryset, state.page_size)
    page = paginator.get_page(state.page)
    assets = AssetSerializer(page.object_list, many=True, context={"request": request}).data
    collections = library_state.collections_for(request.user)
    has_filters = state.has_filters
    config = {
        "assets": assets,
        "count": paginator.count,
        "page": page.number,
        "num_pages": paginator.num_pages,
        "page_size": state.page_size,
        "view": state.view,
        "errors": errors,
        "modules": [{"slug": slug, "label": label} for slug, label in KNOWN_MODULES.items()],
        "collections": collections,
        "trash_retention_days": settings.TRASH_RETENTION_DAYS,
        # How often the page asks again about pending/processing assets on screen.
        "refresh_ms": getattr(settings, "LIBRARY_REFRESH_MS", 5000),
        "library_empty": paginator.count == 0 and not has_filters and not errors,
    }
    context = {
        "assets": assets,
        "page": page,
        "count": paginator.count,
        "state": state,
        "errors": errors,
        "has_filters": has_filters,
        "heading": library_state.heading(state, collections),
        "chips": library_state.filter_chips(state, collections),
        "type_tabs": library_state.type_tabs(state),
        "sort_options": library_state.SORT_OPTIONS,
        "page_sizes": library_state.PAGE_SIZES,
        "pagination": library_state.pagination(state, page),
        "column_sort": library_state.column_sort(state),
        "sidebar_collections": collections,
        "library_config": config,
        "library_empty": config["library_empty"],
    }
    return render(request, "library/library.html", context)
