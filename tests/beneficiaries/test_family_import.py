"""Import of families with members: all or nothing, problems named, no duplicates."""

import csv
import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse, reverse_lazy
from openpyxl import Workbook, load_workbook

from beneficiaries.imports import COLUMNS, import_families
from beneficiaries.models import Family, Person
from tests.factories import MakhallaFactory, UserFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse_lazy("beneficiaries:family_import")


def family_rows(count, start=1):
    """Two members per family: the mother on the family's first row, then a child."""
    rows = []
    for n in range(start, start + count):
        number = f"SAM-2015-{n:04d}"
        rows.append(
            {
                "case_number": number, "intake_date": "2015-04-01", "makhalla": "Registon",
                "address": f"Navoiy koʻchasi, {n}-uy", "family_phone": "+998 90 000 00 00",
                "referral_source": "school", "consent_date": "01.04.2015",
                "full_name": f"Saidova Kamola {n}", "sex": "F", "birth_date": "1985-02-03",
                "relationship": "head", "caregiver": "yes", "pinfl": f"{n:014d}",
                "phone": "", "education_level": "secondary", "disability": "none",
            }
        )  # fmt: skip
        rows.append(
            {
                "case_number": number, "full_name": f"Saidov Jasur {n}", "sex": "Male",
                "birth_date": "2010-07-08", "relationship": "child", "caregiver": "",
            }
        )  # fmt: skip
    return rows


def as_csv(rows, name="families.csv", delimiter=","):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), "text/csv")


