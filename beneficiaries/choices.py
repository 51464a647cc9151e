from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop


class FamilyStatus(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACTIVE = "active", _("Active")
    EXITED = "exited", _("Exited")
    CLOSED = "closed", _("Closed without success")


class ExitReason(models.TextChoices):
    WELL_BEING_RESTORED = "well_being_restored", _("Well-being restored")
    MOVED_AWAY = "moved_away", _("Moved away")
    DECLINED = "declined_services", _("Declined services")
    OTHER = "other", _("Other")


class ReferralSource(models.TextChoices):
    SELF = "self", _("Family itself")
    MAKHALLA = "makhalla", _("Makhalla committee")
    SCHOOL = "school", _("School or kindergarten")
    HEALTH = "health", _("Polyclinic or hospital")
    GUARDIANSHIP = "guardianship", _("Guardianship authority")
    NGO = "ngo", _("Other organisation")
    OTHER = "other", _("Other")


class Sex(models.TextChoices):
    FEMALE = "F", _("Female")
    MALE = "M", _("Male")


class Relationship(models.TextChoices):
    HEAD = "head", _("Head of household")
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    GRANDCHILD = "grandchild", _("Grandchild")
    PARENT = "parent", _("Parent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_RELATIVE = "relative", _("Other relative")
    OTHER = "other", _("Other")


class EducationLevel(models.TextChoices):
    NONE = "none", _("No formal education")
    PRESCHOOL = "preschool", _("Pre-school")
    PRIMARY = "primary", _("Primary")
    SECONDARY = "secondary", _("General secondary")
    VOCATIONAL = "vocational", _("Vocational secondary")
    HIGHER = "higher", _("Higher")


class Disability(models.TextChoices):
    NONE = "none", _("None")
    GROUP_1 = "group_1", _("Group I")
    GROUP_2 = "group_2", _("Group II")
    GROUP_3 = "group_3", _("Group III")
    CHILD = "child", _("Child with disability")


class IncomeSource(models.TextChoices):
    ENTERPRISE_WAGES = "enterprise_wages", _("Wages at a social enterprise")
    BUSINESS_PROFIT = "business_profit", _("Business profit")
    EMPLOYMENT = "employment", _("Other employment")
    PLACEMENT_WAGES = "placement_wages", _("Wages from a job placement")
    PENSIONS_BENEFITS = "pensions_benefits", _("Pensions and benefits")
    REMITTANCES = "remittances", _("Remittances")
    OTHER = "other", _("Other")


# Sources that only their own app writes, through `income_record_upsert` in the transaction of
# the fact: wages from approved payroll runs (payroll), profit from a business's monthly
# follow-ups and wages from job placements (enterprises). Entered by hand beside those
# records they would count twice, so a caseworker's manual income
# (wellbeing.services.income_record_*) may not use them.
APP_WRITTEN_SOURCES = {
    IncomeSource.ENTERPRISE_WAGES: _(
        "Wages at a social enterprise come only from its approved payroll runs: they cannot be "
        "entered by hand."
    ),
    IncomeSource.BUSINESS_PROFIT: _(
        "Business profit comes only from the business's monthly follow-ups: record a follow-up "
        "on the business instead."
    ),
    IncomeSource.PLACEMENT_WAGES: _(
        "Wages from a job placement come only from the placement the caseworker records: "
        "record or correct the placement instead."
    ),
}


# The branches ship as data (migration 0002); their names are translated through these.
BRANCH_NAMES = [
    gettext_noop("Tashkent"),
    gettext_noop("Urgench"),
    gettext_noop("Samarkand"),
]


class LivingArrangement(models.TextChoices):
    """Where a child lives: at home, or in one of the forms of care the programme prevents."""

    WITH_FAMILY = "with_family", _("With the family")
    SHORT_TERM_CARE = "short_term_care", _("Short-term care centre")
    ALTERNATIVE_CARE = "alternative_care", _("Alternative care")


# The members counted among "children" of a family in the programme's figures.
CHILDREN = [Relationship.CHILD, Relationship.GRANDCHILD]

# Arrangements away from the family: a child who goes from one of these back to the family
# counts among "children returned to their families".
IN_CARE = [LivingArrangement.SHORT_TERM_CARE, LivingArrangement.ALTERNATIVE_CARE]


class PlanDomain(models.TextChoices):
    ECONOMIC = "economic", _("Economic situation")
    HOUSING = "housing", _("Housing")
    HEALTH = "health", _("Health")
    EDUCATION = "education", _("Education")
    CHILD_PROTECTION = "child_protection", _("Child protection")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial well-being")


class GoalStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    IN_PROGRESS = "in_progress", _("In progress")
    ACHIEVED = "achieved", _("Achieved")
    DROPPED = "dropped", _("Dropped")


class ConsentPurpose(models.TextChoices):
    PROCESSING = "processing", _("Processing of personal data for the programme")
    SHARING = "sharing", _("Sharing with a named partner")
    PHOTOS = "photos", _("Photos and publication")
    CONTACT = "contact", _("Contact by phone or messenger")


class ConsentStatus(models.TextChoices):
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class DuplicateReason(models.TextChoices):
    PINFL = "pinfl", _("Same PINFL")
    NAME_BIRTH = "name_birth", _("Same name and birth date")


class DuplicateStatus(models.TextChoices):
    OPEN = "open", _("To review")
    NOT_SAME = "not_same", _("Not the same person")
    MERGED = "merged", _("Merged")


class DuplicateFoundIn(models.TextChoices):
    REGISTRATION = "registration", _("Registration")
    IMPORT = "import", _("Import")
    CHECK = "check", _("Periodic check")


class ReferralService(models.TextChoices):
    """The services a family member is referred to: the centre's own (internal), handled by
    a specialist of the centre, or an outside partner's (external)."""

    PSYCHOLOGIST = "psychologist", _("Psychologist")
    LAWYER = "lawyer", _("Lawyer")
    DAY_CARE = "day_care", _("Day care")
    TRAINING = "training", _("Training")
    EMPLOYMENT = "employment", _("Employment help")
    CLINIC = "clinic", _("Clinic")
    MAKHALLA = "makhalla", _("Makhalla committee")
    STATE_CENTRE = "state_centre", _("State centre")
    ORGANISATION = "organisation", _("Another organisation")


# The centre's own services: an internal referral is assigned to one of its specialists; the
# others go to an outside partner, named on the referral, and share the member's data.
INTERNAL_SERVICES = frozenset(
    {
        ReferralService.PSYCHOLOGIST,
        ReferralService.LAWYER,
        ReferralService.DAY_CARE,
        ReferralService.TRAINING,
        ReferralService.EMPLOYMENT,
    }
)


class ReferralUrgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    SERVED = "served", _("Service given")
    CLOSED = "closed", _("Closed")
    DECLINED = "declined", _("Declined")
