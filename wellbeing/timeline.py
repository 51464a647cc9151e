"""The well-being entries of the family timeline: assessments and monthly income."""

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from beneficiaries.access import sees_sensitive
from beneficiaries.models import IncomeRecord
from beneficiaries.timeline import TimelineEntry, register_timeline_source
from common.money import format_uzs
from wellbeing.models import Assessment


def wellbeing_timeline(family, user):
    """Assessments and monthly household income, for users who may see them: two queries."""
    if not sees_sensitive(user, family):
        return []
    entries = []
    for assessment in Assessment.objects.filter(family=family).order_by("date"):
        entries.append(
            TimelineEntry(
                day=assessment.date,
                kind=_("Assessment"),
                title=assessment.get_kind_display(),
                url=reverse("wellbeing:assessment_detail", args=[family.pk, assessment.pk]),
            )
        )
    months = (
        IncomeRecord.objects.filter(family=family)
        .values("month")
        .annotate(total=Sum("amount"), records=Count("id"))
        .order_by("month")
    )
    for row in months:
        entries.append(
            TimelineEntry(
                day=row["month"],
                kind=_("Income"),
                title=_("Household income of %(month)s: %(amount)s")
                % {
                    "month": date_format(row["month"], "YEAR_MONTH_FORMAT"),
                    "amount": format_uzs(row["total"]),
                },
                url=reverse("wellbeing:income_list", args=[family.pk]),
            )
        )
    return entries


def connect() -> None:
    register_timeline_source(wellbeing_timeline)
