"""Demo data of the core: the demo users, makhallas, and families with their members,
development plans and the children's living arrangements.

By default 735 families registered 2007-2016 in Tashkent, Urgench and Samarkand, with about
2,000 children, as the programme published (programme-description.txt):
- 170 children returned to their families: each was in care (the short-term care centre in
  Samarkand, alternative care elsewhere) and came back home, all dated within 2007-2016;
- of the families whose case ended (exited or closed), 60% left because their well-being was
  restored, all of them by the end of 2016; the most recent tenth of the intakes is still active.
Other run sizes keep the same proportions. Large runs use bulk inserts in batches.
"""

from beneficiaries import duplicates, search
from beneficiaries.choices import ConsentPurpose, Relationship
from beneficiaries.demo import referrals
from beneficiaries.demo.households import (
    DEFAULT_FAMILIES,
    add_families,
    makhallas_by_branch,
    to_cyrillic,
)
from beneficiaries.demo.staff import caseworkers_by_branch, demo_users, share_caseloads
from beneficiaries.models import (
    Branch,
    ChildPlacement,
    ConsentRecord,
    DevelopmentPlan,
    DuplicateCandidate,
    Family,
    IncomeRecord,
    Makhalla,
    Person,
    PersonMerge,
    PlanGoal,
)


def registered_twice(family_ids) -> int:
    """One mother registered again, in Cyrillic, as a member of another family (as happens
    when two branches meet one woman), for the programme manager's review queue; then the
    periodic check over every person."""
    mothers = list(
        Person.objects.filter(family_id__in=family_ids, relationship=Relationship.HEAD)
        .exclude(full_name__regex=r"[А-Яа-яЎўҚқҒғҲҳ]")
        .order_by("family_id")[:2]
    )
    if len(mothers) == 2:
        mother, other = mothers
        twin = Person.objects.create(
            family_id=other.family_id,
            full_name=to_cyrillic(mother.full_name),
            sex=mother.sex,
            birth_date=mother.birth_date,
            relationship=Relationship.OTHER,
        )
        # She signed the family's consent to processing with the others.
        consent = other.consents.filter(purpose=ConsentPurpose.PROCESSING).first()
        if consent is not None:
            ConsentRecord.objects.create(
                person=twin,
                purpose=consent.purpose,
                status=consent.status,
                decided_on=consent.decided_on,
                paper_reference=consent.paper_reference,
                recorded_by=consent.recorded_by,
            )
    return duplicates.find_all()


def reset(run) -> None:
    referrals.reset()
    DuplicateCandidate.objects.all().delete()
    PersonMerge.objects.all().delete()
    DuplicateCandidate.history.all().delete()
    PersonMerge.history.all().delete()
    ChildPlacement.objects.all().delete()
    PlanGoal.objects.all().delete()
    DevelopmentPlan.objects.all().delete()
    for model in (ChildPlacement, PlanGoal, DevelopmentPlan):
        model.history.all().delete()
    IncomeRecord.objects.all().delete()
    Person.objects.all().delete()
    Family.objects.all().delete()
    Makhalla.objects.all().delete()
    Family.history.all().delete()
    Person.history.all().delete()
    IncomeRecord.history.all().delete()


def seed(run) -> None:
    branches = {branch.code: branch for branch in Branch.objects.all()}
    if run.demo_users:
        run.users.update(demo_users(run, branches))
    makhallas = makhallas_by_branch(branches)
    count = DEFAULT_FAMILIES if run.families is None else run.families
    caseworkers = caseworkers_by_branch()
    run.new_family_ids = add_families(run, count, branches, makhallas, caseworkers)
    if caseworkers:
        share_caseloads(run, branches, run.new_family_ids)
    search.refresh(run.new_family_ids)  # rows inserted in bulk send no signals
    run.log.write(f"  {count} families added ({Family.objects.count()} in all)")
    if count:
        run.log.write(f"  {registered_twice(run.new_family_ids)} possible duplicates to review")
        run.log.write(f"  {referrals.add_referrals(run)} referrals to services")
    if count:
        run.log.write(
            f"  {run.shared.get('returned_children', 0)} children returned to their families"
        )
