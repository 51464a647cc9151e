"""Factories for the core records; each app's tests add theirs in tests/<app>/factories.py."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from beneficiaries.choices import ConsentPurpose, ConsentStatus, FamilyStatus, Relationship, Sex
from beneficiaries.models import (
    Branch,
    ConsentRecord,
    Family,
    IncomeRecord,
    Makhalla,
    Person,
    StaffProfile,
)

BRANCH_NAMES = {"SAM": "Samarkand", "TAS": "Tashkent", "URG": "Urgench"}


def branch(code: str = "SAM") -> Branch:
    """The shipped branch with this code (recreated after a transactional test's flush)."""
    return Branch.objects.get_or_create(
        code=code, defaults={"name": BRANCH_NAMES[code], "city": BRANCH_NAMES[code]}
    )[0]


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    password = factory.django.Password("secret-pass-123")

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(Group.objects.get(name=extracted))

    @factory.post_generation
    def branches(self, create, extracted, **kwargs):
        if create and extracted is not None:
            profile, _ = StaffProfile.objects.get_or_create(user=self)
            profile.branches.add(*extracted)


class MakhallaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Makhalla
        django_get_or_create = ["branch", "name"]

    branch = factory.LazyFunction(branch)
    name = factory.Sequence(lambda n: f"Makhalla {n}")


class FamilyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Family

    branch = factory.LazyFunction(branch)
    case_number = factory.Sequence(lambda n: f"TST-2020-{n:05d}")
    makhalla = factory.SubFactory(MakhallaFactory, branch=factory.SelfAttribute("..branch"))
    address = "Amir Temur koʻchasi, 1-uy"
    phone = "+998 90 123 45 67"
    intake_date = datetime.date(2024, 3, 1)
    status = FamilyStatus.ACTIVE


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    family = factory.SubFactory(FamilyFactory)
    full_name = factory.Sequence(lambda n: f"Karimova Dilnoza {n}")
    sex = Sex.FEMALE
    birth_date = datetime.date(1990, 5, 17)
    relationship = Relationship.HEAD
    is_caregiver = True


class ChildFactory(PersonFactory):
    full_name = factory.Sequence(lambda n: f"Karimov Bobur {n}")
    sex = Sex.MALE
    birth_date = datetime.date(2015, 9, 1)
    relationship = Relationship.CHILD
    is_caregiver = False


class ConsentRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConsentRecord

    person = factory.SubFactory(PersonFactory)
    purpose = ConsentPurpose.PROCESSING
    status = ConsentStatus.GIVEN
    decided_on = datetime.date(2024, 3, 1)
    paper_reference = factory.Sequence(lambda n: f"FORM-{n:04d}")


def consent_to_processing(family: Family, on: datetime.date = datetime.date(2024, 1, 1)) -> list:
    """Every member of the family consents to processing (a child through the eldest adult):
    what a family needs before it is taken into service."""
    members = list(family.members.order_by("birth_date", "id"))
    adults = [member for member in members if member.age_on(on) >= 18]
    return [
        ConsentRecordFactory(
            person=member,
            decided_on=on,
            given_by=None if member in adults else (adults[0] if adults else None),
        )
        for member in members
    ]


class IncomeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeRecord

    family = factory.SubFactory(FamilyFactory)
    month = datetime.date(2025, 1, 1)
    source = "employment"
    amount = 1_500_000
