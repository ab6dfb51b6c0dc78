"""The state-and-role walk: every page, in every state, as every role.

Every URL pattern of the product is found by walking the resolver. Each one is
filled with every object of the walk's world (tests/walk/world.py) that fits
its arguments, in every state that world holds, and fetched with GET as each of
eight roles. Each answer must have the status the access table below gives
for that role and state, never a 5xx; a page must be in the reader's language
with no English left, and show no "None" and no raw template syntax.

A URL pattern the walk does not know fails `test_the_walk_knows_every_pattern`:
add it to PAGES (how to fill it, and who may see it) or, for a page that only
a flow of its own can reach, to EXCLUDED with the reason.

The access table is written from the rules, not from what the pages answer:
the capability of each page is the one `member_required` checks
(organisations/access.py, ROLE_CAPABILITIES), and who reads what inside an
organisation follows docs/privacy.md: a group's cases are read by its members,
its facilitators and the managers of its unit and the units above; an
administrator or an editor reads no case by virtue of the role; groups and
their meetings are seen by the people in them, their managers and the
administrators, who also manage every group; a group's meetings are
scheduled, changed and cancelled by whoever leads it: its facilitators and its
managers.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from django.utils import timezone

from guidance.guides import BY_KEY as GUIDES_BY_KEY
from organisations.models import ROLE_CAPABILITIES, Capability, Role
from tests.test_no_english_left import english_in, visible_text
from tests.test_tenant_isolation import _walk

from .world import DANISH, ROLES, World

pytestmark = pytest.mark.django_db

# --- The roles --------------------------------------------------------------

# The role each walker has in the organisation of the walk (the outsider
# administers another organisation).
ROLE_OF = {
    "outsider": Role.ADMIN,
    "staff_outside": Role.STAFF,
    "member": Role.STAFF,
    "facilitator": Role.FACILITATOR,
    "manager": Role.MANAGER,
    "editor": Role.EDITOR,
    "admin": Role.ADMIN,
}
SIGNED_IN = [role for role in ROLES if role != "anonymous"]

# Who is who in each group of the world: members, facilitators, and the
# managers of the group's unit or a unit above it.
GROUPS = {
    "group": {
        "members": {"member"},
        "facilitators": {"facilitator"},
        "managers": {"manager"},
    },
    "other_group": {
        "members": {"staff_outside"},
        "facilitators": set(),
        "managers": set(),
    },
    # The same unit's other group: the facilitator is one of its members.
    "fellow_group": {
        "members": {"facilitator"},
        "facilitators": set(),
        "managers": {"manager"},
    },
}


def reads_case(role: str, group: str) -> bool:
    """Dilemmas and reflections: the group's people and its managers."""
    people = GROUPS[group]
    return role in people["members"] | people["facilitators"] | people["managers"]


def sees_group(role: str, group: str) -> bool:
    """Groups, their meetings and evaluations: also every administrator."""
    return reads_case(role, group) or ROLE_OF.get(role) == Role.ADMIN


def leads(role: str, group: str) -> bool:
    """Runs the group's sessions: its facilitators and whoever manages it."""
    return role in GROUPS[group]["facilitators"] or manages(role, group)


def manages(role: str, group: str) -> bool:
    return role in GROUPS[group]["managers"] or ROLE_OF.get(role) == Role.ADMIN


def takes_part(role: str, group: str) -> bool:
    """Answers a session's evaluation: the group's members and facilitators."""
    return role in GROUPS[group]["members"] | GROUPS[group]["facilitators"]


def capable(role: str, capability: str) -> bool:
    return capability in ROLE_CAPABILITIES[ROLE_OF[role]]


# --- Targets: one filled address in one state --------------------------------

OK, FOUND, FORBIDDEN, MISSING, GONE, NOT_ALLOWED = 200, 302, 403, 404, 410, 405
# "302 to the sign-in page, with the address to come back to".
SIGN_IN = "sign-in"
# htmx's "stop polling" answer, for a session that is over.
STOP_POLLING = 286


@dataclass(frozen=True)
class Target:
    state: str
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    group: str = "group"
    facts: frozenset = frozenset()
    owner: str = ""

    def has(self, fact: str) -> bool:
        return fact in self.facts


Expect = Callable[[str, Target], Any]


@dataclass(frozen=True)
class Page:
    fill: Callable[[World], list[Target]]
    expect: Expect
    # The capability member_required checks; None outside organisations.
    capability: str | None = None
    # Only POST: every GET answers 405, whoever asks.
    post_only: bool = False
    # Not HTML (files, feeds, JSON): no language to read.
    document: bool = False
    # The language the page speaks to a role, where it is not the role's own
    # (pages reached by a link from an e-mail speak the organisation's).
    language: Callable[[World, str, Target], str] | None = None


def org_page(
    capability: str = Capability.READ,
    access: Expect = lambda role, t: OK,
    fill: Callable[[World], list[Target]] | None = None,
    **kwargs,
) -> Page:
    """A page under /o/<org>/: sign in first, other organisations get 404,
    roles without the capability 403; then the page's own rule."""

    def expect(role: str, target: Target):
        if role == "anonymous":
            return SIGN_IN
        if role == "outsider":
            return MISSING
        if not capable(role, capability):
            return FORBIDDEN
        return access(role, target)

    return Page(
        fill=fill or (lambda w: [Target("-")]),
        expect=expect,
        capability=capability,
        **kwargs,
    )


