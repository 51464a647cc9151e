"""A small, varied world of records for the programme figures, and the figures computed
from it in plain Python, row by row, straight from each definition."""

import datetime
import random
import statistics
from decimal import Decimal

from beneficiaries.choices import (
    IN_CARE,
    ExitReason,
    FamilyStatus,
    LivingArrangement,
    Relationship,
)
from beneficiaries.models import ChildPlacement, Family, IncomeRecord, Person
from common.money import round_soum
from common.months import month_start, shift_months
from enterprises.choices import BusinessStatus, EmploymentStatus
from enterprises.models import Business, Employment, Position
from tests.enterprises.factories import BusinessFactory, PositionFactory, SocialEnterpriseFactory
from tests.factories import ChildFactory, FamilyFactory, PersonFactory, UserFactory, branch
from tests.training.factories import EnrolmentFactory, QualificationFactory
from training.choices import EnrolmentStatus
from training.models import Enrolment, Qualification
from wellbeing.models import ExitRequest, PovertyLine

START = datetime.date(2020, 1, 1)
END = datetime.date(2022, 12, 31)


def day(rng, first=datetime.date(2017, 1, 1), last=datetime.date(2024, 12, 28)):
    value = first + datetime.timedelta(days=rng.randint(0, (last - first).days))
    return value.replace(day=min(value.day, 28))


def build_world(families: int = 24, seed: int = 1) -> None:
    rng = random.Random(seed)
    # A second stream for the records added later, so the first one's world is unchanged.
    extra = random.Random(seed + 1000)
    branches = [branch("SAM"), branch("TAS")]
    PovertyLine.objects.get_or_create(
        valid_from=datetime.date(2021, 3, 15), defaults={"amount": Decimal("500000")}
    )
    PovertyLine.objects.get_or_create(
        valid_from=datetime.date(2022, 7, 1), defaults={"amount": Decimal("600000")}
    )
    enterprises = [SocialEnterpriseFactory(branch=b) for b in branches]
    requester = UserFactory(username="world_requester")
    for _number in range(families):
        intake = day(rng)
        status = rng.choice(
            [FamilyStatus.ACTIVE, FamilyStatus.EXITED, FamilyStatus.EXITED, FamilyStatus.CLOSED]
            + [FamilyStatus.REFERRED] * (rng.random() < 0.1)
        )
        fields = {"status": status, "intake_date": intake}
        if status in (FamilyStatus.EXITED, FamilyStatus.CLOSED):
            fields["exit_date"] = intake + datetime.timedelta(days=rng.randint(30, 1500))
            fields["exit_reason"] = (
                ExitReason.WELL_BEING_RESTORED
                if status == FamilyStatus.EXITED and rng.random() < 0.6
                else ExitReason.MOVED_AWAY
            )
        family = FamilyFactory(branch=rng.choice(branches), **fields)
        if fields.get("exit_reason") == ExitReason.WELL_BEING_RESTORED and extra.random() < 0.5:
            # An approved early exit: an override when the checklist failed at approval.
            ExitRequest.objects.create(
                family=family,
                exit_date=fields["exit_date"],
                reason="early",
                requested_by=requester,
                decided_by=requester,
                status=ExitRequest.Status.APPROVED,
                override=extra.random() < 0.7,
            )
        head = PersonFactory(family=family)
        kids = [
            ChildFactory(
                family=family,
                relationship=rng.choice([Relationship.CHILD, Relationship.GRANDCHILD]),
            )
            for _ in range(rng.randint(0, 3))
        ]
        if rng.random() < 0.3:
            PersonFactory(family=family, relationship=Relationship.SPOUSE)
        for kid in kids:
            if rng.random() < 0.5:
                went = day(rng)
                ChildPlacement.objects.create(
                    person=kid, arrangement=rng.choice(IN_CARE), start_date=went
                )
                back = went + datetime.timedelta(days=rng.randint(10, 400))
                ChildPlacement.objects.create(
                    person=kid, arrangement=LivingArrangement.WITH_FAMILY, start_date=back
                )
                if extra.random() < 0.5:
                    # A second "with the family" row (a new address, a correction) with no
                    # care in between: not another return.
                    ChildPlacement.objects.create(
                        person=kid,
                        arrangement=LivingArrangement.WITH_FAMILY,
                        start_date=back + datetime.timedelta(days=extra.randint(30, 900)),
                    )
            elif rng.random() < 0.3:  # at home, never in care: not "returned"
                ChildPlacement.objects.create(
                    person=kid, arrangement=LivingArrangement.WITH_FAMILY, start_date=day(rng)
                )
        for _ in range(rng.randint(0, 4)):
            month = month_start(day(rng))
            IncomeRecord.objects.get_or_create(
                family=family,
                month=month,
                source="employment",
                defaults={"amount": Decimal(rng.randrange(200_000, 3_000_000, 1000))},
            )
        if rng.random() < 0.5:
            ended = day(rng)
            enrolment = EnrolmentFactory(
                person=head,
                status=rng.choice([EnrolmentStatus.COMPLETED, EnrolmentStatus.DROPPED_OUT]),
                ended_on=ended,
            )
            if enrolment.status == EnrolmentStatus.COMPLETED and rng.random() < 0.7:
                QualificationFactory(
                    enrolment=enrolment,
                    issued_on=ended,
                    revoked_on=ended + datetime.timedelta(days=5) if rng.random() < 0.2 else None,
                )
        if rng.random() < 0.4:
            position = PositionFactory(
                enterprise=rng.choice(enterprises),
                opened_on=day(rng),
                created_by_programme=rng.random() < 0.8,
            )
            if rng.random() < 0.7:
                start = position.opened_on + datetime.timedelta(days=rng.randint(0, 500))
                end = start + datetime.timedelta(days=rng.randint(10, 600))
                ended = rng.random() < 0.5
                Employment.objects.create(
                    person=head,
                    position=position,
                    start_date=start,
                    end_date=end if ended else None,
                    status=EmploymentStatus.ENDED if ended else EmploymentStatus.ACTIVE,
                    rate=position.rate,
                )
        if rng.random() < 0.4:
            started = day(rng)
            operating = shift_months(started, rng.randint(0, 14)) if rng.random() < 0.8 else None
            closed = shift_months(started, rng.randint(3, 30)) if rng.random() < 0.4 else None
            if operating and closed and operating > closed:
                operating = None
            BusinessFactory(
                family=family,
                owner=head,
                status=BusinessStatus.CLOSED if closed else BusinessStatus.OPERATING,
                approved_on=started - datetime.timedelta(days=10),
                started_on=started,
                operating_since=operating,
                closed_on=closed,
            )


