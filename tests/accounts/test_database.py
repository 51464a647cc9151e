import pytest
from django.db import connection

from accounts.database import refresh_planner_statistics
from tests.factories import FamilyFactory


@pytest.mark.django_db(transaction=True)
def test_planner_statistics_cover_the_family_table():
    FamilyFactory.create_batch(3)
    refresh_planner_statistics()
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'beneficiaries_family'")
        else:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_user_tables "
                "WHERE relname = 'beneficiaries_family' AND last_analyze IS NOT NULL"
            )
        (rows,) = cursor.fetchone()
    assert rows >= 1
