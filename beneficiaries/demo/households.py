"""Demo families: their members and names (Latin and Cyrillic), statuses, plans and the
children's living arrangements, in the programme's published proportions."""

from datetime import date, timedelta

from django.utils import timezone

from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    Disability,
    EducationLevel,
    ExitReason,
    FamilyStatus,
    GoalStatus,
    LivingArrangement,
    PlanDomain,
    ReferralSource,
    Relationship,
    Sex,
)
from beneficiaries.demo.insert import insert_objects
from beneficiaries.models import (
    ChildPlacement,
    ConsentRecord,
    DevelopmentPlan,
    Family,
    Makhalla,
    Person,
    PlanGoal,
)
from beneficiaries.names import match_key

DEFAULT_FAMILIES = 735


BATCH = 5000


HISTORY_END = date(2016, 12, 31)


# The programme's published figures for its 735 families of 2007-2016, kept in proportion.
RETURNED_CHILDREN_PER_735 = 170


IN_CARE_NOW_PER_735 = 10  # "on average 10 children a month" in the Samarkand centre


ACTIVE_SHARE = 0.10


WELL_BEING_SHARE_OF_LEAVERS = 0.60


CLOSED_SHARE_OF_LEAVERS = 0.07


GOALS = {
    PlanDomain.ECONOMIC: [
        "Onasi tikuvchilik kursini tugatib, ijtimoiy korxonada ishga joylashadi",
        "Oila oylik daromadi minimal isteʼmol xarajatlaridan oshadi",
        "Otasi kichik biznes (non yopish) uchun grant oladi",
    ],
    PlanDomain.HOUSING: [
        "Uyning tomi taʼmirlanadi",
        "Bolalar uchun alohida xona jihozlanadi",
        "Qishki isitish taʼminlanadi",
    ],
    PlanDomain.HEALTH: [
        "Bolalar rejali emlashdan oʻtadi",
        "Onasi poliklinikada tibbiy koʻrikdan oʻtadi",
        "Nogironligi bor bola reabilitatsiyaga qatnaydi",
    ],
    PlanDomain.EDUCATION: [
        "Bolalar maktabga muntazam qatnaydi",
        "Kichik bola bogʻchaga joylashtiriladi",
        "Oʻsmir kasb-hunar kollejiga hujjat topshiradi",
    ],
    PlanDomain.CHILD_PROTECTION: [
        "Bola oilaga xavfsiz qaytadi",
        "Ota-ona ijobiy tarbiya mashgʻulotlariga qatnaydi",
        "Bolalar tugʻilganlik guvohnomasini oladi",
    ],
    PlanDomain.PSYCHOSOCIAL: [
        "Onasi psixolog maslahatlariga qatnaydi",
        "Oila mahalla tadbirlarida qatnashadi",
        "Bolalar kunduzgi markazga qatnaydi",
    ],
}


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


def makhallas_by_branch(branches) -> dict[str, list[Makhalla]]:
    result = {}
    for code, names in MAKHALLAS.items():
        result[code] = [
            Makhalla.objects.get_or_create(branch=branches[code], name=name)[0] for name in names
        ]
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


def add_families(run, count, branches, makhallas, caseworkers) -> list[int]:
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
            families.append(family)
            households.append(_household(rng, intake))
        _set_statuses(rng, families)
        insert_objects(Family, families)
        people = []
        for family, members in zip(families, households, strict=True):
            for person in members:
                person.family_id = family.pk
                people.append(person)
        insert_objects(Person, people)
        _consents(families, households)
        _plans(rng, families)
        returned = _placements(rng, families, households)
        run.shared["returned_children"] = run.shared.get("returned_children", 0) + returned
        created_ids.extend(family.pk for family in families)
    return created_ids


