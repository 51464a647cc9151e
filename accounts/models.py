from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
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
            ("export_personal_data", _("Can download files that contain personal data")),
            ("view_programme_reports", _("Can see programme-wide reports")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)


class ReadLogQuerySet(models.QuerySet):
    def for_user(self, user):
        """Programme managers and auditors read every entry; anyone else only their own."""
        from accounts.roles import sees_whole_programme

        if sees_whole_programme(user):
            return self
        return self.filter(user=user)


class ReadLogEntry(models.Model):
    """One read that matters: who opened a family's file, its progress report, a record's
    history or a download, when, and with which query. Written by `accounts.readlog`;
    kept READ_LOG_DAYS days (`manage.py purge_read_log`)."""

    class Kind(models.TextChoices):
        FAMILY = "family", _("Family file")
        PROGRESS = "progress", _("Progress report")
        HISTORY = "history", _("Change history")
        DOWNLOAD = "download", _("Download")

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    username = models.CharField(_("user name"), max_length=150)
    kind = models.CharField(_("what was read"), max_length=20, choices=Kind.choices)
    data_kind = models.CharField(_("kind of data"), max_length=20, blank=True)
    path = models.CharField(_("address"), max_length=500)
    query = models.CharField(_("query"), max_length=2000, blank=True)
    content_type = models.ForeignKey(
        ContentType,
        verbose_name=_("kind of record"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    object_id = models.CharField(_("record"), max_length=64, blank=True)

    objects = ReadLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)
        verbose_name = _("read log entry")
        verbose_name_plural = _("read log")
        indexes = [models.Index(fields=["user", "at"], name="readlog_user_at")]

    def __str__(self):
        return f"{self.username} · {self.get_kind_display()} · {self.path}"


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
