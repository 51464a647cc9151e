"""Consent per member and purpose: recorded, withdrawn, expired; the intake refuses a family
without consent to processing; the family page shows it; who may record and read it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from beneficiaries import services
from beneficiaries.choices import ConsentPurpose, ConsentStatus, FamilyStatus
from beneficiaries.models import ConsentRecord
from beneficiaries.selectors import (
    consent_state,
    current_consents,
    has_processing_consent,
    may_share_with,
    members_without_processing_consent,
)
from tests.factories import (
    ChildFactory,
    ConsentRecordFactory,
    FamilyFactory,
    PersonFactory,
    consent_to_processing,
)

D = datetime.date
TODAY = timezone.localdate()


@pytest.fixture
def referred(samarkand, personas):
    family = FamilyFactory(
        branch=samarkand,
        caseworker=personas.caseworker,
        status=FamilyStatus.REFERRED,
        intake_date=D(2025, 1, 10),
    )
    mother = PersonFactory(family=family, full_name="Karimova Dilnoza", birth_date=D(1990, 5, 17))
    child = ChildFactory(family=family, full_name="Karimov Bobur", birth_date=D(2015, 9, 1))
    return family, mother, child


def give(person, purpose=ConsentPurpose.PROCESSING, by=None, **fields):
    values = {
        "person": person,
        "purpose": purpose,
        "status": ConsentStatus.GIVEN,
        "decided_on": D(2025, 1, 10),
        "paper_reference": "SAM-2025-0001/1",
        "recorded_by": by,
        **fields,
    }
    return services.consent_record(**values)


def intake_url(family):
    return reverse("beneficiaries:family_intake", args=[family.pk])


def consent_url(family):
    return reverse("beneficiaries:family_consent_create", args=[family.pk])


class TestIntakeNeedsConsent:
    def test_the_service_refuses_and_names_the_members_without_consent(self, referred, personas):
        family, mother, child = referred
        give(mother, by=personas.caseworker)  # the child has none yet
        with pytest.raises(ValidationError, match="Karimov Bobur") as error:
            services.family_intake(family=family, intake_date=D(2025, 2, 1), by=personas.caseworker)
        assert "Karimova Dilnoza" not in str(error.value)
        family.refresh_from_db()
        assert family.status == FamilyStatus.REFERRED
        give(child, given_by=mother, by=personas.caseworker)
        services.family_intake(family=family, intake_date=D(2025, 2, 1), by=personas.caseworker)
        family.refresh_from_db()
        assert family.status == FamilyStatus.ACTIVE

    def test_the_page_refuses_with_the_message_and_changes_nothing(
        self, referred, client_for, personas
    ):
        family, mother, _child = referred
        give(mother, by=personas.caseworker)
        give(mother, status=ConsentStatus.WITHDRAWN, decided_on=D(2025, 1, 20), paper_reference="")
        response = client_for(personas.caseworker).post(
            intake_url(family), {"intake_date": "2025-02-01"}
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Consent to the processing of personal data does not hold for" in page
        assert "Karimova Dilnoza, Karimov Bobur" in page
        family.refresh_from_db()
        assert family.status == FamilyStatus.REFERRED

    def test_a_referred_family_is_registered_without_consent(self, referred):
        family, _mother, _child = referred
        assert family.pk and not has_processing_consent(family)

    def test_a_family_without_members_has_no_consent(self, samarkand):
        assert not has_processing_consent(FamilyFactory(branch=samarkand))

    def test_the_factory_helper_gives_every_member_consent(self, referred):
        family, _mother, _child = referred
        consent_to_processing(family)
        assert has_processing_consent(family)


class TestCurrentState:
    def test_withdrawn_after_given_is_withdrawn_and_shown_on_the_family(
        self, referred, client_for, personas
    ):
        family, mother, _child = referred
        client = client_for(personas.caseworker)
        data = {
            "person": mother.pk,
            "purpose": ConsentPurpose.PHOTOS,
            "status": ConsentStatus.GIVEN,
            "decided_on": "2025-01-10",
            "paper_reference": "SAM-2025-0001/2",
        }
        assert client.post(consent_url(family), data).status_code == 302
        states = current_consents([mother])
        assert consent_state(states, mother.pk, ConsentPurpose.PHOTOS).state == "given"
        data.update(status=ConsentStatus.WITHDRAWN, decided_on="2025-03-01", paper_reference="")
        response = client.post(consent_url(family), data)
        assert response.status_code == 302
        record = ConsentRecord.objects.latest("id")
        assert (record.recorded_by, record.status) == (personas.caseworker, "withdrawn")
        assert record.history.count() == 1  # django-simple-history keeps its trail
        states = current_consents([mother])
        assert consent_state(states, mother.pk, ConsentPurpose.PHOTOS).state == "withdrawn"
        page = client.get(family.get_absolute_url()).content.decode()
        cell = page.split(f'data-person="{mother.pk}"')[1].split("</tr>")[0]
        assert 'data-purpose="photos" data-state="withdrawn"' in cell
        assert "Withdrawn" in cell and "01.03.2025" in cell

    def test_an_older_paper_entered_later_does_not_override_a_newer_decision(self, referred):
        _family, mother, _child = referred
        give(mother, status=ConsentStatus.WITHDRAWN, decided_on=D(2025, 3, 1))
        give(mother, decided_on=D(2025, 1, 10))  # entered after, dated before
        states = current_consents([mother])
        assert consent_state(states, mother.pk, ConsentPurpose.PROCESSING).state == "withdrawn"

    def test_expiry_is_honoured(self, referred):
        family, mother, child = referred
        give(mother, expires_on=D(2025, 6, 30))
        give(child, given_by=mother)
        assert has_processing_consent(family, on=D(2025, 6, 30))  # valid on its last day
        assert not has_processing_consent(family, on=D(2025, 7, 1))
        assert members_without_processing_consent(family, on=D(2025, 7, 1)) == [mother]
        state = consent_state(current_consents([mother], on=D(2025, 7, 1)), mother.pk, "processing")
        assert state.state == "expired"

    def test_an_expired_consent_stops_the_intake(self, referred, personas):
        family, mother, child = referred
        give(mother, expires_on=TODAY - datetime.timedelta(days=1), decided_on=D(2025, 1, 10))
        give(child, given_by=mother)
        with pytest.raises(ValidationError, match="Karimova Dilnoza"):
            services.family_intake(family=family, intake_date=TODAY, by=personas.caseworker)

    def test_sharing_needs_that_partner_and_processing_and_stops_on_withdrawal(self, referred):
        _family, mother, _child = referred
        assert not may_share_with(mother, "Polyclinic No. 3")
        give(mother, purpose=ConsentPurpose.SHARING, partner="Polyclinic  No. 3")
        assert not may_share_with(mother, "Polyclinic No. 3")  # no consent to processing yet
        give(mother)
        assert may_share_with(mother, "polyclinic no. 3")  # spaces and case do not count
        assert not may_share_with(mother, "Makhalla committee")
        assert not may_share_with(mother, "")
        give(
            mother,
            purpose=ConsentPurpose.SHARING,
            partner="Polyclinic No. 3",
            status=ConsentStatus.WITHDRAWN,
            decided_on=D(2025, 2, 1),
        )
        assert not may_share_with(mother, "Polyclinic No. 3")

    def test_withdrawing_processing_stops_sharing(self, referred):
        _family, mother, _child = referred
        give(mother)
        give(mother, purpose=ConsentPurpose.SHARING, partner="Legal aid centre")
        assert may_share_with(mother, "Legal aid centre")
        give(mother, status=ConsentStatus.WITHDRAWN, decided_on=D(2025, 2, 1))
        assert not may_share_with(mother, "Legal aid centre")


class TestRules:
    @pytest.mark.parametrize(
        ("fields", "field"),
        [
            ({"purpose": ConsentPurpose.SHARING}, "partner"),
            ({"partner": "Clinic"}, "partner"),
            ({"decided_on": TODAY + datetime.timedelta(days=1)}, "decided_on"),
            ({"expires_on": D(2025, 1, 10)}, "expires_on"),
            ({"status": ConsentStatus.REFUSED, "expires_on": D(2026, 1, 1)}, "expires_on"),
            ({"paper_reference": "  "}, "paper_reference"),
        ],
    )
    def test_bad_input_is_refused_on_its_field(self, referred, fields, field):
        _family, mother, _child = referred
        with pytest.raises(ValidationError) as error:
            give(mother, **fields)
        assert field in error.value.message_dict
        assert not ConsentRecord.objects.exists()

    def test_a_child_needs_an_adult_guardian_of_the_family(self, referred, samarkand):
        family, mother, child = referred
        with pytest.raises(ValidationError, match="guardian who decided"):
            give(child)
        sibling = ChildFactory(family=family, birth_date=D(2012, 1, 1))
        stranger = PersonFactory(family=FamilyFactory(branch=samarkand))
        for guardian in (sibling, stranger, child):
            with pytest.raises(ValidationError, match="another adult member"):
                give(child, given_by=guardian)
        record = give(child, given_by=mother)
        assert record.given_by == mother

    def test_the_form_shows_the_services_refusal_on_the_field(self, referred, client_for, personas):
        family, _mother, child = referred
        response = client_for(personas.caseworker).post(
            consent_url(family),
            {
                "person": child.pk,
                "purpose": "processing",
                "status": "given",
                "decided_on": "2025-01-10",
                "paper_reference": "X/1",
            },
        )
        assert response.status_code == 200
        assert "given_by" in response.context["form"].errors
        assert not ConsentRecord.objects.exists()

    def test_a_member_of_another_family_cannot_be_chosen(
        self, referred, client_for, personas, samarkand
    ):
        family, _mother, _child = referred
        other = PersonFactory(family=FamilyFactory(branch=samarkand))
        response = client_for(personas.caseworker).post(
            consent_url(family),
            {
                "person": other.pk,
                "purpose": "processing",
                "status": "given",
                "decided_on": "2025-01-10",
                "paper_reference": "X/1",
            },
        )
        assert "person" in response.context["form"].errors
        assert not ConsentRecord.objects.exists()


class TestAccess:
    def post(self, client, family, person):
        return client.post(
            consent_url(family),
            {
                "person": person.pk,
                "purpose": "contact",
                "status": "refused",
                "decided_on": "2025-01-10",
            },
        )

    @pytest.mark.parametrize("who", ["caseworker", "director"])
    def test_caseworkers_of_the_branch_and_managers_record(
        self, referred, client_for, personas, who
    ):
        family, mother, _child = referred
        family.caseworker = None  # any caseworker of the branch, not only the family's own
        family.save()
        client = client_for(getattr(personas, who))
        assert client.get(consent_url(family)).status_code == 200
        assert self.post(client, family, mother).status_code == 302
        assert ConsentRecord.objects.get().recorded_by == getattr(personas, who)

    def test_a_family_that_has_left_still_records_a_withdrawal(
        self, referred, client_for, personas
    ):
        family, mother, _child = referred
        family.status, family.exit_date, family.exit_reason = "exited", D(2025, 6, 1), "moved_away"
        family.save()
        assert self.post(client_for(personas.caseworker), family, mother).status_code == 302

    def test_another_branchs_caseworker_gets_404(self, referred, client_for, personas):
        family, mother, _child = referred
        client = client_for(personas.caseworker_tashkent)
        assert client.get(consent_url(family)).status_code == 404
        assert self.post(client, family, mother).status_code == 404
        assert not ConsentRecord.objects.exists()

    @pytest.mark.parametrize("who", ["auditor", "trainer", "manager", "outsider"])
    def test_other_roles_get_403(self, referred, client_for, personas, who):
        family, mother, _child = referred
        client = client_for(getattr(personas, who))
        assert client.get(consent_url(family)).status_code == 403
        assert self.post(client, family, mother).status_code == 403
        assert not ConsentRecord.objects.exists()

    def test_the_auditor_reads_the_consents_without_links_to_record(
        self, referred, client_for, personas
    ):
        family, mother, _child = referred
        give(mother)
        page = client_for(personas.auditor).get(family.get_absolute_url()).content.decode()
        assert 'id="consents"' in page
        assert 'data-purpose="processing" data-state="given"' in page
        assert consent_url(family) not in page

    def test_the_caseworker_sees_the_links(self, referred, client_for, personas):
        family, mother, _child = referred
        give(mother)
        page = client_for(personas.caseworker).get(family.get_absolute_url()).content.decode()
        assert f"{consent_url(family)}?person={mother.pk}&amp;purpose=processing" in page

    def test_the_queryset_scope(self, referred, personas):
        _family, mother, _child = referred
        give(mother)
        assert ConsentRecord.objects.for_user(personas.caseworker).count() == 1
        assert ConsentRecord.objects.for_user(personas.auditor).count() == 1
        assert ConsentRecord.objects.for_user(personas.caseworker_tashkent).count() == 0
        assert ConsentRecord.objects.for_user(personas.trainer).count() == 0


def test_the_family_page_reads_consents_in_a_fixed_number_of_queries(
    client_for, personas, samarkand, django_assert_num_queries
):
    family = FamilyFactory(branch=samarkand, caseworker=personas.caseworker)
    ConsentRecordFactory(person=PersonFactory(family=family))
    client = client_for(personas.caseworker)
    url = family.get_absolute_url()
    client.get(url)
    with django_assert_num_queries(24) as few:  # as in test_family_case, consents in one
        client.get(url)
    mother = family.members.get()
    for _ in range(5):
        child = ChildFactory(family=family)
        ConsentRecordFactory(person=child, given_by=mother)
        ConsentRecordFactory(person=child, purpose="sharing", partner="Clinic", given_by=mother)
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count('data-purpose="processing" data-state="given"') == 6


def test_demo_families_in_service_have_consent(db):
    from django.core.management import call_command

    from beneficiaries.models import Family

    call_command("seed_demo", families=12, seed=3, verbosity=0)
    served = Family.objects.exclude(status=FamilyStatus.REFERRED)
    assert served.exists()
    assert all(has_processing_consent(family) for family in served)
