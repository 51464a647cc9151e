"""Who may open the reports, and the donor report as PDF and XLSX."""

import datetime
import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from enterprises.models import Employment
from reports.figures import FIGURES
from reports.outcomes import OUTCOME_METHODS, course_report
from reports.selectors import Period, programme_figures
from tests.enterprises.factories import PositionFactory, SocialEnterpriseFactory
from tests.reports.world import END, START, build_world
from tests.training.factories import CourseFactory, EnrolmentFactory

PERIOD = {"start": START.isoformat(), "end": END.isoformat()}


def urls():
    enterprise = SocialEnterpriseFactory()
    course = CourseFactory()
    return [
        reverse("reports:index"),
        reverse("reports:programme") + "?start=2020-01-01&end=2022-12-31",
        reverse("reports:figure", args=["children"]) + "?start=2020-01-01&end=2022-12-31",
        reverse("reports:enterprise", args=[enterprise.pk]),
        reverse("reports:course", args=[course.pk]),
    ]


@pytest.mark.parametrize("persona", ["director", "auditor"])
def test_programme_roles_open_every_report(db, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for url in urls():
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", ["caseworker", "trainer", "manager", "outsider"])
def test_other_roles_are_refused(db, personas, client_for, persona):
    client = client_for(getattr(personas, persona))
    for url in urls():
        assert client.get(url).status_code == 403, url


def test_anonymous_is_sent_to_sign_in(db, client):
    response = client.get(reverse("reports:programme"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_unknown_figure_is_404(db, personas, client_for):
    response = client_for(personas.director).get(reverse("reports:figure", args=["nonsense"]))
    assert response.status_code == 404


def test_director_exports_a_drill_down_auditor_may_not(db, personas, client_for):
    build_world(families=12, seed=5)
    url = reverse("reports:figure", args=["children"])
    params = {**PERIOD, "_export": "csv"}
    response = client_for(personas.director).get(url, params)
    assert response.status_code == 200
    lines = response.content.decode().strip().splitlines()
    assert len(lines) - 1 == programme_figures(Period(START, END))["children"]
    auditor = client_for(personas.auditor)
    assert auditor.get(url, params).status_code == 403
    page = auditor.get(url, PERIOD).content.decode()
    assert "export=csv" not in page


def test_invalid_period_shows_the_error_and_no_figures(db, personas, client_for):
    response = client_for(personas.director).get(
        reverse("reports:programme"), {"start": "2022-01-01", "end": "2021-01-01"}
    )
    assert response.status_code == 200
    assert "figures" not in response.context
    assert "The period must start before it ends." in response.content.decode()


def test_xlsx_holds_the_figures_branches_and_methods(db, personas, client_for):
    build_world(families=15, seed=9)
    figures = programme_figures(Period(START, END))
    response = client_for(personas.auditor).get(
        reverse("reports:programme"), {**PERIOD, "_export": "xlsx", "lang": "ru"}
    )
    assert response.status_code == 200
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Показатели", "Филиалы", "Выходы по годам", "Методика"]
    values = {row[0]: row[1] for row in book["Показатели"].iter_rows(values_only=True) if row}
    assert values["Обслужено семей"] == figures["families_served"]
    assert values["Дети, вернувшиеся в свои семьи"] == figures["returned_children"]
    branch_rows = list(book["Филиалы"].iter_rows(min_row=2, values_only=True))
    assert sum(row[1] for row in branch_rows) == figures["families_served"]
    # A row per figure, and per definition of the employment outcomes of training.
    assert book["Методика"].max_row == 1 + len(FIGURES) + len(OUTCOME_METHODS)


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler's pdftotext")
@pytest.mark.parametrize(
    ("lang", "heading"),
    [("en", "Programme results"), ("uz", "Dastur natijalari"), ("ru", "Результаты программы")],
)
def test_pdf_in_three_languages(db, personas, client_for, tmp_path, lang, heading, pdf_renders):
    build_world(families=10, seed=2)
    figures = programme_figures(Period(START, END))
    response = client_for(personas.director).get(
        reverse("reports:programme"), {**PERIOD, "_export": "pdf", "lang": lang}
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert len(pdf_renders) == 1 and "css/pdf.css" in pdf_renders[0]  # through common.pdf
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert heading in text
    assert str(figures["families_served"]) in text
    pages = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert "(A4)" in pages


def test_course_report_counts_completers_employed_in_the_quarters_after(db):
    # The 183-day "working within six months" figure gave way to the WIOA quarters
    # (docs/outcomes.md); tests/reports/test_outcomes.py tests the rule at its edges.
    course = CourseFactory()
    ended = datetime.date(2023, 6, 30)  # 2nd quarter after: October–December 2023
    hired = EnrolmentFactory(cohort__course=course, status="completed", ended_on=ended)
    late = EnrolmentFactory(cohort__course=course, status="completed", ended_on=ended)
    idle = EnrolmentFactory(cohort__course=course, status="completed", ended_on=ended)
    EnrolmentFactory(cohort__course=course, status="dropped_out", ended_on=ended)
    for enrolment, start in ((hired, datetime.date(2023, 12, 31)),
                             (late, datetime.date(2024, 1, 1))):  # fmt: skip
        position = PositionFactory()
        Employment.objects.create(
            person=enrolment.person, position=position, start_date=start, rate=position.rate
        )
    assert idle.person_id
    report = course_report(course)
    assert report["enrolments"]["enrolled"] == 4
    assert report["outcomes"]["completers"] == 3
    assert report["outcomes"]["q2_employed"] == 1
    assert report["outcomes"]["q2_rate"] == 33
    assert report["outcomes"]["q4_employed"] == 2  # April–June 2024


def test_enterprise_report_counts_jobs_people_and_families(db, personas, client_for):
    enterprise = SocialEnterpriseFactory()
    created = PositionFactory(enterprise=enterprise)
    PositionFactory(enterprise=enterprise, created_by_programme=False)
    PositionFactory(enterprise=SocialEnterpriseFactory())  # another enterprise's job
    first = EnrolmentFactory().person  # any family member will do
    Employment.objects.create(
        person=first,
        position=created,
        start_date=datetime.date(2020, 1, 6),
        end_date=datetime.date(2021, 1, 6),
        status="ended",
        rate=created.rate,
    )
    second = EnrolmentFactory().person
    Employment.objects.create(
        person=second, position=created, start_date=datetime.date(2021, 2, 1), rate=created.rate
    )
    response = client_for(personas.auditor).get(reverse("reports:enterprise", args=[enterprise.pk]))
    report = response.context["report"]
    assert report["jobs"] == {"positions": 2, "created": 1, "open": 2, "filled": 1}
    assert report["people"] == {"contracts": 2, "people": 2, "employed_now": 1, "families": 2}
