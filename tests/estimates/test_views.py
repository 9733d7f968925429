"""The estimate page, its report and its API: the form at a map point, the result with its
sources, an A4 PDF in the user's language, and no link that leaks unpublished data."""

from __future__ import annotations

import re
import zlib

import pytest
from django.urls import reverse

from estimates.models import Estimate
from tests.estimates.test_service import YOSHIOKA, gunma  # noqa: F401 - the computed fixture

OFFICE_FORM = {
    "lat": str(YOSHIOKA.y),
    "lon": str(YOSHIOKA.x),
    "loads": "use",
    "building_use": "office",
    "floor_area_m2": "800",
    "system": "open_loop",
}


def test_the_form_to_the_result_page(client, gunma) -> None:  # noqa: F811
    form = client.get(reverse("estimates:design"), {"lat": YOSHIOKA.y, "lon": YOSHIOKA.x})
    assert form.status_code == 200
    assert b"kerosene-boiler" in form.content  # the region's baselines to choose from
    response = client.post(reverse("estimates:design"), OFFICE_FORM)
    assert response.status_code == 302
    estimate = Estimate.objects.get()
    assert estimate.inputs["floor_area_m2"] == 800.0
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="design-table"' in html
    assert 'id="bands-table"' in html
    assert "YOS-T1" in html  # the water sample behind the heat-exchanger verdict
    assert "YOSHIOKA-2014" in html  # a unit price's source, in the provenance list
    assert 'id="chart-loads"' in html
    # the baseline compared against (Gunma's default, kerosene boiler η 0.846) and that its
    # purchase is not credited: the reference data prices no boiler
    row = re.search(r'id="baseline-row">(.*?)</tr>', html, re.S)[1]
    assert "Kerosene boiler (0.85, the region&#x27;s default)" in row
    capex_row = re.search(r'id="baseline-capex-row">(.*?)</tr>', html, re.S)[1]
    assert "not counted" in capex_row
    japanese = client.get(f"/ja/design/{estimate.token}/")
    page_ja = japanese.content.decode()
    assert "灯油ボイラー" in re.search(r'id="baseline-row">(.*?)</tr>', page_ja, re.S)[1]
    assert "算入していません" in page_ja


@pytest.mark.parametrize(
    ("language", "names"),
    [
        # fixtures/gunma/reference.json: each baseline's name in that language
        (
            "en",
            ("Kerosene boiler", "LPG boiler", "Air-source heat pump", "Air-source air conditioner"),
        ),
        ("ja", ("灯油ボイラー", "LPG ボイラー", "空気熱源ヒートポンプ", "空気熱源エアコン")),
        ("ru", ("Керосиновый котёл", "Котёл на сжиженном газе", "Воздушный кондиционер")),
        ("tg", ("Дегхонаи керосинӣ", "Дегхонаи гази моеъ", "Кондитсионери ҳавоӣ")),
    ],
)
def test_the_replaces_options_are_labelled_in_the_users_language(
    client,
    gunma,  # noqa: F811
    language,
    names,
) -> None:
    form = client.get(f"/{language}/design/", {"lat": YOSHIOKA.y, "lon": YOSHIOKA.x})
    assert form.status_code == 200
    html = form.content.decode()
    options = re.findall(r'<option value="([a-z-]+)"[^>]*>([^<]*)</option>', html)
    labelled = {code: label for code, label in options}
    assert all(label.strip() for label in labelled.values()), options
    for name in names:
        assert any(label.startswith(name) for label in labelled.values()), (name, options)
    # the region's default is named beside "region default": Gunma heats with kerosene
    assert names[0] in re.search(r'name="baseline_heating"><option value="">([^<]*)<', html)[1]


