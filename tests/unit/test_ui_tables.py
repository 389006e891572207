"""Run tables that fit a 1024-px page (ui.kit.tables): a wide table of few rows is turned
on its side, cells as text."""

from __future__ import annotations

from ui.kit.tables import MAX_COLUMNS, UPRIGHT_COLUMNS, cell, fitted


def _rows(n: int) -> list[dict[str, object]]:
    return [
        {"run": f"L{i}", "‖w‖₂": 1.0 / (i + 1), "exact zeros": f"{i} / 200", "seconds": None}
        | {f"c{k}": 0.123456 for k in range(MAX_COLUMNS)}
        for i in range(n)
    ]


def test_ui_tables_cells_are_four_significant_digits() -> None:
    assert [cell(v) for v in (0.0205512, 2.757e-10, 3, "done", None, float("nan"))] == [
        "0.02055",
        "2.757e-10",
        "3",
        "done",
        "–",
        "–",
    ]


def test_ui_tables_a_wide_table_of_three_runs_is_turned_on_its_side() -> None:
    out = fitted(_rows(3))
    assert [r[""] for r in out][:3] == ["‖w‖₂", "exact zeros", "seconds"]
    assert list(out[0]) == ["", "L0", "L1", "L2"]  # one column per run: 4 columns fit
    assert out[0]["L1"] == "0.5" and out[1]["L2"] == "2 / 200"


def test_ui_tables_same_named_runs_get_distinct_columns_and_long_tables_stay_upright() -> None:
    rows = _rows(2)
    rows[1]["run"] = "L0"
    assert list(fitted(rows)[0]) == ["", "L0", "L0 (2)"]
    tall = fitted(_rows(9))
    assert len(tall) == 9 and tall[0]["run"] == "L0" and tall[0]["c0"] == "0.1235"
    assert len(tall[0]) == UPRIGHT_COLUMNS  # 10 columns: the last only in the expander
