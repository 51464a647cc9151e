"""Pages of income, assessments and progress: who may open them, and what they do."""

import datetime
import shutil
import subprocess

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries.models import IncomeRecord
from beneficiaries.services import income_record_upsert
from tests.conftest import ARTIFACTS
from tests.factories import IncomeRecordFactory, branch
from tests.wellbeing.factories import domain_ids, household, recomputes_counted, record_levels
from wellbeing.models import Assessment, FamilyScore

pytestmark = pytest.mark.django_db
D = datetime.date

PAGES = [
    "income_list",
    "income_create",
    "assessment_list",
    "assessment_create",
    "progress",
    "progress_pdf",
]


@pytest.fixture
def family(personas):
    family = household(
        3, branch=branch("SAM"), caseworker=personas.caseworker, intake_date=D(2024, 1, 1)
    )
    IncomeRecordFactory(family=family, month=D(2025, 1, 1), amount=2_000_000)
    record_levels(family, D(2025, 2, 1), {}, kind="intake", default=2)
    return family


def _url(name, family):
    return reverse(f"wellbeing:{name}", args=[family.pk])


@pytest.mark.parametrize("name", PAGES)
def test_caseworker_of_the_branch_and_the_director_open_every_page(
    client_for, personas, family, name
):
    for user in (personas.caseworker, personas.director):
        response = client_for(user).get(_url(name, family))
        assert response.status_code == 200, (user, name)


def test_auditor_may_not_take_the_progress_report_out(client_for, personas, family):
    assert client_for(personas.auditor).get(_url("progress_pdf", family)).status_code == 403


@pytest.mark.parametrize("name", ["income_list", "assessment_list", "progress"])
def test_auditor_reads(client_for, personas, family, name):
    response = client_for(personas.auditor).get(_url(name, family))
    assert response.status_code == 200
    if name == "income_list":
        page = response.content.decode()
        assert "2\u202f000\u202f000" in page  # the record is listed
        assert "/edit/" not in page and "Add income" not in page


@pytest.mark.parametrize("name", ["income_create", "assessment_create"])
def test_auditor_may_not_write(client_for, personas, family, name):
    assert client_for(personas.auditor).get(_url(name, family)).status_code == 403
    assert client_for(personas.auditor).post(_url(name, family), {}).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_roles_without_family_pages_get_403(client_for, personas, family, name):
    for user in (personas.trainer, personas.manager, personas.outsider):
        assert client_for(user).get(_url(name, family)).status_code == 403, (user, name)


@pytest.mark.parametrize("name", PAGES)
def test_a_family_of_another_branch_is_404(client_for, personas, family, name):
    assert client_for(personas.caseworker_tashkent).get(_url(name, family)).status_code == 404


def test_assessment_detail_access(client_for, personas, family):
    assessment = family.assessments.get()
    url = reverse("wellbeing:assessment_detail", args=[family.pk, assessment.pk])
    assert client_for(personas.caseworker).get(url).status_code == 200
    assert client_for(personas.caseworker_tashkent).get(url).status_code == 404
    other = household(2, branch=branch("TAS"))
    wrong = reverse("wellbeing:assessment_detail", args=[other.pk, assessment.pk])
    assert client_for(personas.director).get(wrong).status_code == 404


