"""The employment outcomes of training (reports.outcomes, docs/outcomes.md): the quarter
rule at its edges, each figure a recount of its drill-down list on the course report (per
course and per cohort), and one number on the dashboard, the donor PDF and the XLSX; the
day-care figures the same on all three."""

import datetime
import re
import shutil
import statistics
import subprocess
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from beneficiaries.choices import IncomeSource
from common.money import round_soum
from daycare import figures as daycare_figures
from daycare.models import DayCareAttendance, DayCarePlace
from daycare.services import Mark, register_record
from enterprises.choices import BusinessStatus, ContractKind, PlacementStage
from enterprises.models import JobPlacement
from reports.outcomes import (
    OUTCOME_LISTS,
    completer_outcomes,
    outcome_figures,
    period_completions,
    quarter_after,
)
from reports.selectors import Period
from tests.enterprises.factories import BusinessFactory, hire
from tests.factories import ChildFactory, IncomeRecordFactory
from tests.training.factories import CohortFactory, CourseFactory, EnrolmentFactory
from training.models import Enrolment

D = datetime.date
needs_pdftotext = pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs pdftotext")
ENDED = D(2023, 2, 15)  # 2nd quarter after: July–September 2023; 4th: January–March 2024


@pytest.mark.parametrize(
    ("day", "count", "expected"),
    [
        (D(2025, 2, 15), 2, (D(2025, 7, 1), D(2025, 9, 30))),
        (D(2025, 2, 15), 4, (D(2026, 1, 1), D(2026, 3, 31))),
        (D(2024, 12, 31), 2, (D(2025, 4, 1), D(2025, 6, 30))),
        (D(2024, 10, 1), 4, (D(2025, 10, 1), D(2025, 12, 31))),
        (D(2024, 3, 31), 2, (D(2024, 7, 1), D(2024, 9, 30))),
    ],
)
def test_the_quarter_after_completion(day, count, expected):
    assert quarter_after(day, count) == expected


def completer(course, cohort=None, ended=ENDED, **kwargs):
    cohort = cohort or CohortFactory(course=course)
    return EnrolmentFactory(cohort=cohort, status="completed", ended_on=ended, **kwargs)


def placement(person, start, end=None, wage="3000000"):
    return JobPlacement.objects.create(
        person=person,
        stage=PlacementStage.PLACED,
        employer_name="Silk Road LLC",
        position="Seamstress",
        start_date=start,
        end_date=end,
        monthly_wage=Decimal(wage),
        contract=ContractKind.FORMAL,
    )


def earn(person, month, amount, source=IncomeSource.PLACEMENT_WAGES):
    IncomeRecordFactory(
        family=person.family, person=person, month=month, source=source, amount=Decimal(amount)
    )


