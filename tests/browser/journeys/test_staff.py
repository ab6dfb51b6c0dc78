"""Staff on a phone: their guidelines, a dilemma raised, an evaluation answered.

Sara works in child investigation in Älvdala. She reads the guidelines written
for her, raises a dilemma for her group (the identifier guard stops a phone
number and a name she wrote by habit; she takes them out), then answers the
evaluation of a session she took part in.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from audit.models import AuditEvent
from dilemmas.models import Dilemma, GuardOverride
from evaluations.models import Respondent, SealedAnswer
from evaluations.questionnaire import ITEMS, SCALE
from evaluations.sealing import open_sealed
from organisations.models import ReflectionGroup
from tests.browser.journeys.conftest import close_and_assert_no_errors, person
from tests.browser.journeys.steps import PHONE, check, go, label, sign_in, t

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESCRIPTION = (
    "En mamma ringer varje dag och vill veta vad hennes son har berättat för oss. "
    "Sonen är femton år och har bett oss att inte säga något. "
)


def test_staff_read_guidelines_raise_a_dilemma_and_answer_an_evaluation(
    demo, device, live_server
):
    sara = person(demo, "staff@alvdala.example")
    phone = device(width=PHONE, height=800)
    page = phone.page

    sign_in(page, live_server.url, sara.user.email)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sara")
    check(page)

    # The guidelines written for her: for meeting clients, for colleagues,
    # not those for managers.
    go(page, "Value base")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Värdegrund för socialförvaltningen"
    )
    check(page)
    # On a phone the page's tools wait folded under the text's first screen.
    tools = page.get_by_role("link", name=t("Guidelines for me"))
    if not tools.is_visible():
        page.get_by_text(t("Print, download and other versions")).click()
    tools.click()
    guidelines = page.get_by_role("main")
    expect(guidelines.get_by_role("heading", name="Bemötande")).to_be_visible()
    expect(
        guidelines.get_by_role("heading", name="Stöd mellan kollegor")
    ).to_be_visible()
    expect(guidelines).not_to_contain_text("Ett öppet klimat")
    check(page)
    guidelines.get_by_role("link", name="Bemötande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bemötande")
    check(page)

    # She raises a dilemma, writing a phone number and a name by habit.
    go(page, "Dilemmas")
    check(page)
    page.get_by_role("link", name=t("Raise a dilemma")).first.click()
    check(page)
    page.get_by_label(label("group")).select_option(label="Etikgruppen barn och familj")
    page.get_by_label(label("title")).fill("Mamman som vill veta allt")
    page.get_by_label(label("description")).fill(
        DESCRIPTION + "Hon heter Anna Johansson och nås på 070-123 45 67."
    )
    page.get_by_label(label("the question")).fill(
        "Ska vi berätta för mamman eller hålla det sonen bad om?"
    )
    page.get_by_label("Barnets bästa kontra den vuxnes bästa").check()
    page.get_by_role("button", name=t("Raise the dilemma")).click()

    # The guard stops the save and keeps everything she wrote.
    expect(page.get_by_role("alert")).to_be_visible()
    errors = page.locator(".field__error")
    expect(errors).to_contain_text(
        [t("A personal name at %(place)s.").split("%(place)s")[0]]
    )
    expect(errors).to_contain_text(
        [t("A phone number at %(place)s.").split("%(place)s")[0]]
    )
    # Each finding once in the summary, which has the focus, and marked in
    # the text at the field; the reason is an optional field, not an error.
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(2)
    expect(page.locator(".findings mark")).to_have_text(
        ["Anna Johansson", "070-123 45 67"]
    )
    reason = page.get_by_label(label("Reason for saving anyway (optional)"))
    expect(reason).to_be_visible()
    expect(reason).not_to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label(label("title"))).to_have_value("Mamman som vill veta allt")
    expect(page.get_by_label("Barnets bästa kontra den vuxnes bästa")).to_be_checked()
    description = page.get_by_label(label("description"))
    expect(description).to_have_value(re.compile("070-123 45 67"))
    check(page)
    assert not Dilemma.objects.filter(title="Mamman som vill veta allt").exists()

    description.fill(DESCRIPTION.strip())
    page.get_by_role("button", name=t("Raise the dilemma")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mamman som vill veta allt"
    )
    expect(page.get_by_role("main")).to_contain_text("Sonen är femton år")
    check(page)

    # The evaluation of a session she took part in, from the list of evaluations.
    go(page, "Dilemmas")
    page.get_by_role("link", name=t("Evaluations"), exact=True).click()
    check(page)
    waiting = page.get_by_role("listitem").filter(has_text=t("not answered yet"))
    waiting.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/evaluations/[0-9a-f-]{36}/$"))
    session = re.search(r"/evaluations/([0-9a-f-]{36})/$", page.url)[1]
    sealed_before = set(
        SealedAnswer.objects.filter(evaluation__reflection__uuid=session).values_list(
            "id", flat=True
        )
    )
    check(page)
    steps = dict(SCALE)
    # Sent with the first statement unanswered: the summary names it and
    # links to it; the other answers stay chosen.
    for item in ITEMS[1:]:
        page.get_by_role("group", name=t(str(item.text))).get_by_label(
            t(str(steps[4]))
        ).check()
    page.get_by_role("button", name=t("Send my answer")).click()
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_count(1)
    summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile(rf"#id_{ITEMS[0].key}_fieldset$"))
    expect(
        page.get_by_role("group", name=t(str(ITEMS[1].text))).get_by_label(
            t(str(steps[4]))
        )
    ).to_be_checked()
    check(page)
    for item in ITEMS:
        page.get_by_role("group", name=t(str(item.text))).get_by_label(
            t(str(steps[4]))
        ).check()
    page.get_by_label(label("Comment (if you like)")).fill(
        "Bra att vi fick tid för varje perspektiv."
    )
    page.get_by_role("button", name=t("Send my answer")).click()
    expect(page.get_by_role("status")).to_contain_text(
        t("Thank you. Your answer was saved without your name.")
    )
    check(page)

    close_and_assert_no_errors(phone)

    dilemma = Dilemma.objects.get(title="Mamman som vill veta allt")
    assert dilemma.author == sara
    assert dilemma.group == ReflectionGroup.objects.get(
        name="Etikgruppen barn och familj"
    )
    assert dilemma.status == Dilemma.Status.RAISED
    assert dilemma.description == DESCRIPTION.strip()
    assert "070" not in dilemma.description
    assert list(dilemma.tensions.values_list("title", flat=True)) == [
        "Barnets bästa kontra den vuxnes bästa"
    ]
    assert not GuardOverride.objects.exists()
    assert Respondent.objects.filter(
        evaluation__reflection__uuid=session, membership=sara
    ).exists()
    # Sealed until the evaluation closes; opened here, it is what she chose.
    (sealed,) = SealedAnswer.objects.filter(
        evaluation__reflection__uuid=session
    ).exclude(id__in=sealed_before)
    opened = open_sealed(sealed.evaluation_id, sealed.sealed)
    assert opened.comment == "Bra att vi fick tid för varje perspektiv."
    assert set(opened.scores.values()) == {4}
    assert len(opened.scores) == len(ITEMS)
    assert AuditEvent.objects.filter(
        membership=sara, object_uuid=dilemma.uuid, action="create"
    ).exists()
