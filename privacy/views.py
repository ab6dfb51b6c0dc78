from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.requests import SignedInRequest
from audit.models import Action, AuditEvent, Kind, Via, person_label
from organisations.models import Membership

from .forms import ForgetMeForm
from .personal_data import CannotAnonymise, anonymise, export, last_admin_of


@require_GET
@login_required
def my_data(request: SignedInRequest) -> JsonResponse:
    """Everything the product holds about the signed-in person, as JSON."""
    user = request.user
    memberships = (
        Membership.objects.filter(user=user)
        .select_related("organisation", "unit")
        .order_by("organisation_id")
    )
    for membership in memberships:
        AuditEvent.record(
            action=Action.EXPORT,
            object_kind=Kind.PERSONAL_DATA,
            object_name=person_label(user),
            via=Via.EXPORT,
            membership=membership,
            view="privacy:my_data",
        )
    response = JsonResponse(
        export(user), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = (
        f'attachment; filename="etikrum-my-data-{day}.json"'
    )
    return response


@require_http_methods(["GET", "POST"])
@login_required
def forget_me(request: SignedInRequest) -> HttpResponse:
    """The person ends their account; what they contributed stays, unnamed."""
    user = request.user
    blocked = last_admin_of(user)
    form = ForgetMeForm(request.POST or None, user=user)
    if request.method == "POST" and not blocked and form.is_valid():
        try:
            anonymise(user, view="privacy:forget_me")
        except CannotAnonymise as refusal:
            messages.error(request, str(refusal))
            return redirect("privacy:forget_me")
        logout(request)
        messages.success(
            request,
            _("Your account was anonymised and you were signed out. Goodbye."),
        )
        return redirect("account_login")
    return render(request, "privacy/forget_me.html", {"form": form, "blocked": blocked})
