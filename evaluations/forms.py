from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from dilemmas.guard import find_identifiers

from .questionnaire import ITEMS, SCALE, items_by_domain
from .sealing import COMMENT_MAX

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class AnswerForm(forms.Form):
    """Every statement on the four-step scale, and a comment if one likes."""

    comment = forms.CharField(
        label=_("Comment (if you like)"),
        required=False,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "About the session, not about the case. When the evaluation closes it "
            "is shown as you wrote it, without your name, if enough have answered. "
            "Those who know you may recognise how you write: keep it short and "
            "plain if you want it to stay yours alone."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        comment = self.fields.pop("comment")
        for item in ITEMS:
            self.fields[item.key] = forms.TypedChoiceField(
                label=item.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                # Named, so that the summary says which statement is missing.
                error_messages={
                    "required": format_lazy(
                        _("Choose one of the four steps for “{statement}”."),
                        statement=item.text,
                    ),
                    "invalid_choice": format_lazy(
                        _("Choose one of the four steps for “{statement}”."),
                        statement=item.text,
                    ),
                },
            )
        self.fields["comment"] = comment

    def clean_comment(self) -> str:
        comment: str = self.cleaned_data["comment"].strip()
        # No "save anyway" here: recording who overrode the guard would name
        # the person behind an anonymous answer.
        if find_identifiers(comment):
            raise forms.ValidationError(
                _(
                    "The comment seems to contain something that identifies a "
                    "person, such as a personal identity number, a phone number "
                    "or an e-mail address. Remove it: comments are shown to "
                    "others as written."
                ),
                code="identifier",
            )
        return comment

    def scores(self) -> dict[str, int]:
        return {item.key: self.cleaned_data[item.key] for item in ITEMS}

    def domains(self) -> list[tuple[StrOrPromise, list[forms.BoundField]]]:
        """The statements as the page shows them: grouped by domain."""
        return [
            (label, [self[item.key] for item in items])
            for _domain, label, items in items_by_domain()
        ]
