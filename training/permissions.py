from accounts.roles import Role

READ = [
    "training.view_course",
    "training.view_cohort",
    "training.view_session",
    "training.view_enrolment",
    "training.view_attendance",
    "training.view_qualification",
]

ROLE_PERMISSIONS = {
    Role.PROGRAMME_MANAGER: [
        *READ,
        "training.add_course",
        "training.change_course",
        "training.add_cohort",
        "training.change_cohort",
        "training.add_session",
        "training.add_enrolment",
        "training.change_enrolment",
        "training.add_attendance",
        "training.change_attendance",
        "training.change_qualification",
    ],
    # Caseworkers put their families' adults on courses and follow how they do.
    Role.CASEWORKER: [*READ, "training.add_enrolment"],
    # Trainers run their cohorts: sessions, the register, the final assessment, drop-outs.
    Role.TRAINER: [
        *READ,
        "training.add_session",
        "training.change_enrolment",
        "training.add_attendance",
        "training.change_attendance",
    ],
    Role.AUDITOR: READ,
    Role.ENTERPRISE_MANAGER: [],
}
