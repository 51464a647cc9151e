from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = _("Vocational training")

    def ready(self):
        from beneficiaries.scopes import register_person_scope
        from beneficiaries.timeline import register_timeline_source
        from training.access import trainer_person_scope
        from training.timeline import training_timeline

        register_person_scope(trainer_person_scope)
        register_timeline_source(training_timeline)
