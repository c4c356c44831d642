"""The static edition and the browser, as ratios against a floor measured in the same run (part of ``make bench``).

    .venv/bin/python benchmarks/bench_site.py            # html, browser, size
    .venv/bin/python benchmarks/bench_site.py html size --repeats 1

- html: ``tools/build_site.py`` (what ``make html`` runs) / ``jupyter nbconvert --to html`` of the same
  notebooks without execution (target <= 2x). Needs node_modules/ (``make js``).
- browser: in real JupyterLab under Chromium, Run All Cells of each notebook / Run All Cells of a notebook that
  only imports what the course imports (target <= 1.5x). Needs Chromium.
- size: the built site's total and its largest page (budget 40 MB and 5 MB); after ``html``, of that build.
"""
from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tools"))


def report(label: str, measured: list[float], floor: list[float], target: float) -> float:
    ratio = statistics.median(measured) / statistics.median(floor)
    verdict = "ok" if ratio <= target else "OVER TARGET"
    print(f"{label:<58} {statistics.median(measured):8.3f}s / {statistics.median(floor):8.3f}s = {ratio:5.2f}x "
          f"(target <= {target}x) {verdict}", flush=True)
    return ratio


def timed(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_html(work: Path, repeats: int = 3) -> Path:
    from build_site import course_notebooks

    notebooks = [str(nb.path) for nb in course_notebooks()]
    site, plain = work / "site", work / "plain"
    built, floor = [], []
    for _ in range(repeats):
        built.append(timed([PY, "tools/build_site.py", "--out", str(site)]))
        shutil.rmtree(plain, ignore_errors=True)
        floor.append(timed([PY, "-m", "jupyter", "nbconvert", "--to", "html", "--output-dir", str(plain),
                            *notebooks]))
    report(f"make html ({len(notebooks)} notebooks) / nbconvert --to html", built, floor, 2.0)
    return site


def import_only_notebook(folder: Path) -> Path:
    """A notebook with one cell: every import the course's notebooks make."""
    from build_site import course_notebooks

    imports: list[str] = []
    for nb in course_notebooks():
        for cell in json.loads(nb.path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] == "code":
                for line in "".join(cell["source"]).splitlines():
                    if line.startswith(("import ", "from ")) and line not in imports:
                        imports.append(line)
    path = folder / "99_imports_only.ipynb"
    path.write_text(json.dumps({
        "cells": [{"cell_type": "code", "execution_count": None, "id": "imports", "metadata": {}, "outputs": [],
                   "source": "\n".join(imports)}],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                    "language": "python"}},
        "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")
    return path


def bench_browser(work: Path, repeats: int = 3) -> None:
    from browser.conftest import CHROMIUM_ARGS, chromium_path
    from browser.jupyterlab import open_and_run, running_lab
    from build_site import course_notebooks
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        print("browser: skipped (no Chromium; `sudo apt-get install chromium`)")
        return
    notebooks = work / "notebooks"
    shutil.copytree(ROOT / "notebooks", notebooks)
    floor_notebook = import_only_notebook(notebooks)
    with sync_playwright() as playwright, running_lab(work / "lab", notebooks) as lab:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            def run_all(notebook: Path) -> float:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                try:
                    return open_and_run(page, lab, notebook)
                finally:
                    page.close()
                    lab.shut_down_kernels()

            run_all(floor_notebook)  # the first kernel start of the server warms its caches
            for nb in course_notebooks():
                measured, floor = [], []
                for _ in range(repeats):
                    measured.append(run_all(nb.path))
                    floor.append(run_all(floor_notebook))
                report(f"browser: Run All of {nb.stem} / of imports only", measured, floor, 1.5)
        finally:
            browser.close()


def bench_size(site: Path | None) -> None:
    from build_site import sizes

    site = site or ROOT / "site"
    if not (site / "index.html").exists():
        print("size: no site built (make html)")
        return
    pages, total = sizes(site)
    name, largest = pages[0]
    print(f"{'site size (budget 40 MB)':<58} {total / 2**20:8.1f} MB")
    print(f"{'largest page, HTML only (budget 5 MB): ' + name:<58} {largest / 2**20:8.2f} MB")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("parts", nargs="*", choices=["html", "browser", "size", []], help="default: all three")
    parser.add_argument("--repeats", type=int, default=3, help="alternating runs of each side (default 3)")
    args = parser.parse_args(argv)
    wanted = args.parts or ["html", "browser", "size"]
    with tempfile.TemporaryDirectory(prefix="kb-bench-site-") as tmp:
        work = Path(tmp)
        site = bench_html(work, args.repeats) if "html" in wanted else None
        if "browser" in wanted:
            bench_browser(work, args.repeats)
        if "size" in wanted:
            bench_size(site)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
