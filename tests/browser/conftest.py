"""Fixtures for the tests that open the course in a real browser (``-m browser`` selects them).

They drive the system Chromium through Playwright (Playwright's own browser download is not used). Without
Chromium they are skipped, with a note at the end of the run saying how to install it; under CI (``CI=true``)
a missing browser fails them instead, so a green CI run always means the browser really ran.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "build" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
INSTALL_HINT = ("install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`, as `.ci/run` does) "
                "or point KB_CHROMIUM at a Chromium or Chrome binary")
_skipped: list[str] = []


def chromium_path() -> str | None:
    """The browser to drive: $KB_CHROMIUM, else `chromium` on the PATH, else None."""
    candidates = [os.environ.get("KB_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")]
    return next((c for c in candidates if c and Path(c).exists()), None)


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("true", "1", "yes")


def need(what: str, hint: str) -> None:
    """Skip (locally) or fail (in CI) a test that lacks ``what``."""
    message = f"{what}: {hint}"
    if in_ci():
        pytest.fail(f"CI needs the browser tests to run; {message}", pytrace=False)
    _skipped.append(message)
    pytest.skip(message)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: opens the course in a real (headless) Chromium")


def pytest_terminal_summary(terminalreporter):
    if _skipped:
        terminalreporter.section("browser tests skipped")
        for message in sorted(set(_skipped)):
            terminalreporter.write_line(f"SKIPPED browser tests: {message}")


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole session."""
    path = chromium_path()
    if path is None:
        need("no Chromium found", INSTALL_HINT)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


class PageWatch:
    """What a page did wrong: console errors, uncaught script errors, and requests that left this machine
    (refused, and counted)."""

    def __init__(self, page, block_remote: bool = False):
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.remote_requests: list[str] = []
        page.on("console", lambda m: self.console_errors.append(f"{m.text} ({m.location.get('url', '')})")
                if m.type == "error" else None)
        page.on("pageerror", lambda e: self.page_errors.append(str(e)))
        if block_remote:
            page.route("**/*", self._route)

    def _route(self, route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:", "about:")) or url.startswith(
                ("http://127.0.0.1", "http://localhost", "http://[::1]")):
            route.continue_()
        else:
            self.remote_requests.append(url)
            route.abort()


def screenshot(page, *parts: str) -> Path:
    """Save a screenshot of a page (all of it) or of one element under build/screenshots/ (git-ignored) for a
    person to look at."""
    path = SCREENSHOTS.joinpath(*parts)
    path.parent.mkdir(parents=True, exist_ok=True)
    if hasattr(page, "goto"):
        page.screenshot(path=str(path), full_page=True)
    else:
        page.screenshot(path=str(path))
    return path