def as_xlsx(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(COLUMNS)
    for row in rows:
        sheet.append([row.get(column, "") for column in COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("families.xlsx", buffer.getvalue())


@pytest.fixture
def registon(samarkand):
    return MakhallaFactory(branch=samarkand, name="Registon")


def test_a_good_file_imports_every_family_and_member(client_for, personas, registon):
    response = client_for(personas.caseworker).post(IMPORT, {"file": as_csv(family_rows(30))})
    assert response.status_code == 302
    assert Family.objects.count() == 30
    assert Person.objects.count() == 60
    family = Family.objects.get(case_number="SAM-2015-0007")
    assert family.makhalla == registon
    assert family.caseworker == personas.caseworker
    assert family.consent_recorded_by == personas.caseworker
    assert family.history.count() == 1  # imports leave a trace in the change history
    child = family.members.get(relationship="child")
    assert (child.sex, child.is_caregiver) == ("M", False)


def test_one_bad_row_among_many_imports_nothing_and_names_the_row(client_for, personas, registon):
    rows = family_rows(50)
    rows[67]["birth_date"] = "31.02.2011"  # file line 69 (header is line 1)
    response = client_for(personas.caseworker).post(IMPORT, {"file": as_csv(rows)})
    assert response.status_code == 200
    assert not Family.objects.exists()
    assert not Person.objects.exists()
    problems = response.context["problems"]
    assert [(p.line, p.column) for p in problems] == [(69, "birth_date")]
    page = response.content.decode()
    assert "Nothing was imported" in page
    assert '<td class="num">69</td>' in page


def test_every_problem_is_reported_with_line_column_and_reason(personas, registon):
    rows = family_rows(3)
    rows[0]["sex"] = "X"
    rows[2]["case_number"] = "SAMARKAND-1"
    rows[3]["pinfl"] = "123"
    rows[4]["pinfl"] = rows[0]["pinfl"]
    rows[4]["makhalla"] = "Nowhere"
    result = import_families(upload=as_csv(rows, delimiter=";"), user=personas.caseworker)
    found = {(p.line, p.column): p.reason for p in result.problems}
    assert set(found) == {
        (2, "sex"), (4, "case_number"), (5, "pinfl"), (6, "pinfl"), (6, "makhalla"),
        # line 4's family is not recognised, so line 5 is the first row of its family
        (5, "intake_date"),
    }  # fmt: skip
    assert "is not one of: F, M" in found[(2, "sex")]
    assert "same PINFL is on line 2" in found[(6, "pinfl")]
    assert "no makhalla called “Nowhere”" in found[(6, "makhalla")]
    assert not Family.objects.exists()


def test_importing_the_same_file_twice_creates_no_duplicates(client_for, personas, registon):
    client = client_for(personas.caseworker)
    client.post(IMPORT, {"file": as_xlsx(family_rows(10))})
    assert (Family.objects.count(), Person.objects.count()) == (10, 20)
    response = client.post(IMPORT, {"file": as_xlsx(family_rows(10))}, follow=True)
    assert (Family.objects.count(), Person.objects.count()) == (10, 20)
    assert "Imported 0 new families and 0 new members" in response.content.decode()
    # a file that adds a family and a member to a known family adds just those
    rows = family_rows(11)
    rows.append({"case_number": "SAM-2015-0001", "full_name": "Saidova Lola", "sex": "F",
                 "birth_date": "2012-01-01", "relationship": "child"})  # fmt: skip
    client.post(IMPORT, {"file": as_csv(rows)})
    assert (Family.objects.count(), Person.objects.count()) == (11, 23)


def test_a_pinfl_of_somebody_else_is_refused(personas, registon):
    import_families(upload=as_csv(family_rows(1)), user=personas.caseworker)
    rows = family_rows(1, start=2)
    rows[0]["pinfl"] = f"{1:014d}"  # the first family's mother
    result = import_families(upload=as_csv(rows), user=personas.caseworker)
    assert [(p.line, p.column) for p in result.problems] == [(2, "pinfl")]


def test_a_caseworker_cannot_import_into_another_branch(personas, registon):
    rows = family_rows(1)
    for row in rows:
        row["case_number"] = "TAS-2015-0001"
    rows[0]["makhalla"] = ""
    result = import_families(upload=as_csv(rows), user=personas.caseworker)
    assert {(p.line, p.column) for p in result.problems} == {(2, "case_number"), (3, "case_number")}
    assert "do not work in the branch TAS" in result.problems[0].reason


def test_a_file_of_another_kind_is_refused(personas):
    upload = SimpleUploadedFile("families.pdf", b"%PDF-1.4")
    result = import_families(upload=upload, user=personas.director)
    assert "Upload a .csv or .xlsx file." in result.problems[0].reason
    upload = SimpleUploadedFile("families.csv", b"full_name,sex\nA,F\n")
    result = import_families(upload=upload, user=personas.director)
    assert "case_number" in result.problems[0].reason


@pytest.mark.parametrize(("persona", "status"), [("caseworker", 200), ("director", 200),
                                                 ("auditor", 403), ("trainer", 403)])  # fmt: skip
def test_import_page_and_templates(client_for, personas, persona, status):
    client = client_for(getattr(personas, persona))
    assert client.get(IMPORT).status_code == status
    response = client.get(reverse("beneficiaries:family_import_template", args=["xlsx"]))
    assert response.status_code == status
    if status == 200:
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert [cell.value for cell in sheet[1]] == COLUMNS
        page = client.get(IMPORT).content.decode()
        assert (
            "The case number is the family&#x27;s key" in page
            or "case number is the family" in page
        )
        csv_template = client.get(reverse("beneficiaries:family_import_template", args=["csv"]))
        assert csv_template.content.decode("utf-8-sig").startswith(",".join(COLUMNS))


def test_the_template_itself_imports(client_for, personas, samarkand, registon):
    client = client_for(personas.caseworker)
    response = client.get(reverse("beneficiaries:family_import_template", args=["csv"]))
    upload = SimpleUploadedFile("template.csv", response.content)
    result = import_families(upload=upload, user=personas.caseworker)
    assert result.ok, result.problems
    assert result.families_created == 1
    assert result.members_created == 2


def test_a_caseworker_cannot_add_members_to_a_colleagues_family(personas, registon, samarkand):
    colleague = UserFactory(username="colleague", role="caseworker", branches=[samarkand])
    import_families(upload=as_csv(family_rows(2)), user=colleague)
    again = import_families(upload=as_csv(family_rows(2)), user=personas.caseworker)
    assert again.ok  # nothing new: the same file is harmless
    rows = family_rows(2)
    rows.append({"case_number": "SAM-2015-0002", "full_name": "Saidova Lola", "sex": "F",
                 "birth_date": "2012-01-01", "relationship": "child"})  # fmt: skip
    result = import_families(upload=as_csv(rows), user=personas.caseworker)
    assert [(p.line, p.column) for p in result.problems] == [(6, "case_number")]
    assert Person.objects.count() == 4


def test_a_bad_row_in_an_excel_file_is_named(personas, registon):
    rows = family_rows(5)
    rows[7]["relationship"] = "neighbour"
    result = import_families(upload=as_xlsx(rows), user=personas.caseworker)
    assert [(p.line, p.column) for p in result.problems] == [(9, "relationship")]
    assert not Family.objects.exists()


def test_the_consent_date_records_each_members_consent_and_none_means_referred(
    client_for, personas, registon
):
    from beneficiaries.models import ConsentRecord
    from beneficiaries.selectors import has_processing_consent

    rows = family_rows(2)
    rows[2]["consent_date"] = ""  # the second family signed nothing yet
    response = client_for(personas.caseworker).post(IMPORT, {"file": as_csv(rows)})
    assert response.status_code == 302
    signed = Family.objects.get(case_number="SAM-2015-0001")
    unsigned = Family.objects.get(case_number="SAM-2015-0002")
    assert (signed.status, unsigned.status) == ("active", "referred")
    assert has_processing_consent(signed) and not has_processing_consent(unsigned)
    mother = signed.members.get(relationship="head")
    child = ConsentRecord.objects.get(person__family=signed, person__relationship="child")
    assert (child.given_by, child.decided_on, child.recorded_by) == (
        mother, datetime.date(2015, 4, 1), personas.caseworker,
    )  # fmt: skip
    assert child.paper_reference == "SAM-2015-0001"
    assert not ConsentRecord.objects.filter(person__family=unsigned).exists()
