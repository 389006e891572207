"""The container recipe, tested as far as a machine without a container runtime allows.

What runs here: the Dockerfile's facts (base image, CPU-only torch at the pinned version,
non-root user, port, health check, start command), the .dockerignore keeping what the app
needs, the image's start command as an unprivileged user (the app serves, the HEALTHCHECK
command passes, the user can write the upload folder), and the install command resolving in
a fresh venv. What does not: building the image, and the install from PyTorch's CPU index
(this machine reaches only the package registries).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, free_port

DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
NOBODY = 65534


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, argument) pairs, continuation lines joined, comments dropped."""
    text = re.sub(r"\\\n", " ", DOCKERFILE)
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def _one(word: str) -> str:
    found = [arg for w, arg in _instructions() if w == word]
    assert len(found) == 1, f"the Dockerfile should have one {word}: {found}"
    return found[0]


def _torch_pin() -> str:
    pins = re.findall(r"^torch==(\S+)", (ROOT / "requirements.txt").read_text(), re.M)
    assert pins, "requirements.txt pins torch"
    return pins[0]


def test_dockerfile_builds_a_slim_cpu_only_non_root_image():
    assert _one("FROM") == "python:3.11-slim"
    runs = " ".join(arg for w, arg in _instructions() if w == "RUN")
    assert (
        f"pip install torch=={_torch_pin()} --index-url https://download.pytorch.org/whl/cpu"
        in (runs)
    )
    assert runs.index("whl/cpu") < runs.index("-r requirements.txt"), "CPU torch goes first"
    user = _one("USER")
    assert user not in ("root", "0"), user
    assert f"useradd --create-home --uid 1000 {user}" in runs
    assert _one("EXPOSE") == "8501"
    health = _one("HEALTHCHECK")
    assert "/_stcore/health" in health and "CMD " in health
    cmd = json.loads(_one("CMD"))
    assert cmd[:3] == ["streamlit", "run", "app.py"] and "--server.port=8501" in cmd


def _ignored(path: str, patterns: list[str]) -> bool:
    parts = path.split("/")
    for pat in patterns:
        pat = pat.removeprefix("**/")
        if any(fnmatch.fnmatch(p, pat) for p in parts) or fnmatch.fnmatch(path, pat):
            return True
    return False


def test_dockerignore_keeps_what_the_app_reads():
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    if not tracked:
        pytest.skip("not a git checkout")
    needed = [
        p
        for p in tracked
        if p in ("app.py", "requirements.txt", ".streamlit/config.toml")
        or p.split("/")[0] in ("pages", "ui", "regcore")
    ]
    assert needed and not [p for p in needed if _ignored(p, patterns)]
    for left_out in (".venv/bin/python", ".git/HEAD", "tests/conftest.py", "artifacts/x.png"):
        assert _ignored(left_out, patterns), left_out


def _as_image_user() -> list[str]:
    """Run a command as an unprivileged user, as the image does (root here: CI)."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]


def test_image_start_command_serves_as_an_unprivileged_user(tmp_path):
    as_user = _as_image_user()
    if as_user and subprocess.run([*as_user, "test", "-r", str(ROOT / "app.py")]).returncode:
        pytest.skip("this checkout is not readable by an unprivileged user")
    home = Path(tempfile.mkdtemp(prefix="reglab-home-"))
    os.chmod(home, 0o777)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    env.update(HOME=str(home), PYTHONDONTWRITEBYTECODE="1", TMPDIR=str(home))
    # the image's CMD, with this venv's streamlit and a loopback address (tests bind 127.0.0.1)
    cmd = json.loads(_one("CMD"))
    cmd = [sys.executable, "-m", *cmd] if cmd[0] == "streamlit" else cmd
    cmd = [a.replace("0.0.0.0", "127.0.0.1").replace("8501", str(port)) for a in cmd]
    log = open(tmp_path / "server.log", "wb")
    proc = subprocess.Popen([*as_user, *cmd], cwd=ROOT, env=env, stdout=log, stderr=log)
    try:
        health = shlex.split(_one("HEALTHCHECK").split("CMD ", 1)[1])
        health = [sys.executable if a == "python" else a.replace("8501", str(port)) for a in health]
        deadline = time.monotonic() + 90
        while subprocess.run([*as_user, *health], env=env, capture_output=True).returncode:
            assert proc.poll() is None, (tmp_path / "server.log").read_text()[-2000:]
            assert time.monotonic() < deadline, "the health check never passed"
            time.sleep(0.5)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=10) as page:
            assert page.status == 200
        # what the app writes: an upload, under the temp folder, as the image's user
        store = (
            "import ui.kit.upload as u; p = u._store(b'a,b\\n1,2\\n'); "
            "assert p.read_bytes() == b'a,b\\n1,2\\n'; print(p)"
        )
        done = subprocess.run(
            [*as_user, sys.executable, "-c", store],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert done.stdout.strip().startswith(str(home))
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def test_image_install_command_resolves_in_a_fresh_venv(tmp_path):
    """The image's second install step (every pin but the CPU torch index) resolves on the
    package registry from a fresh venv (--dry-run: nothing is downloaded past metadata)."""
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    pip = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python")]
    done = subprocess.run(
        [*pip, "install", "--dry-run", "--quiet", "-r", str(ROOT / "requirements.txt")],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert done.returncode == 0, done.stderr[-2000:]
