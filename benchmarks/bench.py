"""Speed, as ratios against a floor measured in the same run on the same machine.

    make bench                                   # all of them
    .venv/bin/python benchmarks/bench.py load slider    # some of them (load, slider, notebooks, setup)

Each line: what is measured, its median time, the floor's median time, the ratio and the target.
Medians of several alternating runs, so a busy moment hurts both sides alike.
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def fresh_cmd(argv: list[str]) -> float:
    """Seconds a command takes in a new process."""
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def fresh(code: str) -> float:
    """Seconds ``python -c code`` takes in a new process."""
    return fresh_cmd([PY, "-c", code])


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


def bench_notebooks() -> None:
    """The course under strict nbval against a floor of trivial notebooks."""
    import shutil
    import tempfile

    import nbformat

    course = sorted((ROOT / "notebooks").glob("*.ipynb"))
    imports = nbformat.read(course[0], as_version=4).cells
    imports = next(c.source for c in imports if c.cell_type == "code")
    # kb.plots and kb.widgets import these lazily; every notebook of the course draws a figure and a widget
    imports += "\nimport matplotlib.figure, matplotlib.backends.backend_agg, ipywidgets"
    tmp = Path(tempfile.mkdtemp(prefix="kb-bench-"))
    try:
        for i in range(len(course)):  # as many notebooks, each only the course's imports cell
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(imports)])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            nbformat.write(nb, tmp / f"trivial_{i}.ipynb")

        def pytest_over(target):
            # the project's pytest settings (strict nbval, sanitize file) for both sides
            return lambda: fresh_cmd([PY, "-m", "pytest", "-q", "-c", str(ROOT / "pyproject.toml"), str(target)])

        compare(f"strict nbval over the {len(course)} notebooks  /  as many import-only notebooks",
                pytest_over(ROOT / "notebooks"), pytest_over(tmp), target=1.5, repeats=3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)



def bench_slider() -> None:
    """One step of the day slider (a new frame, the map restyled, the PNG shown) against a bare
    ``fig.canvas.draw()`` of the same figure, and against building that figure from scratch."""
    import kb
    from kb import widgets
    from kb.plots._style import style
    from kb.plots.maps import status_figure

    data = kb.load()
    explorer = widgets.StatusExplorer(data, end="2020-12-31")
    fig = explorer._map[0]
    days = explorer.days[1:25]
    state = {"i": 0}

    def step():
        state["i"] = (state["i"] + 1) % len(days)
        explorer.set_day(days[state["i"]])

    def bare_draw():
        with style():
            fig.canvas.draw()

    def from_scratch():
        state["i"] = (state["i"] + 1) % len(days)
        with style():
            new, _ = status_figure(data, days[state["i"]])
            new.canvas.draw()

    compare("one step of the day slider  /  a bare fig.canvas.draw() of its map",
            lambda: in_process(step), lambda: in_process(bare_draw), target=1.3)
    compare("one step of the day slider  /  building its map from scratch",
            lambda: in_process(step), lambda: in_process(from_scratch), target=0.5)


BENCHES = {"load": bench_load, "slider": bench_slider, "notebooks": bench_notebooks, "setup": bench_setup}

if __name__ == "__main__":
    chosen = sys.argv[1:] or list(BENCHES)
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(f"python {sys.version.split()[0]} on {sys.platform}; CPUs: {cpus}; medians of alternating runs")
    for name in chosen:
        BENCHES[name]()
