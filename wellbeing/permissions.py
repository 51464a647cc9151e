"""What each role may do with the instrument, assessments and scores."""

from accounts.roles import Role

READ = [
    "wellbeing.view_povertyline",
    "wellbeing.view_domain",
    "wellbeing.view_assessment",
    "wellbeing.view_rating",
    "wellbeing.view_familyscore",
    "wellbeing.view_exitrequest",
]
CASELOAD = ["wellbeing.add_assessment", "wellbeing.add_exitrequest"]

ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [*READ, *CASELOAD, "wellbeing.decide_exitrequest"],
    Role.CASEWORKER: [*READ, *CASELOAD],
    Role.AUDITOR: READ,
}
