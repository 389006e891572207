"""Where the time goes between a click on Train and the final curve (Playground default).

    python benchmarks/bench_latency.py [--clicks 5] [--no-browser]

One warm server (``streamlit run app.py``, K = 2, the job log on), one session at a time;
each part is measured in the same run, so the ratios compare like with like:

- ``engine``: ``regcore.fit`` of the default in this process (the training itself), and
  the final panel's figures: their building time and their Plotly JSON bytes.
- ``protocol``: a websocket client that speaks Streamlit's protocol (tests/load/stclient)
  clicks Train; per click: the script runs after the click (full and fragment reruns, each
  one's duration as the client sees it: its new_session → script_finished), the fragment
  cadence the server asked for (``auto_rerun`` intervals), the bytes received (all, and the
  Plotly specs among them), and from the server's job log the queue's part: click →
  submitted, the wait in line (submitted → started), the training (started → ended) and
  ended → the result on the client (the poll delay and the last rerun).
- ``browser``: Chromium (Playwright) clicks Train in the page; click → progress bar and
  click → final curve (the "trained on" caption, two traces, no progress bar), the
  websocket bytes the page received, the last message before the final curve (what
  follows it is the browser's drawing), and the main thread's long tasks (Plotly, React).

Robust to a shared machine: the rerun counts, bytes and fixed poll delays; the times are
printed with the machine's load average. Asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("REGLAB_CALIBRATE", "0")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg  # noqa: E402, TID251 (a client, not regcore)

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.load.conftest import LoadServer  # noqa: E402
from tests.load.stclient import Session  # noqa: E402

RESULT = "trained on"  # the finished run's caption (ui.playground.views.metrics_row)


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


# -- engine ----------------------------------------------------------------------------
def engine(reps: int = 5) -> dict[str, float]:
    import plotly.io

    import regcore
    from regcore.figures import fig_loss_curves, fig_weight_hist, loss_name

    fits, builds, sizes = [], [], {}
    for _ in range(reps):
        t = time.perf_counter()
        res = regcore.fit(regcore.load_config({}))
        fits.append(time.perf_counter() - t)
        t = time.perf_counter()
        figs = {
            "loss curves": fig_loss_curves(res, loss_name=loss_name(res.task)),
            "weight histogram": fig_weight_hist(res),
        }
        specs = {k: plotly.io.to_json(f, validate=False) for k, f in figs.items()}
        builds.append(time.perf_counter() - t)
        sizes = {k: len(v) for k, v in specs.items()}
    return {
        "fit_s": med(fits),
        "figures_s": med(builds),
        **{f"{k} bytes": v for k, v in sizes.items()},
    }


# -- protocol --------------------------------------------------------------------------
@dataclass
class Recorder(Session):
    """A Session that also keeps every message's wall time, kind and size."""

    log: list[tuple[float, str, int, str]] = field(default_factory=list)  # (t, kind, bytes, …)

    async def _read(self) -> None:
        async for raw in self._ws:
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind, extra = msg.WhichOneof("type"), ""
            if kind == "new_session":
                extra = "fragment" if msg.metadata.run.fragment_ids else "full"
            elif kind == "auto_rerun":
                extra = f"{msg.auto_rerun.interval:g}"
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                el = msg.delta.new_element
                if el.WhichOneof("type") == "plotly_chart":
                    kind = "plotly"
            self.log.append((time.time(), kind, len(raw), extra))
            self._handle(msg, time.monotonic())


def runs_after(log: list, t0: float, t1: float) -> list[tuple[str, float, int, int]]:
    """(kind, seconds, bytes, plotly bytes) of each script run between t0 and t1."""
    out, cur = [], None
    for t, kind, n, extra in log:
        if t < t0 or t > t1:
            continue
        if kind == "new_session":
            cur = [extra, t, n, 0]
        elif cur is not None:
            cur[2] += n
            cur[3] += n if kind == "plotly" else 0
            if kind == "script_finished":
                out.append((cur[0], t - cur[1], cur[2], cur[3]))
                cur = None
    return out


