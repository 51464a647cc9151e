"""Keeping the database's query planner informed.

SQLite plans without statistics until ANALYZE has run: with a family's branch and its
caseworker both indexed it guessed the branch index, and read a branch's 45,000 families to
find one caseworker's fifty. PostgreSQL's autovacuum analyses in time, but only after a
large load has settled. Bulk writers (seed_demo) and the nightly recompute call this.
"""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "PRAGMA analysis_limit = 1000"
            )  # a sample per index: a second, not minutes
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
