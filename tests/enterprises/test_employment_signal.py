"""Which families have stable work: the fact the well-being proposal reads from enterprises."""

import datetime

from enterprises.selectors import STABLE_JOB_DAYS, families_with_stable_work
from tests.enterprises.factories import hire, started_business
from tests.factories import FamilyFactory, PersonFactory


def test_stable_job_and_operating_business_count_new_job_does_not(db, django_assert_num_queries):
    today = datetime.date.today()
    long_job, new_job, business, nothing = FamilyFactory.create_batch(4)
    hire(
        person=PersonFactory(family=long_job),
        start=today - datetime.timedelta(days=STABLE_JOB_DAYS + 1),
    )
    hire(person=PersonFactory(family=new_job), start=today - datetime.timedelta(days=10))
    started_business(family=business, operating_since=datetime.date(2024, 4, 1))
    ids = [long_job.pk, new_job.pk, business.pk, nothing.pk]
    with django_assert_num_queries(2):  # contracts, operating businesses
        found = families_with_stable_work(ids)
    assert found == {long_job.pk, business.pk}
