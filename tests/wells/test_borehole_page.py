"""The public borehole page: the column, levels and chemistry of a borehole, as published."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.wells import files


@pytest.fixture
def gunma_steward(gunma):
    steward = UserFactory(username="gina")
    steward.groups.add(gunma.steward_group)
    return steward


@pytest.mark.django_db
def test_the_borehole_page_draws_the_column_and_lists_the_chemistry(client, import_file):
    import_file("b.csv", files.table_csv(files.YOSHIOKA_BOREHOLE))
    import_file("c.csv", files.table_csv(files.published(files.YOSHIOKA_COLUMN)))
    import_file("w.csv", files.table_csv(files.published(files.YOSHIOKA_CHEMISTRY)))
    import_file("l.csv", files.table_csv(files.published(files.YOSHIOKA_LEVELS)))
    html = client.get(reverse("wells:borehole", args=["gunma", "YOS-1"])).content.decode()
    assert html.count("<rect ") == 7  # seven layers drawn
    assert "22.3–53.8 m 砂礫・玉石混じり砂礫・粘土混じり砂礫 ⚠" in html  # deeper than the hole
    assert "<td>62</td>" in html  # SO₄ 62 mg/L shown back in mg/L
    assert "<td>&lt;0.05</td>" in html  # Cu below detection
    assert "<td>38.6</td>" in html  # EC in mS/m
    assert html.count("<circle ") == 6  # six water levels plotted
    assert "1.6–33.29 m, 2013-08-26 – 2013-12-24" in html
    assert "temperature-profile" not in html  # the LAS log is not published: not shown


@pytest.mark.django_db
def test_an_unpublished_borehole_page_is_404_to_the_public(client, import_file, gunma_steward):
    rows = [list(r) for r in files.YOSHIOKA_BOREHOLE]
    rows[2][rows[0].index("published")] = "false"
    import_file("b.csv", files.table_csv(rows))
    url = reverse("wells:borehole", args=["gunma", "YOS-1"])
    assert client.get(url).status_code == 404
    client.force_login(gunma_steward)
    assert client.get(url).status_code == 200
