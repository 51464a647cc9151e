"""Uzbekistan's public holidays and transferred days as dated data: the working days of a
month follow them (payroll.calculation.working_days_in)."""

from django.db import models
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from payroll.choices import CalendarDayKind


class PublicHolidayQuerySet(models.QuerySet):
    def for_user(self, user):
        """The calendar is public: whoever may open payroll may read it."""
        return self

    def between(self, first, last):
        return self.filter(day__gte=first, day__lte=last)


class PublicHoliday(models.Model):
    """A day the national calendar treats differently from its weekday: a public holiday or
    a transferred day off (not worked when it falls Monday to Friday), or a Saturday or
    Sunday made a working day by a transfer.

    Fixed holidays are set by the Labour Code; the two Islamic holidays (Ramazon hayit and
    Qurbon hayit) move and are announced every year, as are transfers. Superusers keep the
    list in the admin; every change is kept in its history.
    """

    day = models.DateField(_("day"), unique=True)
    kind = models.CharField(
        _("kind"), max_length=12, choices=CalendarDayKind.choices, default=CalendarDayKind.HOLIDAY
    )
    name_en = models.CharField(_("name (English)"), max_length=120)
    name_ru = models.CharField(_("name (Russian)"), max_length=120)
    name_uz = models.CharField(_("name (Uzbek)"), max_length=120)
    announced_yearly = models.BooleanField(
        _("date announced yearly"),
        default=False,
        help_text=_("A moving holiday or a transfer: check the date against the year's decree."),
    )
    source = models.CharField(
        _("public source"),
        max_length=255,
        blank=True,
        help_text=_("The law or decree that sets it."),
    )
    notes = models.TextField(_("notes"), blank=True)

    objects = PublicHolidayQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["day"]
        verbose_name = _("public holiday or transferred day")
        verbose_name_plural = _("public holidays and transferred days")

    def __str__(self):
        return f"{date_format(self.day, 'SHORT_DATE_FORMAT')} {self.name}"

    @property
    def name(self) -> str:
        language = (get_language() or "en")[:2]
        return {"ru": self.name_ru, "uz": self.name_uz}.get(language) or self.name_en
