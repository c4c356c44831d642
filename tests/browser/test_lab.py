"""The course as a student meets it: real JupyterLab in a real (headless) Chromium.

One JupyterLab server for the module (see jupyterlab.py: 127.0.0.1, a free port, a token, a copy of
notebooks/, every settings folder temporary, shut down whatever happens). Each notebook is opened, its
outputs cleared, and all its cells run from the menus, as a student would.
"""
from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from .conftest import ROOT, PageWatch, screenshot
from .jupyterlab import LabError, open_and_run, running_lab

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def notebook_using(name: str) -> Path:
    """The first notebook whose code calls ``name`` (so the tests follow the course as it changes)."""
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(c["cell_type"] == "code" and f"{name}(" in "".join(c["source"]) for c in cells):
            return path
    pytest.fail(f"no notebook in notebooks/ uses {name}")


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """A JupyterLab server on a copy of notebooks/, stopped at the end whatever happens."""
    try:
        with running_lab(tmp_path_factory.mktemp("lab")) as server:
            yield server
    except LabError as error:
        pytest.fail(str(error))


def error_outputs(page) -> list[str]:
    shown = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    texts = [shown.nth(i).inner_text()[:500] for i in range(shown.count())]
    broken = page.get_by_text("Error displaying widget")
    return texts + ["a widget failed to display"] * broken.count()


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_notebook_runs_in_jupyterlab_without_errors(browser, lab, notebook):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    watch = PageWatch(page)
    try:
        open_and_run(page, lab, notebook)
        counts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        expected = sum(c["cell_type"] == "code" for c in json.loads(notebook.read_text("utf-8"))["cells"])
        assert len(counts) == expected, f"{notebook.name}: {len(counts)} code cells shown, {expected} in the file"
        assert error_outputs(page) == [], f"{notebook.name} shows error output"
        assert watch.page_errors == [], f"{notebook.name}: script errors in the page"
        assert watch.console_errors == [], f"{notebook.name}: errors in the browser console"
    finally:
        screenshot(page, "lab", f"{notebook.stem}.png")
        page.close()
        lab.shut_down_kernels()


def widget_cell(page, code_fragment: str):
    """The notebook cell whose code contains ``code_fragment``."""
    return page.locator(".jp-CodeCell", has=page.locator(".jp-InputArea-editor", has_text=code_fragment)).first


def test_day_slider_shows_that_days_status(browser, lab, data):
    from kb.base import format_day

    notebook = notebook_using("StatusExplorer")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        open_and_run(page, lab, notebook)
        cell = widget_cell(page, "StatusExplorer(")
        slider = cell.locator(".widget-slider", has=page.locator(".widget-label", has_text="As of"))
        readout = slider.locator(".widget-readout")
        day = pd.Timestamp(readout.inner_text().strip())
        start = data.status_on(day)
        # the first later day on which some district's status differs, so an unchanged table cannot pass
        target = next(d for d in (day + pd.Timedelta(days=n) for n in range(1, 60))
                      if list(data.status_on(d)["status"]) != list(start["status"]))
        slider.locator(".noUi-handle").focus()
        for _ in range((target - day).days):
            page.keyboard.press("ArrowRight")
        assert readout.inner_text().strip() == format_day(target)
        expected = data.status_on(target)
        cell.get_by_text(f"As of {format_day(target)}").wait_for(timeout=30_000)
        table = cell.locator("table").last
        header = table.locator("thead th").all_inner_texts()
        rows = [dict(zip(header, r.locator("td").all_inner_texts(), strict=True))
                for r in table.locator("tbody tr").all()]
        assert [(r["district"], r["status"]) for r in rows] == list(zip(expected["district"], expected["status"],
                                                                         strict=True))
        screenshot(cell, "lab", f"{notebook.stem}-slider-{target:%Y-%m-%d}.png")
    finally:
        page.close()
        lab.shut_down_kernels()


def test_timeline_filter_changes_the_list(browser, lab, data):
    notebook = notebook_using("TimelineExplorer")
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        open_and_run(page, lab, notebook)
        cell = widget_cell(page, "TimelineExplorer(")

        def choose(label: str, option: str) -> None:
            box = cell.locator(".widget-dropdown", has=page.locator(".widget-label", has_text=label))
            box.locator("select").select_option(label=option)

        for label in ("Era", "Type", "Place", "Actor"):  # a known start, whatever the notebook set
            choose(label, "(any)")
        everything = data.timeline()
        cell.get_by_text(f"{len(everything)} events match.").wait_for(timeout=30_000)
        kinds = everything["event_type"].value_counts()
        kind = str(kinds[kinds > 1].index[-1])  # a type with few events
        choose("Type", kind)
        expected = data.timeline(event_type=kind)
        assert 1 < len(expected) < len(everything)
        cell.get_by_text(f"{len(expected)} events match.").wait_for(timeout=30_000)
        table = cell.locator("table").last
        header = table.locator("thead th").all_inner_texts()
        listed = [dict(zip(header, r.locator("td").all_inner_texts(), strict=True))
                  for r in table.locator("tbody tr").all()]
        assert [r["headline"] for r in listed] == list(expected["headline"])
        assert {r["type"] for r in listed} == {kind}
        screenshot(cell, "lab", f"{notebook.stem}-filter.png")
    finally:
        page.close()
        lab.shut_down_kernels()
