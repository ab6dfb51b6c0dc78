"""Every organisation page, found by walking the whole URLconf, keeps tenants apart.

A new URL under /o/<org>/ is covered the day it is added: it must be wrapped in
`member_required`, send anonymous people to sign in, answer 404 to other
organisations (by address and by object), 403 to roles without the capability,
and let an administrator of the organisation through.

When a new URL takes a keyword argument (`<uuid:meeting_uuid>`), add a factory to
KWARG_FACTORIES below: a function that takes an organisation and returns a value
naming an object of that organisation. Values must differ between organisations
(use uuids, or put `org.slug` into slugs), or the cross-organisation check has
nothing to cross. Factories may be called more than once for one organisation in
a test; nested objects should get-or-create their parents so the arguments of
one address agree. Where one argument name means different things in different
URLs, register "<namespace>:<url_name>.<kwarg>" as well; it wins over "<kwarg>".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from guidance.guides import GUIDES
from organisations.models import (
    ROLE_CAPABILITIES,
    Membership,
    Organisation,
    ReflectionGroup,
    Role,
    Unit,
)
from tests.acknowledgements import isolation as acknowledgements_isolation
from tests.dilemmas import isolation as dilemmas_isolation
from tests.factories import PASSWORD, make_member, make_org
from tests.meetings import isolation as meetings_isolation
from tests.practice import isolation as practice_isolation
from tests.provisioning import isolation as provisioning_isolation
from tests.translations import tr
from tests.values import isolation as values_isolation

ORG_PREFIX = "o/<slug:org>/"
# The value base an organisation publishes: pages for anyone, no membership asked,
# answering 404 unless the organisation has turned publishing on
# (tests/values/test_public.py tries them as an outsider would).
PUBLIC_PREFIX = "public/<slug:org>/"


def _unit(org: Organisation) -> Unit:
    return Unit.objects.get_or_create(
        organisation=org, parent=None, name="Isolation unit"
    )[0]


def _member(org: Organisation) -> Any:
    membership = Membership.objects.filter(
        organisation=org, user__email=f"target@{org.slug}.example"
    ).first() or make_member(
        org, "staff", email=f"target@{org.slug}.example", unit=_unit(org)
    )
    return membership.uuid


def _group(org: Organisation) -> Any:
    group, _created = ReflectionGroup.objects.get_or_create(
        organisation=org, name="Isolation group", defaults={"unit": _unit(org)}
    )
    return group.uuid


def _invitation(org: Organisation) -> Any:
    from datetime import timedelta

    from django.utils import timezone

    from organisations.models import Invitation

    invitation, _created = Invitation.objects.open().get_or_create(
        organisation=org,
        email=f"invited@{org.slug}.example",
        defaults={"expires": timezone.now() + timedelta(days=14)},
    )
    return invitation.uuid


def _member_import(org: Organisation) -> Any:
    """An upload waiting for confirmation, by the administrator signed in.

    An import is its uploader's alone; where nobody of the organisation is
    signed in yet (another organisation's), an administrator of its own.
    """
    from organisations.models import MemberImport

    importer = (
        Membership.objects.filter(organisation=org, role=Role.ADMIN)
        .order_by("pk")
        .first()
    ) or make_member(org, "admin", email=f"importer@{org.slug}.example")
    member_import, _created = MemberImport.objects.get_or_create(
        organisation=org, created_by=importer, defaults={"filename": "hr.csv"}
    )
    return member_import.uuid


KWARG_FACTORIES: dict[str, Callable[[Organisation], Any]] = {
    "unit_id": lambda org: _unit(org).pk,
    "member_uuid": _member,
    "invitation_uuid": _invitation,
    "group_uuid": _group,
    "meeting_uuid": meetings_isolation.meeting_uuid,
    "meetings:meeting_answer.meeting_uuid": meetings_isolation.answerable_meeting_uuid,
    **values_isolation.factories(),
    **acknowledgements_isolation.factories(),
    **dilemmas_isolation.factories(),
    **practice_isolation.factories(),
    **provisioning_isolation.factories(),
    "import_uuid": _member_import,
    # The steps of the set-up checklist are the same in every organisation.
    "organisations:setup_mark.step": lambda org: "units",
    # The guide to a built-in method is the same text in every organisation.
    "guidance:method_guide.key": lambda org: GUIDES[0].key,
}

# Arguments that name something every organisation shares, not an object of one:
# there is nothing of another organisation to reach through them.
SHARED = {"guidance:method_guide.key", "organisations:setup_mark.step"}


@dataclass(frozen=True)
class OrgPattern:
    name: str
    route: str
    callback: Callable
    kwargs: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(
    patterns: list, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry.url_patterns, route, inner)
        else:
            name = f"{namespace}{entry.name}" if entry.name else ""
            yield route, name, entry


def _arguments(entry: URLPattern) -> tuple[str, ...]:
    # The organisation comes from the prefix; the rest from the pattern itself.
    return tuple(name for name in entry.pattern.regex.groupindex if name != "org")


def org_patterns() -> list[OrgPattern]:
    found = []
    for route, name, entry in _walk(get_resolver().url_patterns):
        if route.startswith(ORG_PREFIX):
            found.append(
                OrgPattern(
                    name=name or route,
                    route=route,
                    callback=entry.callback,
                    kwargs=_arguments(entry),
                )
            )
    return found


ORG_PATTERNS = org_patterns()
WITH_OBJECTS = [
    pattern
    for pattern in ORG_PATTERNS
    if any(f"{pattern.name}.{kwarg}" not in SHARED for kwarg in pattern.kwargs)
]


def _capability(pattern: OrgPattern) -> str:
    capability = getattr(pattern.callback, "required_capability", None)
    if capability is None:
        pytest.fail(
            f"{pattern.name} ({pattern.route}) is not wrapped in "
            "organisations.access.member_required; every view under /o/<org>/ must be."
        )
    return capability


ROLE_CASES = [
    pytest.param(pattern, role, id=f"{pattern.name}-as-{role}")
    for pattern in ORG_PATTERNS
    for role in Role.values
    if getattr(pattern.callback, "required_capability", None) is not None
    and pattern.callback.required_capability not in ROLE_CAPABILITIES[role]
]


def url_for(pattern: OrgPattern, org: Organisation, objects_of=None) -> str:
    """The pattern's address in `org`, naming objects of `objects_of` (default: org)."""
    if not pattern.name or pattern.name == pattern.route:
        pytest.fail(f"Give the URL pattern {pattern.route} a name.")
    source = objects_of or org
    kwargs: dict[str, Any] = {"org": org.slug}
    for kwarg in pattern.kwargs:
        factory = KWARG_FACTORIES.get(f"{pattern.name}.{kwarg}") or (
            KWARG_FACTORIES.get(kwarg)
        )
        if factory is None:
            pytest.fail(
                f"{pattern.name} ({pattern.route}) takes <{kwarg}>, which has no "
                f"factory. Add KWARG_FACTORIES[{kwarg!r}] in {__file__}: a function "
                "(organisation) -> value naming an object of that organisation."
            )
        kwargs[kwarg] = factory(source)
    return reverse(pattern.name, kwargs=kwargs)


def fetch(client, url: str):
    """GET the address; views that only take POST are POSTed to instead."""
    response = client.get(url)
    if response.status_code == 405 and "POST" in response.get("Allow", ""):
        return client.post(url)
    return response


@pytest.fixture
def org_a(db) -> Organisation:
    return make_org("alfa")


@pytest.fixture
def org_b(db) -> Organisation:
    return make_org("beta")


def signed_in(client, org: Organisation, role: str, *, in_group: bool = True):
    """A person of `role`; by default a facilitator of the isolation group too.

    Case texts are read by the group, not by a role (docs/privacy.md), so an
    administrator who is to get through every page leads the group as well.
    """
    member = make_member(org, role, email=f"{role}.signed-in@{org.slug}.example")
    if in_group:
        ReflectionGroup.objects.get(uuid=_group(org)).facilitators.add(member)
    client.login(email=member.user.email, password=PASSWORD)
    return member


def test_the_walk_finds_the_organisation_pages():
    names = {pattern.name for pattern in ORG_PATTERNS}
    assert len(ORG_PATTERNS) > 0
    assert {"organisations:dashboard", "organisations:member_list"} <= names
    assert WITH_OBJECTS, "no organisation URL takes an object id; the walk is broken"
    assert ROLE_CASES, "no organisation URL needs more than reading; walk is broken"


def test_organisation_pages_live_only_under_the_organisation_prefix():
    # A view that takes the organisation elsewhere would escape the checks here.
    routes = list(_walk(get_resolver().url_patterns))
    stray = [
        route
        for route, _name, entry in routes
        if "org" in entry.pattern.regex.groupindex
        or (
            re.search(r"<(\w+:)?org>", route)
            and not route.startswith((ORG_PREFIX, PUBLIC_PREFIX))
        )
    ]
    assert stray == []
    # The public pages are the one exception, and they are public indeed: none
    # of them asks for a membership, so none can be mistaken for a member's page.
    public = [entry for route, _n, entry in routes if route.startswith(PUBLIC_PREFIX)]
    assert public
    assert all(
        getattr(entry.callback, "required_capability", None) is None for entry in public
    )


@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_view_is_wrapped_in_member_required(pattern):
    assert _capability(pattern) in ROLE_CAPABILITIES[Role.ADMIN]


@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_anonymous_is_sent_to_sign_in(client, org_a, pattern):
    url = url_for(pattern, org_a)
    response = fetch(client, url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={quote(url)}"


@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_member_of_another_organisation_gets_404(client, org_a, org_b, pattern):
    _capability(pattern)
    signed_in(client, org_b, Role.ADMIN)
    response = fetch(client, url_for(pattern, org_a))
    assert response.status_code == 404


@pytest.mark.parametrize("pattern", WITH_OBJECTS, ids=str)
def test_object_of_another_organisation_gets_404(client, org_a, org_b, pattern):
    _capability(pattern)
    own, foreign = url_for(pattern, org_a), url_for(pattern, org_a, objects_of=org_b)
    if own == foreign:
        pytest.fail(
            f"The factories for {pattern.kwargs} give the same values in two "
            "organisations; make them differ (e.g. put org.slug into slugs)."
        )
    # An administrator sees everything of their own organisation, so a 404 here
    # means the object lookup is scoped, not that the role is too weak.
    signed_in(client, org_a, Role.ADMIN)
    response = fetch(client, foreign)
    assert response.status_code == 404


@pytest.mark.parametrize(("pattern", "role"), ROLE_CASES)
def test_role_without_the_capability_gets_403(client, org_a, pattern, role):
    signed_in(client, org_a, role)
    response = fetch(client, url_for(pattern, org_a))
    assert response.status_code == 403
    assert tr("sv", "You do not have access to this page") in response.text


@pytest.mark.parametrize("pattern", ORG_PATTERNS, ids=str)
def test_administrator_of_the_organisation_gets_through(client, org_a, pattern):
    _capability(pattern)
    signed_in(client, org_a, Role.ADMIN)
    response = fetch(client, url_for(pattern, org_a))
    assert response.status_code not in {403, 404, 405}
    assert response.status_code < 500
    # Nothing a signed-in person sees is kept by a browser or a proxy.
    assert response["Cache-Control"] == "no-store"


CASE_PATTERNS = [
    pattern
    for pattern in ORG_PATTERNS
    if getattr(pattern.callback, "audit_object", None) is not None
]


def test_the_walk_finds_the_case_pages():
    names = {pattern.name for pattern in CASE_PATTERNS}
    assert {"dilemmas:detail", "reflections:detail", "reflections:log"} <= names


@pytest.mark.parametrize("pattern", CASE_PATTERNS, ids=str)
def test_administrator_outside_the_group_reads_no_case(client, org_a, pattern):
    from audit.models import AuditEvent

    member = signed_in(client, org_a, Role.ADMIN, in_group=False)
    response = fetch(client, url_for(pattern, org_a))
    assert response.status_code in {403, 404}
    refusal = AuditEvent.objects.get(membership=member)
    assert (refusal.outcome, refusal.object_kind) == (
        "denied",
        pattern.callback.audit_object[0],
    )
