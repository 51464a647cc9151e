"""An exit with well-being restored only when exit readiness holds at that moment; otherwise
the caseworker requests it with a reason and a programme manager who did not make the
request approves or refuses it (four eyes). Through the pages and the services."""

import datetime
import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from beneficiaries.choices import ExitReason, FamilyStatus
from beneficiaries.services import family_exit
from common.months import add_months, month_start
from tests.factories import IncomeRecordFactory, UserFactory, branch
from tests.wellbeing.factories import household, record_levels
from wellbeing.models import ExitRequest
from wellbeing.services import exit_request_create, exit_request_decide

pytestmark = pytest.mark.django_db
D = datetime.date
TODAY = timezone.localdate()


def _family(personas, *, ready: bool):
    """An active family of the Samarkand caseworker: with six months' income above the line
    and every domain at 4 when `ready`, every domain at 2 otherwise."""
    family = household(
        3,
        branch=branch("SAM"),
        caseworker=personas.caseworker,
        intake_date=D(2024, 1, 1),
        consent_date=D(2024, 1, 1),
    )
    last = add_months(month_start(TODAY), -1)
    for back in range(6):  # 2,400,000 for three people: 800,000 each, above the line
        IncomeRecordFactory(family=family, month=add_months(last, -back), amount=2_400_000)
    record_levels(family, TODAY - datetime.timedelta(days=10), {}, default=4 if ready else 2)
    return family


def _exit_request_count(response) -> int:
    found = re.search(r'id="count-exit-requests"[^>]*>(\d+)<', response.content.decode())
    return int(found.group(1))


EXIT = {"exit_date": TODAY.isoformat(), "reason": "well_being_restored", "notes": ""}


def test_a_ready_family_exits_with_well_being_restored_at_once(client_for, personas):
    family = _family(personas, ready=True)
    url = reverse("beneficiaries:family_exit", args=[family.pk])
    assert client_for(personas.caseworker).post(url, EXIT).status_code == 302
    family.refresh_from_db()
    assert (family.status, family.exit_reason) == (
        FamilyStatus.EXITED,
        ExitReason.WELL_BEING_RESTORED,
    )
    assert not ExitRequest.objects.exists()


def test_the_exit_page_and_the_service_refuse_restored_when_the_checklist_fails(
    client_for, personas
):
    family = _family(personas, ready=False)
    url = reverse("beneficiaries:family_exit", args=[family.pk])
    response = client_for(personas.caseworker).post(url, EXIT)
    assert response.status_code == 200
    error = str(response.context["form"].errors["reason"])
    assert "exit checklist does not hold" in error
    assert "No domain below level 3" in error
    with pytest.raises(ValidationError, match="exit checklist does not hold"):
        family_exit(family=family, exit_date=TODAY, reason=ExitReason.WELL_BEING_RESTORED, by=None)
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
    # Another reason is not the checklist's business.
    assert (
        client_for(personas.caseworker).post(url, {**EXIT, "reason": "moved_away"}).status_code
        == 302
    )


def test_readiness_is_judged_at_the_moment_of_the_exit_not_from_a_stale_score(personas):
    family = _family(personas, ready=True)
    # The income of the last months disappears without the score being told (a raw delete).
    family.income_records.all()._raw_delete(family.income_records.db)
    assert family.score.exit_ready  # stored before
    with pytest.raises(ValidationError, match="poverty line"):
        family_exit(family=family, exit_date=TODAY, reason=ExitReason.WELL_BEING_RESTORED, by=None)


