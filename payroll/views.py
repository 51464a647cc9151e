"""Thin views: each checks the role, reaches its run through `for_user` (404 outside the
user's enterprises) and hands every write to a service."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.generic import DetailView, View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from accounts.file_views import queue_and_show
from common import xlsx
from common.downloads import AGGREGATE, PERSONAL, DownloadMixin, may_download
from common.exports import (
    XLSX,
    ExportMixin,
    csv_response,
    exported_columns,
    table_export,
    xlsx_response,
)
from common.views import ServiceFormView
from common.xlsx import CONTENT_TYPE as XLSX_CONTENT_TYPE
from enterprises.choices import PayBasis
from payroll import documents, jobs, obligations, payments, services
from payroll.explain import payslip_lines
from payroll.filtersets import PayrollRunFilterSet
from payroll.forms import (
    AdjustmentForm,
    AdvanceForm,
    ConfirmForm,
    DeductionOrderForm,
    PaidForm,
    ReverseForm,
    RunCreateForm,
    TaxPaymentForm,
    TimesheetFormSet,
    WorkingDaysForm,
)
from payroll.models import Adjustment, Advance, DeductionOrder, PayrollRun, Payslip
from payroll.selectors import approval_refusal
from payroll.tables import PayrollRunTable


def plain(value):
    """2.00 -> 2, 7.50 -> 7.5: what a person would type."""
    return value.quantize(1) if value == value.to_integral_value() else value.normalize()


class RunListView(ExportMixin, SingleTableMixin, ScopedAccessMixin, FilterView):
    """Runs of the user's enterprises; CSV/XLSX export of the list (enterprise totals only,
    no personal data: whoever sees the list may export it)."""

    model = PayrollRun
    permission_required = "payroll.view_payrollrun"
    table_class = PayrollRunTable
    filterset_class = PayrollRunFilterSet
    template_name = "payroll/run_list.html"
    paginate_by = 25
    export_name = "payroll-runs"
    download_kind = AGGREGATE  # runs and totals, nobody named

    def get_queryset(self):
        return super().get_queryset().select_related("enterprise")

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "user": self.request.user}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_add"] = self.request.user.has_perm("payroll.add_payrollrun")
        return context

    def export_response(self, table, export_format):
        """The list's export with a totals line under the rows: each totalled column (head
        count, pay and the three taxes) summed over the rows exported, so the line is the
        sum of the runs' own frozen totals, whatever the filters."""
        header, formats, rows = table_export(table, exclude=self.exclude_columns)
        names = [column.name for column in exported_columns(table, self.exclude_columns)]
        totalled = [names.index(name) for name in PayrollRunTable.TOTALLED]

        def with_totals():
            sums = dict.fromkeys(totalled, 0)
            for row in rows:
                for index in totalled:
                    sums[index] += row[index] or 0
                yield row
            line = [None] * len(header)
            line[0] = _("Total")
            for index in totalled:
                line[index] = sums[index]
            yield line

        filename = self.get_export_filename(export_format)
        if export_format == XLSX:
            return xlsx_response(
                xlsx.table_xlsx(self.export_title(), header, with_totals(), formats), filename
            )
        return csv_response([header, *with_totals()], filename)


class RunCreateView(PermissionAccessMixin, ServiceFormView):
    permission_required = "payroll.add_payrollrun"
    form_class = RunCreateForm
    template_name = "payroll/form.html"
    extra_context = {"title": gettext_lazy("Draft a month's payroll")}
    success_message = gettext_lazy("The draft is ready: check the timesheet.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": "/payroll/"}

    def perform(self, form):
        return services.payroll_run_generate(
            enterprise=form.cleaned_data["enterprise"],
            month=form.cleaned_data["month"],
            working_days=form.cleaned_data["working_days"],
            generated_by=self.request.user,
        )

    def get_success_url(self):
        return self.result.get_absolute_url()


