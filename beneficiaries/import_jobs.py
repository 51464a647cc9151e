"""A large family import runs as a job (common/jobs.py): the file is kept in storage for the
job, the worker checks and imports it (all or nothing, as on the page), and My files shows the
outcome: a short report when it is imported, or every problem with its line when not.

A file of at most settings.IMPORT_ROWS_IN_REQUEST data rows is imported at once, on the page
(beneficiaries/views/imports.py); checking and writing a few hundred rows takes well under
a second, a few thousand take several. The job's file is a CSV report of the counts (it names
nobody, so it is AGGREGATE); the uploaded file is kept until the record expires and is purged with it.
"""

import uuid

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext

from beneficiaries.imports import import_families
from common.downloads import AGGREGATE
from common.exports import csv_text
from common.jobs import JobKind, register

FAMILY_IMPORT = "beneficiaries.family_import"
IMPORT_PERMISSIONS = ("beneficiaries.add_family", "beneficiaries.add_person")
# How many problems the job's error keeps (My files shows them; the page showed them all).
PROBLEMS_SHOWN = 60


class ImportRefused(Exception):
    """The file has problems: nothing was imported. The message lists them by line."""


def keep_upload(upload) -> str:
    """Store the uploaded file for the job; returns its name in storage."""
    upload.seek(0)
    suffix = ".xlsx" if upload.name.lower().endswith(".xlsx") else ".csv"
    return default_storage.save(f"imports/{uuid.uuid4().hex}{suffix}", ContentFile(upload.read()))


def request_params(*, user, stored: str, original_name: str) -> dict:
    return {
        "user": user.pk,
        "stored": stored,
        "name": original_name[:200],
        "language": translation.get_language() or "en",
    }


def problems_text(problems) -> str:
    shown = [
        gettext("line %(line)s%(column)s: %(reason)s")
        % {
            "line": problem.line,
            "column": f" ({problem.column})" if problem.column else "",
            "reason": problem.reason,
        }
        for problem in problems[:PROBLEMS_SHOWN]
    ]
    more = len(problems) - len(shown)
    if more > 0:
        shown.append(gettext("and %(n)s more") % {"n": more})
    return gettext("Nothing was imported. %(problems)s") % {"problems": "; ".join(shown)}


def build(params, progress) -> bytes:
    user = get_user_model().objects.get(pk=params["user"])
    with translation.override(params["language"]), default_storage.open(params["stored"]) as f:
        f.name = params["stored"]  # the reader goes by the ending (.csv or .xlsx)
        result = import_families(upload=f, user=user)
        if not result.ok:
            raise ImportRefused(problems_text(result.problems))
        return csv_text(
            [
                [gettext("File"), params["name"]],
                [gettext("New families"), result.families_created],
                [gettext("New members"), result.members_created],
                [gettext("Families already registered"), result.families_known],
                [gettext("Members already registered"), result.members_known],
            ]
        ).encode()


def may_access(user, params) -> bool:
    return user.pk == params.get("user") and user.has_perms(IMPORT_PERMISSIONS)


def cleanup(params) -> None:
    default_storage.delete(params["stored"])


def title(original_name: str) -> str:
    return gettext("Family import: %(name)s") % {"name": original_name}


def connect() -> None:
    register(
        JobKind(
            name=FAMILY_IMPORT,
            download_kind=AGGREGATE,
            build=build,
            may_access=may_access,
            filename=lambda params: "family-import-report.csv",
            content_type="text/csv; charset=utf-8",
            cleanup=cleanup,
        )
    )
