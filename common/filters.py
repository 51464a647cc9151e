"""Filters every list uses, with the bounds of common/validators.py."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from common.validators import YEAR_MAX, YEAR_MIN


class YearField(forms.IntegerField):
    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", YEAR_MIN)
        kwargs.setdefault("max_value", YEAR_MAX)
        super().__init__(**kwargs)
        message = _("Enter a year between %(first)s and %(last)s.") % {
            "first": YEAR_MIN,
            "last": YEAR_MAX,
        }
        self.error_messages = {**self.error_messages, "min_value": message, "max_value": message}


class YearFilter(django_filters.NumberFilter):
    """A year typed into a list's filters; a year out of range is told on the field (and the
    list stays empty) instead of reaching the database, where `__year` with year 0 or
    100,000 fails."""

    field_class = YearField
