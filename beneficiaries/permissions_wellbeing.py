"""What each role may do with income, assessments and scores (merged in permissions.py)."""

WELLBEING_READ = [
    "beneficiaries.view_povertyline",
    "beneficiaries.view_domain",
    "beneficiaries.view_assessment",
    "beneficiaries.view_rating",
    "beneficiaries.view_familyscore",
]
WELLBEING_CASELOAD = [
    "beneficiaries.add_assessment",
]
