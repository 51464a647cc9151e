"""Demo data: the three pilot social enterprises of Samarkand with the 15 jobs they created
and the parents who have held them since, and family businesses with their grants, loans,
repayments and monthly follow-ups.

The pilot enterprises are made once; each run adds businesses for the families it created.
Large sets go in with bulk inserts (no history rows are written for those).
"""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from beneficiaries.choices import FamilyStatus, IncomeSource, Relationship
from beneficiaries.demo.insert import insert_objects
from beneficiaries.models import Branch, Family, IncomeRecord, Makhalla, Person
from common.money import round_soum
from common.months import add_months, month_start, shift_months
from enterprises.choices import (
    BusinessStatus,
    BusinessType,
    CloseReason,
    EmploymentStatus,
    EndReason,
    PayBasis,
    Sector,
    SupportKind,
)
from enterprises.ledger import schedule_lines
from enterprises.models import (
    Business,
    Employment,
    EnterpriseMonthlyResult,
    FollowUp,
    JobPlacement,
    PlacementMonth,
    Position,
    RateChange,
    Repayment,
    RepaymentLine,
    RetentionCheck,
    SocialEnterprise,
    Support,
    Tranche,
)

BATCH = 2000
BUSINESS_SHARE = 0.08  # of the families a run adds, this share starts a business

# name, sector, makhalla, opening date, address, [(title, pay basis, rate today, opened on)]
PILOT_ENTERPRISES = [
    (
        "Mehr tikuvchilik ustaxonasi",
        Sector.SEWING,
        "Registon",
        date(2007, 9, 3),
        "Registon koʻchasi, 14",
        [
            ("Tikuvchi", PayBasis.MONTHLY, "2800000", date(2007, 9, 3)),
            ("Tikuvchi", PayBasis.MONTHLY, "2800000", date(2008, 2, 1)),
            ("Bichuvchi", PayBasis.MONTHLY, "3200000", date(2009, 6, 1)),
            ("Tikuvchi", PayBasis.PIECE, "9000", date(2011, 3, 1)),
            ("Dazmolchi", PayBasis.DAILY, "120000", date(2012, 9, 3)),
            ("Omborchi", PayBasis.MONTHLY, "2500000", date(2014, 4, 1)),
        ],
    ),
    (
        "Barakali non novvoyxonasi",
        Sector.BAKERY,
        "Registon",
        date(2010, 4, 5),
        "Toshkent koʻchasi, 3",
        [
            ("Novvoy", PayBasis.MONTHLY, "3000000", date(2010, 4, 5)),
            ("Novvoy", PayBasis.MONTHLY, "3000000", date(2010, 4, 5)),
            ("Xamirchi", PayBasis.HOURLY, "18000", date(2011, 1, 10)),
            ("Sotuvchi", PayBasis.MONTHLY, "2600000", date(2013, 6, 3)),
            ("Yetkazib beruvchi", PayBasis.PIECE, "6000", date(2015, 9, 1)),
        ],
    ),
    (
        "Hunarmand qoʻllar ustaxonasi",
        Sector.CRAFTS,
        "Bogʻishamol",
        date(2013, 5, 6),
        "Bogʻishamol koʻchasi, 27",
        [
            ("Kulol", PayBasis.PIECE, "25000", date(2013, 5, 6)),
            ("Kashtachi", PayBasis.PIECE, "40000", date(2014, 2, 3)),
            ("Yogʻoch oʻymakor", PayBasis.DAILY, "150000", date(2015, 10, 1)),
            ("Doʻkon sotuvchisi", PayBasis.MONTHLY, "2600000", date(2016, 6, 1)),
        ],
    ),
]