class RunMixin:
    """The run named in the URL, within the user's scope (404 otherwise)."""

    def get_run(self) -> PayrollRun:
        if not hasattr(self, "_run"):
            self._run = get_scoped_object_or_404(
                PayrollRun.objects.select_related("enterprise", "generated_by", "approved_by"),
                self.request.user,
                pk=self.kwargs["pk"],
            )
        return self._run


class RunDetailView(RunMixin, PermissionAccessMixin, View):
    """The run: its figures, the timesheet (editable while a draft, one save) and payslips."""

    permission_required = "payroll.view_payrollrun"
    template_name = "payroll/run_detail.html"

    def get(self, request, *args, **kwargs):
        return self.render(self.timesheet_formset())

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        if not request.user.has_perm("payroll.change_timesheetentry"):
            raise PermissionDenied
        formset = self.timesheet_formset(data=request.POST)
        if not run.is_draft:
            messages.error(request, _("This payroll run is approved: it can no longer be changed."))
            return redirect(run)
        if self.is_stale(formset):
            messages.error(
                request,
                _(
                    "The timesheet changed since you opened it (lines were added or removed): "
                    "nothing was saved. Enter your changes again."
                ),
            )
            return redirect(run)
        if formset.is_valid():
            lines = {
                form.cleaned_data["line"]: {
                    field: value
                    for field, value in form.cleaned_data.items()
                    if field != "line" and value is not None
                }
                for form in formset
            }
            try:
                services.timesheet_save(run=run, lines=lines, saved_by=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, _("The timesheet is saved and the payslips recomputed."))
                return redirect(run)
        return self.render(formset, status=400)

    def is_stale(self, formset) -> bool:
        """Whether the posted timesheet has other lines than the run has now (it was drafted
        again, or someone else changed it, since the page was opened): its rows could not be
        shown against the lines, and must not be saved onto them."""
        posted = [form["line"].value() for form in formset.forms]
        return [str(value) for value in posted] != [str(line.pk) for line in self._lines]

    def timesheet_lines(self):
        return list(
            self.get_run()
            .timesheet.select_related("employment__person", "employment__position")
            .order_by("employment__person__full_name", "id")
        )

    def timesheet_formset(self, data=None):
        lines = self.timesheet_lines()
        self._lines = lines
        initial = [
            {
                "line": line.pk,
                **{field: plain(getattr(line, field)) for field in services.TIMESHEET_FIELDS},
            }
            for line in lines
        ]
        return TimesheetFormSet(data=data, initial=initial, prefix="ts")

    def render(self, formset, status=200):
        run = self.get_run()
        user = self.request.user
        payslips = list(
            run.payslips.select_related("person")
            .prefetch_related("deduction_lines")
            .order_by("person__full_name", "id")
        )
        rows = [
            {
                "line": line,
                "form": form,
                "basis": line.employment.position.pay_basis,
                "absence_fields": [form[field] for field in services.ABSENCE_FIELDS],
            }
            for line, form in zip(self._lines, formset.forms, strict=True)
        ]
        context = {
            "run": run,
            "object": run,
            "payslips": payslips,
            "rows": rows,
            "formset": formset,
            "PayBasis": PayBasis,
            "adjustments": list(
                run.adjustments.select_related("employment__person", "corrects").order_by("id")
            ),
            "advances": list(
                run.advances.select_related("employment__person").order_by(
                    "employment__person__full_name", "id"
                )
            ),
            # The settlement's totals: plain sums of the payslips shown.
            "settlement": {
                field: sum((getattr(p, field) for p in payslips), Decimal("0"))
                for field in ("advance", "deductions", "amount_to_pay")
            },
            "can_edit": run.is_draft and user.has_perm("payroll.change_timesheetentry"),
            "can_adjust": run.is_draft and user.has_perm("payroll.add_adjustment"),
            "can_advance": run.is_draft and user.has_perm("payroll.add_advance"),
            "can_approve": user.has_perm("payroll.approve_payrollrun"),
            "approval_refusal": (
                approval_refusal(run, user)
                if run.is_draft and user.has_perm("payroll.approve_payrollrun")
                else None
            ),
            "can_redraft": run.is_draft and user.has_perm("payroll.change_payrollrun"),
            "can_delete": run.is_draft and user.has_perm("payroll.delete_payrollrun"),
            "working_days_form": WorkingDaysForm(initial={"working_days": run.working_days}),
            # The taxes the run owes and their payments: none for a draft (and no query).
            "obligations": obligations.run_obligations(run),
            "can_pay_taxes": run.status in obligations.OWING_STATUSES
            and user.has_perm("payroll.add_taxpayment"),
        }
        return render(self.request, self.template_name, context, status=status)


