"""A decision surface beside a single run (the Playground) whenever its data set is 2-D.

The run's job computes P(class 1) on a grid at a bounded number of epochs (through
``regcore.fit``'s probe) and once more for the weights the run keeps; the surfaces
go to a list under ``f"{prefix}_surfaces"`` that the page's live redraw and the
finished panel read.
"""

from __future__ import annotations

import streamlit as st

from regcore.core import TrainConfig
from regcore.data import make_dataset
from regcore.experiments import Surface, grid_for, is_2d, points_of, surface, surface_epochs
from regcore.figures import fig_surfaces
from ui.kit import present
from ui.live import stream as live

TWO_D_SETS = ("moons", "circles", "xor", "spiral")


def start(prefix: str, cfg: TrainConfig, label: str = ""):
    """Like ``live.start``, plus live decision surfaces when ``cfg``'s data set is 2-D."""
    if cfg.data.name not in TWO_D_SETS:
        st.session_state[f"{prefix}_surfaces"] = None
        return live.start(prefix, cfg, label=label)
    ds = make_dataset(cfg)
    if not is_2d(ds):
        return live.start(prefix, cfg, label=label)
    grid, frames = grid_for(ds), surface_epochs(cfg.optim.epochs)
    kept: list[Surface] = []

    def probe(model, epoch, final) -> None:
        if final or epoch in frames:
            kept.append(surface(model, grid, epoch, final))

    new = live.start(prefix, cfg, label=label, probe=probe, data=ds)
    if new is not None:
        st.session_state[f"{prefix}_surfaces"] = {
            "grid": grid,
            "points": points_of(ds),
            "list": kept,
        }
    return new


def draw(prefix: str, label: str = "decision surface") -> None:
    """The latest surface of this page's run, if it has one."""
    state = st.session_state.get(f"{prefix}_surfaces")
    if not state or not state["list"]:
        return
    s = state["list"][-1]
    title = f"{label} (the kept weights)" if s.final else label
    st.markdown(
        f"**{title}** — colour: P(class 1); black line: P = 0.5; filled discs: training "
        "points, rings: test points."
    )
    fig = fig_surfaces(state["grid"], [s], [""], state["points"], height=480)
    present.chart(fig, key=f"{prefix}_surface")
