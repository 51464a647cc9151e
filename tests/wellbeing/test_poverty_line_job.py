"""A poverty line's change reaches the scores at once, as a job queued when it commits."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from common.months import month_start
from tests.factories import IncomeRecordFactory
from tests.wellbeing.factories import household
from wellbeing.models import FamilyScore, PovertyLine
from wellbeing.scores import family_scores_recompute

pytestmark = pytest.mark.django_db


def test_a_poverty_line_edit_changes_the_affected_scores(django_capture_on_commit_callbacks):
    line = PovertyLine.objects.order_by("-valid_from").first()
    month = month_start(timezone.localdate()) - datetime.timedelta(days=1)
    months = []
    for _ in range(6):
        months.append(month_start(month))
        month = month_start(month) - datetime.timedelta(days=1)
    family = household(4)
    # 4 people at the line plus 1,000 each, every recent month
    for each in months:
        IncomeRecordFactory(family=family, month=each, amount=(line.amount + 1000) * 4)
    untouched = household(4)  # no income: below any line, before and after
    family_scores_recompute(family_ids=[family.pk, untouched.pk])
    before = FamilyScore.objects.get(family=family)
    assert before.income_ok and before.months_at_or_above_line > 0
    after_untouched = FamilyScore.objects.get(family=untouched).months_at_or_above_line

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        line.amount += Decimal(5000)
        line.save()
    assert len(callbacks) == 1  # one job queued on commit, not the nightly run
    after = FamilyScore.objects.get(family=family)
    assert not after.income_ok and after.months_at_or_above_line == 0
    assert FamilyScore.objects.get(family=untouched).months_at_or_above_line == after_untouched
