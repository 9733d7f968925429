"""What the header needs from ingest: whether to show the link to the upload pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from core.models import Region


def uploads_link(request: HttpRequest) -> dict[str, Any]:
    """`show_uploads_link`: the person stewards a region (or is an admin), asked of the gate
    only when the header is rendered."""

    def visible() -> bool:
        user = request.user
        return bool(user.is_authenticated and Region.objects.visible_to(user, "steward").exists())

    return {"show_uploads_link": visible}
