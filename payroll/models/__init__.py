from payroll.models.certificates import IncomeCertificate
from payroll.models.holidays import PublicHoliday
from payroll.models.obligations import TaxPayment
from payroll.models.rules import StatutoryRule
from payroll.models.runs import Adjustment, PayrollRun, Payslip, ReversalLine, TimesheetEntry

__all__ = [
    "Adjustment",
    "IncomeCertificate",
    "PayrollRun",
    "Payslip",
    "PublicHoliday",
    "ReversalLine",
    "StatutoryRule",
    "TaxPayment",
    "TimesheetEntry",
]
