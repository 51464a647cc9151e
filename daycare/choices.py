from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

# A child's day at the centre: at most a long working day and the journey.
MAX_CARE_HOURS = Decimal(12)
# Under this age a family member is a child the centre may care for.
CHILD_AGE_LIMIT = 18


class CareReason(models.TextChoices):
    """Why the child was in care that day, as the register found it."""

    TRAINING = "training", _("Parent's training session")
    WORK = "work", _("Parent's working day at a social enterprise")
    OTHER = "other", _("Other or not known")
