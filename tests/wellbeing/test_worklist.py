"""The caseworker's week (beneficiaries.worklist): each kind of work is listed when due or
overdue and leaves when done; the page is scoped, sorted, and costs the same queries
whatever the data; the daily digest mails each caseworker with work their list."""

import datetime
import io

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from accounts.roles import Role
from beneficiaries.choices import ConsentPurpose, ConsentStatus, ExitReason, FamilyStatus
from beneficiaries.models import DevelopmentPlan, Family
from beneficiaries.services import consent_record
from beneficiaries.worklist import worklist
from common.months import shift_months
from enterprises import services as enterprise_services
from enterprises.choices import PlacementStage
from tests.factories import UserFactory, branch
from tests.wellbeing.factories import household, record_levels
from wellbeing.scores import family_scores_recompute

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()
URL = reverse("beneficiaries:worklist")


def days(n):
    return TODAY + datetime.timedelta(days=n)


def assessed(caseworker, code="SAM", days_ago=30):
    family = household(2, branch=branch(code), caseworker=caseworker, intake_date=D(2020, 1, 1))
    record_levels(family, days(-days_ago), {}, kind="intake")
    return family


def kinds(families=None):
    families = families if families is not None else Family.objects.all()
    return [(item.family.pk, str(item.kind), item.due_on) for item in worklist(families, TODAY)]


def place(person, start):
    return enterprise_services.placement_record(
        person=person,
        stage=PlacementStage.PLACED,
        start_date=start,
        end_date=None,
        employer_name="Agromash LLC",
        employer_inn="",
        position="Packer",
        monthly_wage=2_500_000,
        contract="formal",
        working_time="full",
        verification="payslip",
        recorded_by=None,
    )


def give(person, *, decided_on=None, **fields):
    return consent_record(
        person=person,
        purpose=ConsentPurpose.PROCESSING,
        status=ConsentStatus.GIVEN,
        decided_on=decided_on or D(2025, 1, 10),
        paper_reference="SAM-2025-0001/1",
        recorded_by=None,
        **fields,
    )


# Each kind ---------------------------------------------------------------------------------


def test_an_assessment_is_listed_from_its_due_window_until_it_is_done(personas):
    recent = assessed(personas.caseworker, days_ago=30)
    soon = assessed(personas.caseworker, days_ago=170)
    late = assessed(personas.caseworker, days_ago=250)
    listed = {pk: (kind, due) for pk, kind, due in kinds()}
    assert recent.pk not in listed
    assert listed[soon.pk] == ("Assessment", soon.score.next_due)
    assert TODAY <= soon.score.next_due <= days(14)
    assert listed[late.pk] == ("Assessment", late.score.next_due)
    assert late.score.next_due < TODAY
    record_levels(late, TODAY, {}, kind="six_monthly")
    family_scores_recompute(family_ids=[late.pk])
    assert late.pk not in {pk for pk, _kind, _due in kinds()}


def test_a_plan_review_is_listed_when_due_and_leaves_when_moved_on(personas):
    family = assessed(personas.caseworker)
    plan = DevelopmentPlan.objects.create(family=family, next_review=days(10))
    DevelopmentPlan.objects.create(family=assessed(personas.caseworker), next_review=days(15))
    assert kinds() == [(family.pk, "Plan review", days(10))]
    plan.next_review = days(180)
    plan.save()
    assert kinds() == []


def test_a_follow_up_after_exit_is_listed_when_due(personas):
    followed = household(
        2,
        branch=branch("SAM"),
        caseworker=personas.caseworker,
        intake_date=D(2020, 1, 1),
        status=FamilyStatus.EXITED,
        exit_reason=ExitReason.WELL_BEING_RESTORED,
        exit_date=shift_months(TODAY, -8),
    )
    record_levels(followed, shift_months(TODAY, -8), {}, kind="exit")
    family_scores_recompute(family_ids=[followed.pk])
    followed.refresh_from_db()
    assert kinds() == [(followed.pk, "Follow-up after exit", followed.score.next_due)]
    record_levels(followed, TODAY, {}, kind="follow_up")
    family_scores_recompute(family_ids=[followed.pk])
    assert followed.pk not in {pk for pk, _kind, _due in kinds()}


