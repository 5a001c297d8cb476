"""Charts as inline SVG, drawn on the server so the dashboard and the PDF show the same."""

from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext as _
from markupsafe import Markup, escape

from ressourcerie.reports.tables import Table, is_hidden

BAR = "#2f6f8f"
REFERENCE = "#c0792a"
GRID = "#d6d6d6"
TEXT = "#222222"
FONT = 'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif"'
MAX_LABEL = 48  # characters of a bar label line; longer labels go on a second line
LABEL_LINE = 14  # px between the two lines of a label


def _fmt(value) -> str:
    if is_hidden(value):
        return str(value)
    if isinstance(value, Decimal):
        return f"{(value * 100):.0f} %".replace(".", ",")
    return f"{value:,}".replace(",", "\u202f")


def _svg(width: int, height: int, body: list[str], title: str) -> Markup:
    # Every text piece above went through escape(); numbers and colours are ours.
    return Markup(  # noqa: S704 - text escaped, numbers ours  # nosec B704
        f'<svg class="report-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(title)}" {FONT} font-size="12">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _label_width(labels: list[str]) -> int:
    """Room for the longest label at 12 px (about 7 px a character), within bounds."""
    longest = max((len(label) for label in labels), default=0)
    return min(max(120, 7 * min(longest, MAX_LABEL) + 16), 7 * MAX_LABEL + 16)


def _wrap(label: str) -> list[str]:
    """One or two lines of at most MAX_LABEL characters, cut between words; "…" ends a
    second line only when even two lines are not enough."""
    lines: list[str] = []
    rest = label
    while rest and len(lines) < 2:
        if len(rest) <= MAX_LABEL:
            lines.append(rest)
            rest = ""
            break
        head = rest[: MAX_LABEL + 1]
        cut = head.rfind(" ")
        cut = cut if cut > 0 else MAX_LABEL
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        last = lines[-1]
        lines[-1] = (last if len(last) < MAX_LABEL else last[: MAX_LABEL - 1]) + "…"
    return lines


def _label(x: int, middle: float, label: str) -> str:
    """A right-aligned label on one or two lines, centred on `middle` (px)."""
    lines = _wrap(label)
    first = middle + 4 - (len(lines) - 1) * LABEL_LINE / 2
    return "".join(
        f'<text x="{x}" y="{first + index * LABEL_LINE:g}" text-anchor="end" fill="{TEXT}">'
        f"{escape(line)}</text>"
        for index, line in enumerate(lines)
    )


def _row_height(labels: list[str], height: int) -> int:
    """`height`, with room for a second line when a label needs one."""
    return height + LABEL_LINE if any(len(_wrap(label)) > 1 for label in labels) else height


def bars(table: Table, column: int = 0) -> Markup | None:
    """Horizontal bars of one count column, one bar per row (the total row left out).

    None when half the rows or more are hidden by the small-count rule: a chart of dashed
    empty bars says nothing the table does not say better.
    """
    rows = [row for row in table.rows]
    hidden = sum(1 for row in rows if is_hidden(row.values[column]))
    if not rows or hidden * 2 >= len(rows):
        return None
    numbers = [row.values[column] for row in rows if isinstance(row.values[column], int)]
    top = max(numbers, default=0) or 1
    label_width = _label_width([row.label for row in rows])
    bar_width, line = 330, _row_height([row.label for row in rows], 24)
    height = line * len(rows) + 8
    body = []
    for index, row in enumerate(rows):
        y = 4 + index * line + (line - 24) // 2  # the bar's row, centred in the line
        value = row.values[column]
        body.append(_label(label_width - 8, y + 11, row.label))
        length = 0 if is_hidden(value) else round(bar_width * value / top)
        if is_hidden(value):
            body.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="16" fill="none" '
                f'stroke="{GRID}" stroke-dasharray="3 3"/>'
            )
        elif length:
            body.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="16" fill="{BAR}"/>'
            )
        body.append(
            f'<text x="{label_width + length + 6}" y="{y + 16}" fill="{TEXT}">{escape(_fmt(value))}</text>'
        )
    return _svg(label_width + bar_width + 70, height, body, table.title)


