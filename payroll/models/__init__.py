from payroll.models.rules import StatutoryRule
from payroll.models.runs import Adjustment, PayrollRun, Payslip, ReversalLine, TimesheetEntry

__all__ = [
    "Adjustment",
    "PayrollRun",
    "Payslip",
    "ReversalLine",
    "StatutoryRule",
    "TimesheetEntry",
]