def _consents(families: list[Family], households: list[list[Person]]) -> None:
    """Every demo family was taken into service, so each member consented to processing at
    the intake (a child through the mother, who signs for the children); no random draws,
    so the rest of the seeded data stays as it was."""
    records = []
    for family, members in zip(families, households, strict=True):
        guardian = next(
            (m for m in members if m.is_caregiver and m.age_on(family.intake_date) >= 18), None
        )
        for member in members:
            day = max(family.intake_date, member.birth_date)
            records.append(
                ConsentRecord(
                    person_id=member.pk,
                    purpose=ConsentPurpose.PROCESSING,
                    status=ConsentStatus.GIVEN,
                    decided_on=day,
                    given_by_id=guardian.pk
                    if guardian is not None and member.age_on(day) < 18 and member is not guardian
                    else None,
                    paper_reference=f"{family.case_number}/1",
                    recorded_by_id=family.caseworker_id,
                )
            )
    insert_objects(ConsentRecord, records)


def _quota(total: int, share: float) -> int:
    return int(total * share + 0.5)


def _set_statuses(rng, families: list[Family]) -> None:
    """The newest tenth of the intakes is active; of the others, whose case has ended, 60%
    left with well-being restored, 7% were closed without success, the rest left for
    another reason (moved away, declined services, other)."""
    by_intake = sorted(families, key=lambda family: family.intake_date, reverse=True)
    active = _quota(len(families), ACTIVE_SHARE)
    leavers = by_intake[active:]
    well_being = _quota(len(leavers), WELL_BEING_SHARE_OF_LEAVERS)
    closed = _quota(len(leavers), CLOSED_SHARE_OF_LEAVERS)
    outcomes = ["well_being"] * well_being + ["closed"] * closed
    outcomes += ["other"] * (len(leavers) - len(outcomes))
    rng.shuffle(outcomes)
    for family in by_intake[:active]:
        family.status = FamilyStatus.ACTIVE
    for family, outcome in zip(leavers, outcomes, strict=True):
        years_in = rng.randint(1, 4)
        family.exit_date = family.intake_date + timedelta(days=365 * years_in + rng.randint(0, 180))
        if family.exit_date > HISTORY_END:
            # Every leaver of 2007-2016 left within those years (the published 60% counts
            # them): fold a later date back into the last two years, after a year of service
            # where the intake leaves room for it.
            overshoot = (family.exit_date - HISTORY_END).days % 730
            family.exit_date = max(
                HISTORY_END - timedelta(days=overshoot),
                min(family.intake_date + timedelta(days=365), HISTORY_END),
            )
        if outcome == "well_being":
            family.status = FamilyStatus.EXITED
            family.exit_reason = ExitReason.WELL_BEING_RESTORED
        elif outcome == "closed":
            family.status = FamilyStatus.CLOSED
            family.exit_reason = ExitReason.OTHER
            family.exit_notes = "Oila aloqani uzdi."
        else:
            family.status = FamilyStatus.EXITED
            family.exit_reason = rng.choice(
                [ExitReason.MOVED_AWAY, ExitReason.DECLINED, ExitReason.OTHER]
            )
            if family.exit_reason == ExitReason.OTHER:
                family.exit_notes = "Oila boshqa shaharga koʻchib oʻtdi."


PLAN_REVIEW_EVERY = timedelta(days=180)
PLAN_REVIEWS_LATE_ONE_IN = 8  # a few reviews late, as in any caseload; not every family


def _next_review(family: Family, agreed, today):
    """The review after the last one held: plans are reviewed every six months from their
    agreement, and one active family in eight is a few weeks late. Drawn from the family's
    number, not from `rng`, so the rest of the demo stays as it was."""
    review = agreed + PLAN_REVIEW_EVERY
    while review < today:
        review += PLAN_REVIEW_EVERY
    if family.pk % PLAN_REVIEWS_LATE_ONE_IN == 0:
        return today - timedelta(days=7 + family.pk % 50)
    return review


