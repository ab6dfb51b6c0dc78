from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, F, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meetings.models import Meeting
from reflections.models import Action
from values.models import ValueBase, Version

from .access import OrgRequest, member_required
from .forms import (
    MemberAddForm,
    MemberChangeForm,
    MemberFilterForm,
    OrganisationSettingsForm,
)
from .models import Capability, Membership, ReflectionGroup, Unit, unit_tree
from .tasks import send_invitation


def _get_member(request: OrgRequest, member_uuid) -> Membership:
    return get_object_or_404(
        Membership.objects.for_organisation(request.organisation).select_related(
            "user", "unit"
        ),
        uuid=member_uuid,
    )


@require_GET
@member_required()
def dashboard(request: OrgRequest) -> HttpResponse:
    membership = request.membership
    groups = (
        ReflectionGroup.objects.for_member(membership)
        .select_related("unit")
        .annotate(member_count=Count("members", distinct=True))
    )
    meetings = (
        Meeting.objects.for_invitee(membership)
        .upcoming()
        .select_related("group")
        .order_by("start")[:5]
    )
    actions = (
        Action.objects.for_member(membership)
        .open()
        .filter(owner=membership)
        .select_related("reflection")
        .order_by(F("due").asc(nulls_last=True))[:5]
    )
    today = timezone.localdate()
    bases = list(ValueBase.objects.for_member(membership))
    in_force = {
        version.value_base_id: version
        for version in Version.objects.in_force_on(today).filter(value_base__in=bases)
    }
    value_bases = [(base, in_force.get(base.pk)) for base in bases]
    return render(
        request,
        "organisations/dashboard.html",
        {
            "groups": groups,
            "audiences": membership.audiences.all(),
            "meetings": meetings,
            "actions": actions,
            "value_bases": value_bases,
            "today": today,
        },
    )


@require_GET
@member_required()
def unit_list(request: OrgRequest) -> HttpResponse:
    units = Unit.objects.for_organisation(request.organisation).annotate(
        member_count=Count("memberships", filter=Q(memberships__is_active=True))
    )
    return render(request, "organisations/units.html", {"tree": unit_tree(units)})


@require_GET
@member_required(Capability.ADMINISTER)
def member_list(request: OrgRequest) -> HttpResponse:
    form = MemberFilterForm(request.GET or None)
    members = (
        Membership.objects.for_organisation(request.organisation)
        .select_related("user", "unit")
        .prefetch_related("audiences")
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
    context = {"form": form, "members": members}
    template = "organisations/members.html"
    if request.htmx:
        template += "#member-table"
    response = render(request, template, context)
    response["Vary"] = "HX-Request"
    return response


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def member_add(request: OrgRequest) -> HttpResponse:
    organisation = request.organisation
    form = MemberAddForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            user, _created = get_user_model().objects.get_or_create(
                email=data["email"], defaults={"name": data["name"]}
            )
            if _created:
                user.set_unusable_password()
                user.save(update_fields=["password"])
            membership, _new = Membership.objects.update_or_create(
                user=user,
                organisation=organisation,
                defaults={
                    "role": data["role"],
                    "unit": data["unit"],
                    "is_active": True,
                },
            )
            membership.audiences.set(data["audiences"])
            transaction.on_commit(lambda: send_invitation.enqueue(membership.pk))
        messages.success(
            request,
            _("%(person)s was added and will get an e-mail with a sign-in link.")
            % {"person": user},
        )
        return redirect("organisations:member_list", org=organisation.slug)
    return render(request, "organisations/member_add.html", {"form": form})


@require_http_methods(["GET", "POST"])
@member_required(Capability.ADMINISTER)
def member_change(request: OrgRequest, member_uuid) -> HttpResponse:
    member = _get_member(request, member_uuid)
    form = MemberChangeForm(request.POST or None, membership=member)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with transaction.atomic():
            member.role = data["role"]
            member.unit = data["unit"]
            member.save(update_fields=["role", "unit"])
            member.audiences.set(data["audiences"])
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
def member_deactivate(request: OrgRequest, member_uuid) -> HttpResponse:
    member = _get_member(request, member_uuid)
    if member == request.membership:
        messages.error(request, _("You cannot deactivate yourself."))
    elif member.is_last_admin():
        messages.error(request, _("The organisation needs at least one administrator."))
    else:
        member.is_active = False
        member.save(update_fields=["is_active"])
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
def member_reactivate(request: OrgRequest, member_uuid) -> HttpResponse:
    member = _get_member(request, member_uuid)
    member.is_active = True
    member.save(update_fields=["is_active"])
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
        form.save()
        messages.success(request, _("The settings were saved."))
        return redirect("organisations:settings", org=organisation.slug)
    return render(request, "organisations/settings.html", {"form": form})
