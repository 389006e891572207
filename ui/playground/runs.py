"""Drawing the session's runs: the list (pin, clear, overlay, downloads) and the overlaid charts.

The history itself is :mod:`ui.playground.history`; the figures are
``regcore.figures.fig_overlay_curves`` / ``fig_overlay_hist``, the files
``regcore.links.runs_curves_csv`` / ``runs_json``.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from regcore.figures import (
    data_difference,
    differing_fields,
    fig_overlay_curves,
    fig_overlay_hist,
    loss_name,
    run_color,
)
from regcore.links import runs_curves_csv, runs_json
from ui.kit import present
from ui.kit.messages import literal, say
from ui.playground.history import MAX_PINNED, MAX_RECENT, KeptRun, history, labels, settings

LIST_HEADING = "Runs of this session"


def _num(v: Any) -> str:
    if v is None:
        return "–"
    return f"{v:.3g}" if 1e-3 <= abs(v) < 1e5 or v == 0 else f"{v:.2e}"


def overlay_panel(prefix: str) -> bool:
    """The runs chosen under :data:`LIST_HEADING` overlaid on the loss chart and the weight
    histogram, in place of the current run's charts; False (nothing drawn) when none is."""
    runs = history(prefix).shown_runs()
    if not runs:
        return False
    names = labels(runs)
    colors = [run_color(i) for i in range(len(runs))]
    tasks = {r.slim.task for r in runs}
    left, right = present.columns([1.15, 1])
    with left:  # right under the main button: the main figure, above a projector's fold
        fig = fig_overlay_curves(
            [r.slim.history for r in runs],
            names,
            colors=colors,
            loss_name=loss_name(tasks.pop()) if len(tasks) == 1 else "loss",
        )
        present.chart(fig, key=f"{prefix}_overlay_curves", main=True)
    with right:
        _overlay_hist(prefix, runs, names, colors)
    differ = data_difference([r.config for r in runs])
    if differ:
        say(
            "warning",
            f"Different data ({', '.join(differ)}): each run has its own test set, so their "
            "losses are not comparable.",
        )
    if len(runs) > 1 and not differing_fields([r.config for r in runs]):
        st.caption("The same settings: the runs coincide (one line hides the other).")
    st.markdown(runs_table(prefix, runs, names, marks=False))  # the numbers, run by run
    if not present.enabled():  # a projector shows the charts, not how to choose them
        st.caption(
            f"Runs overlaid, each in its colour: choose them under **{LIST_HEADING}** below "
            "(none chosen: the current run alone, with its penalty and weights over epochs)."
        )
    return True


def _overlay_hist(prefix: str, runs: list[KeptRun], names: list[str], colors: list[str]) -> None:
    common = [k for k in runs[0].weights if all(k in r.weights for r in runs)]
    a, b = st.columns([1, 1])
    layer = None
    if len(common) > 1:
        layer = a.selectbox("layer", common, key=f"{prefix}_overlay_layer")
    log_count = b.toggle("log count", key=f"{prefix}_overlay_log_count")
    if layer is None and common:
        layer = common[0]
    weights = [r.weights[layer] if layer else next(iter(r.weights.values())) for r in runs]
    x_title = "final weight value" + (f" (layer {layer})" if len(common) > 1 else "")
    if not common:
        x_title = "final weight value (each run's first layer)"
    fig = fig_overlay_hist(
        weights,
        names,
        colors=colors,
        log_count=log_count,
        x_title=x_title,
        true_w=shared_truth(runs),
    )
    present.chart(fig, key=f"{prefix}_overlay_hist")


def shared_truth(runs: list[KeptRun]) -> list[float] | None:
    """The true weights every run in ``runs`` was trained against (the same data), else None."""
    first = runs[0].slim.true_w
    if first is None or data_difference([r.config for r in runs]):
        return None
    if any(r.slim.true_w is None or list(r.slim.true_w) != list(first) for r in runs):
        return None
    return list(first)


