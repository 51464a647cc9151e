"""The well-being models left the core for their own app: a database migrated from before
the move keeps every row, its history, its content types and the roles' permissions."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.module_loading import import_string

from wellbeing.models import Assessment, Domain, FamilyScore, PovertyLine, Rating

BEFORE = [("beneficiaries", "0011_merge_head_and_size_income_summary"), ("wellbeing", None)]
MOVED_TABLES = ["assessment", "rating", "familyscore", "povertyline", "domain"]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    nodes = [target for target in targets if target[1] is not None]
    return MigrationExecutor(connection).loader.project_state(nodes).apps


def _latest():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


@pytest.fixture
def before_the_move(transactional_db):
    """The schema as it was before the move; the latest one again afterwards, whatever
    the test did."""
    try:
        yield _migrate(BEFORE)
    finally:
        _migrate(_latest())


def test_rows_history_content_types_and_permissions_survive_the_move(before_the_move):
    old = before_the_move
    tables = connection.introspection.table_names()
    assert "beneficiaries_assessment" in tables and "wellbeing_assessment" not in tables

    # A family assessed before the move, with its history and a role holding the permission.
    Branch = old.get_model("beneficiaries", "Branch")
    Family = old.get_model("beneficiaries", "Family")
    OldDomain = old.get_model("beneficiaries", "Domain")
    OldAssessment = old.get_model("beneficiaries", "Assessment")
    OldRating = old.get_model("beneficiaries", "Rating")
    OldScore = old.get_model("beneficiaries", "FamilyScore")
    OldHistory = old.get_model("beneficiaries", "HistoricalAssessment")
    OldLine = old.get_model("beneficiaries", "PovertyLine")
    branch = Branch.objects.first() or Branch.objects.create(
        code="SAM", name="Samarkand social centre", city="Samarkand"
    )
    family = Family.objects.create(
        branch=branch, case_number="MOVE-1", intake_date=datetime.date(2024, 1, 10)
    )
    if not OldDomain.objects.exists():  # an earlier transactional test flushed the shipped data
        import_string("beneficiaries.migrations.0004_wellbeing_data.ship")(old, None)
    domain = OldDomain.objects.order_by("position").first()
    assessment = OldAssessment.objects.create(
        family=family, date=datetime.date(2024, 2, 1), kind="intake"
    )
    OldRating.objects.create(assessment=assessment, domain=domain, level=2)
    OldHistory.objects.create(
        id=assessment.pk,
        family_id=family.pk,
        date=assessment.date,
        kind="intake",
        notes="",
        created_at=assessment.created_at,
        history_date=assessment.created_at,
        history_type="+",
    )
    OldScore.objects.create(family=family, assessment=assessment, score=25, light="red")
    lines_before = OldLine.objects.count()
    domains_before = OldDomain.objects.count()
    # Unapplying the move gave the content type back to the core, as a live site has it.
    old_type = ContentType.objects.get(app_label="beneficiaries", model="assessment")
    permission = Permission.objects.get(content_type=old_type, codename="view_assessment")
    group = Group.objects.create(name="moved-role")
    group.permissions.add(permission)

    _migrate(_latest())

    tables = connection.introspection.table_names()
    for name in MOVED_TABLES:
        assert f"wellbeing_{name}" in tables
        assert f"beneficiaries_{name}" not in tables
    assert "wellbeing_assessment_children_out_of_school" in tables
    moved = Assessment.objects.get(pk=assessment.pk)
    assert moved.family_id == family.pk
    assert Rating.objects.get(assessment=moved).level == 2
    assert FamilyScore.objects.get(family_id=family.pk).score == 25
    assert Assessment.history.filter(id=assessment.pk).count() == 1
    assert PovertyLine.objects.count() == lines_before > 0
    assert Domain.objects.count() == domains_before > 0
    # The same content type row now names the new app; the permission and the role follow.
    assert ContentType.objects.get(pk=old_type.pk).app_label == "wellbeing"
    assert not ContentType.objects.filter(app_label="beneficiaries", model="assessment").exists()
    assert group.permissions.get().content_type_id == old_type.pk
    assert Permission.objects.get(pk=permission.pk).content_type.app_label == "wellbeing"
    # And the new models write where the old rows are.
    Rating.objects.filter(assessment=moved).update(level=3)
    assert Rating.objects.get(assessment=moved).level == 3
    assert Decimal(PovertyLine.objects.first().amount) > 0
