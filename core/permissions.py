"""How views use the gate (core.querysets): fetch a row through it, or ask it a yes/no question.

Views never test a steward group or a role themselves: they call these, which call
`visible_to(user, action)` of the row's own queryset.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from core.querysets import Action


def get_or_404(queryset: Any, user: Any, action: Action = "view", **lookup: Any) -> Any:
    """The row `lookup` finds among those `user` may `action`.

    404 when `user` may not even see it (what a user may not see is not found); 403 when they
    see it but may not change it (a planner on a published region's upload page).
    """
    try:
        return queryset.visible_to(user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        pass
    if action != "view" and queryset.visible_to(user, "view").filter(**lookup).exists():
        raise PermissionDenied(_("Only the data stewards of this region may do this."))
    raise Http404


def may(user: Any, obj: models.Model, action: Action = "steward") -> bool:
    """Whether `user` may `action` `obj` (for a template's buttons; the views still fetch
    through get_or_404)."""
    manager: Any = type(obj)._default_manager
    return bool(manager.visible_to(user, action).filter(pk=obj.pk).exists())
