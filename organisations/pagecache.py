"""Whole-response cache for the read-only pages of an organisation's value base.

The value base in force, the guidelines for my role, the value base on a past
date, compare and search read the same for everyone with the same role (and,
for the guidelines, the same audiences) in the same organisation and language.
`cached_page` keeps such a page once, rendered with placeholders where the
person shows through, and fills those in for each response:

- the person's part of the header (their name, the organisation switcher), kept
  per process by what it shows (`person_menu`), so it never reaches another;
- the CSRF token: the requester's own, as `{% csrf_token %}` would give;
- the CSP nonce: the one this response's header carries.

A page is kept under a key made of exactly what it depends on: the
organisation, the address with its query, htmx or not, the language, the role
(what the person may do), the organisation's today, and what the view adds
(the audiences). Each entry carries the organisation's *generation*, a number
in the cache that every change of a version, its content, an adoption, an
audience or the organisation's settings raises (the apps' signals call
`changed`): an entry of an older generation is never served. Drafts are never
kept (views call `skip`), and neither is a page rendered while messages wait.
A page to be kept is made from the primary database, never from a replica
that may lag behind the change that raised the generation (core.replica).

The ETag is made of the same key, the generation and the person, and answered
before the view runs. The cache must be shared by every web process (Redis):
with a cache local to each process and several processes, one process would
not hear of another's changes, so the page cache stays off (etikrum.W002).
"""

from __future__ import annotations

import functools
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from threading import Lock
from typing import Any, TypedDict

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.template.loader import get_template
from django.urls import get_script_prefix
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.crypto import salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from core.replica import primary_reads
from lib import stamps

from .access import OrgRequest, memberships_of
from .navigation import account_urls, organisation_urls

PAGE_TIMEOUT = 24 * 3600

# What the person's part of the header shows, and so the key it is kept by.
PersonKey = tuple[Any, ...]


class PageRequest(OrgRequest):
    """A request for a page that may be kept."""

    # True while the view renders a page to be kept; `skip` turns it off.
    page_cache: bool
    # Set by Django's Content-Security-Policy middleware.
    _csp_nonce: str


class Entry(TypedDict):
    """A kept page."""

    generation: int
    status: int
    headers: list[tuple[str, str]]
    content: bytes


class Placeholders:
    """Markers in a kept page where each response gets its own values.

    Derived from the secret key: the same in every process, and no text that an
    editor writes into the value base can contain them by accident or design.
    """

    def __init__(self, secret: str):
        def mark(name: str) -> str:
            digest = salted_hmac(
                "etikrum.pagecache", name, secret=secret, algorithm="sha256"
            )
            return f"etikrum-{name}-{digest.hexdigest()[:24]}"

        self.csrf = mark("csrf")
        self.nonce = mark("nonce")
        self.person = mark("person")


@functools.cache
def _placeholders(secret: str) -> Placeholders:
    return Placeholders(secret)


def placeholders() -> Placeholders:
    """The markers for the current secret key, computed once per key."""
    return _placeholders(settings.SECRET_KEY)


def generation_key(slug: str) -> str:
    # By the organisation's slug, which is in the address: the generation is
    # read in the same round trip as the person's memberships.
    return f"pages:generation:{slug}"


def changed(organisation_id: int | None) -> None:
    """Retire every kept page of the organisation (see lib/stamps.py)."""
    from .models import Organisation

    if organisation_id is None:
        return
    slug = Organisation.objects.filter(pk=organisation_id).values_list(
        "slug", flat=True
    )
    for value in slug:
        organisation_changed(value)


def organisation_changed(slug: str) -> None:
    stamps.raise_stamp(generation_key(slug))


# The person's part of the header.

_PERSON_MENUS: OrderedDict[PersonKey, str] = OrderedDict()
_PERSON_MENUS_SIZE = 2000
_person_lock = Lock()


