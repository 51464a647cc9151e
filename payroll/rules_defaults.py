"""The statutory figures payroll ships with, each with its public source.

They are loaded by migration 0002 and kept afterwards by superusers in the admin. They were
written down without access to the official texts: an accountant must confirm every figure
and date before real salaries are paid (see docs/payroll.md).
"""

from datetime import date
from decimal import Decimal

from payroll.choices import RuleKind

TAX_CODE = "Tax Code of the Republic of Uzbekistan (Law ZRU-599 of 30.12.2019)"

DEFAULT_RULES = [
    # kind, value, from, to, source
    (
        RuleKind.INCOME_TAX,
        Decimal("0.12"),
        date(2019, 1, 1),
        None,
        f"{TAX_CODE}, art. 381 (12% flat rate); for 2019 Presidential Decree UP-5468 of 29.06.2018",
    ),
    (
        RuleKind.INPS,
        Decimal("0.001"),
        date(2019, 1, 1),
        None,
        "Law 'On accumulative pension provision of citizens' No. 702-II of 02.12.2004; "
        "0.1% withheld out of the personal income tax since 2019 (Decree UP-5468 of 29.06.2018)",
    ),
    (
        RuleKind.SOCIAL_TAX,
        Decimal("0.12"),
        date(2019, 1, 1),
        None,
        f"{TAX_CODE}, art. 405 (12% general rate); for 2019 Decree UP-5468 of 29.06.2018",
    ),
    (
        RuleKind.SOCIAL_TAX_REDUCED,
        Decimal("0.01"),
        date(2022, 1, 1),
        date(2026, 12, 31),
        f"{TAX_CODE}, art. 405, and the presidential decrees on the employment of people "
        "from low-income families on the social protection register — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("202730"),
        date(2019, 1, 1),
        date(2019, 7, 31),
        "Presidential decree on raising wages, pensions and benefits (2018) — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("223000"),
        date(2019, 8, 1),
        date(2020, 1, 31),
        "Presidential decree on raising wages, pensions and benefits (2019) — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("679330"),
        date(2020, 2, 1),
        date(2021, 1, 31),
        "Presidential Decree UP-5887 of 16.12.2019 (minimum wage separated from the base "
        "calculation value) — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("747300"),
        date(2021, 2, 1),
        date(2021, 7, 31),
        "Presidential decree of 2021 on raising wages — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("822000"),
        date(2021, 8, 1),
        date(2022, 5, 31),
        "Presidential decree of 2021 on raising wages — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("920000"),
        date(2022, 6, 1),
        date(2023, 5, 31),
        "Presidential decree of 2022 on raising wages — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("980000"),
        date(2023, 6, 1),
        date(2024, 9, 30),
        "Presidential decree of 2023 on raising wages — to be confirmed",
    ),
    (
        RuleKind.MINIMUM_WAGE,
        Decimal("1050000"),
        date(2024, 10, 1),
        None,
        "Presidential decree of 2024 on raising wages — to be confirmed",
    ),
    (
        RuleKind.OVERTIME_MULTIPLIER,
        Decimal("2"),
        date(2019, 1, 1),
        None,
        "Labour Code of 1995, art. 157 (at least double pay); kept by the Labour Code in force "
        "since 30.04.2023 — to be confirmed",
    ),
]


def load_default_rules(rule_model) -> int:
    """Add the default rules that are missing; returns how many were added.

    Used by migration 0002 (with the historical model) and by tests after a flush.
    """
    added = 0
    for kind, value, start, end, source in DEFAULT_RULES:
        _rule, created = rule_model.objects.get_or_create(
            kind=kind,
            effective_from=start,
            defaults={"value": value, "effective_to": end, "source": source},
        )
        added += created
    return added
