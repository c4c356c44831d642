"""The static edition (``make html``) in a real browser, with the network cut off.

The site is built afresh into a temporary folder by ``tools/build_site.py`` (it needs the JavaScript that
``npm ci`` installs into node_modules/; nothing is fetched here) and served from 127.0.0.1. Every request for
anything not on this machine is refused and counted: none is allowed.
"""
from __future__ import annotations

import functools
import http.server
import io
import re
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import unquote, urlparse

import pandas as pd
import pytest

from .conftest import ROOT, PageWatch, need, screenshot

pytestmark = pytest.mark.browser

PAGE_LIMIT = 5 * 2**20
SITE_LIMIT = 40 * 2**20


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    if not (ROOT / "node_modules").is_dir():
        need("node_modules/ is missing", "run `npm ci` (or `make html`) to install the site's pinned JavaScript")
    out = tmp_path_factory.mktemp("site") / "site"
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"the site did not build:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return out


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def served(site):
    """The site over HTTP on 127.0.0.1, as any static host would serve it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def open_offline(browser, url: str):
    page = browser.new_page(viewport={"width": 1300, "height": 900})
    watch = PageWatch(page, block_remote=True)
    loaded: list[str] = []
    page.on("request", lambda request: loaded.append(request.url))
    page.goto(url, wait_until="networkidle")
    return page, watch, loaded


def weight(site: Path, urls: list[str]) -> int:
    """Bytes of the site's files a page loaded (the page and everything it pulled in)."""
    files = {site / unquote(urlparse(u).path).lstrip("/") for u in urls if u.startswith("http://127.0.0.1")}
    return sum(f.stat().st_size for f in files if f.is_file())


def test_the_site_keeps_to_its_budget(site):
    total = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    assert total < SITE_LIMIT, f"the site is {total / 2**20:.1f} MB; the budget is 40 MB"
    notebooks = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    for notebook in notebooks:
        assert (site / "notebooks" / f"{notebook.stem}.html").is_file(), f"no page for {notebook.name}"
    index = (site / "index.html").read_text(encoding="utf-8")
    listed = re.findall(r'href="notebooks/(\d\d_[^"]+)\.html"', index)
    assert listed == [n.stem for n in notebooks], "the index does not list the notebooks in course order"


def test_every_page_loads_with_no_request_off_this_machine(browser, site, served):
    pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
    assert len(pages) >= len(list((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))) + 3
    problems = []
    for name in pages:
        page, watch, loaded = open_offline(browser, f"{served}/{name}")
        try:
            views = page.locator("script[type='application/vnd.jupyter.widget-view+json']").count()
            if views:  # the saved explorers are drawn by the local widget manager
                page.wait_for_function(f"document.querySelectorAll('.jupyter-widgets.widget-vbox, "
                                       f".jupyter-widgets .widget-vbox').length >= {views}", timeout=30_000)
            screenshot(page, "site", name.replace("/", "__") + ".png")
            size = weight(site, loaded)
            if watch.remote_requests:
                problems.append(f"{name}: {len(watch.remote_requests)} requests off the machine: "
                                f"{watch.remote_requests[:5]}")
            if watch.page_errors or watch.console_errors:
                problems.append(f"{name}: script errors {watch.page_errors} console {watch.console_errors}")
            if size > PAGE_LIMIT:
                problems.append(f"{name}: {size / 2**20:.1f} MB with what it loads; the budget is 5 MB")
        finally:
            page.close()
    assert problems == []


def test_the_day_slider_works_without_a_kernel(browser, site, served, data):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from kb import plots
    from kb.base import format_day

    pages = [p for p in sorted(site.glob("notebooks/*.html")) if 'class="kb-dayslider"' in p.read_text("utf-8")]
    assert pages, "no page of the site has the kernel-less day slider"
    page, watch, _ = open_offline(browser, f"{served}/notebooks/{pages[0].name}")
    try:
        box = page.locator(".kb-dayslider").first
        slider = box.locator("input[type=range]")
        first = pd.Timestamp(box.get_attribute("data-day"))
        start = data.status_on(first)
        target = next(d for d in (first + pd.Timedelta(days=n) for n in range(1, 60))
                      if list(data.status_on(d)["status"]) != list(start["status"]))
        slider.focus()
        for _ in range((target - first).days):
            page.keyboard.press("ArrowRight")
        assert box.locator("output").inner_text() == format_day(target)
        panel = box.locator(".kb-day-panel:visible")
        assert panel.count() == 1
        assert panel.get_by_text(f"As of {format_day(target)}").count() == 1
        rows = [r.locator("td").all_inner_texts() for r in panel.locator("tbody tr").all()]
        expected = data.status_on(target)
        assert [(r[0], r[1]) for r in rows] == list(zip(expected["district"], expected["status"].astype(str),
                                                        strict=True))
        image = box.locator("img.kb-day-map")
        src = image.get_attribute("src")
        assert src.endswith(f"{target:%Y-%m-%d}.png")
        page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
        # the picture shown is kb.plots.map for that very day (figures repeat byte for byte)
        buffer = io.BytesIO()
        fig = plots.map(data, day=target)
        fig.savefig(buffer, format="png", dpi=80, metadata={"Software": None})
        plt.close(fig)
        assert (pages[0].parent / src).read_bytes() == buffer.getvalue()
        assert watch.remote_requests == [] and watch.page_errors == []
        screenshot(box, "site", f"dayslider-{target:%Y-%m-%d}.png")
    finally:
        page.close()


def test_the_timeline_page_renders_offline(browser, site, served, data):
    page, watch, _ = open_offline(browser, f"{served}/timeline.html")
    try:
        page.locator(".tl-timeline").wait_for(timeout=30_000)
        slides = page.locator(".tl-slide")
        assert slides.count() == len(data.events) + 1  # a title slide, then one per event
        page.locator(".tl-slidenav-next").first.click()
        first = data.events.sort_values("date_start")["headline"].iloc[0]
        page.locator(".tl-slide-content-container .tl-headline", has_text=first).first.wait_for(
            state="visible", timeout=10_000)
        assert watch.remote_requests == [] and watch.page_errors == [] and watch.console_errors == []
        screenshot(page, "site", "timeline-first-event.png")
    finally:
        page.close()
