"""Referrals to services: the writes with their rules (sending, each later step) and the
reads of the family page, the timeline, the specialist's queue and the worklist.

One place decides the steps (TRANSITIONS) and one the consent to sharing
(`sharing_refusal`, over beneficiaries.selectors.may_share_with): an outside partner gets the
member's data only with the member's (a child's guardian's) consent to that sharing, unless a
programme manager overrides a missing consent with a reason; a withdrawal is never
overridden, and it stops every later step of an outside referral but its closing.
"""

from datetime import date, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries.access import caseworker_branch_ids, staff_branch_ids
from beneficiaries.choices import (
    INTERNAL_SERVICES,
    ConsentPurpose,
    ConsentStatus,
    ReferralStatus,
    ReferralUrgency,
)
from beneficiaries.models import Family, Person, Referral
from beneficiaries.selectors import consent_state, current_consents, may_share_with
from beneficiaries.timeline import TimelineEntry

# Days the service has to accept or decline a referral before it shows as overdue on the
# caseworker's worklist.
ANSWER_DAYS = {ReferralUrgency.URGENT: 2, ReferralUrgency.ROUTINE: 10}
# How long a new answer stays on the caseworker's worklist.
ANSWER_NEWS_DAYS = 14

S = ReferralStatus
# step -> the states it may be taken from. Closing ends a referral at any open state.
TRANSITIONS = {
    S.ACCEPTED: {S.SENT},
    S.DECLINED: {S.SENT},
    S.SERVED: {S.ACCEPTED},
    S.CLOSED: {S.SENT, S.ACCEPTED, S.SERVED},
}
# The field each step dates.
STEP_DATES = {
    S.ACCEPTED: "accepted_on",
    S.DECLINED: "declined_on",
    S.SERVED: "served_on",
    S.CLOSED: "closed_on",
}
OPEN = [S.SENT, S.ACCEPTED, S.SERVED]


