"""The main menu: each entry shows when its page exists and the user may open it."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url_name: str
    permission: str | None = None


MENU = [
    MenuEntry(_("Home"), "reports:home"),
    MenuEntry(_("Families"), "beneficiaries:family_list", "beneficiaries.view_family"),
    MenuEntry(_("Training"), "training:cohort_list", "training.view_cohort"),
    MenuEntry(_("Enterprises"), "enterprises:enterprise_list", "enterprises.view_socialenterprise"),
    MenuEntry(_("Businesses"), "enterprises:business_list", "enterprises.view_business"),
    MenuEntry(_("Payroll"), "payroll:run_list", "payroll.view_payrollrun"),
    MenuEntry(_("Reports"), "reports:programme", "accounts.view_programme_reports"),
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
