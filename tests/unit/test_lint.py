"""The team's agreements that a machine can check: ruff clean, and regcore free of Streamlit."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _ruff(*args: str) -> subprocess.CompletedProcess:
    exe = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(exe).exists():
        pytest.skip("ruff is not installed")
    return subprocess.run([exe, *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_lint_ruff_check_is_clean():
    proc = _ruff("check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_lint_ruff_format_is_clean():
    proc = _ruff("format", "--check", ".")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_lint_regcore_never_mentions_streamlit_imports():
    for path in (ROOT / "regcore").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            stripped = line.strip()
            assert not stripped.startswith(("import streamlit", "from streamlit")), path


@pytest.mark.parametrize(
    ("code", "rule"),
    [
        ("eval(input())\n", "S307"),
        ("import pickle\n\npickle.loads(b'')\n", "S301"),
        ("exec('1')\n", "S102"),
    ],
)
def test_lint_user_input_is_never_evaluated_or_unpickled(code, rule):
    proc = subprocess.run(
        [shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))]
        + ["check", "--no-cache", "--stdin-filename", "regcore/x.py", "-"],
        cwd=ROOT,
        input=code,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and rule in proc.stdout, proc.stdout + proc.stderr


def test_regcore_import_does_not_import_streamlit():
    code = "import sys, regcore; assert 'streamlit' not in sys.modules, 'streamlit imported'"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
