from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history import register

from accounts.history import HistoricalRecordsBothSides


class Capability(models.Model):
    """Holds permissions that belong to no single record: reading history, exporting data.

    No table: the model exists so Django creates and assigns its permissions.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        permissions = [
            ("view_history", _("Can see who changed a record and when")),
            ("export_personal_data", _("Can export lists that contain personal data")),
            ("view_programme_reports", _("Can see programme-wide reports")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class FailedPassword(models.Model):
    """A password that failed to sign in, as a keyed fingerprint, for the cool-off period:
    what lets the login throttle (accounts/throttle.py) stop one password tried against
    many usernames."""

    fingerprint = models.CharField(_("fingerprint"), max_length=64, db_index=True)
    username = models.CharField(_("username"), max_length=150)
    attempt_time = models.DateTimeField(_("attempt time"), db_index=True)

    class Meta:
        ordering = ["-attempt_time"]
        verbose_name = _("failed password")
        verbose_name_plural = _("failed passwords")

    def __str__(self):
        return f"{self.username} {self.attempt_time:%Y-%m-%d %H:%M}"


# Who changed a user's details, roles (groups) and permissions, and a role's permissions.
# The password hash is kept out of the history (an old hash is worth guessing at), and so is
# the last sign-in time (accounts.apps writes it without a history entry).
register(
    get_user_model(),
    app="accounts",
    excluded_fields=["password", "last_login"],
    m2m_fields=["groups", "user_permissions"],
    records_class=HistoricalRecordsBothSides,
)
register(
    Group, app="accounts", m2m_fields=["permissions"], records_class=HistoricalRecordsBothSides
)
