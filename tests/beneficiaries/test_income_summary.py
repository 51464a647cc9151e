"""The per-family income summary equals a recount from the income records after every kind
of write: model saves, queryset updates and deletes, bulk_create, raw SQL, moving a record
to another family, deleting the family; and after a bulk load with the triggers suspended,
or a migrate that finds them gone. The members the report divides by are kept in one
place, `Family.member_count`, equal to a recount of the members."""

import datetime
import io
import threading
import time
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, connections, transaction
from django.db.models import Count, F

from beneficiaries import income_summary, search
from beneficiaries.models import Family, FamilyIncomeSummary, IncomeRecord, Person
from tests.factories import FamilyFactory, IncomeRecordFactory, PersonFactory

JAN, FEB, MAR, APR = (datetime.date(2024, month, 1) for month in (1, 2, 3, 4))


def recount() -> dict:
    """{family id: (first month, its total, latest month, its total)} from the records."""
    totals: dict = {}
    for family_id, month, amount in IncomeRecord.objects.values_list(
        "family_id", "month", "amount"
    ):
        months = totals.setdefault(family_id, {})
        months[month] = months.get(month, 0) + amount
    return {
        family_id: (min(months), months[min(months)], max(months), months[max(months)])
        for family_id, months in totals.items()
    }


def summary() -> dict:
    return {
        row[0]: tuple(row[1:])
        for row in FamilyIncomeSummary.objects.values_list(
            "family_id", "first_month", "first_total", "last_month", "last_total"
        )
    }


def assert_in_step():
    """The summary equals the recount, and every family's member count a recount of its
    members; returns the recount's figures."""
    wanted = recount()
    assert summary() == wanted
    assert member_counts() == recounted_members()
    return wanted


def recounted_members() -> dict:
    members = dict(
        Person.objects.values("family").annotate(n=Count("pk")).values_list("family", "n")
    )
    return {pk: members.get(pk, 0) for pk in Family.objects.values_list("pk", flat=True)}


def member_counts() -> dict:
    return dict(Family.objects.values_list("pk", "member_count"))


@pytest.fixture
def families(db):
    return FamilyFactory(), FamilyFactory()


def test_creates_add_to_the_first_and_latest_month(families):
    family, _other = families
    IncomeRecordFactory(family=family, month=FEB, amount=100)
    assert assert_in_step()[family.pk] == (FEB, 100, FEB, 100)
    IncomeRecordFactory(family=family, month=MAR, amount=300)
    IncomeRecordFactory(family=family, month=MAR, amount=Decimal("0.50"), source="pension")
    IncomeRecordFactory(family=family, month=JAN, amount=70)
    IncomeRecordFactory(family=family, month=FEB, amount=5, source="other")  # in between
    assert assert_in_step()[family.pk] == (JAN, 70, MAR, Decimal("300.50"))


def test_updates_of_amount_month_and_family(families):
    family, other = families
    first = IncomeRecordFactory(family=family, month=JAN, amount=100)
    last = IncomeRecordFactory(family=family, month=MAR, amount=300)
    IncomeRecordFactory(family=family, month=FEB, amount=200)
    first.amount = 150
    first.save()
    assert assert_in_step()[family.pk] == (JAN, 150, MAR, 300)
    last.month = APR
    last.save()
    assert assert_in_step()[family.pk] == (JAN, 150, APR, 300)
    first.month = MAR  # the first month is now February
    first.save()
    assert assert_in_step()[family.pk] == (FEB, 200, APR, 300)
    last.family = other  # moved: the latest month of the first family goes back
    last.save()
    assert assert_in_step() == {family.pk: (FEB, 200, MAR, 150), other.pk: (APR, 300, APR, 300)}
    IncomeRecord.objects.filter(family=family).update(family=other)
    assert set(assert_in_step()) == {other.pk}
    IncomeRecord.objects.filter(month=APR).update(amount=F("amount") + 5)
    assert assert_in_step()[other.pk] == (FEB, 200, APR, 305)


def test_deletes_move_the_months_back_and_remove_the_row(families):
    family, other = families
    IncomeRecordFactory(family=family, month=JAN, amount=100)
    IncomeRecordFactory(family=family, month=FEB, amount=200)
    latest = IncomeRecordFactory(family=family, month=MAR, amount=300)
    IncomeRecordFactory(family=other, month=MAR, amount=1)
    latest.delete()
    assert assert_in_step()[family.pk] == (JAN, 100, FEB, 200)
    IncomeRecord.objects.filter(family=family, month=JAN).delete()
    assert assert_in_step()[family.pk] == (FEB, 200, FEB, 200)
    IncomeRecord.objects.filter(family=family).delete()
    assert set(assert_in_step()) == {other.pk}
    other.delete()  # the family's records and its summary go with it
    assert summary() == {}


def test_bulk_create_and_raw_sql(families):
    family, other = families
    IncomeRecord.objects.bulk_create(
        [
            IncomeRecord(family=family, month=month, source=source, amount=amount)
            for month, source, amount in [
                (JAN, "employment", 10),
                (JAN, "pension", 20),
                (MAR, "employment", 40),
                (FEB, "employment", 30),
            ]
        ]
    )
    assert assert_in_step()[family.pk] == (JAN, 30, MAR, 40)
    table = IncomeRecord._meta.db_table
    now = "2024-05-01 00:00:00"
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} (family_id, month, source, amount, evidence, created_at, "
            "updated_at) VALUES (%s, %s, %s, %s, '', %s, %s)",
            [
                (other.pk, "2024-04-01", "other", "7.25", now, now),
                (family.pk, "2023-12-01", "other", "5", now, now),
            ],
        )
    assert assert_in_step() == {
        family.pk: (datetime.date(2023, 12, 1), 5, MAR, 40),
        other.pk: (APR, Decimal("7.25"), APR, Decimal("7.25")),
    }
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET month = %s WHERE month = %s", ["2024-06-01", "2024-03-01"]
        )
        cursor.execute(f"DELETE FROM {table} WHERE family_id = %s", [other.pk])
    assert assert_in_step() == {
        family.pk: (datetime.date(2023, 12, 1), 5, datetime.date(2024, 6, 1), 40)
    }


