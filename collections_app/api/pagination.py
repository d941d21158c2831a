"""Paging of the collections list: page numbers with an exact count.

The same envelope and rules as the asset list's page numbers (`page` from 1, `page_size`
1-200, default 24; a bad or out-of-range value is a 400 naming the parameter), without
its keyset cursor, which is tied to the asset orderings.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 24


def _positive_int(request, name: str, default: int, maximum: int | None = None) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["Use a whole number."]}) from None
    if value < 1 or (maximum is not None and value > maximum):
        bound = f" from 1 to {maximum}" if maximum else " of 1 or more"
        raise ValidationError({name: [f"Use a number{bound}."]})
    return value


class CollectionPagination(PageNumberPagination):
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = _positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        number = _positive_int(request, "page", 1)
        paginator = Paginator(queryset, size)
        if number > paginator.num_pages:
            raise ValidationError({"page": [f"There are only {paginator.num_pages} pages."]})
        self.page = paginator.page(number)
        return list(self.page)
