"""Build the static edition of the course (``make html``): a folder of pages that needs no Python and no network.

    python tools/build_site.py              # into site/
    python tools/build_site.py --out DIR

The site mirrors the repository: ``notebooks/NN_name.html`` for every course notebook (its stored outputs and
figures, converted by nbconvert without running anything), the teacher's guide, the glossary, the data
dictionary, the figure gallery and the package README as pages, an index in course order, and ``timeline.html``,
an interactive timeline of the events (``KB.to_timelinejs()``) drawn by TimelineJS.

Everything a page loads comes from the site itself. The JavaScript (the Jupyter widget manager, RequireJS,
TimelineJS) is installed from the npm registry at the versions pinned in ``package-lock.json`` (``npm ci``, which
``make html`` runs) and copied from ``node_modules/`` here; none of it is kept in the repository.

The day slider (``StatusExplorer``) works without a kernel: every day on its scale is drawn in advance, the map
with ``kb.plots.map(data, day=...)`` and the table from ``data.status_on(day)``, and a few lines of the site's own
JavaScript show the day the slider points at. The other explorers show where they start, with a note saying how
to run them live. At the end the build lists every page's size and the site's total.
"""
from __future__ import annotations

import argparse
import csv
import html
import json
import os
import re
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent / "site"
NODE = ROOT / "node_modules"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
MAP_DPI = 80
PAGE_LIMIT = 5 * 2**20
SITE_LIMIT = 40 * 2**20
# the repository's Markdown pages that the site carries, with the name the index gives them
MARKDOWN = [
    ("notebooks/README.md", "Teacher's guide"),
    ("notebooks/glossary.md", "Glossary"),
    ("docs/data-dictionary.md", "Data dictionary"),
    ("figures/README.md", "Figure gallery"),
    ("README.md", "About the package"),
]
# what the site copies out of node_modules/ (package folder, files or folders inside it, where in assets/)
ASSETS = [
    ("requirejs", ["require.js"], "require"),
    ("@jupyter-widgets/html-manager/dist", ["embed-amd.js", "*.woff2", "*.woff", "*.ttf", "*.eot", "*.svg"],
     "html-manager"),
    ("@knight-lab/timelinejs/dist", ["js/timeline.js", "css/timeline.css", "css/icons"], "timelinejs"),
]

__all__ = ["Notebook", "course_notebooks", "build", "main"]


@dataclass(frozen=True)
class Notebook:
    """A course notebook: its file, its number and title, and its central question (from its first cell)."""

    path: Path
    title: str
    question: str

    @property
    def stem(self) -> str:
        return self.path.stem


