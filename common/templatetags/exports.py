"""{% export_buttons %}: the CSV and XLSX links of a list page, through the one export door."""

from django import template

from common.exports import EXPORT_PARAM

register = template.Library()


@register.inclusion_tag("common/export_buttons.html", takes_context=True)
def export_buttons(context):
    """The page's own query (filters, sort) plus `_export=<format>`, without the page
    number (an export holds every row). Nothing when the role may not export."""
    request = context["request"]
    links = []
    if context.get("may_export"):
        for export_format in context.get("export_formats", ()):
            query = request.GET.copy()
            query.pop("page", None)
            query[EXPORT_PARAM] = export_format
            links.append((export_format, f"?{query.urlencode()}"))
    return {"links": links}


@register.simple_tag(takes_context=True)
def may_download(context, kind="personal"):
    """`{% may_download "personal" as ok %}`: whether the user may take such a file out
    (the download door's rule, common.downloads), to show its button or not."""
    from common.downloads import may_download as rule

    return rule(context["request"].user, kind)
