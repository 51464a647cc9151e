"""Registering a family, finding it, and the case actions: intake, exit, close, plan, moves."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse, reverse_lazy

from beneficiaries import services as family_services
from beneficiaries.choices import ExitReason, FamilyStatus, LivingArrangement
from beneficiaries.models import ChildPlacement, Family, Person, PlanGoal
from beneficiaries.selectors import children_figures
from tests.factories import (
    ChildFactory,
    FamilyFactory,
    MakhallaFactory,
    PersonFactory,
    consent_to_processing,
)

pytestmark = pytest.mark.django_db

LIST = reverse_lazy("beneficiaries:family_list")


def management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def member(index, name, relationship, birth, sex="F", pinfl=""):
    prefix = f"members-{index}-"
    return {
        prefix + "full_name": name,
        prefix + "sex": sex,
        prefix + "birth_date": birth,
        prefix + "relationship": relationship,
        prefix + "pinfl": pinfl,
        prefix + "disability": "none",
    }


def registration(samarkand, **extra):
    makhalla = MakhallaFactory(branch=samarkand, name="Registon")
    data = {
        "branch": samarkand.pk,
        "makhalla": makhalla.pk,
        "address": "Registon koʻchasi 5",
        "phone": "+998 90 111 22 33",
        "referral_source": "makhalla",
        "intake_date": "2025-02-03",
        "consent_date": "2025-02-03",
        **management("members", 3),
        **member(0, "Yusupova Malika", "head", "1990-01-02", pinfl="30101901234567"),
        **member(1, "Yusupov Aziz", "child", "2015-06-07", sex="M"),
        **member(2, "Yusupova Lola", "child", "2018-08-09"),
    }
    data.update(extra)
    return data


def test_caseworker_registers_a_family_with_members(client_for, personas, samarkand):
    client = client_for(personas.caseworker)
    response = client.post(reverse("beneficiaries:family_create"), registration(samarkand))
    family = Family.objects.get()
    assert response.status_code == 302
    assert response["Location"] == family.get_absolute_url()
    assert family.case_number == "SAM-2025-0001"
    assert family.caseworker is None or family.caseworker == personas.caseworker
    assert family.consent_recorded_by == personas.caseworker
    assert family.status == FamilyStatus.REFERRED
    assert sorted(family.members.values_list("full_name", flat=True)) == [
        "Yusupov Aziz", "Yusupova Lola", "Yusupova Malika",
    ]  # fmt: skip


def test_caseworker_cannot_register_in_another_branch(client_for, personas, samarkand, tashkent):
    client = client_for(personas.caseworker)
    data = registration(samarkand, branch=tashkent.pk, makhalla="")
    response = client.post(reverse("beneficiaries:family_create"), data)
    assert response.status_code == 200
    assert "branch" in response.context["form"].errors
    assert not Family.objects.exists()


def test_registration_needs_a_member_and_unique_pinfls(client_for, personas, samarkand):
    client = client_for(personas.caseworker)
    data = registration(samarkand)
    data["members-1-pinfl"] = "30101901234567"  # the mother's
    response = client.post(reverse("beneficiaries:family_create"), data)
    assert "Two members have the same PINFL." in response.context["formset"].non_form_errors()
    empty = {k: v for k, v in registration(samarkand).items() if not k.startswith("members-")}
    blank_rows = {f"members-{i}-disability": "none" for i in range(3)}  # as a browser sends
    response = client.post(
        reverse("beneficiaries:family_create"),
        {**empty, **management("members", 3), **blank_rows},
    )
    assert "Register at least one family member." in response.context["formset"].non_form_errors()
    assert not Family.objects.exists()


def test_edit_changes_data_and_adds_a_member(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    mother = PersonFactory(family=family, full_name="Qodirova Nodira")
    data = {
        "makhalla": family.makhalla_id,
        "address": "New street 1",
        "phone": family.phone,
        "caseworker": personas.caseworker.pk,
        "referral_source": "school",
        "intake_date": "2024-03-01",
        "consent_date": "2024-03-02",
        **management("members", 2, initial=1),
        "members-0-id": mother.pk,
        "members-0-family": family.pk,
        **member(0, "Qodirova Nodira", "head", "1990-05-17"),
        **member(1, "Qodirov Islom", "child", "2019-01-01", sex="M"),
    }
    response = client_for(personas.caseworker).post(
        reverse("beneficiaries:family_update", args=[family.pk]), data
    )
    assert response.status_code == 302
    family.refresh_from_db()
    assert family.address == "New street 1"
    assert family.consent_recorded_by == personas.caseworker
    assert family.members.count() == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("feruz", {"own"}),  # part of a member's name, any case
        ("31234567890123", {"own"}),  # PINFL
        ("nazarova", {"far"}),
        ("TST-2020", {"own", "colleague", "far"}),  # part of the case number
    ],
)
def test_free_text_search(client_for, personas, families, query, expected):
    response = client_for(personas.director).get(LIST, {"q": query})
    shown = {row.record.pk for row in response.context["table"].page.object_list}
    assert shown == {getattr(families, name).pk for name in expected}


def test_filters_by_status_year_branch_and_caseworker(client_for, personas, families, tashkent):
    families.colleague.intake_date = datetime.date(2019, 5, 5)
    families.colleague.status = FamilyStatus.REFERRED
    families.colleague.save()
    client = client_for(personas.director)

    def shown(**params):
        response = client.get(LIST, params)
        return {row.record.pk for row in response.context["table"].page.object_list}

    assert shown(status="referred") == {families.colleague.pk}
    assert shown(intake_year=2019) == {families.colleague.pk}
    assert shown(branch=tashkent.pk) == {families.far.pk}
    personas.caseworker.first_name, personas.caseworker.last_name = "Dilnoza", "Karimova"
    personas.caseworker.save()
    assert shown(caseworker="karimova") == {families.own.pk}
    assert shown(caseworker="dilnoza KARIM") == {families.own.pk}
    assert shown(caseworker="nobody-like-this") == set()
    assert shown(makhalla=families.far.makhalla_id) == {families.far.pk}


def test_search_does_not_repeat_a_family_with_many_matching_members(client_for, personas, families):
    PersonFactory(family=families.own, full_name="Rahimov Bobur")
    PersonFactory(family=families.own, full_name="Rahimova Zarina")
    response = client_for(personas.director).get(LIST, {"q": "rahim"})
    assert response.context["table"].paginator.count == 1


class TestCaseActions:
    def active(self, samarkand, **fields):
        family = FamilyFactory(
            branch=samarkand, intake_date=datetime.date(2024, 3, 1), consent_date="2024-03-01"
        )
        for name, value in fields.items():
            setattr(family, name, value)
        family.save()
        return family

    def test_intake_makes_a_referred_family_active(self, samarkand, personas):
        family = self.active(samarkand, status=FamilyStatus.REFERRED)
        PersonFactory(family=family)
        consent_to_processing(family)
        family_services.family_intake(
            family=family, intake_date=datetime.date(2024, 4, 1), by=personas.caseworker
        )
        family.refresh_from_db()
        assert family.status == FamilyStatus.ACTIVE
        assert family.intake_date == datetime.date(2024, 4, 1)
        with pytest.raises(ValidationError, match="Only a referred family"):
            family_services.family_intake(
                family=family, intake_date=datetime.date(2024, 4, 1), by=personas.caseworker
            )

    def test_intake_needs_members(self, samarkand, personas):
        family = self.active(samarkand, status=FamilyStatus.REFERRED)
        with pytest.raises(ValidationError, match="members"):
            family_services.family_intake(
                family=family, intake_date=datetime.date(2024, 4, 1), by=personas.caseworker
            )

    def test_exit_records_date_and_reason(self, samarkand, personas):
        family = self.active(samarkand)
        family_services.family_exit(
            family=family,
            exit_date=datetime.date(2025, 6, 1),
            reason=ExitReason.MOVED_AWAY,
            by=personas.caseworker,
        )
        family.refresh_from_db()
        assert (family.status, family.exit_date, family.exit_reason) == (
            FamilyStatus.EXITED, datetime.date(2025, 6, 1), ExitReason.MOVED_AWAY,
        )  # fmt: skip
        # "Well-being restored" needs exit readiness (tests/wellbeing/test_exit_requests.py).

    @pytest.mark.parametrize(
        ("fields", "kwargs", "message"),
        [
            ({"consent_date": None}, {}, "No consent"),
            ({}, {"exit_date": datetime.date(2024, 2, 1)}, "before the intake date"),
            ({}, {"exit_date": None}, "Enter the date"),
            ({}, {"exit_date": datetime.date(2099, 1, 1)}, "future"),
            ({}, {"reason": ""}, "reason"),
            ({}, {"reason": ExitReason.OTHER}, "other reason"),
            ({"status": FamilyStatus.REFERRED}, {}, "Only an active family"),
        ],
    )
    def test_exit_is_refused_when_data_is_missing(
        self, samarkand, personas, fields, kwargs, message
    ):
        family = self.active(samarkand, **fields)
        arguments = {
            "exit_date": datetime.date(2025, 6, 1),
            "reason": ExitReason.MOVED_AWAY,
            **kwargs,
        }
        with pytest.raises(ValidationError, match=message):
            family_services.family_exit(family=family, by=personas.caseworker, **arguments)
        family.refresh_from_db()
        assert family.status == fields.get("status", FamilyStatus.ACTIVE)
        assert family.exit_date is None

    def test_exit_page_shows_the_refusal(self, client_for, samarkand, personas):
        family = self.active(samarkand, consent_date=None, caseworker=personas.caseworker)
        response = client_for(personas.caseworker).post(
            reverse("beneficiaries:family_exit", args=[family.pk]),
            {"exit_date": "2025-06-01", "reason": "moved_away"},
        )
        assert response.status_code == 200
        assert "No consent to the processing" in response.content.decode()
        family.refresh_from_db()
        assert family.status == FamilyStatus.ACTIVE

    def test_exit_page_records_the_exit(self, client_for, samarkand, personas):
        family = self.active(samarkand, caseworker=personas.caseworker)
        response = client_for(personas.caseworker).post(
            reverse("beneficiaries:family_exit", args=[family.pk]),
            {"exit_date": "2024-01-01", "reason": "moved_away"},
        )
        assert "cannot be before the intake date (01.03.2024)" in response.content.decode()
        response = client_for(personas.caseworker).post(
            reverse("beneficiaries:family_exit", args=[family.pk]),
            {"exit_date": "2025-06-01", "reason": "moved_away"},
        )
        assert response.status_code == 302
        family.refresh_from_db()
        assert family.status == FamilyStatus.EXITED

    def test_close_without_success_needs_a_reason_text(self, samarkand, personas):
        family = self.active(samarkand)
        with pytest.raises(ValidationError, match="why"):
            family_services.family_close(
                family=family, close_date=datetime.date(2025, 1, 1), notes=" ", by=None
            )
        family_services.family_close(
            family=family, close_date=datetime.date(2025, 1, 1), notes="Stopped coming", by=None
        )
        family.refresh_from_db()
        assert family.status == FamilyStatus.CLOSED
        assert family.exit_date == datetime.date(2025, 1, 1)


def test_children_returned_from_care_are_counted(samarkand, personas):
    family = FamilyFactory(branch=samarkand)
    returned = ChildFactory(family=family, birth_date=datetime.date(2012, 1, 1))
    still_in_care = ChildFactory(family=family, birth_date=datetime.date(2013, 1, 1))
    never_left = ChildFactory(family=family, birth_date=datetime.date(2014, 1, 1))
    record = family_services.child_placement_record
    record(
        person=never_left,
        arrangement=LivingArrangement.WITH_FAMILY,
        start_date=datetime.date(2014, 2, 1),
        recorded_by=personas.caseworker,
    )
    record(
        person=returned,
        arrangement=LivingArrangement.SHORT_TERM_CARE,
        start_date=datetime.date(2015, 2, 1),
        recorded_by=personas.caseworker,
    )
    record(
        person=returned,
        arrangement=LivingArrangement.WITH_FAMILY,
        start_date=datetime.date(2015, 9, 1),
        recorded_by=personas.caseworker,
    )
    record(
        person=still_in_care,
        arrangement=LivingArrangement.ALTERNATIVE_CARE,
        start_date=datetime.date(2015, 3, 1),
        recorded_by=personas.caseworker,
    )
    assert children_figures(Family.objects.all())["returned"] == 1
    with pytest.raises(ValidationError, match="before the child's birth"):
        record(
            person=returned,
            arrangement=LivingArrangement.WITH_FAMILY,
            start_date=datetime.date(2011, 1, 1),
            recorded_by=None,
        )
    with pytest.raises(ValidationError, match="already has a living arrangement"):
        record(
            person=returned,
            arrangement=LivingArrangement.ALTERNATIVE_CARE,
            start_date=datetime.date(2015, 9, 1),
            recorded_by=None,
        )


def test_placement_page_records_a_move(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    child = ChildFactory(family=family)
    PersonFactory(family=family)  # the mother is not offered
    url = reverse("beneficiaries:family_placement_create", args=[family.pk])
    client = client_for(personas.caseworker)
    assert list(client.get(url).context["form"].fields["person"].queryset) == [child]
    response = client.post(
        url, {"person": child.pk, "arrangement": "short_term_care", "start_date": "2024-05-01"}
    )
    assert response.status_code == 302
    placement = ChildPlacement.objects.get()
    assert (placement.person, placement.recorded_by) == (child, personas.caseworker)
    page = client.get(family.get_absolute_url()).content.decode()
    assert "Short-term care centre" in page


def test_plan_page_saves_plan_and_goals(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    url = reverse("beneficiaries:family_plan", args=[family.pk])
    data = {
        "agreed_on": "2024-03-10",
        "next_review": "2024-09-10",
        "review_notes": "First plan",
        **management("goals", 2),
        "goals-0-domain": "economic",
        "goals-0-description": "Mother finds a job",
        "goals-0-target_date": "2024-12-01",
        "goals-0-status": "in_progress",
        "goals-1-domain": "child_protection",
        "goals-1-description": "Son returns home",
        "goals-1-status": "planned",
    }
    response = client_for(personas.caseworker).post(url, data)
    assert response.status_code == 302
    assert family.plan.updated_by == personas.caseworker
    assert sorted(PlanGoal.objects.values_list("domain", flat=True)) == [
        "child_protection", "economic",
    ]  # fmt: skip


def test_detail_page_query_count_is_fixed(
    client_for, personas, samarkand, django_assert_num_queries
):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    PersonFactory(family=family)
    client = client_for(personas.caseworker)
    url = family.get_absolute_url()
    client.get(url)
    # session, user, roles and permissions (one query), the caseworker's branches, family,
    # plan, members, their placements, their consents (one query); timeline: placements,
    # assessments, income months, enrolments, jobs, businesses; well-being summary: score,
    # rule, pending exit request, stale-case flags (one aggregate); jobs with other employers
    # (enterprises' panel); the children's day-care places (daycare's panel); the read
    # log's entry; the family's referrals for their panel and for the timeline (one each)
    with django_assert_num_queries(24) as small:
        client.get(url)
    for _ in range(5):
        child = ChildFactory(family=family)
        ChildPlacement.objects.create(
            person=child, arrangement="short_term_care", start_date=datetime.date(2024, 1, 1)
        )
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Short-term care centre") >= 5
    assert Person.objects.filter(family=family).count() == 6


def test_caseworker_must_work_in_the_familys_branch(client_for, personas, samarkand):
    data = registration(samarkand, caseworker=personas.caseworker_tashkent.pk)
    response = client_for(personas.director).post(reverse("beneficiaries:family_create"), data)
    assert response.status_code == 200
    assert "does not work in the branch" in str(response.context["form"].errors["caseworker"])
    assert not Family.objects.exists()


def test_programme_dashboard_counts_children_returned(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand)
    child = ChildFactory(family=family, birth_date=datetime.date(2012, 1, 1))
    ChildFactory(family=family)
    for arrangement, day in [("alternative_care", 1), ("with_family", 20)]:
        ChildPlacement.objects.create(
            person=child, arrangement=arrangement, start_date=datetime.date(2015, 3, day)
        )
    panels = client_for(personas.director).get("/").context["panels"]
    children = next(panel for panel in panels if "children" in panel)["children"]
    assert children == {"served": 2, "returned": 1}
