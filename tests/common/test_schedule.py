"""Scheduled jobs: queued for the worker at their local time, run once a day in order,
the next occurrence queued even after a failure, never queued twice."""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from common import schedule
from common.models import ScheduledRun

pytestmark = pytest.mark.django_db
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
TASHKENT = zoneinfo.ZoneInfo("Asia/Tashkent")


@pytest.fixture
def db_tasks(settings, monkeypatch):
    settings.TASKS = DB_TASKS
    # The worker closes a connection inside a transaction; the test is one transaction.
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )


def waiting(job):
    rows = DBTaskResult.objects.filter(task_path=schedule.scheduled_job.module_path)
    return [r for r in rows.filter(status="READY") if r.args_kwargs["args"] == [job]]


def test_next_run_is_the_jobs_local_time_today_or_tomorrow(settings):
    settings.SCHEDULED_JOBS = {"nightly": "02:10"}
    before = datetime.datetime(2026, 12, 3, 1, 0, tzinfo=TASHKENT)
    after = datetime.datetime(2026, 12, 3, 2, 10, tzinfo=TASHKENT)  # due now: the next one
    assert schedule.next_run_at("nightly", before) == datetime.datetime(
        2026, 12, 3, 2, 10, tzinfo=TASHKENT
    )
    assert schedule.next_run_at("nightly", after) == datetime.datetime(
        2026, 12, 4, 2, 10, tzinfo=TASHKENT
    )
    # 02:10 in Tashkent is 21:10 UTC the evening before.
    assert schedule.next_run_at("nightly", before).astimezone(datetime.UTC).hour == 21


def test_the_apps_steps_run_in_order():
    names = [s.name for s in schedule.steps_of("nightly")]
    assert names == [
        "sync_placement_income",
        "recompute_scores",
        "find_duplicate_people",
        "purge_read_log",
        "purge_generated_files",
    ]
    assert [s.name for s in schedule.steps_of("morning")] == ["send_worklist_digest"]


def test_schedule_jobs_queues_each_job_once(db_tasks):
    assert sorted(schedule.schedule_jobs()) == ["morning", "nightly"]
    assert schedule.schedule_jobs() == []  # again: nothing twice
    call_command("schedule_jobs", verbosity=0)
    (nightly,) = waiting("nightly")
    assert len(waiting("morning")) == 1
    assert nightly.run_after == schedule.next_run_at("nightly")
    assert nightly.run_after > timezone.now()


def test_the_worker_runs_a_due_job_and_queues_the_next(db_tasks, monkeypatch):
    ran = []
    monkeypatch.setattr(
        schedule, "_steps", [schedule.Step("nightly", 1, "probe", lambda: ran.append(1) or 7)]
    )
    schedule.scheduled_job.enqueue("nightly")  # due now
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    assert ran == [1]
    run = ScheduledRun.objects.get(job="nightly", day=timezone.localdate())
    assert run.finished_at is not None and run.results == {"probe": "7"}
    (following,) = waiting("nightly")
    assert following.run_after == schedule.next_run_at("nightly")


def test_a_job_runs_once_a_day_whoever_starts_it(monkeypatch):
    ran = []
    monkeypatch.setattr(
        schedule, "_steps", [schedule.Step("nightly", 1, "probe", lambda: ran.append(1))]
    )
    today = timezone.localdate()
    assert schedule.run_job("nightly", today) == {"probe": "None"}
    assert schedule.run_job("nightly", today) == {}  # a second worker, a retry, cron
    call_command("run_scheduled_job", "nightly", verbosity=0)
    assert ran == [1]
    schedule.run_job("nightly", today + datetime.timedelta(days=1))
    assert ran == [1, 1]


def test_a_failed_step_fails_the_day_which_a_retry_finishes(db_tasks, monkeypatch):
    calls = {"n": 0}

    def flaky():
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database unavailable")
        return "ok"

    monkeypatch.setattr(schedule, "_steps", [schedule.Step("nightly", 1, "flaky", flaky)])
    schedule.scheduled_job.enqueue("nightly")
    call_command("db_worker", batch=True, no_startup_delay=True, verbosity=0)
    failed = DBTaskResult.objects.get(status="FAILED")
    assert "database unavailable" in failed.traceback
    assert len(waiting("nightly")) == 1  # one bad night does not stop the schedule
    run = ScheduledRun.objects.get(job="nightly")
    assert run.finished_at is None
    assert schedule.run_job("nightly", run.day) == {"flaky": "ok"}  # the retry finishes it


def test_an_unknown_job_is_refused_by_the_command():
    with pytest.raises(Exception, match="Unknown job"):
        call_command("run_scheduled_job", "weekly")