@pytest.fixture
def course_world(db):
    """A course with two cohorts; each completer tests one edge of the rule."""
    course = CourseFactory()
    first, second = (
        CohortFactory(course=course, start_date=start, end_date=ENDED)
        for start in (D(2022, 9, 1), D(2022, 10, 1))
    )
    w = {"course": course, "first": first, "second": second}
    # A placement that ends on the first day of the 2nd quarter after: employed then, not in
    # the 4th; earnings of two of the quarter's months only.
    w["placed"] = completer(course, first)
    placement(w["placed"].person, D(2023, 3, 1), D(2023, 7, 1))
    earn(w["placed"].person, D(2023, 7, 1), "1000001")
    earn(w["placed"].person, D(2023, 8, 1), "0")
    earn(w["placed"].person, D(2023, 10, 1), "9999999")  # after the quarter: not counted
    # A contract at a social enterprise that starts on the quarter's last day, still running.
    w["hired"] = completer(course, first)
    hire(person=w["hired"].person, start=D(2023, 9, 30))
    earn(w["hired"].person, D(2023, 9, 1), "2000000", IncomeSource.ENTERPRISE_WAGES)
    earn(w["hired"].person, D(2023, 9, 1), "700000", IncomeSource.EMPLOYMENT)  # not a job's
    # A business closed on the quarter's first day: not operating in it.
    w["closed"] = completer(course, second)
    BusinessFactory(
        family=w["closed"].person.family,
        owner=w["closed"].person,
        status=BusinessStatus.CLOSED,
        started_on=D(2022, 1, 1),
        operating_since=D(2022, 2, 1),
        closed_on=D(2023, 7, 1),
    )
    # An operating business, with profit in the quarter: employed, both quarters.
    w["owner"] = completer(course, second)
    BusinessFactory(
        family=w["owner"].person.family,
        owner=w["owner"].person,
        status=BusinessStatus.OPERATING,
        started_on=D(2023, 5, 1),
        operating_since=D(2023, 9, 1),
    )
    earn(w["owner"].person, D(2023, 9, 1), "4500000", IncomeSource.BUSINESS_PROFIT)
    # A business only started (never operating), a search and a referral: not employed.
    w["idle"] = completer(course, second)
    BusinessFactory(
        family=w["idle"].person.family,
        owner=w["idle"].person,
        status=BusinessStatus.STARTED,
        started_on=D(2023, 4, 1),
    )
    JobPlacement.objects.create(
        person=w["idle"].person, stage=PlacementStage.REFERRAL, start_date=D(2023, 8, 1)
    )
    # Completed yesterday: neither quarter is over.
    w["recent"] = completer(course, second, ended=timezone.localdate() - datetime.timedelta(1))
    placement(w["recent"].person, D(2020, 1, 1))
    # Dropped out while placed: not a completer.
    dropped = EnrolmentFactory(cohort=first, status="dropped_out", ended_on=ENDED)
    placement(dropped.person, D(2023, 1, 1))
    return w


def test_completers_by_the_rule(course_world):
    w = course_world
    rows = {row.enrolment.pk: row for row in completer_outcomes(Enrolment.objects.all())}
    assert len(rows) == 6
    q2 = {key: rows[w[key].pk].quarters[2] for key in ("placed", "hired", "closed", "owner")}
    assert q2["placed"].kinds == ["placement"] and q2["hired"].kinds == ["enterprise"]
    assert q2["closed"].kinds == [] and q2["owner"].kinds == ["business"]
    assert not rows[w["idle"].pk].quarters[2].employed
    assert rows[w["placed"].pk].quarters[4].kinds == []
    assert rows[w["owner"].pk].quarters[4].employed
    assert rows[w["hired"].pk].quarters[4].employed
    assert not rows[w["recent"].pk].quarters[2].due
    assert not rows[w["recent"].pk].quarters[2].employed
    assert q2["placed"].earnings == Decimal("1000001")
    assert q2["hired"].earnings == Decimal("2000000")  # other employment is left out
    figures = outcome_figures(list(rows.values()))
    assert figures["completers"] == 6
    assert (figures["q2_measured"], figures["q2_employed"], figures["q2_not_due"]) == (5, 3, 1)
    assert (figures["q4_measured"], figures["q4_employed"], figures["q4_not_due"]) == (5, 2, 1)
    assert figures["q2_rate"] == 60 and figures["q4_rate"] == 40
    # Per month, whole soum: 333 334, 666 667, 1 500 000.
    assert figures["q2_earners"] == 3
    assert figures["q2_median_earnings"] == Decimal("666667")


def drill(client, url, params=None):
    """The drill-down list's rows on the page and in its CSV export."""
    response = client.get(url, params or {})
    assert response.status_code == 200
    table = response.context["table"]
    csv = client.get(url, {**(params or {}), "_export": "csv"}).content.decode()
    return table.paginator.count, list(table.data), len(csv.strip().splitlines()) - 1


def shown_median(rows) -> Decimal | None:
    """The median recounted from the list's amounts, rounded as money is."""
    values = [row["monthly_earnings"] for row in rows]
    return round_soum(statistics.median(values)) if values else None


