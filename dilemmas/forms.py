from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from lib.forms import form_field
from organisations.models import Membership, ReflectionGroup

from .guard import IdentifierGuardMixin
from .models import Dilemma, ValueTension


class DilemmaForm(IdentifierGuardMixin, forms.ModelForm[Dilemma]):
    guarded_fields = ("title", "description", "question")

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


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (Dilemma.Status.RAISED, Dilemma.Status.RAISED.label),
            (Dilemma.Status.CLOSED, Dilemma.Status.CLOSED.label),
        ],
    )
