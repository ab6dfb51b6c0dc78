"""The set-up checklist a new organisation's first administrator works through.

Five steps, each done on the page that already does it (units, the value
base's import, groups, members, settings); the checklist says where the
organisation stands and lets each step be marked done, skipped for now, or
taken up again. Its state is the organisation's (`setup_steps`), so any of
its administrators picks up where another left off. It lives here, above the
apps whose pages it links to and counts.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from organisations.access import OrgRequest, member_required
from organisations.models import (
    Capability,
    Invitation,
    Membership,
    ReflectionGroup,
    Unit,
)
from values.models import ValueBase

STEPS = ("units", "values", "groups", "people", "settings")
STATES = ("done", "skipped", "todo")


@dataclass
class Step:
    key: str
    title: str
    text: str
    facts: str
    links: list[tuple[str, str]]
    state: str


@require_GET
@member_required(Capability.ADMINISTER)
def checklist(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    steps = _steps(request)
    return render(
        request,
        "home/setup.html",
        {
            "steps": steps,
            "remaining": sum(step.state == "todo" for step in steps),
            "setup_open": organisation.setup_open,
        },
    )


# long: five steps, each a few lines of the words the page shows
def _steps(request: OrgRequest) -> list[Step]:
    organisation = request.organisation
    slug = organisation.slug
    state = organisation.setup_steps

    def url(name: str, **kwargs: str) -> str:
        return reverse(name, kwargs={"org": slug, **kwargs})

    units = Unit.objects.for_organisation(organisation).current().count()
    bases = list(ValueBase.objects.for_organisation(organisation))
    groups = ReflectionGroup.objects.for_organisation(organisation).count()
    members = Membership.objects.for_organisation(organisation).active().count()
    invited = Invitation.objects.for_organisation(organisation).pending().count()
    value_links = [
        (_("Import %(name)s from Word") % {"name": base.name},
         url("values:import_word", base=base.slug))
        for base in bases
    ] + [
        (_("Import %(name)s from a text file") % {"name": base.name},
         url("values:import", base=base.slug))
        for base in bases
    ]  # fmt: skip
    steps = [
        Step(
            "units",
            _("Units"),
            _(
                "The tree of administrations, areas and units, typed or from a "
                "CSV file."
            ),
            _("Units so far: %(count)d.") % {"count": units},
            [
                (_("Add a unit"), url("organisations:unit_add")),
                (_("Import units from a file"), url("organisations:unit_import")),
            ],
            "",
        ),
        Step(
            "values",
            _("The value base"),
            _("Import it from a Word document or a text file, then adopt it."),
            _("Value bases so far: %(count)d.") % {"count": len(bases)},
            value_links,
            "",
        ),
        Step(
            "groups",
            _("The first reflection groups"),
            _("A group belongs to a unit and has facilitators and members."),
            _("Groups so far: %(count)d.") % {"count": groups},
            [(_("Start a group"), url("meetings:group_create"))],
            "",
        ),
        Step(
            "people",
            _("The first people"),
            _("Invite a few by hand, or import the list from your HR system."),
            _("Members so far: %(members)d; open invitations: %(invited)d.")
            % {"members": members, "invited": invited},
            [
                (_("Add a member"), url("organisations:member_add")),
                (_("Import members from a file"), url("organisations:member_import")),
            ],
            "",
        ),
        Step(
            "settings",
            _("Settings"),
            _(
                "How long case texts are kept, sign-out after inactivity, the "
                "fewest answers before evaluation results show, two-factor sign-in."
            ),
            _("Case texts kept %(days)d days; sign-out after %(minutes)d minutes.")
            % {
                "days": organisation.retention_days,
                "minutes": organisation.idle_minutes,
            },
            [(_("Open the settings"), url("organisations:settings"))],
            "",
        ),
    ]
    for step in steps:
        step.state = state.get(step.key, "todo")
    return steps


@require_POST
@member_required(Capability.ADMINISTER)
def mark(request: OrgRequest, step: str) -> HttpResponse:
    """A step done, skipped for now, or taken up again."""
    value = request.POST.get("state", "")
    if step not in STEPS:
        raise Http404
    organisation = request.organisation
    if value not in STATES:
        # A form from elsewhere, or none: nothing to change.
        return redirect("organisations:setup", org=organisation.slug)
    steps = dict(organisation.setup_steps)
    if value == "todo":
        steps.pop(step, None)
    else:
        steps[step] = value
    organisation.setup_steps = steps
    organisation.save(update_fields=["setup_steps"])
    return redirect("organisations:setup", org=organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def finish(request: OrgRequest) -> HttpResponse:
    """Off the dashboard (or, with `open`, back on it)."""
    organisation = request.organisation
    organisation.setup_open = request.POST.get("open") == "1"
    organisation.save(update_fields=["setup_open"])
    if organisation.setup_open:
        return redirect("organisations:setup", org=organisation.slug)
    messages.success(request, _("The set-up checklist is finished."))
    return redirect("organisations:dashboard", org=organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def start_value_base(request: OrgRequest) -> HttpResponse:
    """An empty value base to import into, for an organisation that has none."""
    organisation = request.organisation
    if not ValueBase.objects.for_organisation(organisation).exists():
        # Named in the organisation's language; editors can rename it.
        with translation.override(organisation.language):
            name = _("Value base")
        ValueBase.objects.create(
            organisation=organisation, slug=slugify(name) or "value-base", name=name
        )
    return redirect("organisations:setup", org=organisation.slug)
