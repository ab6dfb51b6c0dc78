from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from dilemmas.guard import IdentifierGuardMixin

from .models import Area, PracticeCase

GUARDED = ("title", "situation", "question", "tensions", "note")


class PracticeCaseForm(IdentifierGuardMixin, forms.ModelForm[PracticeCase]):
    """An organisation's own case, behind the identifier guard like a dilemma."""

    guarded_fields = GUARDED

    class Meta:
        model = PracticeCase
        fields = ["area", "title", "situation", "question", "tensions", "note"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 8}),
            "tensions": forms.Textarea(attrs={"rows": 3}),
            "note": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Blank in the model because built-in cases keep their texts elsewhere;
        # an organisation's own case needs them all but the note.
        for name in ("title", "situation", "question", "tensions"):
            self.fields[name].required = True


class AreaFilterForm(forms.Form):
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("All areas")), *Area.choices],
        required=False,
    )
    own = forms.BooleanField(label=_("Only our own cases"), required=False)
