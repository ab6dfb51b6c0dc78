"""The addresses of the header, reversed once per organisation, not on every page.

Reversing a URL pattern costs tens of microseconds and the header has sixteen;
the addresses depend only on the organisation's slug and the script prefix, so
each process keeps them.
"""

from __future__ import annotations

import functools

from django.urls import get_script_prefix, reverse

ORGANISATION_PAGES = {
    "dashboard": "organisations:dashboard",
    "values": "values:index",
    "groups": "meetings:group_list",
    "meetings_overview": "meetings:overview",
    "insights": "insights:overview",
    "dilemmas": "dilemmas:list",
    "units": "organisations:unit_list",
    "members": "organisations:member_list",
    "settings": "organisations:settings",
    "audit": "audit:log",
    "my_activity": "audit:mine",
    "help": "guidance:index",
}

ACCOUNT_PAGES = {
    "home": "home",
    "profile": "profile",
    "mfa": "mfa_index",
    "change_password": "account_change_password",
    "logout": "account_logout",
    "set_language": "set_language",
}


@functools.lru_cache(maxsize=4096)
def _organisation_urls(slug: str, prefix: str) -> dict[str, str]:
    return {
        name: reverse(view, kwargs={"org": slug})
        for name, view in ORGANISATION_PAGES.items()
    }


@functools.lru_cache(maxsize=16)
def _account_urls(prefix: str) -> dict[str, str]:
    return {name: reverse(view) for name, view in ACCOUNT_PAGES.items()}


def organisation_urls(slug: str) -> dict[str, str]:
    return _organisation_urls(slug, get_script_prefix())


def account_urls() -> dict[str, str]:
    return _account_urls(get_script_prefix())
