"""The reports' files made in the background (common/jobs.py): the donor report PDF."""

from django.utils import translation
from django.utils.translation import gettext

from common.downloads import AGGREGATE
from common.jobs import JobKind, register
from common.pdf import render_pdf

DONOR_PDF = "reports.donor_pdf"
# The programme report's own permission (reports.report_views.REPORT_PERMISSION).
REPORT_PERMISSION = "accounts.view_programme_reports"


def period_params(form) -> dict:
    """What a job needs to make the report again: the period form's cleaned values."""
    branch = form.cleaned_data.get("branch")
    return {
        "start": form.cleaned_data["start"].isoformat(),
        "end": form.cleaned_data["end"].isoformat(),
        "branch": branch.pk if branch else None,
        "lang": form.cleaned_data.get("lang") or translation.get_language() or "en",
    }


def _form(params):
    from reports.forms import PeriodForm

    data = {"start": params["start"], "end": params["end"], "lang": params["lang"]}
    if params.get("branch"):
        data["branch"] = params["branch"]
    form = PeriodForm(data)
    if not form.is_valid():
        raise ValueError(gettext("The report's period is no longer valid: %s") % form.errors)
    return form


def donor_build(params, progress) -> bytes:
    from reports.report_views import report_data

    form = _form(params)
    with translation.override(params["lang"]):
        return render_pdf("reports/programme_pdf.html", report_data(form.period))


def donor_filename(params) -> str:
    from reports.report_views import _filename

    form = _form(params)
    return _filename({"period": form.period}, "pdf")


def donor_may_access(user, params) -> bool:
    return user.has_perm(REPORT_PERMISSION)


def donor_title(form) -> str:
    period = form.period
    return gettext("Donor report, %(start)s – %(end)s, %(branch)s (%(language)s)") % {
        "start": period.start.isoformat(),
        "end": period.end.isoformat(),
        "branch": period.branch or gettext("All branches"),
        "language": form.cleaned_data.get("lang") or translation.get_language(),
    }


def connect() -> None:
    register(
        JobKind(
            name=DONOR_PDF,
            download_kind=AGGREGATE,
            build=donor_build,
            may_access=donor_may_access,
            filename=donor_filename,
        )
    )
