from __future__ import annotations

# The admin site itself (superusers only, with two factors) is
# accounts.admin_site.EtikrumAdminSite.
