"""Training on the family timeline, and the trainer's panel on the home page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.timeline import timeline_for
from tests.factories import UserFactory
from tests.training.factories import (
    AttendanceFactory,
    CohortFactory,
    EnrolmentFactory,
    SessionFactory,
)
from training.timeline import training_timeline as own_source

pytestmark = pytest.mark.django_db


def test_the_family_timeline_shows_enrolments_completions_and_certificates(personas, world):
    entries = timeline_for(world.sam_family, personas.caseworker)
    titles = [entry.title for entry in entries]
    assert any("Karimova Dilnoza enrolled in" in title for title in titles)
    assert any("Karimov Jasur enrolled in" in title for title in titles)
    assert any("Rahimova Nilufar completed" in title for title in titles)
    assert any(f"Certificate {world.qualification.number} issued" in title for title in titles)
    assert all(entry.kind == "Training" for entry in entries)
    assert [entry.day for entry in entries] == sorted(
        (entry.day for entry in entries), reverse=True
    )


def test_the_timeline_respects_scope(personas, world):
    assert timeline_for(world.sam_family, personas.caseworker_tashkent) == []
    # The other trainer reaches only Karimov Jasur, who studies in their cohort.
    titles = [entry.title for entry in timeline_for(world.sam_family, world.other_trainer)]
    assert len(titles) == 1 and "Karimov Jasur" in titles[0]


def test_the_timeline_costs_the_same_for_a_long_history(personas, world, django_assert_num_queries):
    user = personas.director
    timeline_for(world.sam_family, user)
    with django_assert_num_queries(1):
        timeline_for(world.sam_family, user)
    for _index in range(5):
        EnrolmentFactory(person=world.learner)
    with django_assert_num_queries(1):
        assert len(timeline_for(world.sam_family, user)) == 10


def test_the_trainer_dashboard(client_for, personas, world):
    today = timezone.localdate()
    session_today = SessionFactory(cohort=world.mine, date=today)
    weak = EnrolmentFactory(cohort=world.mine, person__full_name="Yusupova Lola")
    for days in (3, 2, 1):
        held = SessionFactory(
            cohort=world.mine,
            date=today - datetime.timedelta(days=days),
            recorded_at=timezone.now(),
        )
        AttendanceFactory(enrolment=world.mine_enrolment, session=held, status="present")
        AttendanceFactory(enrolment=weak, session=held, status="absent" if days != 1 else "present")
    response = client_for(personas.trainer).get(reverse("reports:home"))
    page = response.content.decode()
    panel = next(panel for panel in response.context["panels"] if panel["title"] == "My training")
    assert panel["cohorts"] == [world.mine]  # the finished cohort is not current
    assert panel["cohorts"][0].attendance_rate == 67  # 4 present of 6 marks
    assert panel["sessions"] == [session_today]
    assert [e.person.full_name for e in panel["at_risk"]] == ["Yusupova Lola"]
    assert reverse("training:session_register", args=[session_today.pk]) in page
    assert "33%" in page


def test_a_trainer_without_current_cohorts_sees_an_empty_state(client_for, world):
    page = client_for(world.other_trainer).get(reverse("reports:home")).content.decode()
    assert "My training" in page
    assert "You have no current cohorts." not in page  # they teach world.theirs
    newcomer = UserFactory(username="new_trainer", role=Role.TRAINER)
    page = client_for(newcomer).get(reverse("reports:home")).content.decode()
    assert "You have no current cohorts." in page


def test_the_home_page_queries_for_a_trainer_do_not_grow(
    client_for, personas, world, django_assert_num_queries
):
    client = client_for(personas.trainer)
    client.get("/")
    # frame: session, user, roles and permissions (3) + cohorts (1) + today's sessions (1)
    # + at risk (1) + cohorts to grade (1)
    with django_assert_num_queries(7):
        client.get("/")
    for _index in range(5):
        EnrolmentFactory(cohort=world.mine)
        EnrolmentFactory(cohort=world.qualification.enrolment.cohort)
    with django_assert_num_queries(7):
        client.get("/")


@pytest.fixture(autouse=True)
def _own_timeline_source_only(only_timeline_sources):
    only_timeline_sources(own_source)


def test_the_trainer_is_shown_the_cohorts_to_grade(client_for, personas, world):
    """An ended cohort with learners still open is due for grading; a cohort on its last day
    is due once every register is taken; a fully graded one is not."""
    today = timezone.localdate()
    ended = world.qualification.enrolment.cohort  # ended 100 days ago, one learner completed
    EnrolmentFactory(cohort=ended, person__full_name="Open Learner")
    last_day = CohortFactory(
        trainer=personas.trainer, start_date=today - datetime.timedelta(days=9), end_date=today
    )
    EnrolmentFactory(cohort=last_day)
    untaken = SessionFactory(cohort=last_day, date=today)
    client = client_for(personas.trainer)
    response = client.get(reverse("reports:home"))
    panel = next(panel for panel in response.context["panels"] if panel["title"] == "My training")
    assert panel["to_grade"] == [ended]
    assert panel["to_grade"][0].open_count == 1
    assert reverse("training:cohort_grade", args=[ended.pk]) in response.content.decode()
    untaken.recorded_at = timezone.now()
    untaken.save()
    response = client.get(reverse("reports:home"))
    panel = next(panel for panel in response.context["panels"] if panel["title"] == "My training")
    assert panel["to_grade"] == [ended, last_day]
