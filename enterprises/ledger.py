"""Pure arithmetic of the loan ledger, kept apart so it can be tested with random inputs."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from common.money import format_uzs, round_soum, to_decimal
from common.months import add_months


def split_evenly(total, count: int) -> list[Decimal]:
    """`count` monthly instalments summing exactly to `total` (whole soum).

    Each instalment is `round_soum(total / count)`; the last one takes the remainder. When the
    remainder would be nothing or less (tiny amounts over long terms) the split is refused.
    """
    total = to_decimal(total)
    if count < 1:
        raise ValidationError(_("A loan is repaid in at least one instalment."))
    if total <= 0 or round_soum(total) != total:
        raise ValidationError(_("The principal must be a positive amount in whole soum."))
    regular = round_soum(total / count)
    last = total - regular * (count - 1)
    if last <= 0 or regular <= 0:
        raise ValidationError(
            _("%(amount)s cannot be repaid in %(count)s monthly instalments: shorten the term.")
            % {"amount": format_uzs(total), "count": count}
        )
    return [regular] * (count - 1) + [last]


def schedule_lines(total, count: int, first_month: date) -> list[tuple[date, Decimal]]:
    """(due month, amount) for each instalment, one calendar month apart."""
    if first_month.day != 1:
        raise ValidationError(_("A month is stored as its first day."))
    return [
        (add_months(first_month, index), amount)
        for index, amount in enumerate(split_evenly(total, count))
    ]


def check_repayment(*, amount, balance) -> Decimal:
    """The repayment as a Decimal, or a clear refusal when it is not positive or too much."""
    amount, balance = to_decimal(amount), to_decimal(balance)
    if amount <= 0:
        raise ValidationError({"amount": _("A repayment must be more than zero.")})
    if round_soum(amount) != amount:
        raise ValidationError({"amount": _("Enter the amount in whole soum.")})
    if amount > balance:
        raise ValidationError(
            {
                "amount": _(
                    "This payment of %(amount)s is more than the outstanding balance of "
                    "%(balance)s. Record at most %(balance)s."
                )
                % {"amount": format_uzs(amount), "balance": format_uzs(balance)}
            }
        )
    return amount


def unpaid_instalments(schedule, repaid_total) -> list[tuple[date, Decimal, Decimal]]:
    """(due month, amount, what is still unpaid of it) for each instalment not fully paid.

    The one rule for which instalment a repayment settles (docs/loan-repayments.md):
    everything repaid on the loan settles the instalments
    oldest first, whatever the day or the amount of each payment. A partial payment leaves
    the rest of the oldest unpaid instalment open; more than an instalment goes on to the next.
    `schedule` is the loan's (due month, amount) lines, in any order.
    """
    left = to_decimal(repaid_total)
    unpaid = []
    for month, amount in sorted(schedule):
        amount = to_decimal(amount)
        settled = min(amount, max(left, Decimal(0)))
        left -= settled
        if settled < amount:
            unpaid.append((month, amount, amount - settled))
    return unpaid
