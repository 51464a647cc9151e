"""My files: the documents a user asked for, made in the background (common/jobs.py).

Each user sees only their own; a file is served again only while the page it came from
would still show it to them (its kind's permission and scope) and through the download
door (common.downloads), which checks the kind of data and tells the read log.
"""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.access import SignedInAccessMixin
from common import jobs
from common.downloads import announce, pass_door
from common.models import FileStatus, GeneratedFile

# How many of a user's files the page lists (the newest).
RECENT = 50


def own_file_or_404(user, pk) -> GeneratedFile:
    generated = GeneratedFile.objects.filter(
        user=user, pk=pk, expires_at__gt=timezone.now()
    ).first()
    if generated is None or not jobs.may_access(user, generated):
        raise Http404
    return generated


class MyFilesView(SignedInAccessMixin, TemplateView):
    """The user's recent files; no filters, no paging (a page takes no input)."""

    template_name = "accounts/my_files.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["files"] = list(
            GeneratedFile.objects.filter(
                user=self.request.user, expires_at__gt=timezone.now()
            ).order_by("-created_at", "-pk")[:RECENT]
        )
        context["pending"] = any(each.pending for each in context["files"])
        context["expiry_hours"] = settings.GENERATED_FILE_HOURS
        return context


class FileDownloadView(SignedInAccessMixin, View):
    def get(self, request, pk):
        generated = own_file_or_404(request.user, pk)
        if generated.status != FileStatus.READY or not generated.file:
            raise Http404
        kind = jobs.kind_of(generated)
        pass_door(request, kind.download_kind)
        response = FileResponse(
            generated.file.open("rb"),
            as_attachment=True,
            filename=generated.filename,
            content_type=generated.content_type,
        )
        return announce(type(self), request, response, kind.download_kind)


class FileRetryView(SignedInAccessMixin, View):
    def post(self, request, pk):
        generated = own_file_or_404(request.user, pk)
        if generated.status == FileStatus.FAILED:
            jobs.generated_file_retry(generated=generated)
            messages.success(request, _("The file is queued again."))
        return HttpResponseRedirect(reverse("accounts:my_files"))


def queue_and_show(request, *, kind: str, params: dict, title: str) -> HttpResponseRedirect:
    """For the pages' buttons: queue the file, say so, and go to My files."""
    jobs.generated_file_request(user=request.user, kind=kind, params=params, title=title)
    messages.success(request, _("Your file is being made. It will be listed here when ready."))
    return HttpResponseRedirect(reverse("accounts:my_files"))