async def protocol(server: LoadServer, clicks: int) -> list[dict]:
    tab = await Recorder(server.url, "playground").open()
    out = []
    for i in range(clicks + 1):  # the first click warms up
        await asyncio.sleep(1.0)
        cpu0, t_wall = server.proc_status()["cpu_s"], time.time()
        t = await tab.click("Train")
        assert await tab.wait_for(lambda t=t: tab.first(t, RESULT) is not None, 60)
        seen = t_wall + (tab.first(t, RESULT).t - t)
        await asyncio.sleep(1.2)  # any rerun after the result
        cpu = server.proc_status()["cpu_s"] - cpu0
        job = max(server.records("submit"), key=lambda r: r["id"])
        by = {r["event"]: r for r in server.records() if r.get("id") == job["id"]}
        runs = runs_after(tab.log, t_wall, time.time())
        cadence = {x for tt, k, _, x in tab.log if tt >= t_wall and k == "auto_rerun"}
        if i == 0:
            continue
        out.append(
            {
                "click_to_result_s": seen - t_wall,
                "server_cpu_s": cpu,
                "click_to_submit_s": by["submit"]["t"] - t_wall,
                "queue_wait_s": by["start"]["t"] - by["submit"]["t"],
                "train_s": by["end"]["t"] - by["start"]["t"],
                "end_to_result_s": seen - by["end"]["t"],
                "full_runs": sum(k == "full" for k, *_ in runs),
                "fragment_runs": sum(k == "fragment" for k, *_ in runs),
                "run_s": [round(s, 3) for _, s, _, _ in runs],
                "bytes": sum(n for *_, n, _ in runs),
                "plotly_bytes": sum(p for *_, p in runs),
                "runs_after_result": sum(
                    1 for tt, k, *_ in tab.log if k == "new_session" and tt > seen
                ),
                "cadence_s": sorted(cadence),
            }
        )
    await tab.close()
    return out


# -- browser ---------------------------------------------------------------------------
INIT = """() => {
  window.__ws = [];
  const Orig = window.WebSocket;
  window.WebSocket = function (...a) {
    const ws = new Orig(...a);
    ws.addEventListener('message', (e) => window.__ws.push(
      [performance.now(), e.data.byteLength ?? e.data.size ?? e.data.length]));
    return ws;
  };
  window.WebSocket.prototype = Orig.prototype;
  Object.assign(window.WebSocket, Orig);
  window.__long = [];
  new PerformanceObserver((l) => l.getEntries().forEach((e) =>
    window.__long.push([e.startTime, e.duration]))).observe({type: 'longtask', buffered: true});
}"""
CLICK = """() => new Promise((resolve) => {
  const m = {}, t0 = performance.now();
  const seen = (sel) => document.querySelector(sel) !== null;
  const obs = new MutationObserver(() => {
    const now = performance.now() - t0;
    if (m.progress === undefined && seen('[data-testid="stProgress"]')) m.progress = now;
    const traces = document.querySelectorAll(
      '[data-testid="stPlotlyChart"] .scatterlayer .trace').length;
    const done = [...document.querySelectorAll('[data-testid="stCaptionContainer"]')]
      .some((e) => e.textContent.includes("trained on"));
    const stale = seen('[data-stale="true"]') || seen('[data-testid="stStatusWidget"]');
    if (m.ran === undefined && (stale || m.progress !== undefined)) m.ran = now;
    if (m.ran !== undefined && m.final === undefined && done && traces >= 2 && !stale
        && !seen('[data-testid="stProgress"]')) {
      m.final = now;
      obs.disconnect();
      const ws = window.__ws.filter(([t]) => t >= t0 && t <= t0 + now);
      m.ws_messages = ws.length;
      m.ws_bytes = ws.reduce((s, [, n]) => s + n, 0);
      m.last_ws = ws.length ? ws[ws.length - 1][0] - t0 : 0;
      m.long_ms = window.__long.filter(([t]) => t >= t0 && t <= t0 + now)
        .reduce((s, [, d]) => s + d, 0);
      resolve(m);
    }
  });
  obs.observe(document.body, {childList: true, subtree: true, attributes: true});
  [...document.querySelectorAll('button')].find((b) => b.innerText.trim() === 'Train').click();
})"""


