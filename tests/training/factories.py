"""Factories for training records."""

import datetime

import factory
from django.utils import timezone

from tests.factories import PersonFactory, branch
from training.choices import AttendanceStatus, Grade, Level, Trade
from training.models import Attendance, Cohort, Course, Enrolment, Qualification, Session


class CourseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Course

    trade = Trade.SEWING
    title = factory.Sequence(lambda n: f"Sewing and tailoring {n}")
    title_ru = factory.Sequence(lambda n: f"Швейное дело {n}")
    title_uz = factory.Sequence(lambda n: f"Tikuvchilik va kiyim bichish {n}")
    level = Level.BASIC
    hours = 120


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    course = factory.SubFactory(CourseFactory)
    branch = factory.LazyFunction(branch)
    location = "Ijtimoiy markaz, 2-xona"
    start_date = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=30))
    end_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    capacity = 15
    schedule = "Du, Chor, Ju 10:00–13:00"


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    cohort = factory.SubFactory(CohortFactory)
    date = factory.LazyAttribute(lambda o: o.cohort.start_date)


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    cohort = factory.SubFactory(CohortFactory)
    person = factory.SubFactory(
        PersonFactory, family__branch=factory.SelfAttribute("...cohort.branch")
    )
    enrolled_on = factory.LazyAttribute(lambda o: o.cohort.start_date)


class AttendanceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attendance

    enrolment = factory.SubFactory(EnrolmentFactory)
    session = factory.SubFactory(SessionFactory, cohort=factory.SelfAttribute("..enrolment.cohort"))
    status = AttendanceStatus.PRESENT


class QualificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Qualification

    enrolment = factory.SubFactory(
        EnrolmentFactory, status="completed", ended_on=datetime.date(2026, 1, 30)
    )
    number = factory.LazyFunction(lambda: Qualification.new_number(2026))
    verification_code = factory.LazyFunction(Qualification.new_verification_code)
    issued_on = datetime.date(2026, 1, 30)
    level = Level.BASIC
    grade = Grade.GOOD
