"""Parts of the borehole page that the apps above wells add (openwisp's manner: the page names
none of them).

wells shows what it owns (the column log, levels, chemistry, the tests' raw series); an app
that derives something from a borehole (field_tests: its analyses) registers a panel from its
`AppConfig.ready()`, and the page renders every registered panel in registration order. So
wells imports no app above it, and a new app adds to the page without wells knowing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

# (borehole, user, the user stewards the borehole's region) -> the template's context, or None
# to leave the panel out.
PanelContext = Callable[[Any, Any, bool], Mapping[str, Any] | None]


@dataclass(frozen=True)
class Panel:
    """A template an app adds to the borehole page, with the function giving its context."""

    template: str
    context: PanelContext


_PANELS: list[Panel] = []


def register(template: str, context: PanelContext) -> None:
    """Add a panel to the borehole page (ready() may run again: the same panel once)."""
    panel = Panel(template, context)
    if panel not in _PANELS:
        _PANELS.append(panel)


def panels() -> list[Panel]:
    return list(_PANELS)


def render(request: HttpRequest, borehole: Any, steward: bool) -> list[SafeString]:
    """Every registered panel that has something to show for `borehole`, rendered."""
    rendered = []
    for panel in _PANELS:
        context = panel.context(borehole, request.user, steward)
        if context is not None:
            rendered.append(render_to_string(panel.template, dict(context), request=request))
    return rendered
