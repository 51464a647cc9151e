from accounts.roles import Role

READ = [
    "payroll.view_payrollrun",
    "payroll.view_payslip",
    "payroll.view_timesheetentry",
    "payroll.view_adjustment",
    "payroll.view_statutoryrule",
    "payroll.view_incomecertificate",
    "payroll.view_advance",
    "payroll.view_deductionorder",
    "payroll.view_taxpayment",
]
# Income certificates and the year's statement for an employee: issued by the enterprise's
# managers and the programme manager (the auditor reads what was issued).
CERTIFY = [
    "payroll.add_incomecertificate",
    "payroll.change_incomecertificate",  # revoke
]
RUN = [
    "payroll.add_payrollrun",
    "payroll.change_payrollrun",
    "payroll.delete_payrollrun",
    "payroll.change_timesheetentry",
    "payroll.add_adjustment",
    "payroll.delete_adjustment",
    "payroll.add_advance",
    "payroll.delete_advance",
    "payroll.add_deductionorder",
    "payroll.change_deductionorder",
    # Approve, mark paid, reverse: the custom permission of the ones who answer for the money.
    "payroll.approve_payrollrun",
    # Record that a month's taxes were paid (the employer's obligations).
    "payroll.add_taxpayment",
]

ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [*READ, *RUN, *CERTIFY],
    # Managers run their own enterprises' payroll; `for_user` keeps them to those.
    Role.ENTERPRISE_MANAGER: [*READ, *RUN, *CERTIFY],
    Role.AUDITOR: READ,
    # Caseworkers see the resulting household income, not the enterprise's payroll.
    Role.CASEWORKER: [],
    Role.TRAINER: [],
}
