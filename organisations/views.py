from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from audit.changes import FormChanges, Values
from audit.models import Action as AuditAction
from audit.models import Outcome, record_request
from lib.pagination import paginate
from lib.queries import count_of

from .access import OrgRequest, member_required
from .forms import (
    MemberAddForm,
    MemberChangeForm,
    MemberFilterForm,
    OrganisationSettingsForm,
    UnitForm,
)
from .models import (
    Capability,
    Invitation,
    Membership,
    ReflectionGroup,
    Unit,
    unit_tree,
)
from .tasks import send_invitation


def _get_member(request: OrgRequest, member_uuid: UUID) -> Membership:
    member: Membership = get_object_or_404(
        Membership.objects.for_organisation(request.organisation).select_related(
            "user", "unit"
        ),
        uuid=member_uuid,
    )
    return member


@require_GET
@member_required()
def unit_list(request: OrgRequest) -> HttpResponse:
    # Counted in subqueries: joining both members and groups would multiply
    # every unit's members by its groups before DISTINCT sorts them out again.
    units = Unit.objects.for_organisation(request.organisation).annotate(
        member_count=count_of(Membership.objects.filter(is_active=True), "unit"),
        group_count=count_of(ReflectionGroup.objects.all(), "unit"),
    )
    current = [unit for unit in units if unit.archived is None]
    archived = [unit for unit in units if unit.archived is not None]
    return render(
        request,
        "organisations/units.html",
        {
            "tree": unit_tree(current),
            "archived": sorted(archived, key=lambda unit: unit.name),
            "can_administer": request.membership.can(Capability.ADMINISTER),
        },
    )