class RunActionView(RunMixin, PermissionAccessMixin, ServiceFormView):
    """A button or small form acting on one run through a service, with a confirmation."""

    template_name = "payroll/form.html"
    form_class = ConfirmForm
    title = ""
    confirm = ""

    def has_permission(self):
        allowed = super().has_permission()
        if allowed:
            self.get_run()  # 404 outside the user's scope
        return allowed

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "run": self.get_run(),
            "title": self.title,
            "confirm": self.confirm,
            "cancel_url": self.get_run().get_absolute_url(),
        }

    def get_success_url(self):
        return self.get_run().get_absolute_url()

    def perform(self, form):
        return self.act(form.cleaned_data)

    def act(self, data):
        raise NotImplementedError


class RunRedraftView(RunActionView):
    permission_required = "payroll.change_payrollrun"
    title = gettext_lazy("Redraft the run")
    confirm = gettext_lazy(
        "Redraft this run from the current contracts? Timesheet lines already entered are kept."
    )
    success_message = gettext_lazy("The draft is regenerated.")

    def act(self, data):
        run = self.get_run()
        services.payroll_run_generate(
            enterprise=run.enterprise, month=run.month, generated_by=self.request.user
        )


class WorkingDaysView(RunActionView):
    permission_required = "payroll.change_payrollrun"
    form_class = WorkingDaysForm
    title = gettext_lazy("Working days of the month")
    success_message = gettext_lazy("The working days are changed and the payslips recomputed.")

    def get_initial(self):
        return {"working_days": self.get_run().working_days}

    def act(self, data):
        services.payroll_run_set_working_days(
            run=self.get_run(), working_days=data["working_days"], by=self.request.user
        )


class RunDeleteView(RunActionView):
    permission_required = "payroll.delete_payrollrun"
    title = gettext_lazy("Discard the draft")
    confirm = gettext_lazy("Discard this draft with its timesheet?")
    success_message = gettext_lazy("The draft is discarded.")

    def act(self, data):
        services.payroll_run_delete(run=self.get_run())

    def get_success_url(self):
        return "/payroll/"


class RunApproveView(RunActionView):
    permission_required = "payroll.approve_payrollrun"
    title = gettext_lazy("Approve the run")
    confirm = gettext_lazy(
        "Approve this payroll? It is then locked, and each employee's net pay is added to "
        "their household's income."
    )
    success_message = gettext_lazy("The run is approved and locked.")

    def act(self, data):
        services.payroll_run_approve(run=self.get_run(), approved_by=self.request.user)


class RunPaidView(RunActionView):
    permission_required = "payroll.approve_payrollrun"
    form_class = PaidForm
    title = gettext_lazy("Record the payment")
    confirm = gettext_lazy("Record that this payroll has been paid?")
    success_message = gettext_lazy("The payment is recorded.")

    def act(self, data):
        services.payroll_run_mark_paid(
            run=self.get_run(), paid_on=data["paid_on"], paid_by=self.request.user
        )


class RunReverseView(RunActionView):
    permission_required = "payroll.approve_payrollrun"
    form_class = ReverseForm
    title = gettext_lazy("Reverse the run")
    confirm = gettext_lazy(
        "Reverse this payroll run? The household income it wrote is offset; the month can then "
        "be run again."
    )
    success_message = gettext_lazy("The run is reversed.")

    def act(self, data):
        services.payroll_run_reverse(
            run=self.get_run(), reason=data["reason"], reversed_by=self.request.user
        )


