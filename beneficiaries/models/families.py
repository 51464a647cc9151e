from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.choices import (
    Disability,
    EducationLevel,
    ExitReason,
    FamilyStatus,
    ReferralSource,
    Relationship,
    Sex,
)
from beneficiaries.models.branches import Branch, Makhalla
from beneficiaries.names import match_key
from beneficiaries.scopes import related_person_q
from common.validators import (
    validate_birth_date,
    validate_pinfl,
    validate_plain_text,
    validate_programme_date,
)

pinfl_validator = validate_pinfl
phone_validator = RegexValidator(
    r"^\+?[\d\s()-]{7,20}$", _("Enter a phone number such as +998 90 123 45 67.")
)


class FamilyQuerySet(models.QuerySet):
    def for_user(self, user):
        """Programme-wide roles see all; caseworkers their branches; others their people."""
        if sees_whole_programme(user):
            return self
        condition = NOTHING
        branch_ids = caseworker_branch_ids(user)
        if branch_ids:
            condition |= Q(branch_id__in=branch_ids)
        people = related_person_q(user)
        if people is not None:
            condition |= Q(pk__in=Person.objects.filter(people).values("family_id"))
        return self.filter(condition)


class Family(models.Model):
    """A household the programme serves, followed by one caseworker of a branch."""

    case_number = models.CharField(
        _("case number"),
        max_length=20,
        unique=True,
        editable=False,
        help_text=_("Given by the branch at registration, e.g. SAM-2016-0042."),
    )
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, related_name="families", verbose_name=_("branch")
    )
    makhalla = models.ForeignKey(
        Makhalla,
        on_delete=models.PROTECT,
        related_name="families",
        verbose_name=_("makhalla"),
        null=True,
        blank=True,
    )
    address = models.CharField(
        _("address"), max_length=255, blank=True, validators=[validate_plain_text]
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    caseworker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="caseload",
        verbose_name=_("caseworker"),
    )
    referral_source = models.CharField(
        _("referral source"),
        max_length=20,
        choices=ReferralSource.choices,
        default=ReferralSource.SELF,
    )
    intake_date = models.DateField(
        _("intake date"), default=timezone.localdate, validators=[validate_programme_date]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=FamilyStatus.choices, default=FamilyStatus.REFERRED
    )
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    exit_reason = models.CharField(
        _("exit reason"), max_length=30, choices=ExitReason.choices, blank=True
    )
    exit_notes = models.TextField(_("exit notes"), blank=True, validators=[validate_plain_text])
    consent_date = models.DateField(
        _("consent date"),
        null=True,
        blank=True,
        help_text=_("When the family agreed to the processing of its personal data."),
        validators=[validate_programme_date],
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("consent recorded by"),
    )
    notes = models.TextField(_("notes"), blank=True, validators=[validate_plain_text])
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    # Derived from the family and its members by beneficiaries.search.refresh, kept
    # so that the list can search, and sort by the head and the size, from an index.
    search_text = models.TextField(editable=False, blank=True, default="")
    head_name = models.CharField(
        _("head of household"), max_length=200, editable=False, blank=True, default=""
    )
    member_count = models.PositiveIntegerField(_("members"), editable=False, default=0)

    objects = FamilyQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["search_text", "head_name", "member_count"])

    class Meta:
        ordering = ["-intake_date", "-id"]
        verbose_name = _("family")
        verbose_name_plural = _("families")
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["caseworker", "status"]),
            models.Index(fields=["intake_date"]),
            # The list's order within a branch (and a status): a page reads 25 index
            # entries instead of sorting the whole branch (measured in bench/).
            models.Index(fields=["branch", "-intake_date", "-id"], name="family_branch_intake_idx"),
            models.Index(
                fields=["branch", "status", "-intake_date", "-id"],
                name="family_branch_status_idx",
            ),
            models.Index(fields=["-intake_date", "-id"], name="family_intake_id_idx"),
            # The list sorted by the head of household or the size, either way (read
            # backwards), in a branch or over the programme: a deep page skips index entries.
            models.Index(fields=["branch", "head_name", "id"], name="family_branch_head_idx"),
            models.Index(fields=["head_name", "id"], name="family_head_idx"),
            models.Index(fields=["branch", "member_count", "id"], name="family_branch_size_idx"),
            models.Index(fields=["member_count", "id"], name="family_size_idx"),
            # The programme report's counts of the families served in a period, overall
            # and per branch, read from these alone (not from the wide rows): at 100,000
            # families 13 and 33 ms instead of about 200 ms (bench/programme_dashboard.py).
            models.Index(
                fields=["intake_date", "exit_date", "status", "exit_reason", "branch"],
                name="family_period_idx",
            ),
            models.Index(
                fields=["branch", "intake_date", "exit_date", "status", "exit_reason"],
                name="family_branch_period_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[FamilyStatus.EXITED, FamilyStatus.CLOSED])
                | Q(exit_date__isnull=True),
                name="family_exit_date_only_when_left",
                violation_error_message=_("Only a family that has left has an exit date."),
            ),
            models.CheckConstraint(
                condition=~Q(status=FamilyStatus.EXITED) | Q(exit_date__isnull=False),
                name="family_exited_has_exit_date",
                violation_error_message=_("An exited family needs an exit date."),
            ),
        ]

    def __str__(self):
        return self.case_number

    def get_absolute_url(self):
        return reverse("beneficiaries:family_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        """Referred or active: the case can still change; after exit or closing it is read only."""
        return self.status in (FamilyStatus.REFERRED, FamilyStatus.ACTIVE)


class PersonQuerySet(models.QuerySet):
    def for_user(self, user):
        if sees_whole_programme(user):
            return self
        condition = NOTHING
        branch_ids = caseworker_branch_ids(user)
        if branch_ids:
            condition |= Q(family__branch_id__in=branch_ids)
        people = related_person_q(user)
        if people is not None:
            condition |= people
        return self.filter(condition)

    def looking_for_work(self):
        """Adults their caseworker marked as looking for work."""
        return self.adults().filter(looking_for_work_since__isnull=False)

    def adults(self, on=None):
        on = on or timezone.localdate()
        try:
            cutoff = on.replace(year=on.year - 18)
        except ValueError:  # 29 February
            cutoff = on.replace(year=on.year - 18, day=28)
        return self.filter(birth_date__lte=cutoff)


class Person(models.Model):
    """A member of a family: a parent or caregiver on the track, or a child."""

    family = models.ForeignKey(
        Family, on_delete=models.CASCADE, related_name="members", verbose_name=_("family")
    )
    full_name = models.CharField(_("full name"), max_length=200, validators=[validate_plain_text])
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), validators=[validate_birth_date])
    relationship = models.CharField(
        _("relationship to the head of household"),
        max_length=20,
        choices=Relationship.choices,
    )
    is_caregiver = models.BooleanField(
        _("caregiver"), default=False, help_text=_("Looks after the family's children.")
    )
    # NULL, not "", for "unknown": the unique constraint must ignore people without one.
    pinfl = models.CharField(  # noqa: DJ001
        _("PINFL"),
        max_length=14,
        null=True,
        blank=True,
        validators=[validate_pinfl],
        help_text=_("Personal identification number, 14 digits. Optional."),
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True, validators=[phone_validator])
    education_level = models.CharField(
        _("education level"), max_length=20, choices=EducationLevel.choices, blank=True
    )
    disability = models.CharField(
        _("disability"), max_length=10, choices=Disability.choices, default=Disability.NONE
    )
    # The caseworker's mark that an adult wants a job: enterprise managers hire among them.
    looking_for_work_since = models.DateField(
        _("looking for work since"),
        null=True,
        blank=True,
        help_text=_("Set by the family's caseworker; empty when not looking for work."),
    )
    looking_for_work_marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("marked as looking for work by"),
    )

    # beneficiaries.names.match_key of the full name, kept by save() (and by the import and
    # the periodic check for rows written in bulk): possible duplicates share it.
    name_key = models.CharField(max_length=255, editable=False, blank=True, default="")

    objects = PersonQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["name_key"])

    class Meta:
        ordering = ["family_id", "birth_date", "id"]
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        constraints = [
            models.UniqueConstraint(
                fields=["pinfl"],
                condition=Q(pinfl__isnull=False),
                name="unique_person_pinfl",
                violation_error_message=_("Another person already has this PINFL."),
            ),
            # An unknown PINFL is NULL, never "" (which the unique constraint would count).
            models.CheckConstraint(
                condition=~Q(pinfl=""),
                name="person_pinfl_not_blank",
                violation_error_message=_("An unknown PINFL is left empty."),
            ),
        ]
        indexes = [
            models.Index(fields=["full_name"]),
            # Children of a set of families, counted from the index alone (programme report).
            models.Index(fields=["family", "relationship"], name="person_family_relation_idx"),
            # The few adults looking for work, for the enterprises' hiring picker.
            models.Index(
                fields=["family"],
                condition=Q(looking_for_work_since__isnull=False),
                name="person_looking_for_work_idx",
            ),
            # Possible duplicates: the same name key and birth date (beneficiaries.duplicates).
            models.Index(fields=["name_key", "birth_date"], name="person_name_key_idx"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        if self.pinfl == "":
            self.pinfl = None  # blank means "not known", which must not clash with others
        self.name_key = match_key(self.full_name)
        if kwargs.get("update_fields") is not None and "full_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_key"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("beneficiaries:family_detail", args=[self.family_id])

    def age_on(self, day):
        years = day.year - self.birth_date.year
        if (day.month, day.day) < (self.birth_date.month, self.birth_date.day):
            years -= 1
        return years

    @property
    def age(self):
        return self.age_on(timezone.localdate())
