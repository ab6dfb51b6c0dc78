"""Django's own interface strings that its Swedish and Danish catalogues lack.

Our catalogues (LOCALE_PATHS) come before Django's, so naming a string here puts
it in locale/ through `make messages-update`, where it is translated like ours.
The tests crawl every page for English left on Swedish and Danish pages.
"""

from __future__ import annotations

from django.utils.translation import gettext_noop

DJANGO_STRINGS = [
    # The first choice of every select box (django.db.models.fields, 6.0+).
    gettext_noop("- Select an option -"),
]
