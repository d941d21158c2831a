"""Page numbers with an exact count, for every list of the API: `page` from 1,
`page_size` 1-200 (default 24); a bad or out-of-range value is a 400 naming it."""

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from rest_framework.pagination import PageNumberPagination

MAX_PAGE_SIZE = 200
DEFAULT_PAGE_SIZE = 24


def positive_int(request, name, default, maximum=None):
    raw = request.query_params.get(name)
    if raw is None:
        return default  # (an empty value is no number: the schema says integer, and a 400 says so)
    try:
        value = int(raw)
    except ValueError:
        raise ValidationError({name: ["Use a whole number."]}) from None
    if value < 1 or (maximum is not None and value > maximum):
        bound = f" from 1 to {maximum}" if maximum else " of 1 or more"
        raise ValidationError({name: [f"Use a number{bound}."]})
    return value


class NumberedPagination(PageNumberPagination):
    """Page numbers with an exact count; every list of the API pages this way."""

    django_paginator_class = Paginator
    page_size = DEFAULT_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        size = positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        return self.paginate_numbers(queryset, request, size)

    def get_schema_operation_parameters(self, view):
        bounds = {"page": {"minimum": 1}, "page_size": {"minimum": 1, "maximum": MAX_PAGE_SIZE}}
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"].update(bounds.get(parameter["name"], {}))
        return parameters

    def paginate_numbers(self, queryset, request, size):
        number = positive_int(request, "page", 1)
        paginator = self.django_paginator_class(queryset, size)
        try:
            self.page = paginator.page(number)
        except EmptyPage:
            pages = paginator.num_pages
            message = "There is only 1 page." if pages == 1 else f"There are only {pages} pages."
            raise ValidationError({"page": [message]}) from None
        return list(self.page)
