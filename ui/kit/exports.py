"""Share and reproduce: the copy-link box, config + command + downloads, opening an export.

Files come from ``regcore.links.export`` (CSV cells neutralized, JSON with a checksum) and
links from ``regcore.links``; this module only draws them.
"""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Mapping, Sequence
from functools import partial
from typing import Any

import streamlit as st

from regcore.core import RunResult, TrainConfig
from regcore.links import export, link_params, portable_config
from regcore.sweeps import CVResult
from ui.kit.messages import say
from ui.kit.upload import file_name

TRAIN_COMMAND = "python -m regcore train config.json --out result.json"


def page_url(params: Mapping[str, str]) -> str:
    """The address of this page with ``params`` as its query (what the copy box shows)."""
    try:
        here = st.context.url or ""
    except Exception:  # noqa: BLE001 - AppTest and bare mode have no browser URL
        here = ""
    base = here.split("?", 1)[0]
    query = urllib.parse.urlencode(list(params.items()))
    return f"{base}?{query}" if query else base or "?"


def copy_link(params: Mapping[str, str], what: str = "these settings") -> None:
    """A visible "copy link" control: the page's full link in a code box with its copy
    button (the same text is in the address bar)."""
    with st.popover(
        "Copy link", icon=":material/link:", help=f"a link that opens {what} in another browser"
    ):
        st.caption(
            "Copy with the button at the box's right; anyone opening it sees these "
            "settings (and trains the identical run)."
        )
        st.code(page_url(params), language=None, wrap_lines=True)


def sweep_command(settings: Mapping[str, Any]) -> str:
    """The CLI command that reproduces a sweep of the page's settings."""
    lo, hi, k = settings["lam_min"], settings["lam_max"], settings["k"]
    spec = f"{lo!r}:{hi!r}:{k}" if hi > lo else repr(lo)
    return (
        f"python -m regcore sweep config.json --lambdas {spec} "
        f"--repeats {settings['repeats']} --out rows.csv"
    )


def config_text(prefix: str, cfg: TrainConfig) -> str:
    """The config as the page exports it: a CSV run names the user's own file, not the
    server's stored copy, and holds only the data fields it reads (regcore.links.portable)."""
    return portable_config(cfg, file_name(prefix, cfg.data.path))


def _config_box(prefix: str, cfg: TrainConfig, command: str) -> None:
    text = config_text(prefix, cfg)
    name = command.split()[4]  # python -m regcore train|sweep NAME.json ...
    st.caption(f"Config (copy with the box's button, save as `{name}`):")
    st.code(text, language="json")
    if cfg.data.name == "csv":
        data = json.loads(text)["data"]["path"]
        st.caption(
            f"Reproduce it in a terminal, in a folder holding `{name}` and your `{data}` "
            "(same numbers on CPU):"
        )
        command += f"  # reads {data} beside {name}"
    else:
        st.caption("Reproduce it in a terminal (same numbers on CPU):")
    st.code(command, language="bash")


def run_files(prefix: str, result: RunResult) -> None:
    """A finished run's config, its command and its downloads, in one expander."""
    with st.expander("Config, command and downloads", icon=":material/download:"):
        _config_box(prefix, result.config, TRAIN_COMMAND)
        a, *rest = st.columns(4)
        a.download_button(
            "config.json",
            config_text(prefix, result.config),
            "config.json",
            mime="application/json",
            key=f"{prefix}_dl_cfg",
        )
        run_downloads(rest, prefix, result, weights=True)


# A run's files: (label, file name, what makes it of (result, the user's CSV name), mime,
# key stem).
RUN_FILES = (
    ("run (JSON)", "run.json", export.run_json, "application/json", "json"),
    ("curves (CSV)", "curves.csv", lambda r, _: export.run_curves_csv(r), "text/csv", "curves"),
    ("weights (CSV)", "weights.csv", lambda r, _: export.run_weights_csv(r), "text/csv", "weights"),
)


