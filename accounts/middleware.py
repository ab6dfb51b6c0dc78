from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation

from core.middleware import GetResponse

if TYPE_CHECKING:
    from .models import User

# The language of the person's organisation, remembered at sign-in.
ORGANISATION_LANGUAGE = "etikrum_organisation_language"


class UserLanguageMiddleware:
    """Speak the signed-in person's language on every page, allauth's included.

    Their own choice first; without one (and without a language cookie), the
    language of their organisation, so that a Danish municipality's people meet
    Danish pages even where no organisation is in the address (their settings,
    two-factor set-up, e-mail addresses). Runs after LocaleMiddleware (cookie
    and browser) and AuthenticationMiddleware.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            speak_their_language(request, user)
        return self.get_response(request)


def speak_their_language(request: HttpRequest, user: User) -> None:
    """Activate the person's language (see UserLanguageMiddleware) for this request."""
    language: str | None = user.language
    if not language and settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        language = request.session.get(ORGANISATION_LANGUAGE)
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language


def remember_organisation_language(request: HttpRequest, user: User) -> None:
    from organisations.models import Membership

    membership = Membership.objects.for_user(user).order_by("created").first()
    if membership is not None:
        request.session[ORGANISATION_LANGUAGE] = membership.organisation.language