def test_a_retention_check_is_listed_when_due_and_leaves_when_answered(personas):
    family = assessed(personas.caseworker)
    person = family.members.first()
    placement = place(person, shift_months(TODAY, -3) - datetime.timedelta(days=2))
    three = placement.retention_checks.get(months_after=3)
    assert kinds() == [(family.pk, "Retention check, 3 months", three.due_on)]
    enterprise_services.retention_check_record(
        check=three, checked_on=TODAY, still_employed=True, wage_now=2_500_000, checked_by=None
    )
    assert kinds() == []
    # Within the window: listed before its day.
    other = assessed(personas.caseworker)
    soon = place(other.members.first(), shift_months(days(10), -3))
    assert kinds() == [
        (other.pk, "Retention check, 3 months", soon.retention_checks.first().due_on)
    ]


def test_a_consent_running_out_is_listed_and_leaves_when_renewed(personas):
    family = assessed(personas.caseworker)
    mother = family.members.first()
    expired_family = assessed(personas.caseworker)
    give(mother, expires_on=days(7))
    give(expired_family.members.first(), decided_on=days(-400), expires_on=days(-3))
    give(assessed(personas.caseworker).members.first(), expires_on=days(40))
    assert kinds() == [
        (expired_family.pk, "Consent expires: Data processing", days(-3)),
        (family.pk, "Consent expires: Data processing", days(7)),
    ]
    give(mother, decided_on=TODAY, expires_on=days(365))
    assert [pk for pk, _kind, _due in kinds()] == [expired_family.pk]


# The page ----------------------------------------------------------------------------------


def some_work(caseworker, code="SAM", n=1):
    """n families of the caseworker, each with a plan review, a retention check and a
    consent due."""
    for index in range(n):
        family = assessed(caseworker, code=code)
        DevelopmentPlan.objects.create(family=family, next_review=days(5 + index))
        member = family.members.first()
        place(member, shift_months(TODAY, -3) - datetime.timedelta(days=1 + index))
        give(member, expires_on=days(3 + index))


def rows(response):
    assert response.status_code == 200
    return [(item.family.pk, str(item.kind)) for item, _name in response.context["rows"]]


def test_the_caseworker_sees_their_own_families_sorted_by_date_with_links(personas, client_for):
    mine = assessed(personas.caseworker)
    DevelopmentPlan.objects.create(family=mine, next_review=days(9))
    give(mine.members.first(), expires_on=days(2))
    place(mine.members.first(), shift_months(TODAY, -3) - datetime.timedelta(days=4))
    colleague = UserFactory(username="colleague", role=Role.CASEWORKER, branches=[branch("SAM")])
    theirs = assessed(colleague)
    DevelopmentPlan.objects.create(family=theirs, next_review=days(1))
    elsewhere = assessed(personas.caseworker_tashkent, code="TAS")
    DevelopmentPlan.objects.create(family=elsewhere, next_review=days(1))

    response = client_for(personas.caseworker).get(URL)
    assert rows(response) == [
        (mine.pk, "Retention check, 3 months"),
        (mine.pk, "Consent expires: Data processing"),
        (mine.pk, "Plan review"),
    ]
    page = response.content.decode()
    assert reverse("beneficiaries:family_plan", args=[mine.pk]) in page
    assert reverse("beneficiaries:family_consent_create", args=[mine.pk]) in page
    check = mine.members.first().job_placements.get().retention_checks.get(months_after=3)
    assert reverse("enterprises:retention_check", args=[check.pk]) in page
    assert "overdue" in page  # the retention check is past its day
    assert 'name="caseworker"' not in page  # no filter: their own list


def test_the_programme_manager_sees_all_and_filters_by_caseworker(personas, client_for):
    some_work(personas.caseworker)
    some_work(personas.caseworker_tashkent, code="TAS")
    client = client_for(personas.director)
    everyone = rows(client.get(URL))
    assert len(everyone) == 6
    only = rows(client.get(URL, {"caseworker": personas.caseworker_tashkent.username}))
    assert len(only) == 3
    assert {pk for pk, _kind in only} == set(
        Family.objects.filter(caseworker=personas.caseworker_tashkent).values_list("pk", flat=True)
    )
    names = {name for _item, name in client.get(URL).context["rows"]}
    assert names == {
        personas.caseworker.get_full_name() or personas.caseworker.username,
        personas.caseworker_tashkent.get_full_name() or personas.caseworker_tashkent.username,
    }


@pytest.mark.parametrize("who", ["trainer", "manager", "auditor", "outsider"])
def test_other_roles_are_refused(personas, client_for, who):
    assert client_for(getattr(personas, who)).get(URL).status_code == 403


