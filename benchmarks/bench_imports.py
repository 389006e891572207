"""What the server loads at start and on each page: modules, heavy packages, resident memory.

Each row is a fresh process: ``app.py`` run through Streamlit's AppTest (the first page view,
which starts the warm thread: torch's first steps, the optimizers, optionally the estimate's
calibration), then the page opened and, with ``--train``, its main button pressed once; the
warm thread's start-up work is waited for. Printed: the modules loaded (and how many the
heavy packages hold: torch, sklearn, scipy, pandas, pyarrow, sympy, ray) and the process's
VmRSS. AppTest itself adds ~10 MB and a few hundred modules to every row. Asserts nothing.

    python benchmarks/bench_imports.py [--train] [--calibrate]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGES = ("start", "playground", "compare", "sweep", "dropout", "learn")
HEAVY = ("torch", "sklearn", "scipy", "pandas", "pyarrow", "sympy", "ray")
BUTTONS = {"playground": "Train", "compare": "Train all", "sweep": "Sweep", "dropout": "Train all"}
ONE_PAGE = """
import json, sys, threading, time
sys.path.insert(0, {root!r})
from streamlit.testing.v1 import AppTest
at = AppTest.from_file({app!r}, default_timeout=300).run()
page, train = {page!r}, {train!r}
if page != "start":
    at.switch_page(f"pages/{{page}}.py").run()
if train and page in {buttons!r}:
    next(b for b in at.button if b.label == {buttons!r}[page]).click().run()
    while any(b.label == "Stop" and not b.disabled for b in at.button):
        time.sleep(0.2)
        at.run()
warm = [t for t in threading.enumerate() if t.name == "reglab-warm"]
for _ in range(600):  # the warm-up is done once the thread waits for its first collection
    frames = sys._current_frames()
    if all(t.ident not in frames or frames[t.ident].f_code.co_name == "wait" for t in warm):
        break
    time.sleep(0.1)
rss = [line for line in open("/proc/self/status") if line.startswith("VmRSS")][0]
tops = [m.split(".")[0] for m in sys.modules]
print(json.dumps({{"modules": len(sys.modules), "rss_mb": int(rss.split()[1]) // 1024,
    **{{h: tops.count(h) for h in {heavy!r}}}, "errors": len(at.exception)}}))
"""


def measure(page: str, train: bool, calibrate: bool) -> dict:
    """One fresh process: the app, then ``page`` (and its Train), then its figures."""
    code = ONE_PAGE.format(
        root=str(ROOT),
        app=str(ROOT / "app.py"),
        page=page,
        train=train,
        buttons=BUTTONS,
        heavy=HEAVY,
    )
    env = {**os.environ, "REGLAB_CALIBRATE": "1" if calibrate else "0"}
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-3000:])
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", action="store_true", help="press each page's main button once")
    ap.add_argument("--calibrate", action="store_true", help="the warm thread calibrates too")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.1f}; train={args.train} calibrate={args.calibrate}")
    print(f"{'page':12s} {'modules':>7s} {'RSS MB':>7s} " + " ".join(f"{h:>7s}" for h in HEAVY))
    for page in PAGES:
        row = measure(page, args.train, args.calibrate)
        heavy = " ".join(f"{row[h]:7d}" for h in HEAVY)
        print(f"{page:12s} {row['modules']:7d} {row['rss_mb']:7d} {heavy}")


if __name__ == "__main__":
    main()