def post_only(fill: Callable[[World], list[Target]], capability=Capability.READ):
    return Page(
        fill=fill,
        expect=lambda role, t: NOT_ALLOWED,
        capability=capability,
        post_only=True,
    )


# --- Fillers -----------------------------------------------------------------


def _meeting_facts(meeting) -> frozenset:
    now = timezone.now()
    facts = set()
    if meeting.is_cancelled:
        facts.add("cancelled")
    if meeting.start <= now:
        facts.add("started")
    if meeting.end < now:
        facts.add("past")
    if meeting.series_id:
        facts.add("series")
        series = meeting.series
        if series.cancelled:
            facts.add("series-cancelled")
        if not series.meetings.upcoming().exists():
            facts.add("series-over")
    return frozenset(facts)


def _group_label(w: World, group) -> str:
    return next(label for label, g in w.groups.items() if g == group)


def meetings(w: World) -> list[Target]:
    return [
        Target(
            state,
            {"meeting_uuid": meeting.uuid},
            group=_group_label(w, meeting.group),
            facts=_meeting_facts(meeting),
        )
        for state, meeting in w.meetings.items()
    ]


def groups(w: World) -> list[Target]:
    return [
        Target(state, {"group_uuid": group.uuid}, group=state)
        for state, group in w.groups.items()
    ]


def _reflection_facts(reflection) -> frozenset:
    facts = set()
    if reflection.is_signed_off:
        facts.add("signed-off")
    if reflection.erased:
        facts.add("erased")
    if reflection.is_practice:
        facts.add("practice")
    return frozenset(facts)


def reflections(w: World) -> list[Target]:
    return [
        Target(
            state,
            {"reflection_uuid": reflection.uuid},
            facts=_reflection_facts(reflection),
        )
        for state, reflection in w.reflections.items()
    ]


def steps(w: World) -> list[Target]:
    return [
        Target(
            state,
            {"reflection_uuid": reflection.uuid, "position": position},
            facts=_reflection_facts(reflection),
        )
        for state, reflection, position in w.steps
    ]


def step_items(w: World) -> list[Target]:
    return [
        Target(
            state,
            {"reflection_uuid": reflection.uuid, "position": position, "item_id": pk},
            facts=_reflection_facts(reflection)
            | ({"no-items"} if state == "text-step" else set()),
        )
        for state, reflection, position, pk in w.step_items
    ]


def dilemmas(w: World) -> list[Target]:
    # One of the many sessions in progress stands for them all here.
    chosen = {
        state: dilemma
        for state, dilemma in w.dilemmas.items()
        if not state[0].isdigit() and "-at-" not in state
    }
    chosen["in-session"] = w.dilemmas["dilemma-method-at-5"]
    return [
        Target(
            state,
            {"dilemma_uuid": dilemma.uuid},
            group=_group_label(w, dilemma.group),
            facts=frozenset(
                {dilemma.status} | ({"erased"} if dilemma.erased else set())
            ),
            owner=next(
                (r for r, m in w.people.items() if m.pk == dilemma.author_id), ""
            ),
        )
        for state, dilemma in chosen.items()
    ]


def one(kwargs: Callable[[World], dict]) -> Callable[[World], list[Target]]:
    return lambda w: [Target("-", kwargs(w))]


def methods(w: World) -> list[Target]:
    return [Target(state, {"method_uuid": m.uuid}) for state, m in w.methods.items()]


def practice_cases(w: World) -> list[Target]:
    return [
        Target(state, {"case_uuid": case.uuid}, facts=frozenset({state}))
        for state, case in w.practice_cases.items()
    ]


def practice_case(role: str, t: Target):
    """The library and the organisation's own; another's is not found."""
    return MISSING if t.has("other-org") else OK


def practice_change(role: str, t: Target):
    """Only the organisation's own cases change; the built-in ones never."""
    if t.has("other-org"):
        return MISSING
    return FORBIDDEN if t.has("builtin") else OK


def guides(w: World) -> list[Target]:
    """Every built-in method's guide, and a key that has none."""
    targets = [Target(key, {"key": key}) for key in GUIDES_BY_KEY]
    return [*targets, Target("no-such-guide", {"key": "no-such-guide"})]


def units(w: World) -> list[Target]:
    return [Target(state, {"unit_id": u.pk}) for state, u in w.units.items()]


def members(w: World) -> list[Target]:
    return [Target(s, {"member_uuid": m.uuid}) for s, m in w.members.items()]


def member_imports(w: World) -> list[Target]:
    from organisations.models import MemberImport

    return [
        Target(i.state, {"import_uuid": i.uuid})
        for i in MemberImport.objects.filter(organisation=w.org)
    ]


def base(w: World) -> dict:
    return {"base": w.base.slug}


def versions(w: World) -> list[Target]:
    return [
        Target(
            state,
            {**base(w), "number": v.number},
            facts=frozenset({"draft"} if v.is_draft else set()),
        )
        for state, v in w.versions.items()
    ]


def with_key(key: str):
    def fill(w: World) -> list[Target]:
        return [
            Target(t.state, {**t.kwargs, "key": key}, facts=t.facts)
            for t in versions(w)
        ]

    return fill


