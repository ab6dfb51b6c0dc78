"""Every account gets its sign-in address as its one primary e-mail address.

Before, allauth created an unverified, non-primary row for the sign-in address
whenever someone opened the e-mail page, and that row then blocked two-factor
set-up. Such a row is made primary and verified when the person has set a
password: the only way to do that was the invitation link sent to that very
address. A primary row nobody verified (an address someone switched to without
proof) stays unverified; the person can verify it from the e-mail page.
"""

from __future__ import annotations

from django.db import migrations

UNUSABLE_PASSWORD_PREFIX = "!"


def forward(apps, schema_editor) -> None:
    User = apps.get_model("accounts", "User")
    EmailAddress = apps.get_model("account", "EmailAddress")
    for user in User.objects.all().iterator():
        has_password = bool(user.password) and not user.password.startswith(
            UNUSABLE_PASSWORD_PREFIX
        )
        rows = list(EmailAddress.objects.filter(user=user))
        own = next((r for r in rows if r.email.lower() == user.email.lower()), None)
        if own is None:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            EmailAddress.objects.create(
                user=user, email=user.email, primary=True, verified=has_password
            )
            continue
        if not own.primary and not own.verified and has_password and len(rows) == 1:
            own.verified = True
        if not own.primary:
            EmailAddress.objects.filter(user=user, primary=True).update(primary=False)
            own.primary = True
        own.save()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_anonymised"),
        ("account", "0009_emailaddress_unique_primary_email"),
    ]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
