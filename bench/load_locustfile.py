"""The simulated staff of bench/load.py (run by locust, in its own environment: this file
imports nothing of Mustaqil). Each simulated user signs in once as one of the load users
bench/load.py made, then walks the pages of their role's day with 3-8 s of think time.
The users, their roles and the families they may open come from LOAD_USERS (JSON).
"""

import html.parser
import itertools
import json
import os
import random
from pathlib import Path

from locust import HttpUser, between, task

PEOPLE = json.loads(Path(os.environ["LOAD_USERS"]).read_text())
_next = itertools.count()

# The pages of each role's day: (name in the report, path, weight).
DAY = {
    "caseworker": [
        ("home", "/", 3),
        ("worklist", "/worklist/", 3),
        ("family list", "/families/", 3),
        ("family search", "/families/?q={q}", 2),
        ("family detail", "/families/{family}/", 4),
        ("family progress", "/families/{family}/progress/", 1),
    ],
    "programme_manager": [
        ("home", "/", 4),
        ("programme report", "/reports/programme/", 2),
        ("family list", "/families/", 2),
        ("family detail", "/families/{family}/", 1),
    ],
    "auditor": [
        ("home", "/", 2),
        ("family list", "/families/", 3),
        ("family detail", "/families/{family}/", 2),
        ("programme report", "/reports/programme/", 1),
    ],
    "trainer": [
        ("home", "/", 2),
        ("cohorts", "/training/", 3),
        ("enrolments", "/training/enrolments/", 3),
    ],
    "enterprise_manager": [
        ("home", "/", 2),
        ("enterprises", "/enterprises/", 3),
        ("payroll runs", "/payroll/", 3),
        ("jobs", "/enterprises/jobs/", 1),
    ],
}


class _Csrf(html.parser.HTMLParser):
    token = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "input" and attrs.get("name") == "csrfmiddlewaretoken":
            self.token = attrs.get("value")


class Staff(HttpUser):
    wait_time = between(3, 8)

    def on_start(self):
        self.person = PEOPLE[next(_next) % len(PEOPLE)]
        response = self.client.get("/accounts/login/", name="sign-in page")
        parser = _Csrf()
        parser.feed(response.text)
        self.client.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": parser.token,
                "username": self.person["username"],
                "password": self.person["password"],
            },
            headers={"Referer": self.host + "/accounts/login/"},
            name="sign in",
        )
        pages = DAY[self.person["role"]]
        self.pages = [page for page in pages for _ in range(page[2])]

    @task
    def a_page_of_the_day(self):
        name, path, _weight = random.choice(self.pages)
        families = self.person.get("families") or [0]
        path = path.format(family=random.choice(families), q=random.choice("ABCDEFGHKMNORST"))
        with self.client.get(path, name=f"{self.person['role']}: {name}", catch_response=True) as r:
            if r.status_code != 200:
                r.failure(f"{r.status_code}")
            elif r.url and "/accounts/login/" in r.url:
                r.failure("sent to sign in")
