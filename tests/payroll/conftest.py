import datetime

import pytest

from tests.payroll.factories import SocialEnterpriseFactory

MARCH = datetime.date(2025, 3, 1)  # 31 days, Monday to Friday: 21 working days


@pytest.fixture
def enterprise(personas):
    return SocialEnterpriseFactory(name="Mehr", managers=[personas.manager])


@pytest.fixture
def other_enterprise(db):
    return SocialEnterpriseFactory(name="Barakali non")
