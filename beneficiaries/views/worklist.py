"""The caseworker's week: what is due or overdue for their families (beneficiaries.worklist)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.views.generic import TemplateView

from accounts.access import PermissionAccessMixin
from accounts.roles import Role, has_role
from beneficiaries.filtersets.worklist import WorklistFilterSet
from beneficiaries.selectors import visible_families
from beneficiaries.worklist import due_days, worklist


class WorklistView(PermissionAccessMixin, TemplateView):
    """A caseworker's own families; a programme manager's every family, or one caseworker's
    (the filter). Other roles: 403."""

    permission_required = "beneficiaries.view_family"
    template_name = "beneficiaries/worklist.html"

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not has_role(user, Role.CASEWORKER, Role.PROGRAMME_MANAGER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        families = visible_families(user)
        manager = has_role(user, Role.PROGRAMME_MANAGER)
        if manager:
            context["filter"] = WorklistFilterSet(self.request.GET or None, queryset=families)
            families = context["filter"].qs
        else:
            families = families.filter(caseworker=user)
        today = timezone.localdate()
        items = worklist(families, today)
        names = {}
        if manager:  # one query for the names of the caseworkers on the list
            ids = {item.family.caseworker_id for item in items}
            names = {
                staff.pk: staff.get_full_name() or staff.get_username()
                for staff in get_user_model().objects.filter(pk__in=ids)
            }
        context.update(
            rows=[(item, names.get(item.family.caseworker_id, "")) for item in items],
            today=today,
            days=due_days(),
            overdue=sum(item.due_on < today for item in items),
            show_caseworker=manager,
        )
        return context