BUSINESS_IDEAS = [
    ("Uy tikuvchiligi", Sector.SEWING),
    ("Somsa pishirish", Sector.BAKERY),
    ("Qandolat mahsulotlari", Sector.BAKERY),
    ("Sut mahsulotlari", Sector.AGRICULTURE),
    ("Parrandachilik", Sector.AGRICULTURE),
    ("Issiqxona", Sector.AGRICULTURE),
    ("Sartaroshxona", Sector.SERVICES),
    ("Poyabzal taʼmirlash", Sector.SERVICES),
    ("Oziq-ovqat doʻkoni", Sector.TRADE),
    ("Kashtachilik", Sector.CRAFTS),
]


def reset(run) -> None:
    for origin in (FollowUp, PlacementMonth):
        IncomeRecord.objects.filter(origin_type=ContentType.objects.get_for_model(origin)).delete()
    for model in (
        RetentionCheck,
        PlacementMonth,
        JobPlacement,
        FollowUp,
        Repayment,
        RepaymentLine,
        Tranche,
        Support,
        Business,
        RateChange,
        Employment,
        Position,
        EnterpriseMonthlyResult,
        SocialEnterprise,
    ):
        model.objects.all().delete()
        if hasattr(model, "history"):
            model.history.all().delete()


def seed(run) -> None:
    today = timezone.localdate()
    if not SocialEnterprise.objects.exists():
        _pilot_enterprises(run, today)
    manager = run.users.get("manager")
    if manager is not None:
        for enterprise in SocialEnterprise.objects.all():
            enterprise.managers.add(manager)
    count = _businesses(run, today)
    run.log.write(f"  {count} family businesses added ({Business.objects.count()} in all)")
    marked = _job_seekers(run, today)
    run.log.write(f"  {marked} adults marked as looking for work by their caseworker")
    placed = _placements(run, today)
    run.log.write(f"  {placed} job searches, referrals and placements with outside employers")


def _job_seekers(run, today: date, per_branch: int = 12) -> int:
    """Some parents of open cases without a job, marked by their family's caseworker as
    looking for work in the last months: the people enterprise managers hire among."""
    if Person.objects.filter(looking_for_work_since__isnull=False).exists():
        return 0
    employed = Employment.objects.filter(status=EmploymentStatus.ACTIVE).values("person_id")
    marked = []
    for branch in Branch.objects.order_by("code"):
        people = list(
            Person.objects.adults()
            .filter(
                family__branch=branch,
                family__status__in=[FamilyStatus.ACTIVE, FamilyStatus.REFERRED],
                family__caseworker__isnull=False,
                relationship__in=[Relationship.HEAD, Relationship.SPOUSE],
            )
            .exclude(pk__in=employed)
            .select_related("family")
            .order_by("pk")[: per_branch * 4]
        )
        for person in run.rng.sample(people, min(per_branch, len(people))):
            person.looking_for_work_since = today - timedelta(days=run.rng.randint(3, 120))
            person.looking_for_work_marked_by_id = person.family.caseworker_id
            marked.append(person)
    Person.objects.bulk_update(
        marked, ["looking_for_work_since", "looking_for_work_marked_by"], batch_size=BATCH
    )
    return len(marked)


# Jobs with outside employers ------------------------------------------------------------

PLACEMENT_SHARE = 0.09  # of the open families a run adds, this share has a job record
PLACEMENTS_PER_RUN = 150  # the services write each one (checks, income): keep runs quick
EMPLOYERS = [
    ("Afrosiyob Tekstil MChJ", "305118402", "Tikuvchi"),
    ("Samarqand Don Mahsulotlari MChJ", "302774519", "Qadoqlovchi"),
    ("Registon Savdo Markazi", "", "Sotuvchi"),
    ("Zarafshon Qurilish MChJ", "306250937", "Yordamchi ishchi"),
    ("Shifo oilaviy poliklinikasi", "", "Farrosh"),
    ("Siyob bozori (yakka tartibdagi tadbirkor)", "", "Sotuvchi yordamchisi"),
    ("Oqtosh Parrandachilik MChJ", "303991266", "Omborchi"),
]


