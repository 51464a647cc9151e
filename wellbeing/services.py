"""Writes of the well-being instrument with rules: assessments, the manual household income
a caseworker records (each recomputes the family's score), and early exit requests."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from beneficiaries import exit_rules
from beneficiaries.choices import APP_WRITTEN_SOURCES, ExitReason, FamilyStatus
from beneficiaries.models import Family, IncomeRecord, Person
from beneficiaries.services import check_consent_for_leaving, check_leaving_date, family_exit
from common.money import round_soum
from wellbeing.choices import AssessmentKind
from wellbeing.models import Assessment, Domain, ExitRequest, Rating, WellbeingRule
from wellbeing.scores import family_scores_recompute
from wellbeing.selectors import family_checklist, propose_levels


def school_age_children(family: Family, on: date, rule: WellbeingRule | None = None):
    """The family's children of school age on the day (a queryset)."""
    rule = rule or WellbeingRule.current()
    youngest = _years_before(on, rule.school_age_from)
    oldest = _years_before(on, rule.school_age_to + 1)
    return Person.objects.filter(
        family=family, birth_date__lte=youngest, birth_date__gt=oldest
    ).order_by("birth_date")


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@transaction.atomic
def assessment_record(
    *,
    family: Family,
    day: date,
    kind: str,
    levels: dict[int, int],
    reasons: dict[int, str] | None = None,
    children_out_of_school: Iterable[Person] = (),
    notes: str = "",
    recorded_by=None,
) -> Assessment:
    """Record an assessment: a level for every domain in use, keyed by domain id. For the
    domains the data rates (income, employment) the proposal is kept beside the level, and a
    different level needs a reason. The family's score is recomputed in the same transaction."""
    reasons = reasons or {}
    errors: dict[str, list[str]] = {}
    if day > timezone.localdate():
        errors["date"] = [_("An assessment cannot be dated in the future.")]
    if day < family.intake_date:
        errors["date"] = [_("An assessment cannot be dated before the family's intake.")]
    if kind == AssessmentKind.FOLLOW_UP and not (
        family.status == FamilyStatus.EXITED and family.exit_date and day > family.exit_date
    ):
        errors["kind"] = [_("A follow-up is recorded after the family has exited.")]
    rule = WellbeingRule.current()
    children = list(children_out_of_school)
    allowed = set(school_age_children(family, day, rule).values_list("pk", flat=True))
    if any(child.pk not in allowed for child in children):
        errors["children_out_of_school"] = [
            _("Only the family's school-age children can be marked as not in school.")
        ]
    domains = list(Domain.objects.filter(is_active=True))
    proposal = propose_levels([family.pk], day)[family.pk]
    ratings = []
    for domain in domains:
        level = levels.get(domain.pk)
        if level is None:
            errors[f"level_{domain.pk}"] = [_("Rate this domain.")]
            continue
        rating = Rating(
            domain=domain,
            level=level,
            proposed_level=proposal.level_for(domain),
            override_reason=(reasons.get(domain.pk) or "").strip(),
        )
        if not rating.is_override:
            rating.override_reason = ""
        try:
            rating.clean_fields(exclude=["assessment"])
            rating.clean()
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                key = "reason" if field == "override_reason" else "level"
                errors.setdefault(f"{key}_{domain.pk}", []).extend(messages)
        ratings.append(rating)
    if errors:
        raise ValidationError(errors)
    assessment = Assessment(
        family=family, date=day, kind=kind, notes=notes, recorded_by=recorded_by
    )
    assessment.full_clean()
    assessment.save()
    for rating in ratings:
        rating.assessment = assessment
    Rating.objects.bulk_create(ratings)
    if children:
        assessment.children_out_of_school.set(children)
    family_scores_recompute(family_ids=[family.pk])
    return assessment


# --- Manual income records --------------------------------------------------------------------


def _check_manual(record: IncomeRecord) -> None:
    if record.is_automatic:
        raise ValidationError(
            _("This record comes from another part of the programme and changes only there.")
        )


@transaction.atomic
def income_record_create(
    *,
    family: Family,
    month: date,
    source: str,
    amount: Decimal,
    person: Person | None = None,
    evidence: str = "",
    recorded_by=None,
) -> IncomeRecord:
    """A caseworker's record of a month's income from a source with no record of its own."""
    record = IncomeRecord(family=family, recorded_by=recorded_by)
    return _save_manual(
        record, month=month, source=source, amount=amount, person=person, evidence=evidence
    )


