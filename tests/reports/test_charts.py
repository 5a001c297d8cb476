"""Charts: long labels are wrapped between words, never cut in the middle of one."""

import re
from decimal import Decimal

from ressourcerie.reports import charts
from ressourcerie.reports.tables import COUNT, SHARE, SUPPRESSED, Column, Row, Table

ISOLATION = "Isolement (« mieux » : se sentir seul·e moins souvent)"


def texts(svg) -> list[str]:
    return [re.sub(r"&[a-z#0-9]+;", "", t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def impact_table(share=Decimal("0.5")) -> Table:
    return Table(
        key="impact",
        title="Résultats",
        columns=[Column(str(i), COUNT) for i in range(6)]
        + [Column("Part", SHARE), Column("Référence", SHARE)],
        rows=[
            Row("Bien-être", [1, 1, 0, 0, 0, 2, share, Decimal("0.87")]),
            Row(ISOLATION, [1, 1, 0, 0, 0, 2, share, None]),
        ],
        chart="impact",
    )


def test_a_long_label_goes_on_two_lines_cut_between_words():
    assert charts._wrap(ISOLATION) == [
        "Isolement (« mieux » : se sentir seul·e moins",
        "souvent)",
    ]
    assert charts._wrap("court") == ["court"]
    too_long = " ".join(["mot"] * 40)
    lines = charts._wrap(too_long)
    assert len(lines) == 2 and lines[1].endswith("…")
    assert all(len(line) <= charts.MAX_LABEL for line in lines)


def test_the_impact_chart_shows_the_whole_label_and_hidden_shares():
    svg = str(charts.impact_shares(impact_table()))
    assert "Isolement (« mieux » : se sentir seul·e moins" in svg
    assert ">souvent)</text>" in svg
    assert "…" not in svg
    hidden = str(charts.impact_shares(impact_table(SUPPRESSED)))
    assert "&lt; 5" in hidden


def test_bars_make_room_for_two_line_labels():
    table = Table(
        key="t",
        title="T",
        columns=[Column("n")],
        rows=[Row(ISOLATION, [7]), Row("Court", [3])],
    )
    svg = str(charts.bars(table))
    assert "souvent)" in texts(svg)
    height = int(re.search(r'viewBox="0 0 \d+ (\d+)"', svg).group(1))
    assert height == 2 * (24 + charts.LABEL_LINE) + 8