def test_course_figures_are_recounts_of_their_lists(course_world, personas, client_for):
    w = course_world
    client = client_for(personas.director)
    response = client.get(reverse("reports:course", args=[w["course"].pk]))
    report = response.context["report"]
    html = response.content.decode()
    scopes = [(report["outcomes"], {})] + [
        (row["figures"], {"cohort": row["cohort"].pk}) for row in report["cohorts"]
    ]
    assert [row["cohort"] for row in report["cohorts"]] == sorted(
        [w["first"], w["second"]], key=lambda c: (c.start_date, c.pk)
    )
    for figures, params in scopes:
        for item in OUTCOME_LISTS:
            url = reverse("reports:course_outcome", args=[w["course"].pk, item.slug])
            count, _rows, exported = drill(client, url, params)
            assert count == exported == figures[item.key], (item.slug, params)
            if params:
                if "not-due" not in item.slug:  # the cohort table omits those two
                    assert f'href="{url}?cohort={params["cohort"]}"' in html
            else:
                assert f'href="{url}"' in html
        _count, earners, _e = drill(
            client, reverse("reports:course_outcome", args=[w["course"].pk, "q2-earners"]), params
        )
        assert shown_median(earners) == figures["q2_median_earnings"], params
    # The first cohort's two earners: 333 334 and 666 667 a month, half way 500 000.5.
    assert report["cohorts"][0]["figures"]["q2_median_earnings"] == Decimal("500001")
    assert "666\u202f667" in html  # the course's median, whole soum


def test_drill_down_of_a_cohort_of_another_course_is_404(course_world, personas, client_for):
    other = CohortFactory()
    client = client_for(personas.director)
    url = reverse("reports:course_outcome", args=[course_world["course"].pk, "completers"])
    assert client.get(url, {"cohort": other.pk}).status_code == 404
    assert client.get(url, {"cohort": "x"}).status_code == 404
    missing = reverse("reports:course_outcome", args=[course_world["course"].pk, "nonsense"])
    assert client.get(missing).status_code == 404


@pytest.mark.parametrize("persona", ["caseworker", "trainer", "manager", "outsider"])
def test_outcome_lists_are_for_the_report_roles(course_world, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    course = reverse("reports:course_outcome", args=[course_world["course"].pk, "completers"])
    programme = reverse("reports:programme_outcome", args=["completers"])
    assert client.get(course).status_code == 403
    assert client.get(programme, {"start": "2023-01-01", "end": "2023-12-31"}).status_code == 403


def test_the_auditor_reads_the_lists_but_may_not_export_them(course_world, personas, client_for):
    client = client_for(personas.auditor)
    url = reverse("reports:course_outcome", args=[course_world["course"].pk, "q2-employed"])
    assert client.get(url).status_code == 200
    assert client.get(url, {"_export": "csv"}).status_code == 403


def test_course_report_queries_do_not_grow(course_world, personas, client_for):
    client = client_for(personas.director)
    url = reverse("reports:course", args=[course_world["course"].pk])
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for _n in range(4):
        extra = completer(course_world["course"], course_world["first"])
        placement(extra.person, D(2023, 1, 1))
        earn(extra.person, D(2023, 8, 1), "100")
    with CaptureQueriesContext(connection) as large:
        client.get(url)
    # session, user, roles and permissions (3); the course (1); enrolments by status (1);
    # outcomes: completions, contracts, placements, businesses, earnings (5)
    assert len(small) == len(large) == 3 + 1 + 1 + 5


# --- The programme report: dashboard, donor PDF, XLSX -------------------------------------

PERIOD = {"start": "2023-01-01", "end": "2023-12-31"}


def xlsx_rows(client) -> dict:
    response = client.get(reverse("reports:programme"), {**PERIOD, "_export": "xlsx", "lang": "en"})
    book = load_workbook(BytesIO(response.content))
    return {row[0]: row[1:] for row in book["Figures"].iter_rows(values_only=True) if row}


def pdf_text(client, tmp_path) -> str:
    response = client.get(reverse("reports:programme"), {**PERIOD, "_export": "pdf", "lang": "en"})
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())


