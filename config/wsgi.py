from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
application = get_wsgi_application()

# A web process that connects as the owner of the audit log's tables could
# rewrite it: say so in the log at start (audit/checks.py).
from audit.checks import log_database_role_warnings  # noqa: E402

log_database_role_warnings()
