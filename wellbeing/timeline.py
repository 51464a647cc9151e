"""What the well-being modules plug in at start-up: the timeline source and the recompute
of a family's score when another app writes its income."""

from django.db.models import Count, Sum
from django.db.models.signals import post_delete, post_save
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


def _income_changed(sender, instance, **kwargs):
    """Income written by another app (payroll, business follow-ups) through
    `income_record_upsert`: recompute the family's score when its transaction commits.
    Manual records and assessments are recomputed by their own services (and the admin)."""
    if instance.origin_type_id is None:
        return
    from wellbeing.scores import schedule_score_recompute

    schedule_score_recompute(instance.family_id)


def connect() -> None:
    register_timeline_source(wellbeing_timeline)
    post_save.connect(_income_changed, sender=IncomeRecord, dispatch_uid="wellbeing_income_saved")
    post_delete.connect(
        _income_changed, sender=IncomeRecord, dispatch_uid="wellbeing_income_deleted"
    )
