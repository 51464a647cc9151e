"""Referrals to services: sending (internal to a specialist of the centre, external with the
member's consent to sharing or a programme manager's recorded override), the steps in order,
withdrawal stopping further sharing, who sees and answers what (404/403), the family page,
timeline and worklist."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role, role_permissions
from beneficiaries import services
from beneficiaries.choices import (
    ConsentPurpose,
    ConsentStatus,
    FamilyStatus,
    ReferralService,
    ReferralStatus,
)
from beneficiaries.models import Referral
from beneficiaries.referrals import referral_events, referral_send, referral_step
from beneficiaries.worklist import worklist
from tests.factories import ChildFactory, FamilyFactory, PersonFactory, UserFactory

D = datetime.date
TODAY = timezone.localdate()
CLINIC = "City polyclinic No. 3"


@pytest.fixture
def world(personas, samarkand, tashkent):
    family = FamilyFactory(
        branch=samarkand,
        caseworker=personas.caseworker,
        status=FamilyStatus.ACTIVE,
        intake_date=D(2025, 1, 10),
    )
    mother = PersonFactory(family=family, full_name="Karimova Dilnoza", birth_date=D(1990, 5, 17))
    child = ChildFactory(family=family, full_name="Karimov Bobur", birth_date=D(2015, 9, 1))
    far = FamilyFactory(branch=tashkent, caseworker=personas.caseworker_tashkent)
    far_mother = PersonFactory(family=far, full_name="Nazarova Lola", birth_date=D(1988, 2, 2))
    psychologist = UserFactory(username="p_psy", role=Role.SPECIALIST, branches=[samarkand])
    lawyer_tas = UserFactory(username="p_law_tas", role=Role.SPECIALIST, branches=[tashkent])
    return SimpleNamespace(
        family=family,
        mother=mother,
        child=child,
        far=far,
        far_mother=far_mother,
        psychologist=psychologist,
        lawyer_tas=lawyer_tas,
    )


def internal(world, personas, **fields):
    values = {
        "family": world.family,
        "person": world.mother,
        "service": ReferralService.PSYCHOLOGIST,
        "assigned_to": world.psychologist,
        "reason": "Stress after the loss of work.",
        "made_by": personas.caseworker,
        "sent_on": TODAY - datetime.timedelta(days=20),
        **fields,
    }
    return referral_send(**values)


def external(world, personas, **fields):
    values = {
        "family": world.family,
        "person": world.mother,
        "service": ReferralService.CLINIC,
        "partner": CLINIC,
        "reason": "Check-up.",
        "made_by": personas.caseworker,
        "sent_on": TODAY - datetime.timedelta(days=5),
        **fields,
    }
    return referral_send(**values)


def consent(person, purpose, status=ConsentStatus.GIVEN, partner="", on=None, given_by=None):
    return services.consent_record(
        person=person,
        purpose=purpose,
        partner=partner,
        status=status,
        decided_on=on or TODAY - datetime.timedelta(days=30),
        paper_reference="SAM-2025-0001/1" if status == ConsentStatus.GIVEN else "",
        given_by=given_by,
        recorded_by=None,
    )


def consents_to_sharing(person, partner=CLINIC, given_by=None):
    consent(person, ConsentPurpose.PROCESSING, given_by=given_by)
    consent(person, ConsentPurpose.SHARING, partner=partner, given_by=given_by)


# Sending ----------------------------------------------------------------------------------


def test_internal_referral_goes_to_a_specialist_of_the_familys_centre(world, personas):
    referral = internal(world, personas)
    assert referral.status == ReferralStatus.SENT
    assert referral.answer_due_on == referral.sent_on + datetime.timedelta(days=10)
    with pytest.raises(ValidationError) as error:
        internal(world, personas, assigned_to=world.lawyer_tas)
    assert "not a specialist of the family's centre" in str(error.value.message_dict)
    with pytest.raises(ValidationError) as error:
        internal(world, personas, assigned_to=None)
    assert "assigned_to" in error.value.message_dict
    assert Referral.objects.count() == 1


def test_external_referral_without_sharing_consent_is_refused(world, personas):
    with pytest.raises(ValidationError) as error:
        external(world, personas)
    assert "has not consented to sharing" in str(error.value.message_dict)
    # Consent to sharing with another partner does not count for this one.
    consent(world.mother, ConsentPurpose.PROCESSING)
    consent(world.mother, ConsentPurpose.SHARING, partner="Makhalla committee")
    with pytest.raises(ValidationError):
        external(world, personas)
    assert not Referral.objects.exists()


def test_external_referral_with_consent_is_sent(world, personas):
    consents_to_sharing(world.mother, partner="city polyclinic  no. 3")  # typed differently
    referral = external(world, personas)
    assert referral.partner == CLINIC
    assert not referral.consent_overridden


def test_a_childs_referral_needs_the_guardians_consent_recorded_for_the_child(world, personas):
    with pytest.raises(ValidationError):
        external(world, personas, person=world.child)
    consents_to_sharing(world.child, given_by=world.mother)
    assert external(world, personas, person=world.child).person == world.child


def test_only_a_programme_manager_overrides_missing_consent_and_must_say_why(world, personas):
    with pytest.raises(ValidationError) as error:
        external(world, personas, consent_override_reason="Urgent medical need.")
    assert "Only a programme manager" in str(error.value.message_dict)
    with pytest.raises(ValidationError):
        external(world, personas, made_by=personas.director)  # no reason
    referral = external(
        world, personas, made_by=personas.director, consent_override_reason="Urgent medical need."
    )
    assert referral.consent_overridden
    assert referral.consent_overridden_by == personas.director
    assert referral.consent_override_reason == "Urgent medical need."


def test_no_override_passes_a_withdrawal(world, personas):
    consents_to_sharing(world.mother)
    consent(world.mother, ConsentPurpose.SHARING, ConsentStatus.WITHDRAWN, partner=CLINIC)
    with pytest.raises(ValidationError) as error:
        external(world, personas, made_by=personas.director, consent_override_reason="Please.")
    assert "withdrawn consent" in str(error.value.message_dict)
    assert not Referral.objects.exists()


def test_a_family_without_processing_consent_can_be_referred_but_not_taken_in(world, personas):
    world.family.status = FamilyStatus.REFERRED
    world.family.save()
    assert internal(world, personas).family == world.family
    with pytest.raises(ValidationError) as error:
        services.family_intake(family=world.family, intake_date=TODAY, by=personas.caseworker)
    assert error.value.error_list[0].code == "no_processing_consent"


def test_closed_case_cannot_be_referred(world, personas):
    world.family.status = FamilyStatus.CLOSED
    world.family.exit_date = TODAY
    world.family.save()
    with pytest.raises(ValidationError):
        internal(world, personas)


# Steps ------------------------------------------------------------------------------------


def test_steps_go_in_order_and_are_dated(world, personas):
    referral = internal(world, personas)
    psy = world.psychologist
    with pytest.raises(ValidationError) as error:
        referral_step(referral=referral, step=ReferralStatus.SERVED, by=psy)
    assert error.value.error_list[0].code == "bad_transition"
    with pytest.raises(ValidationError) as error:
        referral_step(
            referral=referral,
            step=ReferralStatus.ACCEPTED,
            by=psy,
            on=referral.sent_on - datetime.timedelta(days=1),
        )
    assert "before the referral's previous step" in str(error.value.message_dict)
    day = referral.sent_on + datetime.timedelta(days=1)
    referral = referral_step(referral=referral, step=ReferralStatus.ACCEPTED, by=psy, on=day)
    assert (referral.status, referral.accepted_on) == (ReferralStatus.ACCEPTED, day)
    with pytest.raises(ValidationError) as error:
        referral_step(referral=referral, step=ReferralStatus.DECLINED, by=psy, decline_reason="x")
    assert error.value.error_list[0].code == "bad_transition"
    with pytest.raises(ValidationError) as error:
        referral_step(referral=referral, step=ReferralStatus.SERVED, by=psy, service_given="x")
    assert "outcome" in error.value.message_dict
    referral = referral_step(
        referral=referral,
        step=ReferralStatus.SERVED,
        by=psy,
        service_given="Four sessions.",
        outcome="Sleeps better.",
    )
    assert referral.served_on == TODAY
    referral = referral_step(referral=referral, step=ReferralStatus.CLOSED, by=personas.caseworker)
    assert (referral.status, referral.closed_on, referral.outcome) == (
        ReferralStatus.CLOSED,
        TODAY,
        "Sleeps better.",
    )
    with pytest.raises(ValidationError):
        referral_step(referral=referral, step=ReferralStatus.CLOSED, by=personas.caseworker)
    assert referral.history.count() == 4


def test_decline_needs_a_reason_and_ends_the_referral(world, personas):
    referral = internal(world, personas)
    with pytest.raises(ValidationError) as error:
        referral_step(referral=referral, step=ReferralStatus.DECLINED, by=world.psychologist)
    assert "decline_reason" in error.value.message_dict
    referral = referral_step(
        referral=referral,
        step=ReferralStatus.DECLINED,
        by=world.psychologist,
        decline_reason="Needs a psychiatrist.",
    )
    assert referral.declined_on == TODAY
    with pytest.raises(ValidationError):
        referral_step(referral=referral, step=ReferralStatus.CLOSED, by=personas.caseworker)


def test_withdrawn_consent_stops_further_sharing(world, personas):
    consents_to_sharing(world.mother)
    referral = external(world, personas)
    consent(
        world.mother,
        ConsentPurpose.SHARING,
        ConsentStatus.WITHDRAWN,
        partner=CLINIC,
        on=TODAY - datetime.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        referral_step(referral=referral, step=ReferralStatus.ACCEPTED, by=personas.caseworker)
    assert "withdrawn consent" in str(error.value.message_dict)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    # Closing shares nothing: the caseworker may end it.
    referral = referral_step(referral=referral, step=ReferralStatus.CLOSED, by=personas.caseworker)
    assert referral.status == ReferralStatus.CLOSED


def test_withdrawing_processing_consent_also_stops_sharing(world, personas):
    consents_to_sharing(world.mother)
    referral = external(world, personas)
    consent(world.mother, ConsentPurpose.PROCESSING, ConsentStatus.WITHDRAWN, on=TODAY)
    with pytest.raises(ValidationError):
        referral_step(referral=referral, step=ReferralStatus.ACCEPTED, by=personas.caseworker)


# Pages and scope --------------------------------------------------------------------------


def create_url(family):
    return reverse("beneficiaries:family_referral_create", args=[family.pk])


def step_url(referral, slug):
    return reverse(f"beneficiaries:referral_{slug}", args=[referral.pk])


def test_caseworker_refers_through_the_form(client_for, world, personas):
    client = client_for(personas.caseworker)
    response = client.get(create_url(world.family))
    assert response.status_code == 200
    assert "consent_override_reason" not in response.context["form"].fields
    response = client.post(
        create_url(world.family),
        {
            "person": world.mother.pk,
            "service": ReferralService.PSYCHOLOGIST,
            "assigned_to": world.psychologist.pk,
            "reason": "Asks for support.",
            "urgency": "urgent",
            "sent_on": TODAY.isoformat(),
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == referral.get_absolute_url()
    assert referral.made_by == personas.caseworker
    assert referral.answer_due_on == TODAY + datetime.timedelta(days=2)


def test_refused_external_referral_shows_the_reason_on_the_form(client_for, world, personas):
    response = client_for(personas.caseworker).post(
        create_url(world.family),
        {
            "person": world.mother.pk,
            "service": ReferralService.CLINIC,
            "partner": CLINIC,
            "reason": "Check-up.",
            "urgency": "routine",
            "sent_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 200
    assert "has not consented to sharing" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_override_is_shown_on_the_referral(client_for, world, personas):
    referral = external(
        world, personas, made_by=personas.director, consent_override_reason="Urgent medical need."
    )
    page = client_for(personas.caseworker).get(referral.get_absolute_url()).content.decode()
    assert "Shared without the member's consent" in page
    assert "Urgent medical need." in page


@pytest.mark.parametrize(
    ("persona", "status"),
    [("caseworker_tashkent", 404), ("trainer", 403), ("auditor", 403), ("outsider", 403)],
)
def test_refer_form_scope(client_for, world, personas, persona, status):
    assert client_for(getattr(personas, persona)).get(create_url(world.family)).status_code == (
        status
    )


def test_specialist_sees_their_queue_and_answers(client_for, world, personas):
    mine = internal(world, personas)
    far = internal(
        world,
        personas,
        family=world.far,
        person=world.far_mother,
        assigned_to=world.lawyer_tas,
        made_by=personas.caseworker_tashkent,
    )
    client = client_for(world.psychologist)
    queue = client.get(reverse("beneficiaries:referral_queue"))
    assert queue.status_code == 200
    assert list(queue.context["referrals"]) == [mine]
    assert client.get(mine.get_absolute_url()).status_code == 200
    assert client.get(far.get_absolute_url()).status_code == 404
    assert client.get(step_url(far, "accept")).status_code == 404
    # No other family data: the family's page is refused.
    assert client.get(world.family.get_absolute_url()).status_code == 403
    assert client.get(reverse("beneficiaries:family_list")).status_code == 403
    # The specialist answers, the caseworker closes.
    assert client.get(step_url(mine, "close")).status_code == 403
    response = client.post(step_url(mine, "accept"), {"on": TODAY.isoformat()})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.status == ReferralStatus.ACCEPTED


def test_a_specialist_moved_to_another_centre_no_longer_sees_the_referral(
    client_for, world, personas, tashkent
):
    referral = internal(world, personas)
    profile = world.psychologist.staff_profile
    profile.branches.set([tashkent])
    assert client_for(world.psychologist).get(referral.get_absolute_url()).status_code == 404


@pytest.mark.parametrize(
    ("persona", "detail", "accept"),
    [
        ("caseworker", 200, 403),  # an internal referral is answered by its specialist
        ("director", 200, 403),
        ("auditor", 200, 403),
        ("caseworker_tashkent", 404, 404),
        ("trainer", 403, 403),
        ("outsider", 403, 403),
    ],
)
def test_referral_pages_scope(client_for, world, personas, persona, detail, accept):
    referral = internal(world, personas)
    client = client_for(getattr(personas, persona))
    assert client.get(referral.get_absolute_url()).status_code == detail
    assert client.get(step_url(referral, "accept")).status_code == accept


def test_queue_is_only_for_specialists(client_for, personas):
    for persona in ("caseworker", "auditor", "trainer"):
        response = client_for(getattr(personas, persona)).get(
            reverse("beneficiaries:referral_queue")
        )
        assert response.status_code == 403


def test_caseworker_records_an_outside_partners_answers(client_for, world, personas):
    consents_to_sharing(world.mother)
    referral = external(world, personas)
    client = client_for(personas.caseworker)
    assert client.post(step_url(referral, "accept"), {"on": TODAY.isoformat()}).status_code == 302
    response = client.post(step_url(referral, "serve"), {"on": TODAY.isoformat()})
    assert response.status_code == 200  # service and outcome are required
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert client_for(personas.auditor).get(step_url(referral, "serve")).status_code == 403


def test_queue_query_count_is_fixed(client_for, world, personas, django_assert_num_queries):
    internal(world, personas)
    client = client_for(world.psychologist)
    url = reverse("beneficiaries:referral_queue")
    client.get(url)
    # session, user, roles and permissions, the specialist's centres, the page's count, rows
    with django_assert_num_queries(6) as few:
        client.get(url)
    for _ in range(4):
        internal(world, personas, person=PersonFactory(family=world.family))
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(url)


# Family page, timeline, worklist ----------------------------------------------------------


def test_family_page_and_timeline_show_referrals(client_for, world, personas):
    referral = internal(world, personas)
    referral_step(referral=referral, step=ReferralStatus.ACCEPTED, by=world.psychologist)
    page = client_for(personas.caseworker).get(world.family.get_absolute_url()).content.decode()
    assert 'id="referrals"' in page
    assert referral.get_absolute_url() in page
    titles = [entry.title for entry in referral_events(world.family, personas.caseworker)]
    assert titles == [
        "Referred — Karimova Dilnoza: Psychologist",
        "Accepted — Karimova Dilnoza: Psychologist",
    ]
    assert referral_events(world.family, personas.caseworker_tashkent) == []


def test_worklist_shows_overdue_answers_and_new_ones(world, personas):
    from beneficiaries.models import Family

    families = Family.objects.filter(pk=world.family.pk)
    late = internal(world, personas)  # sent 20 days ago, answer due after 10
    soon = internal(world, personas, sent_on=TODAY)  # due in 10 days: beyond a 7-day horizon
    answered = internal(world, personas, person=world.child)
    referral_step(referral=answered, step=ReferralStatus.ACCEPTED, by=world.psychologist)
    items = [item for item in worklist(families, TODAY, days=7) if "Referral" in str(item.kind)]
    assert [item.url for item in items] == [late.get_absolute_url(), answered.get_absolute_url()]
    assert items[0].due_on == late.answer_due_on
    assert items[1].due_on == TODAY
    assert soon.get_absolute_url() not in [item.url for item in items]


def test_specialist_role_holds_only_referral_permissions(db):
    assert role_permissions()[Role.SPECIALIST] == {
        "beneficiaries.view_referral",
        "beneficiaries.answer_referral",
    }


def test_family_page_reads_referrals_in_a_fixed_number_of_queries(
    client_for, world, personas, django_assert_num_queries
):
    internal(world, personas)
    client = client_for(personas.caseworker)
    url = world.family.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(24) as few:  # as in test_family_case
        client.get(url)
    for _ in range(5):
        referral = internal(world, personas, person=PersonFactory(family=world.family))
        referral_step(referral=referral, step=ReferralStatus.ACCEPTED, by=world.psychologist)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Psychologist") >= 6


def test_queue_filters_by_status(client_for, world, personas):
    waiting = internal(world, personas)
    accepted = internal(world, personas, person=world.child)
    referral_step(referral=accepted, step=ReferralStatus.ACCEPTED, by=world.psychologist)
    client = client_for(world.psychologist)
    url = reverse("beneficiaries:referral_queue")
    assert list(client.get(url, {"status": "sent"}).context["referrals"]) == [waiting]
    assert list(client.get(url, {"status": "nonsense"}).context["referrals"]) == [
        accepted,
        waiting,
    ]