@pytest.mark.parametrize(
    ("change", "words"),
    [({"floor_area_m2": "abc"}, "not a number"), ({"lat": "10", "lon": "10"}, "outside every")],
)
def test_a_form_that_cannot_be_answered_says_why(client, gunma, change, words) -> None:  # noqa: F811
    response = client.post(reverse("estimates:design"), {**OFFICE_FORM, **change})
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Estimate.objects.exists()


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its compressed streams (object streams included) inflated."""
    out = pdf
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out += zlib.decompress(match.group(1))
        except zlib.error:
            continue
    return out


def test_the_printed_report_is_an_a4_pdf_in_japanese(client, gunma) -> None:  # noqa: F811
    client.post(reverse("estimates:design"), OFFICE_FORM)
    estimate = Estimate.objects.get()
    response = client.get(f"/ja/design/{estimate.token}/report.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    objects = _inflated(pdf)
    assert re.search(rb"/[A-Z]{6}\+Noto-Sans-CJK-JP", objects)  # a Japanese subset, embedded
    assert re.search(rb"/MediaBox \[0 0 595\.\d+ 841\.\d+\]", objects)  # A4 in points


def test_the_api_answers_and_refuses_with_reasons(client, gunma) -> None:  # noqa: F811
    body = {
        "lat": YOSHIOKA.y,
        "lon": YOSHIOKA.x,
        "inputs": {
            "loads": "use",
            "building_use": "school",
            "floor_area_m2": 2000,
            "system": "open_loop",
        },
    }
    response = client.post(reverse("api:estimate-create"), body, content_type="application/json")
    assert response.status_code == 200, response.content
    answer = response.json()
    assert answer["state"] == "done"
    assert answer["result"]["design"]["kind"] == "open_loop"
    again = client.get(reverse("api:estimate-detail", args=[answer["token"]]))
    assert again.json()["result"] == answer["result"]
    bad = client.post(reverse("api:estimate-create"), {"lat": "x"}, content_type="application/json")
    assert bad.status_code == 400
    assert "lat" in bad.json()["error"]


def test_an_estimate_from_unpublished_data_is_not_shown_by_link(client, gunma, personas) -> None:  # noqa: F811
    client.post(reverse("estimates:design"), OFFICE_FORM)
    estimate = Estimate.objects.get()
    Estimate.objects.filter(pk=estimate.pk).update(uses_unpublished=True)
    url = reverse("estimates:result", args=[estimate.token])
    assert client.get(url).status_code == 404
    assert client.get(reverse("estimates:report", args=[estimate.token])).status_code == 404
    assert client.get(reverse("api:estimate-detail", args=[estimate.token])).status_code == 404
    client.force_login(personas["gunma_steward"])
    assert client.get(url).status_code == 200


def test_an_estimate_that_screened_an_unpublished_water_sample_opens_only_for_its_maker(
    client,
    gunma,  # noqa: F811
    personas,
) -> None:
    """The maps use no water chemistry, so they stay public when the sample is withdrawn; the
    steward, who still sees the sample, gets it in their open-loop estimate (issue 18 item 4)."""
    from wells.models import WaterChemistrySample

    WaterChemistrySample.objects.filter(borehole__code="YOS-T1").update(published=False)
    steward = personas["gunma_steward"]
    steward.groups.add(gunma.steward_group)
    client.force_login(steward)
    response = client.post(reverse("estimates:design"), OFFICE_FORM)
    assert response.status_code == 302
    estimate = Estimate.objects.get()
    assert estimate.result["design"]["water_chemistry"]["borehole"] == "YOS-T1"
    assert estimate.uses_unpublished is True
    url = reverse("estimates:result", args=[estimate.token])
    assert client.get(url).status_code == 200  # its maker
    client.force_login(personas["planner"])
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404
    assert client.get(reverse("api:estimate-detail", args=[estimate.token])).status_code == 404
    # Asked anonymously, the same estimate screens no sample and is public.
    client.post(reverse("estimates:design"), OFFICE_FORM)
    public = Estimate.objects.exclude(pk=estimate.pk).get()
    assert public.result["design"]["water_chemistry"] is None
    assert public.uses_unpublished is False
    assert client.get(reverse("estimates:result", args=[public.token])).status_code == 200