def course_notebooks(folder: Path = ROOT / "notebooks") -> list[Notebook]:
    """Every ``NN_name.ipynb`` in ``folder``, in course order, with the title and question of its first cell."""
    found = []
    for path in sorted(folder.glob("[0-9][0-9]_*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = "".join(cells[0]["source"]) if cells and cells[0]["cell_type"] == "markdown" else ""
        heading = re.search(r"^#\s+(.+)$", first, re.M)
        question = re.search(r"^\*\*Central question:\*\*\s*(.+)$", first, re.M)
        title = heading.group(1).strip() if heading else path.stem.replace("_", " ")
        found.append(Notebook(path, title, question.group(1).strip() if question else ""))
    return found


def markdown_sources() -> list[tuple[Path, str]]:
    """The Markdown pages the site carries: those of MARKDOWN that exist, then any other ``notebooks/*.md``
    (a teacher's extra guide), named by its first heading."""
    found = [(ROOT / source, title) for source, title in MARKDOWN if (ROOT / source).exists()]
    known = {path.resolve() for path, _ in found}
    for path in sorted((ROOT / "notebooks").glob("*.md")):
        if path.resolve() not in known:
            heading = re.search(r"^#\s+(.+)$", path.read_text(encoding="utf-8"), re.M)
            found.append((path, heading.group(1).strip() if heading else path.stem.replace("_", " ")))
    return found


def github_slug(text: str) -> str:
    """The anchor GitHub gives a heading, so links written for GitHub (``README.md#support``) work here too."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    return re.sub(r"[^\w\- ]", "", text).replace(" ", "-")


def slug_headings(markup: str) -> str:
    def fix(match: re.Match) -> str:
        level, inner = match.group(1), match.group(3)
        text = re.sub(r'<a class="anchor-link".*?</a>', "", inner)
        slug = github_slug(text)
        return f'<h{level} id="{slug}">{text}<a class="anchor-link" href="#{slug}">&#182;</a></h{level}>'

    return re.sub(r'<h([1-6]) id="([^"]*)">(.*?)</h\1>', fix, markup, flags=re.S)


class Site:
    """Where each source goes in the site, and the links between them."""

    def __init__(self, out: Path, notebooks: list[Notebook]):
        self.out = out
        self.notebooks = notebooks
        self.pages: dict[Path, Path] = {}  # source in the repository -> page in the site
        for nb in notebooks:
            self.pages[nb.path.resolve()] = out / nb.path.relative_to(ROOT).with_suffix(".html")
        for source, _ in markdown_sources():
            self.pages[source.resolve()] = out / source.relative_to(ROOT).with_suffix(".html")
        self.unresolved: list[str] = []

    def root_from(self, page: Path) -> str:
        """The relative path from ``page`` to the site's root ('' or '../')."""
        rel = os.path.relpath(self.out, page.parent)
        return "" if rel == "." else rel + "/"

    def relink(self, markup: str, source: Path, page: Path) -> str:
        """Point links at the site's pages (``x.ipynb``/``x.md`` -> ``x.html``) and copy linked repository files."""

        def fix(match: re.Match) -> str:
            attribute, url = match.group(1), html.unescape(match.group(2))
            if not url or url.startswith(("#", "//")) or re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", url):
                return match.group(0)
            path, _, fragment = url.partition("#")
            path = path.split("?")[0]
            target = (source.parent / path).resolve()
            if target in self.pages:
                new = os.path.relpath(self.pages[target], page.parent)
            elif target.is_file() and target.is_relative_to(ROOT) and ".venv" not in target.parts:
                copy = self.out / target.relative_to(ROOT)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(target, copy)
                new = os.path.relpath(copy, page.parent)
            else:
                if path.endswith((".md", ".ipynb")):
                    self.unresolved.append(f"{source.relative_to(ROOT)}: {url}")
                return match.group(0)
            return f'{attribute}="{html.escape(new + ("#" + fragment if fragment else ""))}"'

        return re.sub(r'\b(href|src)="([^"]*)"', fix, markup)

    def nav(self, page: Path, current: Path | None = None) -> str:
        """The bar at the top and bottom of every page: the index, the previous and next lesson."""
        root = self.root_from(page)
        links = [f'<a href="{root}index.html">Course index</a>']
        stems = [nb.path.resolve() for nb in self.notebooks]
        if current in stems:
            at = stems.index(current)
            if at > 0:
                prev = self.notebooks[at - 1]
                links.append(f'<a rel="prev" href="{prev.stem}.html">&larr; {html.escape(prev.title)}</a>')
            links.append('<span class="kb-spacer"></span>')
            if at + 1 < len(stems):
                nxt = self.notebooks[at + 1]
                links.append(f'<a rel="next" href="{nxt.stem}.html">{html.escape(nxt.title)} &rarr;</a>')
        else:
            links.append('<span class="kb-spacer"></span>')
        links.append(f'<a href="{root}timeline.html">Timeline</a>')
        return f'<nav class="kb-nav" aria-label="Course">{" ".join(links)}</nav>'


def page_shell(title: str, body: str, root: str, nav: str, head: str = "") -> str:
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{html.escape(title)}</title>\n"
            f'<link rel="stylesheet" href="{root}assets/style.css">\n{head}</head>\n'
            f'<body class="kb-page">\n{nav}\n<main>\n{body}\n</main>\n{nav}\n</body>\n</html>\n')


# ---------------------------------------------------------------- the widgets

def widget_state(nb) -> dict:
    return nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})


def reachable(state: dict, model_id: str) -> list[str]:
    """``model_id`` and every model it refers to, in the saved widget state."""
    seen: list[str] = []
    todo = [model_id]
    while todo:
        current = todo.pop()
        if current in state and current not in seen:
            seen.append(current)
            todo.extend(re.findall(r"IPY_MODEL_([0-9a-f]{32})", json.dumps(state[current])))
    return seen


def live_note(notebook: Notebook) -> dict:
    text = ("<p class=\"kb-live-note\"><b>This explorer needs Python to respond.</b> What you see is where it "
            f"starts; its controls do nothing here. To use it, open <code>notebooks/{notebook.path.name}</code> "
            "in JupyterLab (<code>make lab</code>), on Binder or on a JupyterHub: see the course index.</p>")
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/html": text, "text/plain": "This explorer needs Python to respond."}}


