from __future__ import annotations

from allauth.account.forms import default_token_generator
from allauth.account.utils import user_pk_to_url_str
from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Membership


@task
def send_invitation(membership_id: int) -> None:
    """Tell a newly added member where to sign in (and how to choose a password)."""
    membership = (
        Membership.objects.active()
        .select_related("user", "organisation")
        .filter(pk=membership_id)
        .first()
    )
    if membership is None:
        return
    user = membership.user
    language = user.language or membership.organisation.language
    with translation.override(language):
        if user.has_usable_password():
            link = settings.SITE_URL + reverse("account_login")
        else:
            link = settings.SITE_URL + reverse(
                "account_reset_password_from_key",
                kwargs={
                    "uidb36": user_pk_to_url_str(user),
                    "key": default_token_generator.make_token(user),
                },
            )
        context = {"membership": membership, "link": link}
        subject = render_to_string(
            "organisations/email/invitation_subject.txt", context
        ).strip()
        body = render_to_string("organisations/email/invitation_body.txt", context)
    send_mail(subject, body, None, [user.email])
