"""The asset list's query parameters, as one FilterSet.

The same FilterSet serves `GET /assets/`, the bulk actions' `filter` bodies and the web
UI, so a parameter means the same thing everywhere. Every malformed value is a form
error on its parameter (a 400 naming it), never a silently ignored filter.
"""

import copy
import datetime as dt
import re
import zoneinfo
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import Contains
from django.utils import timezone

from assets import extensions
from assets.models import Asset, AssetSearch, AssetStatus, AssetType, Tag, TaggedAsset
from assets.modules import SLUG_RE
from assets.search import keyword_search, search_words, uses_postgres_search

ORDERING_FIELDS = ("created_at", "title", "cost", "download_count", "file_size")
ORDERING_CHOICES = [*ORDERING_FIELDS, *(f"-{name}" for name in ORDERING_FIELDS)]
HEX_FRAGMENT_RE = re.compile(r"^[0-9a-f]{1,32}$")
TRUE_VALUES = {"true", "1", "yes"}
FALSE_VALUES = {"false", "0", "no", ""}
# Days far enough from datetime's limits that adding a day or any time zone stays in range.
FIRST_DAY = dt.date.min + dt.timedelta(days=2)
LAST_DAY = dt.date.max - dt.timedelta(days=2)


def _split_csv(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


class CSVChoiceField(forms.CharField):
    def __init__(self, *args, choices=(), **kwargs):
        self.valid = list(choices)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        parts = _split_csv(value)
        bad = [part for part in parts if part not in self.valid]
        if bad:
            raise forms.ValidationError(f"'{bad[0]}' is not one of: {', '.join(self.valid)}.")
        return parts


class CSVSlugField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        parts = _split_csv(value or "")
        bad = [part for part in parts if not SLUG_RE.match(part)]
        if bad:
            raise forms.ValidationError(f"'{bad[0]}' is not a module slug (lowercase letters, digits, _).")
        return parts


class CSVTagField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        parts = [" ".join(part.split()) for part in _split_csv(value or "")]
        if any(len(part) > 100 for part in parts):
            raise forms.ValidationError("Tag names can be at most 100 characters.")
        if len(parts) > 50:
            raise forms.ValidationError("Filter by at most 50 tags at once.")
        return parts


class StrictBooleanField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip().lower()
        if value in TRUE_VALUES:
            return True
        if value in FALSE_VALUES:
            return None if value == "" else False
        raise forms.ValidationError("Use true or false.")


class HexFragmentField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip().lower().replace("-", "")
        if value and not HEX_FRAGMENT_RE.match(value):
            raise forms.ValidationError("An id fragment is up to 32 hexadecimal digits, hyphens allowed.")
        return value


def _check_day(day: dt.date) -> dt.date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise forms.ValidationError(f"Use a date from {FIRST_DAY} to {LAST_DAY}.")
    return day


class DateOrDateTimeField(forms.CharField):
    """An ISO date (midnight, in the request's tz) or an ISO datetime (naive = that tz)."""

    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        text = value.replace("Z", "+00:00")
        if len(text) > 19 and text[-6] == " ":
            # An unencoded "+" in a query string arrives as a space.
            text = f"{text[:-6]}+{text[-5:]}"
        try:
            if len(text) == 10:
                return _check_day(dt.date.fromisoformat(text))
            moment = dt.datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError("Use an ISO date (YYYY-MM-DD) or datetime.") from None
        _check_day(moment.date())
        # In UTC: an offset PostgreSQL cannot store (beyond ±15:59) is still a moment.
        return moment.astimezone(dt.UTC) if moment.tzinfo is not None else moment


class DayField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            raise forms.ValidationError("Use a date as YYYY-MM-DD.") from None
        return _check_day(day)


class TimeZoneField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return dt.UTC
        try:
            return zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise forms.ValidationError(f"'{value}' is not a known time zone (e.g. Europe/Paris).") from None


class CostField(forms.CharField):
    def clean(self, value):
        value = (super().clean(value) or "").strip()
        if not value:
            return None
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise forms.ValidationError("Use a decimal number, e.g. 0.25.") from None
        if not number.is_finite() or number < 0 or number >= Decimal("1e8"):
            raise forms.ValidationError("Use a number from 0 to 99999999.")
        return number


class UUIDParamField(forms.UUIDField):
    default_error_messages = {"invalid": "Use a collection id (a UUID)."}


class ShallowCopied:
    """A filter that each FilterSet copies shallowly: django-filter deep-copies every filter
    per request (a tenth of a list request's time), though ours keep no state of their own.
    The copy gets its own FilterMethod, which resolves `method` on the copy's parent."""

    def __deepcopy__(self, memo):
        clone = copy.copy(self)
        clone.__dict__.pop("_field", None)
        if self.method is not None:
            clone.method = self.method
        return clone


class OrderingChoiceFilter(ShallowCopied, django_filters.ChoiceFilter):
    pass


def _filter_field(field_class, **kwargs):
    class ParamFilter(ShallowCopied, django_filters.Filter):
        pass

    ParamFilter.field_class = field_class
    # An explicit label spares django-filter from deriving one on every request.
    return ParamFilter(label="", **kwargs)


class AssetFilterSet(django_filters.FilterSet):
    """Turns list parameters into query terms. The queryset given is already scoped to an owner."""

    q = _filter_field(forms.CharField, method="filter_q", max_length=500)
    id = _filter_field(HexFragmentField, method="filter_id")
    model = _filter_field(forms.CharField, method="filter_model", max_length=200)
    type = _filter_field(CSVChoiceField, method="filter_in", choices=AssetType.values)
    status = _filter_field(CSVChoiceField, method="filter_in", choices=AssetStatus.values)
    source_module = _filter_field(CSVSlugField, method="filter_in")
    tags = _filter_field(CSVTagField, method="filter_tags")
    favorites = _filter_field(StrictBooleanField, method="filter_favorites")
    collection = _filter_field(UUIDParamField, method="filter_collection")
    date = _filter_field(DayField, method="filter_noop")
    tz = _filter_field(TimeZoneField, method="filter_noop")
    created_after = _filter_field(DateOrDateTimeField, method="filter_noop")
    created_before = _filter_field(DateOrDateTimeField, method="filter_noop")
    min_cost = _filter_field(CostField, field_name="cost", lookup_expr="gte")
    max_cost = _filter_field(CostField, field_name="cost", lookup_expr="lte")
    in_trash = _filter_field(StrictBooleanField, method="filter_noop")
    ordering = OrderingChoiceFilter(
        choices=[(c, c) for c in ORDERING_CHOICES], method="filter_noop", label=""
    )

    class Meta:
        model = Asset
        fields: list[str] = []

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner  # the queryset is already scoped to them; some filters use it to go faster

    def get_form_class(self):
        # Built once per class, not per request: no field depends on the request, and each
        # form deep-copies the class's fields anyway.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    # Each method gets the cleaned value; empty values never reach them.
    def filter_noop(self, queryset, name, value):
        return queryset

    def filter_in(self, queryset, name, value):
        return queryset.filter(**{f"{name}__in": value}) if value else queryset

    def filter_id(self, queryset, name, value):
        # Compared as 32 lowercase hex digits on every database (a trigram index on PostgreSQL).
        if not value:
            return queryset
        if uses_postgres_search() and len(value) >= 3:
            # The trigram index lives on the search rows (see AssetSearch).
            hex_id = Replace(Cast("asset_id", TextField()), Value("-"), Value(""), output_field=TextField())
            return queryset.filter(pk__in=AssetSearch.objects.filter(Contains(hex_id, value)).values("asset_id"))
        hex_id = Replace(Cast("id", TextField()), Value("-"), Value(""), output_field=TextField())
        return queryset.filter(Contains(hex_id, value))

    def filter_model(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        names = None
        if self.owner is not None and not self.form.cleaned_data.get("in_trash"):
            names = matching_model_names(self.owner.pk, value)
        if names is None:
            return queryset.filter(model__icontains=value)
        return queryset.filter(model__in=names)

    def filter_tags(self, queryset, name, value):
        if not value:
            return queryset
        # The owner's tags of these names (the (owner, lower(name)) index), as a subquery.
        tags = Tag.objects.named(*value)
        if self.owner is not None:
            tags = tags.owned_by(self.owner)
        return queryset.filter(
            Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), tag__in=tags))
        )

    def filter_favorites(self, queryset, name, value):
        return queryset.filter(is_favorite=True) if value else queryset

    def filter_collection(self, queryset, name, value):
        # The collections app knows the term (assets.extensions); none: nothing matches.
        return queryset.filter(extensions.list_filter_term("collection", owner=self.owner, value=value))

    def filter_q(self, queryset, name, value):
        return keyword_search(queryset, value, owner_id=getattr(self.owner, "pk", None))

    # Parameters whose count the rollups cannot give (analytics.models.OwnerTotals).
    _COUNTED_BY_ROWS = ("q", "id", "model", "tags", "collection", "date", "created_after", "created_before",
                        "min_cost", "max_cost", "in_trash")

    def rollup_count_terms(self) -> dict | None:
        """The terms of analytics.selectors.library_count that count these results exactly, or
        None when a parameter needs the rows (search, tags, dates, costs, the trash...)."""
        data = self.form.cleaned_data
        if any(_given(data.get(name)) for name in self._COUNTED_BY_ROWS):
            return None
        return {
            "types": data.get("type") or None,
            "statuses": data.get("status") or None,
            "modules": data.get("source_module") or None,
            "favorites_only": bool(data.get("favorites")),
        }

    @property
    def qs(self):
        queryset = super().qs
        if not self.is_bound or self.errors:
            return queryset
        return self._scoped(queryset)

    def _scoped(self, queryset):
        """The library or the trash, and the creation dates: what every list applies."""
        data = self.form.cleaned_data
        queryset = queryset.trashed() if data.get("in_trash") else queryset.alive()
        return queryset.filter(self._created_terms(data))

    def _without_search(self):
        """The assets that every parameter but `q` asks for."""
        queryset = self.queryset.all()
        for name, value in self.form.cleaned_data.items():
            if name != "q":
                queryset = self.filters[name].filter(queryset, value)
        return self._scoped(queryset)

    @staticmethod
    def _created_terms(data) -> Q:
        """`date` (in `tz`), `created_after` and `created_before` as terms on `created_at`."""
        tz = data.get("tz") or dt.UTC
        terms = Q()
        day = data.get("date")
        if day:
            start = dt.datetime.combine(day, dt.time.min, tzinfo=tz)
            end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
            terms &= Q(created_at__gte=start, created_at__lt=end)
        after = _as_datetime(data.get("created_after"), tz)
        before = _as_datetime(data.get("created_before"), tz)
        if after is not None:
            terms &= Q(created_at__gte=after)
        if before is not None:
            terms &= Q(created_at__lt=before)
        return terms

    # Parameters that a search answers from the search rows alone (AssetSearch keeps the
    # owner and the creation time; the trash is told apart through its index).
    _ANSWERED_BY_SEARCH_ROWS = ("q", "date", "tz", "created_after", "created_before", "in_trash")

    def search_row_terms(self) -> dict | None:
        """The terms of assets.search.search_page and search_count for a keyword search,
        or None (no search, or SQLite).

        With parameters on the assets' own columns too (type, tags, favourites...), the
        search rows are those of the assets they select (`assets`); without, the search
        rows answer alone."""
        data = self.form.cleaned_data
        words = search_words(data.get("q") or "")
        if not words or not uses_postgres_search() or self.owner is None:
            return None
        others = any(
            _given(value) for name, value in data.items() if name not in (*self._ANSWERED_BY_SEARCH_ROWS, "ordering")
        )
        if others and data.get("ordering"):
            return None  # the list query pages and counts these best (assets.selectors.asset_list)
        return {
            "owner_id": self.owner.pk,
            "words": words,
            "in_trash": bool(data.get("in_trash")),
            "created": self._created_terms(data),
            "assets": self._without_search() if others else None,
        }

    def ordering_value(self) -> str | None:
        return self.form.cleaned_data.get("ordering") or None