def _placements(run, today: date) -> int:
    """Job searches, referrals and placements with outside employers for some adults of the
    open families this run added, recorded by their caseworker through the services (so the
    retention checks and the household income are what the pages would write); the older
    checks answered, the recent ones left due for the home page."""
    from enterprises import services
    from enterprises.choices import PlacementStage

    rng = run.rng
    people = list(
        Person.objects.adults()
        .filter(
            family_id__in=run.new_family_ids,
            family__status=FamilyStatus.ACTIVE,
            relationship__in=[Relationship.HEAD, Relationship.SPOUSE],
        )
        .exclude(employments__isnull=False)
        .select_related("family__caseworker")
        .order_by("family_id", "id")
    )
    seen, chosen = set(), []
    for person in people:
        if person.family_id not in seen and rng.random() < PLACEMENT_SHARE:
            seen.add(person.family_id)
            chosen.append(person)
    if not chosen and people:  # even a small demo shows one job with an outside employer
        chosen.append(people[0])
    count = 0
    for person in chosen[:PLACEMENTS_PER_RUN]:
        earliest = max(person.family.intake_date, add_months(today, -26))
        span = (today - earliest).days
        if span < 20:
            continue
        start = earliest + timedelta(days=rng.randint(0, span - 10))
        employer, inn, position = rng.choice(EMPLOYERS)
        # The first is a placement, so that even a small demo has one to show (and to test).
        roll = rng.random() if count else 1.0
        stage = (
            PlacementStage.SEARCH
            if roll < 0.15
            else PlacementStage.REFERRAL
            if roll < 0.3
            else PlacementStage.PLACED
        )
        by = person.family.caseworker
        fields = {}
        if stage != PlacementStage.SEARCH:
            fields = {"employer_name": employer, "employer_inn": inn}
        if stage == PlacementStage.PLACED:
            fields.update(
                position=position,
                monthly_wage=Decimal(rng.randint(14, 32) * 100_000),
                contract=rng.choice(["formal", "formal", "informal"]),
                working_time=rng.choice(["full", "full", "part"]),
                verification=rng.choice(["declared", "payslip", "employer"]),
            )
            if rng.random() < 0.25:
                end = start + timedelta(days=rng.randint(40, 400))
                fields["end_date"] = end if end <= today else None
        placement = services.placement_record(
            person=person, stage=stage, start_date=start, recorded_by=by, **fields
        )
        count += 1
        for check in placement.retention_checks.order_by("months_after"):
            answered_on = check.due_on + timedelta(days=rng.randint(0, 20))
            ended = placement.end_date is not None and placement.end_date < check.due_on
            if ended or answered_on > today or rng.random() < 0.15:
                continue
            kept = rng.random() < 0.85
            services.retention_check_record(
                check=check,
                checked_on=answered_on,
                still_employed=kept,
                wage_now=round_soum(placement.monthly_wage * Decimal("1.05")) if kept else None,
                ended_on=None if kept else check.due_on - timedelta(days=rng.randint(1, 30)),
                checked_by=by,
            )
            if not kept:
                break
            placement.refresh_from_db()
    return count


# Social enterprises ---------------------------------------------------------------------


def _rate_in(base: Decimal, year: int, today: date) -> Decimal:
    """Rates grew about 10% a year: the rate of an earlier year, rounded to a thousand."""
    value = base / Decimal("1.1") ** (today.year - year)
    return max(round_soum(value / 1000) * 1000, Decimal("1000"))


