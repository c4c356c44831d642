"""The course as a student meets it: real JupyterLab in a real (headless) Chromium.

One JupyterLab server for the module, on 127.0.0.1 at a free port with a token, serving a copy of notebooks/
(so nothing the browser does can change the repository), with every Jupyter, IPython, matplotlib and XDG
settings folder in a temporary directory; it is shut down whatever happens. Each notebook is opened, its
outputs cleared, and all its cells run from the menus, as a student would.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import ROOT, PageWatch, screenshot

pytestmark = pytest.mark.browser

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
RUN_TIMEOUT_MS = 180_000


def notebook_using(name: str) -> Path:
    """The first notebook whose code calls ``name`` (so the tests follow the course as it changes)."""
    for path in NOTEBOOKS:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        if any(c["cell_type"] == "code" and f"{name}(" in "".join(c["source"]) for c in cells):
            return path
    pytest.fail(f"no notebook in notebooks/ uses {name}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def lab_environment(home: Path) -> dict[str, str]:
    """Environment variables that keep every settings and state folder inside ``home``."""
    folders = {
        "HOME": "home", "JUPYTER_CONFIG_DIR": "jupyter/config", "JUPYTER_DATA_DIR": "jupyter/data",
        "JUPYTER_RUNTIME_DIR": "jupyter/runtime", "JUPYTER_PATH": "jupyter/path",
        "JUPYTERLAB_SETTINGS_DIR": "lab/settings", "JUPYTERLAB_WORKSPACES_DIR": "lab/workspaces",
        "IPYTHONDIR": "ipython", "MPLCONFIGDIR": "matplotlib", "XDG_CONFIG_HOME": "xdg/config",
        "XDG_CACHE_HOME": "xdg/cache", "XDG_DATA_HOME": "xdg/data", "XDG_RUNTIME_DIR": "xdg/runtime",
    }
    env = dict(os.environ)
    for name, sub in folders.items():
        (home / sub).mkdir(parents=True, exist_ok=True)
        env[name] = str(home / sub)
    os.chmod(home / "xdg/runtime", 0o700)
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    # the kernel is this interpreter, whatever kernelspec a notebook stored or the machine has elsewhere
    spec = home / "jupyter/path/kernels/python3"
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (ipykernel)", "language": "python"}))
    settings = {
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},  # every cell in the page
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
    }
    for name, values in settings.items():
        path = home / "lab/settings" / f"{name}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    return env


class Lab:
    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"


@pytest.fixture(scope="module")
def lab(browser, tmp_path_factory):
    """A JupyterLab server on a copy of notebooks/, stopped at the end whatever happens."""
    home = tmp_path_factory.mktemp("lab")
    root = home / "course"
    shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    env = lab_environment(home)
    port, token = free_port(), secrets.token_hex(16)
    command = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root / 'notebooks'}", "--LabApp.news_url=",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        command.append("--allow-root")
    log = (home / "lab.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{(home / 'lab.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not answer in 60 s:\n{(home / 'lab.log').read_text()}")
                time.sleep(0.3)
        yield Lab(url, token)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        log.close()


def menu(page, top: str, item: str) -> None:
    page.locator(".lm-MenuBar-item", has_text=top).first.click()
    page.locator(".lm-Menu-item:visible", has=page.locator(".lm-Menu-itemLabel", has_text=re.compile(
        f"^{re.escape(item)}$"))).first.click()


def kernel_idle(page, timeout: int) -> None:
    """Wait until the status bar says the notebook's kernel is connected and idle (not just the page)."""
    page.locator(".jp-StatusBar-TextItem", has_text=re.compile(r"\|\s*Idle\s*$")).first.wait_for(timeout=timeout)


def open_and_run(page, lab: Lab, notebook: Path) -> None:
    """Open ``notebook``, clear its stored outputs and run every cell from the Run menu; wait for the end."""
    page.goto(lab.notebook_url(notebook.name))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    kernel_idle(page, 90_000)
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .every(p => !/\\d/.test(p.textContent))""", timeout=10_000)
    menu(page, "Run", "Run All Cells")
    try:
        page.wait_for_function("""() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""", timeout=RUN_TIMEOUT_MS, polling=250)
    except PlaywrightTimeout:
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        pytest.fail(f"{notebook.name}: cells still not run after {RUN_TIMEOUT_MS / 1000:.0f} s: {prompts}")
    kernel_idle(page, 30_000)


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
