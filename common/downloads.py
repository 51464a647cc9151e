"""The one door every file leaving Mustaqil goes through: CSV, XLSX and PDF alike.

A view that gives out a file declares what kind of data the file holds, once, as
`download_kind` on `DownloadMixin` (or with `@download_view(kind)` on a function view):

- PERSONAL: names, PINFLs, pay, a family's progress (list exports, payslips, payroll
  registers, certificates, progress reports): the role needs `accounts.export_personal_data`;
- AGGREGATE: programme figures and blank templates, nobody named: whoever may open the
  page may take the file.

The check is here and nowhere else (`may_download`); it runs before the view does any work.
Every file served is announced through the `download_served` signal, which the read log
(accounts) records. `common.middleware.UndeclaredDownloadMiddleware` refuses any file
response from a view that declared no kind, so a new download cannot skip the door, and
tests/common/test_download_matrix.py walks every URL that declares one, for every role.
"""

from django.core.exceptions import PermissionDenied
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _

PERSONAL = "personal"
AGGREGATE = "aggregate"
# A permission named by its string, so that this package imports none of the apps.
PERSONAL_DATA = "accounts.export_personal_data"
KIND_PERMISSIONS: dict[str, str | None] = {PERSONAL: PERSONAL_DATA, AGGREGATE: None}
KIND_LABELS = {PERSONAL: _("Personal data"), AGGREGATE: _("Figures, nobody named")}

# sent after a file was served: sender=the view class, request, kind, subject (a record or None)
download_served = Signal()

# set on the request once the door let a download through
REQUEST_FLAG = "download_kind"


FILE_CONTENT_TYPES = (
    "application/pdf",
    "text/csv",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)


def is_file(response) -> bool:
    """A response that is a file to keep: a Content-Disposition, or a document's type."""
    content_type = response.get("Content-Type", "").split(";")[0].strip()
    return response.has_header("Content-Disposition") or content_type in FILE_CONTENT_TYPES


def may_download(user, kind: str) -> bool:
    """Whether `user` may take a file holding `kind` of data out of the system."""
    permission = KIND_PERMISSIONS[kind]  # an unknown kind is a programming error
    return permission is None or user.has_perm(permission)


def pass_door(request, kind: str) -> None:
    """403 unless the user may download `kind`; marks the request as checked."""
    if not may_download(request.user, kind):
        raise PermissionDenied
    setattr(request, REQUEST_FLAG, kind)


def announce(sender, request, response, kind: str, subject=None):
    """Tell the read log that a file was served (a response that is not a file is not)."""
    if response.status_code == 200 and is_file(response):
        download_served.send(sender=sender, request=request, kind=kind, subject=subject)
    return response


class DownloadMixin:
    """Declares the kind of data a view's files hold and checks it before anything else.

    Put it first among the view's bases. `download_kind_for(request)` is the kind this
    request downloads, or None when it asks for a page (a list without `?_export=`).
    """

    download_kind: str = PERSONAL

    def download_kind_for(self, request) -> str | None:
        return self.download_kind

    def download_subject(self):
        """The record the file is about, for the read log (None: a list or figures)."""
        return getattr(self, "object", None) or getattr(self, "family", None)

    def dispatch(self, request, *args, **kwargs):
        kind = self.download_kind_for(request)
        if kind is None:
            return super().dispatch(request, *args, **kwargs)
        pass_door(request, kind)
        response = super().dispatch(request, *args, **kwargs)
        return announce(type(self), request, response, kind, self.download_subject())


def download_view(kind: str):
    """`DownloadMixin` for a function view: `@download_view(PERSONAL)`."""
    KIND_PERMISSIONS[kind]

    def decorate(view_func):
        def wrapped(request, *args, **kwargs):
            pass_door(request, kind)
            response = view_func(request, *args, **kwargs)
            return announce(view_func, request, response, kind)

        wrapped.__name__ = view_func.__name__
        wrapped.__doc__ = view_func.__doc__
        wrapped.__dict__.update(view_func.__dict__)
        wrapped.download_kind = kind
        return wrapped

    return decorate


def declared_download_kind(view_func) -> str | None:
    """The kind a resolved view declares (its class's or its own), or None."""
    view_class = getattr(view_func, "view_class", None)
    if view_class is not None:
        if not issubclass(view_class, DownloadMixin):
            return None
        return view_class.download_kind
    return getattr(view_func, "download_kind", None)
