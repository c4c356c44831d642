"""Real JupyterLab for the browser tests and the benchmarks: a server on 127.0.0.1 at a free port with a token,
serving a copy of notebooks/ (so nothing the browser does can change the repository), with every Jupyter,
IPython, matplotlib and XDG settings folder in a temporary directory, stopped whatever happens; and the
student's moves: open a notebook, clear its outputs, run all its cells from the menus.
"""
from __future__ import annotations

import contextlib
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

from playwright.sync_api import TimeoutError as PlaywrightTimeout

ROOT = Path(__file__).resolve().parents[2]
RUN_TIMEOUT_MS = 180_000

__all__ = ["Lab", "LabError", "running_lab", "open_and_run", "menu", "kernel_idle"]


class LabError(RuntimeError):
    """JupyterLab did not start, or a notebook did not finish."""


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
    """Where the server is and how to open a notebook in it."""

    def __init__(self, url: str, token: str):
        self.url, self.token = url, token

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}&reset"

    def shut_down_kernels(self) -> None:
        """Stop every running kernel (a closed tab leaves its kernel running)."""
        headers = {"Authorization": f"token {self.token}"}
        with urllib.request.urlopen(urllib.request.Request(f"{self.url}/api/kernels", headers=headers)) as answer:
            kernels = json.load(answer)
        for kernel in kernels:
            request = urllib.request.Request(f"{self.url}/api/kernels/{kernel['id']}", headers=headers,
                                             method="DELETE")
            urllib.request.urlopen(request).close()


@contextlib.contextmanager
def running_lab(home: Path, notebooks: Path = ROOT / "notebooks"):
    """A JupyterLab server on a copy of ``notebooks`` inside ``home``, stopped at the end whatever happens."""
    root = home / "course"
    shutil.copytree(notebooks, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
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
                raise LabError(f"JupyterLab exited with {server.returncode}:\n{(home / 'lab.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise LabError(f"JupyterLab did not answer in 60 s:\n{(home / 'lab.log').read_text()}") from None
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


def open_and_run(page, lab: Lab, notebook: Path) -> float:
    """Open ``notebook``, clear its stored outputs and run every cell from the Run menu; wait for the end.
    Returns the seconds from the click on Run All Cells to the last cell's result."""
    page.goto(lab.notebook_url(notebook.name))
    page.locator(".jp-NotebookPanel .jp-Cell").first.wait_for(timeout=60_000)
    kernel_idle(page, 90_000)
    menu(page, "Edit", "Clear Outputs of All Cells")
    page.wait_for_function("""() => [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
        .every(p => !/\\d/.test(p.textContent))""", timeout=10_000)
    menu(page, "Run", "Run All Cells")
    started = time.perf_counter()
    try:
        page.wait_for_function("""() => {
            const prompts = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')];
            return prompts.length > 0 && prompts.every(p => /^\\[\\d+\\]:$/.test(p.textContent.trim()));
        }""", timeout=RUN_TIMEOUT_MS, polling=250)
    except PlaywrightTimeout:
        prompts = page.locator(".jp-CodeCell .jp-InputArea-prompt").all_inner_texts()
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        raise LabError(f"{notebook.name}: cells still not run after {RUN_TIMEOUT_MS / 1000:.0f} s: {prompts}; "
                       f"error outputs: {errors.all_inner_texts()}") from None
    elapsed = time.perf_counter() - started
    kernel_idle(page, 30_000)
    return elapsed


