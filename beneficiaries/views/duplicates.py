"""The programme manager's review queue of people who may be registered twice."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import ListView, View

from accounts.access import PermissionAccessMixin, ScopedAccessMixin, get_scoped_object_or_404
from beneficiaries import duplicates
from beneficiaries.choices import DuplicateStatus
from beneficiaries.filtersets.duplicates import DuplicateFilterSet
from beneficiaries.forms.families import MergeForm
from beneficiaries.models import DuplicateCandidate, Person, PersonMerge
from common.views import ServiceFormView

PEOPLE = ("person_a__family__branch", "person_b__family__branch")


class DuplicateListView(ScopedAccessMixin, ListView):
    """The pairs to review, the oldest first, and the latest decisions."""

    model = DuplicateCandidate
    permission_required = "beneficiaries.view_duplicatecandidate"
    template_name = "beneficiaries/duplicate_list.html"
    paginate_by = 50

    def get_queryset(self):
        queryset = (
            super()
            .get_queryset()
            .select_related(
                *PEOPLE,
                "found_by",
                "confirmed_different_by",
                "decided_by",
                "merge__kept__family__branch",
            )
        )
        self.filter = DuplicateFilterSet(self.request.GET or None, queryset=queryset)
        if not self.filter.is_valid():
            return queryset.none()
        queryset = self.filter.qs
        if self.filter.form.cleaned_data["status"] != DuplicateStatus.OPEN:
            queryset = queryset.order_by("-decided_at", "-id")
        return queryset

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["filter"] = self.filter
        context["reviewing"] = (
            self.filter.is_valid()
            and self.filter.form.cleaned_data["status"] == DuplicateStatus.OPEN
        )
        context["may_decide"] = user.has_perm("beneficiaries.change_duplicatecandidate")
        return context


class CandidateMixin:
    permission_required = (
        "beneficiaries.view_duplicatecandidate",
        "beneficiaries.change_duplicatecandidate",
    )

    @cached_property
    def candidate(self):
        return get_scoped_object_or_404(
            DuplicateCandidate.objects.select_related(*PEOPLE),
            self.request.user,
            pk=self.kwargs["pk"],
            status=DuplicateStatus.OPEN,
        )


class DuplicateNotSameView(CandidateMixin, PermissionAccessMixin, View):
    """Two different people: the pair is remembered and never proposed again."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        try:
            duplicates.mark_not_same(candidate=self.candidate, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(a)s and %(b)s are marked as two different people.")
                % {"a": self.candidate.person_a.full_name, "b": self.candidate.person_b.full_name},
            )
        return redirect("beneficiaries:duplicate_list")


def record_counts(people: list[Person]) -> list[tuple[str, list[int]]]:
    """(kind of record, how many each person has), for the kinds either has: one query per
    kind of record pointing at a person, whatever the person has."""
    ids = [person.pk for person in people]
    rows = []
    for model, field in duplicates.person_relations():
        if model is PersonMerge:
            continue
        counts = dict(
            model._base_manager.filter(**{f"{field.attname}__in": ids})
            .values_list(field.attname)
            .annotate(n=Count("pk"))
            .order_by()
        )
        if counts:
            label = str(model._meta.verbose_name_plural)
            if field.name not in ("person",):
                label = f"{label}: {field.verbose_name}"
            rows.append((label, [counts.get(pk, 0) for pk in ids]))
    return rows


class DuplicateMergeView(CandidateMixin, PermissionAccessMixin, ServiceFormView):
    """Both records side by side with what each holds; the manager chooses which to keep."""

    form_class = MergeForm
    template_name = "beneficiaries/duplicate_merge.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidate": self.candidate}

    def get_context_data(self, **kwargs):
        people = [self.candidate.person_a, self.candidate.person_b]
        return super().get_context_data(
            candidate=self.candidate,
            people=people,
            counts=record_counts(people),
            clashes=duplicates.merge_clashes(*people),
            **kwargs,
        )

    def perform(self, form):
        keep = form.cleaned_data["keep"]
        return duplicates.person_merge(candidate=self.candidate, keep=keep, by=self.request.user)

    def get_success_message(self):
        return _("%(merged)s is merged into %(kept)s; every record is now theirs.") % {
            "merged": self.result.merged_name,
            "kept": self.result.kept_name,
        }

    def get_success_url(self):
        return self.result.kept.get_absolute_url()
