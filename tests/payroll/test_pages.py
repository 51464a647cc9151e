"""The payroll pages: who may open what (200 / 403 / 404), the flow through the pages, the
documents, and query counts that do not grow with the rows."""

import datetime
import io
import subprocess
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from payroll import services
from payroll.models import PayrollRun, Payslip
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(enterprise):
    hire(enterprise, rate="3000000")
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


@pytest.fixture
def foreign_run(other_enterprise):
    hire(other_enterprise, rate="2000000")
    return services.payroll_run_generate(enterprise=other_enterprise, month=MARCH)


def pages(run):
    payslip = run.payslips.first()
    return [
        "/payroll/",
        f"/payroll/runs/{run.pk}/",
        f"/payroll/payslips/{payslip.pk}/",
        f"/payroll/runs/{run.pk}/register.xlsx",
    ]


@pytest.mark.parametrize("who", ["manager", "director", "auditor"])
def test_allowed_roles_open_the_pages(client_for, personas, run, who):
    client = client_for(getattr(personas, who))
    for url in pages(run):
        # the register names people: the auditor may read it, not take it out
        expected = 403 if who == "auditor" and url.endswith("register.xlsx") else 200
        assert client.get(url).status_code == expected, url


@pytest.mark.parametrize("who", ["caseworker", "trainer", "outsider"])
def test_other_roles_are_refused(client_for, personas, run, who):
    client = client_for(getattr(personas, who))
    for url in pages(run):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/payroll/runs/{run.pk}/approve/").status_code == 403


def test_a_manager_gets_404_for_another_enterprise(client_for, personas, run, foreign_run):
    client = client_for(personas.manager)
    for url in pages(foreign_run)[1:]:
        assert client.get(url).status_code == 404, url
    assert client.post(f"/payroll/runs/{foreign_run.pk}/approve/").status_code == 404
    listing = client.get("/payroll/")
    assert "Mehr" in listing.text and "Barakali" not in listing.text


def test_the_auditor_reads_but_cannot_act(client_for, personas, run):
    client = client_for(personas.auditor)
    assert client.post(f"/payroll/runs/{run.pk}/approve/").status_code == 403
    assert client.post(f"/payroll/runs/{run.pk}/", {}).status_code == 403
    assert client.get("/payroll/runs/new/").status_code == 403
    run.refresh_from_db()
    assert run.status == "draft"


def test_manager_drafts_enters_timesheet_approves_and_pays(client_for, personas, enterprise):
    worker = hire(enterprise, rate="3000000")
    client = client_for(personas.manager)
    response = client.post("/payroll/runs/new/", {"enterprise": enterprise.pk, "month": "2025-03"})
    run = PayrollRun.objects.get(enterprise=enterprise, month=MARCH)
    assert response.status_code == 302 and response["Location"] == f"/payroll/runs/{run.pk}/"
    line = run.timesheet.get()
    page = client.get(f"/payroll/runs/{run.pk}/")
    assert 'name="ts-0-days_worked"' in page.text
    response = client.post(
        f"/payroll/runs/{run.pk}/",
        {
            "ts-TOTAL_FORMS": "1",
            "ts-INITIAL_FORMS": "1",
            "ts-0-line": line.pk,
            "ts-0-days_worked": "19",
            "ts-0-overtime_hours": "0",
            "ts-0-bonus": "100000",
        },
    )
    assert response.status_code == 302
    payslip = Payslip.objects.get(run=run, employment=worker)
    # March 2025 has 20 working days (Navruz on Friday 21st).
    # 3 000 000 × 19/20 = 2 850 000; + 100 000 bonus = 2 950 000 gross.
    assert (payslip.base, payslip.bonus, payslip.gross) == (D(2850000), D(100000), D(2950000))
    assert client.post(f"/payroll/runs/{run.pk}/approve/").status_code == 302
    assert (
        client.post(f"/payroll/runs/{run.pk}/paid/", {"paid_on": "2025-04-05"}).status_code == 302
    )
    run.refresh_from_db()
    assert (run.status, run.paid_on) == ("paid", datetime.date(2025, 4, 5))
    detail = client.get(f"/payroll/payslips/{payslip.pk}/")
    assert "Net pay" in detail.text and "2\u202f596\u202f000" in detail.text  # 2 950 000 − 354 000


def test_the_timesheet_form_cannot_change_an_approved_run(client_for, personas, run):
    services.payroll_run_approve(run=run)
    line = run.timesheet.get()
    before = list(run.payslips.values_list("gross", "net"))
    response = client_for(personas.manager).post(
        f"/payroll/runs/{run.pk}/",
        {
            "ts-TOTAL_FORMS": "1",
            "ts-INITIAL_FORMS": "1",
            "ts-0-line": line.pk,
            "ts-0-days_worked": "3",
        },
    )
    assert response.status_code == 302
    assert list(run.payslips.values_list("gross", "net")) == before
    line.refresh_from_db()
    assert line.days_worked == D(20)
    page = client_for(personas.manager).get(f"/payroll/runs/{run.pk}/")
    assert 'name="ts-0-days_worked"' not in page.text
    # Nor can the adjustment or working-days forms.
    worker = line.employment
    response = client_for(personas.manager).post(
        f"/payroll/runs/{run.pk}/adjustments/new/",
        {"employment": worker.pk, "amount": "100000", "reason": "late bonus"},
    )
    assert response.status_code == 200 and "can no longer be changed" in response.text
    response = client_for(personas.manager).post(
        f"/payroll/runs/{run.pk}/working-days/", {"working_days": "19"}
    )
    assert response.status_code == 200 and "can no longer be changed" in response.text
    assert run.adjustments.count() == 0
    assert list(run.payslips.values_list("gross", "net")) == before


