"""The main menu: each entry shows when its page exists and the user may open it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str | None = None


# "menu" context: Django's admin translates "Home" differently and would win.
MENU = [
    MenuEntry(pgettext_lazy("menu", "Home"), "reports:home"),
    MenuEntry(
        pgettext_lazy("menu", "Families"), "beneficiaries:family_list", "beneficiaries.view_family"
    ),
    MenuEntry(
        pgettext_lazy("menu", "My referrals"),
        "beneficiaries:referral_queue",
        "beneficiaries.answer_referral",
    ),
    MenuEntry(pgettext_lazy("menu", "Training"), "training:cohort_list", "training.view_cohort"),
    MenuEntry(
        pgettext_lazy("menu", "Enterprises"),
        "enterprises:enterprise_list",
        "enterprises.view_socialenterprise",
    ),
    MenuEntry(
        pgettext_lazy("menu", "Businesses"),
        "enterprises:business_list",
        "enterprises.view_business",
    ),
    MenuEntry(pgettext_lazy("menu", "Payroll"), "payroll:run_list", "payroll.view_payrollrun"),
    MenuEntry(pgettext_lazy("menu", "Day care"), "daycare:home", "daycare.view_daycareplace"),
    MenuEntry(
        pgettext_lazy("menu", "Reports"), "reports:programme", "accounts.view_programme_reports"
    ),
    MenuEntry(pgettext_lazy("menu", "My files"), "accounts:my_files"),
    MenuEntry(pgettext_lazy("menu", "Read log"), "accounts:read_log", "accounts.view_readlogentry"),
]


def menu_for(user, current_path: str) -> list[dict]:
    entries = []
    for entry in MENU:
        if entry.permission and not user.has_perm(entry.permission):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue  # that capability has not landed yet
        active = current_path == "/" if url == "/" else current_path.startswith(url)
        entries.append({"label": entry.label, "url": url, "active": active})
    return entries
