"""Who sees what in training: each page for an allowed persona, a forbidden role (403) and
a record out of scope (404); and the query counts of the lists and detail pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from beneficiaries.models import Person
from tests.factories import PersonFactory
from tests.training.factories import CohortFactory, EnrolmentFactory, SessionFactory
from training.models import Attendance, Cohort, Course, Enrolment, Qualification

pytestmark = pytest.mark.django_db


def get(client_for, user, url_name, *args, **params):
    return client_for(user).get(reverse(url_name, args=args), params)


# The cohort list: the training home ---------------------------------------------------


def test_a_trainer_sees_only_their_cohorts(client_for, personas, world):
    response = get(client_for, personas.trainer, "training:cohort_list")
    assert response.status_code == 200
    shown = {row.record for row in response.context["table"].page.object_list}
    assert shown == {world.mine, world.qualification.enrolment.cohort}


def test_a_caseworker_sees_their_branch_and_where_their_families_study(client_for, personas, world):
    response = get(client_for, personas.caseworker, "training:cohort_list")
    shown = {row.record for row in response.context["table"].page.object_list}
    # world.theirs is in Tashkent, but a Samarkand family's member studies there.
    assert shown == {world.mine, world.theirs, world.qualification.enrolment.cohort}
    response = get(client_for, personas.caseworker_tashkent, "training:cohort_list")
    shown = {row.record for row in response.context["table"].page.object_list}
    assert shown == {world.theirs}


@pytest.mark.parametrize("persona", ["director", "auditor"])
def test_programme_wide_roles_see_every_cohort(client_for, personas, world, persona):
    response = get(client_for, getattr(personas, persona), "training:cohort_list")
    assert response.context["table"].page.paginator.count == 3


@pytest.mark.parametrize("persona", ["manager", "outsider"])
def test_roles_without_training_get_403(client_for, personas, world, persona):
    assert get(client_for, getattr(personas, persona), "training:cohort_list").status_code == 403
    assert (
        get(
            client_for, getattr(personas, persona), "training:cohort_detail", world.mine.pk
        ).status_code
        == 403
    )


def test_visitors_are_sent_to_sign_in(client, world):
    response = client.get(reverse("training:cohort_list"))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_menu_shows_training(client_for, personas):
    page = get(client_for, personas.trainer, "reports:home").content.decode()
    assert f'href="{reverse("training:cohort_list")}"' in page
    page = get(client_for, personas.manager, "reports:home").content.decode()
    assert f'href="{reverse("training:cohort_list")}"' not in page


def test_export_needs_the_personal_data_permission(client_for, personas, world):
    response = get(client_for, personas.caseworker, "training:cohort_list", _export="csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert (
        get(client_for, personas.auditor, "training:cohort_list", _export="csv").status_code == 403
    )


# Cohort page ---------------------------------------------------------------------------


def test_cohort_page_for_its_trainer(client_for, personas, world):
    response = get(client_for, personas.trainer, "training:cohort_detail", world.mine.pk)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Karimova Dilnoza" in page
    assert "+998 90 111 22 33" in page
    # Name and contact only: no PINFL, birth date or case number for a trainer.
    assert "12345678901234" not in page
    assert "02.04.1988" not in page
    assert world.sam_family.case_number not in page
    assert "enrol_form" not in response.context  # trainers do not enrol people


def test_another_trainers_cohort_is_404(client_for, personas, world):
    assert (
        get(client_for, personas.trainer, "training:cohort_detail", world.theirs.pk).status_code
        == 404
    )


def test_a_caseworker_sees_only_their_families_in_another_branchs_cohort(
    client_for, personas, world
):
    response = get(client_for, personas.caseworker, "training:cohort_detail", world.theirs.pk)
    assert response.status_code == 200
    assert [e.person.full_name for e in response.context["enrolments"]] == ["Karimov Jasur"]
    # The outcome figures count the whole cohort.
    assert response.context["outcomes"]["enrolled"] == 2


def test_cohort_outside_the_caseworkers_reach_is_404(client_for, personas, world):
    assert (
        get(
            client_for, personas.caseworker_tashkent, "training:cohort_detail", world.mine.pk
        ).status_code
        == 404
    )


def test_the_auditor_reads_but_cannot_act(client_for, personas, world):
    response = get(client_for, personas.auditor, "training:cohort_detail", world.mine.pk)
    assert response.status_code == 200
    assert "enrol_form" not in response.context and "session_form" not in response.context
    client = client_for(personas.auditor)
    url = reverse("training:session_create", args=[world.mine.pk])
    assert client.post(url, {"date": world.mine.start_date}).status_code == 403


def test_cohort_outcomes(client_for, personas, world):
    EnrolmentFactory(
        cohort=world.mine,
        status="dropped_out",
        ended_on=world.mine.start_date,
        status_reason="Moved",
    )
    EnrolmentFactory(cohort=world.mine, status="completed", ended_on=world.mine.start_date)
    EnrolmentFactory(cohort=world.mine, status="completed", ended_on=world.mine.start_date)
    outcomes = get(client_for, personas.director, "training:cohort_detail", world.mine.pk).context[
        "outcomes"
    ]
    assert outcomes == {
        "enrolled": 4, "in_progress": 1, "completed": 2, "dropped_out": 1, "failed": 0,
        "completion_rate": 67,
    }  # fmt: skip


def test_course_page_shows_outcomes_over_its_cohorts(client_for, personas, world):
    course = world.qualification.enrolment.cohort.course
    response = get(client_for, personas.caseworker, "training:course_detail", course.pk)
    assert response.status_code == 200
    assert response.context["outcomes"]["completed"] == 1
    assert response.context["outcomes"]["completion_rate"] == 100
    assert "Employment or a business within six months" in response.content.decode()


# Enrolling -----------------------------------------------------------------------------


def test_a_caseworker_enrols_an_adult_of_their_family(client_for, personas, world):
    person = PersonFactory(family=world.sam_family, full_name="Karimova Malika")
    client = client_for(personas.caseworker)
    response = client.post(
        reverse("training:cohort_enrol", args=[world.mine.pk]), {"person": person.pk}
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.get(person=person)
    assert enrolment.cohort == world.mine
    assert enrolment.enrolled_by == personas.caseworker


def test_a_caseworker_cannot_enrol_another_branchs_family(client_for, personas, world):
    stranger = PersonFactory(family=world.tas_family)
    client = client_for(personas.caseworker)
    client.post(reverse("training:cohort_enrol", args=[world.mine.pk]), {"person": stranger.pk})
    assert not Enrolment.objects.filter(person=stranger).exists()


def test_a_trainer_cannot_enrol(client_for, personas, world):
    person = PersonFactory(family=world.sam_family)
    response = client_for(personas.trainer).post(
        reverse("training:cohort_enrol", args=[world.mine.pk]), {"person": person.pk}
    )
    assert response.status_code == 403


def test_a_full_cohort_says_so(client_for, personas, world):
    world.mine.capacity = 1
    world.mine.save()
    person = PersonFactory(family=world.sam_family)
    client = client_for(personas.director)
    response = client.post(
        reverse("training:cohort_enrol", args=[world.mine.pk]), {"person": person.pk}, follow=True
    )
    assert "The cohort is full" in response.content.decode()
    assert not Enrolment.objects.filter(person=person).exists()


# The register --------------------------------------------------------------------------


def test_the_trainer_takes_the_register(client_for, personas, world):
    second = EnrolmentFactory(cohort=world.mine)
    session = SessionFactory(cohort=world.mine, date=timezone.localdate())
    client = client_for(personas.trainer)
    url = reverse("training:session_register", args=[session.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.content.decode().count('type="radio"') == 6
    response = client.post(
        url, {f"e{world.mine_enrolment.pk}": "present", f"e{second.pk}": "absent"}
    )
    assert response.status_code == 302
    assert dict(Attendance.objects.values_list("enrolment_id", "status")) == {
        world.mine_enrolment.pk: "present", second.pk: "absent",
    }  # fmt: skip
    session.refresh_from_db()
    assert session.recorded_by == personas.trainer


def test_the_register_of_another_trainers_session_is_404(client_for, personas, world):
    session = SessionFactory(cohort=world.theirs, date=timezone.localdate())
    url = reverse("training:session_register", args=[session.pk])
    assert client_for(personas.trainer).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["caseworker", "auditor"])
def test_only_trainers_and_managers_take_registers(client_for, personas, world, persona):
    session = SessionFactory(cohort=world.mine, date=timezone.localdate())
    url = reverse("training:session_register", args=[session.pk])
    assert client_for(getattr(personas, persona)).get(url).status_code == 403


def test_a_register_for_a_future_session_is_refused(client_for, personas, world):
    session = SessionFactory(
        cohort=world.mine, date=timezone.localdate() + datetime.timedelta(days=1)
    )
    url = reverse("training:session_register", args=[session.pk])
    response = client_for(personas.trainer).post(url, {f"e{world.mine_enrolment.pk}": "present"})
    assert response.status_code == 200
    assert "still to come" in response.content.decode()
    assert not Attendance.objects.exists()


# Enrolments ----------------------------------------------------------------------------


def test_a_caseworker_lists_their_families_enrolments(client_for, personas, world):
    response = get(client_for, personas.caseworker, "training:enrolment_list")
    shown = {row.record for row in response.context["table"].page.object_list}
    assert shown == {world.mine_enrolment, world.travelling, world.qualification.enrolment}


def test_enrolment_page_scope(client_for, personas, world):
    assert (
        get(
            client_for, personas.trainer, "training:enrolment_detail", world.mine_enrolment.pk
        ).status_code
        == 200
    )
    assert (
        get(
            client_for, personas.trainer, "training:enrolment_detail", world.theirs_enrolment.pk
        ).status_code
        == 404
    )
    assert (
        get(
            client_for, personas.caseworker, "training:enrolment_detail", world.theirs_enrolment.pk
        ).status_code
        == 404
    )
    assert (
        get(
            client_for, personas.manager, "training:enrolment_detail", world.mine_enrolment.pk
        ).status_code
        == 403
    )


def test_the_trainer_records_the_final_assessment(client_for, personas, world):
    client = client_for(personas.trainer)
    url = reverse("training:enrolment_assessment", args=[world.mine_enrolment.pk])
    client.post(url, {"score": 85, "assessed_on": timezone.localdate().isoformat()})
    world.mine_enrolment.refresh_from_db()
    assert world.mine_enrolment.final_score == 85
    assert (
        client_for(personas.caseworker)
        .post(url, {"score": 10, "assessed_on": timezone.localdate().isoformat()})
        .status_code
        == 403
    )


def test_a_drop_out_from_the_enrolment_page(client_for, personas, world):
    url = reverse("training:enrolment_withdraw", args=[world.mine_enrolment.pk])
    client_for(personas.trainer).post(url, {"reason": "Found a job"})
    world.mine_enrolment.refresh_from_db()
    assert world.mine_enrolment.status == "dropped_out"
    assert world.mine_enrolment.status_reason == "Found a job"


def test_revoking_a_certificate_is_for_programme_managers(client_for, personas, world):
    url = reverse("training:certificate_revoke", args=[world.qualification.pk])
    assert client_for(personas.trainer).post(url, {"reason": "error"}).status_code == 403
    client_for(personas.director).post(url, {"reason": "Issued in error"})
    world.qualification.refresh_from_db()
    assert not world.qualification.is_valid


# People reached through cohorts -------------------------------------------------------


def test_a_trainer_reaches_exactly_the_people_in_their_cohorts(personas, world):
    people = set(Person.objects.for_user(personas.trainer))
    assert people == {world.learner, world.qualification.enrolment.person}


def test_qualifications_follow_the_enrolment_scope(personas, world):
    assert list(Qualification.objects.for_user(personas.trainer)) == [world.qualification]
    assert list(Qualification.objects.for_user(world.other_trainer)) == []
    assert list(Qualification.objects.for_user(personas.caseworker_tashkent)) == []


# Query counts --------------------------------------------------------------------------
# Every page: session + user (2), the user's roles (1), the navigation's permissions (2).


def grow(world, cohorts, learners):
    for _index in range(cohorts):
        cohort = CohortFactory(branch=world.mine.branch, trainer=world.mine.trainer)
        for _learner in range(learners):
            EnrolmentFactory(cohort=cohort)


# A page's frame: session, user, the user's roles and permissions (one query:
# accounts.access_facts) and, for a caseworker, their branches (beneficiaries.access); read
# on every request, nothing kept between requests. The first request warms the session.


def test_cohort_list_queries_do_not_grow(client_for, personas, world, django_assert_num_queries):
    client = client_for(personas.caseworker)
    url = reverse("training:cohort_list")
    client.get(url)
    # page frame (4: a caseworker) + count (1) + rows (1) + filter form branches (1)
    with django_assert_num_queries(7):
        client.get(url)
    grow(world, 6, 2)
    with django_assert_num_queries(7):
        response = client.get(url)
    assert response.context["table"].page.paginator.count == 9


def test_cohort_detail_queries_do_not_grow(client_for, personas, world, django_assert_num_queries):
    client = client_for(personas.director)
    url = reverse("training:cohort_detail", args=[world.mine.pk])
    client.get(url)
    # frame (3) + cohort (1) + outcomes (1) + enrolments (1) + sessions (1) + enrol choices (1)
    with django_assert_num_queries(8):
        client.get(url)
    for _index in range(8):
        EnrolmentFactory(cohort=world.mine)
    SessionFactory(cohort=world.mine)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["enrolments"]) == 9


def test_enrolment_list_queries_do_not_grow(client_for, personas, world, django_assert_num_queries):
    client = client_for(personas.director)
    url = reverse("training:enrolment_list")
    client.get(url)
    # frame (3) + count (1) + rows (1) + branch filter choices (1)
    with django_assert_num_queries(6):
        client.get(url)
    grow(world, 3, 4)
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["table"].page.paginator.count == 16


def test_register_queries_do_not_grow(client_for, personas, world, django_assert_num_queries):
    session = SessionFactory(cohort=world.mine, date=timezone.localdate())
    client = client_for(personas.trainer)
    url = reverse("training:session_register", args=[session.pk])
    client.get(url)
    # frame (3) + session (1) + learners (1) + existing marks (1) + the notes apps add
    # beside each learner (training.register_notes): day care's days and places (2)
    with django_assert_num_queries(8):
        client.get(url)
    for _index in range(10):
        EnrolmentFactory(cohort=world.mine)
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["form"].rows) == 11


# Course and cohort forms ---------------------------------------------------------------


def test_the_programme_manager_creates_a_course_and_a_cohort(client_for, personas, samarkand):
    client = client_for(personas.director)
    response = client.post(
        reverse("training:course_create"),
        {
            "trade": "computer", "title": "Computer literacy", "title_ru": "Компьютерная грамотность",
            "title_uz": "Kompyuter savodxonligi", "level": "basic", "hours": 72,
            "provider": "programme", "min_attendance_percent": 80, "pass_mark": 60,
            "final_assessment_required": "on", "is_active": "on",
        },
    )  # fmt: skip
    assert response.status_code == 302
    course = Course.objects.get(title="Computer literacy")
    today = timezone.localdate()
    response = client.post(
        reverse("training:cohort_create"),
        {
            "course": course.pk, "trainer": personas.trainer.pk, "branch": samarkand.pk,
            "location": "Ijtimoiy markaz", "start_date": today.isoformat(),
            "end_date": (today + datetime.timedelta(days=60)).isoformat(), "capacity": 12,
            "session_hours": "2.5",
        },
    )  # fmt: skip
    assert response.status_code == 302
    assert Cohort.objects.get(course=course).trainer == personas.trainer
    assert Cohort.objects.get(course=course).session_hours == Decimal("2.5")


def test_only_trainers_can_be_chosen_as_trainer(client_for, personas, samarkand, world):
    response = client_for(personas.director).post(
        reverse("training:cohort_update", args=[world.mine.pk]),
        {
            "course": world.mine.course.pk, "trainer": personas.caseworker.pk,
            "branch": samarkand.pk, "location": "x", "start_date": world.mine.start_date.isoformat(),
            "end_date": world.mine.end_date.isoformat(), "capacity": 12,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "trainer" in response.context["form"].errors


def test_a_cohort_cannot_end_before_it_starts(client_for, personas, samarkand, world):
    response = client_for(personas.director).post(
        reverse("training:cohort_update", args=[world.mine.pk]),
        {
            "course": world.mine.course.pk, "trainer": personas.trainer.pk,
            "branch": samarkand.pk, "location": "x", "start_date": "2026-05-01",
            "end_date": "2026-04-01", "capacity": 12,
        },
    )  # fmt: skip
    assert response.status_code == 200
    assert "A cohort cannot end before it starts." in response.content.decode()


@pytest.mark.parametrize("persona", ["trainer", "caseworker", "auditor"])
def test_only_programme_managers_edit_courses_and_cohorts(client_for, personas, world, persona):
    client = client_for(getattr(personas, persona))
    assert client.get(reverse("training:course_create")).status_code == 403
    assert client.get(reverse("training:cohort_create")).status_code == 403
    assert (
        client.get(reverse("training:course_update", args=[world.mine.course.pk])).status_code
        == 403
    )


def test_a_trainer_adds_a_session_within_the_cohort_dates(client_for, personas, world):
    client = client_for(personas.trainer)
    url = reverse("training:session_create", args=[world.mine.pk])
    client.post(url, {"date": world.mine.start_date.isoformat(), "topic": "Safety"})
    assert world.mine.sessions.get().topic == "Safety"
    late = world.mine.end_date + datetime.timedelta(days=1)
    response = client.post(url, {"date": late.isoformat()}, follow=True)
    assert "must fall between" in response.content.decode()
    assert world.mine.sessions.count() == 1
    other = reverse("training:session_create", args=[world.theirs.pk])
    assert client.post(other, {"date": world.theirs.start_date.isoformat()}).status_code == 404


def test_course_pages_queries_do_not_grow(client_for, personas, world, django_assert_num_queries):
    client = client_for(personas.director)
    course = world.mine.course
    list_url, detail_url = (
        reverse("training:course_list"),
        reverse("training:course_detail", args=[course.pk]),
    )
    client.get(list_url)
    client.get(detail_url)
    # list: frame (3) + count (1) + rows (1); detail: frame (3) + course + outcomes + cohorts
    with django_assert_num_queries(5):
        client.get(list_url)
    with django_assert_num_queries(6):
        client.get(detail_url)
    for _index in range(4):
        EnrolmentFactory(cohort=CohortFactory(course=course))
    with django_assert_num_queries(5):
        client.get(list_url)
    with django_assert_num_queries(6):
        response = client.get(detail_url)
    assert len(response.context["cohorts"]) == 5


def test_enrolment_detail_queries_do_not_grow(
    client_for, personas, world, django_assert_num_queries
):
    client = client_for(personas.trainer)
    url = reverse("training:enrolment_detail", args=[world.mine_enrolment.pk])
    client.get(url)
    # frame (3) + enrolment with its counts (1) + attendance marks (1) + the cohort's sessions
    # held and remaining (1: whether early completion is offered)
    with django_assert_num_queries(6):
        client.get(url)
    for day in range(5):
        session = SessionFactory(
            cohort=world.mine,
            date=world.mine.start_date + datetime.timedelta(days=day),
            recorded_at=timezone.now(),
        )
        Attendance.objects.create(enrolment=world.mine_enrolment, session=session, status="present")
    with django_assert_num_queries(6):
        response = client.get(url)
    assert response.context["object"].attendance_rate == 100
    assert len(response.context["attendances"]) == 5


# Course pages count what the user can open (issue 19) ---------------------------------------


def test_a_trainer_counts_only_their_own_cohorts_on_course_pages(client_for, personas, world):
    course = world.mine.course
    theirs = CohortFactory(course=course, trainer=world.other_trainer, branch=world.theirs.branch)
    for _index in range(3):
        EnrolmentFactory(cohort=theirs, status="completed", ended_on=theirs.start_date)
    EnrolmentFactory(cohort=theirs, status="dropped_out", ended_on=theirs.start_date)
    EnrolmentFactory(cohort=world.mine, status="completed", ended_on=world.mine.start_date)
    trainer = client_for(personas.trainer)
    outcomes = trainer.get(reverse("training:course_detail", args=[course.pk])).context["outcomes"]
    # world.mine: Karimova Dilnoza (enrolled) and the one completed; not the other trainer's.
    assert (outcomes["enrolled"], outcomes["completed"], outcomes["dropped_out"]) == (2, 1, 0)
    assert outcomes["completion_rate"] == 100
    listed = {
        row.record.pk: (row.record.cohort_count, row.record.completed_count)
        for row in trainer.get(reverse("training:course_list")).context["table"].page.object_list
    }
    assert listed[course.pk] == (1, 1)
    # The programme manager counts every cohort.
    director = client_for(personas.director)
    outcomes = director.get(reverse("training:course_detail", args=[course.pk])).context["outcomes"]
    assert (outcomes["enrolled"], outcomes["completed"], outcomes["dropped_out"]) == (6, 4, 1)
    listed = {
        row.record.pk: (row.record.cohort_count, row.record.completed_count)
        for row in director.get(reverse("training:course_list")).context["table"].page.object_list
    }
    assert listed[course.pk] == (2, 4)


def test_a_caseworker_counts_the_cohorts_they_can_open(client_for, personas, world):
    course = world.theirs.course  # Tashkent; a Samarkand family's member studies there
    hidden = CohortFactory(course=course, branch=world.theirs.branch)
    EnrolmentFactory(cohort=hidden, status="completed", ended_on=hidden.start_date)
    outcomes = (
        client_for(personas.caseworker)
        .get(reverse("training:course_detail", args=[course.pk]))
        .context["outcomes"]
    )
    assert (outcomes["enrolled"], outcomes["completed"]) == (2, 0)  # world.theirs only
    outcomes = (
        client_for(personas.caseworker_tashkent)
        .get(reverse("training:course_detail", args=[course.pk]))
        .context["outcomes"]
    )
    assert (outcomes["enrolled"], outcomes["completed"]) == (3, 1)
