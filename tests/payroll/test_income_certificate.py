"""Income certificates and the year's statement: the figures (worked by hand), the snapshot,
the refusals, who may issue and see them (403 / 404), the public page, and the PDF read back:
its text extracted, its QR code decoded and the decoded address opened on the public page."""

import datetime
import io
import re
import subprocess
from decimal import Decimal as D
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader

from payroll import certificates, services
from payroll.models import IncomeCertificate
from payroll.selectors import employee_months, months_totals, year_statement
from tests.payroll.factories import hire

pytestmark = pytest.mark.django_db

JAN, FEB, MAR = (datetime.date(2025, m, 1) for m in (1, 2, 3))
PINFL = "31705900123456"
TODAY = datetime.date(2025, 4, 10)


def approve(run):
    return services.payroll_run_approve(run=run)


@pytest.fixture
def worker(enterprise):
    enterprise.tax_number = "305123456"
    enterprise.save()
    employment = hire(enterprise, rate="3000000")
    employment.person.full_name = "Karimova Dilnoza Akmalovna"
    employment.person.pinfl = PINFL
    employment.person.save()
    return employment


@pytest.fixture
def paid_months(enterprise, worker):
    """January approved; February's first run reversed and the month run again with a bonus
    of 500 000; March only drafted.

    January: 20 of 20 days, gross 3 000 000, income tax 12% 360 000 (of which INPS 0.1%
    3 000), net 2 640 000. February's re-run: gross 3 500 000, tax 420 000 (INPS 3 500),
    net 3 080 000. The reversed run counts for nothing, the draft neither."""
    approve(services.payroll_run_generate(enterprise=enterprise, month=JAN))
    wrong = approve(services.payroll_run_generate(enterprise=enterprise, month=FEB))
    services.payroll_run_reverse(run=wrong, reason="Bonus forgotten")
    rerun = services.payroll_run_generate(enterprise=enterprise, month=FEB)
    line = rerun.timesheet.get()
    services.timesheet_save(run=rerun, lines={line.pk: {"bonus": D(500000)}})
    approve(rerun)
    services.payroll_run_generate(enterprise=enterprise, month=MAR)
    return worker


def issue(enterprise, person, first=JAN, last=MAR, **kwargs):
    return certificates.income_certificate_issue(
        enterprise=enterprise,
        person=person,
        first_month=first,
        last_month=last,
        today=TODAY,
        **kwargs,
    )


def plain(text: str) -> str:
    """PDF text without its spaces (the thin spaces grouping the digits included)."""
    return re.sub(r"\s+", "", text.replace("\u202f", "").replace("\u00a0", ""))


# --- the figures ----------------------------------------------------------------------------


def test_months_come_from_approved_payslips_only(
    enterprise, paid_months, django_assert_num_queries
):
    with django_assert_num_queries(1):
        rows = employee_months(enterprise, paid_months.person, JAN, MAR)
    assert [
        (r["month"], r["payslips"], r["gross"], r["income_tax"], r["inps"], r["net"]) for r in rows
    ] == [
        (JAN, 1, D(3000000), D(360000), D(3000), D(2640000)),
        (FEB, 1, D(3500000), D(420000), D(3500), D(3080000)),
        (MAR, 0, D(0), D(0), D(0), D(0)),  # a draft certifies nothing
    ]
    assert months_totals(rows) == {
        "gross": D(6500000),
        "income_tax": D(780000),
        "inps": D(6500),
        "net": D(5720000),
    }


def test_another_enterprise_pays_separately(enterprise, paid_months, other_enterprise):
    hire(other_enterprise, rate="2000000", person=paid_months.person)
    approve(services.payroll_run_generate(enterprise=other_enterprise, month=JAN))
    rows = employee_months(enterprise, paid_months.person, JAN, JAN)
    assert rows[0]["gross"] == D(3000000)
    assert employee_months(other_enterprise, paid_months.person, JAN, JAN)[0]["gross"] == D(2000000)


def test_the_year_statement_has_twelve_months_and_their_totals(enterprise, paid_months):
    rows, totals = year_statement(enterprise, paid_months.person, 2025)
    assert [r["month"].month for r in rows] == list(range(1, 13))
    assert totals == {
        "gross": D(6500000),
        "income_tax": D(780000),
        "inps": D(6500),
        "net": D(5720000),
    }


