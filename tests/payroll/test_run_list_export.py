"""The runs list's CSV/XLSX export: the three taxes per run and a totals line equal to the
runs' own frozen totals."""

import csv
import datetime
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from payroll import services
from payroll.models import PayrollRun
from tests.payroll.conftest import MARCH
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db

COLUMNS = {
    "gross_total": "Gross pay (UZS)",
    "income_tax_total": "Income tax withheld (UZS)",
    "inps_total": "of which INPS (UZS)",
    "net_total": "Net pay (UZS)",
    "social_tax_total": "Social tax (UZS)",
    "cost_total": "Total cost (UZS)",
}


@pytest.fixture
def runs(enterprise, other_enterprise):
    hire(enterprise, rate="3000000")
    hire(enterprise, rate="2100000", low_income=True)
    hire(other_enterprise, rate="1700001")
    made = [
        services.payroll_run_generate(enterprise=enterprise, month=MARCH),
        services.payroll_run_generate(enterprise=enterprise, month=datetime.date(2025, 4, 1)),
        services.payroll_run_generate(enterprise=other_enterprise, month=MARCH),
    ]
    services.payroll_run_approve(run=made[0])
    return made


def _expected_totals():
    runs = list(PayrollRun.objects.all())
    return {field: sum((getattr(r, field) for r in runs), D(0)) for field in COLUMNS}


def test_csv_has_the_taxes_and_a_totals_line(client_for, personas, runs):
    response = client_for(personas.director).get("/payroll/?_export=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 3 and total[0] == "Total"
    for field, label in COLUMNS.items():
        column = header.index(label)
        # every run's own figure is its frozen total
        assert sorted(D(row[column]) for row in body) == sorted(
            getattr(r, field) for r in PayrollRun.objects.all()
        )
        assert D(total[column]) == _expected_totals()[field], label
    # the taxes are really there, not zero: 12% of gross, 0.1% INPS inside it
    column = header.index("Income tax withheld (UZS)")
    assert D(total[column]) > 0
    assert D(total[header.index("Employees")]) == 5


def test_xlsx_totals_follow_the_filters(client_for, personas, runs):
    response = client_for(personas.manager).get("/payroll/?_export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body, total = rows[0], rows[1:-1], rows[-1]
    assert len(body) == 2  # the manager's enterprise only
    mine = PayrollRun.objects.filter(enterprise__name="Mehr")
    for field, label in COLUMNS.items():
        column = header.index(label)
        assert D(str(total[column])) == sum(getattr(r, field) for r in mine), label
    social = header.index("Social tax (UZS)")
    assert D(str(total[social])) == sum(r.social_tax_total for r in mine) > 0
