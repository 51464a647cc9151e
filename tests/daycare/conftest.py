"""A small day-care world: Samarkand's centre (two places for a learner's children, a
day-care staff member) and Tashkent's (one place for an enterprise worker's child)."""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.roles import Role
from daycare.models import DayCareCapacity, DayCarePlace
from tests.factories import ChildFactory, FamilyFactory, PersonFactory, UserFactory
from tests.payroll.factories import SocialEnterpriseFactory, hire
from tests.training.factories import AttendanceFactory, CohortFactory, EnrolmentFactory
from training.models import Session

DAY = datetime.date(2026, 3, 2)  # a Monday: a working day and a session day


def place(child, parent, branch, hours="4", start=datetime.date(2026, 1, 5)):
    return DayCarePlace.objects.create(
        child=child, parent=parent, branch=branch, start_date=start, usual_hours=Decimal(hours)
    )


@pytest.fixture
def world(personas, samarkand, tashkent):
    staff = UserFactory(username="p_daycare", role=Role.DAYCARE_STAFF, branches=[samarkand])
    sam_family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    mother = PersonFactory(family=sam_family, full_name="Karimova Dilnoza")
    son = ChildFactory(
        family=sam_family, full_name="Karimov Bobur", birth_date=datetime.date(2020, 2, 1)
    )
    daughter = ChildFactory(
        family=sam_family, full_name="Karimova Laylo", birth_date=datetime.date(2021, 6, 1)
    )
    tas_family = FamilyFactory(branch=tashkent)
    father = PersonFactory(family=tas_family, full_name="Toshmatov Anvar")
    tas_child = ChildFactory(family=tas_family, full_name="Toshmatova Zarina")
    DayCareCapacity.objects.create(
        branch=samarkand, effective_from=datetime.date(2020, 1, 1), places=2
    )
    DayCareCapacity.objects.create(
        branch=tashkent, effective_from=datetime.date(2020, 1, 1), places=5
    )
    cohort = CohortFactory(
        branch=samarkand,
        trainer=personas.trainer,
        start_date=datetime.date(2026, 1, 5),
        end_date=datetime.date(2026, 4, 30),
        session_hours=Decimal("3"),
    )
    session = Session.objects.create(cohort=cohort, date=DAY)
    enrolment = EnrolmentFactory(cohort=cohort, person=mother)
    AttendanceFactory(enrolment=enrolment, session=session)
    job = hire(SocialEnterpriseFactory(branch=tashkent), person=father, hours_per_week="40")
    return SimpleNamespace(
        staff=staff,
        sam_family=sam_family,
        tas_family=tas_family,
        mother=mother,
        father=father,
        son=son,
        daughter=daughter,
        tas_child=tas_child,
        cohort=cohort,
        session=session,
        enrolment=enrolment,
        job=job,
        son_place=place(son, mother, samarkand),
        daughter_place=place(daughter, mother, samarkand, hours="5"),
        tas_place=place(tas_child, father, tashkent, hours="8"),
    )
