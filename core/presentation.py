"""Numbers and unit symbols as each language writes them, for pages and API answers.

Values are converted by core.lib.units (pure); here they get the active language's decimal
and thousands separators (Django's localisation: 1,234.5 in en and ja, 1 234,5 in ru and tg)
and unit symbols in that language's convention (W/m in en and ja, Вт/м in ru and tg).
"""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.translation import pgettext_lazy

MINUS_SIGN = "−"  # U+2212: typeset minus, as in "−5 °C"

# Unit symbols by language. Russian and Tajik share the Cyrillic symbols (GOST 8.417);
# Japanese writes SI symbols in Latin letters. Symbols not listed are written as stored.
UNIT_SYMBOLS = {
    "W/m": pgettext_lazy("unit symbol", "W/m"),
    "W/(m·K)": pgettext_lazy("unit symbol", "W/(m·K)"),
    "W": pgettext_lazy("unit symbol", "W"),
    "kW": pgettext_lazy("unit symbol", "kW"),
    "K": pgettext_lazy("unit symbol", "K"),
    "°C": pgettext_lazy("unit symbol", "°C"),
    "m": pgettext_lazy("unit symbol", "m"),
    "km²": pgettext_lazy("unit symbol", "km²"),
    "m³/h": pgettext_lazy("unit symbol", "m³/h"),
    "L/min": pgettext_lazy("unit symbol", "L/min"),
}


def unit_symbol(unit: str) -> str:
    """`unit` as the active language writes it."""
    symbol = UNIT_SYMBOLS.get(unit)
    return str(symbol) if symbol is not None else unit


def format_number(value: float, decimals: int | None = None) -> str:
    """`value` with the active language's separators, grouped, with a typeset minus sign.

    `decimals` None keeps up to 2 decimals below 100 and none above (3 significant figures is
    what the maps support), trailing zeros dropped.
    """
    if decimals is None:
        decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
        rounded = round(abs(value), decimals)
        while decimals > 0 and round(rounded, decimals - 1) == rounded:
            decimals -= 1
    text = number_format(abs(value), decimal_pos=decimals, use_l10n=True, force_grouping=True)
    negative = round(value, decimals) < 0
    return f"{MINUS_SIGN}{text}" if negative else text


def format_quantity(value: float, unit: str, decimals: int | None = None) -> str:
    """`value` and its unit symbol, e.g. "−5 °C", "1 234,5 кВт", "100 m"."""
    # A no-break space keeps number and unit on one line (SI brochure §5.4.3: a space before
    # every unit symbol, °C included).
    return f"{format_number(value, decimals)}\u00a0{unit_symbol(unit)}"
