from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from dilemmas.guard import IdentifierGuardMixin
from dilemmas.models import Dilemma
from guidelines.models import Guideline
from lib.forms import form_field
from lib.widgets import DatePartsWidget
from meetings.models import Meeting, invitees
from organisations.models import Capability, Membership
from practice.forms import PracticeCaseForm
from practice.models import PracticeCase
from values.models import CoreValue

from .models import (
    CONTACT_LIMIT,
    TEXT_LIMIT,
    Action,
    Amendment,
    EasyRead,
    Method,
    MethodStep,
    Option,
    Perspective,
    Position,
    Reflection,
    ReflectionStep,
)

DATE = DatePartsWidget()


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        start = formats.date_format(timezone.localtime(obj.start), "DATETIME_FORMAT")
        return f"{start} · {obj.title}"


class MemberChoiceField(forms.ModelChoiceField[Membership]):
    def label_from_instance(self, obj: Membership) -> str:
        return str(obj.user)


class GuidelineChoiceField(forms.ModelMultipleChoiceField[Guideline]):
    def label_from_instance(self, obj: Guideline) -> str:
        return f"{obj} ({obj.audience})"


def _pinned_values(reflection: Reflection) -> QuerySet[CoreValue]:
    """The values of the version the reflection is pinned to, and no other."""
    if reflection.version_id is None:
        return CoreValue.objects.none()
    return CoreValue.objects.filter(version_id=reflection.version_id)


class AgendaForm(forms.Form):
    meeting = MeetingChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())
    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.none())

    def __init__(self, *args: Any, dilemma: Dilemma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Today's meeting counts: a session is often opened as it begins.
        start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0)
        form_field(self, "meeting", MeetingChoiceField).queryset = (
            Meeting.objects.filter(group=dilemma.group, end__gte=start_of_today)
            .exclude(status=Meeting.Status.CANCELLED)
            .exclude(agenda_dilemmas__dilemma=dilemma)
        )
        form_field(
            self, "method", forms.ModelChoiceField
        ).queryset = Method.objects.seeded_for(dilemma.organisation)


class MethodForm(forms.ModelForm[Method]):
    class Meta:
        model = Method
        fields = ["name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class CopyMethodForm(forms.Form):
    name = forms.CharField(label=_("Name of the copy"), max_length=200)


# A method longer than this is no longer one meeting's work. The cap also bounds
# what a posted form count can make the page build: without it a request that
# claims a thousand steps is answered with a thousand forms.
MAX_STEPS = 20

StepFormSet = forms.inlineformset_factory(
    Method,
    MethodStep,
    fields=["position", "title", "guidance", "kind", "minutes", "person_view"],
    widgets={"guidance": forms.Textarea(attrs={"rows": 2})},
    extra=1,
    can_delete=True,
    max_num=MAX_STEPS,
    absolute_max=MAX_STEPS,
    validate_max=True,
)


class NotesForm(IdentifierGuardMixin, forms.ModelForm[ReflectionStep]):
    guarded_fields = ("notes",)

    # The revision of the notes the page was made from (see save_notes).
    revision = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    class Meta:
        model = ReflectionStep
        fields = ["notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 6})}

    def save(self, commit: bool = True) -> ReflectionStep:
        raise NotImplementedError("Save notes with ReflectionStep.save_notes.")


class OptionForm(IdentifierGuardMixin, forms.ModelForm[Option]):
    guarded_fields = ("text",)

    class Meta:
        model = Option
        fields = ["text"]


class PerspectiveForm(IdentifierGuardMixin, forms.ModelForm[Perspective]):
    guarded_fields = ("party", "norms")

    class Meta:
        model = Perspective
        fields = ["party", "values", "norms"]
        widgets = {
            "values": forms.CheckboxSelectMultiple,
            "norms": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, reflection: Reflection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Values from the version the reflection is pinned to, and no other.
        form_field(
            self, "values", forms.ModelMultipleChoiceField
        ).queryset = _pinned_values(reflection)


class PositionForm(IdentifierGuardMixin, forms.ModelForm[Position]):
    guarded_fields = ("body",)

    class Meta:
        model = Position
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 4})}


def _participants(reflection: Reflection) -> QuerySet[Membership]:
    return Membership.objects.filter(
        pk__in=[m.pk for m in invitees(reflection.group)]
    ).select_related("user")


