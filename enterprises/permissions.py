from accounts.roles import Role

READ_ENTERPRISES = [
    "enterprises.view_socialenterprise",
    "enterprises.view_position",
    "enterprises.view_employment",
    "enterprises.view_ratechange",
    "enterprises.view_enterprisemonthlyresult",
]
RUN_ENTERPRISE = [
    "enterprises.add_position",
    "enterprises.change_position",
    "enterprises.add_employment",
    "enterprises.change_employment",
    "enterprises.add_ratechange",
    "enterprises.add_enterprisemonthlyresult",
    "enterprises.change_enterprisemonthlyresult",
]
READ_BUSINESSES = [
    "enterprises.view_business",
    "enterprises.view_support",
    "enterprises.view_tranche",
    "enterprises.view_repaymentline",
    "enterprises.view_repayment",
    "enterprises.view_followup",
]
FOLLOW_BUSINESSES = [
    "enterprises.add_business",
    "enterprises.change_business",
    "enterprises.add_repayment",
    "enterprises.add_followup",
    "enterprises.change_followup",
]

# Jobs with outside employers: sensitive like income (the branch's caseworkers record them,
# programme managers and auditors read them).
READ_PLACEMENTS = [
    "enterprises.view_jobplacement",
    "enterprises.view_retentioncheck",
]
RECORD_PLACEMENTS = [
    "enterprises.add_jobplacement",
    "enterprises.change_jobplacement",
    "enterprises.change_retentioncheck",
]

ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [
        *READ_ENTERPRISES,
        *RUN_ENTERPRISE,
        "enterprises.add_socialenterprise",
        "enterprises.change_socialenterprise",
        *READ_BUSINESSES,
        *FOLLOW_BUSINESSES,
        *READ_PLACEMENTS,
        # Deciding on money: approving a plan, agreeing a grant or loan, paying it out.
        "enterprises.approve_business",
        "enterprises.add_support",
        "enterprises.add_tranche",
    ],
    # Enterprise managers run their enterprise; its `for_user` keeps them to their own.
    Role.ENTERPRISE_MANAGER: [*READ_ENTERPRISES, *RUN_ENTERPRISE],
    # Caseworkers follow the jobs and businesses of their branches' families.
    Role.CASEWORKER: [
        *READ_ENTERPRISES,
        *READ_BUSINESSES,
        *FOLLOW_BUSINESSES,
        *READ_PLACEMENTS,
        *RECORD_PLACEMENTS,
    ],
    Role.AUDITOR: [*READ_ENTERPRISES, *READ_BUSINESSES, *READ_PLACEMENTS],
    Role.TRAINER: [],
}
