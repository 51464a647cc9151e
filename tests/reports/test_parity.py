"""Each programme figure is the same number on every surface that shows it: the dashboard
(HTML through the test client), the donor PDF (its text, through pdftotext), the donor
XLSX, the drill-down list (its count and its CSV export) and, for the children, the home
page; with cases at the rounding (x.5%) and date (month end, leap day) boundaries."""

import datetime
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from beneficiaries.choices import ExitReason, FamilyStatus, LivingArrangement
from beneficiaries.models import ChildPlacement
from enterprises.models import Business
from enterprises.selectors import survival_table
from reports.figures import FIGURES
from reports.selectors import Period, programme_figures
from tests.enterprises.factories import PositionFactory, SocialEnterpriseFactory, started_business
from tests.factories import ChildFactory, FamilyFactory, MakhallaFactory, branch
from tests.reports.world import END, START, build_world

D = datetime.date
needs_pdftotext = pytest.mark.skipif(
    not shutil.which("pdftotext"), reason="needs poppler's pdftotext"
)


def params(start=START, end=END, **extra):
    return {"start": start.isoformat(), "end": end.isoformat(), **extra}


def dashboard_values(html: str) -> dict[str, str]:
    """{figure slug: the number the dashboard shows for it}."""
    found = re.findall(
        r'href="/reports/programme/([a-z-]+)/\?[^"]*" title="[^"]*">([^<]*)</a>', html
    )
    return dict(found)


def pdf_text(client, tmp_path, query) -> str:
    response = client.get(reverse("reports:programme"), {**query, "_export": "pdf", "lang": "en"})
    assert response.status_code == 200
    path = tmp_path / "report.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    return " ".join(text.split())  # labels wrap in their boxes


def pdf_value(text: str, label: str) -> str:
    found = re.search(re.escape(label) + r"\s+([^\s]+)", text)
    assert found, label
    return found.group(1)


def xlsx_rows(client, query) -> dict:
    response = client.get(reverse("reports:programme"), {**query, "_export": "xlsx", "lang": "en"})
    book = load_workbook(BytesIO(response.content))
    return {row[0]: row[1:] for row in book["Figures"].iter_rows(values_only=True) if row}


def drill_down(client, slug, query) -> tuple[int, int]:
    """The drill-down list's count and the number of rows of its CSV export."""
    url = reverse("reports:figure", args=[slug])
    count = client.get(url, query).context["table"].paginator.count
    csv = client.get(url, {**query, "_export": "csv"}).content.decode().strip().splitlines()
    return count, len(csv) - 1


