"""A file a user asked for that is made in the background (common/jobs.py)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class FileStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


class GeneratedFile(models.Model):
    """A document a user requested (a payroll register, the donor report), made by the
    worker, kept in the default storage until it expires. Who may download it is decided
    again at download by its kind (`common.jobs`), as on the page it was asked for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="generated_files",
        verbose_name=_("requested by"),
    )
    kind = models.CharField(_("kind"), max_length=64)
    params = models.JSONField(_("parameters"), default=dict)
    title = models.CharField(_("title"), max_length=255)
    status = models.CharField(
        _("status"), max_length=16, choices=FileStatus.choices, default=FileStatus.QUEUED
    )
    error = models.TextField(_("error"), blank=True)
    steps_done = models.PositiveIntegerField(_("steps done"), default=0)
    steps_total = models.PositiveIntegerField(_("steps"), default=0)
    file = models.FileField(_("file"), upload_to="generated/", blank=True, max_length=255)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    content_type = models.CharField(_("content type"), max_length=128, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        indexes = [models.Index(fields=["user", "-created_at"], name="generated_file_user")]

    def __str__(self):
        return self.title

    @property
    def pending(self) -> bool:
        return self.status in (FileStatus.QUEUED, FileStatus.RUNNING)

    @property
    def percent(self) -> int | None:
        if not self.steps_total:
            return None
        return min(100, self.steps_done * 100 // self.steps_total)


class ScheduledRun(models.Model):
    """One day's run of a scheduled job (common/schedule.py): the guard that makes a job run
    once a day whoever starts it, and what its steps reported."""

    job = models.CharField(_("job"), max_length=32)
    day = models.DateField(_("day"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict, blank=True)

    class Meta:
        verbose_name = _("scheduled run")
        verbose_name_plural = _("scheduled runs")
        ordering = ["-day", "job"]
        constraints = [
            models.UniqueConstraint(fields=["job", "day"], name="scheduled_run_once_a_day")
        ]

    def __str__(self):
        return f"{self.job} {self.day:%Y-%m-%d}"
