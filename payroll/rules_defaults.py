"""The statutory figures payroll ships with, each with its public source.

They are loaded by migration 0002 (brought up to date by 0003) and kept afterwards by
superusers in the admin. They were written down without access to the official texts: an
accountant must confirm every figure and date before real salaries are paid (see
docs/payroll.md); each row's notes say what is uncertain.
"""

from datetime import date
from decimal import Decimal

from django.db import models

from payroll.choices import RuleKind

CONFIRM = "To be confirmed by an accountant."
TAX_CODE = "Tax Code of the Republic of Uzbekistan (Law ZRU-599 of 30.12.2019)"

DEFAULT_RULES = [
    # kind, value, from, to, source, notes
    (
        RuleKind.INCOME_TAX,
        Decimal("0.12"),
        date(2019, 1, 1),
        None,
        f"{TAX_CODE}, art. 381 (12% flat rate); for 2019 Presidential Decree UP-5468 of 29.06.2018",
        CONFIRM,
    ),
    (
        RuleKind.INPS,
        Decimal("0.001"),
        date(2019, 1, 1),
        None,
        "Law 'On accumulative pension provision of citizens' No. 702-II of 02.12.2004; "
        "0.1% withheld out of the personal income tax since 2019 (Decree UP-5468 of 29.06.2018)",
        CONFIRM,
    ),
    (
        RuleKind.SOCIAL_TAX,
        Decimal("0.12"),
        date(2019, 1, 1),
        None,
        f"{TAX_CODE}, art. 405 (12% general rate); for 2019 Decree UP-5468 of 29.06.2018",
        CONFIRM,
    ),
    (
        RuleKind.SOCIAL_TAX_REDUCED,
        Decimal("0.01"),
        date(2022, 1, 1),
        date(2026, 12, 31),
        f"{TAX_CODE}, art. 405, and the presidential decrees on the employment of people "
        "from low-income families on the social protection register — to be confirmed",
        f"{CONFIRM} The decree and both dates are unverified; the end date 31.12.2026 is a placeholder.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("202730"),
        date(2019, 1, 1),
        date(2019, 7, 31),
        "Presidential decree on raising wages, pensions and benefits (2018) — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("223000"),
        date(2019, 8, 1),
        date(2020, 1, 31),
        "Presidential decree on raising wages, pensions and benefits (2019) — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("679330"),
        date(2020, 2, 1),
        date(2021, 1, 31),
        "Presidential Decree UP-5887 of 16.12.2019 (minimum wage separated from the base "
        "calculation value) — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("747300"),
        date(2021, 2, 1),
        date(2021, 7, 31),
        "Presidential decree of 2021 on raising wages — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("822000"),
        date(2021, 8, 1),
        date(2022, 5, 31),
        "Presidential decree of 2021 on raising wages — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("920000"),
        date(2022, 6, 1),
        date(2023, 5, 31),
        "Presidential decree of 2022 on raising wages — to be confirmed",
        f"{CONFIRM} Pre-2023 figures are unverified: they may mix the minimum wage with the base calculation value.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("980000"),
        date(2023, 6, 1),
        date(2023, 11, 30),
        "Presidential decree of 2023 on raising wages — to be confirmed",
        f"{CONFIRM} The start (01.06.2023) is from memory; another account gives 01.08.2023.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("1050000"),
        date(2023, 12, 1),
        date(2024, 9, 30),
        "Presidential decree of November 2023 on raising wages, pensions, scholarships and "
        "benefits (in force 01.12.2023) — number to be confirmed",
        f"{CONFIRM} Reported by the press on 20.11.2023 (1 050 000 UZS from 01.12.2023).",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("1155000"),
        date(2024, 10, 1),
        date(2025, 7, 31),
        "Presidential decree of 12.08.2024 on increasing wages, pensions, scholarships and "
        "benefits — number to be confirmed",
        f"{CONFIRM} The decree raises public-sector pay from 01.10.2024 (gazeta.uz, 13.08.2024); "
        "that the minimum wage changes the same day is to be confirmed.",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("1271000"),
        date(2025, 8, 1),
        None,
        "Presidential decree of 03.06.2025 'On increasing the amounts of wages, pensions, "
        "scholarships and allowances', item 3 (from 01.08.2025) — number to be confirmed",
        f"{CONFIRM} No later change found up to December 2026: check whether a 2026 decree "
        "raised it and add the new value from its first day.",
    ),
    (
        RuleKind.OVERTIME_MULTIPLIER,
        Decimal("2"),
        date(2019, 1, 1),
        None,
        "Labour Code of 1995, art. 157 (at least double pay); kept by the Labour Code in force "
        "since 30.04.2023 — to be confirmed",
        f"{CONFIRM} The article of the Labour Code of 2023 is unverified.",
    ),
]


