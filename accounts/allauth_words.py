"""django-allauth's own texts that our catalogues word as our interface does.

Our catalogues are read before allauth's (LOCALE_PATHS), so an entry in them
for one of allauth's texts replaces allauth's translation. These are the texts
on the sign-in and account pages whose Swedish or Danish translations in
allauth use another word than docs/terms names ("Epost-adress" under the
label "E-postadress", "password" for "adgangskode"). Named here so that
`makemessages` keeps them; tests/test_terms.py reads the pages.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

WORDED_OUR_WAY = [
    gettext_noop("Email address"),
    gettext_noop("Email Address"),
    gettext_noop("Email Addresses"),
    gettext_noop("Email address %(deleted_email)s has been removed from your account."),
    gettext_noop("The email address and/or password you specified are not correct."),
    gettext_noop("The email address is not assigned to any user account."),
    gettext_noop(
        "Forgotten your password? Enter your email address below, and we'll send "
        "you an email allowing you to reset it."
    ),
    gettext_noop("Current email"),
    gettext_noop("Change Email"),
    gettext_noop("Your email address is still pending verification."),
    gettext_noop("Two-Factor Authentication"),
    gettext_noop("Password Reset"),
    gettext_noop("Change Password"),
    gettext_noop("Reset My Password"),
    gettext_noop("Please contact us if you have any trouble resetting your password."),
]
