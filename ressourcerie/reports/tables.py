"""The tables of a report, and the small-count protection every output uses.

Rule: in a protected table (casework, demographics), a count of 1 to 4 people shows
"< 5". Secondary suppression: in every line (row or column) that sums to a shown
total, a single hidden cell could be recovered by subtraction, so the smallest other
non-zero cell of that line is hidden too, shown "s" (it may be 5 or more: writing
"< 5" there would be false); repeated until no line has exactly one hidden cell.
Shares computed from a hidden count are hidden with it. HTML, PDF, CSV
and XLSX all read the tables after `protect()`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l

THRESHOLD = 5
SUPPRESSED_LABEL = "< 5"
SECONDARY_LABEL = "s"


class Suppressed:
    """A hidden cell: "< 5" (fewer than 5 people) or "s" (hidden to protect another)."""

    def __init__(self, label, name: str) -> None:
        self.label = label  # a string, or a lazy translation
        self.name = name

    def __str__(self) -> str:
        return str(self.label)

    def __repr__(self) -> str:
        return self.name


SUPPRESSED = Suppressed(SUPPRESSED_LABEL, "SUPPRESSED")
SECONDARY = Suppressed(SECONDARY_LABEL, "SECONDARY")
# A figure that is not a count of people (an average age, hours) computed on fewer than
# 5 people: "< 5" next to it would read as "under 5 years" or "under 5 hours".
UNDISCLOSED = Suppressed(_l("non communiqué (moins de 5 personnes)"), "UNDISCLOSED")


def is_hidden(value) -> bool:
    return isinstance(value, Suppressed)


# Column kinds: how a value is written.
TEXT, COUNT, SHARE, MONEY, HOURS, NUMBER = "text", "count", "share", "money", "hours", "number"


@dataclass
class Column:
    label: str
    kind: str = COUNT
    # SHARE columns: index of the COUNT column they divide by the total row's value.
    share_of: int | None = None


@dataclass
class Row:
    label: str
    values: list
    is_total: bool = False


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]  # the label column excluded
    rows: list[Row]
    label_header: str = ""
    total: Row | None = None
    # Protected: counts of people from casework or demographics (small-count rule).
    protected: bool = False
    # The last COUNT column is the sum of the other COUNT columns of its row.
    total_column: bool = False
    note: str = ""
    chart: str | None = None  # "bars" (first count column) or None

    @property
    def all_rows(self) -> list[Row]:
        return [*self.rows, *([self.total] if self.total is not None else [])]

    def is_empty(self) -> bool:
        return not self.rows


def share(part, whole) -> Decimal | None:
    if not isinstance(part, int) or not isinstance(whole, int) or whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)


def fill_shares(table: Table) -> None:
    """Compute SHARE columns from their COUNT column and the total row (after protection)."""
    if table.total is None:
        return
    for index, column in enumerate(table.columns):
        if column.kind != SHARE or column.share_of is None:
            continue
        whole = table.total.values[column.share_of]
        for row in table.all_rows:
            part = row.values[column.share_of]
            row.values[index] = part if is_hidden(part) else share(part, whole)


def _hide_needed(value) -> bool:
    return isinstance(value, int) and 0 < value < THRESHOLD


def suppress_grid(grid: list[list], lines: list[list[tuple[int, int]]]) -> list[list]:
    """Primary and secondary suppression on `grid` (ints); `lines` are groups of cell
    positions that sum to a shown figure (each includes its total cell). Returns a copy."""
    result = [list(row) for row in grid]
    for r, row in enumerate(result):
        for c, value in enumerate(row):
            if _hide_needed(value):
                result[r][c] = SUPPRESSED
    changed = True
    while changed:
        changed = False
        for line in lines:
            hidden = [pos for pos in line if is_hidden(result[pos[0]][pos[1]])]
            if len(hidden) != 1:
                continue
            candidates = [
                pos for pos in line if isinstance(result[pos[0]][pos[1]], int) and pos != hidden[0]
            ]
            if not candidates:
                continue
            # The smallest non-zero cell, else a zero (hiding a zero reveals nothing).
            nonzero = [pos for pos in candidates if grid[pos[0]][pos[1]] > 0]
            pick = min(nonzero or candidates, key=lambda pos: (grid[pos[0]][pos[1]], pos))
            result[pick[0]][pick[1]] = SECONDARY
            changed = True
    return result


def protect(table: Table) -> Table:
    """Apply the small-count rule to a protected table, in place; fill shares."""
    if table.protected:
        count_columns = [i for i, col in enumerate(table.columns) if col.kind == COUNT]
        rows = table.all_rows
        grid = [[row.values[c] for c in count_columns] for row in rows]
        lines: list[list[tuple[int, int]]] = []
        width = len(count_columns)
        if table.total_column and width > 1:
            lines += [[(r, c) for c in range(width)] for r in range(len(rows))]
        if table.total is not None:
            lines += [[(r, c) for r in range(len(rows))] for c in range(width)]
        protected = suppress_grid(grid, lines)
        for r, row in enumerate(rows):
            for position, c in enumerate(count_columns):
                row.values[c] = protected[r][position]
    fill_shares(table)
    return table
