"""What the family list searches and sorts by, kept in columns of the family so that an
index answers whatever the caseload's size.

A family is found by its case number, its phone, or a member's name, phone or PINFL. All
of that is kept, case-folded, in one column of the family (`search_text`); the list also
sorts by the head of household's name (`head_name`) and the number of members
(`member_count`). `refresh()` writes the three whenever a family or a member is saved or a
member deleted (signals below; bulk writers call it themselves). A substring of the search
text is looked up in a trigram index: SQLite's FTS5 `trigram` table and PostgreSQL's
`pg_trgm` GIN index, both created after every migrate (`ensure_index`), because SQLite
drops a table's triggers whenever Django rebuilds the table in a later migration.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import connections
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_delete, post_init, post_save

from beneficiaries.choices import Relationship

COLUMNS = ("search_text", "head_name", "member_count")
SEPARATOR = "\n"
CHUNK = 2000
FTS_TABLE = "beneficiaries_family_search"
PG_INDEX = "family_search_text_trgm"
_SEPARATORS_IN_NUMBERS = str.maketrans("", "", " -+()")


def normalize(text: str) -> str:
    return " ".join((text or "").casefold().split())


def _digits(text: str) -> str:
    return "".join(char for char in text or "" if char.isdigit())


def compose(case_number: str, phone: str, members: Iterable[tuple[str, str, str]]) -> str:
    """The searchable text of a family; members are (full name, phone, PINFL)."""
    parts = [case_number, phone, _digits(phone)]
    for full_name, member_phone, pinfl in members:
        parts += [full_name, member_phone, _digits(member_phone), pinfl]
    seen, kept = set(), []
    for part in (normalize(part) for part in parts):
        if part and part not in seen:
            seen.add(part)
            kept.append(part)
    return SEPARATOR.join(kept)


def head_of(members: Iterable[tuple[int, str, str, object]]) -> str:
    """The name the list shows for a family: its head of household, or failing one its oldest
    member (by id between twins), as the family's page lists them; "" for no members.
    Members are (id, full name, relationship, birth date)."""
    first = min(
        members,
        key=lambda member: (member[2] != Relationship.HEAD, member[3], member[0]),
        default=None,
    )
    return first[1] if first else ""


def refresh(
    family_ids: Iterable[int], *, using: str = "default", columns: Iterable[str] = COLUMNS
) -> int:
    """Rewrite the derived columns of these families where they changed; returns how many
    families changed. `columns` narrows the work to some of them (a migration that adds one
    column computes that one only, and an older one never names a column it has not got)."""
    from beneficiaries.models import Family, Person

    columns = [column for column in COLUMNS if column in set(columns)]
    ids = sorted({pk for pk in family_ids if pk is not None})
    written = 0
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        members = defaultdict(list)
        rows = (
            Person.objects.using(using)
            .filter(family_id__in=chunk)
            .order_by("family_id", "id")
            .values_list(
                "family_id", "id", "full_name", "phone", "pinfl", "relationship", "birth_date"
            )
        )
        for family_id, *member in rows:
            members[family_id].append(member)
        changes = defaultdict(list)
        families = (
            Family.objects.using(using)
            .filter(pk__in=chunk)
            .values_list("pk", "case_number", "phone", *columns)
        )
        for pk, case_number, phone, *old in families:
            people = members.get(pk, ())
            new = {}
            if "search_text" in columns:
                new["search_text"] = compose(case_number, phone, (m[1:4] for m in people))
            if "head_name" in columns:
                new["head_name"] = head_of((m[0], m[1], m[4], m[5]) for m in people)
            if "member_count" in columns:
                new["member_count"] = len(people)
            before = dict(zip(columns, old, strict=True))
            changed = tuple(column for column in columns if new[column] != before[column])
            if changed:
                changes[changed].append((*(new[column] for column in changed), pk))
        table = Family._meta.db_table
        with connections[using].cursor() as cursor:
            # Only the columns that changed: on SQLite a write of search_text rewrites the
            # family's entry in the trigram table.
            for changed, values in changes.items():
                assignments = ", ".join(f"{column} = %s" for column in changed)
                cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", values)
                written += len(values)
    return written


def matching(value: str, *, using: str = "default") -> Q | None:
    """The condition a family must meet to match `value`, or None for an empty search.
    A text shorter than three characters cannot use the trigram index; it is still
    answered, by a scan."""
    needles = [normalize(value)]
    if needles[0] and not needles[0].translate(_SEPARATORS_IN_NUMBERS).strip("0123456789"):
        # Digits typed with spaces or dashes also find the number written without them.
        needles.append(_digits(value))
    needles = [needle for needle in dict.fromkeys(needles) if needle]
    if not needles:
        return None
    condition = Q()
    for needle in needles:
        condition |= Q(search_text__contains=needle)
    if connections[using].vendor == "sqlite" and all(len(needle) >= 3 for needle in needles):
        # The trigram table names the candidates: the families that have a few of the
        # needle's trigrams (a MATCH reads their lists from the index; a LIKE over the
        # table, twelve times slower for a common name, checks more of them). The plain
        # condition decides.
        candidates = " UNION ".join(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s" for _ in needles
        )
        condition &= Q(pk__in=RawSQL(candidates, [trigram_query(needle) for needle in needles]))
    return condition


def trigram_query(needle: str, most: int = 4) -> str:
    """An FTS5 query for rows that have `most` trigrams of the needle, spread over it (the
    first, the last and between), each quoted as a string so that no character is syntax."""
    trigrams = [needle[start : start + 3] for start in range(len(needle) - 2)]
    if len(trigrams) > most:
        last = len(trigrams) - 1
        trigrams = [trigrams[round(index * last / (most - 1))] for index in range(most)]
    quoted = ('"' + trigram.replace('"', '""') + '"' for trigram in dict.fromkeys(trigrams))
    return " AND ".join(quoted)


# --- the index -------------------------------------------------------------------------

_SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
    "search_text, content='beneficiaries_family', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_insert AFTER INSERT ON beneficiaries_family "
    f"BEGIN INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_delete AFTER DELETE ON beneficiaries_family "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_update AFTER UPDATE OF search_text "
    "ON beneficiaries_family "
    f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
]
_SQLITE_TRIGGERS = {f"{FTS_TABLE}_insert", f"{FTS_TABLE}_delete", f"{FTS_TABLE}_update"}


def ensure_index(using: str = "default") -> bool:
    """Create the trigram index where it is missing (and fill it); True if it was."""
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE %s",
                [f"{FTS_TABLE}_%"],
            )
            if {row[0] for row in cursor.fetchall()} == _SQLITE_TRIGGERS:
                return False
            for statement in _SQLITE_INDEX:
                cursor.execute(statement)
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")
            return True
        if connection.vendor == "postgresql":
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [PG_INDEX])
            if cursor.fetchone():
                return False
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON beneficiaries_family "
                "USING gin (search_text gin_trgm_ops)"
            )
            return True
    return False


def ensure_index_after_migrate(sender, using="default", plan=None, **kwargs):
    from beneficiaries.models import Family

    if Family._meta.db_table in connections[using].introspection.table_names():
        ensure_index(using)


# --- keeping the text current ----------------------------------------------------------


def _family_saved(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        refresh([instance.pk], using=using)


def _member_loaded(sender, instance, **kwargs):
    # The family a member had when read: a member moved to another family (the admin can)
    # leaves one family and joins another, and both change.
    instance._family_id_as_read = instance.__dict__.get("family_id")


def _member_changed(sender, instance, raw=False, using="default", **kwargs):
    if not raw:
        refresh([instance.family_id, getattr(instance, "_family_id_as_read", None)], using=using)
        instance._family_id_as_read = instance.family_id


def connect() -> None:
    from beneficiaries.models import Family, Person

    post_save.connect(_family_saved, sender=Family, dispatch_uid="family_search.family")
    post_init.connect(_member_loaded, sender=Person, dispatch_uid="family_search.loaded")
    post_save.connect(_member_changed, sender=Person, dispatch_uid="family_search.member")
    post_delete.connect(_member_changed, sender=Person, dispatch_uid="family_search.gone")