@needs_pdftotext
def test_every_figure_is_one_number_on_every_surface(db, personas, client_for, tmp_path):
    build_world(families=30, seed=13)
    figures = programme_figures(Period(START, END))
    client = client_for(personas.director)
    query = params()
    html = client.get(reverse("reports:programme"), query).content.decode()
    shown = dashboard_values(html)
    text = pdf_text(client, tmp_path, query)
    sheet = xlsx_rows(client, query)
    for figure in FIGURES:
        value = figures[figure.key]
        count, exported = drill_down(client, figure.slug, query)
        assert count == exported == value, figure.slug
        if figure.key == "income_compared":
            assert sheet["Families whose income change is compared"][0] == value
            assert f"over {value} families" in html and f"over {value} families" in text
            median = figures["median_income_change"]
            assert sheet[str(figure.label)][0] == median
            digits = re.sub(r"\D", "", str(median))
            assert re.sub(r"\D", "", shown[figure.slug]) == digits
            amount = re.search(re.escape(str(figure.label)) + r" (−?[\d\s]+) UZS", text)
            assert re.sub(r"\D", "", amount.group(1)) == digits
            assert shown[figure.slug].startswith("−") == amount.group(1).startswith("−")
            continue
        assert sheet[str(figure.label)][0] == value, figure.slug
        if figure.key in ("businesses_reached", "poverty_compared"):
            continue  # shown in the notes of the figure they are the base of (below)
        assert shown[figure.slug] == str(value), figure.slug
        assert pdf_value(text, str(figure.label)) == str(value), figure.slug
    # The shares and their bases, in the notes of the dashboard and the PDF, the XLSX's
    # share column.
    notes = {
        "restored_share": (f"{figures['restored_share']}% of those that left", "restored_exits"),
        "filled_share": (f"{figures['filled_share']}% of the jobs created", "jobs_filled"),
        "survival_share": (
            f"{figures['survival_share']}% of {figures['businesses_reached']} aged 12 months",
            "businesses_survived",
        ),
        "poverty_share": (
            f"{figures['poverty_share']}% of {figures['poverty_compared']} compared",
            "above_poverty_line",
        ),
    }
    for key, (note, figure_key) in notes.items():
        assert figures[key] is not None, key
        assert note in html, key
        assert note in text, key
        label = next(str(f.label) for f in FIGURES if f.key == figure_key)
        assert sheet[label][1] == figures[key], key
    # The jobs' enterprises and makhallas: the distinct ones of the jobs-created list.
    jobs = client.get(reverse("reports:figure", args=["jobs-created"]), query)
    rows = jobs.context["table"].data
    assert figures["job_enterprises"] == len({row.enterprise_id for row in rows})
    assert figures["job_makhallas"] == len({row.enterprise.makhalla_id for row in rows})
    for sentence in (
        f"at {figures['job_enterprises']} social enterprise",
        f"in {figures['job_makhallas']} makhalla",
    ):
        assert sentence in html and sentence in text
    assert sheet["Social enterprises with jobs created"][0] == figures["job_enterprises"]
    assert sheet["Makhallas of those social enterprises"][0] == figures["job_makhallas"]


def _exits(restored: int, others: int, day=None):
    day = day or D(2021, 6, 30)
    for _n in range(restored):
        FamilyFactory(
            intake_date=D(2020, 2, 1),
            status=FamilyStatus.EXITED,
            exit_date=day,
            exit_reason=ExitReason.WELL_BEING_RESTORED,
        )
    for _n in range(others):
        FamilyFactory(
            intake_date=D(2020, 2, 1),
            status=FamilyStatus.CLOSED,
            exit_date=day,
            exit_reason=ExitReason.MOVED_AWAY,
        )


@needs_pdftotext
@pytest.mark.parametrize(("restored", "others", "share"), [(1, 7, 13), (3, 5, 38), (1, 1, 50)])
def test_a_share_at_half_a_percent_rounds_up_everywhere(
    db, personas, client_for, tmp_path, restored, others, share
):
    """1 of 8 is 12.5%: 13% (Python's round() says 12); 3 of 8 is 37.5%: 38%."""
    _exits(restored, others)
    client = client_for(personas.director)
    query = params()
    figures = programme_figures(Period(START, END))
    assert figures["restored_share"] == share
    html = client.get(reverse("reports:programme"), query).content.decode()
    assert f"{share}% of those that left" in html
    assert f"{share}% of those that left" in pdf_text(client, tmp_path, query)
    assert xlsx_rows(client, query)["Left with well-being restored"][1] == share
    book = load_workbook(
        BytesIO(client.get(reverse("reports:programme"), {**query, "_export": "xlsx"}).content)
    )
    branch_row = next(book["Branches"].iter_rows(min_row=2, values_only=True))
    assert branch_row[5] == share


