from beneficiaries.models.branches import Branch, Makhalla, StaffProfile
from beneficiaries.models.families import Family, Person
from beneficiaries.models.income import FamilyIncomeSummary, IncomeRecord
from beneficiaries.models.placements import ChildPlacement
from beneficiaries.models.plans import DevelopmentPlan, PlanGoal
from beneficiaries.models.wellbeing import (
    Assessment,
    Domain,
    DomainLevel,
    FamilyScore,
    PovertyLine,
    Rating,
    WellbeingRule,
)

__all__ = [
    "Assessment",
    "Branch",
    "ChildPlacement",
    "DevelopmentPlan",
    "Domain",
    "DomainLevel",
    "Family",
    "FamilyIncomeSummary",
    "FamilyScore",
    "IncomeRecord",
    "Makhalla",
    "Person",
    "PlanGoal",
    "PovertyLine",
    "Rating",
    "StaffProfile",
    "WellbeingRule",
]
