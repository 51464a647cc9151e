"""The figures of the programme report: name, definition and the records behind each one.

The same list drives the dashboard, the drill-down pages, the PDF's and the XLSX's methods
page and docs/reports.md, so a definition is written once.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from reports import selectors


@dataclass(frozen=True)
class Figure:
    slug: str
    key: str
    label: str
    definition: str
    records: Callable
    kind: str  # family, income, person, position, business, referral


FIGURES = [
    Figure(
        "families-served",
        "families_served",
        _("Families served"),
        _(
            "Families in service on at least one day of the period: intake on or before its "
            "last day, no exit before its first day; families only referred are not counted."
        ),
        selectors.families_served,
        "family",
    ),
    Figure(
        "children",
        "children",
        _("Children in those families"),
        _("Members of the families served recorded as child or grandchild of the household."),
        selectors.children,
        "person",
    ),
    Figure(
        "active-families",
        "active_families",
        _("Active families"),
        _("Families served that were still in service on the last day of the period."),
        selectors.active_families,
        "family",
    ),
    Figure(
        "exits",
        "exits",
        _("Families that left"),
        _("Families served whose case ended (exited or closed) within the period."),
        selectors.exits,
        "family",
    ),
    Figure(
        "restored-exits",
        "restored_exits",
        _("Left with well-being restored"),
        _(
            "Families that left within the period with the exit reason 'well-being restored'; "
            "the share is taken of all families that left within the period."
        ),
        selectors.restored_exits,
        "family",
    ),
    Figure(
        "restored-overrides",
        "restored_overrides",
        _("Of which approved by override"),
        _(
            "Of the families that left with well-being restored, those whose exit a "
            "programme manager approved on a caseworker's request although the exit "
            "checklist did not hold at the approval."
        ),
        selectors.restored_overrides,
        "family",
    ),
    Figure(
        "returned-children",
        "returned_children",
        _("Children returned to their families"),
        _(
            "Members of the families served who, within the period, came back to live with "
            "their family after a stay in short-term or alternative care."
        ),
        selectors.returned_children,
        "person",
    ),
    Figure(
        "people-trained",
        "people_trained",
        _("People trained"),
        _("People of the branch's families who completed a course within the period."),
        selectors.people_trained,
        "person",
    ),
    Figure(
        "people-certified",
        "people_certified",
        _("People certified"),
        _(
            "People of the branch's families given a certificate within the period that has "
            "not been revoked."
        ),
        selectors.people_certified,
        "person",
    ),
    Figure(
        "jobs-created",
        "jobs_created",
        _("Jobs created at social enterprises"),
        _(
            "Positions at the branch's social enterprises that the programme created and that "
            "opened within the period."
        ),
        selectors.jobs_created,
        "position",
    ),
    Figure(
        "jobs-filled",
        "jobs_filled",
        _("Jobs filled"),
        _("Jobs created within the period that a family member held on at least one day of it."),
        selectors.jobs_filled,
        "position",
    ),
    Figure(
        "businesses-started",
        "businesses_started",
        _("Businesses started"),
        _("Family businesses of the branch's families that started within the period."),
        selectors.businesses_started,
        "business",
    ),
    Figure(
        "businesses-reached",
        "businesses_reached",
        _("Businesses 12 months old"),
        _(
            "Businesses started within the period that had reached 12 months by the period's "
            "last day (or today, if earlier): the base of the survival rate."
        ),
        selectors.businesses_reached,
        "business",
    ),
    Figure(
        "businesses-survived",
        "businesses_survived",
        _("Businesses operating at 12 months"),
        _(
            "Of the businesses 12 months old, those operating on the day 12 months after their "
            "start; the survival rate is their share."
        ),
        selectors.businesses_survived,
        "business",
    ),
    Figure(
        "referrals-made",
        "referrals_made",
        _("Referrals made"),
        _(
            "Referrals of the branch's family members to a service (the centre's own or an "
            "outside partner's) sent within the period, whatever came of them."
        ),
        selectors.referrals_made,
        "referral",
    ),
    Figure(
        "referrals-completed",
        "referrals_completed",
        _("Referrals completed"),
        _(
            "Referrals whose service was given within the period, whenever they were sent; "
            "a referral declined or closed without the service is not completed."
        ),
        selectors.referrals_completed,
        "referral",
    ),
    Figure(
        "income-compared",
        "income_compared",
        _("Median change of income per person since intake"),
        _(
            "For families served with income recorded in two different months up to the "
            "period's end: household income per member in the latest recorded month minus "
            "that of the first recorded month (normally the intake); the median over those "
            "families. Members are counted as the family is recorded now."
        ),
        selectors.income_compared,
        "income",
    ),
    Figure(
        "above-poverty-line",
        "above_poverty_line",
        _("Families above the poverty line"),
        _(
            "Of the families served with income recorded up to the period's end and a poverty "
            "line in force in their latest recorded month, those whose income per member that "
            "month was at or above the line. Months before the first published line are not "
            "compared."
        ),
        selectors.above_poverty_line,
        "income",
    ),
    Figure(
        "poverty-compared",
        "poverty_compared",
        _("Families compared with the poverty line"),
        _("The base of the share above: families whose latest income month has a line."),
        selectors.poverty_compared,
        "income",
    ),
]

BY_SLUG = {figure.slug: figure for figure in FIGURES}
BY_KEY = {figure.key: figure for figure in FIGURES}
