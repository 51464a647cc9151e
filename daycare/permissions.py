"""What each role may do with day care (gathered by accounts.roles)."""

from accounts.roles import Role

READ = [
    "daycare.view_daycareplace",
    "daycare.view_daycareattendance",
    "daycare.view_daycarecapacity",
]

ROLE_PERMISSIONS = {
    # The programme manager sets each centre's capacity and may take any register.
    Role.PROGRAMME_MANAGER: [
        *READ,
        "daycare.add_daycarecapacity",
        "daycare.add_daycareplace",
        "daycare.change_daycareplace",
        "daycare.add_daycareattendance",
        "daycare.change_daycareattendance",
    ],
    # Caseworkers register their families' children for care and follow their days.
    Role.CASEWORKER: [*READ, "daycare.add_daycareplace", "daycare.change_daycareplace"],
    # Day-care staff take their centre's register: the children of their centre only.
    Role.DAYCARE_STAFF: [
        *READ,
        "daycare.add_daycareattendance",
        "daycare.change_daycareattendance",
    ],
    Role.AUDITOR: READ,
}
