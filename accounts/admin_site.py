"""The Django admin, for the platform's superusers: two factors, always.

Superusers can open any organisation's records, so the admin lets a staff
account in only when this very sign-in used a second factor. Everyone signs in
through allauth (which asks for the code); a staff account without an
authenticator is sent to set one up first. What superusers read here is audited
like any other reading (audit.admin.CaseTextAdmin).
"""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.account.decorators import secure_admin_login
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


def signed_in_with_two_factors(request: HttpRequest) -> bool:
    records = get_authentication_records(request, request.user)
    return any(record.get("method") == "mfa" for record in records)


class EtikrumAdminSite(admin.AdminSite):
    site_header = "Etikrum"

    def has_permission(self, request: HttpRequest) -> bool:
        # Organisation admins work in the product's own pages; the Django admin
        # is for the people who operate the service.
        user = request.user
        return (
            user.is_active and user.is_superuser and signed_in_with_two_factors(request)
        )

    def login(
        self, request: HttpRequest, extra_context: dict[str, object] | None = None
    ) -> HttpResponse:
        from organisations.access import user_has_totp

        user = request.user
        staff = user.is_authenticated and user.is_active and user.is_staff
        if staff and not signed_in_with_two_factors(request):
            if not user_has_totp(user):
                messages.warning(
                    request,
                    _(
                        "The admin site needs two-factor sign-in. Set up an "
                        "authenticator app first."
                    ),
                )
                return redirect("mfa_activate_totp")
            messages.warning(
                request,
                _(
                    "The admin site needs a sign-in with two factors. Sign out "
                    "and sign in again with your authenticator code."
                ),
            )
            return redirect("home")
        response: HttpResponse = secure_admin_login(super().login)(
            request, extra_context
        )
        return response