def _plans(rng, families: list[Family]) -> None:
    """A development plan per family with two to four goals, their status following the
    family's outcome."""
    today = timezone.localdate()
    plans = []
    for family in families:
        agreed = family.intake_date + timedelta(days=rng.randint(7, 45))
        plans.append(
            DevelopmentPlan(
                family_id=family.pk,
                agreed_on=agreed,
                next_review=_next_review(family, agreed, today)
                if family.status == FamilyStatus.ACTIVE
                else None,
                review_notes="Reja oila bilan birga koʻrib chiqildi.",
            )
        )
    insert_objects(DevelopmentPlan, plans)
    goals = []
    domains = list(GOALS)
    for family, plan in zip(families, plans, strict=True):
        for domain in rng.sample(domains, rng.randint(2, 4)):
            goals.append(
                PlanGoal(
                    plan_id=plan.pk,
                    domain=domain,
                    description=rng.choice(GOALS[domain]),
                    target_date=plan.agreed_on + timedelta(days=30 * rng.randint(3, 18)),
                    status=_goal_status(rng, family),
                )
            )
    insert_objects(PlanGoal, goals)


def _goal_status(rng, family: Family) -> str:
    roll = rng.random()
    if family.exit_reason == ExitReason.WELL_BEING_RESTORED:
        return GoalStatus.ACHIEVED if roll < 0.9 else GoalStatus.DROPPED
    if family.status == FamilyStatus.ACTIVE:
        return rng.choice([GoalStatus.PLANNED, GoalStatus.IN_PROGRESS, GoalStatus.ACHIEVED])
    return GoalStatus.ACHIEVED if roll < 0.3 else GoalStatus.DROPPED


def _placements(rng, families: list[Family], households: list[list[Person]]) -> int:
    """Children who were in care and came home (all within 2007-2016), and a few who are in
    the short-term care centre now. Children with no record live with their family."""
    latest_start = HISTORY_END - timedelta(days=90)
    candidates, active_samarkand = [], []
    for family, members in zip(families, households, strict=True):
        children = [p for p in members if p.relationship == Relationship.CHILD]
        if family.intake_date <= latest_start:
            candidates.extend((family, child) for child in children)
        if family.status == FamilyStatus.ACTIVE and family.branch.code == "SAM":
            active_samarkand.extend((family, child) for child in children)
    returned = min(len(candidates), _quota(len(families), RETURNED_CHILDREN_PER_735 / 735))
    placements = []
    for family, child in rng.sample(candidates, returned):
        end = min(HISTORY_END, family.exit_date or HISTORY_END)
        went = family.intake_date + timedelta(days=rng.randint(0, 30))
        came_back = min(end, went + timedelta(days=rng.randint(14, 240)))
        short_term = family.branch.code == "SAM" and rng.random() < 0.85
        placements += [
            ChildPlacement(
                person_id=child.pk,
                arrangement=LivingArrangement.SHORT_TERM_CARE
                if short_term
                else LivingArrangement.ALTERNATIVE_CARE,
                start_date=went,
            ),
            ChildPlacement(
                person_id=child.pk,
                arrangement=LivingArrangement.WITH_FAMILY,
                start_date=came_back,
                notes="Inqiroz hal qilindi, bola oilaga qaytdi.",
            ),
        ]
    returned_ids = {placement.person_id for placement in placements}
    in_care_now = [pair for pair in active_samarkand if pair[1].pk not in returned_ids]
    in_care = min(len(in_care_now), _quota(len(families), IN_CARE_NOW_PER_735 / 735))
    for family, child in rng.sample(in_care_now, in_care):
        placements.append(
            ChildPlacement(
                person_id=child.pk,
                arrangement=LivingArrangement.SHORT_TERM_CARE,
                start_date=min(
                    HISTORY_END, family.intake_date + timedelta(days=rng.randint(0, 20))
                ),
            )
        )
    insert_objects(ChildPlacement, placements)
    return returned


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
    given = {member.full_name.rsplit(" ", 1)[-1] for member in members}
    for _child in range(children):
        sex = rng.choice([Sex.FEMALE, Sex.MALE])
        names = FEMALE_NAMES if sex == Sex.FEMALE else MALE_NAMES
        first = rng.choice(names)
        while first in given:  # siblings do not share a first name
            first = rng.choice(names)
        given.add(first)
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
    full_name = to_cyrillic(name) if cyrillic else name
    return Person(
        full_name=full_name,
        name_key=match_key(full_name),  # inserted in bulk: save() does not set it
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
