"""Print the course's handouts (``make handouts``): PDFs made by Chromium from pages designed for paper.

    python tools/build_handouts.py                  # A4, into handouts/
    python tools/build_handouts.py --paper letter --out DIR

For every lesson (``notebooks/NN_name.ipynb``) with exercises, a student worksheet (the questions with room to
write, no answers) and a teacher copy (the same questions with the answer key, model answers and success
criteria); a one-page summary with a timeline; the glossary (``notebooks/glossary.md``); and a map of the
districts on the day of the statement and after the handovers (``kb.plots.map``).

The questions come from ``notebooks/exercises.toml`` (read with ``kb.checks``), in the order the notebook asks
them (its markdown cells tagged ``exercise`` or ``open-task`` with an ``exercise_id``); a tagged cell the
catalogue does not know is printed from the cell's own text. The expected answers are computed from the data
(``kb.checks.expected``), so a correction to the data reaches the answer key.

Chromium is the system one (``$KB_CHROMIUM``, else ``chromium`` on the PATH), driven by Playwright. The pages
ask for Noto Sans and DejaVu Sans, installed as Debian packages (``fonts-noto-core``, ``fonts-dejavu-core``),
which carry Azerbaijani, Armenian and Russian letters. The HTML of each handout is kept beside its PDF.
"""
from __future__ import annotations

import argparse
import base64
import html
import io
import json
import os
import re
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build_site import HERE, ROOT, Notebook, course_notebooks  # noqa: E402

PAPERS = {"a4": "A4", "letter": "Letter"}
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

__all__ = ["Question", "lesson_questions", "worksheet", "summary", "glossary", "maps", "build", "main"]


@dataclass(frozen=True)
class Question:
    """One question of a lesson: its text, whether it is open, and (for the teacher) its key."""

    id: str
    text: str
    open: bool
    kind: str = ""
    scaffold: str = ""
    starters: tuple[str, ...] = ()
    min_words: int = 0
    answer: str = ""            # closed: the expected answer, in words
    right: str = ""             # closed: the line of history a right answer gets
    also: tuple[str, ...] = ()  # closed: other answers the check accepts, or slips it explains
    model_answer: str = ""      # open
    criteria: tuple[str, ...] = ()


def inline(markdown: str) -> str:
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(markdown).strip()


def show_value(value, kind: str, data, unit: str = "") -> str:
    """An expected value as a teacher would write it on the board."""
    import pandas as pd

    from kb.base import format_day

    if isinstance(value, pd.Timestamp):
        return format_day(value, long=True)
    if isinstance(value, (set, frozenset, list, tuple)):
        items = sorted(value, key=lambda v: (str(type(v)), v))
        return ", ".join(show_value(v, kind, data, unit) for v in items)
    if kind == "place" and isinstance(value, str):
        try:
            return data.label(value)
        except Exception:  # noqa: BLE001 - an id the labels don't know is still worth printing
            return value
    separator = "" if unit == "calendar years" else ","  # 2020, not 2,020
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):{separator}}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:{separator}}"
    return str(value)


def from_catalogue(exercise, data) -> Question:
    from kb import checks

    if exercise.is_open:
        return Question(exercise.id, exercise.question, True, "open", exercise.scaffold, tuple(exercise.starters),
                        exercise.min_words, model_answer=exercise.model_answer, criteria=tuple(exercise.criteria))
    value = checks.expected(exercise.id, data)
    also = []
    for other in exercise.also:
        shown = other.get("answer")
        if shown is None and other.get("expected"):
            shown = show_value(getattr(exercise.functions, other["expected"])(data), exercise.kind, data, exercise.unit)
        lead = "Also accepted" if other.get("correct") else "If a student answers"
        also.append(f"{lead}: {shown}. {other.get('note', '')}".strip())
    return Question(exercise.id, exercise.question, False, exercise.kind,
                    answer=show_value(value, exercise.kind, data, exercise.unit), right=exercise.right,
                    also=tuple(also))


def lesson_questions(notebook: Notebook, data, catalogue: dict | None) -> list[Question]:
    """The lesson's questions in the order the notebook asks them, then any other catalogue entry for it."""
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    catalogue = catalogue or {}
    questions, seen = [], set()
    for cell in cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] != "markdown" or not {"exercise", "open-task"} & set(tags):
            continue
        exercise_id = cell["metadata"].get("exercise_id", "")
        if exercise_id in catalogue:
            questions.append(from_catalogue(catalogue[exercise_id], data))
        else:  # a question the catalogue does not hold: its own words, without the heading
            text = re.sub(r"^#+\s*(Exercise|Task)[^:]*:\s*", "", "".join(cell["source"]).strip())
            questions.append(Question(exercise_id or f"cell-{len(questions)}", text, "open-task" in tags))
        seen.add(exercise_id)
    for exercise_id, exercise in catalogue.items():
        if exercise.notebook == notebook.stem and exercise_id not in seen:
            questions.append(from_catalogue(exercise, data))
    return questions


