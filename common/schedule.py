"""Scheduled work, run by the background worker: the nightly upkeep and the morning digest.

django-tasks-db has no clock of its own, so a scheduled job is a task queued with
`run_after` set to its next time (settings.SCHEDULED_JOBS, Asia/Tashkent). When the worker
runs it, it does the job's steps in order and queues the next occurrence, whether or not a
step failed, so one bad night does not stop the schedule. `manage.py schedule_jobs` queues
whatever is missing (`make run` calls it; run it once after each deploy); calling it again
queues nothing twice.

Each app registers its steps in its AppConfig.ready with `register_step(...)`; this package
imports none of the apps. A job runs once a day: `ScheduledRun` (job, day) is the guard, so
a second worker, a retry, or cron running `manage.py run_scheduled_job` the same day does no
step twice. Cron remains an alternative to the worker (README, "Scheduled work").
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.tasks import task, task_backends
from django.utils import timezone

from common.models import ScheduledRun


@dataclass(frozen=True)
class Step:
    job: str  # a key of settings.SCHEDULED_JOBS
    order: int  # steps of a job run in this order
    name: str
    run: Callable[[], object]  # returns a short summary (a count) kept on the run


_steps: list[Step] = []


def register_step(step: Step) -> None:
    if step.job not in settings.SCHEDULED_JOBS:
        raise ValueError(f"No scheduled job named {step.job!r} in settings.SCHEDULED_JOBS")
    _steps[:] = [s for s in _steps if (s.job, s.name) != (step.job, step.name)] + [step]


def steps_of(job: str) -> list[Step]:
    return sorted((s for s in _steps if s.job == job), key=lambda s: (s.order, s.name))


def job_time(job: str) -> time:
    hours, minutes = settings.SCHEDULED_JOBS[job].split(":")
    return time(int(hours), int(minutes))


def next_run_at(job: str, now: datetime | None = None) -> datetime:
    """The next time the job is due, strictly after `now`, in the programme's time zone."""
    now = timezone.localtime(now or timezone.now())
    due = timezone.make_aware(datetime.combine(now.date(), job_time(job)))
    return due if due > now else due + timedelta(days=1)


def run_job(job: str, day: date) -> dict:
    """Run the job's steps for `day`, once: a second call for the same day does nothing and
    returns {}. A failing step fails the run (its error is the task's); the steps are each
    safe to repeat, so running the day again after a failure finishes it."""
    try:
        with transaction.atomic():
            run = ScheduledRun.objects.create(job=job, day=day)
    except IntegrityError:
        run = ScheduledRun.objects.get(job=job, day=day)
        if run.finished_at is not None:
            return {}
    results = {}
    for step in steps_of(job):
        results[step.name] = str(step.run())
    run.finished_at = timezone.now()
    run.results = results
    run.save(update_fields=["finished_at", "results"])
    return results


@task()
def scheduled_job(job: str) -> dict:
    """The worker's entry: today's run of the job, then the next occurrence queued."""
    try:
        return run_job(job, timezone.localdate())
    finally:
        queue_next(job)


def _pending(job: str) -> bool:
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(task_path=scheduled_job.module_path, status="READY")
    return any(row["args"] == [job] for row in waiting.values_list("args_kwargs", flat=True))


def queue_next(job: str) -> bool:
    """Queue the job's next occurrence unless one is already waiting. Only a backend that
    keeps tasks for later can hold a schedule; with the immediate one (tests, TASKS_IMMEDIATE)
    nothing is queued."""
    backend = task_backends[scheduled_job.backend]
    if not backend.supports_defer or _pending(job):
        return False
    scheduled_job.using(run_after=next_run_at(job)).enqueue(job)
    return True


def schedule_jobs() -> list[str]:
    """Queue every scheduled job that has no occurrence waiting; returns the ones queued."""
    return [job for job in settings.SCHEDULED_JOBS if queue_next(job)]