@transaction.atomic
def income_record_update(
    *,
    record: IncomeRecord,
    month: date,
    source: str,
    amount: Decimal,
    person: Person | None = None,
    evidence: str = "",
) -> IncomeRecord:
    _check_manual(record)
    old_family = record.family_id
    saved = _save_manual(
        record, month=month, source=source, amount=amount, person=person, evidence=evidence
    )
    if old_family != saved.family_id:  # pragma: no cover - the form keeps the family
        family_scores_recompute(family_ids=[old_family])
    return saved


@transaction.atomic
def income_record_delete(*, record: IncomeRecord) -> None:
    _check_manual(record)
    family_id = record.family_id
    record.delete()
    family_scores_recompute(family_ids=[family_id])


def check_hand_entered_source(source: str) -> None:
    """Refuse a source that only its own app writes (`APP_WRITTEN_SOURCES`)."""
    if source in APP_WRITTEN_SOURCES:
        raise ValidationError({"source": str(APP_WRITTEN_SOURCES[source])})


def _save_manual(record, *, month, source, amount, person, evidence) -> IncomeRecord:
    check_hand_entered_source(source)
    if person is not None and person.family_id != record.family_id:
        raise ValidationError({"person": _("This person is not a member of the family.")})
    if month.day != 1:
        raise ValidationError({"month": _("A month is stored as its first day.")})
    record.month = month
    record.source = source
    record.amount = round_soum(amount)
    record.person = person
    record.evidence = evidence
    record.full_clean()
    record.save()
    family_scores_recompute(family_ids=[record.family_id])
    return record


# --- Early exits: four eyes ---------------------------------------------------------------------


def exit_readiness_now(family: Family) -> list[dict]:
    """The exit checklist at this moment: the family's score is recomputed first, so a month
    that ended or a record written since the last recompute counts."""
    family_scores_recompute(family_ids=[family.pk])
    _score, _rule, checklist = family_checklist(family)
    return checklist


def unmet_exit_conditions(family: Family) -> list[str]:
    """The conditions of exit readiness that do not hold now, as sentences (empty: ready).
    Registered with the core (`beneficiaries.exit_rules`), which refuses the exit reason
    "well-being restored" while this names any."""
    return [
        f"{item['label']}: {item['detail']}"
        for item in exit_readiness_now(family)
        if not item["ok"]
    ]


@transaction.atomic
def exit_request_create(
    *, family: Family, exit_date: date, reason: str, requested_by
) -> ExitRequest:
    """A caseworker asks for an exit with well-being restored that the checklist does not
    allow today; a programme manager decides (`exit_request_decide`)."""
    family = Family.objects.select_for_update().get(pk=family.pk)
    if family.status != FamilyStatus.ACTIVE:
        raise ValidationError(_("Only an active family can exit the service."))
    check_consent_for_leaving(family)
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the family can leave now.")})
    check_leaving_date(family, exit_date, "exit_date")
    if ExitRequest.objects.filter(family=family, status=ExitRequest.Status.PENDING).exists():
        raise ValidationError(_("This family already has an exit request waiting."))
    # Every registered check, as family_exit asks them: a request is needed exactly when
    # the exit itself would be refused.
    unmet = exit_rules.unmet_exit_conditions(family)
    if not unmet:
        raise ValidationError(
            _("The exit checklist holds: record the exit with well-being restored directly.")
        )
    request = ExitRequest(
        family=family,
        exit_date=exit_date,
        reason=reason.strip(),
        unmet="\n".join(unmet),
        requested_by=requested_by,
    )
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def exit_request_decide(*, request: ExitRequest, approve: bool, by, notes: str = "") -> ExitRequest:
    """A programme manager approves (the family exits with well-being restored on the
    requested date) or refuses (with a reason) a pending request. Never the requester: four
    eyes. An approval while the checklist still fails is recorded as an override."""
    request = ExitRequest.objects.select_for_update().get(pk=request.pk)
    if not by.has_perm("wellbeing.decide_exitrequest"):
        raise PermissionDenied
    if request.status != ExitRequest.Status.PENDING:
        raise ValidationError(_("This request has already been decided."))
    if request.requested_by_id == by.pk:
        raise ValidationError(_("You made this request: another programme manager must decide it."))
    notes = (notes or "").strip()
    if approve:
        unmet = exit_rules.unmet_exit_conditions(request.family)
        family_exit(
            family=request.family,
            exit_date=request.exit_date,
            reason=ExitReason.WELL_BEING_RESTORED,
            notes=request.reason,
            by=by,
            approved_early=True,
        )
        request.status = ExitRequest.Status.APPROVED
        request.override = bool(unmet)
    else:
        if not notes:
            raise ValidationError({"notes": _("Say why the request is refused.")})
        request.status = ExitRequest.Status.REFUSED
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_notes = notes
    request.full_clean()
    request.save()
    return request
