"""Demo data of vocational training: the programme's courses, cohorts in the three branches
with their sessions, attendance history, final assessments and certificates.

Cohorts per branch: two historic ones (2013 and 2015, for families of that time), one that
ended a month ago, one running now and one about to start. The demo trainer teaches the
recent cohorts of Samarkand and Tashkent, with a session today to take attendance for.
Everything is inserted in bulk.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.test.utils import override_settings
from django.utils import timezone

from beneficiaries.models import Branch, Person
from training.choices import AttendanceStatus, EnrolmentStatus, Level, Provider, Trade
from training.models import Attendance, Cohort, Course, Enrolment, Qualification, Session
from training.rules import CompletionRule, grade_for, sessions_over
from training.services import ON_THE_PROGRAMME

COURSES = [
    (Trade.SEWING, "Sewing and tailoring", "Швейное дело и пошив одежды",
     "Tikuvchilik va kiyim bichish", Level.BASIC, 240, ""),
    (Trade.CONFECTIONERY, "Confectionery and national cuisine",
     "Кондитерское дело и национальная кухня", "Qandolatchilik va milliy taomlar",
     Level.BASIC, 160, "Samarqand xizmat koʻrsatish kolleji"),
    (Trade.HAIRDRESSING, "Hairdressing and beauty", "Парикмахерское искусство и красота",
     "Sartaroshlik va goʻzallik xizmatlari", Level.BASIC, 200, "Toshkent servis kolleji"),
    (Trade.COMPUTER, "Computer literacy", "Компьютерная грамотность",
     "Kompyuter savodxonligi", Level.BASIC, 72, ""),
    (Trade.CARPET_WEAVING, "Carpet weaving", "Ковроткачество", "Gilam toʻqish",
     Level.INTERMEDIATE, 180, ""),
    (Trade.BOOKKEEPING, "Bookkeeping basics for a small business",
     "Основы бухгалтерии для малого бизнеса", "Kichik biznes uchun buxgalteriya asoslari",
     Level.BASIC, 96, "Urganch iqtisodiyot kolleji"),
]  # fmt: skip

LOCATIONS = {
    "SAM": ["Ijtimoiy markaz, 2-xona", "Registon mahalla markazi"],
    "TAS": ["Ijtimoiy markaz, oʻquv zali", "Chilonzor-9 mahalla guzari"],
    "URG": ["Ijtimoiy markaz, 1-xona", "Al-Xorazmiy mahalla markazi"],
}
SCHEDULE = "Du, Chor, Ju 10:00–13:00"
MEET_ON = (0, 2, 4)  # Monday, Wednesday, Friday


def reset(run) -> None:
    # The history of demo records goes too, so there is no point writing a "deleted" entry
    # for each of thousands of attendance marks first.
    with override_settings(SIMPLE_HISTORY_ENABLED=False):
        Qualification.objects.all().delete()
        Attendance.objects.all().delete()
        Enrolment.objects.all().delete()
        Session.objects.all().delete()
        Cohort.objects.all().delete()
    for model in (Qualification, Attendance, Enrolment, Session, Cohort, Course):
        model.history.all().delete()


def seed(run) -> None:
    rng = run.rng
    today = timezone.localdate()
    courses = _courses()
    trainer = run.users.get("trainer")
    branches = {branch.code: branch for branch in Branch.objects.all()}
    plans = []  # (cohort, kind)
    for code, branch in sorted(branches.items()):
        picks = rng.sample(courses, 5)
        locations = LOCATIONS.get(code, ["Ijtimoiy markaz"])
        teaches = trainer if code in ("SAM", "TAS") else None
        dated = [
            ("historic", date(2013, 3, 4), date(2013, 6, 28), None),
            ("historic", date(2015, 9, 7), date(2015, 12, 25), None),
            ("finished", today - timedelta(days=130), today - timedelta(days=30), teaches),
            ("running", today - timedelta(days=45), today + timedelta(days=45), teaches),
            ("upcoming", today + timedelta(days=14), today + timedelta(days=100), teaches),
        ]
        for course, (kind, start, end, who) in zip(picks, dated, strict=True):
            cohort = Cohort(
                session_hours=_session_hours(course.hours, len(_meeting_days(start, end))),
                course=course,
                trainer=who,
                branch=branch,
                location=rng.choice(locations),
                start_date=start,
                end_date=end,
                capacity=rng.randint(12, 18),
                schedule=SCHEDULE,
            )
            plans.append((cohort, kind))
    Cohort.objects.bulk_create([cohort for cohort, _kind in plans])

    sessions = {}
    new_sessions = []
    for cohort, kind in plans:
        days = _meeting_days(cohort.start_date, cohort.end_date)
        if kind == "running" and today not in days:
            days.append(today)  # the demo trainer has a register to take today
            days.sort()
        rows = [
            Session(
                cohort=cohort,
                date=day,
                topic="",
                recorded_at=_noon(day) if day < today else None,
                recorded_by=cohort.trainer if day < today else None,
            )
            for day in days
        ]
        sessions[id(cohort)] = rows
        new_sessions.extend(rows)
    Session.objects.bulk_create(new_sessions, batch_size=2000)

    pools = _learner_pools(run.new_family_ids, today)
    used: set[tuple[int, int]] = set()
    enrolments, propensity, cohort_of = [], {}, {}
    for cohort, kind in plans:
        pool = pools[(cohort.branch.code, "historic" if kind == "historic" else "now")]
        adult_by = _eighteen_years_before(cohort.start_date)
        if kind == "historic":
            pool = [
                person_id for person_id, intake, exit_date, birth in pool
                if intake <= cohort.start_date and (exit_date is None or exit_date >= cohort.end_date)
                and birth <= adult_by
            ]  # fmt: skip
        else:
            pool = [person_id for person_id, _intake, _exit, birth in pool if birth <= adult_by]
        size = min(len(pool), cohort.capacity - rng.randint(0, 3))
        for person_id in rng.sample(pool, max(size, 0)):
            if (person_id, id(cohort)) in used:
                continue
            used.add((person_id, id(cohort)))
            enrolment = Enrolment(
                person_id=person_id,
                cohort=cohort,
                enrolled_on=cohort.start_date - timedelta(days=rng.randint(3, 20)),
                enrolled_by=None,
            )
            enrolments.append(enrolment)
            propensity[id(enrolment)] = rng.choice([0.45, 0.7, 0.85, 0.9, 0.95, 0.98])
            cohort_of[id(enrolment)] = (cohort, kind)
    Enrolment.objects.bulk_create(enrolments, batch_size=2000)

    attendance, qualifications = [], []
    for enrolment in enrolments:
        cohort, kind = cohort_of[id(enrolment)]
        held = [session for session in sessions[id(cohort)] if session.recorded_at is not None]
        if kind == "upcoming":
            continue
        drop_after = None
        if rng.random() < 0.08:
            drop_after = rng.randint(2, max(2, len(held) // 2))
        present = 0
        for index, session in enumerate(held):
            if drop_after is not None and index >= drop_after:
                break
            if rng.random() < propensity[id(enrolment)]:
                status = AttendanceStatus.PRESENT
                present += 1
            else:
                status = AttendanceStatus.EXCUSED if rng.random() < 0.3 else AttendanceStatus.ABSENT
            attendance.append(Attendance(enrolment=enrolment, session=session, status=status))
        if drop_after is not None and drop_after < len(held):
            enrolment.status = EnrolmentStatus.DROPPED_OUT
            enrolment.status_reason = rng.choice(
                ["Found a job", "Family reasons", "Moved to another city", "Health"]
            )
            enrolment.ended_on = held[drop_after].date
        elif kind in ("historic", "finished"):
            _finish(rng, enrolment, cohort, present, len(held), qualifications)
    Attendance.objects.bulk_create(attendance, batch_size=5000)
    Enrolment.objects.bulk_update(
        [e for e in enrolments if e.status != EnrolmentStatus.ENROLLED],
        ["status", "status_reason", "ended_on", "final_score", "assessed_on"],
        batch_size=1000,
    )
    Qualification.objects.bulk_create(qualifications, batch_size=1000)
    run.log.write(
        f"  {len(plans)} cohorts, {len(enrolments)} enrolments, {len(attendance)} attendance"
        f" marks, {len(qualifications)} certificates"
    )


def _courses() -> list[Course]:
    courses = []
    for trade, title, title_ru, title_uz, level, hours, college in COURSES:
        course, _created = Course.objects.get_or_create(
            title=title,
            defaults={
                "trade": trade,
                "title_ru": title_ru,
                "title_uz": title_uz,
                "level": level,
                "hours": hours,
                "provider": Provider.PARTNER_COLLEGE if college else Provider.PROGRAMME,
                "provider_name": college,
            },
        )
        courses.append(course)
    return courses


def _session_hours(course_hours: int, sessions: int) -> Decimal:
    """The course's hours spread over the cohort's sessions, to the half hour (0.5 to 12)."""
    halves = (Decimal(course_hours) * 2 / max(sessions, 1)).quantize(Decimal(1), ROUND_HALF_UP)
    return min(max(halves / 2, Decimal("0.5")), Decimal(12))


def _meeting_days(start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if day.weekday() in MEET_ON:
            days.append(day)
        day += timedelta(days=1)
    return days


def _noon(day: date):
    return timezone.make_aware(timezone.datetime(day.year, day.month, day.day, 13, 0))


def _eighteen_years_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 18)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 18, day=28)


def _learner_pools(family_ids, today) -> dict:
    """Adults of the new families per branch: those on the programme now, and everyone
    with their family's intake and exit dates for the historic cohorts."""
    pools: dict = {}
    people = (
        Person.objects.filter(family_id__in=family_ids)
        .adults(today)
        .values_list(
            "pk", "family__branch__code", "family__status", "family__intake_date",
            "family__exit_date", "birth_date",
        )
    )  # fmt: skip
    for pk, code, status, intake, exit_date, birth in people:
        if status in ON_THE_PROGRAMME:
            pools.setdefault((code, "now"), []).append((pk, intake, exit_date, birth))
        if birth <= date(1995, 1, 1):  # an adult by the historic cohorts too
            pools.setdefault((code, "historic"), []).append((pk, intake, exit_date, birth))
    for code in Branch.objects.values_list("code", flat=True):
        pools.setdefault((code, "now"), [])
        pools.setdefault((code, "historic"), [])
    return pools


def _finish(rng, enrolment, cohort, present, held, qualifications) -> None:
    rule = CompletionRule.for_course(cohort.course)
    score = rng.choice([52, 64, 71, 78, 83, 88, 92, 97])
    end = cohort.end_date
    enrolment.final_score = score
    enrolment.assessed_on = end
    # Demo cohorts are completed only once they have ended (training.rules.sessions_over).
    over = sessions_over(end_date=end, remaining=0, today=timezone.localdate())
    outcome = rule.outcome(present=present, held=held, over=over, score=score)
    enrolment.status = outcome.status
    enrolment.status_reason = outcome.reason
    enrolment.ended_on = end
    if outcome.status == EnrolmentStatus.COMPLETED:
        qualifications.append(
            Qualification(
                enrolment=enrolment,
                number=Qualification.new_number(end.year),
                verification_code=Qualification.new_verification_code(),
                issued_on=end,
                level=cohort.course.level,
                grade=grade_for(score),
                issued_by=cohort.trainer,
            )
        )
