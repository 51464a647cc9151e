from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleKind(models.TextChoices):
    """The statutory figures payroll reads, each kept as dated data (see docs/payroll.md)."""

    INCOME_TAX = "income_tax", _("Personal income tax rate")
    INPS = "inps", _("Individual accumulative pension contribution (INPS) rate")
    SOCIAL_TAX = "social_tax", _("Employer social tax rate")
    SOCIAL_TAX_REDUCED = "social_tax_reduced", _("Reduced social tax rate (low-income families)")
    MINIMUM_WAGE = "minimum_wage", _("Minimum monthly wage (UZS)")
    OVERTIME_MULTIPLIER = "overtime_multiplier", _("Overtime pay multiplier")
    SICK_PAY_SHORT_SERVICE = "sick_pay_short", _("Sick pay rate (shorter service)")
    SICK_PAY_LONG_SERVICE = "sick_pay_long", _("Sick pay rate (longer service)")
    SICK_PAY_LONG_SERVICE_YEARS = (
        "sick_pay_years",
        _("Years of service for the longer-service sick pay"),
    )
    MATERNITY_PAY = "maternity_pay", _("Maternity benefit rate")
    # Deductions from wages (docs/payroll.md "Advance and deductions").
    ALIMONY_ONE_CHILD = "alimony_div_1", _("Alimony for one child: one part in")
    ALIMONY_TWO_CHILDREN = "alimony_div_2", _("Alimony for two children: one part in")
    ALIMONY_THREE_CHILDREN = "alimony_div_3", _("Alimony for three or more children: one part in")
    DEDUCTION_CAP = "deduction_cap", _("Cap on deductions from wages (general)")
    DEDUCTION_CAP_WRITS = "deduction_cap_writs", _("Cap on deductions under writs")
    DEDUCTION_CAP_ALIMONY = (
        "deduction_cap_alimony",
        _("Cap on deductions with alimony for children"),
    )
    # Due dates of the employer's obligations: the day of the month after the payroll month.
    INCOME_TAX_DUE_DAY = "income_tax_due_day", _("Income tax due by (day of the next month)")
    INPS_DUE_DAY = "inps_due_day", _("INPS due by (day of the next month)")
    SOCIAL_TAX_DUE_DAY = "social_tax_due_day", _("Social tax due by (day of the next month)")


class DeductionKind(models.TextChoices):
    """What a deduction from wages is taken for; the order they are taken in follows
    (payroll.calculation.DEDUCTION_PRIORITY)."""

    ALIMONY = "alimony", _("Alimony for children (writ)")
    COURT_ORDER = "court_order", _("Other court order (writ)")
    VOLUNTARY = "voluntary", _("Voluntary, with the employee's consent")


class RunStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REVERSED = "reversed", _("Reversed")


LOCKED_STATUSES = (RunStatus.APPROVED, RunStatus.PAID, RunStatus.REVERSED)


class CalendarDayKind(models.TextChoices):
    """How a dated day of the national calendar changes the working days of its month."""

    HOLIDAY = "holiday", _("Public holiday (day off)")
    DAY_OFF = "day_off", _("Extra day off (transferred)")
    WORKING_DAY = "working_day", _("Working day (transferred from a weekday)")


class Obligation(models.TextChoices):
    """What the employer owes for a month's payroll (docs/payroll.md "The employer's
    obligations"). The income tax is what goes to the budget: the tax withheld less the INPS
    taken out of it, which goes to the employee's pension account."""

    INCOME_TAX = "income_tax", _("Personal income tax (to the budget)")
    INPS = "inps", _("INPS (accumulative pension contribution)")
    SOCIAL_TAX = "social_tax", _("Social tax")
