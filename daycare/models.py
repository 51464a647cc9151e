"""Day care at the social centres: places, capacity and the daily register."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from beneficiaries.models import Branch, Person
from daycare.access import attendance_condition, place_condition
from daycare.choices import CHILD_AGE_LIMIT, MAX_CARE_HOURS, CareReason
from enterprises.models import Employment
from training.models import Session


def _hours(verbose_name, **kwargs):
    return models.DecimalField(
        verbose_name,
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(MAX_CARE_HOURS)],
        **kwargs,
    )


class DayCareCapacityQuerySet(models.QuerySet):
    def on(self, branch, day):
        """The row in force at `branch` on `day` (the latest that starts on or before it)."""
        return self.filter(branch=branch, effective_from__lte=day).order_by("-effective_from")


class DayCareCapacity(models.Model):
    """From a date on, how many children a centre's day care may take at once."""

    branch = models.ForeignKey(
        Branch,
        on_delete=models.PROTECT,
        related_name="daycare_capacities",
        verbose_name=_("centre"),
    )
    effective_from = models.DateField(_("from"))
    places = models.PositiveSmallIntegerField(
        _("places"),
        validators=[MinValueValidator(1), MaxValueValidator(500)],
        help_text=_("How many children the day care may take on one day."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = DayCareCapacityQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["branch", "-effective_from"]
        verbose_name = _("day-care capacity")
        verbose_name_plural = _("day-care capacities")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "effective_from"],
                name="one_daycare_capacity_per_centre_and_day",
                violation_error_message=_("This centre's capacity already changes on that day."),
            )
        ]

    def __str__(self):
        return f"{self.branch} · {self.effective_from} · {self.places}"


class DayCarePlaceQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(place_condition(user))

    def open_on(self, day):
        return self.filter(start_date__lte=day).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=day)
        )


class DayCarePlace(models.Model):
    """A child registered for day care at a centre, from a date on: who the centre expects,
    which parent brings the child, and the hours of a usual day."""

    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="daycare_places", verbose_name=_("child")
    )
    parent = models.ForeignKey(
        Person,
        on_delete=models.CASCADE,
        related_name="daycare_children",
        verbose_name=_("parent or caregiver"),
        help_text=_("Whose training or work the care makes possible."),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="daycare_places", verbose_name=_("centre")
    )
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("until"), null=True, blank=True)
    usual_hours = _hours(
        _("usual hours a day"),
        default=Decimal(4),
        help_text=_("The hours a usual day at the centre lasts; the register starts from them."),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("registered by"),
    )

    objects = DayCarePlaceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["child__full_name", "pk"]
        verbose_name = _("day-care place")
        verbose_name_plural = _("day-care places")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="daycare_place_ends_after_it_starts",
                violation_error_message=_("A place cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(child=F("parent")),
                name="daycare_place_child_is_not_the_parent",
                violation_error_message=_("The child and the parent must be two people."),
            ),
        ]
        indexes = [models.Index(fields=["branch", "start_date"], name="daycare_place_branch")]

    def __str__(self):
        return f"{self.child} · {self.branch}"

    def get_absolute_url(self):
        return reverse("daycare:place_detail", args=[self.pk])

    def clean(self):
        if not (self.child_id and self.parent_id and self.start_date):
            return
        errors = {}
        if self.child.family_id != self.parent.family_id:
            errors["parent"] = _("The parent must belong to the child's family.")
        if self.child.age_on(self.start_date) >= CHILD_AGE_LIMIT:
            errors["child"] = _("Day care is for children under %(age)s.") % {
                "age": CHILD_AGE_LIMIT
            }
        elif self.parent.age_on(self.start_date) < CHILD_AGE_LIMIT:
            errors["parent"] = _("The parent or caregiver must be an adult.")
        if errors:
            raise ValidationError(errors)


class DayCareAttendanceQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(attendance_condition(user))


class DayCareAttendance(models.Model):
    """One child's day at a centre's day care: the hours, and why the child was there when
    the register knows it (the parent's training session, or the parent's working day at a
    social enterprise; payroll records work by the month, so the link is to the contract)."""

    place = models.ForeignKey(
        DayCarePlace,
        on_delete=models.CASCADE,
        related_name="attendances",
        verbose_name=_("place"),
    )
    child = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="+", verbose_name=_("child")
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    date = models.DateField(_("date"))
    hours = _hours(_("hours in care"))
    reason = models.CharField(
        _("reason"), max_length=10, choices=CareReason.choices, default=CareReason.OTHER
    )
    session = models.ForeignKey(
        Session,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent's training session"),
    )
    employment = models.ForeignKey(
        Employment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("parent's job at a social enterprise"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    objects = DayCareAttendanceQuerySet.as_manager()
    # Written in bulk by the register's service, which adds the history rows itself.
    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "child__full_name", "pk"]
        verbose_name = _("day-care attendance")
        verbose_name_plural = _("day-care attendance")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "date"],
                name="one_daycare_day_per_child",
                violation_error_message=_("This child's day in care is already recorded."),
            )
        ]
        indexes = [models.Index(fields=["branch", "date"], name="daycare_att_branch_date")]

    def __str__(self):
        return f"{self.child} · {self.date} · {self.hours}"