def draft_items(w: World) -> list[Target]:
    """Every kind of draft content, in the draft and in adopted versions."""
    targets = []
    for state in ("draft", "in_force"):
        version = w.versions[state]
        facts = frozenset({"draft"} if version.is_draft else set())
        found = {
            "section": version.sections.first(),
            "legal": version.legal_bases.first(),
            "value": version.values.first(),
            "commitment": version.values.first().commitments.first(),
            "leadin": version.lead_ins.first(),
            "guideline": version.guidelines.first(),
        }
        for kind, item in found.items():
            targets.append(
                Target(
                    f"{state}-{kind}",
                    {
                        **base(w),
                        "number": version.number,
                        "kind": kind,
                        "item_id": item.pk,
                    },
                    facts=facts,
                )
            )
    return targets


def draft_kinds(w: World) -> list[Target]:
    targets = []
    for state in ("draft", "in_force"):
        version = w.versions[state]
        facts = frozenset({"draft"} if version.is_draft else set())
        for kind in ("section", "legal", "value", "commitment", "leadin", "guideline"):
            query = f"value={version.values.first().pk}" if kind == "commitment" else ""
            targets.append(
                Target(
                    f"{state}-{kind}",
                    {**base(w), "number": version.number, "kind": kind},
                    query=query,
                    facts=facts,
                )
            )
    return targets


def value_base_pages(w: World) -> list[Target]:
    today = timezone.localdate()
    return [
        Target("today", base(w)),
        Target("before-any-version", base(w), query="on=2001-01-01"),
        Target(
            "on-the-retroactive-day",
            base(w),
            query=f"on={w.versions['retroactive'].effective_from.isoformat()}",
        ),
        Target("next-year", base(w), query=f"on={today.year + 1}-06-01"),
    ]


def tokens(kind: str, argument: str = "token"):
    def fill(w: World) -> list[Target]:
        return [
            Target(state, {argument: token}, facts=frozenset({state}))
            for state, token in w.tokens[kind].items()
        ] + [
            Target("invalid", {argument: "not-a-token"}, facts=frozenset({"invalid"})),
            Target(
                "tampered",
                {argument: next(iter(w.tokens[kind].values()))[:-2] + "xx"},
                facts=frozenset({"invalid"}),
            ),
        ]

    return fill


# --- Access rules for pages with objects --------------------------------------


def case(role: str, t: Target):
    return OK if reads_case(role, t.group) else MISSING


def group_page(role: str, t: Target):
    return OK if sees_group(role, t.group) else MISSING


def managed_group(role: str, t: Target):
    if not sees_group(role, t.group):
        return MISSING
    return OK if manages(role, t.group) else FORBIDDEN


def scheduled_group(role: str, t: Target):
    """Scheduling, changing and cancelling meetings: whoever leads the group,
    its facilitators as much as its managers."""
    if not sees_group(role, t.group):
        return MISSING
    return OK if leads(role, t.group) else FORBIDDEN


def meeting_change(role: str, t: Target):
    found = scheduled_group(role, t)
    if found != OK:
        return found
    return MISSING if t.has("cancelled") else OK


def series_change(*, whole: bool) -> Expect:
    def expect(role: str, t: Target):
        found = scheduled_group(role, t)
        if found != OK:
            return found
        if not t.has("series") or t.has("series-cancelled") or t.has("cancelled"):
            return MISSING
        # The whole series changes from its next meeting; "this and the
        # following" from this one, which must still be ahead.
        if (whole and t.has("series-over")) or (not whole and t.has("past")):
            return MISSING
        return OK

    return expect


def attendance(role: str, t: Target):
    if not sees_group(role, t.group):
        return MISSING
    if not leads(role, t.group):
        return FORBIDDEN
    # Before the meeting, or when it was cancelled: back to the meeting.
    if t.has("cancelled") or not t.has("started"):
        return FOUND
    return OK


def led_reflection(role: str, t: Target):
    """Open for changes, by whoever leads the group (sign-off, item changes)."""
    if not reads_case(role, t.group):
        return MISSING
    if not leads(role, t.group) or t.has("signed-off") or t.has("erased"):
        return FORBIDDEN
    return MISSING if t.has("no-items") else OK


def practice_from(role: str, t: Target):
    """A signed-off session on a dilemma, by whoever leads the group."""
    if not reads_case(role, t.group):
        return MISSING
    if not leads(role, t.group) or not t.has("signed-off"):
        return FORBIDDEN
    return FORBIDDEN if t.has("erased") or t.has("practice") else OK


def leads_case(role: str, t: Target):
    """The easy-read summary: whoever leads the group, in every state (before
    sign-off and once erased the page says why there is nothing to write), but
    not for a practice session."""
    if not reads_case(role, t.group) or t.has("practice"):
        # A practice case is fictional: there is no person to write to.
        return MISSING
    return OK if leads(role, t.group) else FORBIDDEN


def session_now(role: str, t: Target):
    """A session held now, its meeting scheduled on the spot: whoever leads
    the group, for a case still open to discussion."""
    if not reads_case(role, t.group):
        return MISSING
    if not leads(role, t.group) or t.has("erased") or t.has("closed"):
        return FORBIDDEN
    return OK


def pulse(role: str, t: Target):
    if not reads_case(role, t.group):
        return MISSING
    return STOP_POLLING if t.has("signed-off") else OK


def dilemma_change(role: str, t: Target):
    if not reads_case(role, t.group):
        return MISSING
    # The author words the case until it is put on an agenda.
    if role != t.owner or not t.has("raised") or t.has("erased"):
        return FORBIDDEN
    return OK


