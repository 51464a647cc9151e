"""When a family's score is recomputed at once, not only at night.

The score reads the family's status and dates (intake, exit, closing), its members (the
household size that divides the income) and its income. Every write of those, by any app,
through a form, a service, the admin or an import, schedules one recompute of the family
when its transaction commits (`schedule_score_recompute`). Assessments and manual income
records recompute through their own services. Income a payroll approval writes in bulk
comes through the core's `income_written_in_bulk`. Other rows written in bulk send no
signals: the demo and the nightly `recompute_scores` cover them.

A poverty line or the well-being rule, saved or deleted (the admin), queues a recompute of
every family as a background job when its transaction commits (wellbeing/tasks.py): the
scores follow without waiting for the night.
"""

from django.db.models.signals import post_delete, post_save

from beneficiaries.models import Family, IncomeRecord, Person
from beneficiaries.signals import income_written_in_bulk
from wellbeing.models import PovertyLine, WellbeingRule
from wellbeing.scores import schedule_score_recompute
from wellbeing.tasks import schedule_all_scores_recompute

# A family's fields that the score reads; a save that changes none of them (a phone
# number, the search text) leaves the score alone.
SCORED_FAMILY_FIELDS = ("status", "intake_date", "exit_date", "exit_reason")


def _family_saved(sender, instance, created, update_fields=None, **kwargs):
    if update_fields is not None and not set(update_fields) & set(SCORED_FAMILY_FIELDS):
        return
    schedule_score_recompute(instance.pk)


def _member_changed(sender, instance, **kwargs):
    if instance.family_id:
        schedule_score_recompute(instance.family_id)


def _income_changed(sender, instance, **kwargs):
    """Income written by another app (payroll, business follow-ups) through
    `income_record_upsert`; manual records recompute through their own services."""
    if instance.origin_type_id is None:
        return
    schedule_score_recompute(instance.family_id)


def _income_written_in_bulk(sender, family_ids, **kwargs):
    if family_ids:
        schedule_score_recompute(*family_ids)


def _scoring_input_changed(sender, instance, **kwargs):
    schedule_all_scores_recompute()


def connect() -> None:
    for model in (PovertyLine, WellbeingRule):
        name = model._meta.model_name
        post_save.connect(_scoring_input_changed, sender=model, dispatch_uid=f"wellbeing_{name}_s")
        post_delete.connect(
            _scoring_input_changed, sender=model, dispatch_uid=f"wellbeing_{name}_d"
        )
    income_written_in_bulk.connect(_income_written_in_bulk, dispatch_uid="wellbeing_income_bulk")
    post_save.connect(_family_saved, sender=Family, dispatch_uid="wellbeing_family_saved")
    post_save.connect(_member_changed, sender=Person, dispatch_uid="wellbeing_member_saved")
    post_delete.connect(_member_changed, sender=Person, dispatch_uid="wellbeing_member_deleted")
    post_save.connect(_income_changed, sender=IncomeRecord, dispatch_uid="wellbeing_income_saved")
    post_delete.connect(
        _income_changed, sender=IncomeRecord, dispatch_uid="wellbeing_income_deleted"
    )
