"""The certificate PDF in three languages, and the public page that verifies it."""

import csv
import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import PersonFactory
from tests.training.factories import (
    CohortFactory,
    CourseFactory,
    EnrolmentFactory,
    QualificationFactory,
)
from training.choices import AttendanceStatus
from training.models import Attendance, Session

pytestmark = pytest.mark.django_db


@pytest.fixture
def qualification(personas, samarkand):
    course = CourseFactory(
        title="Carpet weaving", title_ru="Ковроткачество", title_uz="Gilam toʻqish", hours=180
    )
    cohort = CohortFactory(course=course, branch=samarkand, trainer=personas.trainer)
    person = PersonFactory(
        family__branch=samarkand, full_name="Gʻulomova Oʻgʻiloy", phone="+998 93 555 44 33",
        pinfl="98765432109876",
    )  # fmt: skip
    enrolment = EnrolmentFactory(
        cohort=cohort, person=person, status="completed", ended_on=cohort.start_date
    )
    return QualificationFactory(enrolment=enrolment)


def pdf_text(pdf: bytes) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


@pytest.mark.parametrize(
    ("language", "course", "heading"),
    [
        ("uz", "Gilam toʻqish", "SERTIFIKAT"),
        ("ru", "Ковроткачество", "СЕРТИФИКАТ"),
        ("en", "Carpet weaving", "CERTIFICATE"),
    ],
)
def test_the_certificate_names_holder_and_course_in_the_language_asked(
    client_for, personas, qualification, language, course, heading
):
    url = reverse("training:certificate_pdf", args=[qualification.pk, language])
    response = client_for(personas.trainer).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Gʻulomova Oʻgʻiloy" in text
    assert course in text
    assert heading in text.replace(" ", "")  # letter-spaced, so pdftotext splits it
    assert qualification.number in text
    assert qualification.verification_code in text
    assert f"/verify/{qualification.verification_code}/" in text


def test_the_certificate_is_a4_landscape_with_one_page(
    client_for, personas, qualification, pdf_renders
):
    pdf = (
        client_for(personas.director)
        .get(reverse("training:certificate_pdf", args=[qualification.pk, "en"]))
        .content
    )
    info = subprocess.run(
        ["pdfinfo", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()
    assert "Pages:           1" in info
    assert "841.89 x 595.276 pts (A4)" in info or "842 x 595 pts (A4)" in info
    assert len(pdf_renders) == 1 and "css/pdf.css" in pdf_renders[0]  # through common.pdf


def test_certificate_access(client_for, personas, qualification, world):
    url = reverse("training:certificate_pdf", args=[qualification.pk, "uz"])
    assert client_for(personas.caseworker).get(url).status_code == 200
    assert client_for(personas.auditor).get(url).status_code == 403  # may not take it out
    assert client_for(personas.manager).get(url).status_code == 403
    assert client_for(personas.caseworker_tashkent).get(url).status_code == 404
    assert client_for(world.other_trainer).get(url).status_code == 404
    unknown = reverse("training:certificate_pdf", args=[qualification.pk, "de"])
    assert client_for(personas.director).get(unknown).status_code == 404


def test_the_verification_page_confirms_a_real_code_without_sign_in(client, qualification):
    response = client.get(reverse("training:verify", args=[qualification.verification_code]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "This certificate is valid." in page
    assert "Gʻulomova Oʻgʻiloy" in page
    assert "Carpet weaving" in page
    assert qualification.issued_on.strftime("%d.%m.%Y") in page
    # Nothing else about the person is public.
    for private in ("+998 93 555 44 33", "98765432109876", "17.05.1990", "Samarkand"):
        assert private not in page
    assert response["X-Robots-Tag"] == "noindex"


def test_the_verification_page_in_russian_names_the_course_in_russian(client, qualification):
    client.cookies["django_language"] = "ru"
    page = client.get(
        reverse("training:verify", args=[qualification.verification_code])
    ).content.decode()
    assert "Ковроткачество" in page


def test_a_forged_code_is_rejected(client, qualification):
    forged = qualification.verification_code[:-1] + (
        "0" if qualification.verification_code[-1] != "0" else "1"
    )
    response = client.get(reverse("training:verify", args=[forged]))
    assert response.status_code == 404
    page = response.content.decode()
    assert "it is not valid" in page
    assert "Gʻulomova" not in page


def test_a_revoked_certificate_is_not_valid(client, qualification):
    qualification.revoked_on = qualification.issued_on
    qualification.revoked_reason = "Issued in error"
    qualification.save()
    page = client.get(
        reverse("training:verify", args=[qualification.verification_code])
    ).content.decode()
    assert "not valid" in page
    assert "This certificate is valid." not in page
    assert "Issued in error" not in page


def test_the_code_form_accepts_lower_case_and_dashes(client, qualification):
    typed = "-".join(
        [qualification.verification_code[:10], qualification.verification_code[10:]]
    ).lower()
    response = client.get(reverse("training:verify_form"), {"code": typed}, follow=True)
    assert "This certificate is valid." in response.content.decode()


def test_a_revoked_certificate_is_not_printed(client_for, personas, qualification):
    qualification.revoked_on = qualification.issued_on
    qualification.revoked_reason = "Issued in error"
    qualification.save()
    url = reverse("training:certificate_pdf", args=[qualification.pk, "en"])
    assert client_for(personas.director).get(url).status_code == 404


def test_the_certificate_states_the_hours_attended_not_the_courses(
    client_for, personas, qualification
):
    """The course has 180 hours; the learner came to 7 of the cohort's 2.5-hour sessions."""
    cohort = qualification.enrolment.cohort
    cohort.session_hours = Decimal("2.5")
    cohort.save()
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            date=cohort.start_date + datetime.timedelta(days=n),
            recorded_at=timezone.now(),
        )
        for n in range(9)
    )
    Attendance.objects.bulk_create(
        Attendance(
            enrolment=qualification.enrolment,
            session=session,
            status=AttendanceStatus.PRESENT if n < 7 else AttendanceStatus.ABSENT,
        )
        for n, session in enumerate(sessions)
    )
    client = client_for(personas.trainer)
    text = pdf_text(
        client.get(reverse("training:certificate_pdf", args=[qualification.pk, "en"])).content
    )
    assert "Hours attended: 17.5" in text
    assert "180 hours" not in text and "180" not in text.split("Hours attended", 1)[1][:8]
    ru = pdf_text(
        client.get(reverse("training:certificate_pdf", args=[qualification.pk, "ru"])).content
    )
    assert "17,5" in ru  # the reader's number format
    # The enrolment page, the verification page and the enrolment export say the same.
    page = client.get(reverse("training:enrolment_detail", args=[qualification.enrolment_id]))
    assert '<dd class="hours-attended">17.5</dd>' in page.content.decode()
    verify = client.get(reverse("training:verify", args=[qualification.verification_code]))
    assert '<dd class="verify-hours">17.5</dd>' in verify.content.decode()
    export = client_for(personas.caseworker).get(
        reverse("training:enrolment_list"), {"_export": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    [row] = [r for r in rows if r["Learner"] == "Gʻulomova Oʻgʻiloy"]
    assert row["Hours attended"] == "17.5"
