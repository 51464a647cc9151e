from beneficiaries.models.branches import Branch, Makhalla, StaffProfile
from beneficiaries.models.checks import PinflClash
from beneficiaries.models.consent import ConsentRecord
from beneficiaries.models.duplicates import DuplicateCandidate, PersonMerge
from beneficiaries.models.families import Family, Person
from beneficiaries.models.income import FamilyIncomeSummary, IncomeRecord
from beneficiaries.models.placements import ChildPlacement
from beneficiaries.models.plans import DevelopmentPlan, PlanGoal
from beneficiaries.models.referrals import Referral

__all__ = [
    "Branch",
    "ChildPlacement",
    "ConsentRecord",
    "DevelopmentPlan",
    "DuplicateCandidate",
    "Family",
    "FamilyIncomeSummary",
    "IncomeRecord",
    "Makhalla",
    "Person",
    "PersonMerge",
    "PinflClash",
    "PlanGoal",
    "Referral",
    "StaffProfile",
]
