"""Template helpers every page may use (loaded as builtins, see settings)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import template
from django.forms import BaseForm, BaseFormSet, BoundField
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import zones
from lib.readability import Band, measure

register = template.Library()

# Django's own messages for an empty field and a date that is none name no
# field; the summary and the field say which one, and what to do. Their message
# ids (django/forms/fields.py) are compared in the language of the request.
_GENERIC_REQUIRED = "This field is required."
_GENERIC_DATE = "Enter a valid date."
_CHOICE_WIDGETS = {"radioselect", "select", "checkboxselectmultiple", "selectmultiple"}


def _specific(field: BoundField, message: str) -> str:
    """`message`, or for Django's bare "This field is required." one that names
    the field and says what to do; for a date that is no date, how to write one."""
    if field.widget_type == "dateparts" and message in (
        _GENERIC_DATE,
        gettext(_GENERIC_DATE),
    ):
        return gettext(
            "Enter a real date: the day, the month and the year, such as 12 7 2026."
        )
    if message != _GENERIC_REQUIRED and message != gettext(_GENERIC_REQUIRED):
        return message
    label = str(field.label or field.name).rstrip(" :?.")
    if field.widget_type == "checkbox":
        return gettext("Tick “%(label)s” to go on.") % {"label": label}
    if field.widget_type in _CHOICE_WIDGETS:
        return gettext("Choose an answer for “%(label)s”.") % {"label": label}
    return gettext("Fill in “%(label)s”.") % {"label": label}


@register.filter
def field_errors(field: BoundField) -> list[str]:
    """The field's error messages as the summary and the field show them."""
    return [_specific(field, str(message)) for message in field.errors]


@register.filter
def guard_findings(field: BoundField) -> list[Any]:
    """What the identifier guard found in this field, with where (if anything)."""
    found: dict[str, list[Any]] = getattr(field.form, "guard_findings", {})
    return found.get(field.name, [])


@register.filter
def besides(messages: list[str], findings: list[Any]) -> list[str]:
    """The messages that are not one of the guard's findings (listed apart)."""
    listed = {str(finding.message) for finding in findings}
    return [message for message in messages if message not in listed]


def field_anchor(field: BoundField) -> str:
    """Where a link to the field goes: its input, or the fieldset of a group."""
    return field.id_for_label or f"{field.auto_id}_fieldset"


def summary_errors(*forms: BaseForm | BaseFormSet[Any] | None) -> list[tuple[str, str]]:
    """Every error of the given forms and formsets as (anchor, message), each
    message once."""
    errors: list[tuple[str, str]] = []
    for form in forms:
        if isinstance(form, BaseFormSet):
            if form.is_bound:
                anchor = f"{form.prefix}-errors"
                errors += [(anchor, str(m)) for m in form.non_form_errors()]
                errors += summary_errors(*form.forms)
            continue
        if not form or not getattr(form, "is_bound", False) or not form.errors:
            continue
        prefix = form.prefix or "form"
        for message in form.non_field_errors():
            errors.append((f"{prefix}-errors", str(message)))
        for field in form:
            if field.is_hidden:
                # Nowhere to go on the page: the message goes with the form's own.
                errors.extend(
                    (f"{prefix}-errors", f"{field.label}: {message}")
                    for message in field.errors
                )
                continue
            anchor = field_anchor(field)
            errors.extend((anchor, message) for message in field_errors(field))
    return list(dict.fromkeys(errors))


@register.inclusion_tag("includes/error_summary.html")
def error_summary(
    *forms: BaseForm | BaseFormSet[Any] | None,
) -> dict[str, list[tuple[str, str]]]:
    """Every error of the given forms, each linking to its field (GOV.UK pattern)."""
    return {"errors": summary_errors(*forms)}


# What each LIX band means, in the reader's language (lib/readability.py).
READABILITY_BANDS = {
    Band.VERY_EASY: _("very easy"),
    Band.EASY: _("easy"),
    Band.MEDIUM: _("medium"),
    Band.HARD: _("hard"),
    Band.VERY_HARD: _("very hard"),
    Band.EXTREMELY_HARD: _("hardest, like legal or academic prose"),
}
# An easy-read text should stay below this LIX; above it the box says how.
EASY_READ_LIMIT = 30


@register.inclusion_tag("includes/readability.html")
def readability(text: str | None, field_id: str = "") -> dict[str, object]:
    """How easy `text` is to read: LIX and its band, sentence and word length."""
    found = measure(text or "")
    return {
        "field_id": field_id,
        "measured": found,
        "lix": round(found.lix),
        "band": READABILITY_BANDS[found.band],
        "hard": not found.is_empty and found.lix >= EASY_READ_LIMIT,
        "limit": EASY_READ_LIMIT,
    }


@dataclass
class Reveal:
    """Fields that matter only after a choice, drawn after the field that makes it.

    Shown by CSS alone (`.reveal:has(...)`, no JavaScript) once the control is
    ticked or a choice other than the empty one is made; the form ignores
    them otherwise. A browser without `:has()` shows them all the time.
    """

    control: BoundField
    fields: list[BoundField]


@dataclass
class Disclosure:
    """Fields few people need, folded under a summary (`<details>`), open when
    they hold something or have an error."""

    summary: str
    fields: list[BoundField]
    open: bool


@register.filter
def layout(form: BaseForm) -> list[BoundField | Reveal | Disclosure]:
    """The form's visible fields in order, with those it names in `reveals`
    ({control: (field, ...)}) and `disclosures` ({field: summary}) grouped."""
    reveals: dict[str, tuple[str, ...]] = getattr(form, "reveals", {})
    disclosures: dict[str, Any] = getattr(form, "disclosures", {})
    grouped = {name for names in reveals.values() for name in names}
    items: list[BoundField | Reveal | Disclosure] = []
    for field in form.visible_fields():
        if field.name in grouped:
            continue
        if field.name in reveals:
            dependent = [form[n] for n in reveals[field.name] if n in form.fields]
            items.append(Reveal(field, [f for f in dependent if not f.is_hidden]))
        elif field.name in disclosures:
            held = bool(field.value()) or bool(field.errors)
            items.append(Disclosure(str(disclosures[field.name]), [field], held))
        else:
            items.append(field)
    return items


@register.filter
def zone_name(key: str) -> str:
    """A time zone's IANA key as the page's language names it in a sentence."""
    return zones.zone_name(key)
