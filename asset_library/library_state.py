"""What the library page shows, read from its query string.

The URL holds the whole state (filters, search, sort, page, page size and view) so that
a link reproduces what the user saw. The list parameters mean exactly what they mean to
`GET /api/v1/assets/` (assets.filters); this module only adds the page's own `view`,
tolerant paging, and everything the page says about that state: its heading, tabs,
sidebar entry, filter chips and the links that change them. The server renders them
for every URL (the page, and `library:results` for the page's script), so library.js
holds none of these rules.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from assets.models import AssetStatus
from assets.modules import module_label
from common.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

VIEW_MODES = ("grid", "list")
VIEW_COOKIE = "library_view"
PAGE_SIZES = (24, 48, 96, 200)
# The list parameters a person can set from the page (in_trash belongs to the trash page).
FILTER_KEYS = (
    "q", "id", "model", "type", "status", "source_module", "tags", "favorites", "used", "collection",
    "date", "created_after", "created_before", "min_cost", "max_cost",
)
OTHER_KEYS = ("tz", "ordering", "page", "page_size", "view")
# The header search box's kinds of search, each a list parameter.
SEARCH_MODES = ("q", "id", "model")
SORT_OPTIONS = (
    ("", "Newest first"),
    ("created_at", "Oldest first"),
    ("title", "Title A–Z"),
    ("-title", "Title Z–A"),
    ("-cost", "Highest cost"),
    ("cost", "Lowest cost"),
    ("-download_count", "Most downloaded"),
    ("-file_size", "Largest files"),
    ("file_size", "Smallest files"),
)
TYPE_TABS = (
    ("all", "All", "library"),
    ("image", "Images", "image"),
    ("video", "Videos", "video"),
    ("audio", "Audio", "audio"),
    ("text", "Text", "text"),
    ("favorites", "Favorites", "star"),
)
TYPE_HEADINGS = {"image": "Images", "video": "Videos", "audio": "Audio", "text": "Text"}


@dataclass
class LibraryState:
    params: dict[str, str]
    view: str = "grid"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def filter_params(self) -> dict[str, str]:
        return {k: v for k, v in self.params.items() if k not in ("page", "page_size", "view")}

    @property
    def has_filters(self) -> bool:
        return any(self.params.get(key) for key in FILTER_KEYS)

    @property
    def query(self) -> str:
        """The page's query string as read (without the leading '?')."""
        return urlencode(self.params)

    def get(self, key, default=""):
        return self.params.get(key, default)

    def values(self, key) -> list[str]:
        return [part.strip() for part in self.get(key).split(",") if part.strip()]


