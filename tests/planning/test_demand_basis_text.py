"""The districts page says what each district's demand stands on in the page's language
(issue 22 item 9); the English `demand_basis` stays in the answer for machines."""

from __future__ import annotations

from django.utils import translation

from planning.services import demand_basis_text

YOSHIOKA = (21792, 40.0, "2020 census")  # population, m² per person (JPY), source


def test_the_demand_basis_is_said_in_japanese_russian_and_tajik() -> None:
    with translation.override("ja"):
        label, sentence = demand_basis_text("population", *YOSHIOKA)
        assert label == "人口からの推定"
        assert sentence == "推定：人口 21,792 人 × 1 人あたり住宅床面積 40 m²（2020 census）。"
        assert demand_basis_text("stock", None, 40.0, "")[0] == "建物ストック"
    with translation.override("ru"):
        label, sentence = demand_basis_text("population", *YOSHIOKA)
        assert label == "оценка по населению"
        assert sentence.startswith("Оценка: население 21\xa0792 × 40 м²")  # grouped the ru way
        assert demand_basis_text("unknown", None, 40.0, "")[0] == "неизвестно"
    with translation.override("tg"):
        assert demand_basis_text("population", *YOSHIOKA)[0] == "баҳо аз рӯи аҳолӣ"


def test_english_says_the_same() -> None:
    label, sentence = demand_basis_text("population", *YOSHIOKA)
    assert label == "estimate from population"
    assert sentence == ("Estimate: population 21,792 × 40 m² of housing per person (2020 census).")
