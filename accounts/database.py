"""Keeping the database's query planner informed.

SQLite plans without statistics until ANALYZE has run: with a family's branch and its
caseworker both indexed it guessed the branch index, and read a branch's 45,000 families to
find one caseworker's fifty. PostgreSQL's autovacuum analyses and vacuums in time, but only
after a large load has settled; until VACUUM has marked the pages all-visible, its
index-only scans (counts, the family list's page of ids, the income index) still read the
table. Bulk writers (seed_demo) and the nightly recompute call this.
"""

from django.db import connections


def refresh_planner_statistics(using: str = "default") -> None:
    connection = connections[using]
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # A sample of each index is enough for the planner: a second, not minutes.
            cursor.execute("PRAGMA analysis_limit = 1000")
            cursor.execute("ANALYZE")
        elif connection.vendor == "postgresql":
            # VACUUM cannot run inside a transaction (a test's, or a caller's atomic block).
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