def test_add_edit_and_delete_a_manual_record(client_for, personas, family):
    client = client_for(personas.caseworker)
    response = client.post(
        _url("income_create", family),
        {
            "month": "2025-03",
            "source": "remittances",
            "amount": "1 500 000,4".replace(",", "."),
            "evidence": "Bank transfer",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    record = IncomeRecord.objects.get(family=family, month=D(2025, 3, 1))
    assert (record.amount, record.source, record.recorded_by) == (
        1_500_000,
        "remittances",
        personas.caseworker,
    )
    edit = reverse("wellbeing:income_update", args=[family.pk, record.pk])
    response = client.post(
        edit, {"month": "2025-04", "source": "remittances", "amount": "900000", "evidence": ""}
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.month, record.amount) == (D(2025, 4, 1), 900_000)
    delete = reverse("wellbeing:income_delete", args=[family.pk, record.pk])
    assert client.post(delete).status_code == 302
    assert not IncomeRecord.objects.filter(pk=record.pk).exists()


def test_an_automatic_record_is_read_only(client_for, personas, family):
    origin = personas.director  # any model instance serves as an origin here
    record = income_record_upsert(
        family=family,
        person=None,
        month=D(2025, 5, 1),
        source="enterprise_wages",
        amount=1_000_000,
        origin=origin,
    )
    client = client_for(personas.caseworker)
    page = client.get(_url("income_list", family)).content.decode()
    assert "Changes only through its origin" in page
    assert reverse("wellbeing:income_update", args=[family.pk, record.pk]) not in page
    edit = reverse("wellbeing:income_update", args=[family.pk, record.pk])
    assert client.get(edit).status_code == 403
    assert (
        client.post(edit, {"month": "2025-05", "source": "other", "amount": "1"}).status_code == 403
    )
    delete = reverse("wellbeing:income_delete", args=[family.pk, record.pk])
    assert client.post(delete).status_code == 403
    record.refresh_from_db()
    assert record.amount == 1_000_000
    assert record.origin_type == ContentType.objects.get_for_model(origin)


def test_origin_income_recomputes_the_score_on_commit(
    personas, family, django_capture_on_commit_callbacks
):
    # Intake at 2 everywhere; six months at the line would make income hold, so watch the months.
    before = FamilyScore.objects.get(family=family).months_at_or_above_line
    month = datetime.date.today().replace(day=1)
    last = (month - datetime.timedelta(days=1)).replace(day=1)
    with recomputes_counted() as runs, django_capture_on_commit_callbacks(execute=True):
        income_record_upsert(
            family=family,
            person=None,
            month=last,
            source="enterprise_wages",
            amount=10_000_000,
            origin=personas.director,
        )
    assert len(runs) == 1 and family.pk in runs[0]
    assert before == 0
    assert FamilyScore.objects.get(family=family).months_at_or_above_line == 1


def test_export_needs_the_personal_data_permission(client_for, personas, family):
    url = _url("income_list", family) + "?_export=csv"
    response = client_for(personas.caseworker).get(url)
    assert response.status_code == 200
    assert "2000000" in response.content.decode()
    assert client_for(personas.auditor).get(url).status_code == 403


def test_record_an_assessment_through_the_form(client_for, personas, family):
    ids = domain_ids()
    data = {"date": "2025-08-01", "kind": "six_monthly", "notes": "Home visit"}
    for _code, pk in ids.items():
        data[f"level_{pk}"] = "4"
    # Income over Feb-Jul 2025 proposes 1: a level of 4 needs a reason.
    response = client_for(personas.caseworker).post(_url("assessment_create", family), data)
    assert response.status_code == 200
    assert "Say why the level differs from the proposed one." in response.content.decode()
    data[f"reason_{ids['income']}"] = "Wages not yet in the ledger"
    data[f"reason_{ids['employment']}"] = "Started work in July"
    response = client_for(personas.caseworker).post(_url("assessment_create", family), data)
    assert response.status_code == 302
    assessment = Assessment.objects.get(family=family, date=D(2025, 8, 1))
    assert assessment.recorded_by == personas.caseworker
    score = FamilyScore.objects.get(family=family)
    assert (score.score, score.previous_score, score.trend) == (75, 25, "up")


def test_progress_page_draws_svg_without_inline_style_or_script(client_for, personas, family):
    page = client_for(personas.caseworker).get(_url("progress", family)).content.decode()
    assert page.count("<svg") >= 2
    assert "<polyline" in page
    assert "style=" not in page
    assert "<script>" not in page and "<script " not in page.replace("<script src=", "")


def test_progress_pdf_renders(client_for, personas, family, pdf_renders):
    response = client_for(personas.caseworker).get(_url("progress_pdf", family))
    assert len(pdf_renders) == 1 and "css/pdf.css" in pdf_renders[0]  # through common.pdf
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        ARTIFACTS.mkdir(exist_ok=True)
        path = ARTIFACTS / "wellbeing-progress.pdf"
        path.write_bytes(response.content)
        text = subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "Family progress report" in text
        assert family.case_number in text
        assert "Exit checklist" in text
        if shutil.which("pdftoppm"):
            subprocess.run(
                ["pdftoppm", "-png", "-r", "60", str(path), str(ARTIFACTS / "wellbeing-progress")],
                check=True,
            )


def test_many_income_records_in_one_transaction_give_one_recompute(
    personas, family, django_capture_on_commit_callbacks
):
    other = household(2, branch=branch("SAM"))
    with recomputes_counted() as runs, django_capture_on_commit_callbacks(execute=True):
        for index, target in enumerate([family, other, family]):
            income_record_upsert(
                family=target,
                person=None,
                month=D(2025, 6, 1),
                source="enterprise_wages",
                amount=1_000_000,
                origin=[personas.director, personas.manager, personas.auditor][index],
            )
    assert len(runs) == 1 and {family.pk, other.pk} <= runs[0]
    assert FamilyScore.objects.filter(family__in=[family, other]).count() == 2


@pytest.mark.parametrize("name", ["progress", "income_list", "assessment_list"])
def test_page_queries_do_not_grow_with_the_family_history(client_for, personas, family, name):
    client = client_for(personas.caseworker)
    client.get(_url(name, family))  # warm the session and the content types
    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(name, family)).status_code == 200
    for month in range(2, 12):
        IncomeRecordFactory(family=family, month=D(2025, month, 1), amount=900_000)
    for month in range(3, 9):
        record_levels(family, D(2025, month, 1), {}, default=3)
    with CaptureQueriesContext(connection) as large:
        assert client.get(_url(name, family)).status_code == 200
    assert len(large) == len(small), [q["sql"] for q in large.captured_queries]
