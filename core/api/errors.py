"""How the API says no: one shape for every refusal of input.

A refusal of fields answers 400 with `{"error": "<field>: <message>; ...", "fields": {field:
[messages]}}`, the messages in the caller's language (DRF's own and ours, through gettext); a
body that cannot be read answers 400 (or 413) with `{"error": ..., "detail": ...}`. Other
errors (403, 404, 429) keep DRF's `{"detail": ...}`.
"""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def flatten(errors: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub": [messages]}."""
    if isinstance(errors, dict):
        out: dict[str, list[str]] = {}
        for key, value in errors.items():
            name = "non_field_errors" if key == "non_field_errors" and not prefix else str(key)
            out |= flatten(value, f"{prefix}.{name}" if prefix else name)
        return out
    if isinstance(errors, list) and errors and all(isinstance(e, dict | list) for e in errors):
        out = {}
        for index, value in enumerate(errors):
            out |= flatten(value, f"{prefix}.{index}" if prefix else str(index))
        return out
    messages = [str(e) for e in errors] if isinstance(errors, list) else [str(errors)]
    return {prefix or "non_field_errors": messages}


def refusal(errors: Any) -> dict[str, Any]:
    fields = flatten(errors)
    summary = "; ".join(
        f"{field}: {' '.join(messages)}" if field != "non_field_errors" else " ".join(messages)
        for field, messages in fields.items()
    )
    return {"error": summary, "fields": fields}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, exceptions.ValidationError):
        return Response(refusal(exc.detail), status=400)
    response = drf_exception_handler(exc, context)
    if (
        response is not None
        and response.status_code in (400, 413)
        and isinstance(response.data, dict)
    ):
        detail = str(response.data.get("detail", ""))
        response.data = {"error": detail, "detail": detail}
    return response


def validated(serializer_class: type[serializers.Serializer], data: Any, **kwargs: Any) -> Any:
    """`serializer_class(data=data)`'s validated data, or a ValidationError (a 400 above)."""
    serializer = serializer_class(data=data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data
