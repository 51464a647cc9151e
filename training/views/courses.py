"""The course catalogue and each course's outcomes."""

from django.utils.translation import gettext_lazy
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from accounts.access import PermissionAccessMixin, ScopedAccessMixin
from training import selectors
from training.filtersets import CourseFilterSet
from training.forms import CourseForm
from training.models import Course
from training.tables import CourseTable


class CourseListView(ScopedAccessMixin, SingleTableMixin, FilterView):
    permission_required = "training.view_course"
    model = Course
    table_class = CourseTable
    filterset_class = CourseFilterSet
    template_name = "training/course_list.html"
    table_pagination = {"per_page": 50}

    def get_queryset(self):
        return selectors.courses_for_list(self.request.user)


class CourseDetailView(ScopedAccessMixin, DetailView):
    permission_required = "training.view_course"
    model = Course
    template_name = "training/course_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        course = self.object
        context["outcomes"] = selectors.course_outcomes(course, self.request.user)
        context["cohorts"] = selectors.cohorts_for_list(self.request.user).filter(course=course)
        return context


class CourseCreateView(PermissionAccessMixin, CreateView):
    permission_required = "training.add_course"
    model = Course
    form_class = CourseForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("New course")}


class CourseUpdateView(ScopedAccessMixin, UpdateView):
    permission_required = "training.change_course"
    model = Course
    form_class = CourseForm
    template_name = "training/form.html"
    extra_context = {"title": gettext_lazy("Edit course")}
