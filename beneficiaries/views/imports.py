"""Import of families with members from CSV/XLSX, and the template to fill in."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView

from accounts.access import PermissionAccessMixin
from accounts.file_views import queue_and_show
from beneficiaries import import_jobs
from beneficiaries.choices import (
    Disability,
    EducationLevel,
    ReferralSource,
    Relationship,
    Sex,
)
from beneficiaries.forms.families import ImportForm
from beneficiaries.imports import (
    COLUMNS,
    FAMILY_COLUMNS,
    REQUIRED_COLUMNS,
    BadFile,
    import_families,
    read_rows,
    template_rows,
)
from common import exports, xlsx
from common.downloads import AGGREGATE, DownloadMixin

IMPORT_PERMISSIONS = ("beneficiaries.add_family", "beneficiaries.add_person")


class FamilyImportView(PermissionAccessMixin, FormView):
    permission_required = IMPORT_PERMISSIONS
    form_class = ImportForm
    template_name = "beneficiaries/family_import.html"

    def get_context_data(self, **kwargs):
        choices = [
            ("referral_source", ReferralSource),
            ("sex", Sex),
            ("relationship", Relationship),
            ("education_level", EducationLevel),
            ("disability", Disability),
        ]
        return super().get_context_data(
            columns=[
                {
                    "name": column,
                    "required": column in REQUIRED_COLUMNS,
                    "family": column in FAMILY_COLUMNS,
                }
                for column in COLUMNS
            ],
            choices=[(name, kind.choices) for name, kind in choices],
            **kwargs,
        )

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        if self.is_large(upload):
            return queue_and_show(
                self.request,
                kind=import_jobs.FAMILY_IMPORT,
                params=import_jobs.request_params(
                    user=self.request.user,
                    stored=import_jobs.keep_upload(upload),
                    original_name=upload.name,
                ),
                title=import_jobs.title(upload.name),
            )
        result = import_families(upload=upload, user=self.request.user)
        if not result.ok:
            return self.render_to_response(
                self.get_context_data(form=form, problems=result.problems)
            )
        messages.success(
            self.request,
            _(
                "Imported %(families)s new families and %(members)s new members; "
                "%(known_families)s families and %(known_members)s members were already "
                "registered and left as they were."
            )
            % {
                "families": result.families_created,
                "members": result.members_created,
                "known_families": result.families_known,
                "known_members": result.members_known,
            },
        )
        return redirect("beneficiaries:family_list")

    def is_large(self, upload) -> bool:
        """More data rows than settings.IMPORT_ROWS_IN_REQUEST: the worker imports it. A file
        that cannot be read is answered on the page at once, with its problem."""
        try:
            rows = read_rows(upload)
        except BadFile:
            return False
        finally:
            upload.seek(0)
        return len(rows) > settings.IMPORT_ROWS_IN_REQUEST


class FamilyImportTemplateView(DownloadMixin, PermissionAccessMixin, View):
    download_kind = AGGREGATE  # the blank template and its example rows
    permission_required = IMPORT_PERMISSIONS

    def get(self, request, *args, fmt, **kwargs):
        header, *rows = template_rows()
        filename = f"families-template.{fmt}"
        if fmt == "csv":
            return exports.csv_response([header, *rows], filename)
        if fmt == "xlsx":
            return exports.xlsx_response(xlsx.table_xlsx("families", header, rows), filename)
        raise Http404
