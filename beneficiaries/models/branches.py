from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.history import HistoricalRecordsBothSides


class Branch(models.Model):
    """A social centre of the programme in one city (Tashkent, Urgench, Samarkand)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.CharField(
        _("code"),
        max_length=3,
        unique=True,
        help_text=_("Three capital letters that start the branch's case numbers, e.g. SAM."),
    )
    city = models.CharField(_("city"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("branch")
        verbose_name_plural = _("branches")

    def __str__(self):
        # Branch names ship in the translation catalogues (Toshkent, Ташкент, ...).
        return gettext(self.name)


class Makhalla(models.Model):
    """A self-governing neighbourhood community in a branch's city."""

    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="makhallas", verbose_name=_("branch")
    )
    name = models.CharField(_("name"), max_length=150)

    class Meta:
        ordering = ["branch__name", "name"]
        verbose_name = _("makhalla")
        verbose_name_plural = _("makhallas")
        constraints = [
            models.UniqueConstraint(
                fields=["branch", "name"],
                name="unique_makhalla_per_branch",
                violation_error_message=_("This branch already has a makhalla of that name."),
            )
        ]

    def __str__(self):
        return self.name


class StaffProfile(models.Model):
    """What a staff member's work covers: the branches a caseworker serves."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="staff_profile",
        verbose_name=_("user"),
    )
    branches = models.ManyToManyField(
        Branch,
        blank=True,
        related_name="staff_profiles",
        verbose_name=_("branches"),
        help_text=_("A caseworker sees the families of these branches."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    # Who gave a caseworker which branches, and when: the branches decide what they may see.
    history = HistoricalRecordsBothSides(m2m_fields=[branches])

    class Meta:
        ordering = ["user__username"]
        verbose_name = _("staff profile")
        verbose_name_plural = _("staff profiles")

    def __str__(self):
        return str(self.user)
