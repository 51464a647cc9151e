"""The payroll files made in the background (common/jobs.py): the register PDF."""

from django.utils.translation import gettext

from common.downloads import PERSONAL
from common.jobs import JobKind, register
from payroll import documents
from payroll.models import PayrollRun

REGISTER_PDF = "payroll.register_pdf"
# The register page's own permission; the run must be in the user's scope.
REGISTER_PERMISSION = "payroll.view_payrollrun"


def _run(params) -> PayrollRun:
    return PayrollRun.objects.select_related("enterprise").get(pk=params["run"])


def register_filename(params) -> str:
    run = _run(params)
    return f"payroll-{run.enterprise_id}-{run.month:%Y-%m}-{params['language']}.pdf"


def register_build(params, progress) -> bytes:
    return documents.register_pdf(_run(params), params["language"], progress=progress)


def register_may_access(user, params) -> bool:
    return (
        user.has_perm(REGISTER_PERMISSION)
        and PayrollRun.objects.for_user(user).filter(pk=params.get("run")).exists()
    )


def register_title(run, language: str) -> str:
    return gettext("Payroll register, %(enterprise)s, %(month)s (%(language)s)") % {
        "enterprise": run.enterprise,
        "month": f"{run.month:%Y-%m}",
        "language": language,
    }


def connect() -> None:
    register(
        JobKind(
            name=REGISTER_PDF,
            download_kind=PERSONAL,
            build=register_build,
            may_access=register_may_access,
            filename=register_filename,
        )
    )
