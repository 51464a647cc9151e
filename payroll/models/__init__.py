from payroll.models.certificates import IncomeCertificate
from payroll.models.deductions import Advance, DeductionOrder, PayslipDeduction
from payroll.models.holidays import PublicHoliday
from payroll.models.obligations import TaxPayment
from payroll.models.rules import StatutoryRule
from payroll.models.runs import Adjustment, PayrollRun, Payslip, ReversalLine, TimesheetEntry

__all__ = [
    "Adjustment",
    "Advance",
    "DeductionOrder",
    "IncomeCertificate",
    "PayrollRun",
    "Payslip",
    "PayslipDeduction",
    "PublicHoliday",
    "ReversalLine",
    "StatutoryRule",
    "TaxPayment",
    "TimesheetEntry",
]
