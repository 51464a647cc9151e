from django import template

from common.money import format_uzs

register = template.Library()


@register.filter
def uzs(value):
    """{{ amount|uzs }} -> '1 250 000 UZS'."""
    return format_uzs(value)


@register.filter
def soum(value):
    """{{ amount|soum }} -> '1 250 000', for tables whose header names the currency."""
    return format_uzs(value, with_currency=False)
