"""A facilitator fits a ten-step session into a 60-minute meeting, over two meetings.

Johan's group meets for an hour. He starts the ten-step method, which takes 95
minutes as shipped, picks its 60-minute plan and skips the clarifying questions.
Half-way the hour is gone: he pauses, and the session goes on at the group's next
meeting from the step where it stopped. He signs it off there; the evaluation is
offered on the last screen and the log, which names both meetings and the
skipped step, prints and downloads as a PDF.
"""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext, override
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from dilemmas.models import Dilemma
from organisations.models import ReflectionGroup
from reflections import builtin
from reflections.models import AgendaItem, Method, Reflection
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import LANGUAGE, check, label, sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONCLUSION = "Vi ger mer tid när behovet är tydligt och prövar igen om en månad."


def minutes(count: int) -> str:
    with override(LANGUAGE):
        return ngettext("%(minutes)s minute", "%(minutes)s minutes", count) % {
            "minutes": count
        }


def on_step(page: Page, number: int, title: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text(
        t("Step %(number)s: %(title)s") % {"number": number, "title": title}
    )


def test_a_sixty_minute_session_skips_a_step_pauses_and_goes_on_next_time(
    demo, device, live_server
):
    johan = person(demo, "facilitator@alvdala.example")
    group = ReflectionGroup.objects.get(name="Etikgruppen barn och familj")
    meetings = list(group.meetings.upcoming().order_by("start")[:2])
    assert len(meetings) == 2, "the demo group meets again after its next meeting"
    first, second = meetings
    now = timezone.now().replace(second=0, microsecond=0)
    # The group's meeting is on now, for an hour.
    first.start = now - datetime.timedelta(minutes=5)
    first.end = first.start + datetime.timedelta(minutes=60)
    first.detached = True
    first.save()
    dilemma = Dilemma.objects.filter(group=group, status=Dilemma.Status.RAISED).first()
    method = Method.objects.seeded_for(demo).get(key="dilemma-method")
    AgendaItem.objects.create(
        organisation=demo, meeting=first, dilemma=dilemma, method=method
    )
    titles = [s.title for s in method.steps.order_by("position")]

    laptop = device()
    page = laptop.page
    sign_in(page, live_server.url, johan.user.email)
    page.goto(
        live_server.url
        + reverse(
            "meetings:meeting_detail",
            kwargs={"org": "alvdala", "meeting_uuid": first.uuid},
        )
    )
    page.get_by_role("button", name=t("Start the reflection")).click()
    on_step(page, 1, titles[0])
    plan = page.locator(".plan-summary")
    expect(plan).to_contain_text(minutes(95))
    with override(LANGUAGE):
        over = ngettext(
            "The plan is %(minutes)s minute longer than the meeting.",
            "The plan is %(minutes)s minutes longer than the meeting.",
            35,
        ) % {"minutes": 35}
    expect(plan).to_contain_text(over)
    check(page)

    # The 60-minute plan, then the clarifying questions left out.
    page.get_by_role(
        "link", name=t("Fit the plan: shorten, lengthen or skip steps")
    ).click()
    check(page)
    page.get_by_role(
        "button", name=t("Use the %(minutes)s-minute plan") % {"minutes": 60}
    ).click()
    expect(page.get_by_role("status").first).to_contain_text(
        t("The %(minutes)s-minute plan is in place.") % {"minutes": 60}
    )
    page.get_by_label(t("Skip step %(number)s") % {"number": 3}).check()
    page.get_by_role("button", name=t("Save the plan")).click()
    on_step(page, 1, titles[0])
    sixty = builtin.METHODS[0]["plans"][60]
    expect(plan).to_contain_text(minutes(60 - sixty[2]))
    expect(page.locator(".progress__steps li").nth(2)).to_contain_text(t("skipped"))
    check(page)

    page.get_by_role("textbox", name=t("Notes"), exact=True).fill(
        "Brukaren behöver allt längre besök; de andra besöken blir korta."
    )
    page.get_by_role("button", name=t("Next step")).click()
    on_step(page, 2, titles[1])
    page.get_by_role("button", name=t("Next step")).click()
    # The skipped step is passed by.
    on_step(page, 4, titles[3])

    # The hour is up: the session goes on at the group's next meeting.
    page.get_by_role("link", name=t("Pause and go on at the next meeting")).click()
    check(page)
    page.get_by_label(label("Go on at the meeting")).select_option(str(second.pk))
    page.get_by_role("button", name=t("Pause until that meeting")).click()
    on_step(page, 4, titles[3])
    expect(page.get_by_role("button", name=t("Go on with the session"))).to_be_visible()
    check(page)

    # The next meeting has come.
    second.start = timezone.now().replace(microsecond=0) - datetime.timedelta(minutes=2)
    second.end = second.start + datetime.timedelta(minutes=60)
    second.detached = True
    second.save()
    page.reload()
    page.get_by_role("button", name=t("Go on with the session")).click()
    on_step(page, 4, titles[3])
    expect(page.get_by_role("button", name=t("Go on with the session"))).to_have_count(
        0
    )
    for number in range(5, 11):
        page.get_by_role("button", name=t("Next step")).click()
        on_step(page, number, titles[number - 1])
    check(page)

    page.get_by_role("button", name=t("Conclude and sign off")).click()
    page.get_by_label(label("Conclusion")).fill(CONCLUSION)
    page.get_by_label(
        t("I sign off this reflection; it cannot be changed afterwards.")
    ).check()
    page.get_by_role("button", name=t("Sign off"), exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(dilemma.title)
    evaluate = page.get_by_role("link", name=t("Evaluate the session"))
    expect(evaluate).to_be_visible()
    check(page)

    # The log names both meetings and the skipped step, prints and downloads.
    page.get_by_role("link", name=t("Printable log")).click()
    log = page.locator("article")
    expect(log).to_contain_text(CONCLUSION)
    expect(log).to_contain_text(t("Begun at"))
    expect(log).to_contain_text(f"3. {titles[2]} · {t('skipped')}")
    check(page)
    with page.expect_download() as download:
        page.get_by_role("link", name=t("Download as PDF")).click()
    pdf = PdfReader(download.value.path())
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert t("The plan left this step out.") in " ".join(text.split())
    page.emulate_media(media="print")
    expect(page.get_by_role("link", name=t("Download as PDF"))).to_be_hidden()
    printed = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True)))
    assert round(float(printed.pages[0].mediabox.width)) == 595  # A4
    printed_text = " ".join(" ".join(p.extract_text() for p in printed.pages).split())
    assert t("skipped") in printed_text

    page.emulate_media(media="screen")
    page.go_back()
    page.get_by_role("link", name=t("Evaluate the session")).click()
    expect(page.get_by_role("button", name=t("Send my answer"))).to_be_visible()
    check(page)

    close_and_assert_no_errors(laptop)

    reflection = Reflection.objects.get(dilemma=dilemma)
    assert reflection.is_signed_off
    assert (reflection.began_in, reflection.meeting) == (first, second)
    assert reflection.paused is None
    steps = list(reflection.steps.order_by("position"))
    assert [s.position for s in steps if s.skipped] == [3]
    assert sum(s.minutes for s in steps if not s.skipped) == 60 - sixty[2]
