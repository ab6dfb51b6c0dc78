"""The easy-read answer: what the person a case is about can keep.

After sign-off the facilitator writes, in plain language, what was talked
about, what will be done and who the person can talk to. It is case text: the
identifier guard applies, it is read and printed under the case rules and
audited, and the retention rule erases it with the rest of the case
(reflections.retention). It holds no colleague's position: it is written for
the person, not copied from the record.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from organisations.models import Membership

from .sessions import Reflection

# Enough for one printed page with the heading, the organisation and contact.
TEXT_LIMIT = 700
CONTACT_LIMIT = 250


class EasyRead(models.Model):
    reflection = models.OneToOneField(
        Reflection, on_delete=models.PROTECT, related_name="easy_read"
    )
    talked_about = models.TextField(_("what we talked about"), blank=True)
    will_do = models.TextField(_("what we will do"), blank=True)
    contact = models.TextField(_("who you can talk to"), blank=True)
    written_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="+"
    )
    created = models.DateTimeField(_("written"), auto_now_add=True)
    changed = models.DateTimeField(_("changed"), auto_now=True)

    class Meta:
        verbose_name = _("easy-read summary")
        verbose_name_plural = _("easy-read summaries")

    def __str__(self) -> str:
        return f"{self.reflection}"

    @property
    def is_empty(self) -> bool:
        return not (self.talked_about or self.will_do or self.contact)


def prose(talked_about: str, will_do: str) -> str:
    """The running text whose readability is shown: the contact is names and
    numbers, which would say nothing about how the prose reads."""
    return "\n\n".join(t.strip() for t in (talked_about, will_do) if t.strip())