def evaluation_answer(role: str, t: Target):
    if not sees_group(role, t.group):
        return MISSING
    return OK if takes_part(role, t.group) else FORBIDDEN


def drafts_for_editors(role: str, t: Target):
    """Drafts are read by those who edit the value base; adopted versions by all."""
    if t.has("draft") and not capable(role, Capability.EDIT_VALUES):
        return MISSING
    return OK


def insights_tables(w: World) -> list[Target]:
    from insights.figures import Insights

    return [Target(key, query=f"table={key}") for key in Insights.KEYS] + [
        Target("no-table", facts=frozenset({"no-table"}))
    ]


def insights_table(role: str, t: Target):
    # An address that names no table is one nobody clicks: 400, said plainly.
    return 400 if t.has("no-table") else OK


def only_drafts(role: str, t: Target):
    return OK if t.has("draft") else MISSING


def follows_a_version(role: str, t: Target):
    """What a version changed, and who confirmed it: adopted versions with
    one before them (the first, superseded version has none)."""
    return MISSING if t.has("draft") or t.state == "superseded" else OK


# --- Pages outside organisations ----------------------------------------------


def signed_in_page(role: str, t: Target):
    return SIGN_IN if role == "anonymous" else OK


def public(role: str, t: Target):
    return OK


def for_anonymous(role: str, t: Target):
    """Pages for people not signed in: the signed-in are sent on."""
    return OK if role == "anonymous" else FOUND


def home(role: str, t: Target):
    # One organisation: straight to its dashboard; two: a choice.
    if role == "anonymous":
        return FOUND
    return OK if role == "member" else FOUND


def invitation(role: str, t: Target):
    if t.has("invalid") or t.has("withdrawn"):
        return MISSING
    if t.has("accepted"):
        return FOUND
    if t.has("expired"):
        return GONE
    if role == "anonymous":
        return OK
    # Signed in: only the invited person's own account accepts it.
    if t.has("existing-account") and role == "outsider":
        return OK
    return FORBIDDEN


def _own(world: World, role: str) -> str:
    return settings.LANGUAGE_CODE if role == "anonymous" else world.language(role)


def own_or_organisations(world: World, role: str, target: Target) -> str:
    """The inviting organisation's language, unless the person chose their own;
    a link that names no invitation (any more) has no organisation to go by."""
    if target.has("invalid") or target.has("withdrawn"):
        return _own(world, role)
    return "da" if role in DANISH else world.org.language


def answered_person(world: World, role: str, target: Target) -> str:
    """The language of the person the link was sent to, whoever opens it."""
    return _own(world, role) if target.has("invalid") else world.org.language


def by_token(role: str, t: Target):
    """A secret address is the credential, whoever holds it."""
    return MISSING if t.has("invalid") or t.has("replaced") else OK


def public_value_base(w: World) -> list[Target]:
    return [
        Target("published", {"org": w.org.slug}, facts=frozenset({"published"})),
        Target("not-published", {"org": w.other_org.slug}),
        Target("no-such-organisation", {"org": "no-such-place"}),
    ]


def published(role: str, t: Target):
    """Anyone reads a published value base; an unpublished one does not exist."""
    return OK if t.has("published") else MISSING


def publishers_language(world: World, role: str, target: Target) -> str:
    """A public page speaks its organisation's language to every reader."""
    return world.org.language if target.has("published") else _own(world, role)


def plain(expect: Expect, **kwargs) -> Page:
    return Page(fill=lambda w: [Target("-")], expect=expect, **kwargs)


