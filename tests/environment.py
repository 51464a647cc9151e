"""Loaded by pytest before Django (`-p tests.environment`): a test run is a development run.

Settings refuse to start without SECRET_KEY when DEBUG is off; tests run with DEBUG's
defaults (Django switches DEBUG itself off while tests run) and never redirect to HTTPS.
"""

import os

os.environ.setdefault("DEBUG", "1")
os.environ.setdefault("HTTPS", "0")
# Tasks run at once (ImmediateBackend); a test of the queue itself switches TASKS back.
os.environ.setdefault("TASKS_IMMEDIATE", "1")
# Playwright's sync API runs an event loop; Django's ORM calls from the live-server thread
# are not affected, but fixtures that touch the ORM beside an open browser need this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
