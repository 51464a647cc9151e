"""Pages about one family that read every app: its economic picture."""

from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from accounts.readlog import Kind as ReadKind
from accounts.readlog import record_read
from common.charts import score_chart
from reports.economy import family_economy
from wellbeing.views import FamilyWellbeingMixin


class FamilyEconomyView(FamilyWellbeingMixin, TemplateView):
    """Jobs, training, businesses, income against the poverty line and well-being of one
    family, each linking to its records. Sensitive like income (the income page's access,
    `FamilyWellbeingMixin`): caseworkers of the family's branch, programme managers and
    auditors; another role 403, a family out of scope 404."""

    permission_required = (
        "beneficiaries.view_incomerecord",
        "enterprises.view_jobplacement",
        "wellbeing.view_familyscore",
    )
    template_name = "reports/family_economy.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        record_read(self.request, ReadKind.PROGRESS, self.family)
        economy = family_economy(self.family, self.request.user)
        summary = economy["wellbeing"]
        context["economy"] = economy
        context["score_chart"] = score_chart(
            economy["assessments"],
            title=_("Well-being score over time"),
            description=_("The score of each assessment, 0 to 100, over the traffic-light bands."),
            rule=summary["rule"],
            labels={"green": _("Green"), "amber": _("Amber"), "red": _("Red")},
        )
        return context
