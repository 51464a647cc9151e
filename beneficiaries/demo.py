"""Demo data of the core: the demo users, makhallas, and families with their members.

By default 735 families registered 2007-2016 in Tashkent, Urgench and Samarkand, with about
2,000 children, as the programme published. Large runs use bulk inserts in batches.
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from accounts.roles import Role
from beneficiaries import demo_wellbeing
from beneficiaries.choices import (
    Disability,
    EducationLevel,
    ExitReason,
    FamilyStatus,
    ReferralSource,
    Relationship,
    Sex,
)
from beneficiaries.models import Branch, Family, IncomeRecord, Makhalla, Person, StaffProfile

DEFAULT_FAMILIES = 735
BATCH = 5000

# Share of families per branch: Samarkand has the short-term care centre and most families.
BRANCH_SHARES = {"SAM": 0.45, "TAS": 0.33, "URG": 0.22}

MAKHALLAS = {
    "SAM": ["Registon", "Bogʻishamol", "Ulugʻbek", "Siyob", "Afrosiyob", "Temir yoʻlchi"],
    "TAS": ["Chilonzor-9", "Yunusobod", "Olmazor", "Qoraqamish", "Sebzor", "Beshyogʻoch"],
    "URG": ["Al-Xorazmiy", "Navoiy", "Gullanbogʻ", "Jayxun", "Oltinkoʻl"],
}
STREETS = ["Amir Temur", "Navoiy", "Bobur", "Mustaqillik", "Ibn Sino", "Beruniy", "Gagarin"]

MALE_NAMES = [
    "Akmal", "Bobur", "Jasur", "Sardor", "Dilshod", "Rustam", "Otabek", "Ulugʻbek", "Sherzod",
    "Farrux", "Aziz", "Javlon", "Shoxrux", "Nodir", "Anvar", "Bekzod", "Islom", "Jamshid",
]  # fmt: skip
FEMALE_NAMES = [
    "Dilnoza", "Gulnora", "Malika", "Nilufar", "Shahnoza", "Zarina", "Mohira", "Feruza",
    "Madina", "Sevara", "Nodira", "Dildora", "Kamola", "Barno", "Munisa", "Lola", "Yulduz",
]  # fmt: skip
SURNAMES = [
    "Karimov", "Rahimov", "Yusupov", "Toshmatov", "Abdullayev", "Nazarov", "Ismoilov",
    "Qodirov", "Saidov", "Xolmatov", "Ergashev", "Mirzayev", "Sultonov", "Tursunov",
]  # fmt: skip

# Enough of the Uzbek Latin-to-Cyrillic mapping for the names above.
_CYRILLIC = [
    ("Oʻ", "Ў"), ("oʻ", "ў"), ("Gʻ", "Ғ"), ("gʻ", "ғ"), ("Sh", "Ш"), ("sh", "ш"),
    ("Ch", "Ч"), ("ch", "ч"), ("Yu", "Ю"), ("yu", "ю"), ("Ya", "Я"), ("ya", "я"),
    ("Yo", "Ё"), ("yo", "ё"), ("ʼ", "ъ"),
]  # fmt: skip
_LETTERS = dict(
    zip(
        "ABDEFGHIJKLMNOPQRSTUVXYZabdefghijklmnopqrstuvxyz",
        "АБДЕФГҲИЖКЛМНОПҚРСТУВХЙЗабдефгҳижклмнопқрстувхйз",
        strict=True,
    )
)


def to_cyrillic(text: str) -> str:
    for latin, cyrillic in _CYRILLIC:
        text = text.replace(latin, cyrillic)
    return "".join(_LETTERS.get(char, char) for char in text)


DEMO_USERS = [
    ("director", "Kamola", "Rashidova", Role.PROGRAMME_MANAGER, []),
    ("caseworker", "Dilnoza", "Karimova", Role.CASEWORKER, ["SAM"]),
    ("caseworker2", "Jasur", "Toshmatov", Role.CASEWORKER, ["TAS"]),
    ("trainer", "Gulnora", "Yusupova", Role.TRAINER, []),
    ("manager", "Sardor", "Nazarov", Role.ENTERPRISE_MANAGER, []),
    ("auditor", "Anvar", "Saidov", Role.AUDITOR, []),
]


def reset(run) -> None:
    demo_wellbeing.reset(run)
    IncomeRecord.objects.all().delete()
    Person.objects.all().delete()
    Family.objects.all().delete()
    Makhalla.objects.all().delete()
    Family.history.all().delete()
    Person.history.all().delete()
    IncomeRecord.history.all().delete()


def seed(run) -> None:
    branches = {branch.code: branch for branch in Branch.objects.all()}
    if run.demo_users:
        run.users.update(_demo_users(run, branches))
    makhallas = _makhallas(branches)
    count = DEFAULT_FAMILIES if run.families is None else run.families
    caseworkers = _caseworkers_by_branch()
    run.new_family_ids = _families(run, count, branches, makhallas, caseworkers)
    run.log.write(f"  {count} families added ({Family.objects.count()} in all)")
    demo_wellbeing.seed(run)


def _demo_users(run, branches) -> dict:
    User = get_user_model()
    users = {}
    for username, first, last, role, branch_codes in DEMO_USERS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        user.groups.add(Group.objects.get(name=role))
        profile, _ = StaffProfile.objects.get_or_create(user=user)
        profile.branches.add(*[branches[code] for code in branch_codes])
        users[username] = user
    return users


def _makhallas(branches) -> dict[str, list[Makhalla]]:
    result = {}
    for code, names in MAKHALLAS.items():
        result[code] = [
            Makhalla.objects.get_or_create(branch=branches[code], name=name)[0] for name in names
        ]
    return result


def _caseworkers_by_branch() -> dict[int, list[int]]:
    rows = StaffProfile.branches.through.objects.filter(
        staffprofile__user__groups__name=Role.CASEWORKER
    ).values_list("branch_id", "staffprofile__user_id")
    result: dict[int, list[int]] = {}
    for branch_id, user_id in rows:
        result.setdefault(branch_id, []).append(user_id)
    return result


def _next_sequences() -> dict[str, int]:
    """Highest case-number sequence used so far per 'CODE-YEAR-' prefix."""
    sequences: dict[str, int] = {}
    for number in Family.objects.values_list("case_number", flat=True).iterator():
        prefix, _, tail = number.rpartition("-")
        sequences[prefix] = max(sequences.get(prefix, 0), int(tail))
    return sequences


def _intake_date(rng, start_year=2007, end_year=2016) -> date:
    first = date(start_year, 1, 1)
    span = (date(end_year, 12, 31) - first).days
    return first + timedelta(days=rng.randint(0, span))


def _families(run, count, branches, makhallas, caseworkers) -> list[int]:
    rng = run.rng
    sequences = _next_sequences()
    codes = list(BRANCH_SHARES)
    weights = [BRANCH_SHARES[code] for code in codes]
    created_ids: list[int] = []
    remaining = count
    while remaining > 0:
        size = min(BATCH, remaining)
        remaining -= size
        families, households = [], []
        for _index in range(size):
            code = rng.choices(codes, weights)[0]
            branch = branches[code]
            intake = _intake_date(rng)
            prefix = f"{code}-{intake.year}"
            sequences[prefix] = sequences.get(prefix, 0) + 1
            family = Family(
                case_number=f"{prefix}-{sequences[prefix]:04d}",
                branch=branch,
                makhalla=rng.choice(makhallas[code]),
                address=f"{rng.choice(STREETS)} koʻchasi, {rng.randint(1, 120)}-uy",
                phone=f"+998 9{rng.randint(0, 9)} {rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                caseworker_id=rng.choice(caseworkers[branch.pk])
                if caseworkers.get(branch.pk)
                else None,
                referral_source=rng.choice(ReferralSource.values),
                intake_date=intake,
                consent_date=intake,
            )
            _set_status(rng, family)
            families.append(family)
            households.append(_household(rng, intake))
        Family.objects.bulk_create(families, batch_size=1000)
        if families[0].pk is None:  # backends that do not return ids from bulk inserts
            numbers = [family.case_number for family in families]
            ids = dict(
                Family.objects.filter(case_number__in=numbers).values_list("case_number", "id")
            )
            for family in families:
                family.pk = ids[family.case_number]
        people = []
        for family, members in zip(families, households, strict=True):
            for person in members:
                person.family_id = family.pk
                people.append(person)
        Person.objects.bulk_create(people, batch_size=2000)
        created_ids.extend(family.pk for family in families)
    return created_ids


def _set_status(rng, family: Family) -> None:
    """Most families of 2007-2016 have left the service by now; 60% with well-being restored."""
    roll = rng.random()
    years_in = rng.randint(1, 4)
    exit_date = family.intake_date + timedelta(days=365 * years_in + rng.randint(0, 180))
    if roll < 0.60:
        family.status = FamilyStatus.EXITED
        family.exit_reason = ExitReason.WELL_BEING_RESTORED
    elif roll < 0.85:
        family.status = FamilyStatus.EXITED
        family.exit_reason = rng.choice(
            [ExitReason.MOVED_AWAY, ExitReason.DECLINED, ExitReason.OTHER]
        )
    elif roll < 0.90:
        family.status = FamilyStatus.CLOSED
        family.exit_reason = ExitReason.OTHER
    else:
        family.status = FamilyStatus.ACTIVE
        return
    family.exit_date = exit_date


def _household(rng, intake: date) -> list[Person]:
    cyrillic = rng.random() < 0.2
    surname = rng.choice(SURNAMES)
    mother_age = rng.randint(22, 45)
    mother = _person(
        rng,
        sex=Sex.FEMALE,
        name=f"{surname}a {rng.choice(FEMALE_NAMES)}",
        birth=intake - timedelta(days=365 * mother_age + rng.randint(0, 364)),
        relationship=Relationship.HEAD,
        caregiver=True,
        cyrillic=cyrillic,
    )
    members = [mother]
    if rng.random() < 0.45:  # many families in crisis are headed by a single mother
        mother.relationship = Relationship.SPOUSE
        members.insert(
            0,
            _person(
                rng,
                sex=Sex.MALE,
                name=f"{surname} {rng.choice(MALE_NAMES)}",
                birth=mother.birth_date - timedelta(days=rng.randint(0, 365 * 6)),
                relationship=Relationship.HEAD,
                caregiver=rng.random() < 0.5,
                cyrillic=cyrillic,
            ),
        )
    if rng.random() < 0.25:
        members.append(
            _person(
                rng,
                sex=Sex.FEMALE,
                name=f"{surname}a {rng.choice(FEMALE_NAMES)}",
                birth=intake - timedelta(days=365 * rng.randint(55, 75)),
                relationship=Relationship.PARENT,
                caregiver=rng.random() < 0.6,
                cyrillic=cyrillic,
            )
        )
    children = rng.choices([1, 2, 3, 4, 5], weights=[18, 30, 28, 16, 8])[0]
    for _child in range(children):
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        first = rng.choice(FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES)
        age_days = rng.randint(0, 365 * min(17, mother_age - 18))
        members.append(
            _person(
                rng,
                sex=sex,
                name=f"{surname}{'a' if sex == Sex.FEMALE else ''} {first}",
                birth=intake - timedelta(days=age_days),
                relationship=Relationship.CHILD,
                caregiver=False,
                cyrillic=cyrillic,
            )
        )
    return members


def _person(rng, *, sex, name, birth, relationship, caregiver, cyrillic) -> Person:
    adult = relationship != Relationship.CHILD
    return Person(
        full_name=to_cyrillic(name) if cyrillic else name,
        sex=sex,
        birth_date=birth,
        relationship=relationship,
        is_caregiver=caregiver,
        phone=f"+998 9{rng.randint(0, 9)} {rng.randint(1000000, 9999999)}" if adult else "",
        education_level=rng.choice(
            [EducationLevel.SECONDARY, EducationLevel.VOCATIONAL, EducationLevel.HIGHER]
            if adult
            else [EducationLevel.PRESCHOOL, EducationLevel.PRIMARY, EducationLevel.SECONDARY]
        ),
        disability=Disability.NONE if rng.random() > 0.04 else Disability.GROUP_3,
    )