def browser(url: str, clicks: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    out = []
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = b.new_page(viewport={"width": 1600, "height": 1400})
        page.add_init_script(f"({INIT})()")
        page.goto(f"{url}/playground")
        page.get_by_role("button", name="Train", exact=True).wait_for(timeout=60_000)
        for i in range(clicks + 1):  # the first click loads plotly.js into the page
            page.wait_for_function(
                "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000
            )
            page.wait_for_timeout(1500)
            m = page.evaluate(CLICK)
            if i:
                out.append(
                    {
                        k: v / 1000
                        if k in ("progress", "ran", "final", "last_ws", "long_ms")
                        else v
                        for k, v in m.items()
                    }
                )
        b.close()
    return out


# -- report ----------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clicks", type=int, default=5)
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args()
    print(f"bench_latency: {args.clicks} warm clicks per part; {load()}")

    eng = engine()
    print("\nengine (in this process, median):")
    print(f"  fit of the default              {eng['fit_s'] * 1000:8.1f} ms")
    print(f"  final figures built + to JSON   {eng['figures_s'] * 1000:8.1f} ms")
    for k, v in eng.items():
        if k.endswith("bytes"):
            print(f"  {k:<31} {v / 1000:8.1f} kB")

    with (
        tempfile.TemporaryDirectory() as tmp,
        LoadServer(Path(tmp), {"REGLAB_MAX_JOBS": "2"}) as srv,
    ):
        proto = asyncio.run(protocol(srv, args.clicks))
        print(f"\nprotocol client, one session (median of {len(proto)}; {load()}):")
        for k in (
            "click_to_result_s",
            "click_to_submit_s",
            "queue_wait_s",
            "train_s",
            "end_to_result_s",
            "server_cpu_s",
        ):
            print(f"  {k:<31} {med([p[k] for p in proto]) * 1000:8.1f} ms")
        for k in ("full_runs", "fragment_runs", "runs_after_result", "bytes", "plotly_bytes"):
            print(f"  {k:<31} {med([p[k] for p in proto]):8.0f}")
        print(f"  script runs (s), last click     {proto[-1]['run_s']}")
        cadence = sorted({c for p in proto for c in p["cadence_s"]})
        print(f"  fragment cadence asked (s)      {cadence}")
        brow = [] if args.no_browser else browser(srv.url, args.clicks)
    if brow:
        print(f"\nChromium, one tab (median of {len(brow)}; {load()}):")
        for k in ("ran", "progress", "final", "last_ws"):
            xs = [b[k] for b in brow if k in b]
            print(f"  click -> {k:<22} {med(xs) * 1000:8.1f} ms  ({len(xs)} of {len(brow)})")
        draw = med([b["final"] - b["last_ws"] for b in brow])
        print(f"  last message -> final curve     {draw * 1000:8.1f} ms  (drawing)")
        print(
            f"  main-thread long tasks          {med([b['long_ms'] for b in brow]) * 1000:8.1f} ms"
        )
        print(
            f"  websocket messages / bytes      {med([b['ws_messages'] for b in brow]):8.0f} "
            f"/ {med([b['ws_bytes'] for b in brow]):.0f}"
        )

    c2r = med([p["click_to_result_s"] for p in proto])
    print("\nratios (same run):")
    print(
        f"  protocol click->result / training      {c2r / med([p['train_s'] for p in proto]):6.1f}x"
    )
    print(f"  protocol click->result / fit here      {c2r / eng['fit_s']:6.1f}x")
    if brow:
        final = med([b["final"] for b in brow])
        print(f"  browser click->final / protocol        {final / c2r:6.2f}x")
        print(f"  browser click->final                   {final:6.2f} s  (target 0.6 s)")
    print(f"\n{load()}")


if __name__ == "__main__":
    main()
