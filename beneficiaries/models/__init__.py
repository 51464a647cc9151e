from beneficiaries.models.branches import Branch, Makhalla, StaffProfile
from beneficiaries.models.families import Family, Person
from beneficiaries.models.income import IncomeRecord
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
    "Domain",
    "DomainLevel",
    "Family",
    "FamilyScore",
    "IncomeRecord",
    "Makhalla",
    "Person",
    "PovertyLine",
    "Rating",
    "StaffProfile",
    "WellbeingRule",
]
