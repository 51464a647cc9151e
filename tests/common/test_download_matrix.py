"""Every download × every role: the door (common.downloads) lets through exactly the roles
that may take each kind of data out.

The downloads are collected from the URLconf (every view that declares a download kind), so
a new one fails `test_every_download_is_in_the_matrix` until it is given a case here.
"""

import datetime

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import ReadLogEntry
from common.downloads import AGGREGATE, PERSONAL, declared_download_kind, may_download
from payroll import services as payroll_services
from payroll.certificates import income_certificate_issue
from tests.factories import PersonFactory
from tests.payroll.conftest import MARCH
from tests.payroll.factories import SocialEnterpriseFactory, hire
from tests.training.factories import CohortFactory, EnrolmentFactory, QualificationFactory
from tests.wellbeing.factories import household, record_levels

pytestmark = pytest.mark.django_db

FEBRUARY = datetime.date(2025, 2, 1)

PERIOD = {"start": "2020-01-01", "end": "2026-12-31"}
PERSONAS = ("director", "caseworker", "caseworker_tashkent", "trainer", "manager", "auditor")
ALL_CASEWORKERS = {"director", "caseworker", "caseworker_tashkent"}


def declared_downloads() -> dict[str, str]:
    """{"namespace:name": kind} of every URL pattern whose view declares a download kind."""
    found = {}

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, names)
            elif isinstance(pattern, URLPattern):
                kind = declared_download_kind(pattern.callback)
                if kind is not None:
                    found[":".join([*namespaces, pattern.name])] = kind

    walk(get_resolver().url_patterns, [])
    return found


# name -> (kind, the personas that may open what it is about, how to build its URLs)
# A list's URLs carry ?_export= for each format it offers; the others are files themselves.
CASES = {
    "reports:programme": (
        AGGREGATE,
        {"director", "auditor"},
        lambda w: [
            (reverse("reports:programme"), {**PERIOD, "_export": f}) for f in ("xlsx", "pdf")
        ],
    ),
    "reports:figure": (
        PERSONAL,
        {"director", "auditor"},
        lambda w: exports(reverse("reports:figure", args=["children"]), PERIOD),
    ),
    "reports:programme_outcome": (
        PERSONAL,
        {"director", "auditor"},
        lambda w: exports(reverse("reports:programme_outcome", args=["completers"]), PERIOD),
    ),
    "reports:course_outcome": (
        PERSONAL,
        {"director", "auditor"},
        lambda w: exports(reverse("reports:course_outcome", args=[w.course.pk, "completers"])),
    ),
    "beneficiaries:family_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"auditor"},
        lambda w: exports(reverse("beneficiaries:family_list")),
    ),
    "beneficiaries:family_import_template": (
        AGGREGATE,
        ALL_CASEWORKERS,
        lambda w: [
            (reverse("beneficiaries:family_import_template", args=[f]), {}) for f in ("csv", "xlsx")
        ],
    ),
    "training:cohort_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"trainer", "auditor"},
        lambda w: exports(reverse("training:cohort_list")),
    ),
    "training:enrolment_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"trainer", "auditor"},
        lambda w: exports(reverse("training:enrolment_list")),
    ),
    "training:certificate_pdf": (
        PERSONAL,
        {"director", "caseworker", "trainer", "auditor"},
        lambda w: [(reverse("training:certificate_pdf", args=[w.qualification.pk, "uz"]), {})],
    ),
    "enterprises:enterprise_list": (
        AGGREGATE,
        ALL_CASEWORKERS | {"manager", "auditor"},
        lambda w: exports(reverse("enterprises:enterprise_list")),
    ),
    "enterprises:employment_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"manager", "auditor"},
        lambda w: exports(reverse("enterprises:employment_list")),
    ),
    "enterprises:business_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"auditor"},
        lambda w: exports(reverse("enterprises:business_list")),
    ),
    "enterprises:placement_list": (
        PERSONAL,
        ALL_CASEWORKERS | {"auditor"},
        lambda w: exports(reverse("enterprises:placement_list")),
    ),
    "payroll:run_list": (
        AGGREGATE,
        {"director", "manager", "auditor"},
        lambda w: exports(reverse("payroll:run_list")),
    ),
    "payroll:register_pdf": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:register_pdf", args=[w.run.pk]), {"lang": "en"})],
    ),
    "payroll:register_xlsx": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:register_xlsx", args=[w.run.pk]), {})],
    ),
    "payroll:bank_file": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:bank_file", args=[w.approved_run.pk]), {})],
    ),
    "payroll:cash_list": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:cash_list", args=[w.approved_run.pk]), {"lang": "en"})],
    ),
    "payroll:tax_summary_xlsx": (
        AGGREGATE,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:tax_summary_xlsx", args=[w.enterprise.pk, 2025]), {})],
    ),
    "payroll:payslip_pdf": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [(reverse("payroll:payslip_pdf", args=[w.payslip.pk]), {"lang": "en"})],
    ),
    "payroll:certificate_pdf": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [
            (reverse("payroll:certificate_pdf", args=[w.certificate.pk, lang]), {})
            for lang in ("uz", "ru", "en")
        ],
    ),
    "payroll:year_statement_pdf": (
        PERSONAL,
        {"director", "manager", "auditor"},
        lambda w: [
            (
                reverse(
                    "payroll:year_statement_pdf",
                    args=[w.run.enterprise_id, w.payslip.person_id, MARCH.year],
                ),
                {"lang": "ru"},
            )
        ],
    ),
    "wellbeing:income_list": (
        PERSONAL,
        {"director", "caseworker", "auditor"},
        lambda w: exports(reverse("wellbeing:income_list", args=[w.family.pk])),
    ),
    "wellbeing:progress_pdf": (
        PERSONAL,
        {"director", "caseworker", "auditor"},
        lambda w: [(reverse("wellbeing:progress_pdf", args=[w.family.pk]), {})],
    ),
}