def test_caseworker_requests_and_another_manager_approves(client_for, personas):
    family = _family(personas, ready=False)
    caseworker = client_for(personas.caseworker)
    page = caseworker.get(family.get_absolute_url()).content.decode()
    create = reverse("wellbeing:exit_request_create", args=[family.pk])
    assert create in page
    response = caseworker.post(create, {"exit_date": TODAY.isoformat(), "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = caseworker.post(
        create, {"exit_date": TODAY.isoformat(), "reason": "Husband employed since last week"}
    )
    assert response.status_code == 302
    request = ExitRequest.objects.get()
    assert (request.status, request.requested_by) == ("pending", personas.caseworker)
    assert "No domain below level 3" in request.unmet
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
    assert (
        "waits for a programme manager"
        in caseworker.get(family.get_absolute_url()).content.decode()
    )
    # A second request while one waits is refused.
    with pytest.raises(ValidationError, match="already has an exit request"):
        exit_request_create(
            family=family, exit_date=TODAY, reason="again", requested_by=personas.caseworker
        )
    # The caseworker may read the request but not decide it.
    detail = reverse("wellbeing:exit_request_detail", args=[request.pk])
    assert caseworker.get(detail).status_code == 200
    assert caseworker.post(detail, {"decision": "approve"}).status_code == 403
    assert caseworker.get(reverse("wellbeing:exit_request_queue")).status_code == 403
    with pytest.raises(PermissionDenied):
        exit_request_decide(request=request, approve=True, by=personas.caseworker)
    # The director sees it in the queue, counted on the home page, and approves.
    director = client_for(personas.director)
    queue = director.get(reverse("wellbeing:exit_request_queue"))
    assert list(queue.context["pending"]) == [request]
    assert _exit_request_count(director.get("/")) == 1
    response = director.post(detail, {"decision": "approve", "notes": "Seen the contract"})
    assert response.status_code == 302
    request.refresh_from_db()
    family.refresh_from_db()
    assert (request.status, request.decided_by, request.override) == (
        "approved",
        personas.director,
        True,
    )
    assert (family.status, family.exit_reason, family.exit_date) == (
        FamilyStatus.EXITED,
        ExitReason.WELL_BEING_RESTORED,
        TODAY,
    )
    assert _exit_request_count(director.get("/")) == 0
    # Decided once only.
    response = director.post(detail, {"decision": "refuse", "notes": "changed my mind"})
    assert response.status_code == 200
    assert "already been decided" in response.content.decode()


def test_the_requester_may_not_decide_their_own_request(client_for, personas):
    family = _family(personas, ready=False)
    request = exit_request_create(
        family=family, exit_date=TODAY, reason="Early", requested_by=personas.director
    )
    detail = reverse("wellbeing:exit_request_detail", args=[request.pk])
    response = client_for(personas.director).post(detail, {"decision": "approve"})
    assert response.status_code == 200
    assert "another programme manager must decide it" in response.content.decode()
    with pytest.raises(ValidationError, match="another programme manager"):
        exit_request_decide(request=request, approve=True, by=personas.director)
    request.refresh_from_db()
    family.refresh_from_db()
    assert request.status == "pending" and family.status == FamilyStatus.ACTIVE
    # Another programme manager refuses, with a reason.
    other = UserFactory(username="p_director2", role=Role.PROGRAMME_MANAGER)
    with pytest.raises(ValidationError, match="why the request is refused"):
        exit_request_decide(request=request, approve=False, by=other)
    response = client_for(other).post(detail, {"decision": "refuse", "notes": "Wait a month"})
    assert response.status_code == 302
    request.refresh_from_db()
    family.refresh_from_db()
    assert (request.status, request.override, request.decision_notes) == (
        "refused",
        False,
        "Wait a month",
    )
    assert family.status == FamilyStatus.ACTIVE


def test_request_pages_are_scoped_and_role_checked(client_for, personas):
    family = _family(personas, ready=False)
    create = reverse("wellbeing:exit_request_create", args=[family.pk])
    assert client_for(personas.caseworker_tashkent).get(create).status_code == 404
    for persona in ("trainer", "manager", "auditor", "outsider"):
        assert client_for(getattr(personas, persona)).get(create).status_code == 403, persona
    # A caseworker of the branch who does not follow the family may not request its exit.
    colleague = UserFactory(
        username="p_cw_colleague", role=Role.CASEWORKER, branches=[branch("SAM")]
    )
    assert client_for(colleague).get(create).status_code == 403
    request = exit_request_create(
        family=family, exit_date=TODAY, reason="Early", requested_by=personas.caseworker
    )
    detail = reverse("wellbeing:exit_request_detail", args=[request.pk])
    assert client_for(personas.caseworker_tashkent).get(detail).status_code == 404
    assert client_for(personas.auditor).get(detail).status_code == 200
    assert client_for(personas.auditor).post(detail, {"decision": "approve"}).status_code == 403


def test_a_ready_family_needs_no_request(personas):
    family = _family(personas, ready=True)
    with pytest.raises(ValidationError, match="checklist holds"):
        exit_request_create(
            family=family, exit_date=TODAY, reason="x", requested_by=personas.caseworker
        )


def test_an_approval_when_the_checklist_holds_by_then_is_no_override(personas):
    family = _family(personas, ready=False)
    request = exit_request_create(
        family=family, exit_date=TODAY, reason="Early", requested_by=personas.caseworker
    )
    record_levels(family, TODAY, {}, default=4)  # ready by the time the manager decides
    exit_request_decide(request=request, approve=True, by=personas.director)
    request.refresh_from_db()
    assert (request.status, request.override) == ("approved", False)


def test_the_admin_cannot_record_an_exit_past_the_checklist(personas, client):
    """The admin shows a case's status and exit read-only: a superuser's post that sets
    "well-being restored" on a family whose checklist fails changes nothing."""
    family = _family(personas, ready=False)
    admin = UserFactory(username="p_admin", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:beneficiaries_family_change", args=[family.pk])
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["adminform"].form
    assert "exit_reason" not in form.fields and "status" not in form.fields
    data = {name: form[name].value() or "" for name in form.fields}
    members = page.context["inline_admin_formsets"][0].formset
    for key, value in members.management_form.initial.items():
        data[f"{members.prefix}-{key}"] = value
    data.update(
        status=FamilyStatus.EXITED,
        exit_reason=ExitReason.WELL_BEING_RESTORED,
        exit_date=TODAY.isoformat(),
    )
    client.post(url, data)
    family.refresh_from_db()
    assert family.status == FamilyStatus.ACTIVE
    assert family.exit_reason == ""
