from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DaycareConfig(AppConfig):
    name = "daycare"
    verbose_name = _("Day care at the social centres")

    def ready(self):
        from beneficiaries.panels import FamilyPanel, register_family_panel
        from daycare.selectors import family_daycare, session_children_in_care
        from training.register_notes import register_session_note

        register_family_panel(FamilyPanel("daycare/panels/family.html", family_daycare))
        register_session_note(session_children_in_care)
