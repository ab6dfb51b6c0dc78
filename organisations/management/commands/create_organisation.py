"""Create an organisation and invite its first administrator.

For the platform's operators: a new organisation without the Django admin.
The first administrator gets the same invitation an administrator sends from
the member list (organisations.tasks.send_invitation, through the task
worker), and on signing in finds the set-up checklist on the dashboard.

    manage.py create_organisation --name "Norrby kommun, socialtjänsten" \\
        --short-name norrby --language sv --time-zone Europe/Stockholm \\
        --admin-email it-stod@norrby.example --admin-name "Maja Berg"
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext_lazy

from audit.models import Action, AuditEvent, Via
from organisations.forms import MemberAddForm
from organisations.models import Invitation, Organisation, Role
from organisations.tasks import send_invitation


class Command(BaseCommand):
    help = (
        "Create an organisation and send its first administrator an invitation. "
        "Refuses a short name that is taken; nothing is written on an error."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--name", required=True, help="The organisation's name.")
        parser.add_argument(
            "--short-name",
            required=True,
            help="Letters, digits and hyphens; its pages live under /o/<short name>/.",
        )
        parser.add_argument(
            "--language", default="sv", help="sv, da or en (default sv)."
        )
        parser.add_argument(
            "--time-zone",
            default="Europe/Stockholm",
            help="For example Europe/Stockholm or Europe/Copenhagen.",
        )
        parser.add_argument(
            "--admin-email", required=True, help="The first administrator's address."
        )
        parser.add_argument(
            "--admin-name", default="", help="The first administrator's name."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        slug = options["short_name"].strip().lower()
        if Organisation.objects.filter(slug=slug).exists():
            raise CommandError(
                f"An organisation with the short name {slug!r} already exists. "
                "Nothing was changed."
            )
        organisation = Organisation(
            name=options["name"].strip(),
            slug=slug,
            language=options["language"].strip().lower(),
            time_zone=options["time_zone"].strip(),
            setup_open=True,
        )
        try:
            organisation.full_clean()
        except ValidationError as error:
            raise CommandError(_errors(error.message_dict)) from None
        invitation = self.create(organisation, options)
        self.stdout.write(
            f"Created {organisation.name} (/o/{organisation.slug}/) and queued an "
            f"invitation for {invitation.email} as its administrator; the task "
            "worker sends it."
        )

    @transaction.atomic
    def create(self, organisation: Organisation, options: dict[str, Any]) -> Invitation:
        organisation.save()
        form = MemberAddForm(
            {
                "email": options["admin_email"],
                "name": options["admin_name"],
                "role": Role.ADMIN,
            },
            organisation=organisation,
        )
        if not form.is_valid():
            transaction.set_rollback(True)
            raise CommandError(_errors(form.errors.get_json_data()))
        data = form.cleaned_data
        invitation = Invitation.invite(
            organisation, data["email"], name=data["name"], role=Role.ADMIN
        )
        detail = gettext_lazy("On the command line")
        for action, obj in ((Action.CREATE, organisation), (Action.INVITE, invitation)):
            AuditEvent.record(
                action=action,
                obj=obj,
                via=Via.SYSTEM,
                view="create_organisation",
                detail=detail,
            )
        transaction.on_commit(lambda: send_invitation.enqueue(invitation.pk))
        return invitation


_LABELS = {"slug": "short name", "time_zone": "time zone", "email": "admin e-mail"}


def _errors(errors: dict[str, Any]) -> str:
    lines = []
    for field, messages in errors.items():
        for message in messages:
            text = message["message"] if isinstance(message, dict) else message
            lines.append(f"{_LABELS.get(field, field)}: {text}")
    return "Nothing was created.\n" + "\n".join(lines)
