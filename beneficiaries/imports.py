"""Import of families with their members from a CSV or Excel file.

One row per family member; the family's columns are filled on its first row and may be
repeated (identically) or left blank on the others.

The natural key is the case number (e.g. SAM-2016-0042: the branch code, the intake year and
the branch's sequence, as on the paper case file). A family whose case number is already
registered is not created again; within a family a member is the same person when the full
name and birth date match. Importing the same file twice therefore adds nothing the second
time. A PINFL, when given, must not belong to anybody else. A member who may be a person
registered already (the same name, in Latin or Cyrillic spelling, and birth date: see
beneficiaries.duplicates) is refused on their line, and so the whole file, until the file
says "yes" in `not_same_person` for them (the pair then goes to the programme manager's
review queue) or adds them to the family they belong to.

The whole file is checked first; if any cell is wrong nothing is imported and every problem
is reported with its line, column and reason.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import override
from simple_history.utils import bulk_create_with_history

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries import duplicates, pinfl_checks, search
from beneficiaries.access import caseworker_branch_ids, may_edit_family
from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    Disability,
    DuplicateFoundIn,
    DuplicateReason,
    EducationLevel,
    FamilyStatus,
    ReferralSource,
    Relationship,
    Sex,
)
from beneficiaries.models import Branch, ConsentRecord, Family, Makhalla, Person
from beneficiaries.models.families import phone_validator
from beneficiaries.names import match_key
from common.validators import (
    has_control_characters,
    validate_birth_date,
    validate_pinfl,
    validate_programme_date,
)

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 50  # the template has 17; more is not a family file
# An .xlsx is a zip: a few KB can unpack into gigabytes of XML. What its parts may unpack to
# (checked from the zip's directory before anything is parsed), and how much smaller than
# that the packed file may be.
MAX_XLSX_UNPACKED_BYTES = 64 * 1024 * 1024
MAX_XLSX_RATIO = 200
CASE_NUMBER = re.compile(r"^([A-Z]{3})-(\d{4})-(\d{4})$")

FAMILY_COLUMNS = [
    "case_number",
    "intake_date",
    "makhalla",
    "address",
    "family_phone",
    "referral_source",
    "consent_date",
]
MEMBER_COLUMNS = [
    "full_name",
    "sex",
    "birth_date",
    "relationship",
    "caregiver",
    "pinfl",
    "phone",
    "education_level",
    "disability",
    # "yes" when the caseworker checked that a possible duplicate is another person.
    "not_same_person",
]
COLUMNS = FAMILY_COLUMNS + MEMBER_COLUMNS
REQUIRED_COLUMNS = ["case_number", "intake_date", "full_name", "sex", "birth_date", "relationship"]

EXAMPLE_ROWS = [
    [
        "SAM-2016-0901", "2016-03-14", "Registon", "Amir Temur koʻchasi, 12-uy",
        "+998 90 123 45 67", "makhalla", "2016-03-14",
        "Karimova Dilnoza", "F", "1988-05-17", "head", "yes", "", "+998 90 123 45 67",
        "secondary", "none", "",
    ],
    [
        "SAM-2016-0901", "", "", "", "", "", "",
        "Karimov Bobur", "M", "2012-09-01", "child", "no", "", "", "primary", "none", "",
    ],
]  # fmt: skip

CHOICES = {
    "referral_source": ReferralSource,
    "sex": Sex,
    "relationship": Relationship,
    "education_level": EducationLevel,
    "disability": Disability,
}
YES = {"yes", "y", "1", "true", "ha", "да", "x"}
NO = {"no", "n", "0", "false", "yoʻq", "yo'q", "нет", ""}


@dataclass(frozen=True)
class ImportProblem:
    line: int
    column: str
    reason: str


@dataclass
class ImportResult:
    problems: list[ImportProblem] = field(default_factory=list)
    families_created: int = 0
    members_created: int = 0
    families_known: int = 0
    members_known: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


class BadFile(Exception):
    def __init__(self, message, *, line=1, column=""):
        super().__init__(message)
        self.line = line
        self.column = column


def read_rows(upload) -> list[tuple[int, dict]]:
    """(line number, {column: text}) for every non-empty row; line 1 is the header.

    The limits (size, rows, columns, what an Excel file unpacks to) are checked before or
    while reading, never after a whole sheet was built in memory."""
    if upload.size > MAX_BYTES:
        raise BadFile(_("The file is larger than 5 MB."))
    name = upload.name.lower()
    if name.endswith(".xlsx"):
        raw_rows = _xlsx_rows(upload)
    elif name.endswith(".csv"):
        raw_rows = _csv_rows(upload)
    else:
        raise BadFile(_("Upload a .csv or .xlsx file."))
    try:
        header = next(raw_rows)
    except StopIteration as exc:
        raise BadFile(_("The file is empty.")) from exc
    _check_width(1, header)
    header = [_text(cell).lower() for cell in header]
    for index, text in enumerate(header):
        _check_plain(1, text, text if text in COLUMNS else f"#{index + 1}")
    missing = [column for column in REQUIRED_COLUMNS if column not in header]
    if missing:
        raise BadFile(
            _("Line 1: the columns %(columns)s are missing.") % {"columns": ", ".join(missing)}
        )
    rows = []
    for line, cells in enumerate(raw_rows, start=2):
        if line > MAX_ROWS + 1:
            raise BadFile(_("The file has more than %(n)s rows.") % {"n": MAX_ROWS}, line=line)
        _check_width(line, cells)
        values = {}
        for index, column in enumerate(header):
            if column in COLUMNS:
                values[column] = _text(cells[index] if index < len(cells) else None)
                _check_plain(line, values[column], column)
        if any(values.values()):
            rows.append((line, values))
    return rows


def _check_width(line, cells):
    """A row may be no wider than MAX_COLUMNS. An Excel row is as wide as its last cell in
    the file, empty or not (a styled cell counts: it would be read as one); a CSV row as its
    last non-empty field (a spreadsheet may save trailing delimiters)."""
    width = len(cells)
    if isinstance(cells, list):  # CSV
        while width > MAX_COLUMNS and cells[width - 1] == "":
            width -= 1
    if width > MAX_COLUMNS:
        raise BadFile(
            _("Line %(line)s has more than %(n)s columns.") % {"line": line, "n": MAX_COLUMNS},
            line=line,
        )


def _check_plain(line, text, column):
    if has_control_characters(text):
        raise BadFile(
            _(
                "Line %(line)s, column %(column)s: the cell holds a control character "
                "(such as NUL) that cannot be stored; remove it and import again."
            )
            % {"line": line, "column": column},
            line=line,
            column=column,
        )


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_rows(upload):
    try:
        text = upload.read().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise BadFile(_("The CSV file is not in UTF-8: save it as 'CSV UTF-8'.")) from exc
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    return _csv_records(text, delimiter)


def _csv_records(text, delimiter):
    try:
        yield from csv.reader(io.StringIO(text), delimiter=delimiter)
    except csv.Error as exc:  # e.g. a field larger than the csv module's limit
        raise BadFile(_("The CSV file cannot be read.")) from exc


def _xlsx_rows(upload):
    from openpyxl import load_workbook

    _check_xlsx_package(upload)
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise BadFile(_("The Excel file cannot be read.")) from exc
    return _xlsx_records(workbook, sheet)


def _xlsx_records(workbook, sheet):
    """The sheet's rows as they really are, read one at a time so that the first row past a
    limit stops the reading. The declared dimension (which a file can set to A1:XFD1048576)
    is dropped: openpyxl would pad every row to it. Each row is then as wide as its last
    cell, which `read_rows` refuses past MAX_COLUMNS, and no row past the limit is read."""
    sheet.reset_dimensions()
    try:
        yield from sheet.iter_rows(max_row=MAX_ROWS + 2, values_only=True)
    except BadFile:
        raise
    except Exception as exc:
        raise BadFile(_("The Excel file cannot be read.")) from exc
    finally:
        workbook.close()


def _check_xlsx_package(upload):
    """Refuse a zip that unpacks to much more than a family file could, before parsing it."""
    try:
        with zipfile.ZipFile(upload) as package:
            unpacked = sum(member.file_size for member in package.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise BadFile(_("The Excel file cannot be read.")) from exc
    finally:
        upload.seek(0)
    if unpacked > MAX_XLSX_UNPACKED_BYTES or unpacked > MAX_XLSX_RATIO * max(upload.size, 1) + (
        1024 * 1024
    ):
        raise BadFile(
            _("The Excel file unpacks to far more data than a family list holds: it is refused.")
        )


def _choice_lookup(choices) -> dict[str, str]:
    lookup = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
        with override("en"):
            lookup[str(label).lower()] = value
    return lookup


def _parse_date(text: str) -> date:
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError


class _Checker:
    def __init__(self, user):
        self.user = user
        self.problems: list[ImportProblem] = []
        self.lookups = {column: _choice_lookup(choices) for column, choices in CHOICES.items()}
        self.branches = {branch.code: branch for branch in Branch.objects.all()}
        self.allowed_branch_ids = (
            None if sees_whole_programme(user) else set(caseworker_branch_ids(user))
        )
        self.makhallas = {
            (makhalla.branch_id, makhalla.name.casefold()): makhalla
            for makhalla in Makhalla.objects.all()
        }

    def problem(self, line, column, reason):
        self.problems.append(ImportProblem(line, column, str(reason)))

    def date(self, line, row, column, *, required, validator):
        text = row.get(column, "")
        if not text:
            if required:
                self.problem(line, column, _("This value is required."))
            return None
        try:
            value = _parse_date(text)
        except ValueError:
            self.problem(
                line,
                column,
                _("“%(value)s” is not a date (use 2016-03-14 or 14.03.2016).") % {"value": text},
            )
            return None
        try:
            validator(value)
        except ValidationError as error:
            self.problem(line, column, " ".join(error.messages))
        return value

    def choice(self, line, row, column, *, required, default=""):
        text = row.get(column, "")
        if not text:
            if required:
                self.problem(line, column, _("This value is required."))
            return default
        value = self.lookups[column].get(text.lower())
        if value is None:
            allowed = ", ".join(CHOICES[column].values)
            self.problem(
                line,
                column,
                _("“%(value)s” is not one of: %(allowed)s.") % {"value": text, "allowed": allowed},
            )
            return default
        return value

    def validated(self, line, column, value, validator):
        if not value:
            return value
        try:
            validator(value)
        except ValidationError as error:
            self.problem(line, column, " ".join(error.messages))
        return value


def import_families(*, upload, user) -> ImportResult:
    """Check the whole file, then import all of it or nothing."""
    result = ImportResult()
    try:
        rows = read_rows(upload)
    except BadFile as error:
        result.problems.append(ImportProblem(error.line, error.column, str(error)))
        return result
    if not rows:
        result.problems.append(ImportProblem(1, "", _("The file holds no rows.")))
        return result
    checker = _Checker(user)
    families: dict[str, dict] = {}
    members: list[dict] = []
    pinfl_lines: dict[str, int] = {}
    for line, row in rows:
        number = row.get("case_number", "").upper()
        family = _check_family(checker, line, row, number, families)
        member = _check_member(checker, line, row, pinfl_lines)
        if family is not None and member is not None:
            member["case_number"] = number
            member["line"] = line
            members.append(member)
    _check_against_database(checker, result, families, members)
    if checker.problems:
        result.problems = sorted(checker.problems, key=lambda p: (p.line, p.column))
        return result
    _write(result, families, members, user)
    return result


def _check_family(checker, line, row, number, families):
    if not number:
        checker.problem(line, "case_number", _("This value is required."))
        return None
    match = CASE_NUMBER.match(number)
    if not match:
        checker.problem(line, "case_number", _("A case number looks like SAM-2016-0042."))
        return None
    code, year = match.group(1), int(match.group(2))
    branch = checker.branches.get(code)
    if branch is None:
        checker.problem(line, "case_number", _("No branch has the code %(code)s.") % {"code": code})
        return None
    if checker.allowed_branch_ids is not None and branch.pk not in checker.allowed_branch_ids:
        checker.problem(
            line, "case_number", _("You do not work in the branch %(code)s.") % {"code": code}
        )
        return None
    if number in families:
        known = families[number]
        for column in FAMILY_COLUMNS[1:]:
            value = row.get(column, "")
            if value and value != known["raw"].get(column, ""):
                checker.problem(
                    line,
                    column,
                    _("Differs from line %(line)s of the same family.") % {"line": known["line"]},
                )
        return known
    intake = checker.date(
        line, row, "intake_date", required=True, validator=validate_programme_date
    )
    if intake and intake.year != year:
        checker.problem(
            line, "intake_date", _("The intake year must be the year in the case number.")
        )
    makhalla = None
    if row.get("makhalla"):
        makhalla = checker.makhallas.get((branch.pk, row["makhalla"].casefold()))
        if makhalla is None:
            checker.problem(
                line,
                "makhalla",
                _("The branch has no makhalla called “%(name)s”.") % {"name": row["makhalla"]},
            )
    consent = checker.date(
        line, row, "consent_date", required=False, validator=validate_programme_date
    )
    family = {
        "line": line,
        "raw": {column: row.get(column, "") for column in FAMILY_COLUMNS},
        "fields": {
            "case_number": number,
            "branch": branch,
            "makhalla": makhalla,
            "intake_date": intake,
            "address": row.get("address", "")[:255],
            "phone": checker.validated(
                line, "family_phone", row.get("family_phone", ""), phone_validator
            ),
            "referral_source": checker.choice(
                line, row, "referral_source", required=False, default=ReferralSource.OTHER
            ),
            "consent_date": consent,
        },
    }
    families[number] = family
    return family


def _check_member(checker, line, row, pinfl_lines):
    name = " ".join(row.get("full_name", "").split())
    if not name:
        checker.problem(line, "full_name", _("This value is required."))
    elif len(name) > 200:
        checker.problem(line, "full_name", _("At most 200 characters."))
    birth = checker.date(line, row, "birth_date", required=True, validator=validate_birth_date)
    caregiver_text = row.get("caregiver", "").lower()
    if caregiver_text not in YES | NO:
        checker.problem(line, "caregiver", _("Write yes or no."))
    not_same_text = row.get("not_same_person", "").lower()
    if not_same_text not in YES | NO:
        checker.problem(line, "not_same_person", _("Write yes or no."))
    pinfl = checker.validated(line, "pinfl", row.get("pinfl", ""), validate_pinfl)
    if pinfl:
        if pinfl in pinfl_lines:
            checker.problem(
                line,
                "pinfl",
                _("The same PINFL is on line %(line)s.") % {"line": pinfl_lines[pinfl]},
            )
        pinfl_lines.setdefault(pinfl, line)
    member = {
        "full_name": name,
        "sex": checker.choice(line, row, "sex", required=True),
        "birth_date": birth,
        "relationship": checker.choice(line, row, "relationship", required=True),
        "is_caregiver": caregiver_text in YES,
        "pinfl": pinfl or None,
        "phone": checker.validated(line, "phone", row.get("phone", ""), phone_validator),
        "education_level": checker.choice(line, row, "education_level", required=False),
        "disability": checker.choice(
            line, row, "disability", required=False, default=Disability.NONE
        ),
        "not_same_person": not_same_text in YES,
    }
    if not name or birth is None:
        return None
    return member


def _check_against_database(checker, result, families, members):
    """Which families and members exist already, whether the user may add to a known family,
    and whether a PINFL belongs to somebody else."""
    known_families = {
        family.case_number: family
        for family in Family.objects.filter(case_number__in=list(families))
    }
    visible = set(
        Family.objects.for_user(checker.user)
        .filter(pk__in=[family.pk for family in known_families.values()])
        .values_list("case_number", flat=True)
    )
    for number, family in families.items():
        known = known_families.get(number)
        family["pk"] = known.pk if known else None
        family["editable"] = known is None or may_edit_family(checker.user, known)
        if known and number not in visible:
            checker.problem(
                family["line"], "case_number", _("This case number belongs to another branch.")
            )
    known_members = {
        (number, name.casefold(), birth)
        for number, name, birth in Person.objects.filter(
            family__case_number__in=list(known_families)
        ).values_list("family__case_number", "full_name", "birth_date")
    }
    pinfl_limit = pinfl_checks.limit_reached(checker.user)
    owners = (
        {}
        if pinfl_limit
        else {
            pinfl: (number, name.casefold(), birth)
            for pinfl, number, name, birth in Person.objects.filter(
                pinfl__in=[m["pinfl"] for m in members if m["pinfl"]]
            ).values_list("pinfl", "family__case_number", "full_name", "birth_date")
        }
    )
    clashes = []
    seen = {}
    for member in members:
        key = (member["case_number"], member["full_name"].casefold(), member["birth_date"])
        member["known"] = key in known_members
        family = families[member["case_number"]]
        if not member["known"] and not family["editable"] and member["case_number"] in visible:
            checker.problem(
                member["line"],
                "case_number",
                _("This family is in another caseworker's caseload: you cannot add members."),
            )
        if key in seen:
            checker.problem(
                member["line"],
                "full_name",
                _("The same person is on line %(line)s.") % {"line": seen[key]},
            )
        seen.setdefault(key, member["line"])
        owner = owners.get(member["pinfl"]) if member["pinfl"] else None
        if member["pinfl"] and pinfl_limit:
            checker.problem(member["line"], "pinfl", pinfl_checks.limit_message())
        elif owner is not None and owner != key:
            clashes.append(member)
    if clashes:
        # The holder is named only to a user who may see them (the number is unique across
        # branches, so the message would otherwise tell who is registered elsewhere).
        holders = pinfl_checks.visible_holders(checker.user, [m["pinfl"] for m in clashes])
        for member in clashes:
            checker.problem(
                member["line"], "pinfl", pinfl_checks.clash_message(holders.get(member["pinfl"]))
            )
        pinfl_checks.note_clashes(checker.user, len(clashes), where="family import")
    clashing = {id(member) for member in clashes}
    _check_possible_duplicates(
        checker,
        [
            member
            for member in members
            if not member["known"] and id(member) not in clashing and not pinfl_limit
        ],
    )


def _check_possible_duplicates(checker, members):
    """A new member who may be somebody registered already is refused on their line unless
    the file says they are not the same person (beneficiaries.duplicates)."""
    found = duplicates.matches_for(members)
    ids = [match.person.pk for matches in found for match in matches]
    visible = (
        set(Person.objects.for_user(checker.user).filter(pk__in=ids).values_list("pk", flat=True))
        if ids
        else set()
    )
    for member, matches in zip(members, found, strict=True):
        matches = [m for m in matches if m.reason == DuplicateReason.NAME_BIRTH]
        member["possible_duplicates"] = [m.person.pk for m in matches]
        if member["not_same_person"]:
            continue
        for match in matches:
            if match.person.pk in visible:
                reason = _(
                    "Possibly registered already: %(name)s, born the same day, family "
                    "%(case_number)s. If this is another person, write yes in "
                    "not_same_person; if it is the same, add them to that family."
                ) % {"name": match.person.full_name, "case_number": match.person.family.case_number}
            else:
                reason = _(
                    "A person with this name and birth date is registered in another branch: "
                    "ask a programme manager. If this is another person, write yes in "
                    "not_same_person."
                )
            checker.problem(member["line"], "full_name", reason)


@transaction.atomic
def _write(result, families, members, user):
    caseworker = user if has_role(user, Role.CASEWORKER) else None
    new = []
    for family in families.values():
        if family["pk"]:
            result.families_known += 1
            continue
        fields = family["fields"]
        new.append(
            Family(
                **fields,
                # In service only with the family's consent to processing (recorded below
                # for each member); without it the family waits, referred, for the intake.
                status=FamilyStatus.ACTIVE if fields["consent_date"] else FamilyStatus.REFERRED,
                caseworker=caseworker,
                consent_recorded_by=user if fields["consent_date"] else None,
            )
        )
    # The checks above validated every cell; this catches what they might have missed without
    # a query per row (foreign keys were looked up in bulk).
    references = ["branch", "makhalla", "caseworker", "consent_recorded_by"]
    for instance in new:
        instance.full_clean(exclude=references, validate_unique=False, validate_constraints=False)
    bulk_create_with_history(new, Family, batch_size=500)
    ids = dict(
        Family.objects.filter(case_number__in=list(families)).values_list("case_number", "pk")
    )
    people = []
    pairs = []
    for member in members:
        member.pop("not_same_person")
        found = member.pop("possible_duplicates", [])
        if member.pop("known"):
            result.members_known += 1
            continue
        number = member.pop("case_number")
        member.pop("line")
        person = Person(family_id=ids[number], name_key=match_key(member["full_name"]), **member)
        people.append(person)
        pairs.extend((person, other) for other in found)
    people = bulk_create_with_history(people, Person, batch_size=1000)
    if pairs:  # registered anyway, said to be other people: the manager reviews them
        saved = {(p.family_id, p.full_name, p.birth_date): p.pk for p in people}
        duplicates.record_pairs(
            [
                (saved[(p.family_id, p.full_name, p.birth_date)], other, DuplicateReason.NAME_BIRTH)
                for p, other in pairs
            ],
            found_in=DuplicateFoundIn.IMPORT,
            found_by=user,
            confirmed_by=user,
        )
    _consents_from_import(new, ids, user)
    search.refresh(ids.values())  # bulk inserts send no signals
    result.families_created = len(new)
    result.members_created = len(people)


def _consents_from_import(new: list[Family], ids: dict[str, int], user) -> None:
    """The consent date of an imported family is its members' consent to processing, signed
    on that day (a child's by the family's eldest adult); the case number is the paper's
    reference. Members born after it get none: their consent is recorded on the family page."""
    consented = {ids[family.case_number]: family for family in new if family.consent_date}
    members: dict[int, list[Person]] = {}
    for person in Person.objects.filter(family_id__in=list(consented)).order_by("birth_date"):
        members.setdefault(person.family_id, []).append(person)
    records = []
    for family_id, people in members.items():
        family = consented[family_id]
        day = family.consent_date
        adults = [person for person in people if person.age_on(day) >= 18]
        for person in people:
            if person.birth_date > day:
                continue
            records.append(
                ConsentRecord(
                    person=person,
                    purpose=ConsentPurpose.PROCESSING,
                    status=ConsentStatus.GIVEN,
                    decided_on=day,
                    given_by=None if person in adults or not adults else adults[0],
                    paper_reference=family.case_number,
                    recorded_by=user,
                )
            )
    bulk_create_with_history(records, ConsentRecord, batch_size=1000)


def template_rows() -> list[list[str]]:
    return [COLUMNS, *EXAMPLE_ROWS]