def from_request(request) -> LibraryState:
    params = {}
    for key in (*FILTER_KEYS, *OTHER_KEYS):
        value = request.GET.get(key, "").strip()
        if value:
            params[key] = value
    view = params.get("view") or request.COOKIES.get(VIEW_COOKIE, "")
    state = LibraryState(params=params, view=view if view in VIEW_MODES else "grid")
    state.page = _int(params.get("page"), 1, 1, 10**9)
    state.page_size = _int(params.get("page_size"), DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return state


def _int(raw, default, low, high) -> int:
    try:
        return min(max(int(raw), low), high)
    except (TypeError, ValueError):
        return default


def query_with(state: LibraryState, **changes) -> str:
    """The page's query string with some parameters changed (None removes one)."""
    params = dict(state.params)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return "?" + urlencode(params) if params else "?"


def collections_for(user) -> list[dict]:
    from collections_app.selectors import collection_list

    return [
        {"id": str(c.pk), "name": c.name, "asset_count": c.asset_count}
        for c in collection_list(owner=user)[:200]
    ]


def shared_collections_for(user) -> list[dict]:
    """The collections others shared with `user` (the sidebar's "Shared with me"), with
    their owner's name and the user's role."""
    from collections_app.access import role_of
    from collections_app.selectors import collection_list

    return [
        {"id": str(c.pk), "name": c.name, "asset_count": c.asset_count, "owner": c.owner.get_username(),
         "role": role_of(c)}
        for c in collection_list(owner=user, params={"shared": "true"})[:200]
    ]


def role_here(state: LibraryState, user, shared: list[dict] | None = None) -> str:
    """The user's role on what the page shows: `owner` for their library (and their own
    collections), else their role on the shared collection in the URL (the page offers
    only what it allows). `shared`: shared_collections_for(user), if read already."""
    value = state.get("collection")
    if not value:
        return "owner"
    for collection in shared if shared is not None else shared_collections_for(user):
        if collection["id"] == value:
            return collection["role"]
    return "owner"


def _favorites(state: LibraryState) -> bool:
    return state.get("favorites").lower() in ("true", "1", "yes")


def heading_collection(state: LibraryState, collections) -> dict | None:
    """The collection the page shows, if any, with its owner and the user's role (the
    heading's "Shared by … · you are …" and its People & activity button)."""
    value = state.get("collection")
    for collection in collections if value else []:
        if collection["id"] == value:
            return {"role": "owner", **collection}
    return None


def heading(state: LibraryState, collections) -> str:
    if _favorites(state):
        return "Favorites"
    if state.get("collection"):
        shown = heading_collection(state, collections)
        return shown["name"] if shown else "Collection"
    types = state.values("type")
    if len(types) == 1 and types[0] in TYPE_HEADINGS:
        return TYPE_HEADINGS[types[0]]
    return "All assets"


def active_tab(state: LibraryState) -> str:
    if _favorites(state):
        return "favorites"
    types = state.values("type")
    return types[0] if len(types) == 1 else ("all" if not types else "")


def active_nav(params) -> str:
    """The sidebar entry of the library view these parameters show ('' for none of them)."""
    if (params.get("favorites") or "").lower() in ("true", "1", "yes"):
        return "favorites"
    if params.get("collection"):
        return f"collection:{params.get('collection')}"
    kind = params.get("type") or ""
    if kind in TYPE_HEADINGS:
        return kind
    return "" if kind else "all"


def type_tabs(state: LibraryState) -> list[dict]:
    current = active_tab(state)
    tabs = []
    for key, label, icon in TYPE_TABS:
        changes = {"type": None, "favorites": None, "page": None}
        if key == "favorites":
            changes["favorites"] = "true"
        elif key != "all":
            changes["type"] = key
        tabs.append({"key": key, "label": label, "icon": icon, "active": key == current,
                     "href": query_with(state, **changes)})
    return tabs


def format_day(day: dt.date, *, year=True) -> str:
    text = f"{day:%b} {day.day}"
    return f"{text}, {day.year}" if year else text


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if len(value) == 10 else None
    except ValueError:
        return None


def date_label(state: LibraryState) -> str:
    day = state.get("date")
    if day:
        parsed = _day(day)
        return format_day(parsed) if parsed else day
    after, before = state.get("created_after"), state.get("created_before")
    after_day, before_day = _day(after), _day(before)
    last_day = before_day - dt.timedelta(days=1) if before_day else None
    if after and before:
        if after_day and last_day:
            if after_day == last_day:
                return format_day(after_day)
            return f"{format_day(after_day, year=after_day.year != last_day.year)} – {format_day(last_day)}"
        return f"{after} – {before}"
    if after:
        return f"Since {format_day(after_day) if after_day else after}"
    if before:
        return f"Until {format_day(last_day) if last_day else before}"
    return ""


# The parameters each chip sets, and so clears.
CHIP_PARAMETERS = {
    "status": ("status",),
    "source_module": ("source_module",),
    "date": ("date", "created_after", "created_before", "tz"),
    "tags": ("tags",),
    "used": ("used",),
    "cost": ("min_cost", "max_cost"),
    "collection": ("collection",),
}
USED_LABELS = {"true": "Used", "false": "Never used"}


def cost_label(state: LibraryState) -> str:
    """The cost range of the URL, in credits ('' without one)."""
    low, high = state.get("min_cost"), state.get("max_cost")
    if low and high:
        return f"{low}–{high} credits"
    if low:
        return f"{low} credits or more"
    if high:
        return f"Up to {high} credits"
    return ""


def filter_chips(state: LibraryState, collections) -> list[dict]:
    """The filter bar's chips: what each filter is set to, as short text ('' when unset),
    and the page's address without it (`clear_href`)."""
    status_labels = dict(AssetStatus.choices)
    names = {c["id"]: c["name"] for c in collections}
    collection = state.get("collection")
    chips = [
        {"key": "status", "label": "Status",
         "value": ", ".join(status_labels.get(s, s) for s in state.values("status"))},
        {"key": "source_module", "label": "Module",
         "value": ", ".join(module_label(s) for s in state.values("source_module"))},
        {"key": "date", "label": "Date", "value": date_label(state)},
        {"key": "tags", "label": "Tags", "value": ", ".join(state.values("tags"))},
        {"key": "used", "label": "Usage", "value": USED_LABELS.get(state.get("used").lower(), "")},
        {"key": "cost", "label": "Cost", "value": cost_label(state)},
        {"key": "collection", "label": "Collection",
         "value": names.get(collection, "Unknown") if collection else ""},
    ]
    for chip in chips:
        cleared = dict.fromkeys(CHIP_PARAMETERS[chip["key"]])
        chip["clear_href"] = query_with(state, page=None, **cleared)
    return chips


def clear_filters_href(state: LibraryState) -> str:
    """The page's address without any filter, shown as it was (sort, page size, view)."""
    return query_with(state, page=None, tz=None, **dict.fromkeys(FILTER_KEYS))


def chrome(state: LibraryState, collections) -> dict:
    """What the page shows around its results for this state: heading, tabs, chips, the
    sidebar's current entry and the sort menu's first choice."""
    return {
        "heading": heading(state, collections),
        "heading_collection": heading_collection(state, collections),
        "type_tabs": type_tabs(state),
        "chips": filter_chips(state, collections),
        "clear_filters_href": clear_filters_href(state),
        "nav_active": active_nav(state.params),
        "first_sort_label": "Relevance" if state.get("q") else SORT_OPTIONS[0][1],
    }


def page_links(current: int, total: int) -> list[int | None]:
    """Page numbers to offer: the first, the last and two around the current one (None: a gap)."""
    if total <= 7:
        return list(range(1, total + 1))
    wanted = {1, total, current - 1, current, current + 1}
    if current <= 3:
        wanted |= {2, 3, 4}
    if current >= total - 2:
        wanted |= {total - 3, total - 2, total - 1}
    links: list[int | None] = []
    previous = 0
    for number in sorted(n for n in wanted if 1 <= n <= total):
        if number - previous > 1:
            links.append(None)
        links.append(number)
        previous = number
    return links



# Columns of the list view that sort, with the direction a first click asks for.
SORTABLE_COLUMNS = {"title": "", "cost": "-", "download_count": "-", "created_at": "-"}


def column_sort(state: LibraryState) -> dict[str, str]:
    """aria-sort of each sortable column ('ascending', 'descending' or 'none')."""
    ordering = state.get("ordering") or ("" if state.get("q") else "-created_at")
    result = {}
    for column in SORTABLE_COLUMNS:
        if ordering == column:
            result[column] = "ascending"
        elif ordering == f"-{column}":
            result[column] = "descending"
        else:
            result[column] = "none"
    return result


def column_next_ordering(state: LibraryState) -> dict[str, str]:
    """The `ordering` a click on each sortable column asks for: the other direction when the
    list is sorted by it, else its first direction. '' is the default: newest first, or
    best match first for a search (where newest first must then be asked for)."""
    default = "" if state.get("q") else "-created_at"
    ordering = state.get("ordering") or default
    result = {}
    for column, first in SORTABLE_COLUMNS.items():
        if ordering == column:
            wanted = f"-{column}"
        elif ordering == f"-{column}":
            wanted = column
        else:
            wanted = f"{first}{column}"
        result[column] = "" if wanted == default else wanted
    return result


def pagination(state: LibraryState, page) -> dict:
    links = [
        {"number": n, "href": query_with(state, page=None if n == 1 else str(n)), "current": n == page.number}
        if n else None
        for n in page_links(page.number, page.num_pages)
    ]
    return {
        "links": links,
        "first": page.start_index(),
        "last": page.end_index(),
        "count": page.count,
        "count_exact": getattr(page, "count_exact", True),
        "previous": query_with(state, page=None if page.number == 2 else str(page.number - 1))
        if page.has_previous() else None,
        "next": query_with(state, page=str(page.number + 1)) if page.has_next() else None,
        "num_pages": page.num_pages,
    }


def display_tags(asset: dict, limit: int = 3) -> dict:
    """Tags as a row shows them: a person's first, then automatic ones, at most `limit`."""
    auto = set(asset.get("auto_tags") or [])
    ordered = [t for t in asset.get("tags") or [] if t not in auto] + [t for t in asset.get("tags") or [] if t in auto]
    return {
        "shown": [{"name": t, "auto": t in auto} for t in ordered[:limit]],
        "more": max(0, len(ordered) - limit),
        "more_narrow": max(0, len(ordered) - 1),  # when a narrow table shows only the first
    }
