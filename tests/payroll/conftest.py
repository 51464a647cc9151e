import datetime

import pytest

from payroll.calendar_defaults import load_default_holidays
from payroll.models import PublicHoliday, StatutoryRule
from payroll.rules_defaults import load_default_rules
from tests.payroll.factories import SocialEnterpriseFactory

MARCH = datetime.date(2025, 3, 1)  # 31 days: 21 Monday to Friday, less Navruz (Fri 21st): 20


@pytest.fixture
def rules():
    """The shipped statutory rules and public holidays. They come from data migrations, which
    the flush after a transactional test empties, so payroll tests put them back (a no-op when
    present). Request it after the database fixture (or with the django_db marker)."""
    load_default_rules(StatutoryRule)
    load_default_holidays(PublicHoliday)


@pytest.fixture
def enterprise(personas, rules):
    return SocialEnterpriseFactory(name="Mehr", managers=[personas.manager])


@pytest.fixture
def other_enterprise(db, rules):
    return SocialEnterpriseFactory(name="Barakali non")
