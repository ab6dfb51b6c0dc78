from __future__ import annotations

from allauth.account.views import EmailView
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _


# allauth ships no type information, so its view is untyped to the checker.
class SafeEmailView(EmailView):  # type: ignore[misc]
    """allauth's e-mail page, refusing to switch to another account's address.

    allauth lets a person whose addresses are all unverified make any of them
    primary, which copies it into the sign-in address; if another account
    signs in with it, the database refuses and the person got a server error.
    """

    def _action_primary(
        self, request: HttpRequest, *args: object, **kwargs: object
    ) -> HttpResponse | None:
        address = self._get_email_address(request)
        user = request.user
        assert user.is_authenticated  # allauth's e-mail page is for signed-in people.
        if address is not None:
            taken = (
                get_user_model()
                .objects.filter(email__iexact=address.email)
                .exclude(pk=user.pk)
                .exists()
            )
            if taken:
                messages.error(request, _("This address belongs to another account."))
                return None
        response: HttpResponse | None = super()._action_primary(
            request, *args, **kwargs
        )
        return response


email = SafeEmailView.as_view()
