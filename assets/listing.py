"""A list of assets as one value: its rows in order, how they are counted, and its pages.

`assets.selectors.asset_listing` builds one for the list parameters, and decides there,
once, how that list is counted and paged fastest. Everything that shows a list (the
API, the library page, bulk selections, the asset page's neighbours) takes it from there.

- `rows` is the filtered, ordered queryset: slicing it reads rows, as always.
- `counter`, when set, gives the count another way than counting the rows (the
  statistics' rollups, or the search rows), or None where it cannot (the rows count then).
  It answers (count, exact): a keyword search may count up to a limit and answer a lower
  bound beyond it, never less than the `need` it is given (a page's end, plus one).
- `page_finder`, when set, gives one page's ids together with the count (a search ranked
  by relevance): (ids, count, exact).
"""

from collections.abc import Callable
from dataclasses import dataclass, replace
from math import ceil

from django.core.paginator import EmptyPage, PageNotAnInteger
from django.db.models import QuerySet

# Beyond any real library; larger page numbers are counted first (and refused), never
# sent to the database as an offset out of its range.
MAX_OFFSET = 2**40
# From this many rows in, a page reads its ids before its rows (AssetListing.page).
DEEP_OFFSET = 200


class PastTheEnd(EmptyPage):
    """A page number beyond the last page; `num_pages` says how many there are."""

    def __init__(self, num_pages: int):
        super().__init__("That page contains no results")
        self.num_pages = num_pages


@dataclass(frozen=True)
class ListingPage:
    """One page of a listing; answers what templates and the API ask of Django's Page."""

    object_list: list
    number: int
    count: int
    size: int
    # False when `count` is a lower bound (a keyword search with very many matches).
    count_exact: bool = True

    @property
    def num_pages(self) -> int:
        return max(1, ceil(self.count / self.size))

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def has_next(self) -> bool:
        return self.number < self.num_pages

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1

    def start_index(self) -> int:
        return 0 if self.count == 0 else (self.number - 1) * self.size + 1

    def end_index(self) -> int:
        return min(self.number * self.size, self.count)


@dataclass(frozen=True)
class AssetListing:
    rows: QuerySet
    counter: Callable[[int], tuple[int, bool] | None] | None = None
    page_finder: Callable[[int, int], tuple[list, int, bool]] | None = None
    # The spelling a search used instead of the one asked for, when it corrected it.
    corrected_q: str | None = None

    def counted(self, need: int = 1) -> tuple[int, bool]:
        """(count, whether exact); a lower bound is never below `need`."""
        known = self.counter(need) if self.counter is not None else None
        return known if known is not None else (self.rows.count(), True)

    def count(self) -> int:
        return self.counted()[0]

    def with_rows(self, change: Callable[[QuerySet], QuerySet]) -> "AssetListing":
        """This listing with `change` applied to its rows. `change` must keep the same rows
        in the same order (prefetches, deferred columns, per-row annotations): the count
        and the page finder still describe them."""
        return replace(self, rows=change(self.rows))

    def page(self, number, size: int) -> ListingPage:
        """Page `number` (from 1) of `size` rows. Raises Django's PageNotAnInteger or
        EmptyPage, with Django's messages, for a page that is not there (page 1 always is)."""
        try:
            number = int(number)
        except (TypeError, ValueError):
            raise PageNotAnInteger("That page number is not an integer") from None
        if number < 1:
            raise EmptyPage("That page number is less than 1")
        offset = (number - 1) * size
        if self.page_finder is not None and offset <= MAX_OFFSET:
            ids, count, exact = self.page_finder(offset, size)
            self._check(number, count, size)
            rows = list(self.rows.filter(pk__in=ids)) if ids else []
            return ListingPage(rows, number, count, size, exact)
        count, exact = self.counted(min(offset, MAX_OFFSET) + size + 1)
        self._check(number, count, size)
        end = min(offset + size, count)  # nothing to read past the count (no query for none)
        if end <= offset:
            rows = []
        elif offset < DEEP_OFFSET:
            rows = list(self.rows[offset:end])
        else:
            # The rows skipped to reach a deep page would each compute what a row of the
            # list brings (its tags' and collections' arrays): their ids come first (the
            # rows then come in the same order, which ends with the id).
            ids = list(self.rows.values_list("pk", flat=True)[offset:end])
            rows = list(self.rows.filter(pk__in=ids))
        return ListingPage(rows, number, count, size, exact)

    def page_or_nearest(self, number, size: int) -> ListingPage:
        """As page(), but the first page for a number that isn't one and the last for one
        past the end (as Django's Paginator.get_page)."""
        try:
            return self.page(number, size)
        except PageNotAnInteger:
            return self.page(1, size)
        except PastTheEnd as past:
            return self.page(past.num_pages, size)
        except EmptyPage:
            return self.page(1, size)

    @staticmethod
    def _check(number: int, count: int, size: int) -> None:
        if number > 1 and (number - 1) * size >= count:
            raise PastTheEnd(max(1, ceil(count / size)))
