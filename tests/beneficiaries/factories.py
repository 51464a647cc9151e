"""Factories for the family issue's records (plans, goals, children's placements)."""

import datetime

import factory

from beneficiaries.choices import GoalStatus, LivingArrangement, PlanDomain
from beneficiaries.models import ChildPlacement, DevelopmentPlan, PlanGoal
from tests.factories import ChildFactory, FamilyFactory


class DevelopmentPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DevelopmentPlan

    family = factory.SubFactory(FamilyFactory)
    agreed_on = datetime.date(2024, 3, 15)
    review_notes = "Reviewed with the mother."


class PlanGoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PlanGoal

    plan = factory.SubFactory(DevelopmentPlanFactory)
    domain = PlanDomain.ECONOMIC
    description = "Mother finishes the sewing course"
    target_date = datetime.date(2024, 12, 1)
    status = GoalStatus.IN_PROGRESS


class ChildPlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChildPlacement

    person = factory.SubFactory(ChildFactory)
    arrangement = LivingArrangement.SHORT_TERM_CARE
    start_date = datetime.date(2024, 4, 1)