def first_cell_goals(notebook: Notebook) -> list[str]:
    cells = json.loads(notebook.path.read_text(encoding="utf-8"))["cells"]
    first = "".join(cells[0]["source"]) if cells else ""
    section = re.search(r"^## You will be able to\s*\n(.*?)(?=^## |\Z)", first, re.M | re.S)
    return [re.sub(r"^[-*]\s+", "", line).strip() for line in section.group(1).splitlines()
            if re.match(r"^\s*[-*]\s+", line)] if section else []


def document(title: str, body: str) -> str:
    css = (HERE / "print.css").read_text(encoding="utf-8")
    return (f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}</title>'
            f"<style>{css}</style></head><body>{body}</body></html>\n")


def lines(n: int) -> str:
    return '<div class="line"></div>' * n


def worksheet(notebook: Notebook, questions: list[Question], teacher: bool) -> str:
    """A lesson's worksheet (``teacher=False``: room to write, no answers) or its teacher copy."""
    goals = "".join(f"<li>{inline(g)}</li>" for g in first_cell_goals(notebook))
    parts = [f'<p class="kicker">Worksheet{" &middot; teacher copy" if teacher else ""}</p>',
             f"<h1>{html.escape(notebook.title)}</h1>"]
    if teacher:
        parts.append('<p class="teacher-banner">Teacher copy: answer key, model answers and success criteria. '
                     "Not for students.</p>")
    else:
        parts.append('<div class="who"><span>Name</span><span class="short">Class</span>'
                     '<span class="short">Date</span></div>')
    if notebook.question:
        parts.append(f'<div class="question-box"><b>Central question:</b> {inline(notebook.question)}</div>')
    if goals:
        parts.append(f'<h3>You will be able to</h3><ul class="goals">{goals}</ul>')
    parts.append("<h2>Questions</h2>")
    for n, q in enumerate(questions, 1):
        label = "Open task" if q.open else "Question"
        item = [f'<div class="q"><div class="qhead"><span class="n">{n}.</span><div class="text">{inline(q.text)}'
                f'</div><span class="kind">{label}</span></div>']
        if q.open:
            if q.scaffold:
                item.append(f'<div class="scaffold"><b>What to look at:</b> {inline(q.scaffold)}</div>')
            if q.starters:
                item.append('<div class="starters">Sentence starters: '
                            + " &middot; ".join(html.escape(s) for s in q.starters) + "</div>")
        if teacher:
            if q.open:
                criteria = "".join(f"<li>{inline(c)}</li>" for c in q.criteria)
                item.append(f'<div class="key"><b>Model answer.</b> {inline(q.model_answer) or "(none given)"}</div>')
                if criteria:
                    item.append(f'<div class="criteria"><b>Success criteria</b><ul>{criteria}</ul></div>')
            else:
                also = "".join(f"<br>{inline(a)}" for a in q.also)
                item.append(f'<div class="key"><b>Answer: {html.escape(q.answer) or "see the teacher&rsquo;s guide"}'
                            f"</b>{' ' + inline(q.right) if q.right else ''}{also}</div>")
        else:
            words = max(q.min_words, 60) if q.open else 0
            item.append(lines(max(4, words // 12) if q.open else 2))
        item.append("</div>")
        parts.append("".join(item))
    if not questions:
        parts.append("<p>This lesson has no exercises in the catalogue.</p>")
    title = f"{notebook.title}: {'teacher copy' if teacher else 'worksheet'}"
    return document(title, "".join(parts))


def summary(data) -> str:
    """The course on one page: the statement, its deadlines, and a timeline of agreements and handovers."""
    from kb.base import format_day

    points = "".join(f"<li><b>{int(r.point)}.</b> {html.escape(r.title)}</li>" for r in data.terms.itertuples())
    rows = "".join(
        f"<tr><td>{html.escape(data.label(r.place_id))}</td><td>{int(r.point)}</td><td>{format_day(r.due)}</td>"
        f"<td>{format_day(r.revised_due) if str(r.revised_due) != 'NaT' else ''}</td>"
        f"<td>{format_day(r.completed_on) if str(r.completed_on) != 'NaT' else ''}</td></tr>"
        for r in data.deadlines.sort_values("due").itertuples())
    shown = data.events[data.events["event_type"].isin(["agreement", "transfer of territory"])]
    shown = shown.sort_values("date_start")
    timeline = "".join(f'<li><span class="date">{format_day(r.date_start)}</span> {html.escape(r.headline)}'
                       f' <span class="small">({html.escape(str(r.era))})</span></li>' for r in shown.itertuples())
    when = format_day(data.deadlines["set_on"].min(), long=True)  # the statement set them the day it was signed
    body = (
        '<p class="kicker">The course on one page</p>'
        "<h1>The 2020 Nagorno-Karabakh war and the ceasefire statement</h1>"
        f"<p>A war of 44 days between Azerbaijan and the Armenian forces of Nagorno-Karabakh and Armenia ended "
        f"with a statement signed on {when} by the leaders of Azerbaijan, Armenia and Russia, in force from "
        "midnight Moscow time the next day. It is a statement, not a peace treaty: it stops the fighting and "
        "leaves the status of Nagorno-Karabakh open.</p>"
        f'<div class="two"><div><h2>The nine points</h2><ol style="list-style:none;padding-left:0">{points}</ol>'
        "</div><div><h2>The handover deadlines</h2><table><thead><tr><th>district</th><th>point</th>"
        f"<th>due as signed</th><th>moved to</th><th>handed over</th></tr></thead><tbody>{rows}</tbody></table>"
        '<p class="small">Names: Azerbaijani / Armenian. From the course data (<code>deadlines.csv</code>), '
        "each row with its sources.</p></div></div>"
        f'<h2>Timeline: agreements and handovers, 1921 to 2025</h2><ul class="timeline">{timeline}</ul>'
        '<p class="small">Every event, with its sources, is in the course data (<code>events.csv</code>) and on '
        "the timeline page of the static edition.</p>")
    return document("The course on one page", body)


def glossary(source: Path) -> str:
    from build_site import slug_headings
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    body = slug_headings(markdown2html_mistune(source.read_text(encoding="utf-8")))
    body = re.sub(r'<a class="anchor-link".*?</a>', "", body)
    return document("Glossary", f'<div class="glossary"><p class="kicker">Glossary</p>{body}</div>')


def figure_png(fig, dpi: int = 200) -> str:
    """A figure as a data URL of a PNG sharp enough for print."""
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def maps(data) -> str:
    """Two map pages: the districts on the day the statement was signed, and after the last handover."""
    import pandas as pd

    from kb import plots
    from kb.base import format_day

    signing = data.deadlines["set_on"].min()  # the statement set the deadlines the day it was signed
    after = data.deadlines["completed_on"].max()
    pages = []
    for day, caption in ((signing, "on the day the statement was signed"), (after, "after the last handover")):
        day = pd.Timestamp(day)
        status = data.status_on(day)
        held = "; ".join(f"{r.district}: {r.status}" for r in status.itertuples())
        pages.append(f'<section class="map"><p class="kicker">Map</p><h1>The districts {caption}, '
                     f"{format_day(day)}</h1><img src=\"{figure_png(plots.map(data, day=day))}\" "
                     f'alt="Map of the places of the statement on {format_day(day)}: {html.escape(held)}">'
                     f'<p class="small">{html.escape(held)}.</p></section>')
    return document("Maps", "".join(pages))


def chromium_path() -> str:
    for candidate in (os.environ.get("KB_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("Chromium not found: install it (Debian/Ubuntu: `sudo apt-get install chromium`) "
                     "or point KB_CHROMIUM at a Chromium or Chrome binary")


def build(out: Path, paper: str = "a4", log=print) -> list[Path]:
    """Write every handout's HTML and PDF into ``out``; returns the PDFs."""
    import matplotlib

    matplotlib.use("Agg")
    from playwright.sync_api import sync_playwright

    import kb
    from kb import checks

    data = kb.load()
    catalogue = checks.load_catalogue() if checks.default_catalogue().exists() else {}
    documents: dict[str, str] = {}
    for notebook in course_notebooks():
        questions = lesson_questions(notebook, data, catalogue)
        if questions:
            documents[f"{notebook.stem}-worksheet"] = worksheet(notebook, questions, teacher=False)
            documents[f"{notebook.stem}-teacher"] = worksheet(notebook, questions, teacher=True)
    documents["summary"] = summary(data)
    if (ROOT / "notebooks" / "glossary.md").exists():
        documents["glossary"] = glossary(ROOT / "notebooks" / "glossary.md")
    documents["map"] = maps(data)
    out.mkdir(parents=True, exist_ok=True)
    pdfs = []
    footer = ('<div style="font-family: \'Noto Sans\', \'DejaVu Sans\', sans-serif; font-size: 7.5pt; width: 100%; '
              'padding: 0 15mm; display: flex; justify-content: space-between; color: #333;">'
              '<span>{title}</span><span><span class="pageNumber"></span> / <span class="totalPages"></span>'
              "</span></div>")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", lambda route: route.abort() if route.request.url.startswith("http")
                       else route.continue_())  # nothing off the machine
            for name, markup in documents.items():
                source = out / f"{name}.html"
                source.write_text(markup, encoding="utf-8")
                page.goto(source.as_uri())
                title = re.search(r"<title>(.*?)</title>", markup).group(1)
                target = out / f"{name}.pdf"
                page.pdf(path=str(target), format=PAPERS[paper], print_background=True,
                         landscape=name == "map", display_header_footer=True, header_template="<span></span>",
                         footer_template=footer.format(title=title),
                         margin={"top": "14mm", "bottom": "16mm", "left": "15mm", "right": "15mm"})
                pdfs.append(target)
                log(f"{target.relative_to(out.parent) if out.parent in target.parents else target}")
        finally:
            browser.close()
    return pdfs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "handouts", help="folder (default handouts/)")
    parser.add_argument("--paper", choices=sorted(PAPERS), default="a4", help="paper size (default a4)")
    args = parser.parse_args(argv)
    pdfs = build(args.out.resolve(), args.paper)
    print(f"{len(pdfs)} PDFs in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