def test_children_on_the_home_page_are_the_reports(db, personas, client_for):
    """The home page's children and children returned are the programme report's over
    every day up to today: children of families only referred are left out of both, and a
    second "with the family" row after a return is not another return."""
    served = FamilyFactory(intake_date=D(2019, 3, 1))
    referred = FamilyFactory(intake_date=D(2019, 3, 1), status=FamilyStatus.REFERRED)
    back_twice = ChildFactory(family=served, birth_date=D(2012, 1, 1))
    ChildFactory(family=served)
    for _n in range(3):
        ChildFactory(family=referred)
    # In care, home, then "with the family" again (moved house): one return, in 2020.
    for arrangement, day in (
        (LivingArrangement.ALTERNATIVE_CARE, D(2019, 12, 20)),
        (LivingArrangement.WITH_FAMILY, D(2020, 1, 5)),
        (LivingArrangement.WITH_FAMILY, D(2021, 6, 1)),
    ):
        ChildPlacement.objects.create(person=back_twice, arrangement=arrangement, start_date=day)
    # A child of the referred family back from care: not a child of a family served.
    ChildPlacement.objects.create(
        person=referred.members.first(),
        arrangement=LivingArrangement.SHORT_TERM_CARE,
        start_date=D(2019, 4, 1),
    )
    ChildPlacement.objects.create(
        person=referred.members.first(),
        arrangement=LivingArrangement.WITH_FAMILY,
        start_date=D(2019, 5, 1),
    )
    client = client_for(personas.director)
    panels = client.get(reverse("reports:home")).context["panels"]
    home = next(panel for panel in panels if "children" in panel)["children"]
    assert home == {"served": 2, "returned": 1}
    everything = programme_figures(Period(D(2000, 1, 1), datetime.date.today()))
    assert (everything["children"], everything["returned_children"]) == (2, 1)
    html = client.get(reverse("reports:home")).content.decode()
    assert re.search(r"Children in the families served</dt><dd>2<", html)
    assert re.search(r"Children returned to their families</dt><dd>1<", html)
    # The return falls in 2020; the second "with the family" row in 2021 is none.
    assert programme_figures(Period(D(2020, 1, 1), D(2020, 12, 31)))["returned_children"] == 1
    assert programme_figures(Period(D(2021, 1, 1), D(2021, 12, 31)))["returned_children"] == 0
    count, exported = drill_down(
        client, "returned-children", params(D(2021, 1, 1), D(2021, 12, 31))
    )
    assert count == exported == 0
    # Back into care and home again: a second return, the same child counted once.
    ChildPlacement.objects.create(
        person=back_twice, arrangement=LivingArrangement.SHORT_TERM_CARE, start_date=D(2022, 2, 1)
    )
    ChildPlacement.objects.create(
        person=back_twice, arrangement=LivingArrangement.WITH_FAMILY, start_date=D(2022, 3, 1)
    )
    assert programme_figures(Period(D(2020, 1, 1), D(2022, 12, 31)))["returned_children"] == 1
    assert programme_figures(Period(D(2022, 1, 1), D(2022, 12, 31)))["returned_children"] == 1


def test_survival_in_the_report_and_the_survival_table_at_the_leap_day(db, personas, client_for):
    """Started on 29 February 2024, a business is 12 months old on 28 February 2025. The
    programme report for a period ending that day and the survival table of that day agree,
    and count it as reached (and operating)."""
    leap = started_business(started_on=D(2024, 2, 29), operating_since=D(2024, 4, 1))
    started_business(started_on=D(2024, 3, 1), operating_since=D(2024, 4, 1))  # not yet
    period = Period(D(2024, 1, 1), D(2025, 2, 28), leap.family.branch)
    figures = programme_figures(period)
    assert (figures["businesses_reached"], figures["businesses_survived"]) == (1, 1)
    table = survival_table(Business.objects.all(), D(2025, 2, 28))
    row = next(row for row in table["rows"] if row["year"] == 2024)
    assert row["rates"][1] == (12, 1, 1, figures["survival_share"])
    count, exported = drill_down(
        client_for(personas.director),
        "businesses-reached",
        params(period.start, period.end, branch=period.branch.pk),
    )
    assert count == exported == 1


def test_jobs_makhallas_follow_the_enterprises(db, personas, client_for):
    sam = branch("SAM")
    one, other = MakhallaFactory(branch=sam), MakhallaFactory(branch=sam)
    for makhalla in (one, one, other):
        PositionFactory(
            enterprise=SocialEnterpriseFactory(branch=sam, makhalla=makhalla),
            opened_on=D(2021, 5, 3),
        )
    figures = programme_figures(Period(START, END))
    assert (figures["jobs_created"], figures["job_enterprises"], figures["job_makhallas"]) == (
        3,
        3,
        2,
    )
    html = client_for(personas.director).get(reverse("reports:programme"), params()).content
    assert "at 3 social enterprises in 2 makhallas" in " ".join(html.decode().split())
