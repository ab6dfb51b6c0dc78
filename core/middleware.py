from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.views.defaults import bad_request
from django_htmx.middleware import HtmxDetails

# What a middleware is made with: the next middleware, or the view.
type GetResponse = Callable[[HttpRequest], HttpResponse]


class HtmxRequest(HttpRequest):
    """A request past django-htmx's middleware, which gives every one `htmx`."""

    htmx: HtmxDetails


class OutOfRangeNumbersMiddleware:
    """Answer 400, not 500, when a request carries an id no database can hold.

    SQLite refuses Python integers beyond 64 bits with OverflowError, which
    Django's form fields do not catch for `pk__in` lookups (a tampered multiple
    choice, e.g. ?members=99999999999999999999). Only a crafted request can send
    one: the forms offer real ids.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, OverflowError):
            return bad_request(request, exception)
        return None


# Powerful browser features the product never uses, switched off for every page.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


class PrivateResponsesMiddleware:
    """No signed-in page is ever kept by a browser, proxy or shared computer.

    Every response to a signed-in person, and every calendar feed (signed in by
    its token), gets `Cache-Control: no-store`; every response gets the
    Permissions-Policy header.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        private = (user is not None and user.is_authenticated) or (
            match is not None and match.view_name == "calendar_feed"
        )
        if private:
            response.headers.pop("Expires", None)
            response["Cache-Control"] = "no-store"
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
