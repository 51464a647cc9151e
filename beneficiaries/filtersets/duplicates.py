import django_filters
from django.utils.translation import gettext_lazy as _

from beneficiaries.choices import DuplicateReason, DuplicateStatus
from beneficiaries.models import DuplicateCandidate


class DuplicateFilterSet(django_filters.FilterSet):
    """The review queue: the pairs to review by default, or those decided; by what found them."""

    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=DuplicateStatus.choices,
        empty_label=None,
        null_value=None,
        help_text=_("To review, or decided: not the same person, or merged."),
    )
    reason = django_filters.ChoiceFilter(
        label=_("Found by"), choices=DuplicateReason.choices, empty_label=_("Any")
    )

    class Meta:
        model = DuplicateCandidate
        fields = ["status", "reason"]

    def __init__(self, data=None, *args, **kwargs):
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = DuplicateStatus.OPEN
        super().__init__(data, *args, **kwargs)
