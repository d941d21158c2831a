"""The asset list's query parameters, as one FilterSet.

The same FilterSet serves `GET /assets/`, the bulk actions' `filter` bodies and the web
UI, so a parameter means the same thing everywhere. Every malformed value is a form
error on its parameter (a 400 naming it), never a silently ignored filter.
"""

import datetime as dt
import re
import zoneinfo
from decimal import Decimal, InvalidOperation

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q, TextField, Value
from django.db.models.functions import Cast, Replace
from django.db.models.lookups import Contains, Regex
from django.utils import timezone

from assets import extensions, sql
from assets.models import Asset, AssetSearch, AssetStatus, AssetType, Tag, TaggedAsset
from assets.modules import SLUG_RE
from assets.search import keyword_search, uses_postgres_search

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
    valid: tuple[str, ...] = ()

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        parts = _split_csv(value)
        bad = [part for part in parts if part not in self.valid]
        if bad:
            raise forms.ValidationError(f"'{bad[0]}' is not one of: {', '.join(self.valid)}.")
        return parts


class TypesField(CSVChoiceField):
    valid = tuple(AssetType.values)


class StatusesField(CSVChoiceField):
    valid = tuple(AssetStatus.values)


class OrderingField(forms.ChoiceField):
    def __init__(self, **kwargs):
        super().__init__(choices=[(c, c) for c in ORDERING_CHOICES], **kwargs)


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


class UsedField(forms.CharField):
    """`used`: "true" (at least one usage) or "false" (never used), kept as that text, so that
    `false` still asks for something (unlike favorites=false)."""

    def clean(self, value):
        value = (super().clean(value) or "").strip().lower()
        if value in TRUE_VALUES - {""}:
            return "true"
        if value in FALSE_VALUES - {""}:
            return "false"
        if not value:
            return None
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


class ParsedFilter(django_filters.Filter):
    """A list parameter read by `field_class` (one of the fields above) and applied as
    `field_name`/`lookup_expr` or by the FilterSet's `method`, as django-filter does."""

    def __init__(self, field_class=None, **kwargs):
        if field_class is not None:
            self.field_class = field_class
        # An explicit label spares django-filter from deriving one for every request.
        kwargs.setdefault("label", "")
        super().__init__(**kwargs)


class CollectionFilter(django_filters.UUIDFilter):
    field_class = UUIDParamField


class ParameterOnly(ParsedFilter):
    """A parameter that other terms read (`tz`, `in_trash`, `ordering`): no term of its own."""

    def filter(self, qs, value):
        return qs


