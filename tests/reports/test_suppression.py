"""Small-count protection: no count of 1 to 4 people can be read or recomputed."""

import random

import pytest

from ressourcerie.reports.tables import (
    COUNT,
    SECONDARY,
    SHARE,
    SUPPRESSED,
    Column,
    Row,
    Table,
    is_hidden,
    protect,
    suppress_grid,
)


def one_way(values, *, protected=True):
    return protect(
        Table(
            key="t",
            title="t",
            columns=[Column("n"), Column("part", SHARE, share_of=0)],
            rows=[Row(str(i), [v, None]) for i, v in enumerate(values)],
            total=Row("Total", [sum(values), None], is_total=True),
            protected=protected,
        )
    )


def two_way(grid):
    rows = [Row(f"r{i}", [*line, sum(line)]) for i, line in enumerate(grid)]
    totals = [sum(column) for column in zip(*grid, strict=True)]
    return protect(
        Table(
            key="m",
            title="m",
            columns=[*(Column(f"c{j}") for j in range(len(grid[0]))), Column("Total")],
            rows=rows,
            total=Row("Total", [*totals, sum(totals)], is_total=True),
            protected=True,
            total_column=True,
        )
    )


def counts(table):
    return [row.values[0] for row in table.all_rows]


def attacker_recovers(table) -> list:
    """Solve every line (row or column with its total) that has one unknown, repeatedly:
    the values an attacker could recompute from what is shown."""
    grid = [list(row.values) for row in table.all_rows]
    width = len(grid[0])
    lines = [[(r, c) for c in range(width)] for r in range(len(grid))]
    lines += [[(r, c) for r in range(len(grid))] for c in range(width)]
    recovered = []
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [pos for pos in line if is_hidden(grid[pos[0]][pos[1]])]
            if len(unknown) != 1:
                continue
            total_pos, *parts = line[-1], line[:-1]
            parts = line[:-1]
            r, c = unknown[0]
            if unknown[0] == total_pos:
                value = sum(grid[p[0]][p[1]] for p in parts)
            else:
                value = grid[total_pos[0]][total_pos[1]] - sum(
                    grid[p[0]][p[1]] for p in parts if p != unknown[0]
                )
            grid[r][c] = value
            recovered.append(((r, c), value))
            progress = True
    return recovered


def test_counts_of_one_to_four_are_hidden_zero_and_five_are_shown():
    table = one_way([0, 1, 4, 5, 30])
    assert counts(table) == [0, SUPPRESSED, SUPPRESSED, 5, 30, 40]
    assert str(SUPPRESSED) == "< 5"
    assert str(SECONDARY) == "s"


def test_a_single_hidden_cell_hides_the_next_smallest_so_the_total_reveals_nothing():
    table = one_way([3, 12, 7, 40])
    # 7 is hidden too, but marked "s": writing "< 5" for it would be false.
    assert counts(table) == [SUPPRESSED, 12, SECONDARY, 40, 62]
    assert attacker_recovers(two_way([[3, 12, 7, 40]])) == []


def test_the_second_hidden_cell_is_not_a_zero_when_a_non_zero_cell_exists():
    table = one_way([0, 2, 9, 6])
    assert counts(table) == [0, SUPPRESSED, 9, SECONDARY, 17]


def test_a_total_under_five_is_hidden_with_its_cells():
    table = one_way([1, 2, 0])
    assert counts(table) == [SUPPRESSED, SUPPRESSED, 0, SUPPRESSED]


def test_shares_of_hidden_counts_are_hidden_and_others_are_computed_on_the_total():
    table = one_way([2, 8, 10])
    shares = [row.values[1] for row in table.all_rows]
    assert shares[0] is SUPPRESSED and shares[1] is SECONDARY
    assert str(shares[2]) == "0.500"
    assert str(shares[3]) == "1.000"


def test_unprotected_tables_show_small_counts():
    assert counts(one_way([1, 2, 30], protected=False)) == [1, 2, 30, 33]


def test_two_way_tables_protect_rows_columns_and_totals():
    table = two_way([[2, 10, 7], [8, 9, 12], [0, 6, 20]])
    shown = [row.values for row in table.all_rows]
    assert shown[0][0] is SUPPRESSED
    # Row 0 and column 0 each get a second hidden cell.
    assert sum(is_hidden(v) for v in shown[0]) >= 2
    assert sum(is_hidden(row[0]) for row in shown) >= 2
    assert attacker_recovers(table) == []


@pytest.mark.parametrize("seed", range(60))
def test_no_hidden_value_can_be_recomputed_from_random_tables(seed):
    rng = random.Random(seed)
    rows, columns = rng.randint(1, 6), rng.randint(1, 5)
    grid = [
        [rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 40]) for _c in range(columns)]
        for _r in range(rows)
    ]
    table = two_way(grid)
    for line in table.all_rows:
        for position, value in enumerate(line.values):
            assert not (isinstance(value, int) and 0 < value < 5)
            if value is SECONDARY:  # never a small cell: those say "< 5"
                assert not 0 < table_values(grid, line, position) < 5
    assert attacker_recovers(table) == []


def table_values(grid, line, position):
    rows = [*grid, [sum(column) for column in zip(*grid, strict=True)]]
    index = int(line.label[1:]) if line.label != "Total" else len(grid)
    full = [*rows[index], sum(rows[index])]
    return full[position]


def test_suppress_grid_leaves_its_input_untouched():
    grid = [[3, 10, 13]]
    result = suppress_grid(grid, [[(0, 0), (0, 1), (0, 2)]])
    assert grid == [[3, 10, 13]]
    assert result == [[SUPPRESSED, SECONDARY, 13]]


def test_count_columns_only_are_protected():
    table = protect(
        Table(
            key="k",
            title="k",
            columns=[Column("n", COUNT), Column("euros", "money")],
            rows=[Row("a", [2, 300]), Row("b", [20, 4])],
            total=Row("Total", [22, 304], is_total=True),
            protected=True,
        )
    )
    assert table.rows[1].values[1] == 4