def _person_key(request: HttpRequest) -> PersonKey:
    organisation = getattr(request, "organisation", None)
    return (
        request.user.pk,
        # Only a signed-in person's pages have the menu.
        request.user.get_short_name() if request.user.is_authenticated else "",
        organisation.slug if organisation is not None else "",
        tuple(
            (m.organisation.slug, m.organisation.name) for m in memberships_of(request)
        ),
        get_language(),
        get_script_prefix(),
    )


def _render_person_menu(key: PersonKey) -> str:
    _pk, short_name, current_slug, memberships, _language, _prefix = key
    return get_template("includes/person_menu.html").render(
        {
            "short_name": short_name,
            "current_slug": current_slug,
            "memberships": [
                (slug, name, organisation_urls(slug)["dashboard"])
                for slug, name in memberships
            ],
            "my_activity_url": (
                organisation_urls(current_slug)["my_activity"] if current_slug else ""
            ),
            "urls": account_urls(),
            "csrf_token": placeholders().csrf,
        }
    )


def _person_menu_html(key: PersonKey) -> str:
    """The menu with a CSRF placeholder, kept by exactly what it shows."""
    with _person_lock:
        html = _PERSON_MENUS.get(key)
        if html is not None:
            _PERSON_MENUS.move_to_end(key)
            return html
    html = _render_person_menu(key)
    with _person_lock:
        _PERSON_MENUS[key] = html
        while len(_PERSON_MENUS) > _PERSON_MENUS_SIZE:
            _PERSON_MENUS.popitem(last=False)
    return html


def person_menu(request: HttpRequest, csrf_token: object) -> SafeString:
    """The switcher and account menu of the signed-in person, for `base.html`.

    `csrf_token` is what the template's context holds: Django's lazy token, or
    the placeholder while a page is rendered to be kept.
    """
    if getattr(request, "page_cache", False):
        # Safe: the placeholder is a fixed token of hex digits derived from the
        # secret key, replaced by the rendered menu before the response leaves.
        return mark_safe(placeholders().person)
    html = _person_menu_html(_person_key(request))
    # Safe: `html` is the output of an autoescaping template, and Django's CSRF
    # token is URL-safe letters and digits only, so nothing unescaped goes in.
    return mark_safe(html.replace(placeholders().csrf, str(csrf_token)))


def context(request: HttpRequest) -> dict[str, str]:
    """Context processor entries while a page is rendered to be kept."""
    if not getattr(request, "page_cache", False):
        return {}
    marks = placeholders()
    return {"csrf_token": marks.csrf, "csp_nonce": marks.nonce}


# The pages.


def skip(request: HttpRequest) -> None:
    """This response is not to be kept (a draft): render it as usual."""
    # Any view's request: only one that `cached_page` marked has the attribute.
    request.page_cache = False  # type: ignore[attr-defined]


def _pending_messages(request: HttpRequest) -> int:
    return len(messages.get_messages(request))