class ActionForm(IdentifierGuardMixin, forms.ModelForm[Action]):
    guarded_fields = ("text",)

    confirm_past_due = forms.BooleanField(
        label=_("Yes, the due date has passed: keep it."),
        required=False,
    )

    class Meta:
        model = Action
        fields = ["text", "owner", "due", "follow_up"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "due": DATE}
        field_classes = {"owner": MemberChoiceField, "follow_up": MeetingChoiceField}

    def __init__(self, *args: Any, reflection: Reflection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Asked for only once a due date in the past was given.
        field_name = self.add_prefix("confirm_past_due")
        if not (self.is_bound and self.data.get(field_name)):
            self.fields["confirm_past_due"].widget = forms.HiddenInput()
        form_field(self, "owner", MemberChoiceField).queryset = _participants(
            reflection
        )
        form_field(self, "follow_up", MeetingChoiceField).queryset = (
            Meeting.objects.filter(
                group=reflection.group, start__gt=reflection.meeting.start
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .order_by("start")
        )

    def clean(self) -> dict[str, Any]:
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
    guidelines = GuidelineChoiceField(
        label=_("Guidelines"),
        queryset=Guideline.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, reflection: Reflection, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "values", forms.ModelMultipleChoiceField
        ).queryset = _pinned_values(reflection)
        form_field(self, "guidelines", GuidelineChoiceField).queryset = (
            Guideline.objects.none()
            if reflection.version_id is None
            else Guideline.objects.filter(
                version_id=reflection.version_id
            ).select_related("audience")
        )


class SignOffForm(IdentifierGuardMixin, forms.Form):
    guarded_fields = ("conclusion",)

    conclusion = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 5})
    )
    person_present = forms.ChoiceField(
        label=_("Was the person the case is about, or their representative, present?"),
        help_text=_(
            "The record and the managers' figures show how often sessions are "
            "held with the person taking part."
        ),
        choices=Reflection.Present.choices,
        required=False,
        widget=forms.RadioSelect,
    )
    confirm = forms.BooleanField(
        label=_("I sign off this reflection; it cannot be changed afterwards."),
    )

    def __init__(self, *args: Any, practice: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if practice:
            # A practice case is fictional: there is no person to have been there.
            del self.fields["person_present"]


class AmendmentForm(IdentifierGuardMixin, forms.ModelForm[Amendment]):
    guarded_fields = ("body",)

    class Meta:
        model = Amendment
        fields = ["body"]
        # Not "Amendment": in Swedish that reads as the section's heading again.
        labels = {"body": _("New amendment")}
        widgets = {"body": forms.Textarea(attrs={"rows": 3})}


class DoneForm(IdentifierGuardMixin, forms.Form):
    guarded_fields = ("note",)

    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("What was done, briefly."),
    )


# The lengths offered for a session held now, in minutes.
SESSION_LENGTHS = (30, 45, 60, 90, 120)


class SessionNowForm(forms.Form):
    """A session held now: the meeting it is held in is scheduled on the spot."""

    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.none())
    minutes = forms.TypedChoiceField(
        label=_("Length"),
        coerce=int,
        initial=60,
        help_text=_("The meeting starts now and lasts this long."),
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("The room you meet in. Give a place, an online link or both."),
    )
    link = forms.URLField(label=_("Online link"), required=False, assume_scheme="https")

    def __init__(self, *args: Any, dilemma: Dilemma, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(
            self, "method", forms.ModelChoiceField
        ).queryset = Method.objects.seeded_for(dilemma.organisation)
        # Made here, in the language of the request.
        form_field(self, "minutes", forms.TypedChoiceField).choices = [
            (minutes, gettext("%(minutes)s minutes") % {"minutes": minutes})
            for minutes in SESSION_LENGTHS
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if not data.get("place") and not data.get("link") and not self.errors:
            raise forms.ValidationError(_("Give a place, an online link or both."))
        return data


class PracticeMeetingChoiceField(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        start = formats.date_format(timezone.localtime(obj.start), "DATETIME_FORMAT")
        return f"{obj.group.name} · {start} · {obj.title}"


class PracticeSessionForm(forms.Form):
    """A practice case taken up in a meeting of a group the member leads."""

    meeting = PracticeMeetingChoiceField(
        label=_("Meeting"), queryset=Meeting.objects.none()
    )
    method = forms.ModelChoiceField(label=_("Method"), queryset=Method.objects.none())

    def __init__(
        self, *args: Any, membership: Membership, case: PracticeCase, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        # The groups the member leads: those they facilitate, and those they manage.
        led = Q(group__facilitators=membership)
        if membership.can(Capability.MANAGE):
            led |= Q(group__unit__in=membership.managed_unit_ids())
        start_of_today = timezone.localtime().replace(hour=0, minute=0, second=0)
        form_field(self, "meeting", PracticeMeetingChoiceField).queryset = (
            Meeting.objects.filter(
                led,
                organisation=membership.organisation,
                end__gte=start_of_today,
            )
            .exclude(status=Meeting.Status.CANCELLED)
            .exclude(reflections__practice_case=case)
            .select_related("group")
            .order_by("start", "pk")
            .distinct()
        )
        form_field(
            self, "method", forms.ModelChoiceField
        ).queryset = Method.objects.seeded_for(membership.organisation)


class PracticeFromReflectionForm(PracticeCaseForm):
    """A signed-off reflection's case rewritten as a practice case."""

    reviewed = forms.BooleanField(
        label=_(
            "I have rewritten the case so that nobody in it can be recognised, "
            "by anyone in the organisation."
        ),
        required=True,
    )


class EasyReadForm(IdentifierGuardMixin, forms.ModelForm[EasyRead]):
    """The summary for the person, in plain words; case text like any other."""

    guarded_fields = ("talked_about", "will_do", "contact")

    talked_about = forms.CharField(
        label=_("What we talked about"),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "In short sentences and everyday words. Leave out what colleagues "
            "thought and anything the group has not agreed to share."
        ),
    )
    will_do = forms.CharField(
        label=_("What we will do"),
        max_length=TEXT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens next, and when."),
    )
    contact = forms.CharField(
        label=_("Who you can talk to"),
        max_length=CONTACT_LIMIT,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("A role or a name, and where the person can reach them at work."),
    )

    class Meta:
        model = EasyRead
        fields = ["talked_about", "will_do", "contact"]
