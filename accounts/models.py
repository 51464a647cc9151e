from django.db import models
from django.utils.translation import gettext_lazy as _


class Capability(models.Model):
    """Holds permissions that belong to no single record: reading history, exporting data.

    No table: the model exists so Django creates and assigns its permissions.
    """

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("capability")
        verbose_name_plural = _("capabilities")
        permissions = [
            ("view_history", _("Can see who changed a record and when")),
            ("export_personal_data", _("Can export lists that contain personal data")),
            ("view_programme_reports", _("Can see programme-wide reports")),
        ]

    def __str__(self):
        return str(self._meta.verbose_name)