class TaxPaymentAddView(RunActionView):
    """Record a payment of one of the run's taxes; an overpayment is refused on the form."""

    permission_required = "payroll.add_taxpayment"
    form_class = TaxPaymentForm
    title = gettext_lazy("Record a tax payment")
    success_message = gettext_lazy("The tax payment is recorded.")

    def get_initial(self):
        wanted = self.request.GET.get("obligation")
        lines = {line.obligation: line for line in obligations.run_obligations(self.get_run())}
        line = lines.get(wanted)
        return {"obligation": wanted, "amount": line.unpaid} if line else {}

    def act(self, data):
        services.tax_payment_record(run=self.get_run(), recorded_by=self.request.user, **data)


class AdjustmentAddView(RunActionView):
    permission_required = "payroll.add_adjustment"
    form_class = AdjustmentForm
    title = gettext_lazy("Add an adjustment")
    success_message = gettext_lazy("The adjustment is added and the payslips recomputed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "run": self.get_run()}

    def act(self, data):
        services.adjustment_add(run=self.get_run(), created_by=self.request.user, **data)


class AdjustmentDeleteView(RunActionView):
    permission_required = "payroll.delete_adjustment"
    title = gettext_lazy("Remove the adjustment")
    confirm = gettext_lazy("Remove this adjustment?")
    success_message = gettext_lazy("The adjustment is removed.")

    def act(self, data):
        adjustment = Adjustment.objects.filter(
            run=self.get_run(), pk=self.kwargs["adjustment"]
        ).first()
        if adjustment is None:
            raise Http404
        services.adjustment_delete(adjustment=adjustment, deleted_by=self.request.user)


class AdvanceSetView(RunActionView):
    permission_required = "payroll.add_advance"
    form_class = AdvanceForm
    title = gettext_lazy("Enter an advance")
    success_message = gettext_lazy("The advance is recorded and the payslips recomputed.")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "run": self.get_run()}

    def act(self, data):
        services.advance_set(run=self.get_run(), entered_by=self.request.user, **data)


class AdvanceDeleteView(RunActionView):
    permission_required = "payroll.delete_advance"
    title = gettext_lazy("Remove the advance")
    confirm = gettext_lazy("Remove this advance?")
    success_message = gettext_lazy("The advance is removed.")

    def act(self, data):
        advance = Advance.objects.filter(run=self.get_run(), pk=self.kwargs["advance"]).first()
        if advance is None:
            raise Http404
        services.advance_delete(advance=advance, deleted_by=self.request.user)


class DeductionOrdersView(PermissionAccessMixin, ServiceFormView):
    """One contract's deduction orders, and the form to enter one (or change one named in
    the URL). The contract is reached through payroll's scope: 404 outside it."""

    permission_required = "payroll.view_deductionorder"
    template_name = "payroll/deduction_orders.html"
    form_class = DeductionOrderForm

    def get_employment(self):
        if not hasattr(self, "_employment"):
            from enterprises.models import Employment
            from payroll.models.runs import payroll_scope

            employments = Employment.objects.select_related("person", "position__enterprise")
            condition = payroll_scope(self.request.user, "position__")
            if condition is not None:
                employments = employments.filter(condition)
            self._employment = employments.filter(pk=self.kwargs["employment"]).first()
            if self._employment is None:
                raise Http404
        return self._employment

    def get_order(self):
        if "order" not in self.kwargs:
            return None
        order = DeductionOrder.objects.filter(
            employment=self.get_employment(), pk=self.kwargs["order"]
        ).first()
        if order is None:
            raise Http404
        return order

    def has_permission(self):
        allowed = super().has_permission()
        if allowed:
            self.get_employment()
            if self.request.method == "POST":
                perm = "change" if "order" in self.kwargs else "add"
                allowed = self.request.user.has_perm(f"payroll.{perm}_deductionorder")
        return allowed

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.get_order()}

    def get_context_data(self, **kwargs):
        user = self.request.user
        return {
            **super().get_context_data(**kwargs),
            "employment": self.get_employment(),
            "orders": list(self.get_employment().deduction_orders.order_by("starts_on", "id")),
            "editing": self.get_order(),
            "can_add": user.has_perm("payroll.add_deductionorder"),
            "can_change": user.has_perm("payroll.change_deductionorder"),
        }

    def perform(self, form):
        return services.deduction_order_save(
            order=self.get_order(),
            employment=self.get_employment(),
            data=form.cleaned_data,
            saved_by=self.request.user,
        )

    def get_success_message(self):
        return _("The deduction order is saved; it applies to the runs drafted from now on.")

    def get_success_url(self):
        return reverse("payroll:deduction_orders", args=[self.get_employment().pk])


