from django.contrib.auth import get_user_model
from django.core.management import call_command

from beneficiaries.models import Family, Person


def test_seed_demo_creates_users_and_adds_families_on_each_run(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", families=30, seed=1)
    users = get_user_model().objects
    assert set(users.values_list("username", flat=True)) >= {
        "director", "caseworker", "caseworker2", "trainer", "manager", "auditor",
    }  # fmt: skip
    caseworker = users.get(username="caseworker")
    assert caseworker.check_password("demo")
    assert list(caseworker.staff_profile.branches.values_list("code", flat=True)) == ["SAM"]
    assert Family.objects.count() == 30
    assert Person.objects.filter(relationship="child").count() >= 30

    call_command("seed_demo", families=10, seed=2)
    assert Family.objects.count() == 40
    numbers = list(Family.objects.values_list("case_number", flat=True))
    assert len(numbers) == len(set(numbers))

    call_command("seed_demo", families=5, reset=True)
    assert Family.objects.count() == 5


def test_no_demo_users_in_production_unless_asked(db, settings):
    settings.DEBUG = False
    call_command("seed_demo", families=1)
    assert not get_user_model().objects.filter(username="director").exists()
    call_command("seed_demo", families=1, demo_users=True)
    assert get_user_model().objects.filter(username="director").exists()


def test_if_empty_leaves_an_existing_database_alone(db, settings):
    settings.DEBUG = True
    call_command("seed_demo", families=3)
    call_command("seed_demo", if_empty=True)
    assert Family.objects.count() == 3
