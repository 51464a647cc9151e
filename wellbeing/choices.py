"""Choices of the well-being modules (assessments, score)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AssessmentKind(models.TextChoices):
    INTAKE = "intake", _("Intake")
    SIX_MONTHLY = "six_monthly", _("Six-monthly")
    EXIT = "exit", _("Exit")
    FOLLOW_UP = "follow_up", _("Follow-up after exit")


class TrafficLight(models.TextChoices):
    GREEN = "green", _("Green")
    AMBER = "amber", _("Amber")
    RED = "red", _("Red")


class Trend(models.TextChoices):
    UP = "up", _("Improving")
    FLAT = "flat", _("Steady")
    DOWN = "down", _("Worsening")
