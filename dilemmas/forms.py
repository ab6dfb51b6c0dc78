from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext_lazy as _

from lib.forms import form_field
from organisations.models import Membership, ReflectionGroup

from .guard import IdentifierGuardMixin
from .models import Dilemma, ValueTension, Voice

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise as Label
else:
    Label = str

Asked = Voice.Asked
Kind = Voice.Kind

# What each kind of voice is asked: whether and how, why not, and their words.
_QUESTIONS: dict[str, tuple[Label, Label]] = {
    Kind.PERSON: (
        _("Was the person asked for their view?"),
        _("What does the person want, in their own words?"),
    ),
    Kind.NETWORK: (
        _("Were relatives or the network asked?"),
        _("What do they want, in their own words?"),
    ),
    Kind.REPRESENTATIVE: (
        _("Was a representative asked, such as a personal ombudsman or a guardian?"),
        _("What does the representative want, in their own words?"),
    ),
}
_ANSWERS: dict[str, list[tuple[str, Label]]] = {
    Kind.PERSON: [
        (Asked.IN_PERSON, Asked.IN_PERSON.label),
        (Asked.THROUGH_REPRESENTATIVE, Asked.THROUGH_REPRESENTATIVE.label),
        (Asked.NOT_ASKED, Asked.NOT_ASKED.label),
        (Asked.NOT_POSSIBLE, Asked.NOT_POSSIBLE.label),
    ],
    Kind.NETWORK: [
        (Asked.IN_PERSON, Asked.IN_PERSON.label),
        (Asked.NOT_ASKED, Asked.NOT_ASKED.label),
        (Asked.NOT_POSSIBLE, Asked.NOT_POSSIBLE.label),
        (Asked.NO_ONE, _("There are no relatives or network to ask")),
    ],
    Kind.REPRESENTATIVE: [
        (Asked.IN_PERSON, Asked.IN_PERSON.label),
        (Asked.NOT_ASKED, Asked.NOT_ASKED.label),
        (Asked.NOT_POSSIBLE, Asked.NOT_POSSIBLE.label),
        (Asked.NO_ONE, _("The person has no representative")),
    ],
}


def _voice_fields(kind: str) -> dict[str, forms.Field]:
    asked, wishes = _QUESTIONS[kind]
    return {
        f"{kind}_asked": forms.ChoiceField(
            label=asked,
            choices=_ANSWERS[kind],
            required=False,
            widget=forms.RadioSelect,
        ),
        f"{kind}_why_not": forms.CharField(
            label=_("Why was it not possible to ask?"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 2}),
        ),
        f"{kind}_wishes": forms.CharField(
            label=wishes,
            help_text=_(
                "As they said it, as far as you can, without names or other "
                "details that identify anyone."
            ),
            required=False,
            widget=forms.Textarea(attrs={"rows": 3}),
        ),
    }


class VoiceGroup:
    """The fields of one kind of voice, for the form's template."""

    def __init__(self, label: Label | str, fields: list[BoundField]) -> None:
        self.label = label
        self.fields = fields


class DilemmaForm(IdentifierGuardMixin, forms.ModelForm[Dilemma]):
    guarded_fields = (
        "title",
        "description",
        "question",
        *(f"{kind}_{part}" for kind in Kind for part in ("why_not", "wishes")),
    )

    class Meta:
        model = Dilemma
        fields = ["group", "title", "description", "question", "tensions", "anonymous"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 8}),
            "tensions": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Raised for a group whose cases the author reads: their own, or one
        # in a unit they head. An administrator sees every group but reads no
        # case by that role, and would be refused the dilemma just raised.
        form_field(
            self, "group", forms.ModelChoiceField
        ).queryset = ReflectionGroup.objects.case_readable_by(membership)
        form_field(
            self, "tensions", forms.ModelMultipleChoiceField
        ).queryset = ValueTension.objects.seeded_for(membership.organisation)
        if self.instance.pk:
            del self.fields["group"]
        for kind in Kind:
            self.fields.update(_voice_fields(kind))
        if self.instance.pk:
            for voice in self.instance.voices.all():
                self.initial[f"{voice.kind}_asked"] = voice.asked
                self.initial[f"{voice.kind}_why_not"] = voice.why_not
                self.initial[f"{voice.kind}_wishes"] = voice.wishes

    @property
    def case_fields(self) -> list[BoundField]:
        return [self[name] for name in self._meta.fields or [] if name in self.fields]

    @property
    def voice_groups(self) -> list[VoiceGroup]:
        return [
            VoiceGroup(
                kind.label,
                [self[f"{kind}_{part}"] for part in ("asked", "why_not", "wishes")],
            )
            for kind in Kind
        ]

    @property
    def reason_fields(self) -> list[BoundField]:
        """The reason for saving past the identifier guard, once it is asked."""
        field = self["save_anyway_reason"]
        return [] if field.is_hidden else [field]

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        for kind in Kind:
            self._clean_voice(kind, cleaned_data)
        return cleaned_data

    def _clean_voice(self, kind: str, data: dict[str, Any]) -> None:
        asked = data.get(f"{kind}_asked") or ""
        why_not = (data.get(f"{kind}_why_not") or "").strip()
        wishes = (data.get(f"{kind}_wishes") or "").strip()
        if not asked and (why_not or wishes):
            self.add_error(
                f"{kind}_asked",
                _("Say whether they were asked, or clear what you wrote below."),
            )
        if asked in Voice.HEARD and not wishes:
            self.add_error(
                f"{kind}_wishes",
                _(
                    "Write what they want, in their own words, or choose "
                    "another answer."
                ),
            )
        if asked == Asked.NOT_POSSIBLE and not why_not:
            self.add_error(
                f"{kind}_why_not", _("Say why it was not possible to ask them.")
            )
        if why_not and asked and asked != Asked.NOT_POSSIBLE:
            self.add_error(
                f"{kind}_why_not",
                _(
                    "A reason is kept only when asking was not possible: choose "
                    "that answer, or clear the reason."
                ),
            )
        if wishes and asked in (Asked.NOT_ASKED, Asked.NO_ONE):
            self.add_error(
                f"{kind}_wishes",
                _(
                    "Their words are kept only when they were asked, or asking "
                    "was not possible: choose that answer, or clear the text."
                ),
            )

    def save(self, commit: bool = True) -> Dilemma:
        dilemma = super().save(commit=commit)
        if commit:
            self.save_voices(dilemma)
        return dilemma

    def save_voices(self, dilemma: Dilemma) -> None:
        """Keep one record per kind answered; an unanswered kind has none."""
        for kind in Kind:
            asked = self.cleaned_data.get(f"{kind}_asked") or ""
            if not asked:
                Voice.objects.filter(dilemma=dilemma, kind=kind).delete()
                continue
            Voice.objects.update_or_create(
                dilemma=dilemma,
                kind=kind,
                defaults={
                    "asked": asked,
                    "why_not": (self.cleaned_data.get(f"{kind}_why_not") or "").strip(),
                    "wishes": (self.cleaned_data.get(f"{kind}_wishes") or "").strip(),
                },
            )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Dilemma.Status.RAISED, Dilemma.Status.RAISED.label),
            (Dilemma.Status.CLOSED, Dilemma.Status.CLOSED.label),
        ],
    )
