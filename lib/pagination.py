"""One page of a list, without counting the whole list.

Django's Paginator counts every row to number the last page; over a
country's audit log or dilemmas that COUNT costs more than the page. Here a
page fetches one row more than it shows: that row only says there is a next
page. The pages are numbered, not cut at a key, so the ordering must be
unique (end it with the primary key) or rows of equal sort keys could be shown
twice or never.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, QueryDict
from typing_extensions import TypeVar

PAGE_SIZE = 25
# Further than anyone pages by hand; also keeps OFFSET within every database's
# integer range whatever number is typed into the address.
LAST_PAGE = 10_000


# A Page written without its row type holds rows of any kind, as every Page did
# before it said what its rows are.
T = TypeVar("T", default=Any)


@dataclass
class Page(Generic[T]):
    rows: list[T]
    number: int
    size: int
    has_next: bool
    param: str = "page"
    query: QueryDict = field(default_factory=QueryDict)

    @property
    def object_list(self) -> list[T]:
        """The rows, under the name Django's own Page gives them."""
        return self.rows

    def __iter__(self) -> Iterator[T]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __bool__(self) -> bool:
        return bool(self.rows)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_next or self.has_previous

    @property
    def next_url(self) -> str:
        return self.url_for(self.number + 1)

    @property
    def previous_url(self) -> str:
        return self.url_for(self.number - 1)

    def url_for(self, number: int) -> str:
        """This address with another page number; every filter is kept."""
        query = self.query.copy()
        if number > 1:
            query[self.param] = str(number)
        else:
            query.pop(self.param, None)
        return f"?{query.urlencode()}" if query else "?"


def page_number(request: HttpRequest, param: str = "page") -> int:
    """The page asked for: 1 if none; anything but a page number is not found."""
    raw = request.GET.get(param, "1")
    # ASCII digits only: str.isdigit() also takes "²", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,6}", raw) or not 1 <= int(raw) <= LAST_PAGE:
        raise Http404
    return int(raw)


# What a page is cut from: a QuerySet (sliced in the database) or a list; a
# QuerySet's rows may be other than its model's instances (values(), values_list()).
type Rows[T] = QuerySet[Model, T] | Sequence[T]


def paginate[T](
    request: HttpRequest,
    rows: Rows[T],
    *,
    size: int = PAGE_SIZE,
    param: str = "page",
) -> Page[T]:
    """The page of `rows` (a QuerySet, sliced in the database) the request asks for.

    A page past the end is not found, as in Django's own list views, except
    the first page of an empty list.
    """
    number = page_number(request, param)
    start = (number - 1) * size
    fetched = list(rows[start : start + size + 1])
    if not fetched and number > 1:
        raise Http404
    return Page(
        rows=fetched[:size],
        number=number,
        size=size,
        has_next=len(fetched) > size,
        param=param,
        query=request.GET,
    )


def first_rows[T](rows: Rows[T], size: int) -> Page[T]:
    """The first `size` rows of a list shown elsewhere in full (a dashboard's)."""
    fetched = list(rows[: size + 1])
    return Page(rows=fetched[:size], number=1, size=size, has_next=len(fetched) > size)
