"""Paging of the collections and share-link lists: the asset list's page numbers
(`page` from 1, `page_size` 1-200, default 24; a bad value is a 400 naming it), without
its keyset cursor, which is tied to the asset orderings."""

from common.pagination import NumberedPagination


class CollectionPagination(NumberedPagination):
    pass
