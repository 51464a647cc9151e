"""Demo income and assessments that agree with each family's story, then the scores.

Families that exited with well-being restored climb from crisis at intake to level 3 or
more in every domain at exit, with follow-ups after it (a few fall back); other exits stop
half-way; families still in service have monthly income for the last year, and about a
third of them are ready to exit. Everything is bulk-inserted per batch of families, so
100,000 families stay feasible.
"""

from datetime import date, timedelta
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.models import Count
from django.utils import timezone

from beneficiaries.choices import ExitReason, FamilyStatus, IncomeSource, Relationship
from beneficiaries.demo.insert import insert_objects, insert_sql, write_rows
from beneficiaries.models import Family, IncomeRecord, Person
from common.money import round_soum
from common.months import add_months, month_start
from wellbeing.choices import AssessmentKind
from wellbeing.models import Assessment, Domain, ExitRequest, Rating
from wellbeing.scores import family_scores_recompute
from wellbeing.selectors import PovertyLines, family_checklist

# The histories are drawn from the seeded generator right after the families (see seed_demo).
SEED_AFTER = "beneficiaries"
BATCH = 5000
# Wages at a social enterprise and business profit come with their origin (payroll,
# business follow-ups) from those apps' demo data; the ledger's own records are the rest.
OTHER = [IncomeSource.PENSIONS_BENEFITS, IncomeSource.REMITTANCES, IncomeSource.OTHER]
EVIDENCE = {
    IncomeSource.EMPLOYMENT: "Employer's certificate",
    IncomeSource.PENSIONS_BENEFITS: "Pension certificate",
    IncomeSource.REMITTANCES: "Bank transfer receipt",
    IncomeSource.OTHER: "Family's word",
}


def reset(run) -> None:
    ExitRequest.objects.all().delete()
    ExitRequest.history.all().delete()
    Rating.objects.all().delete()
    Assessment.objects.all().delete()
    Assessment.history.all().delete()
    Rating.history.all().delete()


def seed(run) -> None:
    ids = list(run.new_family_ids)
    if not ids:
        return
    today = timezone.localdate()
    domains = list(Domain.objects.filter(is_active=True))
    lines = PovertyLines()
    records = assessments = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        made = _seed_chunk(run, chunk, today=today, domains=domains, lines=lines)
        records += made[0]
        assessments += made[1]
    family_scores_recompute(family_ids=ids, today=today)
    requests = _exit_requests(ids, today)
    run.log.write(
        f"  {records} income records, {assessments} assessments, scores recomputed, "
        f"{requests} early exit requests"
    )


def _exit_requests(family_ids, today, wanted: int = 3) -> int:
    """A few early exit requests waiting for a programme manager's decision (the home page's
    count and the queue), made by the families' caseworkers for families not ready to exit."""
    families = (
        Family.objects.filter(
            pk__in=family_ids,
            status=FamilyStatus.ACTIVE,
            caseworker__isnull=False,
            consent_date__isnull=False,
            score__exit_ready=False,
            score__assessment__isnull=False,
        )
        .select_related("caseworker")
        .order_by("pk")[:wanted]
    )
    made = 0
    for family in families:
        checklist = family_checklist(family)[2]
        ExitRequest.objects.create(
            family=family,
            exit_date=today,
            reason="The family found stable work last month; the caseworker asks to close early.",
            unmet="\n".join(f"{i['label']}: {i['detail']}" for i in checklist if not i["ok"]),
            requested_by=family.caseworker,
        )
        made += 1
    return made


def _line(lines: PovertyLines, month: date) -> Decimal:
    """The poverty line of the month; before the first published figure, the 2022 one
    discounted by 12% a year, only to give old demo amounts a plausible size."""
    found = lines.for_month(month)
    if found is not None:
        return found
    first = lines.amounts[0] if lines.amounts else Decimal(498000)
    years = max(0, (lines.starts[0].year if lines.starts else 2022) - month.year)
    return first / (Decimal("1.12") ** years)


