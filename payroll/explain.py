"""A payslip explained line by line, in words and formulas: the same lines on screen and in PDF."""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.money import format_uzs
from enterprises.choices import PayBasis
from payroll.calculation import WORKDAYS_PER_WEEK


@dataclass(frozen=True)
class Line:
    label: str
    how: str
    amount: Decimal
    kind: str = "item"  # item, total, deduction, employer


def _n(value) -> str:
    value = Decimal(value).normalize()
    if value == value.to_integral():
        return format_uzs(value, with_currency=False)
    return number_format(value, decimal_pos=None, use_l10n=True)


def _pct(rate) -> str:
    return f"{_n(Decimal(rate) * 100)}%"


def payslip_lines(p) -> list[Line]:
    lines = []
    if p.pay_basis == PayBasis.MONTHLY:
        how = _("%(rate)s monthly salary × %(days)s of %(working)s working days") % {
            "rate": _n(p.rate),
            "days": _n(p.days_worked),
            "working": p.working_days,
        }
    elif p.pay_basis == PayBasis.DAILY:
        how = _("%(days)s days × %(rate)s a day") % {"days": _n(p.days_worked), "rate": _n(p.rate)}
    elif p.pay_basis == PayBasis.HOURLY:
        how = _("%(hours)s hours × %(rate)s an hour") % {
            "hours": _n(p.hours_worked),
            "rate": _n(p.rate),
        }
    else:
        how = None  # piece work has no base pay: its line follows
    if how is not None:
        lines.append(Line(_("Base pay"), how, p.base))
    if p.overtime_hours:
        hours_per_day = p.hours_per_week / WORKDAYS_PER_WEEK
        lines.append(
            Line(
                _("Overtime"),
                _(
                    "%(hours)s hours × hourly rate × %(multiplier)s (hourly rate from %(basis)s, %(per_day)s hours a day)"
                )
                % {
                    "hours": _n(p.overtime_hours),
                    "multiplier": _n(p.overtime_multiplier),
                    "basis": p.get_pay_basis_display().lower(),
                    "per_day": _n(hours_per_day),
                },
                p.overtime,
            )
        )
    if p.pay_basis == PayBasis.PIECE:
        lines.append(
            Line(
                _("Piece work"),
                _("%(pieces)s pieces × %(rate)s a piece")
                % {
                    "pieces": _n(p.pieces),
                    "rate": _n(p.rate),
                },
                p.piece_work,
            )
        )
    if p.bonus:
        lines.append(Line(_("Bonus"), _("entered in the timesheet"), p.bonus))
    lines += absence_lines(p)
    if p.adjustments:
        lines.append(Line(_("Adjustments"), _("corrections of earlier months"), p.adjustments))
    lines.append(Line(_("Gross pay"), _("sum of the lines above"), p.gross, "total"))
    lines.append(
        Line(
            _("Personal income tax withheld"),
            (
                _("%(rate)s of gross pay less the maternity benefit")
                if p.maternity_pay
                else _("%(rate)s of gross pay")
            )
            % {"rate": _pct(p.income_tax_rate)},
            -p.income_tax,
            "deduction",
        )
    )
    lines.append(
        Line(
            _("of which to the personal pension account (INPS)"),
            _("%(rate)s of gross pay, taken out of the income tax, not added to it")
            % {"rate": _pct(p.inps_rate)},
            p.inps,
            "note",
        )
    )
    lines.append(
        Line(
            _("of which income tax to the budget"),
            _("income tax minus INPS"),
            p.income_tax_to_budget,
            "note",
        )
    )
    lines.append(Line(_("Net pay"), _("gross pay minus income tax"), p.net, "total"))
    lines += settlement_lines(p)
    social_how = (
        _("%(rate)s of gross pay less sick pay and the maternity benefit")
        if p.sick_pay or p.maternity_pay
        else _("%(rate)s of gross pay")
    ) % {"rate": _pct(p.social_tax_rate)}
    if p.low_income_family and p.social_tax_rate < Decimal("0.12"):
        social_how += " " + _("(reduced rate: employee from a low-income family)")
    lines.append(Line(_("Employer social tax"), social_how, p.social_tax, "employer"))
    lines.append(
        Line(
            _("Total cost to the enterprise"), _("gross pay plus social tax"), p.total_cost, "total"
        )
    )
    return lines


