"""The cohort's grading page: every learner's final score and outcome on one form, after the
cohort's last session; all or nothing, with each refusal on its row; a fixed number of
queries whatever the cohort's size."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.training.factories import CohortFactory, CourseFactory, EnrolmentFactory
from training import services
from training.choices import AttendanceStatus, GradeDecision
from training.models import Attendance, Enrolment, Qualification, Session
from training.services import GradeRow

pytestmark = pytest.mark.django_db

C, N, L = GradeDecision.COMPLETE, GradeDecision.NOT_COMPLETE, GradeDecision.LATER


def today():
    return timezone.localdate()


def make_cohort(trainer, *, end_in=0, learners=3, present=(5, 5, 3), planned=5, held=5):
    """A cohort ending `end_in` days from today with `planned` sessions, `held` of them taken;
    learner n came to `present[n]` of them."""
    cohort = CohortFactory(
        trainer=trainer,
        start_date=today() - datetime.timedelta(days=20),
        end_date=today() + datetime.timedelta(days=end_in),
        course=CourseFactory(hours=15, pass_mark=60),
    )
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            date=cohort.start_date + datetime.timedelta(days=n),
            recorded_at=timezone.now() if n < held else None,
        )
        for n in range(planned)
    )
    enrolments = []
    for index in range(learners):
        enrolment = EnrolmentFactory(cohort=cohort, person__full_name=f"Learner {index:02}")
        came = present[index % len(present)]
        Attendance.objects.bulk_create(
            Attendance(
                enrolment=enrolment,
                session=session,
                status=AttendanceStatus.PRESENT if n < came else AttendanceStatus.ABSENT,
            )
            for n, session in enumerate(sessions[:held])
        )
        enrolments.append(enrolment)
    return cohort, enrolments


def post_data(enrolments, rows, assessed_on=None):
    data = {"assessed_on": (assessed_on or today()).isoformat()}
    for enrolment, (score, decision) in zip(enrolments, rows, strict=True):
        data[f"score_{enrolment.pk}"] = "" if score is None else score
        data[f"decision_{enrolment.pk}"] = decision
    return data


def statuses(enrolments):
    return [Enrolment.objects.get(pk=e.pk).status for e in enrolments]


# The service --------------------------------------------------------------------------------


def test_the_whole_cohort_is_graded_and_completed_at_once(personas):
    cohort, (first, second, third) = make_cohort(personas.trainer)
    issued = services.cohort_grade(
        cohort=cohort,
        rows={
            first.pk: GradeRow(92, C),
            second.pk: GradeRow(None, L),  # not assessed yet
            third.pk: GradeRow(75, N),  # 3 of 5 sessions: 60%, below 80%
        },
        assessed_on=today(),
        by=personas.trainer,
    )
    assert [q.enrolment_id for q in issued] == [first.pk]
    assert issued[0].grade == "excellent" and issued[0].issued_by == personas.trainer
    assert statuses([first, second, third]) == ["completed", "enrolled", "failed"]
    third.refresh_from_db()
    assert "Attended 3 of 5 sessions" in third.status_reason and third.final_score == 75


def test_grading_before_the_sessions_are_over_is_refused(personas):
    cohort, (first, *_rest) = make_cohort(personas.trainer, end_in=0, planned=6, held=5)
    with pytest.raises(ValidationError, match="sessions are not over"):
        services.cohort_grade(
            cohort=cohort, rows={first.pk: GradeRow(90, C)}, assessed_on=today(), by=None
        )
    cohort, (first, *_rest) = make_cohort(personas.trainer, end_in=3)  # all held, ends later
    with pytest.raises(ValidationError, match="sessions are not over"):
        services.cohort_grade(
            cohort=cohort, rows={first.pk: GradeRow(90, C)}, assessed_on=today(), by=None
        )
    assert not Qualification.objects.exists()
    assert Enrolment.objects.filter(final_score__isnull=False).count() == 0


def test_one_refused_row_refuses_the_whole_save(personas):
    cohort, (first, second, third) = make_cohort(personas.trainer)
    with pytest.raises(ValidationError) as refused:
        services.cohort_grade(
            cohort=cohort,
            rows={
                first.pk: GradeRow(92, C),
                second.pk: GradeRow(40, C),  # below the pass mark
                third.pk: GradeRow(90, C),  # attendance below the bar
            },
            assessed_on=today(),
            by=None,
        )
    errors = refused.value.message_dict
    assert set(errors) == {f"decision_{second.pk}", f"decision_{third.pk}"}
    assert "below the pass mark 60" in errors[f"decision_{second.pk}"][0]
    assert "Attended 3 of 5" in errors[f"decision_{third.pk}"][0]
    assert statuses([first, second, third]) == ["enrolled"] * 3
    assert not Qualification.objects.exists()
    assert not Enrolment.objects.filter(final_score__isnull=False).exists()


def test_not_completing_someone_who_meets_the_rule_is_refused(personas):
    cohort, (first, *_rest) = make_cohort(personas.trainer)
    with pytest.raises(ValidationError, match="Meets the course's rule"):
        services.cohort_grade(
            cohort=cohort, rows={first.pk: GradeRow(80, N)}, assessed_on=today(), by=None
        )


def test_a_learner_of_another_cohort_is_refused(personas):
    cohort, _enrolments = make_cohort(personas.trainer)
    stranger = EnrolmentFactory()
    with pytest.raises(ValidationError, match="no longer open"):
        services.cohort_grade(
            cohort=cohort, rows={stranger.pk: GradeRow(80, C)}, assessed_on=today(), by=None
        )


# The page -------------------------------------------------------------------------------------


def test_the_trainer_grades_the_cohort_on_one_page(client_for, personas):
    cohort, enrolments = make_cohort(personas.trainer)
    client = client_for(personas.trainer)
    detail = client.get(reverse("training:cohort_detail", args=[cohort.pk])).content.decode()
    url = reverse("training:cohort_grade", args=[cohort.pk])
    assert f'href="{url}"' in detail
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.context["form"].rows) == 3
    response = client.post(url, post_data(enrolments, [(92, C), (None, L), (75, N)]), follow=True)
    assert "Grades saved: 1 certificate issued." in response.content.decode()
    assert statuses(enrolments) == ["completed", "enrolled", "failed"]
    # What is decided leaves the form; the learner still to assess stays on it.
    again = client.get(url)
    assert [e.pk for e, *_fields in again.context["form"].rows] == [enrolments[1].pk]


def test_the_page_shows_each_refusal_on_its_row_and_saves_nothing(client_for, personas):
    cohort, enrolments = make_cohort(personas.trainer)
    url = reverse("training:cohort_grade", args=[cohort.pk])
    client = client_for(personas.trainer)
    response = client.post(url, post_data(enrolments, [(92, C), (40, C), (90, C)]))
    assert response.status_code == 200
    form = response.context["form"]
    assert "below the pass mark 60" in form.errors[f"decision_{enrolments[1].pk}"][0]
    assert "Attended 3 of 5" in form.errors[f"decision_{enrolments[2].pk}"][0]
    assert f"decision_{enrolments[0].pk}" not in form.errors
    html = response.content.decode()
    row = html.split(f'id="grade-row-{enrolments[1].pk}"', 1)[1].split("</tr>", 1)[0]
    assert "below the pass mark 60" in row
    assert "Nothing was saved" in html
    assert statuses(enrolments) == ["enrolled"] * 3
    assert not Qualification.objects.exists()
    # A score out of 100 is the form's own refusal, on its row.
    response = client.post(url, post_data(enrolments, [(92, C), (101, L), (None, L)]))
    assert f"score_{enrolments[1].pk}" in response.context["form"].errors
    assert statuses(enrolments) == ["enrolled"] * 3


def test_the_page_before_the_last_session_offers_no_form_and_refuses_a_post(client_for, personas):
    cohort, enrolments = make_cohort(personas.trainer, end_in=5)
    client = client_for(personas.trainer)
    url = reverse("training:cohort_grade", args=[cohort.pk])
    page = client.get(url)
    assert 'id="not-over"' in page.content.decode()
    assert 'name="decision_' not in page.content.decode()
    detail = client.get(reverse("training:cohort_detail", args=[cohort.pk])).content.decode()
    assert f'href="{url}"' not in detail
    response = client.post(url, post_data(enrolments, [(92, C), (92, C), (92, C)]))
    assert response.status_code == 200
    assert "sessions are not over" in response.content.decode()
    assert not Qualification.objects.exists()


def test_grading_page_access(client_for, personas, world):
    cohort, enrolments = make_cohort(world.other_trainer)
    url = reverse("training:cohort_grade", args=[cohort.pk])
    assert client_for(personas.trainer).get(url).status_code == 404
    assert (
        client_for(personas.trainer).post(url, post_data(enrolments, [(90, C)] * 3)).status_code
        == 404
    )
    assert client_for(personas.caseworker).get(url).status_code == 403
    assert client_for(personas.auditor).get(url).status_code == 403
    assert client_for(personas.director).get(url).status_code == 200
    assert not Qualification.objects.filter(enrolment__cohort=cohort).exists()


@pytest.mark.parametrize("learners", [2, 12])
def test_grading_queries_do_not_grow(client_for, personas, django_assert_num_queries, learners):
    cohort, enrolments = make_cohort(personas.trainer, learners=learners, present=(5, 4))
    client = client_for(personas.trainer)
    url = reverse("training:cohort_grade", args=[cohort.pk])
    client.get(url)
    # frame (3) + cohort (1) + learners with attendance (1) + sessions held/remaining (1)
    with django_assert_num_queries(6):
        client.get(url)
    data = post_data(enrolments, [(85, C)] * learners)
    # frame (3) + cohort (1) + learners (1); the view's and the service's savepoints and their
    # releases (4), cohort locked (1), session counts (1), open learners (1), their one UPDATE
    # and its history (2), certificates and their history in a savepoint of their own (4):
    # the same for 2 learners or 12.
    with django_assert_num_queries(18):
        response = client.post(url, data)
    assert response.status_code == 302
    assert Qualification.objects.count() == learners
