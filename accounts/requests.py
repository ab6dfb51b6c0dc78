"""The request a view behind `login_required` is given."""

from __future__ import annotations

from django.http import HttpRequest

from .models import User


class SignedInRequest(HttpRequest):
    # `login_required` lets only a signed-in person through.
    user: User