# --- issuing: snapshot and refusals ---------------------------------------------------------


def test_issue_keeps_a_snapshot(enterprise, paid_months, personas):
    personas.director.first_name, personas.director.last_name = "Aziza", "Rahimova"
    personas.director.save()
    certificate = issue(enterprise, paid_months.person, issued_by=personas.director)
    assert (certificate.gross_total, certificate.income_tax_total, certificate.net_total) == (
        D(6500000),
        D(780000),
        D(5720000),
    )
    assert certificate.months == [
        {
            "month": "2025-01",
            "payslips": 1,
            "gross": "3000000",
            "income_tax": "360000",
            "net": "2640000",
        },
        {
            "month": "2025-02",
            "payslips": 1,
            "gross": "3500000",
            "income_tax": "420000",
            "net": "3080000",
        },
        {"month": "2025-03", "payslips": 0, "gross": "0", "income_tax": "0", "net": "0"},
    ]
    assert certificate.holder_pinfl == PINFL
    assert certificate.enterprise_tax_number == "305123456"
    assert certificate.issued_by_name == "Aziza Rahimova"
    assert certificate.issued_on == TODAY
    assert re.fullmatch(r"MD-2025-[0-9A-Z]{4}-[0-9A-Z]{4}", certificate.number)
    assert len(certificate.verification_code) == 20
    assert certificate.holder_initials == "K. D. A."
    # The paper keeps saying what it said: a later reversal of January changes the payroll,
    # not the issued certificate (it is revoked and a new one issued instead).
    january = enterprise.payroll_runs.get(month=JAN)
    services.payroll_run_reverse(run=january, reason="Wrong rate")
    certificate.refresh_from_db()
    assert certificate.gross_total == D(6500000)
    assert issue(enterprise, paid_months.person).gross_total == D(3500000)


@pytest.mark.parametrize(
    ("first", "last", "field"),
    [
        (MAR, JAN, "last_month"),  # backwards
        (JAN, datetime.date(2025, 5, 1), "last_month"),  # after the current month
        (datetime.date(2022, 1, 1), MAR, "first_month"),  # 39 months
    ],
)
def test_a_span_out_of_bounds_is_refused(enterprise, paid_months, first, last, field):
    with pytest.raises(ValidationError) as error:
        issue(enterprise, paid_months.person, first, last)
    assert field in error.value.error_dict


def test_no_tax_number_no_pinfl_no_payslip_are_refused(enterprise, paid_months):
    person = paid_months.person
    with pytest.raises(ValidationError) as error:
        issue(enterprise, person, datetime.date(2024, 1, 1), datetime.date(2024, 12, 1))
    assert "no approved payslip" in str(error.value)
    person.pinfl = None
    person.save()
    with pytest.raises(ValidationError) as error:
        issue(enterprise, person)
    assert "person" in error.value.error_dict
    enterprise.tax_number = ""
    enterprise.save()
    with pytest.raises(ValidationError) as error:
        issue(enterprise, person)
    assert "enterprise" in error.value.error_dict
    assert not IncomeCertificate.objects.exists()


@pytest.mark.parametrize(
    "typed", ["12345678", "1234567890", "12345678a", "١٢٣٤٥٦٧٨٩", "１２３４５６７８９"]
)
def test_the_tax_number_is_nine_ascii_digits(enterprise, typed):
    enterprise.tax_number = typed
    with pytest.raises(ValidationError) as error:
        enterprise.full_clean()
    assert "tax_number" in error.value.error_dict


def test_a_valid_tax_number_passes(enterprise):
    enterprise.tax_number = "305123456"
    enterprise.full_clean()


def test_revoke_needs_a_reason_and_happens_once(enterprise, paid_months, personas):
    certificate = issue(enterprise, paid_months.person)
    with pytest.raises(ValidationError):
        certificates.income_certificate_revoke(certificate=certificate, reason="  ")
    certificates.income_certificate_revoke(
        certificate=certificate, reason="February corrected", revoked_by=personas.manager
    )
    certificate.refresh_from_db()
    assert not certificate.is_valid and certificate.revoked_by == personas.manager
    assert certificate.history.first().history_change_reason == "February corrected"
    with pytest.raises(ValidationError):
        certificates.income_certificate_revoke(certificate=certificate, reason="again")


