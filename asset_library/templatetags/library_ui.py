"""Template pieces shared by every page: icons, the sidebar, and value formatting."""

from functools import lru_cache

from django import template
from django.template import engines
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from asset_library import display

register = template.Library()


@register.simple_tag
def icon(name, css_class=""):
    """An icon from the inline sprite (templates/includes/icons.svg), hidden from screen readers."""
    return _icon(str(name), str(css_class))


@lru_cache(maxsize=256)
def _icon(name: str, css_class: str):
    # A page of 200 cards draws a thousand icons of a dozen kinds: each is made once.
    return format_html(
        '<svg class="icon{}" aria-hidden="true" focusable="false"><use href="#i-{}"></use></svg>',
        f" {css_class}" if css_class else "",
        name,
    )


@register.inclusion_tag("includes/sidebar.html", takes_context=True)
def sidebar(context):
    """The app's navigation. A page that already read the collections passes them as
    `sidebar_collections`; otherwise they are read here. The library page passes
    `nav_active`, its current entry."""
    request = context["request"]
    collections = context.get("sidebar_collections")
    shared = context.get("sidebar_shared")
    if request.user.is_authenticated:
        from asset_library.library_state import collections_for, shared_collections_for

        if collections is None:
            collections = collections_for(request.user)
        if shared is None:
            shared = shared_collections_for(request.user)
    return {
        "request": request,
        "collections": collections or [],
        "shared": shared or [],
        # The library's view of its URL (library_state.chrome) names its entry; other pages none.
        "current": context.get("nav_active", ""),
        "path": request.path,
    }


# The display rules (asset_library/display.py) that templates use as they are, as filters.
for _rule in ("relative_time", "full_time", "credits", "duration", "dimensions", "size_or_length", "thousands",
              "preview_url", "status_tooltip", "used_marker", "used_title"):
    register.filter(_rule, getattr(display, _rule))


@register.simple_tag
def asset_cards(assets, detail_query=""):
    """The library's cards of `assets` (serialized, with display_title and mine), each
    linking to its page with `detail_query`: drawn by Jinja2 (asset_library.jinja)."""
    return _many("library/cards.html", assets, detail_query)


@register.simple_tag
def asset_rows(assets, detail_query=""):
    """The library table's rows of `assets`, as asset_cards draws its cards."""
    return _many("library/rows.html", assets, detail_query)


def _many(name: str, assets, detail_query: str):
    drawn = engines["jinja2"].get_template(name).render({"assets": assets, "detail_query": detail_query})
    return mark_safe(drawn)  # noqa: S308 - Jinja2 escaped every value


@register.filter
def excerpt(value, length=280):
    return display.excerpt(value, int(length))


@register.filter
def status_icon(status):
    return display.STATUS_ICONS.get(status, "status-pending")


@register.filter
def type_icon(asset_type):
    return display.TYPE_ICONS.get(asset_type, "file")


@register.filter
def waveform(asset_id):
    return display.waveform_bars(str(asset_id))


@register.filter
def short_id(value):
    return str(value)[:8]


@register.filter
def is_auto(tag, asset):
    return tag in (asset.get("auto_tags") or [])


SEARCH_PLACEHOLDERS = {  # by library_state.SEARCH_MODES
    "q": "Search titles, prompts, tags…",
    "id": "Part of an asset ID…",
    "model": "Model name, e.g. ideogram…",
}


@register.simple_tag(takes_context=True)
def search_state(context):
    """Which search the header box shows: keywords (q), an id fragment or a model name."""
    request = context["request"]
    mode, value = "q", ""
    if request.path == reverse("library:library"):
        for name in SEARCH_PLACEHOLDERS:
            if request.GET.get(name):
                mode, value = name, request.GET[name]
                break
    return {"mode": mode, "value": value, "placeholder": SEARCH_PLACEHOLDERS[mode]}


@register.filter
def display_tags(asset, limit=3):
    from asset_library.library_state import display_tags as tags_for_row

    return tags_for_row(asset, int(limit))


@register.filter
def type_label(value):
    return display.type_label(value)


@register.filter
def status_label(value):
    return display.status_label(value)


@register.filter
def display_title(asset):
    return display.display_title(asset)


@register.filter
def plural(count, word):
    """{{ count|plural:"asset" }} → "1,284 assets"."""
    return display.plural(count, word)


@register.filter
def media_kind(asset):
    return display.media_kind(asset)


@register.filter
def placeholder_text(asset):
    return display.PLACEHOLDER_TEXT.get(asset.get("status"), "No preview")