def _given(value) -> bool:
    """Whether a cleaned parameter asks for something (False, as in in_trash=false, does not;
    a cost of 0 does: `0 == False` in Python, hence no plain `in` test)."""
    return value is not None and value is not False and value != "" and value != []


def _as_datetime(value, tz):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time.min, tzinfo=tz)


# A skip scan over the live assets' (owner, model, created_at, id) index: one probe per
# distinct model name, however many assets carry it. An owner uses a few dozen models, so
# the partial match is decided on those names and the list query becomes `model IN (...)`,
# served by that same index instead of a scan of every row's model.
_DISTINCT_MODELS_SQL = """
WITH RECURSIVE m(model) AS (
    (SELECT model FROM assets_asset WHERE owner_id = %(owner)s AND deleted_at IS NULL ORDER BY model LIMIT 1)
  UNION ALL
    SELECT (SELECT a.model FROM assets_asset a
            WHERE a.owner_id = %(owner)s AND a.deleted_at IS NULL AND a.model > m.model
            ORDER BY a.model LIMIT 1)
    FROM m WHERE m.model IS NOT NULL
)
SELECT model FROM m WHERE model IS NOT NULL AND strpos(lower(model), lower(%(part)s)) > 0
"""


def matching_model_names(owner_id, part: str) -> list[str] | None:
    """The model names of the owner's live assets containing `part` (any case), or None where
    this isn't worth it (SQLite; the trash, which is small, filters its rows directly)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(_DISTINCT_MODELS_SQL, {"owner": owner_id, "part": part})
        return [row[0] for row in cursor.fetchall()]
