from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.access import SignedInAccessMixin
from accounts.roles import Role, has_role, sees_whole_programme
from beneficiaries import selectors as family_selectors
from beneficiaries.stale import ANY
from enterprises import selectors as enterprise_selectors
from payroll import selectors as payroll_selectors
from training import selectors as training_selectors
from wellbeing import selectors as selectors_wellbeing
from wellbeing import stale


class HomeView(SignedInAccessMixin, TemplateView):
    """Each role's dashboard: the figures of the work that role is responsible for."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        panels = []
        if sees_whole_programme(user):
            families = family_selectors.visible_families(user)
            panels.append(
                {
                    "title": _("Families in the programme"),
                    "template": "reports/panels/programme_families.html",
                    "counts": family_selectors.family_status_counts(families),
                    "branches": family_selectors.families_by_branch(families),
                }
            )
            panels.append(
                {
                    **_stale_panel(families, ""),
                    "worklist": has_role(user, Role.PROGRAMME_MANAGER),
                }
            )
            if user.has_perm("wellbeing.decide_exitrequest"):
                panels.append(
                    {
                        "title": _("Early exits awaiting a decision"),
                        "template": "reports/panels/exit_requests.html",
                        # The ones this manager may decide: not their own requests.
                        "count": selectors_wellbeing.pending_exit_requests(user)
                        .exclude(requested_by=user)
                        .count(),
                    }
                )
            panels.append(
                {
                    "title": _("Children"),
                    "template": "beneficiaries/panels/children.html",
                    # The programme report's definitions, over every day up to today.
                    "children": family_selectors.children_figures(
                        families, end=timezone.localdate()
                    ),
                }
            )
        elif has_role(user, Role.CASEWORKER):
            panels.append(
                {
                    "title": _("My caseload"),
                    "template": "reports/panels/caseload.html",
                    "counts": family_selectors.family_status_counts(
                        family_selectors.visible_families(user).filter(caseworker=user)
                    ),
                    "branch_total": family_selectors.visible_families(user).count(),
                }
            )
            panels.append(
                _stale_panel(
                    family_selectors.visible_families(user).filter(caseworker=user), "mine=on&"
                )
            )
            panels.append(selectors_wellbeing.caseworker_panel_context(user))
            panel = enterprise_selectors.retention_panel(user)
            if panel:
                panels.append(panel)
        if has_role(user, Role.ENTERPRISE_MANAGER):
            panel = enterprise_selectors.manager_panel(user)
            if panel:
                panels.append(panel)
            panel = payroll_selectors.payroll_status_panel(user)
            if panel:
                panels.append(panel)
        if has_role(user, Role.TRAINER):
            panels.append(
                {
                    "template": "training/panels/trainer.html",
                    **training_selectors.trainer_dashboard(user, timezone.localdate()),
                }
            )
        context["panels"] = panels
        return context


def _stale_panel(families, query: str) -> dict:
    """Tiles of the families overdue for each kind of work (wellbeing.stale), each linking to
    the family list filtered the same way (`query`: the list's other filters, e.g. mine)."""
    counts = stale.stale_counts(families)
    return {
        "title": _("Cases needing attention"),
        "template": "reports/panels/stale.html",
        "query": query,
        "tiles": [(ANY, _("Anything overdue"), counts["any"])]
        + [(code, label, counts[code]) for code, label in stale.KINDS],
    }
