from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from organisations.forms import UnitChoiceField
from organisations.models import Organisation, Role, Unit

from .models import IdentityMapping, IdentitySettings, ScimToken


class TokenForm(forms.ModelForm[ScimToken]):
    prefix = "token"

    class Meta:
        model = ScimToken
        fields = ["name"]


class MappingForm(forms.ModelForm[IdentityMapping]):
    prefix = "mapping"
    unit = UnitChoiceField(label=_("Unit"), required=False, empty_label=_("No unit"))

    class Meta:
        model = IdentityMapping
        fields = ["source", "value", "unit", "role"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        units = Unit.objects.for_organisation(organisation).current()
        cast(UnitChoiceField, self.fields["unit"]).offer(units)
        role = cast(forms.ChoiceField, self.fields["role"])
        role.choices = [("", _("No role: staff")), *Role.choices]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        value = (data.get("value") or "").strip()
        if not data.get("unit") and not data.get("role"):
            self.add_error("unit", _("Choose a unit, a role or both."))
        source = data.get("source")
        if value and source:
            taken = IdentityMapping.objects.for_organisation(self.organisation).filter(
                source=source, value__iexact=value
            )
            if taken.exists():
                self.add_error("value", _("There is already a rule for this name."))
        data["value"] = value
        return data


class IdentitySettingsForm(forms.ModelForm[IdentitySettings]):
    prefix = "sign_in"

    class Meta:
        model = IdentitySettings
        fields = ["sign_in_decides", "provider_id", "groups_claim", "department_claim"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        provider = (data.get("provider_id") or "").strip()
        if data.get("sign_in_decides"):
            if not provider:
                self.add_error(
                    "provider_id", _("Name the sign-in service whose claims decide.")
                )
            else:
                taken = IdentitySettings.objects.filter(
                    provider_id=provider, sign_in_decides=True
                ).exclude(pk=self.instance.pk)
                if taken.exists():
                    self.add_error(
                        "provider_id",
                        _("Another organisation already uses this sign-in service."),
                    )
        data["provider_id"] = provider
        return data