def specialists_of(branch_id: int):
    """The users who may be assigned an internal referral of a family of the branch: active
    specialists whose staff profile names the centre."""
    return (
        get_user_model()
        .objects.filter(
            is_active=True,
            groups__name=Role.SPECIALIST,
            staff_profile__branches=branch_id,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


def sharing_refusal(person: Person, partner: str, *, on: date | None = None) -> str:
    """Why the member's data may not go to the partner, or "" when it may."""
    if may_share_with(person, partner, on=on):
        return ""
    if sharing_withdrawn(person, partner, on=on):
        return _(
            "%(name)s has withdrawn consent to sharing their data: nothing more is shared "
            "with %(partner)s."
        ) % {"name": person.full_name, "partner": partner}
    return _(
        "%(name)s has not consented to sharing their data with %(partner)s (and to its "
        "processing). Record the signed consent first; only a programme manager may refer "
        "without it, giving the reason."
    ) % {"name": person.full_name, "partner": partner}


def sharing_withdrawn(person: Person, partner: str, *, on: date | None = None) -> bool:
    """The member's latest decision on processing, or on sharing with this partner, is a
    withdrawal: an explicit stop that no override passes."""
    states = current_consents([person], on=on)
    return any(
        consent_state(states, person.pk, purpose, name).state == ConsentStatus.WITHDRAWN
        for purpose, name in ((ConsentPurpose.PROCESSING, ""), (ConsentPurpose.SHARING, partner))
    )


@transaction.atomic
def referral_send(
    *,
    family: Family,
    person: Person,
    service: str,
    reason: str,
    made_by,
    urgency: str = ReferralUrgency.ROUTINE,
    partner: str = "",
    assigned_to=None,
    sent_on: date | None = None,
    consent_override_reason: str = "",
) -> Referral:
    """Refer a member of the family to a service. An internal referral goes to a specialist
    of the family's centre; an outside one names its partner and needs the member's consent
    to sharing with it (selectors.may_share_with), or a programme manager's recorded reason
    when that consent is missing (never past a withdrawal). A family not yet taken in
    (no consent to processing) may be referred: the intake is what needs that consent."""
    sent_on = sent_on or timezone.localdate()
    partner = " ".join(partner.split())
    reason = reason.strip()
    override = consent_override_reason.strip()
    errors: dict[str, str] = {}
    if person.family_id != family.pk:
        errors["person"] = _("Choose a member of this family.")
    if not family.is_open:
        errors["__all__"] = _("The family's case is closed: it cannot be referred.")
    if sent_on > timezone.localdate():
        errors["sent_on"] = _("The date cannot be in the future.")
    if not reason:
        errors["reason"] = _("Say why the member is referred.")
    internal = service in INTERNAL_SERVICES
    if internal:
        if partner:
            errors["partner"] = _("A partner is named only for an outside service.")
        if assigned_to is None:
            errors["assigned_to"] = _("Choose the specialist who handles the referral.")
        elif not specialists_of(family.branch_id).filter(pk=assigned_to.pk).exists():
            errors["assigned_to"] = _("%(name)s is not a specialist of the family's centre.") % {
                "name": assigned_to.get_full_name() or assigned_to.username
            }
        if override:
            errors["consent_override_reason"] = _(
                "Nothing is shared outside the centre: no override is needed."
            )
    else:
        if assigned_to is not None:
            errors["assigned_to"] = _("An outside referral is handled by its partner.")
        if not partner:
            errors["partner"] = _("Name the organisation the member is referred to.")
        elif "person" not in errors:
            refusal = sharing_refusal(person, partner, on=sent_on)
            if (refusal and not override) or (
                refusal and sharing_withdrawn(person, partner, on=sent_on)
            ):
                errors["consent_override_reason"] = refusal
            elif refusal and not has_role(made_by, Role.PROGRAMME_MANAGER):
                errors["consent_override_reason"] = _(
                    "Only a programme manager may refer without the member's consent."
                )
            elif not refusal and override:
                override = ""  # the consent holds: nothing was overridden
    if errors:
        raise ValidationError(errors)
    referral = Referral(
        family=family,
        person=person,
        service=service,
        partner=partner,
        reason=reason,
        urgency=urgency,
        sent_on=sent_on,
        answer_due_on=sent_on + timedelta(days=ANSWER_DAYS[urgency]),
        made_by=made_by,
        assigned_to=assigned_to,
        consent_override_reason=override,
        consent_overridden_by=made_by if override else None,
    )
    referral.full_clean()
    referral.save()
    return referral


def may_answer(user, referral: Referral) -> bool:
    """Who records the service's answers (accepted, declined, service given): for the
    centre's own services the specialist it is assigned to; for an outside one the
    caseworkers of the family's branch and programme managers, who hear from the partner."""
    if referral.is_internal:
        return (
            user.has_perm("beneficiaries.answer_referral")
            and referral.assigned_to_id == user.pk
            and referral.family.branch_id in staff_branch_ids(user)
        )
    return may_close(user, referral)


def may_close(user, referral: Referral) -> bool:
    """The caseworkers of the family's branch and programme managers close a referral."""
    return user.has_perm("beneficiaries.change_referral") and (
        sees_whole_programme(user) or referral.family.branch_id in caseworker_branch_ids(user)
    )


def may_take(user, referral: Referral, step: str) -> bool:
    return may_close(user, referral) if step == S.CLOSED else may_answer(user, referral)


@transaction.atomic
def referral_step(
    *,
    referral: Referral,
    step: str,
    by,
    on: date | None = None,
    decline_reason: str = "",
    service_given: str = "",
    outcome: str = "",
) -> Referral:
    """Take the referral one step on: accepted or declined (from sent), service given (from
    accepted, with what was given and its outcome), closed (from any open state). Each step
    is dated; a step out of order, a date before the previous step or in the future, or an
    outside referral going on after the member withdrew consent to the sharing is refused."""
    referral = Referral.objects.select_for_update().select_related("person").get(pk=referral.pk)
    on = on or timezone.localdate()
    if step not in TRANSITIONS:
        raise ValidationError(_("Unknown step."))
    if referral.status not in TRANSITIONS[step]:
        raise ValidationError(
            _("A referral that is “%(status)s” cannot be marked “%(step)s”.")
            % {"status": referral.get_status_display(), "step": ReferralStatus(step).label},
            code="bad_transition",
        )
    errors: dict[str, str] = {}
    previous = max(
        day
        for day in (referral.sent_on, referral.accepted_on, referral.served_on)
        if day is not None
    )
    if on > timezone.localdate():
        errors["on"] = _("The date cannot be in the future.")
    elif on < previous:
        errors["on"] = _("The date cannot be before the referral's previous step.")
    decline_reason, service_given, outcome = (
        decline_reason.strip(),
        service_given.strip(),
        outcome.strip(),
    )
    if step == S.DECLINED and not decline_reason:
        errors["decline_reason"] = _("Say why the referral is declined.")
    if step == S.SERVED:
        if not service_given:
            errors["service_given"] = _("Describe the service given.")
        if not outcome:
            errors["outcome"] = _("Record the outcome.")
    if (
        step in (S.ACCEPTED, S.SERVED)
        and not referral.is_internal
        and sharing_withdrawn(referral.person, referral.partner, on=on)
    ):
        errors["__all__"] = (
            sharing_refusal(referral.person, referral.partner, on=on)
            + " "
            + _("Close the referral.")
        )
    if errors:
        raise ValidationError(errors)
    referral.status = step
    setattr(referral, STEP_DATES[step], on)
    if step == S.DECLINED:
        referral.decline_reason = decline_reason
    if step == S.SERVED:
        referral.service_given = service_given
    if outcome:
        referral.outcome = outcome
    referral.full_clean()
    referral.save()
    return referral


# Reads ------------------------------------------------------------------------------------


def family_referrals(family: Family, user) -> list[Referral]:
    """The family's referrals the user may see, newest first (one query)."""
    return list(
        Referral.objects.for_user(user)
        .filter(family=family)
        .select_related("person", "assigned_to", "made_by", "consent_overridden_by")
    )


def referral_panel(family, user) -> dict | None:
    """The family page's referrals section (beneficiaries.panels)."""
    if not user.has_perm("beneficiaries.view_referral"):
        return None
    from beneficiaries.access import may_refer

    return {
        "family": family,
        "referrals": family_referrals(family, user),
        "may_refer": may_refer(user, family),
    }


def referral_events(family, user) -> list[TimelineEntry]:
    """One entry per step of each referral the user may see (one query)."""
    kind = _("Referral")
    entries = []
    for referral in family_referrals(family, user):
        url = referral.get_absolute_url()
        subject = f"{referral.person.full_name}: {referral.service_label}"
        steps = [
            (referral.sent_on, _("Referred")),
            (referral.accepted_on, _("Accepted")),
            (referral.declined_on, _("Declined")),
            (referral.served_on, _("Service given")),
            (referral.closed_on, _("Closed")),
        ]
        for day, label in steps:
            if day is not None:
                entries.append(
                    TimelineEntry(day=day, kind=kind, title=f"{label} — {subject}", url=url)
                )
    return entries


def specialist_queue(user):
    """The internal referrals assigned to the user at their centres, open ones first."""
    return (
        Referral.objects.for_user(user)
        .filter(assigned_to=user)
        .internal()
        .select_related("person", "family", "family__branch", "made_by")
        .order_by("status", "answer_due_on", "id")
    )


def answers_due(families, today: date, horizon: date):
    """For the caseworker's worklist: referrals still waiting for an answer due by the
    horizon, and those answered (accepted, declined, service given) in the last
    ANSWER_NEWS_DAYS days and not yet closed (one query)."""
    since = today - timedelta(days=ANSWER_NEWS_DAYS)
    return (
        Referral.objects.filter(family__in=families)
        .filter(
            Q(status=S.SENT, answer_due_on__lte=horizon)
            | Q(status=S.ACCEPTED, accepted_on__gte=since)
            | Q(status=S.DECLINED, declined_on__gte=since)
            | Q(status=S.SERVED, served_on__gte=since)
        )
        .select_related("family", "person")
    )


def referral_work_items(families, today: date, horizon: date):
    from beneficiaries.worklist import WorkItem

    items = []
    for referral in answers_due(families, today, horizon):
        if referral.status == S.SENT:
            due, kind = referral.answer_due_on, _("Referral awaits an answer: %(service)s")
        else:
            due = getattr(referral, STEP_DATES[referral.status])
            kind = _("Referral answered (%(status)s): %(service)s")
        items.append(
            WorkItem(
                due_on=due,
                kind=kind
                % {"service": referral.service_label, "status": referral.get_status_display()},
                family=referral.family,
                url=referral.get_absolute_url(),
                subject=str(referral.person),
            )
        )
    return items


# The programme's referral figures: one definition each, which the programme report, its
# PDF/XLSX and its drill-down lists use.


def made_q(start: date, end: date, prefix: str = "") -> Q:
    """ "Referrals made": sent from `start` to `end` (both included), whatever came of them."""
    return Q(**{f"{prefix}sent_on__gte": start, f"{prefix}sent_on__lte": end})


def completed_q(start: date, end: date, prefix: str = "") -> Q:
    """ "Referrals completed": the service was given from `start` to `end`, whether or not
    the caseworker has closed the referral since (a referral closed without service given
    is not completed)."""
    return Q(**{f"{prefix}served_on__gte": start, f"{prefix}served_on__lte": end})
