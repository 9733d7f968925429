"""The OpenAPI schema also names the error answers every API view may give."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular import openapi
from rest_framework import permissions
from rest_framework.pagination import PageNumberPagination

ERROR = {
    "type": "object",
    "properties": {"detail": {"type": "string"}, "error": {"type": "string"}},
}


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's, plus 400 everywhere (a refused input), 404 where the path names an
    object (not found, or not visible to the caller) or a page number is past the end, 403
    where the view needs a signed-in user (SessionAuthentication answers 403, not 401, to
    anonymous callers), and 429 where the view is throttled."""

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        bodies = super()._get_response_bodies(direction)
        if direction != "response":
            return bodies
        error = self._get_response_for_code(ERROR, "404")
        # Any request may be refused: a NUL anywhere (core.middleware), a filter or a field out
        # of its bounds (core.api.filters, the serializers), each named in the answer.
        bodies.setdefault("400", {**error, "description": _("Refused input, each field said")})
        if "{" in self.path:
            bodies.setdefault(
                "404", {**error, "description": _("Not found, or not visible to you")}
            )
        if isinstance(self._get_paginator(), PageNumberPagination):
            bodies.setdefault("404", {**error, "description": _("No such page")})
        open_to_all = all(isinstance(p, permissions.AllowAny) for p in self.view.get_permissions())
        if not open_to_all:
            bodies.setdefault("403", {**error, "description": _("Sign in first")})
        if self.view.get_throttles():
            bodies.setdefault("429", {**error, "description": _("Too many requests")})
        return bodies
