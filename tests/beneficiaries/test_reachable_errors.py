"""Server errors a user could reach, each answered now with a message (issue 19). These run
on SQLite and on PostgreSQL, where some of them were 500s only."""

from decimal import Decimal as D

import pytest
from django.urls import reverse

from beneficiaries.models import Person
from payroll import services as payroll_services
from payroll.models import PayrollRun, StatutoryRule
from payroll.rules_defaults import load_default_rules
from tests.beneficiaries.test_family_case import management, member
from tests.factories import FamilyFactory, PersonFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import SocialEnterpriseFactory, hire
from tests.training.factories import EnrolmentFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture
def rules():
    load_default_rules(StatutoryRule)  # as tests/payroll/conftest.py does


@pytest.fixture
def client(client):
    client.raise_request_exception = False  # a 500 is a response to assert on
    return client


def test_deleting_a_member_with_enrolments_is_a_form_error(client, client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    mother = PersonFactory(family=family, full_name="Qodirova Nodira", birth_date="1990-05-17")
    son = PersonFactory(family=family, full_name="Qodirov Islom", relationship="child")
    EnrolmentFactory(person=mother, cohort__branch=samarkand)
    data = {
        "makhalla": "",
        "address": family.address,
        "phone": family.phone,
        "caseworker": personas.caseworker.pk,
        "referral_source": family.referral_source,
        "intake_date": family.intake_date.isoformat(),
        "consent_date": "",
        **management("members", 2, initial=2),
        "members-0-id": mother.pk,
        "members-0-family": family.pk,
        **member(0, "Qodirova Nodira", "head", "1990-05-17"),
        "members-0-DELETE": "on",
        "members-1-id": son.pk,
        "members-1-family": family.pk,
        **member(1, "Qodirov Islom", "child", son.birth_date.isoformat(), sex=son.sex),
    }
    response = client_for(personas.caseworker).post(
        reverse("beneficiaries:family_update", args=[family.pk]), data
    )
    assert response.status_code == 200
    [error] = response.context["formset"].non_form_errors()
    assert "Qodirova Nodira cannot be deleted" in error
    assert str(Enrolment._meta.verbose_name_plural) in error
    assert Person.objects.filter(pk=mother.pk).exists()
    # A member without kept records is still deleted.
    data.pop("members-0-DELETE")
    data["members-1-DELETE"] = "on"
    response = client_for(personas.caseworker).post(
        reverse("beneficiaries:family_update", args=[family.pk]), data
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk=son.pk).exists()


@pytest.mark.parametrize("query", ["q=%00", "q=Ali%00ev", "caseworker=%00", "branch=1%00"])
def test_a_refused_family_search_value_gives_an_empty_list(client_for, personas, query):
    FamilyFactory()
    response = client_for(personas.director).get(reverse("beneficiaries:family_list") + "?" + query)
    assert response.status_code == 200
    assert response.context["table"].page.paginator.count == 0
    assert "has-error" in response.text  # the field says what was wrong


@pytest.mark.parametrize("year", ["0", "-5", "99999", "100000000000000000000"])
def test_a_year_out_of_range_in_a_list_filter_is_answered_with_a_message(
    client_for, personas, year
):
    family = FamilyFactory()
    SocialEnterpriseFactory(managers=[personas.manager])
    client = client_for(personas.director)
    for url, name in [
        (reverse("payroll:run_list"), "year"),
        (reverse("enterprises:business_list"), "started_year"),
        (reverse("wellbeing:income_list", args=[family.pk]), "year"),
    ]:
        response = client.get(f"{url}?{name}={year}")
        assert response.status_code == 200, url
        assert "Enter a year between 1900 and 2100." in response.text, url


@pytest.mark.parametrize(
    "query",
    ["start=0001-01-01&end=0001-01-31", "start=0001-01-01&end=2024-12-31",
     "start=2024-01-01&end=9999-12-31"],
)  # fmt: skip
def test_a_report_period_out_of_range_is_answered_with_a_message(client_for, personas, query):
    response = client_for(personas.director).get(reverse("reports:programme") + "?" + query)
    assert response.status_code == 200
    assert "Enter a date between the years 1900 and 2100." in response.text


def test_a_stale_timesheet_with_a_typo_is_refused_with_a_message(client_for, personas, rules):
    enterprise = SocialEnterpriseFactory(managers=[personas.manager])
    hire(enterprise, rate="3000000")
    run = payroll_services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    opened = run.timesheet.get()  # the page was opened with this one line
    hire(enterprise, rate="2000000")
    payroll_services.payroll_run_generate(enterprise=enterprise, month=MARCH)  # redrafted
    assert run.timesheet.count() == 2
    before = list(run.payslips.order_by("id").values_list("gross", flat=True))
    response = client_for(personas.manager).post(
        f"/payroll/runs/{run.pk}/",
        {
            "ts-TOTAL_FORMS": "1",
            "ts-INITIAL_FORMS": "1",
            "ts-0-line": opened.pk,
            "ts-0-days_worked": "2o",  # the typo
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The timesheet changed since you opened it" in response.text
    assert list(run.payslips.order_by("id").values_list("gross", flat=True)) == before
    days = opened.days_worked  # the month's working days by default
    opened.refresh_from_db()
    assert opened.days_worked == days and days > D(2)
    # The same typo on a current timesheet is a field error, as before.
    lines = list(
        PayrollRun.objects.get(pk=run.pk)
        .timesheet.order_by("employment__person__full_name", "id")
        .values_list("pk", flat=True)
    )
    data = {"ts-TOTAL_FORMS": "2", "ts-INITIAL_FORMS": "2", "ts-0-days_worked": "2o"}
    data.update({f"ts-{index}-line": pk for index, pk in enumerate(lines)})
    response = client_for(personas.manager).post(f"/payroll/runs/{run.pk}/", data)
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["days_worked"]