SOCIAL_INSURANCE = "Regulation on state social insurance benefits (Cabinet of Ministers)"
# Sick and maternity pay: added by migration 0006 (pay-leave).
ABSENCE_RULES = [
    (
        RuleKind.SICK_PAY_SHORT_SERVICE,
        Decimal("0.6"),
        date(2019, 1, 1),
        None,
        f"{SOCIAL_INSURANCE}: 60% of average earnings below 8 years of service — "
        "resolution number and date to be confirmed",
        f"{CONFIRM} Categories paid 100% whatever their service (e.g. parents of three or "
        "more children under 16, work injury) are not modelled: enter the difference as "
        "an adjustment.",
    ),
    (
        RuleKind.SICK_PAY_LONG_SERVICE,
        Decimal("0.8"),
        date(2019, 1, 1),
        None,
        f"{SOCIAL_INSURANCE}: 80% of average earnings from 8 years of service — to be confirmed",
        f"{CONFIRM} Service is counted from the contract's start at this enterprise (the "
        "employee's earlier service is not recorded): enter the difference as an adjustment.",
    ),
    (
        RuleKind.SICK_PAY_LONG_SERVICE_YEARS,
        Decimal("8"),
        date(2019, 1, 1),
        None,
        f"{SOCIAL_INSURANCE}: the service threshold of the higher sick pay — to be confirmed",
        CONFIRM,
    ),
    (
        RuleKind.MATERNITY_PAY,
        Decimal("1"),
        date(2019, 1, 1),
        None,
        f"Labour Code of 2023 (ZRU-798), maternity leave; {SOCIAL_INSURANCE}: 100% of "
        "average earnings — to be confirmed",
        f"{CONFIRM} Paid here per working day of maternity leave on the timesheet; the "
        "official benefit counts calendar days (126, 70 before and 56 after the birth).",
    ),
]
DEFAULT_RULES += ABSENCE_RULES

