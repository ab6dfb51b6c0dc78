"""Reading a member list from an HR system, and planning what it changes.

`read_members` turns an uploaded file (lib.tables) into rows by column
meaning: the headers may be Swedish, Danish or English, in any order, with
any other columns beside them. `plan` compares the rows with the
organisation as it is now and says per row what a confirmation would do;
`organisations.memberimport_apply` does it. Planning reads the organisation
in a handful of queries whatever the size of the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import F
from django.db.models.functions import Lower
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from lib.tables import TableError, read_table

from .models import Invitation, Membership, Organisation, Role, Unit

MAX_ROWS = 10_000
# Cells of the guideline audiences column: "Chefer; Medarbetare".
AUDIENCE_SEPARATORS = re.compile(r"\s*[;|,]\s*")

# Header words by column meaning, compared without case, spaces or
# punctuation ("E-post" is "epost"). HR systems name the same thing many ways.
HEADERS: dict[str, tuple[str, ...]] = {
    "email": (
        "email",
        "emailaddress",
        "mail",
        "epost",
        "epostadress",
        "mejl",
        "mejladress",
        "emailadresse",
        "mailadresse",
        "arbejdsmail",
        "workemail",
        "userprincipalname",
        "upn",
    ),
    "name": (
        "name",
        "fullname",
        "displayname",
        "namn",
        "fulltnamn",
        "fullständigtnamn",
        "navn",
        "fuldtnavn",
        "fuldenavn",
        "medarbejder",
        "medarbetare",
        "employee",
    ),
    "first_name": ("firstname", "givenname", "förnamn", "fornavn"),
    "last_name": ("lastname", "surname", "familyname", "efternamn", "efternavn"),
    "unit": (
        "unit",
        "department",
        "enhet",
        "avdelning",
        "arbetsplats",
        "enhed",
        "afdeling",
        "arbejdssted",
        "organisationalunit",
        "organizationalunit",
        "orgunit",
        "enhetsnamn",
        "enhedsnavn",
        "unitname",
    ),
    "unit_code": (
        "unitcode",
        "departmentcode",
        "code",
        "kod",
        "kode",
        "enhetskod",
        "enhetsid",
        "kostnadsställe",
        "enhedskode",
        "afdelingskode",
        "omkostningssted",
        "costcentre",
        "costcenter",
        "unitid",
    ),
    "role": ("role", "roll", "rolle", "roleinetikrum", "behörighet", "rettighed"),
    "audiences": (
        "audiences",
        "audience",
        "guidelineaudiences",
        "målgrupper",
        "målgrupp",
        "riktlinjer",
        "retningslinjer",
        "målgrupperförriktlinjer",
        "målgrupperforretningslinjer",
    ),
}
_BY_WORD = {word: meaning for meaning, words in HEADERS.items() for word in words}

# Words for the roles beyond their names in the three languages.
ROLE_WORDS: dict[str, str] = {
    "personal": Role.STAFF,
    "anställd": Role.STAFF,
    "medarbetare": Role.STAFF,
    "medarbejder": Role.STAFF,
    "employee": Role.STAFF,
    "etikombud": Role.FACILITATOR,
    "samtalsledare": Role.FACILITATOR,
    "samtaleleder": Role.FACILITATOR,
    "chef": Role.MANAGER,
    "leder": Role.MANAGER,
    "enhetschef": Role.MANAGER,
    "redaktör": Role.EDITOR,
    "redaktør": Role.EDITOR,
    "admin": Role.ADMIN,
    "administratör": Role.ADMIN,
    "administrator": Role.ADMIN,
}


class Outcome:
    INVITE = "invite"
    CHANGE = "change"
    SAME = "same"
    ERROR = "error"

    LABELS = {
        INVITE: pgettext_lazy("import outcome", "Invite"),
        CHANGE: pgettext_lazy("import outcome", "Change"),
        SAME: pgettext_lazy("import outcome", "No change"),
        ERROR: pgettext_lazy("import outcome", "Error"),
    }
    ORDER = (ERROR, INVITE, CHANGE, SAME)


class FileError(Exception):
    """The file as a whole cannot be imported; the message is for the page."""


def _word(text: str) -> str:
    return re.sub(r"[^0-9a-zåäöæøü]", "", text.lower())


@dataclass
class Reading:
    rows: list[dict[str, Any]]
    columns: dict[str, str]
    ignored: list[str]


def read_members(data: bytes) -> Reading:
    """The rows of an uploaded member list, each a dict by column meaning."""
    try:
        table = read_table(data, max_rows=MAX_ROWS + 1)
    except TableError as error:
        raise FileError(_table_message(error.code)) from None
    if not table:
        raise FileError(_("The file is empty."))
    header, *body = table
    if not body:
        raise FileError(_("The file has a header line but no people below it."))
    columns: dict[str, int] = {}
    ignored = []
    for index, cell in enumerate(header):
        meaning = _BY_WORD.get(_word(cell))
        if meaning is None or meaning in columns:
            if cell:
                ignored.append(cell)
            continue
        columns[meaning] = index
    if "email" not in columns:
        raise FileError(
            _(
                "No column of e-mail addresses was found. Name it E-mail, E-post "
                "or E-mailadresse."
            )
        )
    rows = []
    for number, cells in enumerate(body, start=2):
        row: dict[str, Any] = {"line": number}
        for meaning, index in columns.items():
            row[meaning] = cells[index] if index < len(cells) else ""
        rows.append(row)
    return Reading(rows, {m: header[i] for m, i in columns.items()}, ignored)


def _table_message(code: str) -> str:
    if code == "too_many_rows":
        return _(
            "The file has more than %(count)s people. Split it into several files."
        ) % {"count": f"{MAX_ROWS:,}".replace(",", "\u00a0")}
    if code == "xlsx":
        return _("The file could not be read as an Excel workbook (.xlsx).")
    return _(
        "The file could not be read. Save it as CSV (UTF-8) or as an Excel "
        "workbook (.xlsx)."
    )


@dataclass
class RowPlan:
    """What confirming would do for one row of the file."""

    line: int
    email: str
    name: str
    outcome: str = Outcome.SAME
    role: str = Role.STAFF
    unit: Unit | None = None
    # None: leave the member's audiences as they are.
    audience_ids: list[int] | None = None
    membership_id: int | None = None
    # What changes, as (kind, values); `change_texts` words it.
    changes: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    note: str = ""

    @property
    def outcome_label(self) -> str:
        return str(Outcome.LABELS[self.outcome])

    @property
    def role_label(self) -> str:
        return str(Role(self.role).label)

    def change_texts(self) -> list[str]:
        """The changes in the active language: the page's, or the audit row's."""
        texts = []
        for kind, values in self.changes:
            if kind == "unit":
                texts.append(_("Moves to %(unit)s") % values)
            elif kind == "role":
                texts.append(
                    _("Role: %(old)s → %(new)s")
                    % {
                        "old": Role(values["old"]).label,
                        "new": Role(values["new"]).label,
                    }
                )
            else:
                texts.append(_("Guideline audiences: %(names)s") % values)
        return texts


@dataclass
class _Known:
    """The organisation as the plan compares against it, read once."""

    members: dict[str, Any]
    member_audiences: dict[int, set[int]]
    pending: set[str]
    unproven: set[str]
    units_by_code: dict[str, Unit]
    units_by_name: dict[str, list[Unit]]
    audiences: dict[str, Any]
    audience_names: dict[int, str]
    roles: dict[str, str]
    admin_count: int


def _known(organisation: Organisation, emails: Iterable[str]) -> _Known:
    from allauth.account.models import EmailAddress

    emails = list(emails)
    members: dict[str, Any] = {
        row["email"]: row
        for row in Membership.objects.for_organisation(organisation)
        .annotate(email=Lower("user__email"))
        .filter(email__in=emails)
        .values("pk", "email", "role", "unit_id", "is_active", "user__is_active")
    }
    member_audiences: dict[int, set[int]] = {}
    through = Membership.audiences.through.objects.filter(
        membership__organisation=organisation
    ).values_list("membership_id", "audience_id")
    for membership_id, audience_id in through:
        member_audiences.setdefault(membership_id, set()).add(audience_id)
    pending = set(
        Invitation.objects.for_organisation(organisation)
        .pending()
        .annotate(address=Lower("email"))
        .values_list("address", flat=True)
    )
    # An account that signs in with an address it never proved cannot be
    # invited (organisations.forms.MemberAddForm says why).
    unproven = set(
        EmailAddress.objects.filter(verified=False)
        .annotate(address=Lower("email"), account=Lower("user__email"))
        .filter(address=F("account"), address__in=emails)
        .values_list("address", flat=True)
    )
    units = list(Unit.objects.for_organisation(organisation).current())
    units_by_name: dict[str, list[Unit]] = {}
    for unit in units:
        units_by_name.setdefault(unit.name.casefold(), []).append(unit)
    audiences, names = _audiences(organisation)
    admins = (
        Membership.objects.for_organisation(organisation)
        .active()
        .with_role(Role.ADMIN)
        .count()
    )
    return _Known(
        members=members,
        member_audiences=member_audiences,
        pending=pending,
        unproven=unproven,
        units_by_code={unit.code.casefold(): unit for unit in units if unit.code},
        units_by_name=units_by_name,
        audiences=audiences,
        audience_names=names,
        roles=_role_words(),
        admin_count=admins,
    )


def _audiences(organisation: Organisation) -> tuple[dict[str, Any], dict[int, str]]:
    """The guideline audiences by key and by name, and their names by id."""
    audience_model = Membership.audiences.rel.model
    audiences: dict[str, Any] = {}
    names = {}
    audience: Any
    for audience in audience_model._default_manager.filter(organisation=organisation):
        audiences[audience.key.casefold()] = audience
        audiences[audience.name.casefold()] = audience
        names[audience.pk] = audience.name
    return audiences, names


def _role_words() -> dict[str, str]:
    words = {_word(word): role for word, role in ROLE_WORDS.items()}
    for language in ("en", "sv", "da"):
        with translation.override(language):
            for role in Role:
                words[_word(str(role.label))] = role.value
    for role in Role:
        words[role.value] = role.value
    return words


def plan(
    organisation: Organisation, rows: list[dict[str, Any]], *, importer: Membership
) -> list[RowPlan]:
    """What confirming would do, row by row, against the organisation as it is."""
    emails = [str(row.get("email", "")).strip().lower() for row in rows]
    known = _known(organisation, {email for email in emails if email})
    seen: dict[str, int] = {}
    plans = []
    # Demotions of administrators are counted as the file goes, so that the
    # last one standing is kept whatever order the rows come in.
    admins = [known.admin_count]
    for row, email in zip(rows, emails, strict=True):
        plans.append(_plan_row(row, email, known, seen, admins, importer))
    return plans


def _name(row: dict[str, Any]) -> str:
    name = str(row.get("name", "")).strip()
    if not name:
        parts = (row.get("first_name", ""), row.get("last_name", ""))
        name = " ".join(str(part).strip() for part in parts if str(part).strip())
    return name[:150]


def _plan_row(  # long: one row's checks read best in the order the page lists them
    row: dict[str, Any],
    email: str,
    known: _Known,
    seen: dict[str, int],
    admins: list[int],
    importer: Membership,
) -> RowPlan:
    line = int(row["line"])
    result = RowPlan(line=line, email=email, name=_name(row))
    if not email:
        result.errors.append(_("No e-mail address."))
    else:
        try:
            validate_email(email)
        except ValidationError:
            result.errors.append(_("Not an e-mail address."))
        if email in seen:
            result.errors.append(
                _("The same address is also on line %(line)s.") % {"line": seen[email]}
            )
        else:
            seen[email] = line
    role, unit, audience_ids = _read_cells(row, known, result)
    member = known.members.get(email)
    if member is not None and not member["is_active"]:
        result.errors.append(
            _("Deactivated in this organisation: reactivate them from the member list.")
        )
    if member is None and email in known.unproven:
        result.errors.append(
            _("The address belongs to an account that has not verified it.")
        )
    if result.errors:
        result.outcome = Outcome.ERROR
        return result
    if member is None:
        result.role = role or Role.STAFF
        result.unit = unit
        result.audience_ids = audience_ids or []
        if email in known.pending:
            result.outcome = Outcome.SAME
            result.note = _("Already invited; the invitation is still open.")
        else:
            result.outcome = Outcome.INVITE
        return result
    result.membership_id = member["pk"]
    _compare(result, member, role, unit, audience_ids, known)
    if result.role != member["role"] and member["role"] == Role.ADMIN:
        if member["pk"] == importer.pk:
            result.errors.append(_("You cannot change your own role by an import."))
        elif admins[0] <= 1:
            result.errors.append(
                _("The organisation needs at least one administrator.")
            )
        else:
            admins[0] -= 1
    if result.errors:
        result.outcome = Outcome.ERROR
        result.changes = []
    else:
        result.outcome = Outcome.CHANGE if result.changes else Outcome.SAME
    return result


def _read_cells(
    row: dict[str, Any], known: _Known, result: RowPlan
) -> tuple[str, Unit | None, list[int] | None]:
    role = ""
    role_cell = str(row.get("role", "")).strip()
    if role_cell:
        role = known.roles.get(_word(role_cell), "")
        if not role:
            result.errors.append(
                _("Unknown role “%(role)s”.") % {"role": role_cell[:60]}
            )
    unit = _find_unit(row, known, result)
    audience_ids = None
    audience_cell = str(row.get("audiences", "")).strip()
    if audience_cell:
        audience_ids = []
        whole = known.audiences.get(audience_cell.casefold())
        parts = [whole] if whole else AUDIENCE_SEPARATORS.split(audience_cell)
        for part in parts:
            audience = (
                part
                if not isinstance(part, str)
                else known.audiences.get(part.casefold())
            )
            if audience is None:
                result.errors.append(
                    _("Unknown guideline audience “%(name)s”.") % {"name": part[:60]}
                )
            elif audience.pk not in audience_ids:
                audience_ids.append(audience.pk)
    return role, unit, audience_ids


def _find_unit(row: dict[str, Any], known: _Known, result: RowPlan) -> Unit | None:
    code = str(row.get("unit_code", "")).strip()
    name = str(row.get("unit", "")).strip()
    if code:
        unit = known.units_by_code.get(code.casefold())
        if unit is not None:
            return unit
        if not name:
            result.errors.append(
                _("No unit has the code “%(code)s”.") % {"code": code[:60]}
            )
            return None
    if not name:
        return None
    found = known.units_by_name.get(name.casefold(), [])
    if len(found) == 1:
        return found[0]
    if found:
        result.errors.append(
            _("Several units are called “%(name)s”: give the unit's code.")
            % {"name": name[:60]}
        )
    else:
        result.errors.append(_("No unit is called “%(name)s”.") % {"name": name[:60]})
    return None


def _compare(
    result: RowPlan,
    member: dict[str, Any],
    role: str,
    unit: Unit | None,
    audience_ids: list[int] | None,
    known: _Known,
) -> None:
    """What would change for an existing member; empty cells change nothing."""
    result.role = role or member["role"]
    result.unit = unit
    if unit is not None and unit.pk != member["unit_id"]:
        result.changes.append(("unit", {"unit": unit.name}))
    if result.role != member["role"]:
        result.changes.append(("role", {"old": member["role"], "new": result.role}))
    current = known.member_audiences.get(member["pk"], set())
    if audience_ids is not None and set(audience_ids) != current:
        result.audience_ids = audience_ids
        names = ", ".join(known.audience_names[pk] for pk in audience_ids)
        result.changes.append(("audiences", {"names": names}))