def runs_table(prefix: str, runs: list[KeptRun], names: list[str], *, marks: bool = True) -> str:
    """A Markdown table of ``runs``: number, what differs, the headline numbers, and
    (``marks``) whether each is pinned, overlaid or the current run (the one whose
    settings and files the page shows)."""
    h = history(prefix)
    head = ["#", "settings", "train loss", "test loss", "‖w‖₂", "exact zeros"]
    head += ["status"] if marks else []
    rows = ["| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
    for r, name in zip(runs, names, strict=True):
        m = r.slim.metrics
        zeros = m.get("zero_fraction")
        cells = [
            str(r.number),
            literal(name, 200),
            _num(m.get("train_loss")),
            _num(m.get("test_loss")),
            _num(m.get("weight_l2")),
            "–" if zeros is None else f"{100 * zeros:.0f} %",
        ]
        if marks:
            status = [
                "pinned" if r.number in h.pinned else "",
                "overlaid" if r.number in h.shown else "",
                "current" if r.number == h.current() else "",
            ]
            cells.append(" · ".join(x for x in status if x))
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def offer(prefix: str) -> None:
    """Under a single run's charts, once the session has an earlier run: one click
    overlays the two latest runs."""
    h = history(prefix)
    if len(h.runs) < 2 or h.shown:
        return
    pair = h.runs[-2:]
    a, b = labels(pair)
    st.button(
        literal(f"Overlay on one chart: #{pair[0].number} {a} and #{pair[1].number} {b}", 120),
        key=f"{prefix}_runs_pair",
        icon=":material/stacked_line_chart:",
        type="tertiary",
        on_click=h.show,
        args=([r.number for r in pair],),
    )


def runs_list(prefix: str) -> None:
    """The session's runs with their differing settings and headline numbers, the choice of
    runs to overlay, pin and clear, and the overlaid runs' downloads."""
    h = history(prefix)
    if not h.runs:
        return
    st.subheader(LIST_HEADING)
    st.caption(
        f"The last {MAX_RECENT} runs (and up to {MAX_PINNED} pinned ones, kept when older "
        "runs fall out), named by the settings that differ between them. Overlay any of "
        "them on the charts above: each in its own colour."
    )
    if len(h.shown) < len(h.runs):
        st.markdown(runs_table(prefix, h.runs, labels(h.runs)))
    else:
        st.caption("Every run is overlaid: their numbers are under the charts.")
    names = dict(zip(h.numbers(), labels(h.runs), strict=True))
    options = h.numbers()
    show_key, pin_key = f"{prefix}_runs_shown", f"{prefix}_runs_pinned"
    st.session_state[show_key] = list(h.shown)  # the history decides; the widgets follow it
    st.session_state[pin_key] = sorted(h.pinned)
    a, b = st.columns([3, 2])
    a.multiselect(
        "Overlay on the charts",
        options,
        key=show_key,
        format_func=lambda n: f"#{n} {names[n].removesuffix(f' (#{n})')}",
        placeholder="none: the charts show the current run",
        on_change=lambda: h.show(st.session_state[show_key]),
    )
    b.multiselect(
        "Pinned",
        options,
        key=pin_key,
        format_func=lambda n: f"#{n}",
        max_selections=MAX_PINNED,
        placeholder="none",
        help=f"a pinned run is kept when older runs fall out of the last {MAX_RECENT}",
        on_change=lambda: h.pin(st.session_state[pin_key]),
    )
    c, d, e, f = st.columns([1, 1, 1.3, 1.3], vertical_alignment="bottom")
    c.button("Overlay all", key=f"{prefix}_runs_all", on_click=h.show, args=(options,))
    d.button(
        "Clear",
        key=f"{prefix}_runs_clear",
        on_click=h.clear,
        help="forget every run that is not pinned",
    )
    shown = h.shown_runs()
    if shown:
        _downloads(prefix, shown, (e, f))


def _downloads(prefix: str, runs: list[KeptRun], places: tuple[Any, Any]) -> None:
    """The overlaid runs' curves (CSV, one row per run and epoch) and their JSON; made on
    click, not on every redraw."""
    names, numbers = labels(runs), [r.number for r in runs]
    places[0].download_button(
        "overlaid curves (CSV)",
        lambda: overlay_csv(runs, names, numbers),
        "runs_curves.csv",
        mime="text/csv",
        key=f"{prefix}_dl_runs_csv",
    )
    places[1].download_button(
        "overlaid runs (JSON)",
        lambda: overlay_json(runs),
        "runs.json",
        mime="application/json",
        key=f"{prefix}_dl_runs_json",
    )


def overlay_csv(runs: list[KeptRun], names: list[str], numbers: list[int]) -> str:
    """The curves CSV of ``runs`` (a ``run`` and a ``label`` column)."""
    return runs_curves_csv([r.slim for r in runs], names, numbers)


def overlay_json(runs: list[KeptRun]) -> str:
    """The JSON of ``runs``: each with its number, label, differing settings, final weights."""
    return runs_json(
        [r.result() for r in runs],
        labels(runs),
        [r.number for r in runs],
        settings=settings(runs),
        file_names=[r.file_name for r in runs],
    )
