import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from accounts.models import ReadLogEntry
from common.downloads import KIND_LABELS


class ReadLogTable(tables.Table):
    at = tables.DateTimeColumn(verbose_name=_("When"), short=True)
    username = tables.Column(verbose_name=_("User"))
    kind = tables.Column(verbose_name=_("What was read"))
    data_kind = tables.Column(verbose_name=_("Kind of data"))
    path = tables.Column(verbose_name=_("Address"))
    query = tables.Column(verbose_name=_("Query"))

    class Meta:
        model = ReadLogEntry
        fields = ["at", "username", "kind", "data_kind", "path", "query"]
        order_by = ["-at"]
        attrs = {"class": "table"}

    def render_data_kind(self, value):
        return KIND_LABELS.get(value, value)