def _pilot_enterprises(run, today: date) -> None:
    rng = run.rng
    samarkand = Branch.objects.get(code="SAM")
    # Adults of Samarkand families, each hired at most once in the demo.
    pool = list(
        Person.objects.filter(
            family__branch=samarkand,
            relationship__in=[Relationship.HEAD, Relationship.SPOUSE],
        ).values_list("id", "birth_date", "family__intake_date")
    )
    rng.shuffle(pool)
    used: set[int] = set()
    contracts, rate_lines = [], []
    headcounts: dict[str, list[tuple[date, date | None]]] = {}
    for index, (name, sector, makhalla_name, opened, address, jobs) in enumerate(PILOT_ENTERPRISES):
        makhalla = Makhalla.objects.filter(
            branch=samarkand, name=makhalla_name
        ).first() or Makhalla.objects.create(branch=samarkand, name=makhalla_name)
        enterprise = SocialEnterprise.objects.create(
            name=name,
            sector=sector,
            branch=samarkand,
            makhalla=makhalla,
            address=address,
            opening_date=opened,
            tax_number=f"30{index + 1:07d}",  # made up: 9 digits, as an enterprise's INN
        )
        spans = headcounts.setdefault(enterprise.pk, [])
        for title, basis, rate, job_opened in jobs:
            base = Decimal(rate)
            position = Position.objects.create(
                enterprise=enterprise,
                title=title,
                pay_basis=basis,
                rate=base,
                opened_on=job_opened,
                hours_per_week=Decimal("40") if basis != PayBasis.PIECE else Decimal("36"),
                created_by_programme=True,
            )
            start = job_opened
            while start < today:
                person = _pick(pool, used, start)
                if person is None:
                    break
                months = rng.randint(8, 72)
                end = shift_months(start, months) - timedelta(days=1)
                active = end >= today
                if active and rng.random() < 0.1:  # now and then a job stands vacant
                    end, active = today - timedelta(days=rng.randint(20, 90)), False
                    end = max(end, start)
                employment = Employment(
                    person_id=person,
                    position=position,
                    start_date=start,
                    end_date=None if active else end,
                    status=EmploymentStatus.ACTIVE if active else EmploymentStatus.ENDED,
                    end_reason="" if active else rng.choice(EndReason.values),
                    rate=Decimal("0"),
                    low_income_family=rng.random() < 0.6,
                )
                lines = [(start, _rate_in(base, start.year, today))]
                last_year = (today if active else end).year
                for year in range(start.year + 1, last_year + 1):
                    lines.append((date(year, 1, 1), _rate_in(base, year, today)))
                employment.rate = lines[-1][1]
                contracts.append(employment)
                rate_lines.append(lines)
                spans.append((start, None if active else end))
                if active:
                    break
                start = end + timedelta(days=rng.randint(14, 120))
    Employment.objects.bulk_create(contracts, batch_size=BATCH)
    RateChange.objects.bulk_create(
        (
            RateChange(employment=employment, effective_from=day, rate=rate)
            for employment, lines in zip(contracts, rate_lines, strict=True)
            for day, rate in lines
        ),
        batch_size=BATCH,
    )
    _monthly_results(rng, headcounts, today)
    run.log.write(f"  3 social enterprises, 15 jobs, {len(contracts)} contracts")


def _pick(pool, used, start: date) -> int | None:
    for person_id, birth, intake in pool:
        if person_id in used or intake > start:
            continue
        if (start - birth).days < 365 * 19:
            continue
        used.add(person_id)
        return person_id
    return None


def _monthly_results(rng, headcounts, today: date) -> None:
    rows = []
    this_month = month_start(today)
    for enterprise in SocialEnterprise.objects.all():
        spans = headcounts.get(enterprise.pk, [])
        month = month_start(enterprise.opening_date)
        while month < this_month:
            heads = (
                sum(1 for start, end in spans if start <= month and (end is None or end >= month))
                or 1
            )
            scale = Decimal("1.1") ** (month.year - today.year)
            revenue = round_soum(Decimal(rng.randint(5_500_000, 8_000_000)) * heads * scale)
            costs = round_soum(revenue * Decimal(rng.randint(78, 102)) / 100)
            rows.append(
                EnterpriseMonthlyResult(
                    enterprise=enterprise,
                    month=month,
                    revenue=revenue,
                    costs=costs,
                    result=revenue - costs,
                    headcount=heads,
                )
            )
            month = add_months(month, 1)
    EnterpriseMonthlyResult.objects.bulk_create(rows, batch_size=BATCH)


