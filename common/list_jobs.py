"""Big list exports made in the background (common/jobs.py).

A list's `?_export=csv|xlsx` (common/exports.py) is answered inside the request while the
list has at most `settings.EXPORT_ROWS_IN_REQUEST` rows (a few thousand rows take well under
a second); a longer list is queued instead and the user is sent to My files. The job makes
the file by asking the same view again, as the same user, in the same language, with the
same filters and sort: so the queued file is, column for column and row for row, the one
the page would have returned, and the view's own permission and scope (`for_user`) apply
when the file is made. At download, `may_access` asks the view's permission again and the
download door (common.downloads) the kind of data.

This module resolves the view from its address; it imports none of the apps.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import translation

from common.downloads import AGGREGATE, PERSONAL, may_download
from common.jobs import JobKind, register

CSV = "csv"
XLSX = "xlsx"
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Set on the replayed request: the view answers it inside the "request", never queues again.
IN_BACKGROUND = "_made_in_background"


def kind_name(download_kind: str, export_format: str) -> str:
    return f"common.list_export.{download_kind}.{export_format}"


def request_params(request, *, filename: str) -> dict:
    return {
        "user": request.user.pk,
        "path": request.path,
        "query": request.GET.urlencode(),
        "language": translation.get_language() or "en",
        "filename": filename,
    }


def _replayed_request(user, params):
    request = RequestFactory().get(f"{params['path']}?{params['query']}")
    request.user = user
    setattr(request, IN_BACKGROUND, True)
    return request


def _view_of(params):
    try:
        match = resolve(params["path"])
    except Resolver404:
        return None, None
    return getattr(match.func, "view_class", None), match


def build(params, progress) -> bytes:
    user = get_user_model().objects.get(pk=params["user"])
    _view, match = _view_of(params)
    if match is None:
        raise LookupError(f"no list at {params['path']}")
    with translation.override(params["language"]):
        response = match.func(_replayed_request(user, params), *match.args, **match.kwargs)
        if hasattr(response, "render"):
            response.render()
    if response.status_code != 200:
        raise PermissionDenied(f"the list answered {response.status_code}")
    return response.content


def may_access(user, params) -> bool:
    """The list's own permission, as when the file was asked for (its rows were scoped to
    the user when it was made)."""
    view_class, _match = _view_of(params)
    if view_class is None or params.get("user") != user.pk:
        return False
    required = getattr(view_class, "permission_required", None)
    if isinstance(required, str):
        required = (required,)
    if required and not user.has_perms(required):
        return False
    return may_download(user, getattr(view_class, "download_kind", PERSONAL))


def connect() -> None:
    for download_kind in (PERSONAL, AGGREGATE):
        for export_format, content_type in CONTENT_TYPES.items():
            register(
                JobKind(
                    name=kind_name(download_kind, export_format),
                    download_kind=download_kind,
                    build=build,
                    may_access=may_access,
                    filename=lambda params: params["filename"],
                    content_type=content_type,
                )
            )