def _get_unit(request: OrgRequest, unit_id: int) -> Unit:
    unit: Unit = get_object_or_404(
        Unit.objects.for_organisation(request.organisation), pk=unit_id
    )
    return unit


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def unit_add(request: OrgRequest) -> HttpResponse:
    form = UnitForm(
        request.POST or None,
        organisation=request.organisation,
        initial={"parent": request.GET.get("parent")},
    )
    if request.method == "POST" and form.is_valid():
        form.instance.organisation = request.organisation
        with transaction.atomic():
            unit = form.save()
            record_request(
                request,
                AuditAction.CREATE,
                unit,
                detail=Values(form, ["kind", "parent"]),
            )
        messages.success(
            request, _("The unit %(unit)s was added.") % {"unit": unit.name}
        )
        return redirect("organisations:unit_list", org=request.organisation.slug)
    return render(request, "organisations/unit_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def unit_change(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = _get_unit(request, unit_id)
    form = UnitForm(request.POST or None, instance=unit, organisation=unit.organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if changes := FormChanges(form):
                record_request(request, AuditAction.CHANGE, unit, detail=changes)
        messages.success(request, _("The changes to the unit were saved."))
        return redirect("organisations:unit_list", org=request.organisation.slug)
    return render(
        request,
        "organisations/unit_form.html",
        {"form": form, "unit": unit, "blockers": unit.blockers()},
    )


@require_POST
@member_required(Capability.ADMINISTER)
def unit_archive(request: OrgRequest, unit_id: int) -> HttpResponse:
    """Archive a unit that nothing depends on any more, or say what does."""
    unit = _get_unit(request, unit_id)
    blockers = unit.blockers()
    if any(blockers.values()):
        record_request(
            request,
            AuditAction.ARCHIVE,
            unit,
            outcome=Outcome.DENIED,
            detail=lambda: _blocked_message(blockers),
        )
        messages.error(request, _blocked_message(blockers))
        return redirect(
            "organisations:unit_change", org=request.organisation.slug, unit_id=unit.pk
        )
    with transaction.atomic():
        unit.archived = timezone.now()
        unit.save(update_fields=["archived"])
        record_request(request, AuditAction.ARCHIVE, unit)
    messages.success(request, _("%(unit)s was archived.") % {"unit": unit.name})
    return redirect("organisations:unit_list", org=request.organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def unit_restore(request: OrgRequest, unit_id: int) -> HttpResponse:
    unit = _get_unit(request, unit_id)
    if unit.parent is not None and unit.parent.archived is not None:
        record_request(
            request,
            AuditAction.RESTORE,
            unit,
            outcome=Outcome.DENIED,
            detail=gettext_lazy("The unit it is part of is archived."),
        )
        messages.error(
            request, _("Restore the unit it is part of first, or move it elsewhere.")
        )
    else:
        with transaction.atomic():
            unit.archived = None
            unit.save(update_fields=["archived"])
            record_request(request, AuditAction.RESTORE, unit)
        messages.success(request, _("%(unit)s is in use again.") % {"unit": unit.name})
    return redirect("organisations:unit_list", org=request.organisation.slug)


def _blocked_message(blockers: dict[str, int]) -> str:
    parts = []
    if blockers["units"]:
        parts.append(
            ngettext(
                "%(count)d unit below it", "%(count)d units below it", blockers["units"]
            )
            % {"count": blockers["units"]}
        )
    if blockers["members"]:
        parts.append(
            ngettext("%(count)d member", "%(count)d members", blockers["members"])
            % {"count": blockers["members"]}
        )
    if blockers["groups"]:
        parts.append(
            ngettext(
                "%(count)d reflection group",
                "%(count)d reflection groups",
                blockers["groups"],
            )
            % {"count": blockers["groups"]}
        )
    return _("The unit cannot be archived yet: first move or archive %(what)s.") % {
        "what": ", ".join(parts)
    }


@require_GET
@member_required(Capability.ADMINISTER)
def member_list(request: OrgRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    members = (
        Membership.objects.for_organisation(request.organisation)
        .select_related("user")
        # The page's units in a query of their own: as a join, PostgreSQL
        # reads every unit of the country to match a page of members.
        .prefetch_related("unit", "audiences")
    )
    status = "active"
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            members = members.filter(
                Q(user__name__icontains=data["q"]) | Q(user__email__icontains=data["q"])
            )
        if data["role"]:
            members = members.filter(role=data["role"])
        status = data["status"] or "active"
    if status == "active":
        members = members.filter(is_active=True)
    elif status == "inactive":
        members = members.filter(is_active=False)
    invitations = (
        Invitation.objects.for_organisation(request.organisation)
        .open()
        .select_related("unit")
    )
    context = {
        "form": form,
        "members": paginate(request, members),
        "invitations": paginate(request, invitations, param="invitations_page"),
    }
    template = "organisations/members.html"
    if request.htmx:
        template += "#member-table"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def member_add(request: OrgRequest) -> HttpResponse:
    """Invite a person; the membership is made only when they accept."""
    organisation = request.organisation
    form = MemberAddForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            invitation = Invitation.invite(
                organisation,
                data["email"],
                name=data["name"],
                role=data["role"],
                unit=data["unit"],
                invited_by=request.membership,
            )
            invitation.audiences.set(data["audiences"])
            record_request(
                request,
                AuditAction.INVITE,
                invitation,
                detail=Values(form, ["role", "unit", "audiences"]),
            )
            transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
        has_account = (
            get_user_model().objects.filter(email__iexact=data["email"]).exists()
        )
        if has_account:
            message = _(
                "An invitation was sent to %(email)s. The address belongs to an "
                "existing account: the person becomes a member when they sign in "
                "with it and accept."
            )
        else:
            message = _(
                "An invitation was sent to %(email)s. The person becomes a member "
                "when they accept it and choose a password."
            )
        messages.success(request, message % {"email": data["email"]})
        return redirect("organisations:member_list", org=organisation.slug)
    return render(request, "organisations/member_add.html", {"form": form})


def _get_invitation(request: OrgRequest, invitation_uuid: UUID) -> Invitation:
    invitation: Invitation = get_object_or_404(
        Invitation.objects.for_organisation(request.organisation).open(),
        uuid=invitation_uuid,
    )
    return invitation


@require_POST
@member_required(Capability.ADMINISTER)
def invitation_resend(request: OrgRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _get_invitation(request, invitation_uuid)
    with transaction.atomic():
        invitation.renew()
        record_request(request, AuditAction.INVITE_RESEND, invitation)
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
    messages.success(
        request,
        _("A new invitation was sent to %(email)s; the earlier link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("organisations:member_list", org=request.organisation.slug)


@require_POST
@member_required(Capability.ADMINISTER)
def invitation_withdraw(request: OrgRequest, invitation_uuid: UUID) -> HttpResponse:
    invitation = _get_invitation(request, invitation_uuid)
    with transaction.atomic():
        invitation.withdraw()
        record_request(request, AuditAction.INVITE_WITHDRAW, invitation)
    messages.success(
        request,
        _("The invitation to %(email)s was withdrawn; its link no longer works.")
        % {"email": invitation.email},
    )
    return redirect("organisations:member_list", org=request.organisation.slug)


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def member_change(request: OrgRequest, member_uuid: UUID) -> HttpResponse:
    member = _get_member(request, member_uuid)
    form = MemberChangeForm(request.POST or None, membership=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            member.role = data["role"]
            member.unit = data["unit"]
            member.save(update_fields=["role", "unit"])
            member.audiences.set(data["audiences"])
            if changes := FormChanges(form):
                record_request(request, AuditAction.CHANGE, member, detail=changes)
        messages.success(
            request,
            _("The changes to %(person)s were saved.") % {"person": member.user},
        )
        return redirect("organisations:member_list", org=request.organisation.slug)
    return render(
        request, "organisations/member_change.html", {"form": form, "member": member}
    )


@require_POST
@member_required(Capability.ADMINISTER)
def member_deactivate(request: OrgRequest, member_uuid: UUID) -> HttpResponse:
    member = _get_member(request, member_uuid)
    refusal = None
    if member == request.membership:
        refusal = gettext_lazy("You cannot deactivate yourself.")
    elif member.is_last_admin():
        refusal = gettext_lazy("The organisation needs at least one administrator.")
    if refusal is not None:
        # The row says why in the organisation's language, the page in the
        # person's.
        record_request(
            request,
            AuditAction.DEACTIVATE,
            member,
            outcome=Outcome.DENIED,
            detail=refusal,
        )
        messages.error(request, str(refusal))
    else:
        with transaction.atomic():
            member.is_active = False
            # Its calendar feed ends with it (meetings.receivers).
            member.save(update_fields=["is_active"])
            record_request(request, AuditAction.DEACTIVATE, member)
        messages.success(
            request,
            _("%(person)s was deactivated and can no longer open this organisation.")
            % {"person": member.user},
        )
    return redirect(
        "organisations:member_change",
        org=request.organisation.slug,
        member_uuid=member.uuid,
    )


@require_POST
@member_required(Capability.ADMINISTER)
def member_reactivate(request: OrgRequest, member_uuid: UUID) -> HttpResponse:
    member = _get_member(request, member_uuid)
    with transaction.atomic():
        member.is_active = True
        member.save(update_fields=["is_active"])
        record_request(request, AuditAction.REACTIVATE, member)
    messages.success(
        request, _("%(person)s is active again.") % {"person": member.user}
    )
    return redirect(
        "organisations:member_change",
        org=request.organisation.slug,
        member_uuid=member.uuid,
    )


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def organisation_settings(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationSettingsForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            if changes := FormChanges(form):
                record_request(
                    request, AuditAction.CHANGE, organisation, detail=changes
                )
        messages.success(request, _("The settings were saved."))
        return redirect("organisations:settings", org=organisation.slug)
    return render(request, "organisations/settings.html", {"form": form})
