from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Model
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from lib.zones import zone_choices, zone_label

from .models import (
    Invitation,
    Membership,
    Organisation,
    Role,
    TenantQuerySet,
    Unit,
    descendant_ids,
    tree_choices,
)

if TYPE_CHECKING:
    from django.forms.models import ModelChoiceIterator
    from django_stubs_ext import StrOrPromise


class UnitChoiceField(forms.ModelChoiceField[Unit]):
    """A unit, offered as the organisation's tree with each level indented."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("queryset", Unit.objects.none())
        super().__init__(*args, **kwargs)
        self.tree: list[tuple[int, str]] | None = None

    def offer(self, units: Iterable[Unit]) -> None:
        units = list(units)
        self.queryset = Unit.objects.filter(pk__in=[unit.pk for unit in units])
        self.tree = tree_choices(units)
        self.widget.choices = self.choices

    def _get_choices(
        self,
    ) -> list[tuple[int | str, StrOrPromise]] | ModelChoiceIterator[Unit]:
        # Read before __init__ has set the tree: ModelChoiceField's own __init__
        # sets the queryset, which reads the choices.
        tree: list[tuple[int, str]] | None = getattr(self, "tree", None)
        if tree is None:
            # reason: django-stubs do not declare ModelChoiceField._get_choices,
            # the getter Django builds its own choices property from.
            choices: ModelChoiceIterator[Unit] = super()._get_choices()  # type: ignore[misc]
            return choices
        empty: list[tuple[int | str, StrOrPromise]] = (
            [] if self.empty_label is None else [("", self.empty_label)]
        )
        return empty + tree

    # reason: django-stubs type the class-level descriptor as the value it
    # returns on an instance, which has no fset.
    choices = property(_get_choices, forms.ChoiceField.choices.fset)  # type: ignore[union-attr]


def _audiences() -> TenantQuerySet[Model]:
    """The guideline audiences, reached through the memberships' relation to them.

    The model belongs to guidelines, an app above this one: the relation names it,
    and this module imports nothing from there (docs/architecture.md). So the
    checker knows it only as some model whose manager is built from
    TenantQuerySet, as every model an organisation owns is.
    """
    return cast(
        TenantQuerySet[Model], Membership.audiences.rel.model._default_manager.all()
    )


class _MembershipFieldsMixin(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    unit = UnitChoiceField(label=_("Unit"), required=False)
    audiences = forms.ModelMultipleChoiceField(
        label=_("Guideline audiences"),
        queryset=_audiences().none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The guidelines shown to this person first."),
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        unit = cast(UnitChoiceField, self.fields["unit"])
        unit.offer(Unit.objects.for_organisation(organisation).current())
        audiences = cast(forms.ModelMultipleChoiceField[Any], self.fields["audiences"])
        audiences.queryset = _audiences().for_organisation(organisation)


class MemberAddForm(_MembershipFieldsMixin):
    """Invites a person: they become a member when they accept (see Invitation)."""

    email = forms.EmailField(label=_("E-mail address"), max_length=254)
    name = forms.CharField(
        label=_("Name"),
        max_length=150,
        required=False,
        help_text=_("Used only if the person has no account yet."),
    )
    field_order = ["email", "name", "role", "unit", "audiences"]

    def clean_email(self) -> str:
        from allauth.account.models import EmailAddress

        email: str = self.cleaned_data["email"].strip().lower()
        member = Membership.objects.filter(
            organisation=self.organisation, user__email__iexact=email
        ).first()
        if member is not None and member.is_active:
            raise forms.ValidationError(
                _("This person is already a member of the organisation.")
            )
        if member is not None:
            raise forms.ValidationError(
                _(
                    "This person was a member and is deactivated: reactivate them "
                    "from their page in the member list instead."
                )
            )
        if (
            Invitation.objects.for_organisation(self.organisation)
            .pending()
            .filter(email__iexact=email)
            .exists()
        ):
            raise forms.ValidationError(
                _(
                    "This address has already been invited. Send the invitation "
                    "again from the member list if it did not arrive."
                )
            )
        # An account signs in with this address without having proven it (an
        # address switched to before changes needed verification): inviting it
        # would hand the membership to whoever made that switch.
        unproven = EmailAddress.objects.filter(
            user__email__iexact=email, email__iexact=email, verified=False
        ).exists()
        if unproven:
            raise forms.ValidationError(
                _(
                    "This address is used by an account that has not verified it, "
                    "so it cannot be invited until that is settled. Ask the "
                    "platform's support for help."
                )
            )
        return email


class MemberChangeForm(_MembershipFieldsMixin):
    def __init__(self, *args: Any, membership: Membership, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "role": membership.role,
                "unit": membership.unit,
                "audiences": list(membership.audiences.all()),
            },
        )
        super().__init__(*args, organisation=membership.organisation, **kwargs)
        self.membership = membership

    def clean_role(self) -> str:
        role: str = self.cleaned_data["role"]
        if (
            self.membership.role == Role.ADMIN
            and role != Role.ADMIN
            and self.membership.is_last_admin()
        ):
            raise forms.ValidationError(
                _("The organisation needs at least one administrator.")
            )
        return role


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or e-mail"), required=False, max_length=100)
    role = forms.ChoiceField(
        label=_("Role"), choices=[("", _("All roles")), *Role.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            ("active", _("Active")),
            ("inactive", _("Deactivated")),
            ("all", _("All")),
        ],
        required=False,
    )


class OrganisationSettingsForm(forms.ModelForm[Organisation]):
    # Named by country and city in the page's language; the IANA key is stored.
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=zone_choices)

    class Meta:
        model = Organisation
        fields = [
            "name",
            "language",
            "time_zone",
            "retention_days",
            "idle_minutes",
            "evaluation_minimum",
            "require_mfa",
            "publish_values",
            "public_contact",
        ]
        widgets = {
            "retention_days": forms.NumberInput(attrs={"min": 30}),
            "idle_minutes": forms.NumberInput(attrs={"min": 5, "max": 480}),
            "evaluation_minimum": forms.NumberInput(attrs={"min": 3, "max": 50}),
        }
        error_messages = {
            "retention_days": {
                "min_value": _("Keep case texts for at least 30 days."),
            }
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stored = self.instance.time_zone
        field = cast(forms.ChoiceField, self.fields["time_zone"])
        field.choices = zone_choices(keep=stored)
        # The choices are named in the language of the page; the audit log names
        # the zones in the organisation's (audit.changes).
        field.audit_name = lazy(zone_label, str)  # type: ignore[attr-defined]

    def clean_idle_minutes(self) -> int:
        minutes: int = self.cleaned_data["idle_minutes"]
        if not 5 <= minutes <= 480:
            raise forms.ValidationError(
                _("Choose between 5 minutes and 480 minutes (8 hours).")
            )
        return minutes

    def clean_evaluation_minimum(self) -> int:
        minimum: int = self.cleaned_data["evaluation_minimum"]
        if not 3 <= minimum <= 50:
            raise forms.ValidationError(_("Choose between 3 and 50 answers."))
        return minimum

    def clean_retention_days(self) -> int:
        days: int = self.cleaned_data["retention_days"]
        if days < 30:
            raise forms.ValidationError(_("Keep case texts for at least 30 days."))
        return days

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # The accessibility statement of the public pages names this address.
        if (
            data.get("publish_values")
            and not data.get("public_contact")
            and "public_contact" not in self.errors
        ):
            self.add_error(
                "public_contact",
                _(
                    "Give an address where readers can reach you before "
                    "publishing the value base."
                ),
            )
        return data


class AcceptInvitationForm(forms.Form):
    """A new person's name and password, chosen through the invitation link."""

    name = forms.CharField(label=_("Your name"), max_length=150)
    password1 = forms.CharField(
        label=_("Choose a password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_(
            "At least 12 characters; a few words in a row are easy to remember."
        ),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: Any, email: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self) -> dict[str, Any]:
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", _("The two passwords are not the same."))
        elif first:
            candidate = get_user_model()(email=self.email, name=data.get("name", ""))
            try:
                validate_password(first, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return data


class UnitForm(forms.ModelForm[Unit]):
    parent = UnitChoiceField(
        label=_("Part of"),
        required=False,
        empty_label=_("Nothing: a top level of the organisation"),
    )

    class Meta:
        model = Unit
        fields = ["name", "code", "kind", "parent"]
        help_texts = {
            "code": _(
                "Optional: the code your HR system knows the unit by. Member "
                "imports find the unit by its code or its name."
            )
        }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.instance.organisation = organisation
        units = list(Unit.objects.for_organisation(organisation).current())
        if self.instance.pk:
            # A unit can be moved anywhere but into itself or below itself.
            below = descendant_ids(units, self.instance.pk)
            units = [unit for unit in units if unit.pk not in below]
        cast(UnitChoiceField, self.fields["parent"]).offer(units)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        name, parent = data.get("name"), data.get("parent")
        if name:
            siblings = Unit.objects.for_organisation(self.organisation).filter(
                parent=parent, name__iexact=name.strip()
            )
            if self.instance.pk:
                siblings = siblings.exclude(pk=self.instance.pk)
            if siblings.exists():
                self.add_error(
                    "name", _("There is already a unit with this name in that place.")
                )
        code = (data.get("code") or "").strip()
        data["code"] = code
        if code:
            others = Unit.objects.for_organisation(self.organisation).filter(
                code__iexact=code
            )
            if self.instance.pk:
                others = others.exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("code", _("Another unit already has this code."))
        return data


class MemberImportForm(forms.Form):
    file = forms.FileField(
        label=_("The member list"),
        help_text=_(
            "A CSV file or an Excel workbook (.xlsx) with a header line. Nothing "
            "changes until you have seen the preview and confirmed it."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.txt,.xlsx,text/csv,application/vnd.openxmlformats-"
                "officedocument.spreadsheetml.sheet"
            }
        ),
    )


class MemberImportConfirmForm(forms.Form):
    skip_errors = forms.BooleanField(
        label=_("Import the other rows and leave out the rows in error"),
        required=False,
    )


class UnitImportForm(forms.Form):
    file = forms.FileField(
        label=_("The list of units"),
        help_text=_(
            "A CSV file with a header line and one unit a line: its name, the "
            "unit it is part of (empty at the top) and, if you have one, its code."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,text/csv"}),
    )
