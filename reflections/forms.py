from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dilemmas.guard import IdentifierGuardMixin
from dilemmas.models import Dilemma
from guidelines.models import Guideline
from meetings.models import Meeting, invitees
from organisations.models import Membership
from values.models import CoreValue

from .models import (
    Action,
    Amendment,
    Method,
    MethodStep,
    Option,
    Perspective,
    Position,
    Reflection,
    ReflectionStep,
)

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AgendaForm(forms.Form):
    meeting = forms.ModelChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none()
    )
    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.none())

    def __init__(self, *args, dilemma: Dilemma, **kwargs):
        super().__init__(*args, **kwargs)
        # Today's meeting counts: a session is often opened as it begins.
        start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0)
        self.fields["meeting"].queryset = (
            Meeting.objects.filter(group=dilemma.group, end__gte=start_of_today)
            .exclude(status=Meeting.Status.CANCELLED)
            .exclude(agenda_dilemmas__dilemma=dilemma)
        )
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.start):%Y-%m-%d %H:%M} · {m.title}"
        )
        self.fields["method"].queryset = Method.objects.seeded_for(dilemma.organisation)


class MethodForm(forms.ModelForm):
    class Meta:
        model = Method
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CopyMethodForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=200)


StepFormSet = forms.inlineformset_factory(
    Method,
    MethodStep,
    fields=["position", "title", "guidance", "kind", "minutes"],
    widgets={"guidance": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
)


class NotesForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("notes",)

    # The revision of the notes the page was made from (see save_notes).
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = ReflectionStep
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def save(self, commit: bool = True):
        raise NotImplementedError("Save notes with ReflectionStep.save_notes.")


class OptionForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("text",)

    class Meta:
        model = Option
        fields = ["text"]


class PerspectiveForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("party", "norms")

    class Meta:
        model = Perspective
        fields = ["party", "values", "norms"]
        widgets = {
            "values": forms.CheckboxSelectMultiple,
            "norms": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, reflection: Reflection, **kwargs):
        super().__init__(*args, **kwargs)
        # Values from the version the reflection is pinned to, and no other.
        self.fields["values"].queryset = CoreValue.objects.filter(
            version_id=reflection.version_id
        )


class PositionForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("body",)

    class Meta:
        model = Position
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


def _participants(reflection: Reflection):
    return Membership.objects.filter(
        pk__in=[m.pk for m in invitees(reflection.dilemma.group)]
    ).select_related("user")


class ActionForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("text",)

    confirm_past_due = forms.BooleanField(
        label=_("Yes, the due date has passed: keep it."),
        required=False,
    )

    class Meta:
        model = Action
        fields = ["text", "owner", "due", "follow_up"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due": DATE}

    def __init__(self, *args, reflection: Reflection, **kwargs):
        super().__init__(*args, **kwargs)
        # Asked for only once a due date in the past was given.
        field_name = self.add_prefix("confirm_past_due")
        if not (self.is_bound and self.data.get(field_name)):
            self.fields["confirm_past_due"].widget = forms.HiddenInput()
        self.fields["owner"].queryset = _participants(reflection)
        self.fields["owner"].label_from_instance = lambda m: str(m.user)
        self.fields["follow_up"].queryset = (
            Meeting.objects.filter(
                group=reflection.dilemma.group, start__gt=reflection.meeting.start
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start")
        )
        self.fields["follow_up"].label_from_instance = lambda m: (
            f"{timezone.localtime(m.start):%Y-%m-%d %H:%M} · {m.title}"
        )

    def clean(self):
        cleaned_data = super().clean()
        due = cleaned_data.get("due")
        unchanged = self.instance.pk is not None and self.instance.due == due
        past = due and due < timezone.localdate() and not unchanged
        if past and not cleaned_data.get("confirm_past_due"):
            self.fields["confirm_past_due"].widget = forms.CheckboxInput()
            self.add_error(
                "due",
                _(
                    "This date has already passed. Choose a later one, or "
                    "tick the box below to keep it."
                ),
            )
        return cleaned_data


class CitationForm(forms.Form):
    values = forms.ModelMultipleChoiceField(
        label=_("Values"),
        queryset=CoreValue.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    guidelines = forms.ModelMultipleChoiceField(
        label=_("Guidelines"),
        queryset=Guideline.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reflection: Reflection, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].queryset = CoreValue.objects.filter(
            version_id=reflection.version_id
        )
        self.fields["guidelines"].queryset = Guideline.objects.filter(
            version_id=reflection.version_id
        ).select_related("audience")
        self.fields["guidelines"].label_from_instance = lambda g: f"{g} ({g.audience})"


class SignOffForm(IdentifierGuardMixin, forms.Form):
    guarded_fields = ("conclusion",)

    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5})
    )
    confirm = forms.BooleanField(
        label=_("I sign off this reflection; it cannot be changed afterwards."),
    )


class AmendmentForm(IdentifierGuardMixin, forms.ModelForm):
    guarded_fields = ("body",)

    class Meta:
        model = Amendment
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class DoneForm(IdentifierGuardMixin, forms.Form):
    guarded_fields = ("note",)

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, briefly."),
    )