# --- who may issue and see ------------------------------------------------------------------


def form_data(enterprise, person, first="2025-01", last="2025-03"):
    return {
        "enterprise": enterprise.pk,
        "person": person.pk,
        "first_month": first,
        "last_month": last,
    }


@pytest.mark.parametrize("who", ["manager", "director"])
def test_managers_and_the_programme_manager_issue(
    client_for, personas, enterprise, paid_months, who
):
    client = client_for(getattr(personas, who))
    page = client.get(
        f"/payroll/certificates/new/?enterprise={enterprise.pk}&person={paid_months.person.pk}"
    )
    assert page.status_code == 200
    assert page.context["form"].initial["person"] == paid_months.person.pk
    response = client.post("/payroll/certificates/new/", form_data(enterprise, paid_months.person))
    certificate = IncomeCertificate.objects.get()
    assert response.status_code == 302 and response["Location"] == certificate.get_absolute_url()
    assert certificate.issued_by == getattr(personas, who)
    assert client.get(certificate.get_absolute_url()).status_code == 200
    assert client.get("/payroll/certificates/").status_code == 200


@pytest.mark.parametrize("who", ["caseworker", "trainer", "auditor", "outsider"])
def test_other_roles_may_not_issue(client_for, personas, enterprise, paid_months, who):
    client = client_for(getattr(personas, who))
    assert client.get("/payroll/certificates/new/").status_code == 403
    response = client.post("/payroll/certificates/new/", form_data(enterprise, paid_months.person))
    assert response.status_code == 403
    assert not IncomeCertificate.objects.exists()


def test_the_auditor_reads_but_neither_revokes_nor_takes_the_pdf(
    client_for, personas, enterprise, paid_months
):
    certificate = issue(enterprise, paid_months.person)
    client = client_for(personas.auditor)
    assert client.get(certificate.get_absolute_url()).status_code == 200
    assert client.get(f"/payroll/certificates/{certificate.pk}/en.pdf").status_code == 403
    assert (
        client.post(f"/payroll/certificates/{certificate.pk}/revoke/", {"reason": "x"}).status_code
        == 403
    )
    certificate.refresh_from_db()
    assert certificate.is_valid


@pytest.mark.parametrize("who", ["caseworker", "trainer", "outsider"])
def test_others_see_no_certificate(client_for, personas, enterprise, paid_months, who):
    certificate = issue(enterprise, paid_months.person)
    client = client_for(getattr(personas, who))
    for url in [
        "/payroll/certificates/",
        certificate.get_absolute_url(),
        f"/payroll/certificates/{certificate.pk}/uz.pdf",
    ]:
        assert client.get(url).status_code == 403, url


def test_a_manager_gets_404_for_another_enterprises_certificate(
    client_for, personas, other_enterprise
):
    other_enterprise.tax_number = "305999999"
    other_enterprise.save()
    employment = hire(other_enterprise, rate="2000000")
    employment.person.pinfl = "41111111111111"
    employment.person.save()
    approve(services.payroll_run_generate(enterprise=other_enterprise, month=JAN))
    certificate = issue(other_enterprise, employment.person, JAN, JAN)
    client = client_for(personas.manager)
    base = f"/payroll/certificates/{certificate.pk}/"
    assert client.get(base).status_code == 404
    assert client.get(base + "uz.pdf").status_code == 404
    assert client.get(base + "revoke/").status_code == 404
    assert client.post(base + "revoke/", {"reason": "mine now"}).status_code == 404
    assert certificate.number not in client.get("/payroll/certificates/").content.decode()
    # nor may they issue one for it: the enterprise is not among the form's choices
    response = client.post(
        "/payroll/certificates/new/",
        form_data(other_enterprise, employment.person, "2025-01", "2025-01"),
    )
    assert response.status_code == 200 and "enterprise" in response.context["form"].errors
    assert IncomeCertificate.objects.count() == 1


def test_a_person_of_another_enterprise_is_refused_on_the_form(
    client_for, personas, enterprise, paid_months, other_enterprise
):
    stranger = hire(other_enterprise, rate="2000000").person
    response = client_for(personas.director).post(
        "/payroll/certificates/new/", form_data(enterprise, stranger)
    )
    assert response.status_code == 200 and "person" in response.context["form"].errors