def status_panel(data, day, label: str, map_src: str, alt: str) -> str:
    """One day of the day slider: the countdown and the status table, from the frame the live slider shows
    (:func:`kb.frames.status_frame`)."""
    from kb.frames import status_frame, status_table

    frame = status_frame(data, day)
    table = status_table(frame)
    head = "".join(f"<th>{html.escape(column)}</th>" for column in table.columns)
    rows = ["<tr>" + "".join(f"<td>{html.escape(cell)}</td>" for cell in row) + "</tr>"
            for row in table.itertuples(index=False)]
    items = "".join(f"<li>{html.escape(line)}</li>" for line in frame["countdown"])
    return (f'<div class="kb-day-panel" data-day="{day:%Y-%m-%d}" data-label="{html.escape(label)}" '
            f'data-map="{html.escape(map_src)}" data-alt="{html.escape(alt)}">'
            f"<p><b>As of {html.escape(label)}</b></p><ul>{items}</ul>"
            f'<table class="kb-status"><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>')


def map_alt(data, day, label: str) -> str:
    status = data.status_on(day)
    parts = "; ".join(f"{r.district}: {r.status}" for r in status.itertuples(index=False))
    return f"Map of the places of the statement on {label}, the districts coloured by who held them: {parts}."


def render_map(data, day, path: Path) -> None:
    import matplotlib.pyplot as plt

    from kb import plots

    fig = plots.map(data, day=day)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, format="png", dpi=MAP_DPI, metadata={"Software": None})
    plt.close(fig)


def day_slider(data, notebook: Notebook, state: dict, model_id: str, site: Site, log) -> dict | None:
    """The kernel-less day slider for the StatusExplorer shown by ``model_id``, as an HTML output."""
    import pandas as pd

    sliders = [state[m]["state"] for m in reachable(state, model_id)
               if state[m].get("model_name") == "SelectionSliderModel"]
    if not sliders:
        return None
    labels = list(sliders[0]["_options_labels"])
    start = int(sliders[0].get("index", 0))
    folder = site.out / "notebooks" / "days" / notebook.stem
    panels = []
    for label in labels:
        day = pd.Timestamp(label)
        image = folder / f"{day:%Y-%m-%d}.png"
        render_map(data, day, image)
        src = os.path.relpath(image, site.pages[notebook.path.resolve()].parent)
        panels.append((src, map_alt(data, day, label), status_panel(data, day, label, src, map_alt(data, day, label))))
    log(f"  day slider: {len(labels)} days drawn into {folder.relative_to(site.out)}/")
    shown = [panel if n == start else panel.replace('class="kb-day-panel"', 'class="kb-day-panel" hidden', 1)
             for n, (_, _, panel) in enumerate(panels)]
    markup = (
        f'<div class="kb-dayslider" data-day="{pd.Timestamp(labels[start]):%Y-%m-%d}">'
        f'<label>As of <input type="range" min="0" max="{len(labels) - 1}" value="{start}" step="1" '
        f'aria-label="Day"> <output>{html.escape(labels[start])}</output></label>'
        f'<div class="kb-day-body"><img class="kb-day-map" src="{html.escape(panels[start][0])}" '
        f'alt="{html.escape(panels[start][1])}" width="960" height="640"><div>{"".join(shown)}</div></div>'
        '<p class="kb-live-note">This slider works without Python: each day was drawn when the site was built. '
        f"In JupyterLab (<code>notebooks/{notebook.path.name}</code>) the same explorer draws the day live.</p>"
        "</div>")
    return {"output_type": "display_data", "metadata": {},
            "data": {"text/html": markup, "text/plain": f"Day slider, {labels[0]} to {labels[-1]}"}}


def prepare(nb, notebook: Notebook, data, site: Site, log):
    """The notebook as the site shows it: the day slider pre-drawn, a note after every other explorer, and only
    the widget state the page still shows."""
    state = widget_state(nb)
    shown: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(output)
                continue
            slider = day_slider(data, notebook, state, view["model_id"], site, log) \
                if "StatusExplorer" in cell.source else None
            if slider is not None:
                outputs.append(slider)
            else:
                outputs.extend([output, live_note(notebook)])
                shown.extend(reachable(state, view["model_id"]))
        cell.outputs = outputs
    if shown:
        nb.metadata["widgets"][WIDGET_STATE]["state"] = {m: state[m] for m in state if m in set(shown)}
    else:
        nb.metadata.pop("widgets", None)
    nb.metadata["title"] = notebook.title
    return nb


