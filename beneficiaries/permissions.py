from accounts.roles import Role

READ = [
    "beneficiaries.view_branch",
    "beneficiaries.view_makhalla",
    "beneficiaries.view_family",
    "beneficiaries.view_person",
    "beneficiaries.view_incomerecord",
    "beneficiaries.view_childplacement",
    "beneficiaries.view_developmentplan",
    "beneficiaries.view_plangoal",
    "beneficiaries.view_consentrecord",
    "beneficiaries.view_referral",
]
CASELOAD = [
    "beneficiaries.add_family",
    "beneficiaries.change_family",
    "beneficiaries.add_person",
    "beneficiaries.change_person",
    "beneficiaries.delete_person",
    "beneficiaries.add_incomerecord",
    "beneficiaries.change_incomerecord",
    "beneficiaries.delete_incomerecord",
    "beneficiaries.add_childplacement",
    "beneficiaries.change_childplacement",
    "beneficiaries.add_developmentplan",
    "beneficiaries.change_developmentplan",
    "beneficiaries.add_plangoal",
    "beneficiaries.change_plangoal",
    "beneficiaries.delete_plangoal",
    # Consents are added, never changed: a new decision is a new record.
    "beneficiaries.add_consentrecord",
    # Referrals are sent and closed by the family's caseworkers, who also record the
    # answers of outside partners (beneficiaries.referrals.may_answer).
    "beneficiaries.add_referral",
    "beneficiaries.change_referral",
]

ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [
        *READ,
        *CASELOAD,
        "beneficiaries.add_makhalla",
        "beneficiaries.change_makhalla",
        # The review queue of people who may be registered twice, and their merges.
        "beneficiaries.view_duplicatecandidate",
        "beneficiaries.change_duplicatecandidate",
        "beneficiaries.view_personmerge",
    ],
    Role.CASEWORKER: [*READ, *CASELOAD],
    Role.AUDITOR: READ,
    # Trainers and enterprise managers reach a person's name and contact through their
    # cohorts and enterprises; they are given no family pages.
    Role.TRAINER: [],
    Role.ENTERPRISE_MANAGER: [],
    # Specialists (psychologist, lawyer...) see and answer only the internal referrals
    # assigned to them at their centre: no family pages.
    Role.SPECIALIST: ["beneficiaries.view_referral", "beneficiaries.answer_referral"],
}