def _seed_chunk(run, family_ids, *, today, domains, lines) -> tuple[int, int]:
    rng = run.rng
    families = list(
        Family.objects.filter(pk__in=family_ids).values(
            "id", "status", "intake_date", "exit_date", "exit_reason", "caseworker_id"
        )
    )
    sizes = dict(
        Person.objects.filter(family_id__in=family_ids)
        .values("family_id")
        .annotate(n=Count("id"))
        .values_list("family_id", "n")
    )
    children: dict[int, list[tuple[int, date]]] = {}
    for person_id, family_id, birth in Person.objects.filter(
        family_id__in=family_ids, relationship=Relationship.CHILD
    ).values_list("id", "family_id", "birth_date"):
        children.setdefault(family_id, []).append((person_id, birth))
    last_full = add_months(month_start(today), -1)
    income: list[tuple] = []
    plans: list[tuple[Assessment, float, bool, list[int]]] = []
    for family in families:
        members = sizes.get(family["id"], 1)
        story = _story(rng, family)
        _income(rng, family, story, members, income, lines=lines, last_full=last_full, today=today)
        for day, kind, stage, strict in _assessment_plan(rng, family, story, today):
            out = []
            if stage < 2.2 and rng.random() < 0.3:
                out = [
                    pid
                    for pid, birth in children.get(family["id"], [])
                    if 7 <= _age(birth, day) <= 17
                ][:1]
            assessment = Assessment(
                family_id=family["id"], date=day, kind=kind, recorded_by_id=family["caseworker_id"]
            )
            plans.append((assessment, stage, strict, out))
    now = timezone.now()
    _insert_rows(
        IncomeRecord,
        ["family", "month", "source", "amount", "evidence", "created_at", "updated_at"],
        [(*row, now, now) for row in income],
    )
    insert_objects(Assessment, [plan[0] for plan in plans])
    ratings, through = [], []
    for assessment, stage, strict, out in plans:
        for domain in domains:
            level = max(1, min(5, round(stage + rng.gauss(0, 0.45))))
            if strict:
                level = max(level, 3)
            proposed = level if domain.proposal else None
            ratings.append((assessment.pk, domain.pk, level, proposed, ""))
        through.extend((assessment.pk, pid) for pid in out)
    _insert_rows(
        Rating, ["assessment", "domain", "level", "proposed_level", "override_reason"], ratings
    )
    _insert_rows(Assessment.children_out_of_school.through, ["assessment", "person"], through)
    return len(income), len(plans)


def _insert_rows(model, field_names: list[str], rows: list[tuple], batch: int = 5000) -> None:
    """Insert plain tuples with one prepared statement (on PostgreSQL one COPY a batch,
    `beneficiaries.demo.insert.write_rows`): demo volumes (millions of ratings
    for 100,000 families) are too many for model instances. Dates, times and amounts are
    prepared by their field, as the ORM would; ids, numbers and text go as they are."""
    if not rows:
        return
    db = connections[DEFAULT_DB_ALIAS]
    fields = [model._meta.get_field(name) for name in field_names]
    columns = [field.column for field in fields]
    sql = insert_sql(db, model._meta.db_table, columns)
    prepared = (models.DateField, models.DecimalField)  # DateTimeField is a DateField
    converters = {
        index: field.get_db_prep_save
        for index, field in enumerate(fields)
        if isinstance(field, prepared)
    }
    cache: dict = {}

    def prepare(index, value):
        key = (index, value)
        if key not in cache:
            cache[key] = converters[index](value, db)
        return cache[key]

    with db.cursor() as cursor:
        for start in range(0, len(rows), batch):
            values = []
            for row in rows[start : start + batch]:
                if converters:
                    row = list(row)
                    for index in converters:
                        row[index] = prepare(index, row[index])
                values.append(tuple(row))
            write_rows(cursor, model._meta.db_table, columns, values, sql=sql)