def notebook_page(notebook: Notebook, data, site: Site, log) -> Path:
    import nbformat
    from nbconvert import HTMLExporter

    page = site.pages[notebook.path.resolve()]
    root = site.root_from(page)
    nb = prepare(nbformat.read(notebook.path, as_version=4), notebook, data, site, log)
    exporter = HTMLExporter(template_name="course", extra_template_basedirs=[str(HERE / "templates")],
                            require_js_url=f"{root}assets/require/require.js",
                            widget_renderer_url=f"{root}assets/html-manager/embed-amd.js")
    body, _ = exporter.from_notebook_node(nb, resources={
        "kb_root": root, "kb_nav": site.nav(page, notebook.path.resolve())})
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(site.relink(body, notebook.path, page), encoding="utf-8")
    return page


def markdown_page(source: Path, title: str, site: Site) -> Path:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    page = site.pages[source.resolve()]
    body = slug_headings(markdown2html_mistune(source.read_text(encoding="utf-8")))
    heading = re.search(r"<h1[^>]*>(.*?)<a", body, re.S)
    full = f"{title}: {re.sub(r'<[^>]+>', '', heading.group(1)).strip()}" if heading else title
    root = site.root_from(page)
    page.parent.mkdir(parents=True, exist_ok=True)
    page.write_text(site.relink(page_shell(full, body, root, site.nav(page)), source, page), encoding="utf-8")
    return page


# ---------------------------------------------------------------- the timeline

def timeline_data(data) -> dict:
    """``KB.to_timelinejs()``'s spreadsheet as the JSON TimelineJS reads."""
    with tempfile.TemporaryDirectory() as tmp:
        path = data.to_timelinejs(Path(tmp) / "timeline.csv")
        with open(path, newline="", encoding="utf-8") as fh:
            rows = list(csv.DictReader(fh))

    def when(prefix: str, row: dict) -> dict | None:
        parts = {key: row.get(f"{prefix}{name}", "") for key, name in (("year", "Year"), ("month", "Month"),
                                                                        ("day", "Day"))}
        return {k: int(v) for k, v in parts.items() if v} if parts["year"] else None

    events = []
    for row in rows:
        event = {"start_date": when("", row), "text": {"headline": row["Headline"], "text": row["Text"]}}
        if row.get("Group"):
            event["group"] = row["Group"]
        if row.get("Display Date"):
            event["display_date"] = row["Display Date"]
        end = when("End ", row)
        if end and end != event["start_date"]:
            event["end_date"] = end
        if event["start_date"]:
            events.append(event)
    return {"title": {"text": {"headline": "A century of the Nagorno-Karabakh conflict",
                               "text": f"{len(events)} events from the course's data, each with its sources."}},
            "events": events}


def timeline_page(data, site: Site) -> Path:
    page = site.out / "timeline.html"
    timeline = timeline_data(data)
    payload = json.dumps(timeline, ensure_ascii=False).replace("</", "<\\/")
    listing = "".join(f"<li><b>{'-'.join(f'{v:02d}' for v in e['start_date'].values())}</b> "
                      f"{html.escape(e['text']['headline'])}</li>" for e in timeline["events"])
    head = ('<link rel="stylesheet" href="assets/timelinejs/css/timeline.css">\n'
            '<script src="assets/timelinejs/js/timeline.js"></script>\n')
    body = (
        "<h1>Timeline</h1>"
        "<p>Every event in the course's data, from 1921 to 2025, grouped by era. Use the arrows or the strip at "
        "the bottom to move; each slide names the publishers of its sources (the data's <code>events.csv</code> "
        "and <code>sources.csv</code>). Built from <code>KB.to_timelinejs()</code>, which writes the same events as "
        "a spreadsheet a teacher can publish with TimelineJS.</p>"
        '<div id="kb-timeline" role="region" aria-label="Interactive timeline"></div>'
        f'<script type="application/json" id="kb-timeline-data">{payload}</script>'
        "<script>window.kbTimeline = new TL.Timeline('kb-timeline', "
        "JSON.parse(document.getElementById('kb-timeline-data').textContent), "
        "{font: null, language: 'en', hash_bookmark: false, timenav_position: 'bottom', "
        "initial_zoom: 2, scale_factor: 1});</script>"
        f"<details><summary>The same events as a list</summary><ol>{listing}</ol></details>")
    page.write_text(page_shell("Timeline", body, "", site.nav(page), head), encoding="utf-8")
    return page


# ---------------------------------------------------------------- index, assets, sizes

def numbered(notebook: Notebook) -> str:
    """The title with the lesson's number in front, unless it already starts with it."""
    number = notebook.stem[:2]
    return notebook.title if notebook.title.startswith(number) else f"{number} {notebook.title}"