def test_the_empty_state(personas, client_for):
    assessed(personas.caseworker)  # assessed a month ago: nothing due
    response = client_for(personas.caseworker).get(URL)
    assert rows(response) == []
    assert "Nothing is due or overdue" in response.content.decode()


@pytest.mark.parametrize("who", ["caseworker", "director"])
def test_the_page_costs_the_same_queries_whatever_the_data(personas, client_for, who):
    client = client_for(getattr(personas, who))
    some_work(personas.caseworker, n=1)
    client.get(URL)  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert len(rows(client.get(URL))) == 3
    some_work(personas.caseworker, n=4)
    with CaptureQueriesContext(connection) as many:
        assert len(rows(client.get(URL))) == 15
    assert len(many) == len(few)
    # Eleven whether the list has 3 lines or 15 (the session, the user's roles and the menu;
    # the rule, one query per source, the enterprises' two: retention checks and loan
    # instalments; the core's referral answers; the manager's caseworker names).
    assert len(few) == 11, [query["sql"] for query in few.captured_queries]


def test_the_home_page_links_the_worklist(personas, client_for):
    page = client_for(personas.caseworker).get(reverse("reports:home")).content.decode()
    assert URL in page
    page = client_for(personas.director).get(reverse("reports:home")).content.decode()
    assert URL in page
    page = client_for(personas.auditor).get(reverse("reports:home")).content.decode()
    assert URL not in page


# The daily digest --------------------------------------------------------------------------


@pytest.fixture
def locmem(settings):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    settings.SITE_URL = "https://mustaqil.example"


def test_the_digest_mails_each_caseworker_with_work_and_nobody_else(personas, locmem):
    personas.caseworker.email = "sam@example.org"
    personas.caseworker.save()
    personas.caseworker_tashkent.email = "tas@example.org"
    personas.caseworker_tashkent.save()
    idle = UserFactory(username="idle", role=Role.CASEWORKER, branches=[branch("SAM")])
    idle.email = "idle@example.org"
    idle.save()
    assessed(idle)  # nothing due
    no_address = UserFactory(username="nomail", role=Role.CASEWORKER, branches=[branch("SAM")])
    no_address.email = ""
    no_address.save()
    some_work(no_address)
    some_work(personas.caseworker, n=2)
    some_work(personas.caseworker_tashkent, code="TAS")

    out = io.StringIO()
    call_command("send_worklist_digest", stdout=out)

    assert "sent: 2" in out.getvalue()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "sam@example.org",
        "tas@example.org",
    ]
    sam = next(message for message in mail.outbox if message.to == ["sam@example.org"])
    assert sam.subject == "Your worklist: 6 items"
    family = Family.objects.filter(caseworker=personas.caseworker).first()
    assert f"https://mustaqil.example{reverse('beneficiaries:family_plan', args=[family.pk])}" in (
        sam.body
    )
    assert "https://mustaqil.example/worklist/" in sam.body
    assert "(overdue)" in sam.body  # the retention checks are past their day
    tas = next(message for message in mail.outbox if message.to == ["tas@example.org"])
    assert family.case_number not in tas.body


def test_no_work_no_mail(personas, locmem):
    personas.caseworker.email = "sam@example.org"
    personas.caseworker.save()
    assessed(personas.caseworker)
    call_command("send_worklist_digest", stdout=io.StringIO())
    assert mail.outbox == []


def test_the_lines_are_translated(personas):
    family = assessed(personas.caseworker)
    place(family.members.first(), shift_months(TODAY, -6) - datetime.timedelta(days=1))
    with translation.override("ru"):
        assert [kind for _pk, kind, _due in kinds()] == [
            "Проверка сохранения работы, 3 месяца",
            "Проверка сохранения работы, 6 месяцев",
        ]
    with translation.override("uz"):
        assert [kind for _pk, kind, _due in kinds()][1] == "Ishda qolganlik tekshiruvi, 6 oy"


def test_the_workers_morning_job_sends_the_digest_once_a_day(personas, locmem):
    from common.schedule import run_job

    personas.caseworker.email = "sam@example.org"
    personas.caseworker.save()
    some_work(personas.caseworker)
    today = timezone.localdate()
    assert run_job("morning", today) == {"send_worklist_digest": "1"}
    assert run_job("morning", today) == {}  # a second worker the same morning mails nobody
    assert [message.to for message in mail.outbox] == [["sam@example.org"]]