def _page_key(request: PageRequest, extra: tuple[Any, ...]) -> str:
    parts = (
        request.organisation.pk,
        request.get_host(),
        request.get_full_path(),
        bool(getattr(request, "htmx", False)),
        get_language(),
        request.membership.role,
        timezone.localdate().isoformat(),
        *extra,
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"pages:page:{digest}"


def _etag(key: str, generation: int, request: PageRequest) -> str:
    # The person's header and CSRF secret are in their copy of the page too.
    person = repr(_person_key(request))
    secret = request.META.get("CSRF_COOKIE", "")
    digest = hashlib.sha256(f"{key}|{generation}|{person}|{secret}".encode())
    return f'"{digest.hexdigest()[:32]}"'


def _personalise(request: PageRequest, content: bytes, token: str) -> bytes:
    marks = placeholders()
    if marks.person.encode() in content:
        menu = _person_menu_html(_person_key(request))
        content = content.replace(marks.person.encode(), menu.encode())
    return content.replace(marks.csrf.encode(), token.encode()).replace(
        marks.nonce.encode(), str(request._csp_nonce).encode()
    )


# Pages are kept in the shared cache, and the latest ones also in this process:
# under one generation a page never changes, so a copy here needs no round trip.
_LOCAL_PAGES: OrderedDict[tuple[str, int], Entry] = OrderedDict()
_LOCAL_PAGES_BYTES = 32 * 1024 * 1024
_local_bytes = 0
_pages_lock = Lock()


def _kept(key: str, generation: int) -> Entry | None:
    with _pages_lock:
        entry = _LOCAL_PAGES.get((key, generation))
        if entry is not None:
            _LOCAL_PAGES.move_to_end((key, generation))
            return entry
    kept: Entry | None = cache.get(key)
    if kept is None or kept["generation"] != generation:
        return None
    _keep_here(key, kept)
    return kept


def _keep_here(key: str, entry: Entry) -> None:
    global _local_bytes
    with _pages_lock:
        if (key, entry["generation"]) in _LOCAL_PAGES:
            return
        _LOCAL_PAGES[(key, entry["generation"])] = entry
        _local_bytes += len(entry["content"])
        while _local_bytes > _LOCAL_PAGES_BYTES and _LOCAL_PAGES:
            _old, dropped = _LOCAL_PAGES.popitem(last=False)
            _local_bytes -= len(dropped["content"])


def _keep(key: str, entry: Entry) -> None:
    cache.set(key, entry, PAGE_TIMEOUT)
    _keep_here(key, entry)


def _generation(request: PageRequest) -> int | None:
    """The organisation's generation, from what `member_required` fetched."""
    slug = request.organisation.slug
    found = getattr(request, "cache_prefetched", {})
    if generation_key(slug) not in found:
        found = cache.get_many([generation_key(slug)])
    return stamps.current(found, generation_key(slug))


def _served(request: PageRequest, entry: Entry, token: str, etag: str) -> HttpResponse:
    """A kept page, made the requester's own."""
    response = HttpResponse(
        _personalise(request, entry["content"], token),
        status=entry["status"],
    )
    for name, value in entry["headers"]:
        response[name] = value
    response["ETag"] = etag
    return response


def _made_and_kept(
    request: PageRequest,
    render: Callable[[], HttpResponse],
    key: str,
    generation: int,
    token: str,
    etag: str,
) -> HttpResponse:
    """The page made by the view from the primary database, kept if it may be."""
    request.page_cache = True
    try:
        with primary_reads():
            response = render()
    finally:
        keep = request.page_cache
        request.page_cache = False
    if response.streaming:
        return response
    if keep and response.status_code == 200 and not _pending_messages(request):
        _keep(
            key,
            {
                "generation": generation,
                "status": response.status_code,
                "headers": [
                    (name, value)
                    for name, value in response.items()
                    if name.lower() in {"content-type", "vary"}
                ],
                "content": response.content,
            },
        )
        response["ETag"] = etag
    if keep:
        response.content = _personalise(request, response.content, token)
    return response


def cached_page(
    key_extra: Callable[[PageRequest], tuple[Any, ...]] | None = None,
) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    """Keep the page whole; goes inside `member_required` (it needs the membership).

    `key_extra(request)` returns what else the page depends on, such as the
    person's audiences.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapper(request: PageRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if (
                request.method != "GET"
                or not stamps.enabled()
                or _pending_messages(request)
            ):
                return view(request, *args, **kwargs)
            extra = key_extra(request) if key_extra is not None else ()
            key = _page_key(request, extra)
            generation = _generation(request)
            if generation is None:
                # The cache cannot say what is current: make the page afresh.
                return view(request, *args, **kwargs)
            # The requester's token; it also settles the secret the ETag uses.
            token = get_token(request)
            etag = _etag(key, generation, request)
            not_modified = get_conditional_response(request, etag=etag)
            if not_modified is not None:
                return not_modified
            entry = _kept(key, generation)
            if entry is not None:
                return _served(request, entry, token, etag)
            return _made_and_kept(
                request,
                functools.partial(view, request, *args, **kwargs),
                key,
                generation,
                token,
                etag,
            )

        # Read by `member_required` with the memberships, in one round trip.
        wrapper.cache_keys = lambda org: [generation_key(org)]  # type: ignore[attr-defined]
        return wrapper

    return decorator