def index_page(site: Site, markdown: list[tuple[Path, str]]) -> Path:
    page = site.out / "index.html"
    lessons = "".join(
        f'<li><a href="{os.path.relpath(site.pages[nb.path.resolve()], site.out)}">{html.escape(numbered(nb))}</a>'
        + (f'<span class="kb-question">{html.escape(nb.question)}</span>' if nb.question else "") + "</li>"
        for nb in site.notebooks)
    guides = "".join(f'<li><a href="{os.path.relpath(site.pages[p.resolve()], site.out)}">{html.escape(t)}</a></li>'
                     for p, t in markdown)
    body = (
        "<h1>The 2020 Nagorno-Karabakh ceasefire: a sourced course</h1>"
        "<p>The course in your browser, with every output and figure as the notebooks were last run. It needs "
        "nothing installed and no network. The day slider in the deadlines lesson works here; the other explorers "
        "show where they start and say how to run them.</p>"
        f'<h2>The lessons, in order</h2><ol class="kb-course">{lessons}</ol>'
        f'<h2>For teachers and for reference</h2><ul>{guides}'
        '<li><a href="timeline.html">Interactive timeline</a> of every event in the data</li></ul>'
        "<h2>Running the course live</h2>"
        "<p>To run the code and use every explorer, open the notebooks in JupyterLab: with Python and make, "
        "<code>make lab</code> in the repository; with conda, or on Binder or a JupyterHub, from "
        "<code>environment.yml</code> (see the package README). Printed worksheets and teacher copies come from "
        "<code>make handouts</code>.</p>")
    page.write_text(page_shell("The 2020 Nagorno-Karabakh ceasefire: the course", body, "", site.nav(page)),
                    encoding="utf-8")
    return page


def copy_assets(out: Path) -> None:
    if not NODE.is_dir():
        raise SystemExit("node_modules/ is missing: run `npm ci` first (`make html` does it), "
                         "which installs the pinned JavaScript of package-lock.json")
    assets = out / "assets"
    for package, patterns, target in ASSETS:
        source = NODE / package
        if not source.is_dir():
            raise SystemExit(f"node_modules/{package} is missing: run `npm ci` (package-lock.json pins it)")
        for pattern in patterns:
            matches = sorted(source.glob(pattern))
            if not matches:
                raise SystemExit(f"node_modules/{package}/{pattern} not found: is package-lock.json current?")
            for found in matches:
                dest = assets / target / found.relative_to(source)
                dest.parent.mkdir(parents=True, exist_ok=True)
                if found.is_dir():
                    shutil.copytree(found, dest, dirs_exist_ok=True)
                else:
                    shutil.copyfile(found, dest)
    for name in ("style.css", "dayslider.js"):
        shutil.copyfile(HERE / name, assets / name)


def sizes(out: Path) -> tuple[list[tuple[str, int]], int]:
    """Every HTML page with its size, largest first, and the whole site's size, in bytes."""
    files = [p for p in out.rglob("*") if p.is_file()]
    pages = sorted(((str(p.relative_to(out)), p.stat().st_size) for p in files if p.suffix == ".html"),
                   key=lambda item: -item[1])
    return pages, sum(p.stat().st_size for p in files)


def build(out: Path, log=print) -> Path:
    """Build the whole site into ``out`` (emptied first); returns the index page."""
    import matplotlib

    matplotlib.use("Agg")
    import kb

    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy_assets(out)
    data = kb.load()
    site = Site(out, course_notebooks())
    if not site.notebooks:
        raise SystemExit("no notebooks/NN_name.ipynb found")
    for notebook in site.notebooks:
        page = notebook_page(notebook, data, site, log)
        log(f"{page.relative_to(out)}")
    markdown = markdown_sources()
    for source, title in markdown:
        log(f"{markdown_page(source, title, site).relative_to(out)}")
    log(f"{timeline_page(data, site).relative_to(out)}")
    index = index_page(site, markdown)
    for problem in site.unresolved:
        log(f"warning: link to a page the site does not have: {problem}")
    pages, total = sizes(out)
    log("\npage sizes (HTML file only):")
    for name, size in pages:
        log(f"  {size / 2**20:6.2f} MB  {name}" + ("  OVER 5 MB" if size > PAGE_LIMIT else ""))
    log(f"site: {total / 2**20:.1f} MB in {sum(1 for p in out.rglob('*') if p.is_file())} files"
        + ("  OVER 40 MB" if total > SITE_LIMIT else " (budget 40 MB; no page over 5 MB)"))
    return index


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "site", help="folder to build into (default site/)")
    args = parser.parse_args(argv)
    index = build(args.out.resolve())
    print(f"open {index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