FAMILY_CODE = "Family Code of the Republic of Uzbekistan (1998), art. 99"
ENFORCEMENT_LAW = (
    "Law 258-II of 29.08.2001 'On the execution of judicial acts and acts of other bodies'"
)
LABOUR_CODE_1995 = "Labour Code of 1995, arts. 164-165"
LABOUR_CODE_2023 = "Labour Code of 2023 (ZRU-798 of 28.10.2022)"
# Deductions from wages: added by migration 0009 (paydeduct). Alimony shares are divisors
# (4: one part in four) so that a third is exact.
DEDUCTION_RULES = [
    (
        RuleKind.ALIMONY_ONE_CHILD,
        Decimal("4"),
        date(1998, 9, 1),
        None,
        f"{FAMILY_CODE}: a quarter of the monthly wage for one child",
        f"{CONFIRM} A court may set another share or a fixed sum: enter such a writ as a "
        "court order with its amount.",
    ),
    (
        RuleKind.ALIMONY_TWO_CHILDREN,
        Decimal("3"),
        date(1998, 9, 1),
        None,
        f"{FAMILY_CODE}: a third of the monthly wage for two children",
        CONFIRM,
    ),
    (
        RuleKind.ALIMONY_THREE_CHILDREN,
        Decimal("2"),
        date(1998, 9, 1),
        None,
        f"{FAMILY_CODE}: half of the monthly wage for three or more children",
        CONFIRM,
    ),
    (
        RuleKind.DEDUCTION_CAP,
        Decimal("0.2"),
        date(2019, 1, 1),
        None,
        f"{LABOUR_CODE_1995} (20% of the wage due, in general); kept by the {LABOUR_CODE_2023} "
        "— article number to be confirmed",
        f"{CONFIRM} Applied when only voluntary deductions are taken.",
    ),
    (
        RuleKind.DEDUCTION_CAP_WRITS,
        Decimal("0.5"),
        date(2019, 1, 1),
        None,
        f"{ENFORCEMENT_LAW}, art. 66 (at most 50% under writs; with several writs the "
        f"employee keeps 50%); {LABOUR_CODE_1995}",
        f"{CONFIRM} Applied when a writ other than alimony is among the deductions.",
    ),
    (
        RuleKind.DEDUCTION_CAP_ALIMONY,
        Decimal("0.7"),
        date(2019, 1, 1),
        None,
        f"{LABOUR_CODE_1995}; {ENFORCEMENT_LAW}: up to 70% for alimony for minor children "
        "(and damage to health or from a crime) — to be confirmed",
        f"{CONFIRM} Applied to the month's total when alimony for children is among the "
        "deductions; damage to health or from a crime is not modelled separately.",
    ),
]
DEFAULT_RULES += DEDUCTION_RULES
# The due dates of the employer's obligations (day of the month after the payroll month),
# added by migration 0008. A due day on a day off moves to the next working day.
DUE_DAY_RULES = [
    (
        RuleKind.INCOME_TAX_DUE_DAY,
        Decimal("15"),
        date(2020, 1, 1),
        None,
        f"{TAX_CODE}: a tax agent pays the personal income tax withheld by the deadline of "
        "its monthly calculation, the 15th of the month after — article to be confirmed",
        f"{CONFIRM} Whether the tax is due by the 15th or on the day the pay is paid out.",
    ),
    (
        RuleKind.INPS_DUE_DAY,
        Decimal("15"),
        date(2020, 1, 1),
        None,
        "Law 'On accumulative pension provision of citizens' No. 702-II; the INPS share of the "
        "income tax is transferred with it — deadline to be confirmed",
        f"{CONFIRM} Assumed to be paid with the income tax, by the same day.",
    ),
    (
        RuleKind.SOCIAL_TAX_DUE_DAY,
        Decimal("15"),
        date(2020, 1, 1),
        None,
        f"{TAX_CODE}, the article on the social tax's period and payment (monthly, by the "
        "15th of the month after) — article number to be confirmed",
        CONFIRM,
    ),
]
DEFAULT_RULES += DUE_DAY_RULES


def load_default_rules(rule_model) -> int:
    """Add the default rules that are missing; returns how many were added.

    Used by migration 0002 (with the historical model) and by tests after a flush.
    """
    added = 0
    for kind, value, start, end, source, notes in DEFAULT_RULES:
        _rule, created = rule_model.objects.get_or_create(
            kind=kind,
            effective_from=start,
            defaults={"value": value, "effective_to": end, "source": source, "notes": notes},
        )
        added += created
    return added


def upgrade_default_rules(rule_model, previous) -> tuple[int, int]:
    """Bring a database's rules up to these defaults without overwriting anyone's edits.

    `previous` holds the rows an earlier release shipped, as (kind, value, from, to, source).
    A row still exactly as shipped takes the new figure, dates, source and notes; a row someone
    changed in the admin is left alone. A default row that is missing is added only where no
    other value of its rule is in force in its period (two values of a rule never overlap).
    Returns (updated, added).
    """
    shipped = {(kind, start): (value, end, source) for kind, value, start, end, source in previous}
    updated = added = 0
    missing = []
    for kind, value, start, end, source, notes in DEFAULT_RULES:
        row = rule_model.objects.filter(kind=kind, effective_from=start).first()
        if row is None:
            missing.append((kind, value, start, end, source, notes))
            continue
        if (row.value, row.effective_to, row.source, row.notes) == (value, end, source, notes):
            continue
        if shipped.get((kind, start)) == (row.value, row.effective_to, row.source):
            row.value, row.effective_to, row.source, row.notes = value, end, source, notes
            row.save()
            updated += 1
    for kind, value, start, end, source, notes in missing:
        overlapping = rule_model.objects.filter(kind=kind).filter(
            models.Q(effective_to__isnull=True) | models.Q(effective_to__gte=start)
        )
        if end is not None:
            overlapping = overlapping.filter(effective_from__lte=end)
        if not overlapping.exists():
            rule_model.objects.create(
                kind=kind,
                value=value,
                effective_from=start,
                effective_to=end,
                source=source,
                notes=notes,
            )
            added += 1
    return updated, added
