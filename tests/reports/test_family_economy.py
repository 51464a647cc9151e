"""The family's economic picture: who may open it, its figures equal the records they come
from, and it costs the same number of queries however much the family holds."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from common.months import add_months
from enterprises import services as enterprise_services
from enterprises.choices import PlacementStage
from tests.enterprises.factories import (
    PositionFactory,
    SocialEnterpriseFactory,
    hire,
    loan,
    started_business,
)
from tests.factories import IncomeRecordFactory, PersonFactory, branch
from tests.training.factories import EnrolmentFactory, QualificationFactory
from tests.wellbeing.factories import household, record_levels
from wellbeing.selectors import PovertyLines, last_full_month

pytestmark = pytest.mark.django_db
D = datetime.date


def url(family):
    return reverse("reports:family_economy", args=[family.pk])


@pytest.fixture
def family(personas):
    return household(
        3, branch=branch("SAM"), caseworker=personas.caseworker, intake_date=D(2024, 1, 1)
    )


def give_the_family_everything(family, *, n=1):
    """n of each kind of record: contracts, placements, enrolments with certificates,
    businesses with a loan, income records and assessments."""
    today = timezone.localdate()
    enterprise = SocialEnterpriseFactory(branch=family.branch)
    for index in range(n):
        person = PersonFactory(family=family, full_name=f"Worker {index}")
        hire(position=PositionFactory(enterprise=enterprise), person=person, start=D(2024, 2, 1))
        enterprise_services.placement_record(
            person=PersonFactory(family=family),
            stage=PlacementStage.PLACED,
            start_date=D(2024, 3, 1),
            employer_name=f"Employer {index}",
            position="Packer",
            monthly_wage=Decimal("2000000"),
            contract="formal",
            working_time="full",
            verification="payslip",
            recorded_by=None,
        )
        QualificationFactory(
            enrolment=EnrolmentFactory(
                person=PersonFactory(family=family),
                status="completed",
                ended_on=D(2026, 1, 30),
                cohort__branch=family.branch,
            )
        )
        business = started_business(family=family, owner=PersonFactory(family=family))
        support = loan(business=business, first_due=D(2024, 5, 1), term=12)
        enterprise_services.support_disburse(
            support=support,
            disbursed_on=D(2024, 4, 1),
            amount=Decimal("12000000"),
            recorded_by=None,
        )
        IncomeRecordFactory(
            family=family,
            month=add_months(last_full_month(), -index),
            amount=Decimal("300000") + index,
        )
        record_levels(family, today - datetime.timedelta(days=40 * (index + 1)), {}, default=3)
    return enterprise


def test_the_branch_caseworker_the_director_and_the_auditor_read_it(client_for, personas, family):
    for user in (personas.caseworker, personas.director, personas.auditor):
        assert client_for(user).get(url(family)).status_code == 200


def test_out_of_scope_is_404_and_other_roles_403(client_for, personas, family):
    assert client_for(personas.caseworker_tashkent).get(url(family)).status_code == 404
    for user in (personas.trainer, personas.manager, personas.outsider):
        assert client_for(user).get(url(family)).status_code == 403, user


def test_the_family_page_links_to_it_for_those_who_may_open_it(client_for, personas, family):
    detail = reverse("beneficiaries:family_detail", args=[family.pk])
    assert url(family) in client_for(personas.caseworker).get(detail).content.decode()
    assert url(family) in client_for(personas.auditor).get(detail).content.decode()


def test_the_figures_are_those_of_the_records(client_for, personas, family):
    give_the_family_everything(family)
    last = last_full_month()
    IncomeRecordFactory(family=family, month=last, source="remittances", amount=Decimal("450000"))
    response = client_for(personas.caseworker).get(url(family))
    economy = response.context["economy"]
    # Jobs: the one contract and the one running placement.
    assert [e.person.full_name for e in economy["employments"]] == ["Worker 0"]
    assert [p.employer_name for p in economy["placements"]] == ["Employer 0"]
    # Training: the certificate of the completed course.
    assert [e.qualification.number for e in economy["enrolments"]] == [
        family.members.get(enrolments__isnull=False).enrolments.get().qualification.number
    ]
    # Businesses: the loan's balance is what was paid out less what was repaid.
    (business,) = economy["businesses"]
    (support,) = business.support_rows
    assert support.balance == support.disbursed_total - support.repaid_total == Decimal(12000000)
    assert business.balance == Decimal(12000000)
    # Every instalment due before today is overdue: nothing was repaid.
    due = [
        line
        for line in support.schedule.all()
        if add_months(line.due_month, 1) <= timezone.localdate()
    ]
    assert support.overdue == sum((line.amount for line in due), Decimal(0))
    # Income: the month's sources add up to its household income, against the month's line.
    newest = economy["income"][0]
    assert newest["item"].month == last
    sources = {code: amount for code, _label, amount in newest["sources"]}
    assert sum(sources.values()) == newest["item"].income
    assert sources["remittances"] == Decimal(450000)
    assert newest["item"].line == PovertyLines().for_month(last)
    # Well-being: the stored score and its checklist.
    assert economy["wellbeing"]["score"].score == economy["assessments"][0].score
    page = response.content.decode()
    for link in (
        business.get_absolute_url(),
        economy["placements"][0].get_absolute_url(),
        economy["enrolments"][0].get_absolute_url(),
        reverse("wellbeing:income_list", args=[family.pk]),
    ):
        assert link in page


def test_an_ended_job_is_not_current(client_for, personas, family):
    give_the_family_everything(family)
    placement = family.members.get(job_placements__isnull=False).job_placements.get()
    enterprise_services.placement_end(
        placement=placement, end_date=timezone.localdate() - datetime.timedelta(days=1), by=None
    )
    economy = client_for(personas.caseworker).get(url(family)).context["economy"]
    assert economy["placements"] == []


def test_the_query_count_does_not_grow_with_the_records(
    client_for, personas, family, django_assert_num_queries
):
    client = client_for(personas.caseworker)
    give_the_family_everything(family, n=1)
    client.get(url(family))  # warm the session
    # session, user and roles, the caseworker's branches, the family; the read log (content
    # type cached after the warm-up: one insert); contracts, placements, enrolments with
    # their courses and certificates; businesses, their supports and schedules; poverty
    # lines, household size, monthly totals, totals by source; score, rule, domains below
    # the minimum, the pending exit request, stale flags; assessments and their scores
    with django_assert_num_queries(23) as few:
        client.get(url(family))
    give_the_family_everything(family, n=3)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url(family))
    assert len(response.context["economy"]["employments"]) == 4
    assert len(response.context["economy"]["businesses"]) == 4
