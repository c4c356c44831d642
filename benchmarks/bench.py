"""Speed, as ratios against a floor measured in the same run on the same machine.

    make bench

Each line: what is measured, its median time, the floor's median time, the ratio and the target.
Medians of several alternating runs, so a busy moment hurts both sides alike.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def fresh(code: str) -> float:
    start = time.perf_counter()
    subprocess.run([PY, "-c", code], check=True, cwd=ROOT)
    return time.perf_counter() - start


def in_process(fn, number: int = 5) -> float:
    start = time.perf_counter()
    for _ in range(number):
        fn()
    return (time.perf_counter() - start) / number


def compare(label: str, measured, floor, target: float, repeats: int = 7) -> float:
    """Run ``measured`` and ``floor`` alternately ``repeats`` times; print and return the ratio of medians."""
    a, b = [], []
    for _ in range(repeats):
        a.append(measured())
        b.append(floor())
    ratio = statistics.median(a) / statistics.median(b)
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{label:<58} {statistics.median(a):8.3f}s / {statistics.median(b):8.3f}s = {ratio:5.2f}x "
          f"(target <= {target}x) {verdict}", flush=True)
    return ratio


def data_files() -> list[str]:
    from kb.package import default_data_dir

    return sorted(str(p) for p in default_data_dir().glob("*.csv"))


def bench_load() -> None:
    files = data_files()
    compare("cold start: import kb; kb.load()  /  import pandas; read_csv",
            lambda: fresh("import kb; kb.load()"),
            lambda: fresh(f"import pandas; [pandas.read_csv(f) for f in {files!r}]"),
            target=1.3)
    import pandas
    import kb

    compare("in process: kb.load()  /  read_csv of the same files",
            lambda: in_process(kb.load),
            lambda: in_process(lambda: [pandas.read_csv(f) for f in files]),
            target=3.0)


BENCHES = [bench_load]


def bench_setup() -> None:
    """A fresh clone's `make env` (uv, cold cache) against a bare pip install of the course's main packages."""
    import os
    import shutil
    import tempfile

    def make_env() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["git", "clone", "--quiet", str(ROOT), tmp], check=True)
            env = dict(os.environ, UV_CACHE_DIR=str(Path(tmp) / ".uv-cache"), PYTHON=shutil.which("python3"))
            start = time.perf_counter()
            subprocess.run(["make", "-s", "env"], cwd=tmp, env=env, check=True, capture_output=True)
            return time.perf_counter() - start

    def bare_pip() -> float:
        with tempfile.TemporaryDirectory() as tmp:
            start = time.perf_counter()
            subprocess.run([shutil.which("python3"), "-m", "venv", f"{tmp}/venv"], check=True)
            subprocess.run([f"{tmp}/venv/bin/pip", "install", "--quiet", "jupyterlab", "pandas", "matplotlib",
                            "ipywidgets", "nbval"], check=True, capture_output=True)
            return time.perf_counter() - start

    compare("set-up: make env on a fresh clone  /  bare pip install", make_env, bare_pip, target=0.5, repeats=2)


BENCHES.append(bench_setup)

if __name__ == "__main__":
    print(f"python {sys.version.split()[0]} on {sys.platform}; medians of alternating runs")
    for bench in BENCHES:
        bench()
