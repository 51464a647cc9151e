"""Factories for enterprises' records; rules-bearing states are reached through services."""

import datetime
from decimal import Decimal

import factory

from enterprises import services
from enterprises.choices import BusinessStatus, PayBasis, Sector
from enterprises.models import Business, Position, SocialEnterprise
from tests.factories import FamilyFactory, MakhallaFactory, PersonFactory, branch


class SocialEnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialEnterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Enterprise {n}")
    sector = Sector.SEWING
    branch = factory.LazyFunction(branch)
    makhalla = factory.SubFactory(MakhallaFactory, branch=factory.SelfAttribute("..branch"))
    opening_date = datetime.date(2010, 1, 4)

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.add(*extracted)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    enterprise = factory.SubFactory(SocialEnterpriseFactory)
    title = factory.Sequence(lambda n: f"Seamstress {n}")
    pay_basis = PayBasis.MONTHLY
    rate = Decimal("3000000")
    opened_on = datetime.date(2010, 1, 4)


def family_member(branch_code: str = "SAM", **kwargs):
    """An adult member of a new family in that branch."""
    family = FamilyFactory(branch=branch(branch_code))
    return PersonFactory(family=family, **kwargs)


def hire(position=None, person=None, start=datetime.date(2024, 1, 8), **kwargs):
    position = position or PositionFactory()
    person = person or family_member(position.enterprise.branch.code)
    return services.employment_hire(
        position=position, person=person, start_date=start, hired_by=None, **kwargs
    )


class BusinessFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Business

    family = factory.SubFactory(FamilyFactory)
    owner = factory.SubFactory(PersonFactory, family=factory.SelfAttribute("..family"))
    name = factory.Sequence(lambda n: f"Bakery {n}")
    sector = Sector.BAKERY
    expected_monthly_revenue = Decimal("4000000")
    expected_monthly_costs = Decimal("2500000")
    status = BusinessStatus.DRAFT


def started_business(started_on=datetime.date(2024, 3, 4), operating_since=None, **kwargs):
    """A business walked through approval and start by the services."""
    business = BusinessFactory(**kwargs)
    business = services.business_approve(
        business=business, approved_on=started_on - datetime.timedelta(days=10)
    )
    business = services.business_start(business=business, started_on=started_on)
    if operating_since:
        business = services.business_mark_operating(
            business=business, operating_since=operating_since
        )
    return business


def loan(business=None, amount="12000000", term=12, first_due=datetime.date(2024, 5, 1)):
    business = business or started_business()
    return services.support_create(
        business=business,
        kind="loan",
        amount=Decimal(amount),
        approved_on=business.approved_on,
        term_months=term,
        first_due_month=first_due,
        created_by=None,
    )
