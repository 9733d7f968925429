"""Japanese soil and rock names (as logged in boring columns) → lithology classes. Pure.

A Japanese soil name puts its main constituent last: 砂混じり粘土 is a sandy *clay*, 粘土混じり
砂礫 a clayey *sandy gravel*. So the name is cut after its last 混じり (or まじり) and the main
part is matched, most specific keyword first (砂礫 before 砂, 砂岩 before 砂).
"""

from __future__ import annotations

import re

# Keyword → lithology class value (geology.choices.Lithology). Order matters: first match wins.
KEYWORDS: tuple[tuple[str, str], ...] = (
    ("埋土", "fill"),
    ("盛土", "fill"),
    ("表土", "topsoil"),
    ("耕作土", "topsoil"),
    ("腐植土", "peat"),
    ("泥炭", "peat"),
    ("風化岩", "weathered_rock"),
    ("礫岩", "conglomerate"),
    ("砂岩", "sandstone"),
    ("泥岩", "mudstone"),
    ("シルト岩", "mudstone"),
    ("頁岩", "mudstone"),
    ("石灰岩", "limestone"),
    ("琉球石灰岩", "limestone"),
    ("凝灰岩", "tuff"),
    ("安山岩", "andesite"),
    ("玄武岩", "basalt"),
    ("花崗岩", "granite"),
    ("花こう岩", "granite"),
    ("片麻岩", "gneiss"),
    ("片岩", "schist"),
    ("千枚岩", "schist"),
    ("玉石", "cobbles"),
    ("砂礫", "sandy_gravel"),
    ("礫", "gravel"),
    ("軽石", "pumice"),
    ("火山灰", "pumice"),
    ("ローム", "loam"),
    ("黄土", "loess"),
    ("レス", "loess"),
    ("粘土", "clay"),
    ("シルト", "silt"),
    ("砂", "sand"),
)
_MIXED = re.compile(r"(混じり|まじり|混り|交じり)")
_SEPARATORS = re.compile(r"[・/／、,]")


def classify(name: str) -> str | None:
    """Lithology class of a logged soil/rock name, or None when no keyword matches."""
    text = (name or "").strip()
    if not text:
        return None
    main = _MIXED.split(text)[-1] if _MIXED.search(text) else _SEPARATORS.split(text)[0]
    for part in (main, text):
        for keyword, lithology in KEYWORDS:
            if keyword in part:
                return lithology
    return None