def test_revoking_through_the_page(client_for, personas, enterprise, paid_months):
    certificate = issue(enterprise, paid_months.person)
    client = client_for(personas.manager)
    assert client.get(f"/payroll/certificates/{certificate.pk}/revoke/").status_code == 200
    response = client.post(
        f"/payroll/certificates/{certificate.pk}/revoke/", {"reason": "Wrong month"}
    )
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "Wrong month"
    # a revoked certificate is no longer printed
    assert client.get(f"/payroll/certificates/{certificate.pk}/uz.pdf").status_code == 404


def test_the_list_has_fixed_queries(
    client_for, personas, enterprise, paid_months, django_assert_num_queries
):
    client = client_for(personas.manager)
    issue(enterprise, paid_months.person)
    client.get("/payroll/certificates/")  # warm the session and the user's caches
    with django_assert_num_queries(7) as one:
        client.get("/payroll/certificates/")
    for _index in range(4):
        issue(enterprise, paid_months.person)
    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get("/payroll/certificates/")
    assert len(response.context["object_list"]) == 5


# --- the public page ------------------------------------------------------------------------


def test_the_public_page_shows_only_what_verifies(client, enterprise, paid_months):
    certificate = issue(enterprise, paid_months.person)
    response = client.get(f"/verify-income/{certificate.verification_code}/")
    assert response.status_code == 200 and response["X-Robots-Tag"] == "noindex"
    html = response.content.decode()
    assert "This income certificate is valid." in html
    assert "K. D. A." in html and certificate.number in html and "305123456" in html
    assert "6\u202f500\u202f000" in html and "5\u202f720\u202f000" in html
    assert "Karimova" not in html and PINFL not in html
    assert "3\u202f500\u202f000" not in html  # no month's figures


def test_the_public_page_says_when_it_was_revoked(client, enterprise, paid_months):
    certificate = issue(enterprise, paid_months.person)
    certificates.income_certificate_revoke(certificate=certificate, reason="Figures corrected")
    html = client.get(f"/verify-income/{certificate.verification_code}/").content.decode()
    assert "not valid: it was revoked" in html
    assert "6\u202f500\u202f000" not in html  # a revoked paper's figures are not vouched for


