"""Factories for payroll tests: enterprises, positions and contracts (enterprises has none on
this branch), and a helper to hire someone with a dated rate."""

import datetime
from decimal import Decimal

import factory

from enterprises.choices import EmploymentStatus, PayBasis, Sector
from enterprises.models import Employment, Position, RateChange, SocialEnterprise
from tests.factories import PersonFactory, branch


class SocialEnterpriseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SocialEnterprise
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tikuvchilik ustaxonasi {n}")
    sector = Sector.SEWING
    branch = factory.LazyFunction(branch)
    opening_date = datetime.date(2015, 1, 1)

    @factory.post_generation
    def managers(self, create, extracted, **kwargs):
        if create and extracted:
            self.managers.add(*extracted)


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    enterprise = factory.SubFactory(SocialEnterpriseFactory)
    title = "Tikuvchi"
    pay_basis = PayBasis.MONTHLY
    rate = Decimal("3000000")
    hours_per_week = Decimal("40")
    opened_on = datetime.date(2015, 1, 1)


class EmploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Employment

    person = factory.SubFactory(PersonFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = datetime.date(2020, 1, 1)
    end_date = None
    status = EmploymentStatus.ACTIVE
    rate = factory.SelfAttribute("position.rate")
    low_income_family = False


def hire(
    enterprise,
    *,
    basis=PayBasis.MONTHLY,
    rate="3000000",
    start=datetime.date(2020, 1, 1),
    end=None,
    hours_per_week="40",
    low_income=False,
    person=None,
    rates=(),
) -> Employment:
    """A contract at `enterprise` with its first dated rate (and any later `rates`)."""
    position = PositionFactory(
        enterprise=enterprise,
        pay_basis=basis,
        rate=Decimal(rate),
        hours_per_week=Decimal(hours_per_week),
        opened_on=min(start, datetime.date(2015, 1, 1)),
    )
    extra = {"person": person} if person else {}
    employment = EmploymentFactory(
        position=position,
        start_date=start,
        end_date=end,
        status=EmploymentStatus.ENDED if end else EmploymentStatus.ACTIVE,
        rate=Decimal(rates[-1][1]) if rates else Decimal(rate),
        low_income_family=low_income,
        **extra,
    )
    RateChange.objects.create(employment=employment, effective_from=start, rate=Decimal(rate))
    for day, later in rates:
        RateChange.objects.create(employment=employment, effective_from=day, rate=Decimal(later))
    return employment