def daycare_days(samarkand):
    """Two children in care at Samarkand's centre on two days of 2023."""
    mother = course_parent = EnrolmentFactory(cohort__branch=samarkand).person
    assert course_parent
    places = [
        DayCarePlace.objects.create(
            child=ChildFactory(family=mother.family),
            parent=mother,
            branch=samarkand,
            start_date=D(2023, 1, 2),
            usual_hours=Decimal(4),
        )
        for _n in range(2)
    ]
    from daycare.models import DayCareCapacity

    DayCareCapacity.objects.create(branch=samarkand, effective_from=D(2020, 1, 1), places=5)
    for day in (D(2023, 3, 6), D(2023, 3, 7)):
        register_record(
            branch=samarkand,
            day=day,
            marks={p.pk: Mark(True, Decimal("4.5")) for p in places},
            recorded_by=None,
        )


@needs_pdftotext
def test_programme_outcomes_and_day_care_are_one_number_everywhere(
    course_world, personas, client_for, tmp_path, samarkand
):
    daycare_days(samarkand)
    client = client_for(personas.director)
    period = Period(D(2023, 1, 1), D(2023, 12, 31))
    figures = outcome_figures(completer_outcomes(period_completions(period)))
    assert figures["completers"] == 5  # the one who completed yesterday is of another year
    assert figures["q2_employed"] == 3
    response = client.get(reverse("reports:programme"), PERIOD)
    html = response.content.decode()
    assert response.context["outcomes"] == figures
    text = pdf_text(client, tmp_path)
    sheet = xlsx_rows(client)
    for item in OUTCOME_LISTS:
        url = reverse("reports:programme_outcome", args=[item.slug])
        count, _rows, exported = drill(client, url, PERIOD)
        assert count == exported == figures[item.key] == sheet[str(item.label)][0], item.slug
        links = re.findall(
            re.escape(url) + r"\?start=2023-01-01&amp;end=2023-12-31\"[^>]*>([^<]*)<", html
        )
        assert len(links) == 1, item.slug
        if item.slug != "q2-earners":  # the median's link shows the amount (below)
            assert re.match(str(figures[item.key]) + r"\b", links[0]), (item.slug, links)
    for n in (2, 4):
        label = f"Employed in the {n}nd quarter after completion".replace("4nd", "4th")
        assert sheet[label][1] == figures[f"q{n}_rate"]
        note = f"{figures[f'q{n}_rate']}% of {figures[f'q{n}_measured']} measured"
        plain = " ".join(re.sub(r"<[^>]+>", "", html).split())
        assert note in plain and note in text, n
        assert f"{figures[f'q{n}_not_due']} not yet due" in text
        assert re.search(re.escape(label) + r" " + str(figures[f"q{n}_employed"]) + " ", text)
    median = figures["q2_median_earnings"]
    assert sheet["Median monthly earnings, 2nd quarter after"][0] == median
    digits = re.sub(r"\D", "", str(median))
    found = re.search(r"Median monthly earnings, 2nd quarter after ([\d\s]+) UZS", text)
    assert re.sub(r"\D", "", found.group(1)) == digits
    assert "666\u202f667" in html
    # Day care: the function the centre's page uses, over the period's days.
    expected = daycare_figures.figures(
        DayCareAttendance.objects.filter(date__gte=period.start, date__lte=period.end)
    )
    assert expected["children"] == 2 and expected["care_hours"] == Decimal("18.0")
    assert response.context["daycare"] == expected
    for label, key in (
        ("Children cared for", "children"),
        ("Care hours", "care_hours"),
        ("Hours of parents' training made possible", "training_hours"),
        ("Hours of parents' work made possible", "work_hours"),
    ):
        assert Decimal(str(sheet[label][0])) == expected[key], key
        assert re.search(re.escape(label) + r" " + re.escape(str(expected[key])) + r"\b", text)
        plain = " ".join(re.sub(r"<[^>]+>", " ", html).split())
        assert re.search(re.escape(label) + r" " + re.escape(str(expected[key])) + r"\b", plain)