# --- The same figures, row by row ----------------------------------------------------------


def expected(start=START, end=END, branch_id=None, today=None) -> dict:
    today = today or datetime.date.today()
    reference = min(end, today)

    def in_branch(family):
        return branch_id is None or family.branch_id == branch_id

    def between(value):
        return value is not None and start <= value <= end

    served = [
        f
        for f in Family.objects.all()
        if in_branch(f)
        and f.intake_date <= end
        and (f.exit_date is None or f.exit_date >= start)
        and f.status != FamilyStatus.REFERRED
    ]
    served_ids = {f.pk for f in served}
    exits = [
        f for f in served if f.status in (FamilyStatus.EXITED, FamilyStatus.CLOSED)
        and between(f.exit_date)
    ]  # fmt: skip
    restored = [
        f
        for f in exits
        if f.status == FamilyStatus.EXITED and f.exit_reason == ExitReason.WELL_BEING_RESTORED
    ]
    active = [
        f
        for f in served
        if (f.exit_date is None and f.status == FamilyStatus.ACTIVE)
        or (f.exit_date is not None and f.exit_date > end)
    ]
    people = [p for p in Person.objects.all() if p.family_id in served_ids]
    children = [
        p for p in people if p.relationship in (Relationship.CHILD, Relationship.GRANDCHILD)
    ]
    returned = []
    for person in people:
        history = sorted(ChildPlacement.objects.filter(person=person), key=lambda x: x.start_date)
        for index, placement in enumerate(history):
            # A return: back with the family straight from care (the row just before).
            from_care = index > 0 and history[index - 1].arrangement in IN_CARE
            if (
                placement.arrangement == LivingArrangement.WITH_FAMILY
                and between(placement.start_date)
                and from_care
            ):
                returned.append(person)
                break
    branch_people = [p for p in Person.objects.select_related("family") if in_branch(p.family)]
    trained = [
        p
        for p in branch_people
        if any(
            e.status == EnrolmentStatus.COMPLETED and between(e.ended_on)
            for e in Enrolment.objects.filter(person=p)
        )
    ]
    certified = [
        p
        for p in branch_people
        if any(
            between(q.issued_on) and q.revoked_on is None
            for q in Qualification.objects.filter(enrolment__person=p)
        )
    ]
    created = [
        pos
        for pos in Position.objects.select_related("enterprise")
        if pos.created_by_programme
        and between(pos.opened_on)
        and (branch_id is None or pos.enterprise.branch_id == branch_id)
    ]
    filled = [
        pos
        for pos in created
        if any(
            e.start_date <= end and (e.end_date is None or e.end_date >= start)
            for e in Employment.objects.filter(position=pos)
        )
    ]
    started = [
        b
        for b in Business.objects.select_related("family")
        if between(b.started_on) and in_branch(b.family)
    ]
    reached = [b for b in started if shift_months(b.started_on, 12) <= reference]
    survived = [
        b
        for b in reached
        if b.operating_since is not None
        and b.operating_since <= shift_months(b.started_on, 12)
        and (b.closed_on is None or b.closed_on > shift_months(b.started_on, 12))
    ]
    lines = sorted(PovertyLine.objects.values_list("valid_from", "amount"))
    changes, compared, above = [], 0, 0
    for family in served:
        members = Person.objects.filter(family=family).count()
        totals: dict = {}
        for record in IncomeRecord.objects.filter(family=family, month__lte=month_start(end)):
            totals[record.month] = totals.get(record.month, 0) + record.amount
        if not totals or not members:
            continue
        first, last = min(totals), max(totals)
        if last > first:
            changes.append(totals[last] / members - totals[first] / members)
        line = None
        for valid_from, amount in lines:
            if month_start(valid_from) <= last:
                line = amount
        if line is not None:
            compared += 1
            above += totals[last] / members >= line
    return {
        "families_served": len(served),
        "active_families": len(active),
        "exits": len(exits),
        "restored_exits": len(restored),
        "restored_overrides": sum(
            ExitRequest.objects.filter(family=f, status="approved", override=True).exists()
            for f in restored
        ),
        "children": len(children),
        "returned_children": len(returned),
        "people_trained": len(trained),
        "people_certified": len(certified),
        "jobs_created": len(created),
        "jobs_filled": len(filled),
        "businesses_started": len(started),
        "businesses_reached": len(reached),
        "businesses_survived": len(survived),
        "income_compared": len(changes),
        "median_income_change": round_soum(statistics.median(changes)) if changes else None,
        "poverty_compared": compared,
        "above_poverty_line": above,
    }