def test_reverse_needs_a_reason_and_a_confirmation(client_for, personas, run):
    services.payroll_run_approve(run=run)
    client = client_for(personas.director)
    form = client.get(f"/payroll/runs/{run.pk}/reverse/")
    assert "data-confirm=" in form.text
    assert client.post(f"/payroll/runs/{run.pk}/reverse/", {"reason": ""}).status_code == 200
    assert (
        client.post(f"/payroll/runs/{run.pk}/reverse/", {"reason": "Wrong rates"}).status_code
        == 302
    )
    run.refresh_from_db()
    assert (run.status, run.reversal_reason) == ("reversed", "Wrong rates")


def test_register_xlsx_adds_up_to_the_run_totals(client_for, personas, enterprise):
    hire(enterprise, rate="3000000")
    hire(enterprise, rate="3000000", start=datetime.date(2025, 3, 17))
    run = services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    response = client_for(personas.manager).get(f"/payroll/runs/{run.pk}/register.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[4]]
    total = [cell.value for cell in sheet[sheet.max_row]]
    net = header.index("Net pay")
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=5, max_row=6)]
    assert sum(D(str(row[net])) for row in rows) == D(str(total[net])) == run.net_total
    assert D(str(total[header.index("Total cost")])) == run.cost_total == D(5040000)


@pytest.mark.parametrize(
    ("language", "words"),
    [("en", "Payslip"), ("ru", "Расчётный листок"), ("uz", "Hisob varaqasi")],
)
def test_payslip_pdf_in_three_languages(
    client_for, personas, run, language, words, tmp_path, pdf_renders
):
    payslip = run.payslips.get()
    response = client_for(personas.manager).get(
        f"/payroll/payslips/{payslip.pk}/pdf/?lang={language}"
    )
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "payslip.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert words in text
    assert "2 640 000" in text.replace("\u202f", " ")  # net pay
    assert len(pdf_renders) == 1 and "css/pdf.css" in pdf_renders[0]  # through common.pdf


def test_register_pdf_lists_every_employee(client_for, personas, run, tmp_path, pdf_renders):
    response = client_for(personas.manager).get(f"/payroll/runs/{run.pk}/register.pdf?lang=en")
    path = tmp_path / "register.pdf"
    path.write_bytes(response.content)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    words = " ".join(text.replace("\u202f", " ").split())
    assert run.payslips.get().person.full_name.split()[0] in words
    assert "3 360 000" in words
    # A part and the page numbers, both through common.pdf.
    assert len(pdf_renders) == 2 and all("css/pdf.css" in html for html in pdf_renders)


def _grow(enterprise, count):
    for _ in range(count):
        hire(enterprise, rate="2500000")
    return services.payroll_run_generate(enterprise=enterprise, month=MARCH)


def test_run_detail_queries_do_not_grow_with_employees(
    client_for, personas, enterprise, django_assert_num_queries
):
    run = _grow(enterprise, 2)
    client = client_for(personas.manager)
    client.get(f"/payroll/runs/{run.pk}/")  # warm the session
    # session, user, roles and permissions (one query: accounts.access_facts), managed
    # enterprises, run, the enterprise's managers (who may approve), timesheet lines,
    # payslips and their deduction lines (prefetched), adjustments, advances
    with django_assert_num_queries(11):
        client.get(f"/payroll/runs/{run.pk}/")
    _grow(enterprise, 5)
    with django_assert_num_queries(11):
        assert client.get(f"/payroll/runs/{run.pk}/").status_code == 200


def test_run_list_queries_do_not_grow_with_runs(
    client_for, personas, enterprise, django_assert_num_queries
):
    hire(enterprise, rate="2500000")
    services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    client = client_for(personas.director)
    client.get("/payroll/")
    # session, user, roles and permissions (one query), count (table and paginator),
    # enterprise filter choices, page of runs with their enterprise
    with django_assert_num_queries(7):
        client.get("/payroll/")
    for month in (1, 2):
        services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, month, 1))
    with django_assert_num_queries(7):
        assert client.get("/payroll/").status_code == 200


def test_payslip_detail_queries_are_constant(client_for, personas, run, django_assert_num_queries):
    client = client_for(personas.manager)
    payslip = run.payslips.get()
    client.get(f"/payroll/payslips/{payslip.pk}/")
    # session, user, roles and permissions (one query), managed enterprises, the payslip
    # with its run, enterprise, person and family
    with django_assert_num_queries(5):
        assert client.get(f"/payroll/payslips/{payslip.pk}/").status_code == 200


def test_manager_dashboard_shows_the_last_payroll(client_for, personas, run):
    services.payroll_run_approve(run=run)
    home = client_for(personas.manager).get("/")
    assert 'id="payroll-status"' in home.text
    assert "March 2025" in home.text and "Approved" in home.text


def test_run_list_exports_to_csv(client_for, personas, run, foreign_run):
    response = client_for(personas.manager).get("/payroll/?_export=csv")
    text = response.content.decode()
    assert response.status_code == 200 and "Mehr" in text and "Barakali" not in text
    assert "2640000" in text.replace(".00", "")  # net pay of the manager's own run
