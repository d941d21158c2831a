"""The Jinja2 environment of the templates that draw many assets at once (the library's
cards): the same display rules and icons as the Django templates' (library_ui), in a
template language that renders a page of 200 cards several times faster (measured with
bench/search.py: about 50 ms of the library page's time in Django's).

Those templates are in templates/jinja2/; a Django template draws them with the
`asset_cards` tag (library_ui)."""

from functools import lru_cache

from django.urls import reverse
from jinja2 import Environment

from asset_library import display
from asset_library.templatetags import library_ui

_SAMPLE_ID = "00000000-0000-0000-0000-000000000000"


@lru_cache(maxsize=1)
def _asset_url_pattern() -> str:
    return reverse("library:asset", args=[_SAMPLE_ID])


def asset_url(asset_id) -> str:
    """An asset's page (the URL `library:asset` reverses to, made once)."""
    return _asset_url_pattern().replace(_SAMPLE_ID, str(asset_id))


def environment(**options) -> Environment:
    # Every value escaped, whatever the settings say (as Django's templates do).
    options.pop("autoescape", None)
    env = Environment(autoescape=True, **options)
    env.filters.update({
        **{name: getattr(display, name) for name in library_ui.DISPLAY_RULES},
        "excerpt": library_ui.excerpt,
        "status_icon": library_ui.status_icon,
        "type_icon": library_ui.type_icon,
        "waveform": library_ui.waveform,
        "media_kind": library_ui.media_kind,
        "placeholder_text": library_ui.placeholder_text,
        "display_tags": library_ui.display_tags,
        "short_id": library_ui.short_id,
        "type_label": library_ui.type_label,
        "status_label": library_ui.status_label,
    })
    env.globals.update({"icon": library_ui.icon, "asset_url": asset_url})
    return env
