"""What the apps above the core show on a family's page, beside the timeline.

The core imports no other app, yet the family's page shows its well-being. An app registers
a panel here (in its AppConfig.ready): a template and a function (family, user) -> the
template's context, or None when the user may not see it.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class FamilyPanel:
    template: str
    context: Callable[[object, object], dict | None]


_panels: list[FamilyPanel] = []


def register_family_panel(panel: FamilyPanel) -> FamilyPanel:
    if panel not in _panels:
        _panels.append(panel)
    return panel


def panels_for(family, user) -> list[dict]:
    """[{"template": ..., "context": {...}}] for every panel the user may see."""
    shown = []
    for panel in _panels:
        context = panel.context(family, user)
        if context is not None:
            shown.append({"template": panel.template, "context": context})
    return shown