def settlement_lines(p) -> list[Line]:
    """The advance, each deduction (in the order taken) and the amount to pay, when the
    payslip has any (one query for the deduction lines)."""
    deductions = list(p.deduction_lines.all()) if p.deductions or p.deduction_shortfall else []
    if not p.advance and not deductions:
        return []
    lines = []
    if p.advance:
        lines.append(
            Line(_("Advance paid"), _("paid before the month's end"), p.advance, "deduction")
        )
    for d in deductions:
        if d.share_divisor:
            how = _("1/%(divisor)s of net pay") % {"divisor": _n(d.share_divisor)}
        else:
            how = _("fixed amount")
        how = f"{d.reference}; {d.beneficiary}; {how}"
        if d.shortfall:
            how += "; " + _("due %(due)s, %(short)s over the cap not withheld") % {
                "due": _n(d.due),
                "short": _n(d.shortfall),
            }
        lines.append(Line(d.get_kind_display(), how, d.withheld, "deduction"))
    if deductions:
        lines.append(
            Line(
                _("Cap on deductions"),
                _("%(rate)s of net pay") % {"rate": _pct(p.deduction_cap_rate)},
                p.deductions,
                "note",
            )
        )
    lines.append(
        Line(
            _("Amount to pay"),
            _("net pay minus the advance and the deductions"),
            p.amount_to_pay,
            "total",
        )
    )
    return lines


def average_how(p) -> str:
    """Where the average daily earnings come from, in words."""
    if p.average_months:
        return ngettext(
            "%(earnings)s earned over %(days)s days worked in %(months)s approved month "
            "before this one",
            "%(earnings)s earned over %(days)s days worked in the %(months)s approved months "
            "before this one",
            p.average_months,
        ) % {
            "earnings": _n(p.average_earnings),
            "days": _n(p.average_days),
            "months": p.average_months,
        }
    if p.average_days == 1:
        return _("no day worked before: the contract's pay for one day")
    return _("no day worked before: %(earnings)s earned over %(days)s days worked this month") % {
        "earnings": _n(p.average_earnings),
        "days": _n(p.average_days),
    }


def absence_lines(p) -> list[Line]:
    """Leave, sick, maternity and unpaid days: a line each, when there are any, after the
    average daily earnings the paid ones are based on."""
    lines = []
    average = _n(p.average_daily.quantize(Decimal("0.01")))
    if p.leave_days or p.sick_days or p.maternity_days:
        lines.append(Line(_("Average daily earnings"), average_how(p), p.average_daily, "note"))
    if p.leave_days:
        lines.append(
            Line(
                _("Annual leave pay"),
                _("%(days)s days × %(average)s average daily earnings")
                % {"days": _n(p.leave_days), "average": average},
                p.leave_pay,
            )
        )
    if p.sick_days:
        lines.append(
            Line(
                _("Sick pay (temporary disability)"),
                _("%(days)s days × %(rate)s of %(average)s average daily earnings")
                % {"days": _n(p.sick_days), "rate": _pct(p.sick_pay_rate), "average": average},
                p.sick_pay,
            )
        )
    if p.maternity_days:
        lines.append(
            Line(
                _("Maternity benefit"),
                _("%(days)s days × %(rate)s of %(average)s average daily earnings")
                % {
                    "days": _n(p.maternity_days),
                    "rate": _pct(p.maternity_pay_rate),
                    "average": average,
                },
                p.maternity_pay,
            )
        )
    if p.unpaid_days:
        lines.append(
            Line(
                _("Unpaid leave"),
                _("%(days)s days without pay") % {"days": _n(p.unpaid_days)},
                Decimal("0"),
            )
        )
    return lines
