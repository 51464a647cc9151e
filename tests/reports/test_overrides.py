"""Restored exits approved by override (an early exit request approved while the checklist
failed) are counted apart: the figure is its drill-down's count, the same on the
dashboard, the PDF and the XLSX, per period and branch."""

import datetime

from django.urls import reverse

from beneficiaries.choices import ExitReason, FamilyStatus
from reports.selectors import Period, programme_figures
from tests.factories import FamilyFactory, branch
from tests.reports.test_parity import (
    dashboard_values,
    drill_down,
    needs_pdftotext,
    params,
    pdf_text,
    pdf_value,
    xlsx_rows,
)
from tests.reports.world import END, START
from wellbeing.models import ExitRequest

D = datetime.date
LABEL = "Of which approved by override"
IN_PERIOD = D(2021, 6, 30)


def _restored(*, request=None, day=IN_PERIOD, code="SAM", user=None):
    family = FamilyFactory(
        branch=branch(code),
        intake_date=D(2020, 2, 1),
        status=FamilyStatus.EXITED,
        exit_date=day,
        exit_reason=ExitReason.WELL_BEING_RESTORED,
    )
    if request is not None:
        ExitRequest.objects.create(
            family=family,
            exit_date=day,
            reason="early",
            requested_by=user,
            decided_by=user,
            status=request[0],
            override=request[1],
        )
    return family


@needs_pdftotext
def test_overrides_are_a_recount_of_their_drill_down_on_every_surface(
    db, personas, client_for, tmp_path
):
    user = personas.caseworker
    overrides = [_restored(request=("approved", True), user=user) for _n in range(3)]
    _restored(request=("approved", False), user=user)  # approved once the checklist held
    _restored(request=("refused", False), user=user)  # refused, then exited when ready
    _restored()  # ready: no request
    _restored(request=("approved", True), user=user, day=D(2023, 2, 1))  # after the period
    _restored(request=("approved", True), user=user, code="TAS")
    moved = FamilyFactory(
        intake_date=D(2020, 2, 1),
        status=FamilyStatus.EXITED,
        exit_date=D(2021, 1, 1),
        exit_reason=ExitReason.MOVED_AWAY,
    )
    ExitRequest.objects.create(
        family=moved, exit_date=D(2021, 1, 1), reason="x", requested_by=user, status="refused"
    )
    client = client_for(personas.director)
    for branch_code, expected in ((None, 4), ("SAM", 3), ("TAS", 1)):
        extra = {"branch": branch(branch_code).pk} if branch_code else {}
        query = params(**extra)
        period = Period(START, END, branch(branch_code) if branch_code else None)
        figures = programme_figures(period)
        assert figures["restored_overrides"] == expected
        count, exported = drill_down(client, "restored-overrides", query)
        assert count == exported == expected
        rows = client.get(reverse("reports:figure", args=["restored-overrides"]), query)
        listed = {row.pk for row in rows.context["table"].data}
        if branch_code == "SAM":
            assert listed == {family.pk for family in overrides}
        html = client.get(reverse("reports:programme"), query).content.decode()
        assert dashboard_values(html)["restored-overrides"] == str(expected)
        assert xlsx_rows(client, query)[LABEL][0] == expected
        assert pdf_value(pdf_text(client, tmp_path, query), LABEL) == str(expected)
        # Every override is one of the restored exits.
        assert figures["restored_overrides"] <= figures["restored_exits"]
