"""What the header needs to know about the signed-in person, computed only when shown."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core import roles


def people_link(request: HttpRequest) -> dict[str, Any]:
    """`show_people_link`: admins manage people there; stewards see their regions' stewards."""

    def visible() -> bool:
        user = request.user
        if not user.is_authenticated:
            return False
        return (
            roles.is_site_admin(user)
            or user.groups.filter(name__startswith=roles.STEWARD_GROUP_PREFIX).exists()
        )

    return {"show_people_link": visible}
