from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.models import Via
from privacy.personal_data import CannotAnonymise, anonymise


class Command(BaseCommand):
    help = (
        "Anonymise a person's account at their request (GDPR article 17): sign-in "
        "ends, personal fields are blanked, contributions stay as a former member's."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="The sign-in address of the account.")

    def handle(self, *args: str, email: str, **options: Any) -> None:
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account signs in with {email}.")
        try:
            anonymise(user, via=Via.SYSTEM, view="anonymise_account")
        except CannotAnonymise as refusal:
            raise CommandError(str(refusal)) from refusal
        self.stdout.write("The account was anonymised.")
