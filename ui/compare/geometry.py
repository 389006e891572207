"""The L1 vs L2 page's geometry section: λ and correlation sliders, the weight-plane figure."""

from __future__ import annotations

import streamlit as st

from regcore.experiments import BOUNDS, GeometryConfig, GeometryResult, run_geometry
from regcore.figures import fig_geometry
from ui.kit import present

P = "geo"  # session-state prefix


@st.cache_data(max_entries=64, show_spinner=False)
def cached_geometry(cfg: GeometryConfig) -> GeometryResult:
    """:func:`regcore.experiments.geometry.run_geometry`, cached per setting (three short
    trainings)."""
    return run_geometry(cfg)


def _fmt(w: tuple[float, float]) -> str:
    return ", ".join("**0 exactly**" if v == 0.0 else f"{v:.3f}" for v in w)


def summary(res: GeometryResult) -> str:
    """One line per penalty: its exact solution, with zeros called out, and how the runs ended."""
    s, t = res.solutions, res.trajectories
    lines = [
        f"- unpenalized minimum: ({_fmt(res.ols)})",
        f"- **L1** at λ = {res.config.lam:g}: ({_fmt(s['l1'])})"
        + (
            f" — on an axis from λ = {res.axis_lam:.3g}"
            if 0.0 in s["l1"]
            else f" — off the axes; it reaches one at λ = {res.axis_lam:.3g}"
        ),
        f"- **L2** at λ = {res.config.lam:g}: ({_fmt(s['l2'])})",
        f"- elastic net (α = {res.config.l1_ratio:g}): ({_fmt(s['elastic_net'])})",
    ]
    ends = []
    runs = (("l1_proximal", "proximal L1", "l1"), ("l1_subgradient", "subgradient L1", "l1"))
    for run, label, kind in (*runs, ("l2", "L2", "l2")):
        end, exact = (t[run]["w1"][-1], t[run]["w2"][-1]), s[kind]
        gap = max(abs(end[0] - exact[0]), abs(end[1] - exact[1]))
        ends.append(f"{label} ends at ({_fmt(end)}), {gap:.1e} from its exact solution")
    lines.append(f"- after {res.steps} full-batch SGD steps (lr {res.lr:.3g}): " + "; ".join(ends))
    return "\n".join(lines)


def render() -> None:
    """The section: controls, the figure and the numbers under it."""
    st.subheader("Why L1 gives exact zeros: the picture in weight space")
    st.caption(
        "A linear regression with two weights, w1 and w2. Grey ellipses: the data loss, "
        "lowest at ×. Each penalty's solution (big dot) is where its ball (solid) just touches "
        "a loss ellipse (dashed). The L1 diamond often touches with a corner, and corners lie "
        "on an axis: a weight exactly 0. The L2 disk has no corners. Dotted: each exact "
        "solution as λ grows from 0. Lines with small markers: real regcore training runs, "
        "one point per full-batch SGD step, all from the same start (★)."
    )
    c1, c2 = st.columns(2)
    lam = c1.slider("λ (all three penalties)", *BOUNDS["lam"], 2.0, 0.05, key=f"{P}_lam")
    rho = c2.slider("correlation of the two features", *BOUNDS["rho"], 0.5, 0.05, key=f"{P}_rho")
    try:
        cfg = GeometryConfig(lam=float(lam), rho=float(rho))
    except ValueError as exc:
        st.error(str(exc))
        return
    with st.spinner("Training three runs on the two-weight regression…"):
        res = cached_geometry(cfg)
    present.chart(fig_geometry(res), key=f"{P}_fig")
    st.markdown(summary(res))
