"""The form mixin that stops a save with identifiers in it, or records why not."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .detect import find_identifiers
from .kinds import IdentifierMatch
from .messages import Place, places

# A pasted list of contacts would otherwise bury the form in messages.
_MESSAGES_PER_FIELD = 10


class OverrideRecord(TypedDict):
    """What a form records when saved anyway: never the identifiers themselves."""

    reason: str
    kinds: list[str]
    fields: list[str]


# The mixin goes on forms; the checker sees it as one.
if TYPE_CHECKING:
    _FormBase = forms.BaseForm
else:
    _FormBase = object


class IdentifierGuardMixin(_FormBase):
    """Stops a form from saving personal identifiers in `guarded_fields`.

    The form gets an optional `save_anyway_reason` field. With identifiers and
    no reason, each guarded field that has them gets one error per place found
    (`guard_findings` holds the places, to mark them in the text); with a
    reason, the form is valid and `guard_override` holds what to record
    (reason, kinds of identifier, field names - never the values). Without
    identifiers `guard_override` is None.
    """

    guarded_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guard_override: OverrideRecord | None = None
        self.identifier_matches: dict[str, list[IdentifierMatch]] = {}
        self.guard_findings: dict[str, list[Place]] = {}
        self.fields.setdefault(
            "save_anyway_reason",
            forms.CharField(
                label=_("Reason for saving anyway (optional)"),
                help_text=_(
                    "Only if the text must keep what was found, say why. The "
                    "reason is recorded; the identifier is not."
                ),
                required=False,
                max_length=500,
                widget=forms.Textarea(attrs={"rows": 2}),
            ),
        )
        # The reason is asked for only once something was found (or given).
        field_name = self.add_prefix("save_anyway_reason")
        if not (self.is_bound and (self.data.get(field_name) or "").strip()):
            self.fields["save_anyway_reason"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        if cleaned_data is None:  # A clean() may change cleaned_data in place.
            cleaned_data = self.cleaned_data
        self.guard_override = None
        self.identifier_matches = self._guard_matches(cleaned_data)
        if not self.identifier_matches:
            return cleaned_data

        self.fields["save_anyway_reason"].widget = forms.Textarea(attrs={"rows": 2})
        reason = self._guard_reason(cleaned_data)
        if reason:
            self.guard_override = self._guard_record(reason)
            return cleaned_data

        # The reason stays an optional field: what is wrong is the text.
        for name, matches in self.identifier_matches.items():
            found = places(cleaned_data[name], matches)
            self.guard_findings[name] = found[:_MESSAGES_PER_FIELD]
            self.add_error(name, _field_errors(found))
        return cleaned_data

    def _guard_matches(
        self, cleaned_data: dict[str, Any]
    ) -> dict[str, list[IdentifierMatch]]:
        """The identifiers in each guarded field that has any."""
        found: dict[str, list[IdentifierMatch]] = {}
        for name in self.guarded_fields:
            value = cleaned_data.get(name)
            if isinstance(value, str) and (matches := find_identifiers(value)):
                found[name] = matches
        return found

    def _guard_reason(self, cleaned_data: dict[str, Any]) -> str:
        """The reason given for saving anyway, unless it has an identifier too."""
        reason: str = (cleaned_data.get("save_anyway_reason") or "").strip()
        if reason and find_identifiers(reason):
            self.add_error(
                "save_anyway_reason",
                ValidationError(
                    _("Leave the identifier itself out of the reason."),
                    code="identifier",
                ),
            )
            return ""
        return reason

    def _guard_record(self, reason: str) -> OverrideRecord:
        """What is recorded of a save past the guard: the reason, the kinds found
        (each once, in the order found) and the fields."""
        kinds: list[str] = []
        for matches in self.identifier_matches.values():
            kinds.extend(m.kind for m in matches if m.kind not in kinds)
        return {
            "reason": reason,
            "kinds": kinds,
            "fields": list(self.identifier_matches),
        }


def _field_errors(found: list[Place]) -> list[ValidationError]:
    """A field's errors: each place found, at most _MESSAGES_PER_FIELD of them
    and how many more."""
    errors = [
        ValidationError(place.message, code="identifier")
        for place in found[:_MESSAGES_PER_FIELD]
    ]
    if hidden := len(found[_MESSAGES_PER_FIELD:]):
        errors.append(
            ValidationError(
                ngettext(
                    "And %(count)d more place like these.",
                    "And %(count)d more places like these.",
                    hidden,
                )
                % {"count": hidden},
                code="identifier",
            )
        )
    return errors
