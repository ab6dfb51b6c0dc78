from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from guidelines.models import Audience, Guideline, LeadIn
from lib.forms import form_field
from lib.widgets import DatePartsWidget

from . import wordimport
from .models import Commitment, CoreValue, LegalBasis, Section, Version

DateInput = DatePartsWidget


class InForceForm(forms.Form):
    """The day whose version to show, asked in day, month and year (GET)."""

    on = forms.DateField(
        label=_("Show the version in force on"),
        widget=DateInput(),
        required=False,
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the value base"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ItemForm(forms.ModelForm[Any]):
    """An item of a draft; `revision` detects two editors saving the same item.

    The items are of several models, each with its `revision`."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["revision"] = self.instance.revision

    def has_conflict(self) -> bool:
        sent = self.cleaned_data.get("revision")
        return (
            bool(self.instance.pk)
            and sent is not None
            and (sent != self.instance.revision)
        )


class SectionForm(ItemForm):
    class Meta:
        model = Section
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 8})}


class LegalBasisForm(ItemForm):
    class Meta:
        model = LegalBasis
        fields = ["law", "reference", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 5})}
        help_texts = {"reference": _("For example: chapter 1, section 1.")}


class CoreValueForm(ItemForm):
    class Meta:
        model = CoreValue
        fields = ["title", "description", "easy_read"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "easy_read": forms.Textarea(attrs={"rows": 5}),
        }
        help_texts = {
            "easy_read": _(
                "Optional: the value in plain words, for the public page. Short "
                "sentences, everyday words, and “you” and “we”."
            )
        }

    def easy_read_text(self) -> str:
        """The easy-read text as it stands in the form, for its readability."""
        if self.is_bound:
            return str(self.data.get(self.add_prefix("easy_read"), ""))
        return str(self.initial.get("easy_read") or "")


class CommitmentForm(ItemForm):
    class Meta:
        model = Commitment
        fields = ["text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "text": _("A concrete promise, e.g. “We listen before we decide.”")
        }


class GuidelineForm(ItemForm):
    class Meta:
        model = Guideline
        fields = ["audience", "title", "text", "example", "related_values", "public"]
        help_texts = {
            "public": _(
                "Guidelines are for staff only unless marked: a marked one is "
                "shown on the public page, when the organisation publishes it."
            )
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "example": forms.Textarea(attrs={"rows": 4}),
            "related_values": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, version: Version, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisation = version.value_base.organisation
        form_field(
            self, "audience", forms.ModelChoiceField
        ).queryset = Audience.objects.for_organisation(organisation)
        form_field(
            self, "related_values", forms.ModelMultipleChoiceField
        ).queryset = version.values.all()


class LeadInForm(ItemForm):
    class Meta:
        model = LeadIn
        fields = ["audience", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "text": _(
                "The sentence before the audience's guidelines, e.g. “As staff "
                "meeting clients you shall:”"
            )
        }

    def __init__(self, *args: Any, version: Version, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        form_field(
            self, "audience", forms.ModelChoiceField
        ).queryset = Audience.objects.for_organisation(version.value_base.organisation)

    def clean_audience(self) -> Audience:
        audience: Audience = self.cleaned_data["audience"]
        others = self.version.lead_ins.exclude(pk=self.instance.pk)
        if others.filter(audience=audience).exists():
            raise forms.ValidationError(
                _("This audience already has a lead-in in this draft; edit that one.")
            )
        return audience


class DraftDetailsForm(forms.ModelForm[Version]):
    class Meta:
        model = Version
        fields = ["title", "change_summary"]
        widgets = {"change_summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "change_summary": _("What changed since the version in force, in brief.")
        }


class AdoptForm(forms.Form):
    # The reason shows once "retroactively" is ticked (includes/form_fields.html);
    # `clean` keeps it only when the dates are retroactive.
    reveals = {"retroactive": ("retroactive_reason",)}

    adopted_on = forms.DateField(label=_("Adopted on"), widget=DateInput())
    adopted_by = forms.CharField(
        label=_("Adopted by"),
        max_length=200,
        help_text=_(
            "The body that took the decision, e.g. the social services committee."
        ),
    )
    effective_from = forms.DateField(label=_("In force from"), widget=DateInput())
    retroactive = forms.BooleanField(
        label=_("The version is in force retroactively, from before its adoption"),
        required=False,
    )
    retroactive_reason = forms.CharField(
        label=_("Reason for the retroactive effect"),
        help_text=_(
            "Only when the version is in force before the adoption date: why, "
            "e.g. the decision of the committee that says so. It is kept with "
            "the version."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        required=False,
    )
    asks_acknowledgement = forms.BooleanField(
        label=_("Ask every member to confirm that they have read what changed"),
        help_text=_(
            "When the version takes effect, each member sees the changes to the "
            "values and to their own guidelines, and managers follow who has "
            "confirmed."
        ),
        initial=True,
        required=False,
    )
    confirm = forms.BooleanField(
        label=_(
            "I confirm that this version was adopted as stated. After this it "
            "can no longer be changed."
        ),
    )

    def __init__(self, *args: Any, current: Version | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.current = current
        # An adopted version always has the day it came into force.
        self.current_from = current.effective_from if current is not None else None
        today = timezone.localdate()
        self.fields["adopted_on"].initial = today
        self.fields["effective_from"].initial = today
        if self.current_from is not None and self.current_from >= today:
            self.fields["effective_from"].initial = (
                self.current_from + datetime.timedelta(days=1)
            )

    def clean_adopted_on(self) -> datetime.date:
        adopted_on: datetime.date = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate():
            raise forms.ValidationError(_("The adoption date cannot be in the future."))
        return adopted_on

    def clean_effective_from(self) -> datetime.date:
        effective_from: datetime.date = self.cleaned_data["effective_from"]
        if self.current_from is not None and effective_from <= self.current_from:
            raise forms.ValidationError(
                _(
                    "Choose a date after %(date)s, when the current version came "
                    "into force."
                ),
                params={"date": date_format(self.current_from, "DATE_FORMAT")},
            )
        return effective_from

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        adopted_on, effective_from = data.get("adopted_on"), data.get("effective_from")
        if adopted_on is None or effective_from is None:
            return data
        if effective_from >= adopted_on:
            data["retroactive_reason"] = ""
        elif not data.get("retroactive"):
            self.add_error(
                "effective_from",
                _(
                    "This date is before the adoption on %(date)s. If the decision "
                    "really applies from an earlier day, tick “in force "
                    "retroactively” and give the reason; otherwise choose a date "
                    "on or after the adoption."
                )
                % {"date": date_format(adopted_on, "DATE_FORMAT")},
            )
        elif not data.get("retroactive_reason", "").strip():
            self.add_error(
                "retroactive_reason",
                _("Say why the version is in force from before its adoption."),
            )
        return data


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Value base file"),
        help_text=_("A text file in the value base format (Markdown), UTF-8."),
    )


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Word document"),
        help_text=_(
            "The value base as a Word document (.docx), at most %(size)s MB. "
            "You will see how each part was read before anything is saved."
        )
        % {"size": wordimport.limits.MAX_DOCX_BYTES // (1024 * 1024)},
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".docx"):
            raise forms.ValidationError(
                _(
                    "Choose a Word document saved as .docx; “%(name)s” is not one. "
                    "In Word: File, Save as, Word document (.docx)."
                ),
                params={"name": upload.name},
            )
        if (upload.size or 0) > wordimport.limits.MAX_DOCX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s MB)."),
                params={"size": wordimport.limits.MAX_DOCX_BYTES // (1024 * 1024)},
            )
        self.content: bytes = upload.read(wordimport.limits.MAX_DOCX_BYTES + 1)
        try:
            wordimport.check_file(self.content)
        except wordimport.WordError as error:
            raise forms.ValidationError(str(error)) from None
        return upload


class WordDraftForm(forms.Form):
    """The title of the draft: the value base's own, unless the editor chooses
    the one the document gives itself."""

    document_title = forms.CharField(
        required=False, max_length=200, widget=forms.HiddenInput
    )
    use_document_title = forms.BooleanField(
        label=_("Use the document's title"), required=False
    )

    def draft_title(self, current: str) -> str:
        """The title the draft gets, once the form is valid."""
        chosen: str = self.cleaned_data["document_title"].strip()
        if self.cleaned_data["use_document_title"] and chosen:
            return chosen
        return current


class PartForm(forms.Form):
    """One part of a Word document in the preview: what it is read as."""

    kind = forms.ChoiceField(label=_("Read as"), choices=wordimport.KIND_CHOICES)
    title = forms.CharField(label=_("Title"), required=False, max_length=1000)
    text = forms.CharField(required=False, strip=False, widget=forms.HiddenInput)
    origin = forms.CharField(required=False, widget=forms.HiddenInput)
    audience = forms.ChoiceField(label=_("Which audience"), required=False)

    def __init__(self, *args: Any, audiences: list[Audience], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        form_field(self, "audience", forms.ChoiceField).choices = [
            ("", _("A new audience named as the title"))
        ] + [(a.key, a.name) for a in audiences]


PartFormSet = forms.formset_factory(
    PartForm,
    extra=0,
    max_num=wordimport.MAX_PARTS,
    absolute_max=wordimport.MAX_PARTS,
    validate_max=True,
)
