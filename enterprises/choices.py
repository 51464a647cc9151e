from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    SEWING = "sewing", _("Sewing and textiles")
    BAKERY = "bakery", _("Bakery and food")
    CRAFTS = "crafts", _("Crafts")
    AGRICULTURE = "agriculture", _("Agriculture and livestock")
    SERVICES = "services", _("Services")
    TRADE = "trade", _("Trade")
    OTHER = "other", _("Other")


class EnterpriseStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUSPENDED = "suspended", _("Suspended")
    CLOSED = "closed", _("Closed")


class PayBasis(models.TextChoices):
    MONTHLY = "monthly", _("Monthly salary")
    DAILY = "daily", _("Daily wage")
    HOURLY = "hourly", _("Hourly")
    PIECE = "piece", _("Piece rate")


class EmploymentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    ENDED = "ended", _("Ended")


class EndReason(models.TextChoices):
    RESIGNED = "resigned", _("Resigned")
    CONTRACT_ENDED = "contract_ended", _("Contract ended")
    DISMISSED = "dismissed", _("Dismissed")
    MOVED_AWAY = "moved_away", _("Moved away")
    OWN_BUSINESS = "own_business", _("Started own business")
    OTHER_JOB = "other_job", _("Found another job")
    OTHER = "other", _("Other")


class BusinessType(models.TextChoices):
    SELF_EMPLOYED = "self_employed", _("Self-employed")
    INDIVIDUAL_ENTREPRENEUR = "individual_entrepreneur", _("Individual entrepreneur")
    FAMILY_ENTERPRISE = "family_enterprise", _("Family enterprise")


class BusinessStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    APPROVED = "approved", _("Approved")
    STARTED = "started", _("Started")
    OPERATING = "operating", _("Operating")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    NOT_PROFITABLE = "not_profitable", _("Not profitable")
    HEALTH = "health", _("Health or family reasons")
    MOVED_AWAY = "moved_away", _("Moved away")
    FOUND_EMPLOYMENT = "found_employment", _("Found employment")
    NEVER_STARTED = "never_started", _("Never started")
    OTHER = "other", _("Other")


class SupportKind(models.TextChoices):
    GRANT = "grant", _("Grant")
    LOAN = "loan", _("Loan")


class PayDay(models.TextChoices):
    """When an enterprise pays a month's wages, and so from when its payroll may be approved
    (payroll.selectors.approval_opens_on)."""

    AFTER_MONTH = "after_month", _("After the month has ended")
    LAST_WORKING_DAY = "last_working_day", _("On the month's last working day")


class PlacementStage(models.TextChoices):
    """A job outside the social enterprises, from the search to the job itself."""

    SEARCH = "search", _("Job search")
    REFERRAL = "referral", _("Referral to an employer")
    PLACED = "placed", _("Placement")


class ContractKind(models.TextChoices):
    FORMAL = "formal", _("Formal contract")
    INFORMAL = "informal", _("Informal")


class WorkingTime(models.TextChoices):
    FULL_TIME = "full", _("Full time")
    PART_TIME = "part", _("Part time")


class WageVerification(models.TextChoices):
    DECLARED = "declared", _("Declared by the person")
    PAYSLIP = "payslip", _("Payslip seen")
    EMPLOYER = "employer", _("Confirmed by the employer")


# Retention checks of a placement: this many months after its start.
RETENTION_MONTHS = (3, 6, 12)


class PaymentMethod(models.TextChoices):
    """How an employee's pay reaches them: to a card or account (the bank payment file), or
    in cash against a signature (the cash list)."""

    BANK = "bank", _("Bank transfer (card or account)")
    CASH = "cash", _("Cash")