PAGES: dict[str, Page] = {
    # Outside organisations.
    "home": plain(home),
    # The pattern page is for the platform's staff, or in development: no role
    # of the walk is staff and tests run without DEBUG (tests/core/test_patterns.py
    # opens it as staff).
    "patterns": plain(lambda r, t: MISSING),
    "set_language": Page(
        fill=lambda w: [Target("-")], expect=lambda r, t: NOT_ALLOWED, post_only=True
    ),
    "profile": plain(signed_in_page),
    "privacy:my_data": plain(signed_in_page, document=True),
    "privacy:forget_me": plain(signed_in_page),
    "health": plain(public, document=True),
    "account_email": plain(signed_in_page),
    "account_login": plain(for_anonymous),
    "account_logout": plain(lambda r, t: FOUND if r == "anonymous" else OK),
    "account_inactive": plain(public),
    "account_signup": plain(for_anonymous),
    "account_reauthenticate": plain(signed_in_page),
    "account_email_verification_sent": plain(public),
    "account_change_password": plain(signed_in_page),
    "account_set_password": plain(lambda r, t: SIGN_IN if r == "anonymous" else FOUND),
    "account_reset_password": plain(public),
    "account_reset_password_done": plain(public),
    "account_reset_password_from_key_done": plain(public),
    "account_confirm_email": Page(
        fill=lambda w: [Target("invalid-key", {"key": "not-a-key"})], expect=public
    ),
    "account_reset_password_from_key": Page(
        fill=lambda w: [Target("invalid-key", {"uidb36": "2", "key": "set-password"})],
        expect=public,
    ),
    "mfa_index": plain(signed_in_page),
    # Setting up an authenticator asks for the password again first.
    "mfa_activate_totp": plain(lambda r, t: SIGN_IN if r == "anonymous" else FOUND),
    "socialaccount_login_cancelled": plain(public),
    # allauth answers its error page with 401, as its templates expect.
    "socialaccount_login_error": plain(lambda r, t: 401),
    "socialaccount_connections": plain(signed_in_page),
    "usersessions_list": plain(signed_in_page),
    "invitation_continue": plain(lambda r, t: FOUND),
    "invitation_accept": Page(
        fill=tokens("invitation"), expect=invitation, language=own_or_organisations
    ),
    "calendar_feed": Page(fill=tokens("calendar"), expect=by_token, document=True),
    "answer_by_link": Page(
        fill=tokens("answer"), expect=by_token, language=answered_person
    ),
    # The value base in public, without signing in.
    "public:value_base": Page(
        fill=public_value_base, expect=published, language=publishers_language
    ),
    "public:accessibility": Page(
        fill=public_value_base, expect=published, language=publishers_language
    ),
    "public:privacy": Page(
        fill=public_value_base, expect=published, language=publishers_language
    ),
    # Organisation, units, members, settings.
    "organisations:dashboard": org_page(),
    "organisations:unit_list": org_page(),
    "organisations:unit_add": org_page(Capability.ADMINISTER),
    "organisations:unit_change": org_page(Capability.ADMINISTER, fill=units),
    "organisations:unit_archive": post_only(units, Capability.ADMINISTER),
    "organisations:unit_restore": post_only(units, Capability.ADMINISTER),
    "organisations:member_list": org_page(Capability.ADMINISTER),
    "organisations:member_add": org_page(Capability.ADMINISTER),
    "organisations:member_change": org_page(Capability.ADMINISTER, fill=members),
    "organisations:member_deactivate": post_only(members, Capability.ADMINISTER),
    "organisations:member_reactivate": post_only(members, Capability.ADMINISTER),
    "organisations:invitation_resend": post_only(
        one(lambda w: {"invitation_uuid": w.invitations["open"].uuid}),
        Capability.ADMINISTER,
    ),
    "organisations:invitation_withdraw": post_only(
        one(lambda w: {"invitation_uuid": w.invitations["open"].uuid}),
        Capability.ADMINISTER,
    ),
    "organisations:settings": org_page(Capability.ADMINISTER),
    # A new organisation's set-up checklist, and importing units and members.
    "organisations:setup": org_page(Capability.ADMINISTER),
    "organisations:setup_finish": post_only(one(lambda w: {}), Capability.ADMINISTER),
    "organisations:setup_value_base": post_only(
        one(lambda w: {}), Capability.ADMINISTER
    ),
    "organisations:setup_mark": post_only(
        one(lambda w: {"step": "units"}), Capability.ADMINISTER
    ),
    "organisations:unit_import": org_page(Capability.ADMINISTER),
    "organisations:member_import": org_page(Capability.ADMINISTER),
    # Only the administrator who uploaded the list sees its preview (the
    # walk's one); once confirmed, every administrator sees its state.
    "organisations:member_import_preview": org_page(
        Capability.ADMINISTER, fill=member_imports
    ),
    "organisations:member_import_confirm": post_only(
        member_imports, Capability.ADMINISTER
    ),
    "organisations:member_import_discard": post_only(
        member_imports, Capability.ADMINISTER
    ),
    # The directory: SCIM tokens, the rules that place people, sign-in.
    "provisioning:index": org_page(Capability.ADMINISTER),
    "provisioning:token_add": post_only(one(lambda w: {}), Capability.ADMINISTER),
    "provisioning:token_revoke": post_only(
        one(lambda w: {"token_uuid": uuid.UUID(int=1)}), Capability.ADMINISTER
    ),
    "provisioning:mapping_add": post_only(one(lambda w: {}), Capability.ADMINISTER),
    "provisioning:mapping_delete": post_only(
        one(lambda w: {"mapping_id": 1}), Capability.ADMINISTER
    ),
    "provisioning:sign_in": post_only(one(lambda w: {}), Capability.ADMINISTER),
    # Groups and meetings.
    "meetings:group_list": org_page(),
    "meetings:group_create": org_page(Capability.MANAGE),
    "meetings:group_detail": org_page(access=group_page, fill=groups),
    "meetings:group_change": org_page(
        Capability.MANAGE, access=managed_group, fill=groups
    ),
    "meetings:meeting_schedule": org_page(
        Capability.FACILITATE, access=scheduled_group, fill=groups
    ),
    "meetings:overview": org_page(Capability.MANAGE),
    "meetings:calendar": org_page(),
    "meetings:meeting_detail": org_page(access=group_page, fill=meetings),
    "meetings:meeting_answer": post_only(meetings),
    "meetings:meeting_change": org_page(
        Capability.FACILITATE, access=meeting_change, fill=meetings
    ),
    "meetings:meeting_cancel": post_only(meetings, Capability.FACILITATE),
    "meetings:series_change": org_page(
        Capability.FACILITATE, access=series_change(whole=True), fill=meetings
    ),
    "meetings:series_change_following": org_page(
        Capability.FACILITATE, access=series_change(whole=False), fill=meetings
    ),
    "meetings:series_cancel": post_only(meetings, Capability.FACILITATE),
    "meetings:meeting_attendance": org_page(access=attendance, fill=meetings),
    "meetings:meeting_calendar_file": org_page(
        access=group_page, fill=meetings, document=True
    ),
    # Value base and guidelines.
    "values:index": org_page(access=lambda r, t: FOUND),
    "values:in_force": org_page(fill=value_base_pages),
    "values:version_list": org_page(fill=one(base)),
    "values:search": org_page(
        fill=lambda w: [
            Target("empty", base(w)),
            Target("found", base(w), query="q=respekt"),
            Target("nothing", base(w), query="q=zzzz"),
        ]
    ),
    "values:compare": org_page(
        fill=lambda w: [
            Target("latest", base(w)),
            Target("first-and-draft", base(w), query="from=1&to=5"),
            Target("retroactive-and-in-force", base(w), query="from=2&to=3"),
        ],
    ),
    "values:import": org_page(Capability.EDIT_VALUES, fill=one(base)),
    "values:import_word": org_page(Capability.EDIT_VALUES, fill=one(base)),
    "values:draft_start": post_only(one(base), Capability.EDIT_VALUES),
    "values:version_detail": org_page(access=drafts_for_editors, fill=versions),
    "values:export": org_page(access=drafts_for_editors, fill=versions, document=True),
    "values:export_word": org_page(
        access=drafts_for_editors, fill=versions, document=True
    ),
    "values:value_detail": org_page(
        access=drafts_for_editors, fill=with_key("dignity")
    ),
    "values:draft_edit": org_page(
        Capability.EDIT_VALUES, access=only_drafts, fill=versions
    ),
    "values:draft_details": org_page(
        Capability.EDIT_VALUES, access=only_drafts, fill=versions
    ),
    "values:item_add": org_page(
        Capability.EDIT_VALUES, access=only_drafts, fill=draft_kinds
    ),
    "values:item_edit": org_page(
        Capability.EDIT_VALUES, access=only_drafts, fill=draft_items
    ),
    "values:item_delete": post_only(draft_items, Capability.EDIT_VALUES),
    "values:item_move": post_only(draft_items, Capability.EDIT_VALUES),
    "values:adopt": org_page(Capability.EDIT_VALUES, access=only_drafts, fill=versions),
    "values:discard": post_only(versions, Capability.EDIT_VALUES),
    "acknowledgements:changes": org_page(access=follows_a_version, fill=versions),
    "acknowledgements:acknowledge": post_only(versions),
    "acknowledgements:confirmations": org_page(
        Capability.MANAGE, access=follows_a_version, fill=versions
    ),
    "acknowledgements:remind": post_only(versions, Capability.MANAGE),
    "acknowledgements:confirmations_csv": org_page(
        Capability.MANAGE, access=follows_a_version, fill=versions, document=True
    ),
    "guidelines:for_me": org_page(fill=one(base)),
    "guidelines:history": org_page(
        fill=one(lambda w: {**base(w), "key": "respect-clients"})
    ),
    "guidelines:detail": org_page(
        access=drafts_for_editors, fill=with_key("respect-clients")
    ),
    # Dilemmas.
    "dilemmas:list": org_page(
        fill=lambda w: [Target("open"), Target("closed-too", query="closed=1")]
    ),
    "dilemmas:create": org_page(),
    "dilemmas:detail": org_page(access=case, fill=dilemmas),
    "dilemmas:change": org_page(access=dilemma_change, fill=dilemmas),
    "dilemmas:status": post_only(dilemmas, Capability.FACILITATE),
    "practice:list": org_page(),
    "practice:create": org_page(Capability.FACILITATE),
    "practice:detail": org_page(access=practice_case, fill=practice_cases),
    "practice:change": org_page(
        Capability.FACILITATE, access=practice_change, fill=practice_cases
    ),
    # Reflections.
    "guidance:index": org_page(),
    "guidance:glossary": org_page(),
    "guidance:method_guide": org_page(
        fill=guides,
        access=lambda r, t: MISSING if t.state == "no-such-guide" else OK,
    ),
    "guidance:dismiss": post_only(lambda w: [Target("-")]),
    "reflections:method_list": org_page(),
    "reflections:method_detail": org_page(fill=methods),
    "reflections:method_copy": post_only(methods, Capability.FACILITATE),
    "reflections:method_change": org_page(Capability.FACILITATE, fill=methods),
    "reflections:agenda_add": post_only(dilemmas, Capability.FACILITATE),
    "reflections:session_now": org_page(
        Capability.FACILITATE, access=session_now, fill=dilemmas
    ),
    "reflections:open": post_only(
        lambda w: [Target(s, {"item_uuid": i.uuid}) for s, i in w.items.items()],
        Capability.FACILITATE,
    ),
    "reflections:detail": org_page(access=case, fill=reflections),
    "reflections:citations": post_only(reflections, Capability.FACILITATE),
    "reflections:sign_off": org_page(
        Capability.FACILITATE,
        access=lambda r, t: led_reflection(r, t),
        fill=reflections,
    ),
    "reflections:amendment_add": post_only(reflections, Capability.FACILITATE),
    "reflections:plan": org_page(
        Capability.FACILITATE, access=led_reflection, fill=reflections
    ),
    "reflections:pause": org_page(
        Capability.FACILITATE, access=led_reflection, fill=reflections
    ),
    "reflections:resume": post_only(reflections, Capability.FACILITATE),
    "reflections:log": org_page(access=case, fill=reflections),
    "reflections:log_pdf": org_page(access=case, fill=reflections, document=True),
    "reflections:easy_read": org_page(
        Capability.FACILITATE, access=leads_case, fill=reflections
    ),
    "reflections:easy_read_print": org_page(
        Capability.FACILITATE, access=leads_case, fill=reflections
    ),
    "reflections:live": org_page(access=case, fill=reflections),
    "reflections:step": org_page(access=case, fill=steps),
    "reflections:step_save": post_only(steps, Capability.FACILITATE),
    "reflections:step_notes": post_only(steps, Capability.FACILITATE),
    "reflections:pulse": org_page(access=pulse, fill=steps),
    "reflections:position_save": post_only(steps),
    "reflections:item_change": org_page(
        Capability.FACILITATE, access=led_reflection, fill=step_items
    ),
    "reflections:practice_open": post_only(practice_cases, Capability.FACILITATE),
    "reflections:practice_from": org_page(
        Capability.FACILITATE, access=practice_from, fill=reflections
    ),
    "reflections:action_list": org_page(),
    "reflections:action_done": post_only(
        lambda w: [Target(s, {"action_uuid": a.uuid}) for s, a in w.actions.items()]
    ),
    # Evaluations, insights, audit.
    "evaluations:list": org_page(),
    "evaluations:answer": org_page(access=evaluation_answer, fill=reflections),
    "evaluations:results": org_page(access=group_page, fill=reflections),
    "evaluations:close": post_only(reflections),
    "insights:overview": org_page(Capability.MANAGE),
    "insights:export": org_page(
        Capability.MANAGE, access=insights_table, fill=insights_tables, document=True
    ),
    "audit:log": org_page(Capability.ADMINISTER),
    "audit:export": org_page(Capability.ADMINISTER, document=True),
    "audit:mine": org_page(),
}

