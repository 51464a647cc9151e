"""Demo data for every capability: `python manage.py seed_demo [--families N] [--seed S] [--reset]`.

Each app of ours (an installed app whose folder is in the project) may have a `demo` module
with `seed(run: DemoRun)` and optionally `reset(run)`; they are found here and called in the
order of INSTALLED_APPS, so training and enterprises find the families the core made. A demo
module may name `SEED_AFTER = "<app label>"` to be seeded right after that app's (the
well-being histories belong to the families' intake, before their courses and jobs).
"""

import random
import time
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from accounts.database import refresh_planner_statistics
from beneficiaries import income_summary


def demo_modules() -> list:
    """The project's apps' demo modules, in the order they are seeded."""
    root = Path(settings.BASE_DIR).resolve()
    modules = []
    for config in apps.get_app_configs():
        if root not in Path(config.path).resolve().parents:
            continue
        try:
            modules.append(import_module(f"{config.name}.demo"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
    ordered = [module for module in modules if not getattr(module, "SEED_AFTER", None)]
    for module in modules:
        after = getattr(module, "SEED_AFTER", None)
        if after:
            anchor = next(i for i, m in enumerate(ordered) if m.__name__ == f"{after}.demo")
            ordered.insert(anchor + 1, module)
    return ordered


@dataclass
class DemoRun:
    """What every app's demo seeder gets: the options, a seeded RNG and shared results."""

    families: int
    rng: random.Random
    reset: bool
    demo_users: bool
    log: object
    users: dict = field(default_factory=dict)
    new_family_ids: list[int] = field(default_factory=list)
    shared: dict = field(default_factory=dict)


class Command(BaseCommand):
    help = "Create demo data: users for each role and families with their history."

    def add_arguments(self, parser):
        parser.add_argument(
            "--families",
            type=int,
            default=None,
            help="How many families to add (default: the programme's 735 of 2007-2016).",
        )
        parser.add_argument("--seed", type=int, default=2007, help="Random seed (default 2007).")
        parser.add_argument("--reset", action="store_true", help="Delete all programme data first.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already holds families (used by `make run`).",
        )
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Create the demo users even when DEBUG is off.",
        )

    def handle(self, *args, families, seed, reset, demo_users, if_empty, **options):
        from beneficiaries.models import Family

        if if_empty and not reset and Family.objects.exists():
            self.stdout.write("The database already holds families: no demo data added.")
            return
        if families is not None and families < 0:
            raise CommandError("--families must be zero or more.")
        run = DemoRun(
            families=families,
            rng=random.Random(seed),
            reset=reset,
            demo_users=demo_users or settings.DEBUG,
            log=self.stdout,
        )
        modules = demo_modules()
        started = time.monotonic()
        if connection.vendor == "sqlite":
            # SQLite's default page cache is 2 MB: at 100,000 families (millions of rows) the
            # index pages of the big tables would be read again for every batch.
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB, this run only
        # Millions of income records at 100,000 families: the summary's triggers are off
        # while they are written, and the summary is rebuilt once at the end.
        with income_summary.suspended():
            if reset:
                with transaction.atomic():
                    for module in reversed(modules):
                        if hasattr(module, "reset"):
                            module.reset(run)
            for module in modules:
                step = time.monotonic()
                with transaction.atomic():
                    module.seed(run)
                self.stdout.write(f"  {module.__name__}: {time.monotonic() - step:.1f}s")
        refresh_planner_statistics()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s.")
        )
