from beneficiaries.models.branches import Branch, Makhalla, StaffProfile
from beneficiaries.models.families import Family, Person
from beneficiaries.models.income import IncomeRecord

__all__ = ["Branch", "Family", "IncomeRecord", "Makhalla", "Person", "StaffProfile"]