SCIM = (
    "the SCIM service: a directory with a bearer token, not a member's session; "
    "tests/provisioning and the scim2-tester run check it"
)

# Pages only a flow of their own reaches, each with the reason the walk
# leaves it out. Keyed by name, or by route where the pattern has no name.
EXCLUDED = {
    "django-admin/": "Django's admin site: staff accounts only, outside the product",
    "account_confirm_login_code": "sign-in by code is off "
    "(ACCOUNT_LOGIN_BY_CODE_ENABLED); the page needs a code sent in that flow",
    "mfa_authenticate": "the second step of a sign-in: needs a password step first",
    "mfa_reauthenticate": "needs an authenticator set up and a step that asks again",
    "mfa_deactivate_totp": "needs an authenticator app set up first",
    "mfa_view_recovery_codes": "needs an authenticator app set up first",
    "mfa_generate_recovery_codes": "needs an authenticator app set up first",
    "mfa_download_recovery_codes": "needs an authenticator app set up first",
    "socialaccount_signup": "needs a sign-in from the identity provider under way",
    "openid_connect_login": "needs an OpenID Connect provider configured",
    "openid_connect_callback": "needs an OpenID Connect provider configured",
    "scim:service_provider_config": SCIM,
    "scim:resource_types": SCIM,
    "scim:resource_type": SCIM,
    "scim:schemas": SCIM,
    "scim:schema": SCIM,
    "scim:users": SCIM,
    "scim:user_search": SCIM,
    "scim:user": SCIM,
    "scim:groups": SCIM,
    "scim:group_search": SCIM,
    "scim:group": SCIM,
    "scim:search": SCIM,
    "scim/v2/<path:rest>": SCIM,
    "accounts/social/login/cancelled/": "allauth's old address; redirects to 3rdparty",
    "accounts/social/login/error/": "allauth's old address; redirects to 3rdparty",
    "accounts/social/signup/": "allauth's old address; redirects to 3rdparty",
    "accounts/social/connections/": "allauth's old address; redirects to 3rdparty",
}


