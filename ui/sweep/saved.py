""" "Open a saved sweep": a sweep JSON this app or the CLI wrote, shown again without training.

The file is checked by ``regcore.links.export.load_sweep_export`` (format, version, checksum,
every field it reads); a wrong, truncated or edited file gets a message naming what
is wrong, and the page keeps what it showed. A good file replaces the page's result
and puts its settings into the controls through the page's link.
"""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import streamlit as st

from regcore.links import SweepSettings, load_sweep_export
from regcore.sweeps import CVResult, SweepResult, exact_path, fit_split
from ui.kit.controls import link_params
from ui.kit.messages import say
from ui.sweep.view import SweepJob

MAX_MB = 50  # as regcore.links.export.MAX_JSON_BYTES


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _choose(cv: CVResult | None) -> str:
    """How the file's λ was chosen, as the page's "choose λ by" says it."""
    fold = f"{cv.folds}-fold" if cv is not None else SweepSettings.choose
    return fold if fold in SweepSettings.keys["choose"].lo else SweepSettings.choose


def _settings(
    res: SweepResult, saved: dict[str, Any], cv: CVResult | None = None
) -> SweepSettings | None:
    """The page settings that regrow the file's λ grid (None: no link can say it)."""
    lams = res.lambdas
    try:
        return SweepSettings(
            lam_min=min(lams),
            lam_max=max(lams),
            k=len(lams),
            repeats=res.repeats,
            bias_variance=saved.get("bias_variance", SweepSettings.bias_variance) is True,
            choose=_choose(cv),
        )
    except ValueError:
        return None


def opened_job(
    res: SweepResult, saved: dict[str, Any], name: str, cv: CVResult | None = None
) -> SweepJob:
    """A loaded sweep as the page's result: its exact path recomputed (a closed form on
    the samples its models fit, no training), its saved cross-validation as it was; no
    bias–variance panel (not saved)."""
    data = fit_split(res.config) if res.n_val else None
    exact = exact_path(res.config, res.lambdas, data=data)
    settings = _settings(res, saved, cv)
    lams = res.lambdas
    raw = {  # a grid no link can say (λ = 0, K > 256): the command still names its ends
        "lam_min": min(lams),
        "lam_max": max(lams),
        "k": len(lams),
        "repeats": res.repeats,
        "bias_variance": False,
    }
    return SweepJob(
        sweep=res,
        exact=exact,
        settings=dataclasses.asdict(settings) if settings else raw,
        opened_from=name,
        cv=cv,
    )


def open_sweep(prefix: str) -> None:
    """The sidebar's "Open a saved sweep (JSON)" box."""
    with st.sidebar.expander("Open a saved sweep (JSON)", icon=":material/upload_file:"):
        file = st.file_uploader(
            "A sweep.json exported by this page or `python -m regcore sweep … --out x.json`",
            type=["json"],
            key=f"{prefix}_open_sweep",
            max_upload_size=MAX_MB,
        )
        token = f"{prefix}_opened"
        if file is None:
            st.session_state.pop(token, None)
            return
        data = file.getvalue()
        if st.session_state.get(token) == _digest(data):
            st.caption("Shown on the page: the saved sweep, not retrained.")
            return
        try:
            res, saved, cv = load_sweep_export(data)
        except ValueError as exc:
            say("error", f"{file.name} cannot be opened: {exc}")
            st.caption("Nothing on the page was changed.")
            return
        job = opened_job(res, saved, file.name, cv)
        st.session_state[token] = _digest(data)
        st.session_state[f"{prefix}_result"] = job
        page = _settings(res, saved, cv)
        st.query_params.from_dict(link_params(res.config, page.to_params() if page else None))
        st.rerun()
