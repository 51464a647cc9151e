"""A small training world: a trainer's cohort in Samarkand and another trainer's in Tashkent."""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from accounts.roles import Role
from tests.factories import FamilyFactory, PersonFactory, UserFactory
from tests.training.factories import CohortFactory, EnrolmentFactory, QualificationFactory


@pytest.fixture
def world(personas, samarkand, tashkent):
    other_trainer = UserFactory(username="p_trainer2", role=Role.TRAINER)
    mine = CohortFactory(branch=samarkand, trainer=personas.trainer)
    theirs = CohortFactory(branch=tashkent, trainer=other_trainer)
    sam_family = FamilyFactory(branch=samarkand)
    tas_family = FamilyFactory(branch=tashkent)
    learner = PersonFactory(
        family=sam_family, full_name="Karimova Dilnoza", phone="+998 90 111 22 33",
        pinfl="12345678901234", birth_date=datetime.date(1988, 4, 2),
    )  # fmt: skip
    tas_learner = PersonFactory(family=tas_family, full_name="Toshmatova Zarina")
    mine_enrolment = EnrolmentFactory(cohort=mine, person=learner)
    theirs_enrolment = EnrolmentFactory(cohort=theirs, person=tas_learner)
    # A Samarkand family's member studying in the Tashkent cohort: her caseworker follows her.
    travelling = EnrolmentFactory(
        cohort=theirs, person=PersonFactory(family=sam_family, full_name="Karimov Jasur")
    )
    qualification = QualificationFactory(
        enrolment=EnrolmentFactory(
            cohort=CohortFactory(
                branch=samarkand,
                trainer=personas.trainer,
                start_date=timezone.localdate() - datetime.timedelta(days=200),
                end_date=timezone.localdate() - datetime.timedelta(days=100),
            ),
            person=PersonFactory(family=sam_family, full_name="Rahimova Nilufar"),
            status="completed",
            ended_on=timezone.localdate() - datetime.timedelta(days=100),
        )
    )
    return SimpleNamespace(
        other_trainer=other_trainer,
        mine=mine,
        theirs=theirs,
        learner=learner,
        tas_learner=tas_learner,
        mine_enrolment=mine_enrolment,
        theirs_enrolment=theirs_enrolment,
        travelling=travelling,
        qualification=qualification,
        sam_family=sam_family,
        tas_family=tas_family,
    )
