from django.urls import path

from payroll import document_views, tax_views, views

app_name = "payroll"

urlpatterns = [
    path("payroll/", views.RunListView.as_view(), name="run_list"),
    path("payroll/runs/new/", views.RunCreateView.as_view(), name="run_create"),
    path("payroll/runs/<int:pk>/", views.RunDetailView.as_view(), name="run_detail"),
    path("payroll/runs/<int:pk>/redraft/", views.RunRedraftView.as_view(), name="run_redraft"),
    path(
        "payroll/runs/<int:pk>/working-days/",
        views.WorkingDaysView.as_view(),
        name="run_working_days",
    ),
    path("payroll/runs/<int:pk>/discard/", views.RunDeleteView.as_view(), name="run_delete"),
    path("payroll/runs/<int:pk>/approve/", views.RunApproveView.as_view(), name="run_approve"),
    path("payroll/runs/<int:pk>/paid/", views.RunPaidView.as_view(), name="run_paid"),
    path("payroll/runs/<int:pk>/reverse/", views.RunReverseView.as_view(), name="run_reverse"),
    path(
        "payroll/runs/<int:pk>/taxes/pay/",
        views.TaxPaymentAddView.as_view(),
        name="tax_payment_add",
    ),
    path("payroll/taxes/", tax_views.TaxSummaryIndexView.as_view(), name="tax_index"),
    path(
        "payroll/taxes/<int:enterprise>/",
        tax_views.TaxSummaryView.as_view(),
        name="tax_summary",
    ),
    path(
        "payroll/taxes/<int:enterprise>/<int:year>.xlsx",
        tax_views.TaxSummaryXlsxView.as_view(),
        name="tax_summary_xlsx",
    ),
    path(
        "payroll/runs/<int:pk>/adjustments/new/",
        views.AdjustmentAddView.as_view(),
        name="adjustment_add",
    ),
    path(
        "payroll/runs/<int:pk>/adjustments/<int:adjustment>/remove/",
        views.AdjustmentDeleteView.as_view(),
        name="adjustment_delete",
    ),
    path("payroll/runs/<int:pk>/advances/new/", views.AdvanceSetView.as_view(), name="advance_set"),
    path(
        "payroll/runs/<int:pk>/advances/<int:advance>/remove/",
        views.AdvanceDeleteView.as_view(),
        name="advance_delete",
    ),
    path(
        "payroll/contracts/<int:employment>/deductions/",
        views.DeductionOrdersView.as_view(),
        name="deduction_orders",
    ),
    path(
        "payroll/contracts/<int:employment>/deductions/<int:order>/",
        views.DeductionOrdersView.as_view(),
        name="deduction_order_edit",
    ),
    path(
        "payroll/runs/<int:pk>/register.pdf",
        views.RegisterDownloadView.as_view(),
        {"fmt": "pdf"},
        name="register_pdf",
    ),
    path(
        "payroll/runs/<int:pk>/register/queue/",
        views.RegisterQueueView.as_view(),
        name="register_queue",
    ),
    path(
        "payroll/runs/<int:pk>/register.xlsx",
        views.RegisterDownloadView.as_view(),
        {"fmt": "xlsx"},
        name="register_xlsx",
    ),
    path(
        "payroll/runs/<int:pk>/bank-payment.csv",
        views.PaymentFileView.as_view(),
        {"fmt": "csv"},
        name="bank_file",
    ),
    path(
        "payroll/runs/<int:pk>/cash-list.pdf",
        views.PaymentFileView.as_view(),
        {"fmt": "pdf"},
        name="cash_list",
    ),
    path("payroll/payslips/<int:pk>/", views.PayslipDetailView.as_view(), name="payslip_detail"),
    path("payroll/payslips/<int:pk>/pdf/", views.PayslipPdfView.as_view(), name="payslip_pdf"),
]

# The documents for employees (income certificates, their public page, the year's statement).
urlpatterns += document_views.urlpatterns
