"""A social enterprise with N employees for the payroll benchmarks (bench/payroll.py,
bench/report_pdf.py): a mix of the four pay bases, a seventh hired mid-March 2025, a third
from low-income families. Call after django.setup(); fills in bulk."""

from collections.abc import Callable
from datetime import date
from decimal import Decimal


def enterprise_with_employees(
    count: int,
    *,
    name: str = "Bench",
    case_prefix: str = "BEN",
    full_name: Callable[[int], str] = lambda i: f"Xodim {i:05d}",
):
    from beneficiaries import search
    from beneficiaries.models import Branch, Family, Person
    from enterprises.choices import PayBasis, Sector
    from enterprises.models import Employment, Position, RateChange, SocialEnterprise

    branch = Branch.objects.get_or_create(code="SAM", defaults={"name": "Samarkand"})[0]
    enterprise = SocialEnterprise.objects.create(
        name=name, sector=Sector.SEWING, branch=branch, opening_date=date(2015, 1, 1)
    )
    families = Family.objects.bulk_create(
        [
            Family(
                branch=branch,
                case_number=f"{case_prefix}-2020-{i:05d}",
                intake_date=date(2020, 1, 1),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    people = Person.objects.bulk_create(
        [
            Person(
                family=family,
                full_name=full_name(i),
                sex="F",
                birth_date=date(1985, 1, 1),
                relationship="head",
                is_caregiver=True,
            )
            for i, family in enumerate(families)
        ],
        batch_size=2000,
    )
    search.refresh([family.pk for family in families])  # bulk inserts send no signals
    bases = [
        (PayBasis.MONTHLY, Decimal("3000000")),
        (PayBasis.DAILY, Decimal("120000")),
        (PayBasis.HOURLY, Decimal("18000")),
        (PayBasis.PIECE, Decimal("9000")),
    ]
    positions = Position.objects.bulk_create(
        [
            Position(
                enterprise=enterprise,
                title="Tikuvchi",
                pay_basis=bases[i % 4][0],
                rate=bases[i % 4][1],
                opened_on=date(2015, 1, 1),
            )
            for i in range(count)
        ],
        batch_size=2000,
    )
    employments = Employment.objects.bulk_create(
        [
            Employment(
                person=person,
                position=position,
                start_date=date(2025, 3, 10) if i % 7 == 0 else date(2020, 1, 1),
                rate=position.rate,
                low_income_family=i % 3 == 0,
            )
            for i, (person, position) in enumerate(zip(people, positions, strict=True))
        ],
        batch_size=2000,
    )
    RateChange.objects.bulk_create(
        [RateChange(employment=e, effective_from=e.start_date, rate=e.rate) for e in employments],
        batch_size=2000,
    )
    return enterprise
