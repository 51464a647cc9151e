"""Day care: who sees which centre, the day's register (all or nothing, within capacity),
the figures against a recount, and what caseworkers and trainers see of it."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from daycare import figures
from daycare.choices import CareReason
from daycare.models import DayCareAttendance, DayCareCapacity, DayCarePlace
from daycare.selectors import capacity_on
from daycare.services import Mark, register_record
from tests.daycare.conftest import DAY, place
from tests.factories import ChildFactory, PersonFactory
from tests.training.factories import AttendanceFactory, EnrolmentFactory
from training.choices import AttendanceStatus
from training.models import Session

pytestmark = pytest.mark.django_db


def register_url(branch, day=DAY):
    return f"{reverse('daycare:register', args=[branch.pk])}?day={day.isoformat()}"


def marks_post(*rows):
    """rows: (place, hours or None for not in care)."""
    data = {}
    for row, hours in rows:
        if hours is not None:
            data[f"p{row.pk}"] = "on"
            data[f"h{row.pk}"] = str(hours)
        else:
            data[f"h{row.pk}"] = ""
    return data


# Who sees what -------------------------------------------------------------------------


def test_daycare_staff_see_their_centres_children(client_for, world, samarkand):
    client = client_for(world.staff)
    assert client.get(reverse("daycare:place_detail", args=[world.son_place.pk])).status_code == 200
    assert client.get(reverse("daycare:centre", args=[samarkand.pk])).status_code == 200
    response = client.get(register_url(samarkand))
    assert response.status_code == 200
    assert [row.place for row in response.context["register"].rows] == [
        world.son_place,
        world.daughter_place,
    ]


def test_daycare_staff_get_404_on_another_centres_children(client_for, world, tashkent):
    client = client_for(world.staff)
    assert client.get(reverse("daycare:place_detail", args=[world.tas_place.pk])).status_code == 404
    assert client.get(reverse("daycare:centre", args=[tashkent.pk])).status_code == 404
    assert client.get(register_url(tashkent)).status_code == 404
    response = client.post(register_url(tashkent), marks_post((world.tas_place, 8)))
    assert response.status_code == 404
    assert not DayCareAttendance.objects.exists()


def test_daycare_staff_get_403_on_family_pages(client_for, world):
    client = client_for(world.staff)
    family = world.sam_family  # the family of children in their own centre
    assert client.get(reverse("beneficiaries:family_detail", args=[family.pk])).status_code == 403
    assert client.get(reverse("beneficiaries:family_list")).status_code == 403
    assert client.get(reverse("daycare:place_create", args=[family.pk])).status_code == 403
    page = client.get(reverse("daycare:place_detail", args=[world.son_place.pk]))
    assert family.get_absolute_url() not in page.content.decode()


def test_caseworker_sees_their_branchs_children_only(client_for, personas, world):
    client = client_for(personas.caseworker)
    assert client.get(reverse("daycare:place_detail", args=[world.son_place.pk])).status_code == 200
    assert client.get(reverse("daycare:place_detail", args=[world.tas_place.pk])).status_code == 404
    # A caseworker follows the day care but does not take a centre's register.
    response = client.post(register_url(world.son_place.branch), marks_post((world.son_place, 4)))
    assert response.status_code == 403


def test_auditor_reads_the_register_but_cannot_save_it(client_for, personas, world, samarkand):
    client = client_for(personas.auditor)
    assert client.get(register_url(samarkand)).status_code == 200
    response = client.post(register_url(samarkand), marks_post((world.son_place, 4)))
    assert response.status_code == 403
    assert not DayCareAttendance.objects.exists()


def test_trainer_and_manager_have_no_day_care_pages(client_for, personas, world):
    for user in (personas.trainer, personas.manager, personas.outsider):
        assert client_for(user).get(reverse("daycare:home")).status_code == 403


# The register ------------------------------------------------------------------------


def test_register_saves_every_child_and_links_the_reason(client_for, world, samarkand):
    client = client_for(world.staff)
    response = client.post(
        register_url(samarkand), marks_post((world.son_place, "4.5"), (world.daughter_place, None))
    )
    assert response.status_code == 302
    (day,) = DayCareAttendance.objects.all()
    assert (day.child, day.date, day.hours, day.branch) == (
        world.son,
        DAY,
        Decimal("4.5"),
        samarkand,
    )
    assert day.reason == CareReason.TRAINING
    assert day.session == world.session
    assert day.history.count() == 1
    # Saving again corrects it: the daughter came after all, the son's hours change.
    client.post(
        register_url(samarkand), marks_post((world.son_place, "5"), (world.daughter_place, "3"))
    )
    assert dict(DayCareAttendance.objects.values_list("child_id", "hours")) == {
        world.son.pk: Decimal("5.0"),
        world.daughter.pk: Decimal("3.0"),
    }
    page = client.get(register_url(samarkand)).content.decode()
    assert page.count("Karimov Bobur, 5.0 h") == 1  # the history lists each change


def test_a_parents_working_day_is_linked_to_the_job(personas, world, tashkent):
    register_record(
        branch=tashkent,
        day=DAY,
        marks={world.tas_place.pk: Mark(True, Decimal(8))},
        recorded_by=personas.director,
    )
    day = DayCareAttendance.objects.get()
    assert (day.reason, day.employment, day.session) == (CareReason.WORK, world.job, None)
    # A Sunday is no working day: the reason is not known.
    sunday = DAY - datetime.timedelta(days=1)
    register_record(
        branch=tashkent,
        day=sunday,
        marks={world.tas_place.pk: Mark(True, Decimal(8))},
        recorded_by=personas.director,
    )
    assert DayCareAttendance.objects.get(date=sunday).reason == CareReason.OTHER


def test_register_is_all_or_nothing(client_for, world, samarkand):
    client = client_for(world.staff)
    client.post(
        register_url(samarkand), marks_post((world.son_place, 4), (world.daughter_place, 4))
    )
    before = list(DayCareAttendance.objects.values_list("child_id", "hours"))
    response = client.post(
        register_url(samarkand),
        marks_post((world.son_place, 6), (world.daughter_place, 20)),  # 20 hours: refused
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert list(form.errors) == [f"h{world.daughter_place.pk}"]  # the error is on its row
    assert 'aria-invalid="true"' in response.content.decode()
    assert list(DayCareAttendance.objects.values_list("child_id", "hours")) == before
    # A child ticked without hours is refused on the row as well.
    response = client.post(
        register_url(samarkand),
        {f"p{world.son_place.pk}": "on", f"h{world.son_place.pk}": ""},
    )
    assert list(response.context["form"].errors) == [f"h{world.son_place.pk}"]
    assert list(DayCareAttendance.objects.values_list("child_id", "hours")) == before


def test_register_refuses_more_children_than_places(client_for, world, samarkand):
    third = place(ChildFactory(family=world.sam_family), world.mother, samarkand)
    client = client_for(world.staff)
    response = client.post(
        register_url(samarkand),
        marks_post((world.son_place, 4), (world.daughter_place, 4), (third, 4)),
    )
    assert response.status_code == 200
    message = " ".join(response.context["form"].non_field_errors())
    assert "2 places" in message and "3 children are marked in care" in message
    assert not DayCareAttendance.objects.exists()
    # Two of three fit.
    response = client.post(
        register_url(samarkand),
        marks_post((world.son_place, 4), (world.daughter_place, None), (third, 4)),
    )
    assert response.status_code == 302
    assert DayCareAttendance.objects.count() == 2


def test_capacity_is_dated(personas, world, samarkand):
    DayCareCapacity.objects.create(branch=samarkand, effective_from=DAY, places=1)
    assert capacity_on(samarkand, DAY - datetime.timedelta(days=1)) == 2
    assert capacity_on(samarkand, DAY) == 1
    with pytest.raises(Exception, match="1 place on"):
        register_record(
            branch=samarkand,
            day=DAY,
            marks={
                world.son_place.pk: Mark(True, Decimal(4)),
                world.daughter_place.pk: Mark(True, Decimal(4)),
            },
            recorded_by=personas.director,
        )


def test_register_refuses_a_day_to_come_and_a_centre_without_capacity(personas, world, samarkand):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="still to come"):
        register_record(
            branch=samarkand,
            day=DAY,
            marks={world.son_place.pk: Mark(True, Decimal(4))},
            recorded_by=personas.director,
            today=DAY - datetime.timedelta(days=1),
        )
    DayCareCapacity.objects.filter(branch=samarkand).delete()
    with pytest.raises(ValidationError, match="no day-care capacity"):
        register_record(
            branch=samarkand,
            day=DAY,
            marks={world.son_place.pk: Mark(True, Decimal(4))},
            recorded_by=personas.director,
        )
    assert not DayCareAttendance.objects.exists()


def test_register_page_queries_do_not_grow(client_for, world, samarkand, django_assert_num_queries):
    client = client_for(world.staff)
    url = register_url(samarkand)
    client.get(url)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["register"].rows) == 2
    DayCareCapacity.objects.filter(branch=samarkand).update(places=20)
    for _index in range(6):
        parent = PersonFactory(family=world.sam_family)
        place(ChildFactory(family=world.sam_family), parent, samarkand)
        EnrolmentFactory(cohort=world.cohort, person=parent)
    client.post(
        url, {**marks_post(*[(p, 4) for p in DayCarePlace.objects.filter(branch=samarkand)])}
    )
    # frame (3: session, user, roles) + the staff's centres (1) + centre (1) + places (1)
    # + recorded (1) + reasons: sessions (2), holiday calendar (1), jobs (none asked when
    # every parent trains that day, as here) + capacity (1) + history (1)
    with django_assert_num_queries(12):
        response = client.get(url)
    assert len(response.context["register"].rows) == 8
    assert response.context["register"].taken


# Figures ------------------------------------------------------------------------------


def recount(rows, training_present, hours_of_job):
    """The figures counted by hand from the rows themselves."""
    children = {row.child_id for row in rows}
    care = sum((row.hours for row in rows), Decimal(0))
    training = set()
    work = set()
    for row in rows:
        if (
            row.reason == CareReason.TRAINING
            and (row.place.parent_id, row.session_id) in training_present
        ):
            training.add((row.place.parent_id, row.session_id))
        if row.reason == CareReason.WORK:
            work.add((row.employment_id, row.date))
    training_hours = sum(
        (Session.objects.get(pk=s).cohort.session_hours for _p, s in training), Decimal(0)
    )
    work_hours = sum((hours_of_job[e] for e, _d in work), Decimal(0))
    return len(children), care, training_hours, work_hours


def test_figures_equal_a_recount(personas, world, samarkand, tashkent):
    tuesday = DAY + datetime.timedelta(days=1)
    wednesday = DAY + datetime.timedelta(days=2)
    absent_session = Session.objects.create(cohort=world.cohort, date=wednesday)
    AttendanceFactory(
        enrolment=world.enrolment, session=absent_session, status=AttendanceStatus.ABSENT
    )
    both = {
        world.son_place.pk: Mark(True, Decimal("4.5")),
        world.daughter_place.pk: Mark(True, Decimal(5)),
    }
    # Monday: both children while their mother trains (her 3 hours count once).
    register_record(branch=samarkand, day=DAY, marks=both, recorded_by=personas.director)
    # Tuesday: no session, no job: the reason is not known.
    register_record(branch=samarkand, day=tuesday, marks=both, recorded_by=personas.director)
    # Wednesday: a session she missed: the care made no training possible.
    register_record(branch=samarkand, day=wednesday, marks=both, recorded_by=personas.director)
    for day in (DAY, tuesday, wednesday):
        register_record(
            branch=tashkent,
            day=day,
            marks={world.tas_place.pk: Mark(True, Decimal(8))},
            recorded_by=personas.director,
        )
    rows = list(DayCareAttendance.objects.select_related("place"))
    present = {(world.mother.pk, world.session.pk)}
    expected = recount(rows, present, {world.job.pk: Decimal(8)})
    everything = DayCareAttendance.objects.all()
    got = (
        figures.children_cared_for(everything),
        figures.care_hours(everything),
        figures.training_hours_enabled(everything),
        figures.work_hours_enabled(everything),
    )
    assert got == expected
    assert got == (3, Decimal("52.5"), Decimal(3), Decimal(24))
    # Narrowed to a centre, as its page shows them.
    sam = DayCareAttendance.objects.filter(branch=samarkand)
    assert figures.figures(sam) == {
        "children": 2,
        "care_hours": Decimal("28.5"),
        "training_hours": Decimal(3),
        "work_hours": Decimal(0),
    }


# What others see -----------------------------------------------------------------------


def test_caseworker_sees_day_care_on_the_family(client_for, personas, world, samarkand):
    register_record(
        branch=samarkand,
        day=DAY,
        marks={world.son_place.pk: Mark(True, Decimal(4))},
        recorded_by=personas.director,
    )
    client = client_for(personas.caseworker)
    response = client.get(world.sam_family.get_absolute_url())
    page = response.content.decode()
    assert 'id="family-daycare"' in page
    assert world.son_place.get_absolute_url() in page
    assert reverse("daycare:place_create", args=[world.sam_family.pk]) in page


def test_caseworker_registers_a_child_for_day_care(client_for, personas, world, samarkand):
    client = client_for(personas.caseworker)
    url = reverse("daycare:place_create", args=[world.sam_family.pk])
    child = ChildFactory(
        family=world.sam_family, full_name="Karimov Aziz", birth_date=datetime.date(2022, 1, 1)
    )
    data = {
        "child": child.pk,
        "parent": world.mother.pk,
        "branch": samarkand.pk,
        "start_date": "2026-03-02",
        "usual_hours": "4",
    }
    assert client.post(url, data).status_code == 302
    assert DayCarePlace.objects.filter(child=child, parent=world.mother).exists()
    # The son already has a place: refused on the field.
    response = client.post(url, {**data, "child": world.son.pk})
    assert "child" in response.context["form"].errors
    # Another branch's family: 404.
    other = reverse("daycare:place_create", args=[world.tas_family.pk])
    assert client.get(other).status_code == 404


def test_trainer_sees_which_learners_have_a_child_in_care(client_for, personas, world, samarkand):
    client = client_for(personas.trainer)
    url = reverse("training:session_register", args=[world.session.pk])
    assert "2 children with a day-care place" in client.get(url).content.decode()
    register_record(
        branch=samarkand,
        day=DAY,
        marks={world.son_place.pk: Mark(True, Decimal(4))},
        recorded_by=personas.director,
    )
    assert "1 child in day care that day (4.0 h)" in client.get(url).content.decode()


def test_daycare_staff_role_holds_only_day_care_permissions(world):
    from accounts.roles import Role, role_permissions

    declared = role_permissions()[Role.DAYCARE_STAFF]
    assert declared == {
        "daycare.view_daycareplace",
        "daycare.view_daycareattendance",
        "daycare.view_daycarecapacity",
        "daycare.add_daycareattendance",
        "daycare.change_daycareattendance",
    }
    staff = world.staff
    assert staff.has_perm("daycare.add_daycareattendance")
    for foreign in (
        "beneficiaries.view_family",
        "beneficiaries.view_person",
        "training.view_cohort",
    ):
        assert not staff.has_perm(foreign), foreign