# Family businesses ------------------------------------------------------------------------


def _businesses(run, today: date) -> int:
    rng = run.rng
    family_ids = [pk for pk in run.new_family_ids if rng.random() < BUSINESS_SHARE]
    if not family_ids:
        return 0
    owners: dict[int, tuple[int, date]] = {}
    for person_id, family_id, birth in (
        Person.objects.filter(
            family_id__in=family_ids,
            relationship__in=[Relationship.HEAD, Relationship.SPOUSE],
        )
        .order_by("family_id", "-is_caregiver", "id")
        .values_list("id", "family_id", "birth_date")
    ):
        owners.setdefault(family_id, (person_id, birth))
    families, makhallas = {}, {}
    for family_id, intake, makhalla_id in Family.objects.filter(pk__in=family_ids).values_list(
        "id", "intake_date", "makhalla_id"
    ):
        families[family_id], makhallas[family_id] = intake, makhalla_id
    businesses = []
    for family_id in family_ids:
        if family_id not in owners:
            continue
        owner_id, _birth = owners[family_id]
        idea, sector = rng.choice(BUSINESS_IDEAS)
        created = families[family_id] + timedelta(days=rng.randint(120, 540))
        if created >= today:
            continue
        revenue = Decimal(rng.randint(20, 80) * 100_000)
        business = Business(
            family_id=family_id,
            owner_id=owner_id,
            name=idea,
            business_type=rng.choice(BusinessType.values),
            sector=sector,
            makhalla_id=makhallas.get(family_id),
            plan="Reja: xomashyo sotib olish, uyda ishlab chiqarish, mahallada sotish.",
            expected_monthly_revenue=revenue,
            expected_monthly_costs=round_soum(revenue * Decimal("0.6")),
            created_at=timezone.make_aware(datetime.combine(created, time(9))),
        )
        _life(rng, business, created, today)
        businesses.append(business)
    insert_objects(Business, businesses)
    _support_and_followups(rng, businesses, today)
    return len(businesses)


def _life(rng, business: Business, created: date, today: date) -> None:
    """Walk a business through draft -> approved -> started -> operating -> closed."""
    roll = rng.random()
    if roll < 0.04:
        return  # still a draft
    business.approved_on = created + timedelta(days=rng.randint(10, 40))
    business.status = BusinessStatus.APPROVED
    if roll < 0.07 or business.approved_on >= today:
        business.approved_on = min(business.approved_on, today)
        return
    business.started_on = business.approved_on + timedelta(days=rng.randint(10, 60))
    business.status = BusinessStatus.STARTED
    if rng.random() < 0.9:
        business.operating_since = shift_months(business.started_on, rng.randint(1, 3))
        business.status = BusinessStatus.OPERATING
    # About 80% still run at 6 months, 65% at 12, 50% at 24.
    lifetime = rng.choices(
        [rng.randint(2, 5), rng.randint(6, 11), rng.randint(12, 23), rng.randint(24, 90), None],
        weights=[20, 15, 15, 20, 30],
    )[0]
    if lifetime is not None:
        closed = shift_months(business.started_on, lifetime)
        if closed < today:
            if business.operating_since and business.operating_since > closed:
                business.operating_since = None
            business.closed_on = closed
            business.status = BusinessStatus.CLOSED
            business.close_reason = rng.choice(
                [CloseReason.NOT_PROFITABLE, CloseReason.HEALTH, CloseReason.MOVED_AWAY,
                 CloseReason.FOUND_EMPLOYMENT, CloseReason.OTHER]
            )  # fmt: skip