def test_the_member_count_is_kept_in_one_place(families):
    """Family.member_count, written by search.refresh on every ORM write of a member;
    writers that send no signals call refresh themselves (the demo, the import)."""
    family, other = families
    IncomeRecordFactory(family=family, month=JAN, amount=100)
    IncomeRecordFactory(family=other, month=JAN, amount=100)
    mother = PersonFactory(family=family)
    PersonFactory(family=family)
    Person.objects.bulk_create([Person(family=other, full_name="Aziz", birth_date=JAN)])
    search.refresh([other.pk])  # bulk_create sends no signals

    def members():
        assert_in_step()
        return {pk: n for pk, n in member_counts().items() if pk in (family.pk, other.pk)}

    assert members() == {family.pk: 2, other.pk: 1}
    mother.family = other
    mother.save()
    assert members() == {family.pk: 1, other.pk: 2}
    Person.objects.filter(family=other).update(family=family)
    assert member_counts()[other.pk] == 2  # a queryset update sends no signals...
    search.refresh([family.pk, other.pk])  # ...so its writer refreshes
    assert members() == {family.pk: 3, other.pk: 0}
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [mother.pk])
    search.refresh([family.pk])
    assert members() == {family.pk: 2, other.pk: 0}
    PersonFactory(family=FamilyFactory())  # a family without income has a count too
    IncomeRecord.objects.filter(family=family).delete()
    assert members() == {family.pk: 2, other.pk: 0}
    assert set(summary()) == {other.pk}
    IncomeRecordFactory(family=family, month=FEB, amount=1)
    assert members() == {family.pk: 2, other.pk: 0}


def test_the_summary_keeps_no_member_count_and_no_trigger_on_the_members(db):
    columns = {
        column.name
        for column in connection.introspection.get_table_description(
            connection.cursor(), FamilyIncomeSummary._meta.db_table
        )
    }
    assert columns == {"family_id", "first_month", "first_total", "last_month", "last_total"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [Person._meta.db_table],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = %s::regclass",
                [Person._meta.db_table],
            )
        assert cursor.fetchall() == []


def test_suspended_writes_without_triggers_and_rebuilds(families):
    family, other = families
    IncomeRecordFactory(family=family, month=FEB, amount=100)
    with income_summary.suspended():
        IncomeRecord.objects.bulk_create(
            [
                IncomeRecord(family=family, month=JAN, source="employment", amount=1),
                IncomeRecord(family=other, month=MAR, source="employment", amount=2),
            ]
        )
        assert summary() == {family.pk: (FEB, 100, FEB, 100)}  # not followed meanwhile
    assert set(assert_in_step()) == {family.pk, other.pk}
    IncomeRecordFactory(family=other, month=APR, amount=3)  # the triggers are back
    assert assert_in_step()[other.pk] == (MAR, 2, APR, 3)


def test_a_migrate_that_finds_the_triggers_gone_rebuilds(families):
    family, other = families
    IncomeRecordFactory(family=family, month=FEB, amount=100)
    assert income_summary.ensure() is False  # triggers there, summary in step
    income_summary.drop_triggers()
    IncomeRecordFactory(family=other, month=MAR, amount=2)
    IncomeRecordFactory(family=family, month=MAR, amount=3)
    assert summary() == {family.pk: (FEB, 100, FEB, 100)}
    income_summary.ensure_after_migrate(sender=None)
    assert_in_step()
    IncomeRecordFactory(family=other, month=APR, amount=4)
    assert assert_in_step()[other.pk] == (MAR, 2, APR, 4)
    FamilyIncomeSummary.objects.filter(family=other).delete()  # out of step: a row missing
    assert income_summary.ensure() is True
    assert_in_step()


def test_seed_demo_leaves_the_summary_in_step_with_its_triggers(db):
    call_command("seed_demo", families=30, stdout=io.StringIO())
    assert len(assert_in_step()) > 20
    family = FamilyIncomeSummary.objects.order_by("pk").first().family
    IncomeRecordFactory(family=family, month=datetime.date(2099, 1, 1), amount=1)
    assert assert_in_step()[family.pk][2:] == (datetime.date(2099, 1, 1), 1)


@pytest.mark.django_db(transaction=True)
def test_two_transactions_adding_income_to_one_family_both_count():
    """The second writer waits for the first to commit and then counts its record too;
    without the family's lock it would compute the total from before the first's record
    (or collide with the row the first one wrote)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every writer on one database lock.")
    family = FamilyFactory()
    IncomeRecordFactory(family=family, month=JAN, amount=1)
    written = threading.Event()

    def first_writer():
        try:
            with transaction.atomic():
                IncomeRecordFactory(family=family, month=MAR, amount=5)
                written.set()
                time.sleep(0.5)  # the other writer starts meanwhile
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=first_writer)
    thread.start()
    assert written.wait(timeout=10)
    with transaction.atomic():
        IncomeRecordFactory(family=family, month=MAR, amount=7, source="pension")
    thread.join(timeout=30)
    assert assert_in_step()[family.pk] == (JAN, 1, MAR, 12)


def test_table_names_are_the_models():
    assert {
        income_summary.FAMILY,
        income_summary.INCOME,
        income_summary.SUMMARY,
    } == {model._meta.db_table for model in (Family, IncomeRecord, FamilyIncomeSummary)}