def columns(table: Table, column: int = 0) -> Markup | None:
    """Vertical bars (months of the period)."""
    rows = table.rows
    if not rows:
        return None
    numbers = [row.values[column] for row in rows if isinstance(row.values[column], int)]
    top = max(numbers, default=0) or 1
    step = max(30, min(60, 640 // len(rows)))
    chart_height, width = 160, max(640, step * len(rows) + 20)
    body = [
        f'<line x1="10" y1="{chart_height + 20}" x2="{width - 10}" y2="{chart_height + 20}" stroke="{GRID}"/>'
    ]
    for index, row in enumerate(rows):
        value = row.values[column]
        x = 10 + index * step
        height = 0 if not isinstance(value, int) else round(chart_height * value / top)
        y = chart_height + 20 - height
        body.append(
            f'<rect x="{x + 4}" y="{y}" width="{step - 8}" height="{height}" fill="{BAR}"/>'
        )
        body.append(
            f'<text x="{x + step / 2}" y="{y - 4}" text-anchor="middle" font-size="10" fill="{TEXT}">'
            f"{escape(_fmt(value))}</text>"
        )
        body.append(
            f'<text x="{x + step / 2}" y="{chart_height + 36}" text-anchor="middle" font-size="10" '
            f'fill="{TEXT}">{escape(row.label[:2])}/{escape(row.label[-2:])}</text>'
        )
    return _svg(width, chart_height + 44, body, table.title)


def heatmap(table: Table) -> Markup | None:
    """Weekday (columns) × hour (rows) grid, darker for more visits."""
    rows = table.rows
    if not rows:
        return None
    days = [col.label for col in table.columns[:7]]
    values = [[row.values[d] for d in range(7)] for row in rows]
    top = max((v for line in values for v in line), default=0) or 1
    cell_w, cell_h, left, head = 62, 20, 50, 22
    body = []
    for d, day in enumerate(days):
        body.append(
            f'<text x="{left + d * cell_w + cell_w / 2}" y="15" text-anchor="middle" fill="{TEXT}">{escape(day)}</text>'
        )
    for r, row in enumerate(rows):
        y = head + r * cell_h
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="{TEXT}">{escape(row.label)}</text>'
        )
        for d in range(7):
            value = values[r][d]
            strength = value / top
            # From very light to the bar colour; 0 stays white.
            red = round(255 - (255 - 47) * strength)
            green = round(255 - (255 - 111) * strength)
            blue = round(255 - (255 - 143) * strength)
            body.append(
                f'<rect x="{left + d * cell_w + 1}" y="{y + 1}" width="{cell_w - 2}" height="{cell_h - 2}" '
                f'fill="rgb({red},{green},{blue})" stroke="{GRID}" stroke-width="0.5"/>'
            )
            if value:
                colour = "#ffffff" if strength > 0.55 else TEXT
                body.append(
                    f'<text x="{left + d * cell_w + cell_w / 2}" y="{y + 14}" text-anchor="middle" '
                    f'font-size="10" fill="{colour}">{value}</text>'
                )
    return _svg(left + 7 * cell_w + 4, head + len(rows) * cell_h + 4, body, table.title)


def impact_shares(table: Table) -> Markup | None:
    """Share of "better" answers per question, with the reference value when there is one."""
    rows = table.rows
    label_width = _label_width([row.label for row in rows])
    bar_width, line = 360, _row_height([row.label for row in rows], 30)
    body = []
    for index, row in enumerate(rows):
        y = 4 + index * line + (line - 30) // 2
        share, reference = row.values[6], row.values[7]
        body.append(_label(label_width - 8, y + 11, row.label))
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{bar_width}" height="16" fill="#eef2f4"/>'
        )
        if is_hidden(share):
            body.append(
                f'<text x="{label_width + bar_width + 6}" y="{y + 15}" fill="{TEXT}">{escape(_fmt(share))}</text>'
            )
        elif share is not None:
            length = round(bar_width * float(share))
            body.append(
                f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="16" fill="{BAR}"/>'
            )
            body.append(
                f'<text x="{label_width + bar_width + 6}" y="{y + 15}" fill="{TEXT}">{escape(_fmt(share))}</text>'
            )
        if reference is not None:
            x = label_width + round(bar_width * float(reference))
            body.append(
                f'<line x1="{x}" y1="{y}" x2="{x}" y2="{y + 22}" stroke="{REFERENCE}" stroke-width="3"/>'
            )
    legend_y = 4 + len(rows) * line + 6
    better, reference_label = escape(_("« mieux »")), escape(_("référence Bordeaux"))
    body.append(f'<rect x="{label_width}" y="{legend_y}" width="12" height="12" fill="{BAR}"/>')
    body.append(
        f'<text x="{label_width + 18}" y="{legend_y + 10}" font-size="10" fill="{TEXT}">'
        f"{better}</text>"
    )
    body.append(
        f'<line x1="{label_width + 90}" y1="{legend_y - 1}" x2="{label_width + 90}" y2="{legend_y + 13}" '
        f'stroke="{REFERENCE}" stroke-width="3"/>'
    )
    body.append(
        f'<text x="{label_width + 98}" y="{legend_y + 10}" font-size="10" fill="{TEXT}">'
        f"{reference_label}</text>"
    )
    return _svg(label_width + bar_width + 60, legend_y + 20, body, table.title)


def chart_for(table: Table) -> Markup | None:
    if table.chart == "bars":
        return bars(table)
    if table.chart == "columns":
        return columns(table)
    if table.chart == "heatmap":
        return heatmap(table)
    if table.chart == "impact":
        return impact_shares(table)
    return None