def exports(url, params=None):
    return [(url, {**(params or {}), "_export": f}) for f in ("csv", "xlsx")]


@pytest.fixture
def world(personas, samarkand):
    from types import SimpleNamespace

    from payroll.models import StatutoryRule
    from payroll.rules_defaults import load_default_rules

    load_default_rules(StatutoryRule)
    family = household(
        3, branch=samarkand, caseworker=personas.caseworker, intake_date=datetime.date(2024, 1, 1)
    )
    record_levels(family, datetime.date(2025, 2, 1), {}, kind="intake", default=2)
    cohort = CohortFactory(branch=samarkand, trainer=personas.trainer)
    person = PersonFactory(family=family)
    enrolment = EnrolmentFactory(
        cohort=cohort, person=person, status="completed", ended_on=cohort.start_date
    )
    enterprise = SocialEnterpriseFactory(
        name="Mehr", managers=[personas.manager], tax_number="305123456"
    )
    employment = hire(enterprise, rate="3000000")
    employment.person.pinfl = "31705900123456"
    employment.person.save()
    february = payroll_services.payroll_run_generate(enterprise=enterprise, month=FEBRUARY)
    payroll_services.payroll_run_approve(run=february)
    run = payroll_services.payroll_run_generate(enterprise=enterprise, month=MARCH)
    return SimpleNamespace(
        family=family,
        course=cohort.course,
        qualification=QualificationFactory(enrolment=enrolment),
        run=run,
        approved_run=february,
        enterprise=enterprise,
        payslip=run.payslips.first(),
        certificate=income_certificate_issue(
            enterprise=enterprise,
            person=employment.person,
            first_month=FEBRUARY,
            last_month=MARCH,
        ),
    )


def test_every_download_is_in_the_matrix():
    declared = declared_downloads()
    assert set(declared) == set(CASES), "a download without a matrix case, or a stale case"
    for name, kind in declared.items():
        assert CASES[name][0] == kind, name


def test_the_auditor_may_read_personal_files_but_not_take_them_out(personas):
    assert not may_download(personas.auditor, PERSONAL)
    assert may_download(personas.auditor, AGGREGATE)
    for persona in ("director", "caseworker", "trainer", "manager"):
        assert may_download(getattr(personas, persona), PERSONAL), persona


@pytest.mark.parametrize("name", sorted(CASES))
def test_role_by_download(client_for, personas, world, name):
    kind, sees, build = CASES[name]
    for persona in (*PERSONAS, "outsider"):
        user = getattr(personas, persona)
        client = client_for(user)
        for url, params in build(world):
            before = ReadLogEntry.objects.count()
            response = client.get(url, params)
            where = (persona, url, params)
            if persona in sees and may_download(user, kind):
                assert response.status_code == 200, where
                assert response.has_header("Content-Disposition"), where
                entry = ReadLogEntry.objects.first()
                assert ReadLogEntry.objects.count() == before + 1, where
                assert (entry.user, entry.kind, entry.data_kind) == (user, "download", kind)
                assert entry.path == url
            elif persona in sees:  # sees the data, may not take it out: the door
                assert response.status_code == 403, where
                assert ReadLogEntry.objects.count() == before, where
            else:
                assert response.status_code in (403, 404), where
                assert not response.has_header("Content-Disposition"), where


def list_exports() -> list[str]:
    """The downloads that are a page's `?_export=` (ExportGuardMixin), from the URLconf."""
    from common.exports import ExportGuardMixin

    found = []

    def walk(patterns, namespaces):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                names = [*namespaces, pattern.namespace] if pattern.namespace else namespaces
                walk(pattern.url_patterns, names)
            elif isinstance(pattern, URLPattern):
                view_class = getattr(pattern.callback, "view_class", None)
                if view_class is not None and issubclass(view_class, ExportGuardMixin):
                    found.append(":".join([*namespaces, pattern.name]))

    walk(get_resolver().url_patterns, [])
    return sorted(found)


@pytest.mark.parametrize("name", list_exports())
def test_a_format_not_offered_is_400_with_a_message(client_for, personas, world, name):
    url, params = CASES[name][2](world)[0]
    offered = {params["_export"] for _, params in CASES[name][2](world)}
    client = client_for(personas.director)
    for wanted in ("json", "pdf", "csv", "docx", "x" * 500, "csv\x00"):
        if wanted in offered:
            continue
        response = client.get(url, {**params, "_export": wanted})
        assert response.status_code == 400, (url, wanted)
        assert "It offers" in response.content.decode(), (url, wanted)
        assert not response.has_header("Content-Disposition")