class AssetFilterSet(django_filters.FilterSet):
    """Turns list parameters into query terms. The queryset given is already scoped to an owner.

    It only parses and filters: how a list is ordered, counted and paged is decided by
    the listing (assets.selectors.asset_listing).
    """

    q = ParsedFilter(forms.CharField, method="filter_q", max_length=500)
    id = ParsedFilter(HexFragmentField, method="filter_id")
    model = ParsedFilter(forms.CharField, method="filter_model", max_length=200)
    type = ParsedFilter(TypesField, field_name="type", lookup_expr="in")
    status = ParsedFilter(StatusesField, field_name="status", lookup_expr="in")
    source_module = ParsedFilter(CSVSlugField, field_name="source_module", lookup_expr="in")
    tags = ParsedFilter(CSVTagField, method="filter_tags")
    favorites = ParsedFilter(StrictBooleanField, method="filter_favorites")
    used = ParsedFilter(UsedField, method="filter_used")
    collection = CollectionFilter(method="filter_collection", label="")
    date = ParsedFilter(DayField, method="filter_created")
    tz = ParameterOnly(TimeZoneField)
    created_after = ParsedFilter(DateOrDateTimeField, method="filter_created")
    created_before = ParsedFilter(DateOrDateTimeField, method="filter_created")
    min_cost = ParsedFilter(CostField, field_name="cost", lookup_expr="gte")
    max_cost = ParsedFilter(CostField, field_name="cost", lookup_expr="lte")
    in_trash = ParameterOnly(StrictBooleanField)
    ordering = ParameterOnly(OrderingField)

    class Meta:
        model = Asset
        fields: list[str] = []

    def __init__(self, *args, owner=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.owner = owner  # the queryset is already scoped to them; some filters use it to go faster
        # The owner's live model names that `model` selects, once filter_model has looked them
        # up (a search asks its search rows for them: assets.selectors.asset_listing).
        self.model_names: list[str] | None = None

    def get_form_class(self):
        # Built once per class, not per request: no field depends on the request, and each
        # form copies the class's fields anyway.
        cls = type(self)
        if "_form_class" not in cls.__dict__:
            cls._form_class = super().get_form_class()
        return cls._form_class

    def filter_queryset(self, queryset):
        # The library or the trash: every list is one or the other.
        queryset = queryset.trashed() if self.form.cleaned_data.get("in_trash") else queryset.alive()
        return super().filter_queryset(queryset)

    # Each method gets the cleaned value; empty values never reach them.
    def filter_id(self, queryset, name, value):
        # Compared as 32 lowercase hex digits on every database (a trigram index on PostgreSQL).
        if uses_postgres_search() and len(value) >= 3:
            # The trigram index lives on the search rows (see AssetSearch).
            return queryset.filter(pk__in=AssetSearch.objects.filter(id_terms({"id": value})).values("asset_id"))
        return queryset.filter(Contains(hex_digits("id"), value))

    def filter_model(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        if self.owner is not None and not self.form.cleaned_data.get("in_trash"):
            names = sql.model_names_containing(owner_id=self.owner.pk, part=value)
            if names is not None:
                self.model_names = names
                return queryset.filter(model__in=names)
        return queryset.filter(model__icontains=value)

    def filter_tags(self, queryset, name, value):
        # The owner's tags of these names (the (owner, lower(name)) index), as a subquery.
        tags = Tag.objects.named(*value)
        if self.owner is not None:
            tags = tags.owned_by(self.owner)
        return queryset.filter(
            Exists(TaggedAsset.objects.filter(content_object=OuterRef("pk"), tag__in=tags))
        )

    def filter_favorites(self, queryset, name, value):
        return queryset.filter(is_favorite=True) if value else queryset

    def filter_used(self, queryset, name, value):
        return queryset.filter(usage_count__gt=0) if value == "true" else queryset.filter(usage_count=0)

    def filter_collection(self, queryset, name, value):
        # The collections app knows the term (assets.extensions); none: nothing matches.
        return queryset.filter(extensions.list_filter_term("collection", owner=self.owner, value=value))

    def filter_q(self, queryset, name, value):
        return keyword_search(queryset, value, owner_id=getattr(self.owner, "pk", None))

    def filter_created(self, queryset, name, value):
        return queryset.filter(created_terms({name: value, "tz": self.form.cleaned_data.get("tz")}))


def created_range(data) -> tuple[dt.datetime | None, dt.datetime | None]:
    """(from, before): the instants that `date` (in `tz`), `created_after` and
    `created_before` of cleaned parameters bound `created_at` by (from inclusive, before
    exclusive; None where unbounded)."""
    tz = data.get("tz") or dt.UTC
    bounds_from, bounds_before = [], []
    day = data.get("date")
    if day:
        bounds_from.append(dt.datetime.combine(day, dt.time.min, tzinfo=tz))
        bounds_before.append(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=tz))
    after = _as_datetime(data.get("created_after"), tz)
    before = _as_datetime(data.get("created_before"), tz)
    if after is not None:
        bounds_from.append(after)
    if before is not None:
        bounds_before.append(before)
    return max(bounds_from, default=None), min(bounds_before, default=None)


def created_terms(data) -> Q:
    """`date` (in `tz`), `created_after` and `created_before` of cleaned parameters as terms on `created_at`."""
    start, end = created_range(data)
    terms = Q()
    if start is not None:
        terms &= Q(created_at__gte=start)
    if end is not None:
        terms &= Q(created_at__lt=end)
    return terms


def cost_terms(data) -> Q:
    """`min_cost` and `max_cost` of cleaned parameters as terms on `cost` (inclusive)."""
    terms = Q()
    if given(data.get("min_cost")):
        terms &= Q(cost__gte=data["min_cost"])
    if given(data.get("max_cost")):
        terms &= Q(cost__lte=data["max_cost"])
    return terms


def hex_digits(field: str) -> Replace:
    """A uuid column as its 32 lowercase hex digits (what an `id` fragment is compared with;
    the search rows' trigram index is on this expression of `asset_id`)."""
    return Replace(Cast(field, TextField()), Value("-"), Value(""), output_field=TextField())


def id_terms(data) -> Q:
    """`id` (a hex fragment) of cleaned parameters as terms on a search row's `asset_id`.

    The trigram index needs three characters: two are asked as a pattern of the trigrams
    that hold them (at the start, or after any hex digit), which it answers. One is too
    common to narrow anything: its rows are tested one by one."""
    value = data.get("id")
    if not value:
        return Q()
    hex_id = hex_digits("asset_id")
    if len(value) == 2 and uses_postgres_search():
        return Q(Regex(hex_id, f"(^|[0-9a-f]){value}"))
    return Q(Contains(hex_id, value))


def given(value) -> bool:
    """Whether a cleaned parameter asks for something (False, as in in_trash=false, does not;
    a cost of 0 does: `0 == False` in Python, hence no plain `in` test)."""
    return value is not None and value is not False and value != "" and value != []


def _as_datetime(value, tz):
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value if timezone.is_aware(value) else value.replace(tzinfo=tz)
    return dt.datetime.combine(value, dt.time.min, tzinfo=tz)
