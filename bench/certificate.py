"""How long does one certificate PDF take to render?  Goal: under 1 s.

Run on demand:  .venv/bin/python bench/certificate.py [--runs N]

Sets Django up by itself (DEBUG=1, an in-memory SQLite database that is never touched):
the certificate is rendered from unsaved objects, so the figure is WeasyPrint and the
template, not the database. Prints the first (cold) render, which includes loading the
fonts, and the median and slowest of the warm ones, per language, in wall-clock time and
in CPU time (the latter hardly moves when other processes share the machine). The verdict
uses the median wall-clock time of the warm renders.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ["DEBUG"] = "1"
os.environ["DATABASE_URL"] = "sqlite://:memory:"

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402

from beneficiaries.models import Branch, Family, Person  # noqa: E402
from training.certificates import CERTIFICATE_LANGUAGES, render_certificate  # noqa: E402
from training.models import Cohort, Course, Enrolment, Qualification  # noqa: E402

GOAL_SECONDS = 1.0


def sample_qualification() -> Qualification:
    branch = Branch(name="Samarkand", code="SAM", city="Samarkand")
    trainer = get_user_model()(username="trainer", first_name="Gulnora", last_name="Yusupova")
    course = Course(
        trade="carpet_weaving",
        title="Carpet weaving",
        title_ru="Ковроткачество",
        title_uz="Gilam toʻqish",
        level="intermediate",
        hours=180,
        provider="partner_college",
        provider_name="Samarqand xizmat koʻrsatish kolleji",
    )
    cohort = Cohort(
        course=course,
        trainer=trainer,
        branch=branch,
        location="Ijtimoiy markaz, 2-xona",
        start_date=date(2026, 3, 2),
        end_date=date(2026, 6, 26),
        capacity=15,
    )
    family = Family(branch=branch, case_number="SAM-2026-0042")
    person = Person(family=family, full_name="Gʻulomova Oʻgʻiloy", birth_date=date(1990, 5, 17))
    enrolment = Enrolment(person=person, cohort=cohort, enrolled_on=date(2026, 2, 20))
    return Qualification(
        enrolment=enrolment,
        number="MQ-2026-7KQ2-M4XD",
        verification_code="R8M2KQ7XD4HN9PZT3WJC",
        issued_on=date(2026, 6, 26),
        level="intermediate",
        grade="good",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="warm renders per language")
    args = parser.parse_args()
    qualification = sample_qualification()
    url = f"https://mustaqil.example/verify/{qualification.verification_code}/"

    started, cpu = time.perf_counter(), time.process_time()
    pdf = render_certificate(qualification, language="uz", verify_url=url)
    print(
        f"cold render (loads the fonts): {time.perf_counter() - started:.3f} s"
        f" (CPU {time.process_time() - cpu:.3f} s), {len(pdf) / 1024:.0f} KiB"
    )

    every = []
    for language in CERTIFICATE_LANGUAGES:
        wall, cpu_times = [], []
        for _run in range(args.runs):
            started, cpu = time.perf_counter(), time.process_time()
            render_certificate(qualification, language=language, verify_url=url)
            wall.append(time.perf_counter() - started)
            cpu_times.append(time.process_time() - cpu)
        every.extend(wall)
        print(
            f"{language}: median {statistics.median(wall):.3f} s"
            f" (CPU {statistics.median(cpu_times):.3f} s), slowest {max(wall):.3f} s"
            f" over {args.runs} renders"
        )
    median = statistics.median(every)
    verdict = "meets" if median < GOAL_SECONDS else "MISSES"
    print(
        f"one certificate: {median:.3f} s (median of {len(every)} warm renders)"
        f" — {verdict} the goal of under {GOAL_SECONDS:.0f} s"
    )
    return 0 if median < GOAL_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