@dataclass(frozen=True)
class Pattern:
    key: str
    name: str
    route: str
    callback: Callable
    arguments: tuple[str, ...]

    def __str__(self) -> str:
        return self.key


def all_patterns() -> list[Pattern]:
    found = {}
    for route, name, entry in _walk(get_resolver().url_patterns):
        assert isinstance(entry, URLPattern)
        key = name or route
        # allauth names one page twice (accounts/email/); the first one wins,
        # as in the resolver.
        found.setdefault(
            key,
            Pattern(
                key=key,
                name=name,
                route=route,
                callback=entry.callback,
                arguments=tuple(
                    a for a in entry.pattern.regex.groupindex if a != "org"
                ),
            ),
        )
    return list(found.values())


def _excluded(pattern: Pattern) -> bool:
    return pattern.key in EXCLUDED or pattern.route.startswith("django-admin/")


PATTERNS = all_patterns()
WALKED = [p for p in PATTERNS if not _excluded(p) and p.key in PAGES]


def test_the_walk_knows_every_pattern():
    unknown = [
        f"{p.key} ({p.route})"
        for p in PATTERNS
        if not _excluded(p) and p.key not in PAGES
    ]
    assert unknown == [], (
        "New URL patterns: add each to PAGES in tests/walk/test_walk.py (how to "
        "fill it and who may see it), or to EXCLUDED with the reason."
    )
    stale = sorted(
        set(PAGES) - {p.key for p in PATTERNS}
        | {
            k
            for k in EXCLUDED
            if not k.endswith("/") and k not in {p.key for p in PATTERNS}
        }
    )
    assert stale == [], "PAGES or EXCLUDED name patterns that no longer exist"


