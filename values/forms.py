from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from guidelines.models import Audience, Guideline, LeadIn
from lib.widgets import DatePartsWidget

from . import wordimport
from .models import Commitment, CoreValue, LegalBasis, Section, Version

DateInput = DatePartsWidget


class InForceForm(forms.Form):
    on = forms.DateField(label=_("In force on"), widget=DateInput(), required=False)


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the value base"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ItemForm(forms.ModelForm):
    """An item of a draft; `revision` detects two editors saving the same item."""

    revision = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
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
        fields = ["title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


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
        fields = ["audience", "title", "text", "example", "related_values"]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "example": forms.Textarea(attrs={"rows": 4}),
            "related_values": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args, version: Version, **kwargs):
        super().__init__(*args, **kwargs)
        organisation = version.value_base.organisation
        self.fields["audience"].queryset = Audience.objects.for_organisation(
            organisation
        )
        self.fields["related_values"].queryset = version.values.all()


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

    def __init__(self, *args, version: Version, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["audience"].queryset = Audience.objects.for_organisation(
            version.value_base.organisation
        )

    def clean_audience(self) -> Audience:
        audience = self.cleaned_data["audience"]
        others = self.version.lead_ins.exclude(pk=self.instance.pk)
        if others.filter(audience=audience).exists():
            raise forms.ValidationError(
                _("This audience already has a lead-in in this draft; edit that one.")
            )
        return audience


class DraftDetailsForm(forms.ModelForm):
    class Meta:
        model = Version
        fields = ["title", "change_summary"]
        widgets = {"change_summary": forms.Textarea(attrs={"rows": 4})}
        help_texts = {
            "change_summary": _("What changed since the version in force, in brief.")
        }


class AdoptForm(forms.Form):
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
    confirm = forms.BooleanField(
        label=_(
            "I confirm that this version was adopted as stated. After this it "
            "can no longer be changed."
        ),
    )

    def __init__(self, *args, current: Version | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.current = current
        today = timezone.localdate()
        self.fields["adopted_on"].initial = today
        self.fields["effective_from"].initial = today
        if current is not None and current.effective_from >= today:
            self.fields["effective_from"].initial = (
                current.effective_from + datetime.timedelta(days=1)
            )

    def clean_adopted_on(self) -> datetime.date:
        adopted_on = self.cleaned_data["adopted_on"]
        if adopted_on > timezone.localdate():
            raise forms.ValidationError(_("The adoption date cannot be in the future."))
        return adopted_on

    def clean_effective_from(self) -> datetime.date:
        effective_from = self.cleaned_data["effective_from"]
        if self.current is not None and effective_from <= self.current.effective_from:
            raise forms.ValidationError(
                _(
                    "Choose a date after %(date)s, when the current version came "
                    "into force."
                ),
                params={"date": self.current.effective_from.isoformat()},
            )
        return effective_from

    def clean(self) -> dict:
        data = super().clean()
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
                % {"date": adopted_on.isoformat()},
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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".docx"):
            raise forms.ValidationError(
                _(
                    "Choose a Word document saved as .docx; “%(name)s” is not one. "
                    "In Word: File, Save as, Word document (.docx)."
                ),
                params={"name": upload.name},
            )
        if upload.size > wordimport.limits.MAX_DOCX_BYTES:
            raise forms.ValidationError(
                _("The file is too large (at most %(size)s MB)."),
                params={"size": wordimport.limits.MAX_DOCX_BYTES // (1024 * 1024)},
            )
        self.content = upload.read(wordimport.limits.MAX_DOCX_BYTES + 1)
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

    def __init__(self, *args, audiences: list[Audience], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["audience"].choices = [
            ("", _("A new audience named as the title"))
        ] + [(a.key, a.name) for a in audiences]


PartFormSet = forms.formset_factory(
    PartForm,
    extra=0,
    max_num=wordimport.MAX_PARTS,
    absolute_max=wordimport.MAX_PARTS,
    validate_max=True,
)
