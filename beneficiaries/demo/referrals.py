"""Demo referrals: a few members of open families referred to their centre's
specialist (waiting, accepted, service given) and one to the makhalla committee with the
member's consent to that sharing, all through the referral services."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    FamilyStatus,
    ReferralService,
    ReferralStatus,
    ReferralUrgency,
)
from beneficiaries.models import ConsentRecord, Family, Referral
from beneficiaries.referrals import referral_send, referral_step

MAKHALLA_PARTNER = "Makhalla committee"


def add_referrals(run) -> int:
    """Four referrals (waiting, accepted, service given, to the makhalla committee) over the
    newest open families of the centres that have a demo specialist, a family taking more
    than one when there are fewer than four (a small demo has only one or two open)."""
    today = timezone.localdate()
    specialists = {}
    for user in (
        get_user_model()
        .objects.filter(groups__name=Role.SPECIALIST)
        .prefetch_related("staff_profile__branches")
        .order_by("pk")
    ):
        for branch in user.staff_profile.branches.all():
            specialists.setdefault(branch.pk, user)
    families = [
        family
        for family in Family.objects.filter(
            branch_id__in=list(specialists),
            status__in=[FamilyStatus.ACTIVE, FamilyStatus.REFERRED],
        )
        .exclude(referrals__isnull=False)
        .exclude(caseworker=None)
        .select_related("caseworker")
        .order_by("-intake_date", "pk")[:4]
        if family.members.filter(birth_date__lte=today - timedelta(days=18 * 366)).exists()
    ]
    made = 0
    for number in range(4 if families else 0):
        family = families[number % len(families)]
        person = family.members.order_by("birth_date", "pk").first()
        sent_on = max(today - timedelta(days=3 + 6 * number), family.intake_date)
        by = family.caseworker
        if number == 3:
            ConsentRecord.objects.create(
                person=person,
                purpose=ConsentPurpose.SHARING,
                partner=MAKHALLA_PARTNER,
                status=ConsentStatus.GIVEN,
                decided_on=sent_on,
                paper_reference=f"{family.case_number}/S1",
                recorded_by=by,
            )
            referral_send(
                family=family,
                person=person,
                service=ReferralService.MAKHALLA,
                partner=MAKHALLA_PARTNER,
                reason="Help with the documents for a child allowance.",
                made_by=by,
                sent_on=sent_on,
            )
            made += 1
            continue
        specialist = specialists[family.branch_id]
        referral = referral_send(
            family=family,
            person=person,
            service=ReferralService.PSYCHOLOGIST,
            assigned_to=specialist,
            reason="Stress after the loss of work; asks for support.",
            urgency=ReferralUrgency.URGENT if number == 0 else ReferralUrgency.ROUTINE,
            made_by=by,
            sent_on=sent_on,
        )
        made += 1
        if number >= 1:
            referral = referral_step(
                referral=referral, step=ReferralStatus.ACCEPTED, by=specialist, on=sent_on
            )
        if number >= 2:
            referral_step(
                referral=referral,
                step=ReferralStatus.SERVED,
                by=specialist,
                on=min(sent_on + timedelta(days=4), today),
                service_given="Four individual sessions.",
                outcome="Sleeps better; attends the training again.",
            )
    return made


def reset() -> None:
    Referral.objects.all().delete()
    Referral.history.all().delete()