@pytest.mark.parametrize(
    "pattern", [p for p in WALKED if p.route.startswith("o/")], ids=str
)
def test_the_table_has_the_capability_the_view_checks(pattern):
    checked = getattr(pattern.callback, "required_capability", None)
    assert checked is not None, f"{pattern.key} is not wrapped in member_required"
    assert PAGES[pattern.key].capability == checked


# --- The walk -------------------------------------------------------------------

TEMPLATE_SYNTAX = re.compile(r"\{\{|\{%|%\}|\}\}")
NONE = re.compile(r"\bNone\b")


def _url(pattern: Pattern, world: World, target: Target) -> str:
    kwargs = dict(target.kwargs)
    if pattern.route.startswith("o/"):
        kwargs["org"] = world.org.slug
    missing = set(pattern.arguments) - set(kwargs)
    assert not missing, f"{pattern.key}: the filler gives no {missing}"
    url = reverse(pattern.name, kwargs=kwargs)
    return f"{url}?{target.query}" if target.query else url


# One client for the whole walk: making one loads the middleware, and
# WhiteNoise's reads every static file, which costs more than most pages.
CLIENT = Client()


def _client(world: World, role: str) -> Client:
    CLIENT.cookies.clear()
    if role != "anonymous":
        CLIENT.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[role]
    return CLIENT


def _problems(
    page: Page, world: World, role: str, target: Target, expected, response
) -> list[str]:
    status = response.status_code
    if status >= 500:
        return [f"{status}"]
    problems = []
    if expected == SIGN_IN:
        login = reverse("account_login")
        location = response.get("Location", "")
        if status != 302 or not location.startswith(login):
            problems.append(f"{status} {location}, expected 302 to sign in")
    elif status != expected:
        problems.append(f"{status}, expected {expected}")
    if page.document or status in {204, 301, 302, NOT_ALLOWED, STOP_POLLING}:
        return problems
    if "html" not in response.get("Content-Type", ""):
        return problems
    html = response.content.decode()
    if page.language is not None:
        language = page.language(world, role, target)
    elif role == "anonymous":
        language = settings.LANGUAGE_CODE
    else:
        language = world.language(role)
    if f'<html lang="{language}"' not in html[:500]:
        problems.append(f"not in {language}")
    text = visible_text(html)
    english = english_in(text, language)
    if english:
        problems.append(f"English on a {language} page: {english[:5]}")
    if NONE.search(text):
        line = next(line for line in text.splitlines() if NONE.search(line))
        problems.append(f"'None' on the page: {line[:80]!r}")
    if TEMPLATE_SYNTAX.search(html):
        found = TEMPLATE_SYNTAX.search(html)
        problems.append(
            f"template syntax: {html[max(found.start() - 40, 0) : found.end() + 40]!r}"
        )
    return problems


def walk(pattern: Pattern, world: World, target: Target) -> tuple[int, list[str]]:
    page = PAGES[pattern.key]
    url = _url(pattern, world, target)
    failures, count = [], 0
    for role in ROLES:
        expected = page.expect(role, target)
        count += 1
        try:
            response = _client(world, role).get(url)
            if getattr(response, "streaming", False):
                # Files made while they are sent fail while they are sent.
                b"".join(response.streaming_content)
        except Exception as error:  # noqa: BLE001 - the page answered 500
            failures.append(
                f"{pattern.key} [{target.state}] as {role}: 500 "
                f"{type(error).__name__}: {str(error)[:200]} ({url})"
            )
            continue
        for problem in _problems(page, world, role, target, expected, response):
            failures.append(
                f"{pattern.key} [{target.state}] as {role}: {problem} ({url})"
            )
    return count, failures


# Known failures whose fix belongs to another piece of work: (pattern, state)
# and the cause. The walk leaves them out and test_known_failure expects each
# to fail (strictly, so the entry must go when the fix lands).
# None at the moment: the 500 on steps with a value cited (issue 19, item 1;
# reflections:step, live and pulse in 11 states) was here until its fix landed.
KNOWN: dict[tuple[str, str], str] = {}


def targets(world: World, pattern: Pattern) -> list[Target]:
    page = PAGES[pattern.key]
    found = page.fill(world)
    # A GET to a page that only takes POST is refused before anything is
    # looked up: one address stands for all.
    return found[:1] if page.post_only else found


def _walk_targets(world: World, pattern: Pattern, *, known: bool) -> list[str]:
    failures, requests = [], 0
    for target in targets(world, pattern):
        if ((pattern.key, target.state) in KNOWN) != known:
            continue
        count, found = walk(pattern, world, target)
        requests += count
        failures += found
    assert requests, f"{pattern.key}: nothing to walk"
    return failures


@pytest.mark.parametrize("pattern", WALKED, ids=str)
def test_walk(world, pattern):
    failures = _walk_targets(world, pattern, known=False)
    assert failures == [], "\n".join(failures)


BY_KEY = {pattern.key: pattern for pattern in PATTERNS}


@pytest.mark.parametrize(
    ("key", "state"),
    [
        pytest.param(key, state, marks=pytest.mark.xfail(strict=True, reason=cause))
        for (key, state), cause in KNOWN.items()
    ],
)
def test_known_failure(world, key, state):
    target = next(t for t in targets(world, BY_KEY[key]) if t.state == state)
    _count, failures = walk(BY_KEY[key], world, target)
    assert failures == [], "\n".join(failures)
