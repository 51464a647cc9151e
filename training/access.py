"""Who may see which cohort, enrolment and certificate: the rules behind `for_user`.

- programme managers and auditors: everything;
- a trainer: the cohorts they train and the people enrolled in them;
- a caseworker: the cohorts of their branches, and the enrolments of their families
  (wherever those families' members study).
"""

from django.db.models import Q

from accounts.roles import Role, has_role
from beneficiaries.access import NOTHING, caseworker_branch_ids


def cohort_condition(user) -> Q:
    condition = NOTHING
    if has_role(user, Role.TRAINER):
        condition |= Q(trainer=user)
    branch_ids = caseworker_branch_ids(user)
    if branch_ids:
        from training.models import Enrolment

        condition |= Q(branch_id__in=branch_ids) | Q(
            pk__in=Enrolment.objects.filter(person__family__branch_id__in=branch_ids).values(
                "cohort_id"
            )
        )
    return condition


def enrolment_condition(user, prefix: str = "") -> Q:
    """Enrolments the user may see; `prefix` reaches them from a related model."""
    condition = NOTHING
    if has_role(user, Role.TRAINER):
        condition |= Q(**{f"{prefix}cohort__trainer": user})
    branch_ids = caseworker_branch_ids(user)
    if branch_ids:
        condition |= Q(**{f"{prefix}person__family__branch_id__in": branch_ids})
    return condition


def trainer_person_scope(user) -> Q | None:
    """Registered with beneficiaries.scopes: a trainer reaches the people in their cohorts."""
    if not user.is_authenticated or not has_role(user, Role.TRAINER):
        return None
    from training.models import Enrolment

    return Q(pk__in=Enrolment.objects.filter(cohort__trainer=user).values("person_id"))
