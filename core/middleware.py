from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request


class OutOfRangeNumbersMiddleware:
    """Answer 400, not 500, when a request carries an id no database can hold.

    SQLite refuses Python integers beyond 64 bits with OverflowError, which
    Django's form fields do not catch for `pk__in` lookups (a tampered multiple
    choice, e.g. ?members=99999999999999999999). Only a crafted request can send
    one: the forms offer real ids.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return bad_request(request, exception)
        return None
