"""People registered twice: found by PINFL and by name and birth date across spellings (at
registration, in the import, by the periodic check), reviewed by the programme manager, who
marks a pair "not the same" (remembered) or merges it keeping every record of both."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from beneficiaries import duplicates
from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    DuplicateFoundIn,
    DuplicateReason,
    DuplicateStatus,
)
from beneficiaries.imports import COLUMNS, import_families
from beneficiaries.models import (
    ConsentRecord,
    DuplicateCandidate,
    Family,
    IncomeRecord,
    Person,
    PersonMerge,
)
from beneficiaries.tasks import duplicates_scan
from enterprises.models import Employment
from tests.beneficiaries.test_family_case import member, registration
from tests.enterprises.factories import PositionFactory, hire
from tests.factories import (
    ConsentRecordFactory,
    FamilyFactory,
    IncomeRecordFactory,
    MakhallaFactory,
    PersonFactory,
    branch,
)
from tests.training.factories import CohortFactory, EnrolmentFactory
from training.models import Enrolment

pytestmark = pytest.mark.django_db

BORN = datetime.date(1988, 5, 17)
QUEUE = reverse("beneficiaries:duplicate_list")


def person(name, born=BORN, code="SAM", **fields):
    return PersonFactory(family=FamilyFactory(branch=branch(code)), full_name=name, birth_date=born, **fields)  # fmt: skip


def pair(a, b, reason=DuplicateReason.NAME_BIRTH):
    low, high = sorted([a, b], key=lambda p: p.pk)
    return DuplicateCandidate.objects.create(
        person_a=low, person_b=high, reason=reason, found_in=DuplicateFoundIn.CHECK
    )


# --- finding -------------------------------------------------------------------------


def test_the_same_pinfl_is_a_possible_duplicate_whatever_the_name():
    known = person("Karimova Dilnoza", pinfl="30101901234567")
    [found] = duplicates.matches_for(
        [{"full_name": "Rahimova Nodira", "birth_date": BORN.replace(year=1990),
          "pinfl": "30101901234567"}]
    )  # fmt: skip
    assert [(m.person, m.reason) for m in found] == [(known, DuplicateReason.PINFL)]


def test_latin_and_cyrillic_spellings_with_the_same_birth_date_are_found():
    known = person("Karimova Dilnoza")
    [found] = duplicates.matches_for([{"full_name": "Каримова Дилноза", "birth_date": BORN}])
    assert [(m.person, m.reason) for m in found] == [(known, DuplicateReason.NAME_BIRTH)]


@pytest.mark.parametrize(
    ("name", "born", "pinfl"),
    [
        ("Каримова Дилноза", BORN.replace(day=18), None),  # another birth date
        ("Karimova Dilfuza", BORN, None),  # a similar name
        ("Каримова Дилфуза", BORN, None),
        ("Karimov Dilnoza", BORN, None),
        ("Каримова Дилноза", BORN, "40101901234567"),  # both have PINFLs, and they differ
    ],
)
def test_different_people_with_similar_names_are_not_found(name, born, pinfl):
    person("Karimova Dilnoza", pinfl="30101901234567")
    assert duplicates.matches_for([{"full_name": name, "birth_date": born, "pinfl": pinfl}]) == [[]]


def test_the_periodic_check_fills_the_queue_once_and_remembers_not_the_same(settings):
    dilnoza = person("Karimova Dilnoza")
    cyrillic = person("Каримова Дилноза", code="TAS")
    person("Karimova Dilfuza")
    person("Каримова Дилноза", born=BORN.replace(year=1989))
    twice_a = person("Мухаммад Алиев", born=datetime.date(1980, 1, 1), pinfl="30101801234567")
    person("Muhammad Aliyev", born=datetime.date(1980, 1, 1), pinfl="30101801234568")
    out = io.StringIO()
    call_command("find_duplicate_people", stdout=out)
    assert "1 new possible duplicates" in out.getvalue()
    candidate = DuplicateCandidate.objects.get()
    assert (candidate.person_a, candidate.person_b) == (dilnoza, cyrillic)
    assert candidate.status == DuplicateStatus.OPEN
    assert candidate.found_in == DuplicateFoundIn.CHECK
    assert twice_a.pk not in (candidate.person_a_id, candidate.person_b_id)
    # the task does the same work, and proposes nothing twice
    assert duplicates_scan.enqueue().return_value == 0
    duplicates.mark_not_same(candidate=candidate, by=None)
    call_command("find_duplicate_people", stdout=io.StringIO())
    candidate = DuplicateCandidate.objects.get()
    assert candidate.status == DuplicateStatus.NOT_SAME


def test_the_check_fills_the_name_key_of_people_written_in_bulk():
    family = FamilyFactory()
    Person.objects.bulk_create(
        [Person(family=family, full_name=name, sex="F", birth_date=BORN, relationship="head")
         for name in ("Karimova Dilnoza", "Каримова Дилноза")]
    )  # fmt: skip
    assert duplicates.find_all() == 1


# --- registration --------------------------------------------------------------------


def test_registration_shows_the_possible_duplicate_and_needs_a_confirmation(
    client_for, personas, samarkand
):
    known = person("Karimova Dilnoza", born=datetime.date(1990, 1, 2))
    client = client_for(personas.caseworker)
    data = registration(samarkand, **member(0, "Каримова Дилноза", "head", "1990-01-02"))
    response = client.post(reverse("beneficiaries:family_create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Possibly registered already" in page
    assert reverse("beneficiaries:family_detail", args=[known.family_id]) in page
    assert known.family.case_number in page
    assert Family.objects.count() == 1  # nothing registered
    response = client.post(
        reverse("beneficiaries:family_create"), {**data, "not_the_same_person": "1"}
    )
    assert response.status_code == 302
    new = Person.objects.get(full_name="Каримова Дилноза")
    candidate = DuplicateCandidate.objects.get()
    assert {candidate.person_a, candidate.person_b} == {known, new}
    assert candidate.found_in == DuplicateFoundIn.REGISTRATION
    assert candidate.confirmed_different_by == personas.caseworker


def test_registration_does_not_name_a_person_of_another_branch(client_for, personas, samarkand):
    known = person("Karimova Dilnoza", born=datetime.date(1990, 1, 2), code="TAS")
    data = registration(samarkand, **member(0, "Каримова Дилноза", "head", "1990-01-02"))
    response = client_for(personas.caseworker).post(reverse("beneficiaries:family_create"), data)
    page = response.content.decode()
    assert "registered in another branch" in page
    assert known.family.case_number not in page


def test_registration_of_a_different_person_asks_nothing(client_for, personas, samarkand):
    person("Karimova Dilfuza", born=datetime.date(1990, 1, 2))
    data = registration(samarkand, **member(0, "Karimova Dilnoza", "head", "1990-01-02"))
    response = client_for(personas.caseworker).post(reverse("beneficiaries:family_create"), data)
    assert response.status_code == 302
    assert not DuplicateCandidate.objects.exists()


# --- import --------------------------------------------------------------------------


def upload(rows):
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile("families.csv", buffer.getvalue().encode("utf-8-sig"), "text/csv")


def import_rows(not_same=""):
    first = {
        "case_number": "SAM-2016-0901", "intake_date": "2016-03-14", "makhalla": "Registon",
        "full_name": "Saidova Kamola", "sex": "F", "birth_date": "1985-02-03",
        "relationship": "head",
    }  # fmt: skip
    second = {"case_number": "SAM-2016-0902", "intake_date": "2016-03-15"}
    return [
        first,
        {**second, "full_name": "Каримова Дилноза", "sex": "F", "birth_date": "17.05.1988",
         "relationship": "head", "not_same_person": not_same},
    ]  # fmt: skip


def test_an_import_with_a_registered_person_reports_the_line_and_imports_nothing(
    personas, samarkand
):
    MakhallaFactory(branch=samarkand, name="Registon")
    known = person("Karimova Dilnoza")
    before = (Family.objects.count(), Person.objects.count())
    result = import_families(upload=upload(import_rows()), user=personas.caseworker)
    [problem] = result.problems
    assert (problem.line, problem.column) == (3, "full_name")
    assert known.full_name in problem.reason and known.family.case_number in problem.reason
    assert (Family.objects.count(), Person.objects.count()) == before
    assert not DuplicateCandidate.objects.exists()
    # resolved: the file says it is another person; the manager reviews the pair
    result = import_families(upload=upload(import_rows(not_same="yes")), user=personas.caseworker)
    assert result.ok, result.problems
    assert (Family.objects.count(), Person.objects.count()) == (before[0] + 2, before[1] + 2)
    candidate = DuplicateCandidate.objects.get()
    assert known.pk in (candidate.person_a_id, candidate.person_b_id)
    assert candidate.found_in == DuplicateFoundIn.IMPORT
    assert candidate.confirmed_different_by == personas.caseworker


def test_an_import_names_no_one_of_another_branch(personas, samarkand):
    MakhallaFactory(branch=samarkand, name="Registon")
    known = person("Karimova Dilnoza", code="TAS")
    result = import_families(upload=upload(import_rows()), user=personas.caseworker)
    [problem] = result.problems
    assert problem.line == 3
    assert "another branch" in problem.reason
    assert known.family.case_number not in problem.reason


# --- the merge -----------------------------------------------------------------------


@pytest.fixture
def two_records(personas):
    """One woman registered twice, each record with its own facts."""
    keep = person("Karimova Dilnoza", phone="")
    away = person("Каримова Дилноза", code="SAM", pinfl="30101901234567", phone="+998 90 1")
    IncomeRecordFactory(family=keep.family, person=keep, month=datetime.date(2025, 1, 1))
    IncomeRecordFactory(family=away.family, person=away, month=datetime.date(2025, 2, 1))
    IncomeRecordFactory(family=away.family, person=away, month=datetime.date(2025, 3, 1))
    EnrolmentFactory(person=away, cohort=CohortFactory(branch=away.family.branch))
    hire(position=PositionFactory(enterprise__branch=away.family.branch), person=away)
    ConsentRecordFactory(person=keep)
    ConsentRecordFactory(person=away, purpose=ConsentPurpose.PHOTOS, status=ConsentStatus.GIVEN)
    child = PersonFactory(family=away.family, full_name="Karimov Bobur", relationship="child",
                          birth_date=datetime.date(2015, 1, 1))  # fmt: skip
    ConsentRecordFactory(person=child, given_by=away)  # a relation with no related name
    return keep, away, pair(keep, away)


def test_a_merge_keeps_every_record_of_both_people_and_is_in_the_history(two_records, personas):
    keep, away, candidate = two_records
    away_id, child = away.pk, Person.objects.get(full_name="Karimov Bobur")
    record = duplicates.person_merge(candidate=candidate, keep=keep, by=personas.director)
    assert not Person.objects.filter(pk=away_id).exists()
    assert IncomeRecord.objects.filter(person=keep).count() == 3
    assert Enrolment.objects.filter(person=keep).count() == 1
    assert Employment.objects.filter(person=keep).count() == 1
    assert ConsentRecord.objects.filter(person=keep).count() == 2
    assert ConsentRecord.objects.get(person=child).given_by == keep
    keep.refresh_from_db()
    assert keep.pinfl == "30101901234567" and keep.phone == "+998 90 1"  # filled from the other
    # the merge record: who, when, and all that was known of the person merged away
    assert (record.kept, record.merged_person_id, record.merged_by) == (
        keep, away_id, personas.director,
    )  # fmt: skip
    assert record.merged_data["person"]["full_name"] == "Каримова Дилноза"
    assert record.merged_data["person"]["pinfl"] == "30101901234567"
    assert len(record.merged_data["moved"]["beneficiaries.IncomeRecord"]["person"]) == 2
    candidate.refresh_from_db()
    assert (candidate.status, candidate.merge, candidate.decided_by) == (
        DuplicateStatus.MERGED, record, personas.director,
    )  # fmt: skip
    # the history: the person's deletion and the moved records say who merged and why
    gone = Person.history.filter(id=away_id).latest("history_date")
    assert gone.history_type == "-" and gone.history_user == personas.director
    assert "Merged" in gone.history_change_reason
    moved = IncomeRecord.history.filter(person_id=keep.pk, history_type="~")
    assert moved.count() == 2 and {h.history_user for h in moved} == {personas.director}
    assert Enrolment.history.filter(person_id=keep.pk, history_user=personas.director).exists()
    assert PersonMerge.history.filter(id=record.pk).exists()


def test_a_merge_that_would_clash_is_refused_and_changes_nothing(two_records, personas):
    keep, away, candidate = two_records
    cohort = Enrolment.objects.get(person=away).cohort
    EnrolmentFactory(person=keep, cohort=cohort)
    with pytest.raises(ValidationError) as refused:
        duplicates.person_merge(candidate=candidate, keep=keep, by=personas.director)
    assert "enrolments" in str(refused.value)
    assert Person.objects.filter(pk=away.pk).exists()
    assert IncomeRecord.objects.filter(person=away).count() == 2
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_two_pinfls_are_two_people(personas):
    keep = person("Karimova Dilnoza", pinfl="30101901234567")
    away = person("Каримова Дилноза", pinfl="30101901234568")
    with pytest.raises(ValidationError):
        duplicates.person_merge(candidate=pair(keep, away), keep=keep, by=personas.director)


# --- the review queue ----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["caseworker", "auditor", "trainer", "manager"])
def test_only_a_programme_manager_may_open_the_queue(client_for, personas, persona):
    candidate = pair(person("Karimova Dilnoza"), person("Каримова Дилноза"))
    client = client_for(getattr(personas, persona))
    assert client.get(QUEUE).status_code == 403
    merge = reverse("beneficiaries:duplicate_merge", args=[candidate.pk])
    assert client.get(merge).status_code == 403
    not_same = reverse("beneficiaries:duplicate_not_same", args=[candidate.pk])
    assert client.post(not_same).status_code == 403
    candidate.refresh_from_db()
    assert candidate.status == DuplicateStatus.OPEN


def test_a_decided_pair_is_not_found_again(client_for, personas):
    candidate = pair(person("Karimova Dilnoza"), person("Каримова Дилноза"))
    client = client_for(personas.director)
    not_same = reverse("beneficiaries:duplicate_not_same", args=[candidate.pk])
    assert client.post(not_same).status_code == 302
    candidate.refresh_from_db()
    assert (candidate.status, candidate.decided_by) == (DuplicateStatus.NOT_SAME, personas.director)
    assert client.post(not_same).status_code == 404
    merge = reverse("beneficiaries:duplicate_merge", args=[candidate.pk])
    assert client.get(merge).status_code == 404


def test_the_manager_merges_from_the_queue(client_for, personas, two_records):
    keep, away, candidate = two_records
    client = client_for(personas.director)
    page = client.get(QUEUE).content.decode()
    assert keep.full_name in page and away.full_name in page
    merge = reverse("beneficiaries:duplicate_merge", args=[candidate.pk])
    page = client.get(merge).content.decode()
    assert "Income records" in page and "Enrolments" in page
    response = client.post(merge, {"keep": keep.pk})
    assert response.status_code == 302
    assert response["Location"] == keep.family.get_absolute_url()
    assert not Person.objects.filter(pk=away.pk).exists()
    merged = client.get(QUEUE, {"status": "merged"}).content.decode()
    assert away.full_name in merged and "merged away" in merged
    # a pair whose records would clash shows why, and is not merged
    other = person("Karimova Dilnoza", code="TAS")
    EnrolmentFactory(person=other, cohort=Enrolment.objects.get(person=keep).cohort)
    merge = reverse("beneficiaries:duplicate_merge", args=[pair(keep, other).pk])
    assert "cannot have twice" in client.get(merge).content.decode()
    response = client.post(merge, {"keep": keep.pk})
    assert response.status_code == 200
    assert "cannot have twice" in response.content.decode()
    assert Person.objects.filter(pk=other.pk).exists()


def test_the_queue_has_a_fixed_number_of_queries(client_for, personas, django_assert_num_queries):
    decided = pair(person("Karimova Dilnoza"), person("Каримова Дилноза"))
    duplicates.mark_not_same(candidate=decided, by=personas.director)
    pair(person("Karimova Dilnoza", code="TAS"), person("Каримова Дилноза", code="TAS"))
    client = client_for(personas.director)
    counts = {}
    for status in ("", "not_same"):
        client.get(QUEUE, {"status": status})
        with CaptureQueriesContext(connection) as one:
            client.get(QUEUE, {"status": status})
        counts[status] = len(one.captured_queries)
    for n in range(6):
        candidate = pair(person(f"Rahimova Nodira {n}", code="TAS"), person(f"Рахимова Нодира {n}"))
        if n % 2:
            duplicates.mark_not_same(candidate=candidate, by=personas.director)
    with django_assert_num_queries(counts[""]):
        response = client.get(QUEUE)
    assert response.content.decode().count("Рахимова Нодира") == 3  # the open ones
    with django_assert_num_queries(counts["not_same"]):
        response = client.get(QUEUE, {"status": "not_same"})
    assert response.content.decode().count("Рахимова Нодира") == 3


def test_the_income_amounts_are_untouched_by_a_merge(two_records, personas):
    keep, _away, candidate = two_records
    total = sum(IncomeRecord.objects.values_list("amount", flat=True), Decimal(0))
    duplicates.person_merge(candidate=candidate, keep=keep, by=personas.director)
    assert sum(IncomeRecord.objects.values_list("amount", flat=True), Decimal(0)) == total
