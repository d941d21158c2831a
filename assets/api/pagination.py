"""Paging of the asset list: page numbers with an exact count, or a keyset cursor.

Bad or out-of-range numbers are a 400 naming the parameter. Sending `cursor` (empty for
the first page) switches to keyset paging for infinite scroll: `next` carries the
cursor, `count` is given on the first page only, and ordering by relevance is replaced
by newest first (ranks are not stable cursor keys).
"""

from collections import OrderedDict

from django.core.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from assets import keyset
from assets.listing import AssetListing, PastTheEnd
from common.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, NumberedPagination, positive_int


class AssetPagination(NumberedPagination):
    """Page numbers, or (with `cursor`) keyset paging over the asset orderings, of an
    AssetListing (which knows how its pages and count are read fastest)."""

    def paginate_listing(self, listing: AssetListing, request):
        self.request = request
        self.listing = listing
        size = positive_int(request, "page_size", DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
        self.cursor_mode = "cursor" in request.query_params
        if self.cursor_mode:
            return self._paginate_cursor(listing, request, size)
        try:
            self.page = listing.page(positive_int(request, "page", 1), size)
        except PastTheEnd as past:
            pages = past.num_pages
            message = "There is only 1 page." if pages == 1 else f"There are only {pages} pages."
            raise ValidationError({"page": [message]}) from None
        return list(self.page)

    def _paginate_cursor(self, listing: AssetListing, request, size):
        if request.query_params.get("page"):
            raise ValidationError({"cursor": ["Send either page or cursor, not both."]})
        ordering = request.query_params.get("ordering") or keyset.DEFAULT_ORDERING
        queryset = keyset.with_sort_key(listing.rows, ordering).order_by(*keyset.ordering_terms(ordering))
        token = request.query_params.get("cursor", "")
        self.cursor_count, self.cursor_exact = None, True
        if token:
            value, last_id = keyset.decode_cursor(token, ordering)
            queryset = keyset.after_cursor(queryset, ordering, value, last_id)
        else:
            self.cursor_count, self.cursor_exact = listing.counted(size + 1)
        rows = list(queryset[: size + 1])
        self.cursor_next = None
        if len(rows) > size:
            rows = rows[:size]
            url = remove_query_param(request.build_absolute_uri(), "page")
            self.cursor_next = replace_query_param(url, "cursor", keyset.encode_cursor(ordering, rows[-1]))
        return rows

    def get_paginated_response(self, data):
        if getattr(self, "cursor_mode", False):
            count, exact, following, previous = self.cursor_count, self.cursor_exact, self.cursor_next, None
        else:
            count, following, previous = self.page.count, self.get_next_link(), self.get_previous_link()
            exact = self.page.count_exact
        return Response(OrderedDict([
            ("count", count),
            ("count_exact", exact),
            ("corrected_q", self.listing.corrected_q),
            ("next", following),
            ("previous", previous),
            ("results", data),
        ]))

    def get_paginated_response_schema(self, schema):
        response = super().get_paginated_response_schema(schema)
        properties = response["properties"]
        properties["count"]["nullable"] = True
        properties["count"]["description"] = (
            "Number of matches. With `cursor`, given on the first page only (null after)."
        )
        fields = list(properties.items())
        properties.clear()
        properties.update(fields[:1])
        properties["count_exact"] = {
            "type": "boolean",
            "description": "Whether `count` is exact (always, except that a keyword search with over 10,000 "
                           "matches may give a lower bound of at least 10,000).",
        }
        properties["corrected_q"] = {
            "type": "string", "nullable": True,
            "description": "When nothing matched `q` but a close spelling did: the spelling the results are for.",
        }
        properties.update(fields[1:])
        response["required"] = ["count", "count_exact", "corrected_q", "results"]
        return response

    def get_schema_operation_parameters(self, view):
        return [
            *super().get_schema_operation_parameters(view),
            {
                "name": "cursor", "required": False, "in": "query",
                "description": "Keyset paging for infinite scroll: send it empty for the first page, then follow "
                               "`next`. Relevance ordering is replaced by newest first.",
                "schema": {"type": "string"},
            },
        ]