def document_language(request) -> str:
    language = request.GET.get("lang") or (get_language() or "uz")[:2]
    return language if language in documents.LANGUAGES else "uz"


class RegisterDownloadView(DownloadMixin, RunMixin, PermissionAccessMixin, View):
    download_kind = PERSONAL
    permission_required = "payroll.view_payrollrun"

    def get(self, request, *args, fmt, **kwargs):
        run = self.get_run()
        language = document_language(request)
        name = f"payroll-{run.enterprise_id}-{run.month:%Y-%m}-{language}"
        if fmt == "pdf":
            response = HttpResponse(
                documents.register_pdf(run, language), content_type="application/pdf"
            )
        else:
            response = HttpResponse(
                documents.register_xlsx(run, language),
                content_type=XLSX_CONTENT_TYPE,
            )
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
        return response


class PaymentFileView(DownloadMixin, RunMixin, PermissionAccessMixin, View):
    """The bank payment file (CSV) or the cash list (PDF) of an approved run: personal data
    (card numbers, names), so through the download door as such. A draft or reversed run's
    is refused with a message on the run page (docs/payroll.md)."""

    download_kind = PERSONAL
    permission_required = "payroll.view_payrollrun"

    def get(self, request, *args, fmt, **kwargs):
        run = self.get_run()
        try:
            payments.refuse_unless_payable(run)
            lists = payments.payment_lists(run)
            if fmt == "csv":
                content, content_type = payments.bank_csv(run, lists), payments.CSV_CONTENT_TYPE
                name = f"bank-payment-{run.enterprise_id}-{run.month:%Y-%m}.csv"
            else:
                language = document_language(request)
                content = payments.cash_list_pdf(run, lists, language)
                content_type = "application/pdf"
                name = f"cash-list-{run.enterprise_id}-{run.month:%Y-%m}-{language}.pdf"
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(run)
        response = HttpResponse(content, content_type=content_type)
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response


class RegisterQueueView(RunMixin, PermissionAccessMixin, View):
    """The register page's PDF button: the register is made in the background (a long run
    takes longer than a request may), then waits in My files."""

    permission_required = jobs.REGISTER_PERMISSION
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        run = self.get_run()
        if not may_download(request.user, PERSONAL):
            raise PermissionDenied
        language = request.POST.get("lang") or document_language(request)
        if language not in documents.LANGUAGES:
            language = "uz"
        return queue_and_show(
            request,
            kind=jobs.REGISTER_PDF,
            params={"run": run.pk, "language": language},
            title=jobs.register_title(run, language),
        )


class PayslipDetailView(ScopedAccessMixin, DetailView):
    model = Payslip
    permission_required = "payroll.view_payslip"
    template_name = "payroll/payslip_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("run__enterprise", "person", "family")

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "lines": payslip_lines(self.object),
            "languages": documents.LANGUAGES,
        }


class PayslipPdfView(DownloadMixin, ScopedAccessMixin, DetailView):
    download_kind = PERSONAL
    model = Payslip
    permission_required = "payroll.view_payslip"

    def get_queryset(self):
        return super().get_queryset().select_related("run__enterprise", "person", "family")

    def render_to_response(self, context, **kwargs):
        payslip = self.object
        language = document_language(self.request)
        response = HttpResponse(
            documents.payslip_pdf(payslip, language), content_type="application/pdf"
        )
        response["Content-Disposition"] = (
            f'inline; filename="payslip-{payslip.pk}-{payslip.run.month:%Y-%m}-{language}.pdf"'
        )
        return response
