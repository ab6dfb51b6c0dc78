"""Answering a meeting from the e-mail, without signing in."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.views.decorators.http import require_http_methods

from meetings.forms import AnswerForm
from meetings.links import from_answer_token
from meetings.models import Meeting, Response
from organisations.models import Membership


def _answer_page(
    request: HttpRequest,
    meeting: Meeting,
    membership: Membership,
    form: AnswerForm,
    **extra: Any,
) -> HttpResponse:
    response = render(
        request,
        "meetings/answer_link.html",
        {
            "meeting": meeting,
            "person": membership,
            "form": form,
            "can_answer": not meeting.is_cancelled and not meeting.is_past,
            "my_answer": meeting.responses.filter(membership=membership).first(),
            **extra,
        },
    )
    # The token is a credential for this one answer: keep it out of caches
    # and out of the Referer sent to other sites. (Not "no-referrer": browsers
    # then send "Origin: null" with the answer, and CSRF checks refuse it.)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_http_methods(["GET", "POST"])
def answer_by_link(request: HttpRequest, token: str) -> HttpResponse:
    """Answer one meeting from the e-mail, without signing in.

    GET only shows the meeting and a button, so that a mail program that
    opens links by itself answers nothing; the answer is the POST.
    """
    found = from_answer_token(token)
    if found is None:
        raise Http404
    meeting, membership = found
    organisation = membership.organisation
    language = membership.user.language or organisation.language
    with translation.override(language), timezone.override(organisation.time_zone):
        if request.method == "POST":
            form = AnswerForm(request.POST)
            if form.is_valid() and not meeting.is_cancelled and not meeting.is_past:
                meeting.answer(membership, form.cleaned_data["answer"])
                return _answer_page(
                    request, meeting, membership, AnswerForm(), just_answered=True
                )
        else:
            form = AnswerForm(
                initial={"answer": request.GET.get("answer")}
                if request.GET.get("answer") in Response.Answer.values
                else None
            )
        return _answer_page(request, meeting, membership, form)
