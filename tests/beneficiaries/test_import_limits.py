"""An import cannot be turned against the server: limits before parsing, a sheet's real
extent, control characters refused with the line, and the PINFL question answered without
naming anyone out of scope, counted and limited."""

import io
import logging
import re
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse_lazy

from beneficiaries import imports
from beneficiaries.imports import COLUMNS, import_families
from beneficiaries.models import Family, Person, PinflClash
from tests.beneficiaries.test_family_import import as_csv, as_xlsx, family_rows
from tests.factories import FamilyFactory, MakhallaFactory, PersonFactory

pytestmark = pytest.mark.django_db

IMPORT = reverse_lazy("beneficiaries:family_import")


@pytest.fixture
def registon(samarkand):
    return MakhallaFactory(branch=samarkand, name="Registon")


def rewrite_sheet(xlsx_bytes: bytes, change) -> bytes:
    """The same .xlsx with its first sheet's XML passed through `change`."""
    source = zipfile.ZipFile(io.BytesIO(xlsx_bytes))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            target.writestr(item, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def declared_bomb(rows) -> SimpleUploadedFile:
    """A few KB that declare 20,000 rows × 16,384 columns (A1:XFD20000), and hold rows to
    match: after the real rows, up to row 20,000, each row has one empty cell in the last
    column (XFD), which a reader padding rows to their width turns into 16,384 cells a row,
    300 million in all."""

    def inflate(xml):
        xml = re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD20000"', xml)
        # Rows without a number follow on from the last; the same text repeated packs small.
        filler = '<row><c r="XFD1"/></row>' * (20000 - len(rows) - 1)
        return xml.replace("</sheetData>", filler + "</sheetData>")

    data = rewrite_sheet(as_xlsx(rows).read(), inflate)
    assert b"XFD20000" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    return SimpleUploadedFile("bomb.xlsx", data)


@pytest.mark.parametrize("families", [0, 2])
def test_a_sheet_that_declares_20000_by_16384_cells_is_refused_within_a_second(
    personas, registon, families
):
    upload = declared_bomb(family_rows(families))
    assert upload.size < 10_000
    started = time.perf_counter()
    result = import_families(upload=upload, user=personas.caseworker)
    elapsed = time.perf_counter() - started
    assert elapsed < 1.0, elapsed
    first_padded_row = 2 * families + 2
    assert [(p.line, p.reason) for p in result.problems] == [
        (first_padded_row, f"Line {first_padded_row} has more than 50 columns.")
    ]
    assert not Family.objects.exists()


def test_a_declared_dimension_alone_is_ignored(personas, registon):
    data = rewrite_sheet(
        as_xlsx(family_rows(2)).read(),
        lambda xml: re.sub(r'<dimension ref="[^"]+"', '<dimension ref="A1:XFD1048576"', xml),
    )
    started = time.perf_counter()
    result = import_families(upload=SimpleUploadedFile("f.xlsx", data), user=personas.caseworker)
    assert time.perf_counter() - started < 1.0
    assert result.ok, result.problems
    assert (result.families_created, result.members_created) == (2, 4)


def test_an_xlsx_that_unpacks_to_gigabytes_is_refused_before_parsing(personas):
    padding = "<!--" + " " * (80 * 1024 * 1024) + "-->"  # 80 MB of XML, a few KB packed
    data = rewrite_sheet(
        as_xlsx(family_rows(1)).read(),
        lambda xml: xml.replace("<sheetData>", padding + "<sheetData>"),
    )
    assert len(data) < 200_000
    started = time.perf_counter()
    result = import_families(upload=SimpleUploadedFile("f.xlsx", data), user=personas.caseworker)
    assert time.perf_counter() - started < 1.0
    assert "unpacks to far more data" in result.problems[0].reason
    assert not Family.objects.exists()


def with_cell(reference):
    """The sheet of one family with a value in cell `reference` of the third row."""

    def add(xml):
        cell = f'<c r="{reference}" t="inlineStr"><is><t>x</t></is></c>'
        return xml.replace("</row></sheetData>", cell + "</row></sheetData>")

    return SimpleUploadedFile("f.xlsx", rewrite_sheet(as_xlsx(family_rows(1)).read(), add))


def test_an_xml_entity_bomb_is_refused_at_once(personas):
    # "billion laughs": ten levels of entities that each repeat the last ten times.
    entities = (
        '<!ENTITY a "'
        + "x" * 100
        + '">'
        + "".join(f'<!ENTITY {chr(98 + i)} "' + f"&{chr(97 + i)};" * 10 + '">' for i in range(8))
    )

    def laugh(xml):
        xml = xml.replace("?>", f"?><!DOCTYPE worksheet [{entities}]>", 1)
        cell = '<row r="100"><c r="A100" t="inlineStr"><is><t>&i;</t></is></c></row>'
        return xml.replace("<sheetData>", "<sheetData>" + cell, 1)

    data = rewrite_sheet(as_xlsx(family_rows(1)).read(), laugh)
    started = time.perf_counter()
    result = import_families(upload=SimpleUploadedFile("f.xlsx", data), user=personas.caseworker)
    assert time.perf_counter() - started < 1.0
    assert [p.reason for p in result.problems] == ["The Excel file cannot be read."]


def test_a_row_wider_than_the_limit_is_refused_with_its_line(personas, registon):
    result = import_families(upload=with_cell("AY3"), user=personas.caseworker)  # column 51
    assert [(p.line, p.reason) for p in result.problems] == [
        (3, "Line 3 has more than 50 columns.")
    ]
    csv_text = ",".join(COLUMNS) + "\n" + ",".join(["x"] * 60) + "\n"
    result = import_families(
        upload=SimpleUploadedFile("f.csv", csv_text.encode()), user=personas.caseworker
    )
    assert [(p.line, p.reason) for p in result.problems] == [
        (2, "Line 2 has more than 50 columns.")
    ]


def test_a_cell_in_the_last_column_is_refused_at_once(personas, registon):
    started = time.perf_counter()
    result = import_families(upload=with_cell("XFD3"), user=personas.caseworker)
    assert time.perf_counter() - started < 1.0
    assert [p.line for p in result.problems] == [3]


def test_rows_beyond_the_limit_are_refused_with_the_line(personas, registon, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 5)
    result = import_families(upload=as_csv(family_rows(3)), user=personas.caseworker)
    assert [(p.line, p.reason) for p in result.problems] == [(7, "The file has more than 5 rows.")]
    assert not Family.objects.exists()


@pytest.mark.parametrize("character", ["\x00", "\x07", "\x1b"])
def test_a_control_character_is_refused_with_line_and_column(
    client_for, personas, registon, character
):
    rows = family_rows(3)
    rows[3]["full_name"] = f"Saidov{character}Jasur"  # file line 5
    response = client_for(personas.caseworker).post(IMPORT, {"file": as_csv(rows)})
    assert response.status_code == 200  # not a 500, on PostgreSQL either
    problems = response.context["problems"]
    assert [(p.line, p.column) for p in problems] == [(5, "full_name")]
    assert "control character" in problems[0].reason
    assert not Family.objects.exists() and not Person.objects.exists()


def test_a_nul_in_an_xlsx_cell_is_refused(personas, registon):
    rows = family_rows(1)
    rows[0]["address"] = "Navoiy\x00"
    data = rewrite_sheet(as_xlsx([{**rows[0], "address": "NUL_HERE"}, rows[1]]).read(),
                         lambda xml: xml.replace("NUL_HERE", "Navoiy_x0000_"))  # fmt: skip
    result = import_families(upload=SimpleUploadedFile("f.xlsx", data), user=personas.caseworker)
    # openpyxl keeps the escape as text or decodes it to NUL: either way nothing breaks.
    assert result.ok or [(p.line, p.column) for p in result.problems] == [(2, "address")]


def test_bad_dates_and_foreign_digits_are_refused_line_by_line(personas, registon):
    rows = family_rows(3)
    rows[0]["birth_date"] = "1850-01-01"
    rows[1]["birth_date"] = "2099-01-01"
    rows[2]["intake_date"] = "1999-04-01"
    rows[2]["case_number"] = rows[3]["case_number"] = "SAM-1999-0002"
    rows[4]["pinfl"] = "٣١٢٣٤٥٦٧٨٩٠١٢٣"
    rows[4]["consent_date"] = "2099-01-01"
    result = import_families(upload=as_csv(rows), user=personas.caseworker)
    assert {(p.line, p.column) for p in result.problems} == {
        (2, "birth_date"), (3, "birth_date"), (4, "intake_date"),
        (6, "pinfl"), (6, "consent_date"),
    }  # fmt: skip
    assert not Family.objects.exists()


# --- the PINFL oracle ---------------------------------------------------------------------


@pytest.fixture
def holders(personas, samarkand, tashkent):
    far = FamilyFactory(branch=tashkent, case_number="TAS-2020-0001")
    near = FamilyFactory(branch=samarkand, case_number="SAM-2020-0001")
    PersonFactory(family=far, full_name="Nazarova Lola", pinfl="41234567890123")
    PersonFactory(family=near, full_name="Rahimova Feruza", pinfl="31234567890123")


def rows_with_pinfl(pinfl, start=1):
    rows = family_rows(1, start=start)
    rows[0]["pinfl"] = pinfl
    return rows


def test_the_import_names_no_holder_outside_the_users_scope(personas, registon, holders):
    result = import_families(
        upload=as_csv(rows_with_pinfl("41234567890123")), user=personas.caseworker
    )
    [problem] = result.problems
    assert (
        problem.reason
        == "This PINFL is already registered in the programme; ask a programme manager."
    )
    assert "Nazarova" not in problem.reason and "TAS" not in problem.reason
    # A holder the caseworker may see is named, so the caseworker can find the family.
    result = import_families(
        upload=as_csv(rows_with_pinfl("31234567890123")), user=personas.caseworker
    )
    assert "Rahimova Feruza, family SAM-2020-0001" in result.problems[0].reason
    # The programme manager sees every branch: the holder is named to them.
    result = import_families(
        upload=as_csv(rows_with_pinfl("41234567890123")), user=personas.director
    )
    assert "Nazarova Lola, family TAS-2020-0001" in result.problems[0].reason


def test_pinfl_clashes_are_logged_counted_and_limited(
    personas, registon, holders, settings, caplog
):
    settings.PINFL_CLASHES_PER_HOUR = 3
    caplog.set_level(logging.WARNING, logger="mustaqil.security")
    for _attempt in range(3):
        result = import_families(
            upload=as_csv(rows_with_pinfl("41234567890123")), user=personas.caseworker
        )
        assert "already registered" in result.problems[0].reason
    assert (
        list(PinflClash.objects.values_list("user", "where", "count"))
        == [(personas.caseworker.pk, "family import", 1)] * 3
    )
    logged = [r.getMessage() for r in caplog.records if r.name == "mustaqil.security"]
    assert len(logged) == 3 and all(
        "p_caseworker" in line and "family import" in line for line in logged
    )
    # The limit is reached: no PINFL is checked any more, registered or not, so the answer
    # tells nothing.
    for pinfl in ("41234567890123", "59999999999999"):
        result = import_families(
            upload=as_csv(rows_with_pinfl(pinfl, start=7)), user=personas.caseworker
        )
        assert [p.column for p in result.problems] == ["pinfl"]
        assert "Too many of the PINFLs" in result.problems[0].reason
    # A file without PINFLs still imports; another caseworker is not limited.
    rows = family_rows(1, start=8)
    rows[0]["pinfl"] = ""
    assert import_families(upload=as_csv(rows), user=personas.caseworker).ok
    assert import_families(
        upload=as_csv(rows_with_pinfl("59999999999999", start=9)), user=personas.director
    ).ok


def registration(samarkand, pinfl):
    from tests.beneficiaries.test_family_case import registration as base

    data = base(samarkand)
    data["members-0-pinfl"] = pinfl
    return data


def test_the_registration_form_names_no_holder_outside_the_users_scope(
    client_for, personas, samarkand, holders, settings
):
    client = client_for(personas.caseworker)
    response = client.post(
        reverse_lazy("beneficiaries:family_create"), registration(samarkand, "41234567890123")
    )
    assert response.status_code == 200
    errors = response.context["formset"].forms[0].errors["pinfl"]
    assert errors == ["This PINFL is already registered in the programme; ask a programme manager."]
    assert "Nazarova" not in response.text
    response = client.post(
        reverse_lazy("beneficiaries:family_create"), registration(samarkand, "31234567890123")
    )
    assert (
        "Rahimova Feruza, family SAM-2020-0001"
        in response.context["formset"].forms[0].errors["pinfl"][0]
    )
    settings.PINFL_CLASHES_PER_HOUR = 2  # two clashes counted above
    response = client.post(
        reverse_lazy("beneficiaries:family_create"), registration(samarkand, "59999999999999")
    )
    assert "Too many of the PINFLs" in response.context["formset"].forms[0].errors["pinfl"][0]
    assert not Family.objects.filter(branch=samarkand).exclude(case_number="SAM-2020-0001").exists()
