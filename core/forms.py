"""Form fields every page shares: numbers read as the page's language writes them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.lib.numbers import NumberRefused, parse_number


class LocalizedNumberField(forms.Field):
    """A number typed on a page in the active language (core.lib.numbers), finite, within
    [min_value, max_value]; an ambiguous entry is refused with a message, never misread."""

    default_error_messages = {
        "invalid": _("“%(value)s” is not a number as written in this language."),
        "ambiguous": _(
            "“%(value)s” is ambiguous here: write 1200 or 1 200 for twelve hundred, 1,2 for "
            "one point two."
        ),
        "finite": _("“%(value)s” is not a finite number."),
        "min_value": _("Must be at least %(limit)s."),
        "max_value": _("Must be at most %(limit)s."),
    }

    def __init__(
        self, *, min_value: float | None = None, max_value: float | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_value, self.max_value = min_value, max_value

    def to_python(self, value: Any) -> float | None:
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        text = str(value)
        try:
            number = parse_number(text, get_language() or "en")
        except NumberRefused as exc:
            raise forms.ValidationError(
                self.error_messages[exc.reason], code=exc.reason, params={"value": text[:64]}
            ) from exc
        if self.min_value is not None and number < self.min_value:
            raise forms.ValidationError(
                self.error_messages["min_value"], code="min_value", params={"limit": self.min_value}
            )
        if self.max_value is not None and number > self.max_value:
            raise forms.ValidationError(
                self.error_messages["max_value"], code="max_value", params={"limit": self.max_value}
            )
        return number
