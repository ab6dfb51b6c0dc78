"""Follow-up: the agreed actions of a member and of the units they manage."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from audit.models import Action as AuditAction
from dilemmas.models import GuardOverride
from lib.pagination import paginate
from meetings.models import leads_group
from organisations.access import OrgRequest, audited, member_required
from reflections.forms import DoneForm
from reflections.models import Action

from .lookups import record_case


@require_GET
@member_required()
def action_list(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    actions = Action.objects.for_member(membership).select_related(
        "owner__user",
        "reflection__dilemma__group",
        "reflection__meeting__group",
        "follow_up",
    )
    managed = membership.managed_unit_ids()
    return render(
        request,
        "reflections/action_list.html",
        {
            "mine": paginate(request, actions.open().filter(owner=membership)),
            "overdue": (
                paginate(
                    request, actions.overdue().in_units(managed), param="overdue_page"
                )
                if managed
                else None
            ),
        },
    )


@require_POST
@member_required()
@audited("action", "action_uuid")
def action_done(request: OrgRequest, action_uuid: UUID) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.for_member(request.membership).select_related(
            "reflection__dilemma__group", "reflection__meeting__group"
        ),
        uuid=action_uuid,
    )
    group = action.reflection.group
    if action.owner_id != request.membership.pk and not leads_group(
        request.membership, group
    ):
        raise PermissionDenied
    form = DoneForm(request.POST)
    if action.done is None and form.is_valid():
        with transaction.atomic():
            action.mark_done(by=request.membership, note=form.cleaned_data["note"])
            GuardOverride.record_from(form, membership=request.membership, obj=action)
            record_case(request, AuditAction.CHANGE, action.reflection, action)
        messages.success(request, _("The action was marked done."))
    elif action.done is None:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts=None):
        target = reverse(
            "reflections:action_list", kwargs={"org": request.organisation.slug}
        )
    return redirect(target)
