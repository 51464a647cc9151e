"""Factories for the core records; each app's tests add theirs in tests/<app>/factories.py."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from beneficiaries.choices import FamilyStatus, Relationship, Sex
from beneficiaries.models import Branch, Family, IncomeRecord, Makhalla, Person, StaffProfile

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


class IncomeRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IncomeRecord

    family = factory.SubFactory(FamilyFactory)
    month = datetime.date(2025, 1, 1)
    source = "employment"
    amount = 1_500_000