def test_an_unknown_code_is_404_and_a_typed_code_is_normalised(client, enterprise, paid_months):
    certificate = issue(enterprise, paid_months.person)
    assert client.get("/verify-income/0000000000000000000A/").status_code == 404
    code = certificate.verification_code
    typed = f" {code[:5].lower()}-{code[5:10]} {code[10:]} "
    response = client.get("/verify-income/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/verify-income/{code}/"
    assert client.get("/verify-income/").status_code == 200


# --- the PDF read back ----------------------------------------------------------------------

TITLES = {
    "en": "INCOME CERTIFICATE",
    "ru": "СПРАВКА О ДОХОДАХ",
    "uz": "DAROMAD TOʻGʻRISIDA MAʼLUMOTNOMA",
}


def decode_qr(pdf: bytes, tmp_path) -> str:
    import zxingcpp
    from PIL import Image

    (tmp_path / "c.pdf").write_bytes(pdf)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "150",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(tmp_path / "c.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    page = next(tmp_path.glob("page*.png"))
    found = zxingcpp.read_barcodes(Image.open(page))
    assert len(found) == 1 and found[0].format == zxingcpp.BarcodeFormat.QRCode
    return found[0].text


@pytest.mark.parametrize("language", ["uz", "ru", "en"])
def test_the_pdf_reads_back_and_its_qr_verifies(
    client_for, client, personas, enterprise, paid_months, tmp_path, language
):
    manager = client_for(personas.manager)
    manager.post("/payroll/certificates/new/", form_data(enterprise, paid_months.person))
    certificate = IncomeCertificate.objects.get()
    response = manager.get(f"/payroll/certificates/{certificate.pk}/{language}.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    pdf = response.content
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    flat = plain(text)
    assert plain(TITLES[language]) in flat
    for printed in [
        certificate.number,
        certificate.verification_code,
        PINFL,
        "305123456",
        "KarimovaDilnozaAkmalovna",
        enterprise.name.replace(" ", ""),
    ]:
        assert printed in flat, printed
    for amount in [
        "3000000",
        "360000",
        "2640000",
        "3500000",
        "420000",
        "3080000",
        "6500000",
        "780000",
        "5720000",
    ]:
        assert amount in flat, amount
    url = decode_qr(pdf, tmp_path)
    assert url == f"http://testserver/verify-income/{certificate.verification_code}/"
    client.logout()
    page = client.get(urlsplit(url).path)
    assert page.status_code == 200
    assert "✔" in page.content.decode() and certificate.number in page.content.decode()


def test_the_year_statement_pdf(client_for, personas, enterprise, paid_months):
    client = client_for(personas.manager)
    form = client.get(
        "/payroll/statements/",
        {
            "enterprise": enterprise.pk,
            "person": paid_months.person.pk,
            "year": 2025,
            "language": "ru",
        },
    )
    url = f"/payroll/statements/{enterprise.pk}/{paid_months.person.pk}/2025.pdf"
    assert form.status_code == 302 and form["Location"] == f"{url}?lang=ru"
    response = client.get(url, {"lang": "en"})
    assert response.status_code == 200 and response.has_header("Content-Disposition")
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    flat = plain(text)
    assert "Statementofearningsfor2025" in flat and PINFL in flat and "305123456" in flat
    for amount in [
        "3000000",
        "360000",
        "3000",
        "2640000",
        "3500000",
        "3080000",
        "6500000",
        "780000",
        "6500",
        "5720000",
    ]:
        assert amount in flat, amount
    assert flat.count("—") == 40  # ten months without approved pay, four columns each


def test_the_year_statement_scope(client_for, personas, enterprise, paid_months, other_enterprise):
    stranger = hire(other_enterprise, rate="2000000").person
    client = client_for(personas.manager)
    assert (
        client.get(f"/payroll/statements/{other_enterprise.pk}/{stranger.pk}/2025.pdf").status_code
        == 404
    )
    assert (
        client.get(f"/payroll/statements/{enterprise.pk}/{stranger.pk}/2025.pdf").status_code == 404
    )
    assert (
        client.get(
            f"/payroll/statements/{enterprise.pk}/{paid_months.person.pk}/1999.pdf"
        ).status_code
        == 404
    )
    assert client.get("/payroll/statements/").status_code == 200
    for who in ("caseworker", "trainer", "outsider"):
        other = client_for(getattr(personas, who))
        assert (
            other.get(
                f"/payroll/statements/{enterprise.pk}/{paid_months.person.pk}/2025.pdf"
            ).status_code
            == 403
        )
        assert other.get("/payroll/statements/").status_code == 403


# --- the minimum wage on the payslip PDF ----------------------------------------------------


def test_the_payslip_pdf_warns_below_the_minimum_wage(client_for, personas, enterprise):
    low = hire(enterprise, rate="1000000")  # full time, below the 1 155 000 minimum
    fair = hire(enterprise, rate="3000000")
    run = services.payroll_run_generate(enterprise=enterprise, month=MAR)
    client = client_for(personas.manager)
    texts = {}
    for employment in (low, fair):
        payslip = run.payslips.get(employment=employment)
        response = client.get(f"/payroll/payslips/{payslip.pk}/pdf/", {"lang": "en"})
        texts[employment] = plain(PdfReader(io.BytesIO(response.content)).pages[0].extract_text())
    assert "belowtheminimummonthlywageof1155000" in texts[low]
    assert "minimum" not in texts[fair]


def test_the_list_filters(client_for, personas, enterprise, paid_months):
    kept = issue(enterprise, paid_months.person)
    gone = issue(enterprise, paid_months.person)
    certificates.income_certificate_revoke(certificate=gone, reason="Wrong")
    client = client_for(personas.manager)
    shown = lambda params: {  # noqa: E731
        c.pk for c in client.get("/payroll/certificates/", params).context["object_list"]
    }
    assert shown({"valid": "true"}) == {kept.pk}
    assert shown({"valid": "false"}) == {gone.pk}
    assert shown({"q": kept.number}) == {kept.pk}
    assert shown({"q": "Karimova"}) == {kept.pk, gone.pk}
    assert shown({"q": "nobody"}) == set()