def run_downloads(
    places: Sequence[Any], prefix: str, result: RunResult, n: int | None = None, *, weights: bool
) -> None:
    """A run's JSON and curves CSV (and weights CSV) as download buttons, one per place.

    Args:
        places: the containers (columns, or the same column repeated) to draw them in.
        n: the run's number among several ("run 2 (JSON)", ``run2.json``); None for one run.
        weights: also the final weights as CSV.
    """
    for place, (label, name, make, mime, stem) in zip(
        places, RUN_FILES if weights else RUN_FILES[:2], strict=False
    ):
        if n is not None:
            label = f"run {n} {label}" if stem != "json" else f"run {n} (JSON)"
            base, ext = name.split(".")
            name, stem = f"{base}{n}.{ext}", f"{stem}{n}"
        # made when the button is pressed (Streamlit runs the callable then), not on every
        # script run: a run's JSON took about a fifth of the CPU of drawing its result
        data = partial(make, result, file_name(prefix, result.config.data.path))
        place.download_button(label, data, name, mime=mime, key=f"{prefix}_dl_{stem}")


def sweep_files(
    prefix: str, result: Any, settings: Mapping[str, Any], cv: CVResult | None = None
) -> None:
    """A finished sweep's config, its command and its downloads (with ``cv``, its k-fold
    cross-validation in both files: ``cv_*`` columns and the JSON's ``cv``)."""
    with st.expander("Config, command and downloads", icon=":material/download:"):
        _config_box(prefix, result.config, sweep_command(settings))
        a, b, c = st.columns(3)
        a.download_button(
            "config.json",
            config_text(prefix, result.config),
            "config.json",
            mime="application/json",
            key=f"{prefix}_dl_cfg",
        )
        b.download_button(
            "sweep (CSV, row per λ)",
            export.sweep_csv(result.rows, cv),
            "sweep.csv",
            mime="text/csv",
            key=f"{prefix}_dl_csv",
        )
        c.download_button(
            "sweep (JSON)",
            export.sweep_json(result, settings, file_name(prefix, result.config.data.path), cv),
            "sweep.json",
            mime="application/json",
            key=f"{prefix}_dl_json",
        )


def compare_files(
    prefix: str,
    configs: tuple[TrainConfig, ...],
    labels: tuple[str, ...],
    rows: list[dict[str, Any]],
) -> None:
    """A finished comparison: each run's config and command, and the table as CSV."""
    with st.expander("Configs, commands and downloads", icon=":material/download:"):
        st.download_button(
            "comparison (CSV)",
            export.compare_csv(rows),
            "comparison.csv",
            mime="text/csv",
            key=f"{prefix}_dl_csv",
        )
        for i, (cfg, label) in enumerate(zip(configs, labels, strict=True)):
            st.markdown(f"**{label}**")
            _config_box(
                prefix,
                cfg,
                TRAIN_COMMAND.replace("config.json", f"run{i + 1}.json").replace(
                    "result.json", f"result{i + 1}.json"
                ),
            )


def open_export(prefix: str, kind: str = "run") -> Any | None:
    """An uploader for a JSON file this app (or the CLI) exported: the loaded result to
    show again without training, or None; a wrong file gets a message naming what is
    wrong."""
    label = "Open an exported run (run.json)" if kind == "run" else "Open an exported sweep"
    file = st.file_uploader(label, type=["json"], key=f"{prefix}_open_{kind}")
    if file is None:
        return None
    try:
        if kind == "run":
            return export.load_run_json(file.getvalue())
        return export.load_sweep_json(file.getvalue())
    except ValueError as exc:
        say("error", f"{file.name} cannot be opened: {exc}")
        return None


def open_run(prefix: str) -> None:
    """ "Open a saved run": a run JSON this app or the CLI wrote is shown again without
    training; its settings go to the controls through the page's link."""
    with st.sidebar.expander("Open a saved run (JSON)", icon=":material/upload_file:"):
        result = open_export(prefix, "run")
        token = f"{prefix}_opened"
        if result is None:
            st.session_state.pop(token, None)
            return
        if st.session_state.get(token) == result.metrics:
            st.caption("Shown above: the saved run, not retrained.")
            return
        st.session_state[token] = result.metrics
        st.session_state[f"{prefix}_result"] = result
        st.query_params.from_dict(link_params(result.config))
        st.rerun()


def json_text(value: Any) -> str:
    """Indented JSON of plain data (for small inline boxes)."""
    return json.dumps(value, indent=2, ensure_ascii=False)