def _age(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _story(rng, family) -> str:
    status = family["status"]
    if status == FamilyStatus.EXITED and family["exit_reason"] == ExitReason.WELL_BEING_RESTORED:
        return "restored_fell_back" if rng.random() < 0.08 else "restored"
    if status == FamilyStatus.EXITED:
        return "left"
    if status == FamilyStatus.CLOSED:
        return "closed"
    return "ready" if rng.random() < 0.35 else "in_service"


def _assessment_plan(rng, family, story, today) -> list[tuple[date, str, float, bool]]:
    """(date, kind, stage 1..5, every domain at least 3) of each assessment."""
    intake = family["intake_date"]
    plan = [
        (
            intake + timedelta(days=rng.randint(0, 20)),
            AssessmentKind.INTAKE,
            rng.uniform(1.3, 2.2),
            False,
        )
    ]
    if story in ("restored", "restored_fell_back", "left", "closed"):
        end = family["exit_date"]
        middle = intake + (end - intake) / 2
        top = {"left": 2.8, "closed": 2.0}.get(story, 3.4)
        plan.append((middle, AssessmentKind.SIX_MONTHLY, top - 0.4, False))
        if story.startswith("restored"):
            exit_stage = rng.uniform(3.8, 4.4)
            plan.append((end, AssessmentKind.EXIT, exit_stage, True))
            for months, fallback in ((6, False), (12, story == "restored_fell_back")):
                day = end + timedelta(days=30 * months + rng.randint(0, 20))
                if day <= today:
                    stage = (
                        rng.uniform(2.0, 2.5) if fallback else exit_stage + rng.uniform(0.2, 0.5)
                    )
                    plan.append((day, AssessmentKind.FOLLOW_UP, stage, not fallback))
        return plan
    # Still in service: the last three six-monthly assessments, the latest 1-8 months ago.
    latest = today - timedelta(days=rng.randint(25, 240))
    stages = (3.0, 3.6, 4.1) if story == "ready" else (1.9, 2.3, 2.7)
    for index, stage in enumerate(stages):
        day = latest - timedelta(days=182 * (2 - index))
        if day > plan[0][0]:
            plan.append((day, AssessmentKind.SIX_MONTHLY, stage, story == "ready" and index == 2))
    return plan


def _income(rng, family, story, members, out, *, lines, last_full, today) -> None:
    """A few records a year while in service; monthly records for the last year when the
    family is still in service."""
    intake = month_start(family["intake_date"])
    end = month_start(family["exit_date"]) if family["exit_date"] else last_full
    years = range(intake.year, min(end.year, intake.year + 5) + 1)
    span = max(1, (end.year - intake.year) * 12 + end.month - intake.month)
    start_ratio = rng.uniform(0.35, 0.6)
    end_ratio = {"restored": 1.35, "restored_fell_back": 1.2, "left": 0.8, "closed": 0.6}.get(
        story, 0.9
    )
    for year in years:
        for month_number in sorted(rng.sample(range(1, 13), 3)):
            month = date(year, month_number, 1)
            if month < intake or month > end or month > add_months(last_full, -12):
                continue
            progress = min(1, ((month.year - intake.year) * 12 + month.month - intake.month) / span)
            ratio = start_ratio + (end_ratio - start_ratio) * progress
            _add(rng, out, family["id"], month, _line(lines, month) * Decimal(str(ratio)) * members)
    if family["status"] in (FamilyStatus.ACTIVE, FamilyStatus.REFERRED):
        for back in range(12):
            month = add_months(last_full, -back)
            if story == "ready":
                ratio = rng.uniform(1.05, 1.5) if back < 8 else rng.uniform(0.8, 1.1)
            else:
                ratio = rng.uniform(0.45, 1.05)
            _add(rng, out, family["id"], month, _line(lines, month) * Decimal(str(ratio)) * members)


def _add(rng, out, family_id, month, total: Decimal) -> None:
    earned = total * Decimal(str(rng.uniform(0.6, 0.9)))
    other = rng.choice(OTHER)
    out.append(
        (
            family_id,
            month,
            IncomeSource.EMPLOYMENT,
            round_soum(earned),
            EVIDENCE[IncomeSource.EMPLOYMENT],
        )
    )
    out.append((family_id, month, other, round_soum(total - earned), EVIDENCE[other]))
