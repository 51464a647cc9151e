from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PinflClash(models.Model):
    """A time a user entered PINFLs that were already registered (in the family form or an
    import): the log of who asked the programme whether a national ID is known to it, and
    the count that limits how often they may (beneficiaries.pinfl_checks)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("user"),
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    where = models.CharField(_("where"), max_length=40)
    count = models.PositiveIntegerField(_("PINFLs already registered"), default=1)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("registered PINFL entered")
        verbose_name_plural = _("registered PINFLs entered")
        indexes = [models.Index(fields=["user", "at"], name="pinfl_clash_user_at_idx")]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M} · {self.count}"
