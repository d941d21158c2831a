"""The Jinja2 environment of the templates that draw many assets at once (the library's
cards and table rows): the same filters and icons as the Django templates' (library_ui), in a
template language that renders a page of 200 cards several times faster (measured with
bench/search.py: about 50 ms of the library page's time in Django's).

Those templates are in templates/jinja2/; a Django template draws them with the
`asset_cards` and `asset_rows` tags (library_ui)."""

from functools import lru_cache

from django.urls import reverse
from jinja2 import Environment

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
    # Every filter the Django templates have (library_ui), under the same names.
    env.filters.update(library_ui.register.filters)
    env.globals.update({"icon": library_ui.icon, "asset_url": asset_url})
    return env