def _support_and_followups(rng, businesses, today: date) -> None:
    supports, tranche_rows, schedule_rows, repayment_rows = [], [], [], []
    plans = []
    for business in businesses:
        if business.started_on is None:
            continue
        is_loan = rng.random() < 0.3
        amount = Decimal(rng.randint(30, 150) * 100_000)
        approved = business.approved_on
        support = Support(
            business=business,
            kind=SupportKind.LOAN if is_loan else SupportKind.GRANT,
            amount=amount,
            approved_on=approved,
            term_months=rng.choice([12, 18, 24]) if is_loan else None,
            first_due_month=add_months(month_start(business.started_on), 2) if is_loan else None,
        )
        first = round_soum(amount * Decimal(rng.choice(["1", "0.6", "0.5"])))
        payouts = [(approved + timedelta(days=rng.randint(1, 10)), first)]
        if first < amount:
            payouts.append(
                (business.started_on + timedelta(days=rng.randint(20, 45)), amount - first)
            )
        payouts = [(day, value) for day, value in payouts if day < today]
        support.disbursed_total = sum((value for _day, value in payouts), Decimal("0"))
        repaid = Decimal("0")
        repayments = []
        lines = []
        if is_loan:
            lines = schedule_lines(amount, support.term_months, support.first_due_month)
            stop = business.closed_on or today
            for due, instalment in lines:
                paid_on = due + timedelta(days=rng.randint(0, 20))
                if paid_on >= stop or rng.random() < 0.05:
                    continue
                paid = min(instalment, support.disbursed_total - repaid)
                if paid <= 0:
                    continue
                repaid += paid
                repayments.append((paid_on, paid))
        support.repaid_total = repaid
        supports.append(support)
        plans.append((support, payouts, lines, repayments))
    insert_objects(Support, supports)
    for support, payouts, lines, repayments in plans:
        tranche_rows += [Tranche(support=support, disbursed_on=d, amount=a) for d, a in payouts]
        schedule_rows += [RepaymentLine(support=support, due_month=m, amount=a) for m, a in lines]
        repayment_rows += [Repayment(support=support, paid_on=d, amount=a) for d, a in repayments]
    insert_objects(Tranche, tranche_rows)
    insert_objects(RepaymentLine, schedule_rows)
    insert_objects(Repayment, repayment_rows)
    _followups(rng, businesses, today)


def _followups(rng, businesses, today: date) -> None:
    """Monthly follow-ups for the first two years, and the household income each one causes.

    The income rows are what `income_record_upsert` writes for a follow-up (same source,
    amount rule and origin); they go in by bulk insert because there are thousands.
    """
    rows = []
    this_month = month_start(today)
    for business in businesses:
        if business.started_on is None:
            continue
        month = month_start(business.started_on)
        last = min(
            add_months(month, 23),
            add_months(this_month, -1),
            month_start(business.closed_on) if business.closed_on else this_month,
        )
        growth = Decimal("0.5")
        while month <= last:
            growth = min(growth + Decimal("0.08"), Decimal("1.2"))
            revenue = round_soum(
                business.expected_monthly_revenue * growth * Decimal(rng.randint(80, 120)) / 100
            )
            costs = round_soum(
                business.expected_monthly_costs * Decimal(rng.randint(85, 115)) / 100
            )
            rows.append(
                FollowUp(
                    business=business,
                    month=month,
                    revenue=revenue,
                    costs=costs,
                    profit=revenue - costs,
                    people_employed=rng.choice([1, 1, 1, 2, 2, 3]),
                )
            )
            month = add_months(month, 1)
    insert_objects(FollowUp, rows)
    followup_type = ContentType.objects.get_for_model(FollowUp)
    insert_objects(
        IncomeRecord,
        [
            IncomeRecord(
                family_id=row.business.family_id,
                person_id=row.business.owner_id,
                month=row.month,
                source=IncomeSource.BUSINESS_PROFIT,
                amount=round_soum(max(row.profit, Decimal("0"))),
                evidence=f"Business follow-up: {row.business.name}",
                origin_type=followup_type,
                origin_id=row.pk,
            )
            for row in rows
        ],
    )
