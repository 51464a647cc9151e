"""Form widgets rendered by Jinja2 where Django ships a Jinja2 template for them.

A select's every option is a template include: through the template engine the family
list's filter form took a quarter of the page's time, through Jinja2's compiled templates
a few milliseconds. The admin's own widgets exist only as Django templates, so anything
Jinja2 does not have is rendered as before.
"""

from django.forms.renderers import BaseRenderer, DjangoTemplates, Jinja2
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property


class JinjaFirstRenderer(BaseRenderer):
    @cached_property
    def _jinja2(self):
        return Jinja2()

    @cached_property
    def _django(self):
        return DjangoTemplates()

    def get_template(self, template_name):
        try:
            return self._jinja2.get_template(template_name)
        except TemplateDoesNotExist:
            return self._django.get_template(template_name)
