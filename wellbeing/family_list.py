"""The family list's well-being column and filter, registered with the core
(`beneficiaries.family_list`) in WellbeingConfig.ready.

The score is sensitive: the column and the filter are offered to the roles that see
well-being (caseworkers, programme-wide roles), and a caseworker sees the light, and may
filter by it, only for the families of their own branches (as `FamilyScore.for_user`).
"""

from datetime import date

from django.db.models import Case, CharField, F, Q, Value, When
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries.access import NOTHING, caseworker_branch_ids
from beneficiaries.family_list import ListColumn, ListFilter
from common.tables import CellColumn
from wellbeing.choices import TrafficLight
from wellbeing.models import WellbeingRule
from wellbeing.selectors import (
    assessment_due_q,
    falling_back_q,
    light_conditions,
    ready_to_exit_q,
)

LIGHTS = dict(TrafficLight.choices)
READY = "ready"
DUE = "due"
FALLING_BACK = "falling_back"


def sees_wellbeing(user) -> bool:
    return sees_whole_programme(user) or has_role(user, Role.CASEWORKER)


def _sensitive(user) -> Q:
    """The families whose well-being the user may see."""
    if sees_whole_programme(user):
        return Q()
    branch_ids = caseworker_branch_ids(user)
    return Q(branch_id__in=branch_ids) if branch_ids else NOTHING


def _annotate(rows, user):
    if sees_whole_programme(user):
        return rows.annotate(wellbeing_light=F("score__light"), wellbeing_score=F("score__score"))
    shown = _sensitive(user)
    return rows.annotate(
        wellbeing_light=Case(
            When(shown, then=F("score__light")), default=Value(""), output_field=CharField()
        ),
        wellbeing_score=Case(When(shown, then=F("score__score")), default=None),
    )


def _light_html(family):
    light = getattr(family, "wellbeing_light", "") or ""
    if not light:
        return None
    return format_html(
        '<span class="badge light-{}" data-light="{}">{} · {}</span>',
        light,
        light,
        LIGHTS.get(light, light),
        family.wellbeing_score if family.wellbeing_score is not None else "—",
    )


def light_column():
    return CellColumn(
        verbose_name=_("Well-being"),
        value=lambda f: LIGHTS.get(getattr(f, "wellbeing_light", "")) or None,
        html=_light_html,
        default="—",
        orderable=False,
    )


COLUMN = ListColumn(
    name="wellbeing",
    after="status",
    column=light_column,
    annotate=_annotate,
    shown_to=sees_wellbeing,
)


def choices() -> list[tuple[str, str]]:
    return [
        (READY, _("Ready to exit")),
        (TrafficLight.GREEN.value, _("Green")),
        (TrafficLight.AMBER.value, _("Amber")),
        (TrafficLight.RED.value, _("Red")),
        ("unassessed", _("Not assessed")),
        (DUE, _("Assessment due or due soon")),
        (FALLING_BACK, _("Falling back after exit")),
    ]


def condition(choice: str, user, day: date) -> Q | None:
    """Families in service ready to exit, by their light, due for an assessment or falling
    back after exit: the conditions the caseworker panel's tiles count
    (wellbeing.selectors), among the families whose well-being the user sees."""
    if choice == READY:
        found = ready_to_exit_q()
    elif choice == DUE:
        found = assessment_due_q(day, WellbeingRule.current())
    elif choice == FALLING_BACK:
        found = falling_back_q()
    else:
        found = light_conditions().get(choice)
    return None if found is None else found & _sensitive(user)


FILTER = ListFilter(
    name="wellbeing",
    label=_("Well-being"),
    choices=choices,
    condition=condition,
    shown_to=sees_wellbeing,
)
