from django.urls import reverse

from beneficiaries.models import Family
from tests.factories import FamilyFactory


def history_url(family):
    return reverse("accounts:history", args=["beneficiaries", "family", family.pk])


def test_history_names_who_changed_which_field(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand, address="Old street 1")
    record = Family.objects.get(pk=family.pk)
    record._history_user = personas.caseworker  # what HistoryRequestMiddleware sets per request
    record.address = "New street 7"
    record.save()

    response = client_for(personas.director).get(history_url(family))
    assert response.status_code == 200
    newest = response.context["rows"][0]
    assert newest.who == str(personas.caseworker)
    assert newest.changes == [("address", "Old street 1", "New street 7")]
    assert len(response.context["rows"]) == 2  # the creation and the change


def test_caseworker_may_not_read_history(client_for, personas, samarkand):
    family = FamilyFactory(branch=samarkand)
    assert client_for(personas.caseworker).get(history_url(family)).status_code == 403


def test_auditor_reads_history_of_any_branch(client_for, personas, tashkent):
    family = FamilyFactory(branch=tashkent)
    assert client_for(personas.auditor).get(history_url(family)).status_code == 200


def test_unknown_record_or_model_is_404(client_for, personas):
    client = client_for(personas.director)
    assert (
        client.get(
            reverse("accounts:history", args=["beneficiaries", "family", 999999])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("accounts:history", args=["auth", "nosuchmodel", 1])).status_code == 404
    )
    # Groups keep no history: not a page.
    assert client.get(reverse("accounts:history", args=["auth", "group", 1])).status_code == 404
