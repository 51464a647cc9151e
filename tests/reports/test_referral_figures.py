"""Referrals made and completed, in all and by service: each number of the programme report
is the count of its drill-down list (and of its CSV), within the period and the branch."""

import datetime
import re

from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.choices import ConsentPurpose, FamilyStatus, ReferralService, ReferralStatus
from beneficiaries.models import Referral
from beneficiaries.referrals import referral_send, referral_step
from reports.selectors import Period, programme_figures, referrals_by_service
from tests.factories import ConsentRecordFactory, FamilyFactory, PersonFactory, UserFactory
from tests.reports.test_parity import drill_down

TODAY = timezone.localdate()
START = TODAY - datetime.timedelta(days=60)


def params(**extra):
    return {"start": START.isoformat(), "end": TODAY.isoformat(), **extra}


def build(samarkand, tashkent, personas):
    specialist = UserFactory(username="p_psy_r", role=Role.SPECIALIST, branches=[samarkand])
    sam = FamilyFactory(
        branch=samarkand, caseworker=personas.caseworker, status=FamilyStatus.ACTIVE
    )
    tas = FamilyFactory(
        branch=tashkent, caseworker=personas.caseworker_tashkent, status=FamilyStatus.ACTIVE
    )
    mother = PersonFactory(family=sam, birth_date=datetime.date(1990, 1, 1))
    other = PersonFactory(family=tas, birth_date=datetime.date(1985, 1, 1))
    for person in (mother, other):
        ConsentRecordFactory(person=person, decided_on=START - datetime.timedelta(days=400))
        ConsentRecordFactory(
            person=person,
            purpose=ConsentPurpose.SHARING,
            partner="Clinic 3",
            decided_on=START - datetime.timedelta(days=400),
        )

    def psychologist(sent_on, served_on=None):
        referral = referral_send(
            family=sam,
            person=mother,
            service=ReferralService.PSYCHOLOGIST,
            assigned_to=specialist,
            reason="Support.",
            made_by=personas.caseworker,
            sent_on=sent_on,
        )
        if served_on:
            referral_step(
                referral=referral, step=ReferralStatus.ACCEPTED, by=specialist, on=sent_on
            )
            referral_step(
                referral=referral,
                step=ReferralStatus.SERVED,
                by=specialist,
                on=served_on,
                service_given="Sessions.",
                outcome="Better.",
            )
        return referral

    def clinic(family, person, sent_on, by):
        return referral_send(
            family=family,
            person=person,
            service=ReferralService.CLINIC,
            partner="Clinic 3",
            reason="Check-up.",
            made_by=by,
            sent_on=sent_on,
        )

    before = START - datetime.timedelta(days=10)
    psychologist(before, served_on=START + datetime.timedelta(days=1))  # completed, not made
    psychologist(START, served_on=START + datetime.timedelta(days=3))  # made and completed
    psychologist(TODAY)  # made
    psychologist(before)  # neither
    declined = psychologist(START + datetime.timedelta(days=5))
    referral_step(
        referral=declined, step=ReferralStatus.DECLINED, by=specialist, decline_reason="No."
    )  # made, never completed
    clinic(sam, mother, START + datetime.timedelta(days=2), personas.caseworker)
    clinic(tas, other, START + datetime.timedelta(days=2), personas.caseworker_tashkent)
    return samarkand


def test_referral_figures_are_their_drill_downs(db, personas, client_for, samarkand, tashkent):
    build(samarkand, tashkent, personas)
    figures = programme_figures(Period(START, TODAY))
    assert (figures["referrals_made"], figures["referrals_completed"]) == (5, 2)
    client = client_for(personas.director)
    for slug, key in (
        ("referrals-made", "referrals_made"),
        ("referrals-completed", "referrals_completed"),
    ):
        count, exported = drill_down(client, slug, params())
        assert count == exported == figures[key]
    # By service: each cell is its list's count; the services add up to the total.
    rows = referrals_by_service(Period(START, TODAY))
    assert [(row["service"], row["made"], row["completed"]) for row in rows] == [
        ("psychologist", 3, 2),
        ("clinic", 2, 0),
    ]
    for row in rows:
        for slug, key in (("referrals-made", "made"), ("referrals-completed", "completed")):
            count, exported = drill_down(client, slug, params(service=row["service"]))
            assert count == exported == row[key], (row["service"], slug)
    assert sum(row["made"] for row in rows) == figures["referrals_made"]
    # The dashboard shows the same numbers and links each cell to its list.
    html = client.get(reverse("reports:programme"), params()).content.decode()
    table = html[html.index('id="referrals-by-service"') :]
    assert re.search(r"service=psychologist\">3</a>", table)
    assert re.search(r"referrals-completed/\?[^\"]*service=psychologist\">2</a>", table)


def test_a_branch_counts_its_own_families_referrals(db, personas, samarkand, tashkent):
    build(samarkand, tashkent, personas)
    figures = programme_figures(Period(START, TODAY, tashkent))
    assert (figures["referrals_made"], figures["referrals_completed"]) == (1, 0)
    assert Referral.objects.count() == 7
