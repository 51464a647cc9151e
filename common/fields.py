"""Model fields every app uses: an amount in soum."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


def money_field(label, *, max_digits: int = 14, non_negative: bool = True, **kwargs):
    """UZS as a Decimal with two places (whole soum in practice: `common.money.round_soum`)."""
    if non_negative:
        kwargs.setdefault("validators", [MinValueValidator(Decimal("0"))])
    return models.DecimalField(label, max_digits=max_digits, decimal_places=2, **kwargs)
