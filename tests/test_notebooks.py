"""The course's notebooks: their structure, their saved outputs, and their exercises.

nbval (``make test``) re-runs every notebook and compares its outputs; these tests check what nbval does not,
for every notebook found in notebooks/: the front matter (central question, objectives, prerequisites with a
route for a class that does not code, time), a content note where the notebook deals with killing,
displacement or the exodus, exercises asked from the catalogue with checks and folded solutions, an open task
whose model answer is in the teacher's guide, no exercise whose answer is printed above it, contested text
shown in full, alt text on every figure, and slides that skip code.
"""
from __future__ import annotations

import re
import types
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kb.base import format_day
from kb.checks import expected, load_catalogue

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE = ["00_start_here", "01_background", "02_war_2020", "03_ceasefire_terms", "04_deadlines",
          "05_reading_the_news", "06_aftermath", "07_the_people", "08_two_narratives"]
PATHS = sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
IDS = [p.stem for p in PATHS]
CATALOGUE = load_catalogue(NOTEBOOKS / "exercises.toml")
GUIDE = (NOTEBOOKS / "README.md").read_text(encoding="utf-8")
SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.S)
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
MAX_CODE_LINES = 12
HARD_CONTENT = re.compile(r"pogrom|massacre|killing|killed|exodus|displace|refugee|expell?ed|expulsion", re.I)
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


def read(path):
    return nbformat.read(path, as_version=4)


def code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def squash(text: str) -> str:
    return " ".join(text.split())


def exercise_cells(nb) -> list[tuple[int, str]]:
    return [(i, c.metadata["exercise_id"]) for i, c in enumerate(nb.cells)
            if c.cell_type == "markdown" and {"exercise", "open-task"} & set(c.metadata.get("tags", []))]


def test_the_course_is_complete():
    assert set(COURSE) <= set(IDS)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_saved_run_is_clean_and_in_order(path):
    nb = read(path)
    nbformat.validate(nb)
    cells = code(nb)
    assert [c.execution_count for c in cells] == list(range(1, len(cells) + 1)), "re-run: make notebooks"
    for cell in cells:
        for output in cell.outputs:
            assert output.output_type != "error", f"cell {cell.id} has an error"
            assert not (output.output_type == "stream" and output.name == "stderr"), \
                f"cell {cell.id} wrote to stderr: {output.text[:200]}"
            text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
            assert not re.search(r"\b0x[0-9a-f]{6,}", text), f"cell {cell.id} shows a memory address"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_front_matter(path):
    nb = read(path)
    first = nb.cells[0]
    assert first.cell_type == "markdown" and first.source.startswith(f"# {path.stem[:2]} "), "# NN Title first"
    text = first.source
    headings = ["**Central question:**", "## You will be able to", "## Before you start", "## Time"]
    places = [text.find(h) for h in headings]
    assert -1 not in places and places == sorted(places), f"front matter headings in order: {headings}"
    question = text[places[0]:].splitlines()[0]
    assert question.rstrip().endswith("?"), "the central question is a question"
    objectives = text[places[1]:places[2]]
    assert len(re.findall(r"^- \w", objectives, re.M)) >= 3, "at least three things a student will be able to do"
    before = text[places[2]:places[3]]
    assert re.search(r"does not code|non-coding|without code", before), "a route for a class that does not code"
    time = text[places[3]:]
    assert re.search(r"\d+ minutes", time) and "discussion" in time.lower(), "time in minutes, discussion included"
    assert "(glossary.md)" in text, "a link to the glossary"
    titles = [line for c in nb.cells if c.cell_type == "markdown" for line in c.source.splitlines()
              if re.match(r"# \S", line)]
    assert len(titles) == 1, "one # title"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_a_content_note_where_the_notebook_deals_with_killing_or_displacement(path):
    nb = read(path)
    texts = " ".join(c.source for c in nb.cells if c.cell_type == "markdown")
    notes = [i for i, c in enumerate(nb.cells) if "content-note" in c.metadata.get("tags", [])]
    if HARD_CONTENT.search(texts):
        assert notes and notes[0] <= 2, "a content note near the top"
    for i in notes:
        assert nb.cells[i].source.startswith("**Content note.**") and "README.md#support" in nb.cells[i].source
    if notes:
        assert 'id="support"' in GUIDE or "## Support" in GUIDE


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_imports_come_first_code_cells_are_short_and_teach_without_asserts(path):
    nb = read(path)
    cells = code(nb)
    assert "import kb" in cells[0].source and "kb.load()" in cells[0].source
    for cell in cells:
        assert not re.search(r"^\s*assert\b", cell.source, re.M), f"assert in teaching cell {cell.id}"
        assert not re.search(r"max_colwidth\",\s*\d", cell.source), f"cell {cell.id} cuts text columns"
    for cell in cells[1:]:
        assert not re.search(r"^\s*(import|from \S+ import) ", cell.source, re.M), f"import in cell {cell.id}"
        assert len(cell.source.splitlines()) <= MAX_CODE_LINES, f"cell {cell.id} is long: move logic into kb"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_text_is_cut_short(path):
    for cell in code(read(path)):
        for output in cell.outputs:
            markup = output.get("data", {}).get("text/html", "")
            assert not re.search(r"\.\.\.</td>", markup), f"cell {cell.id} shows a truncated column"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_exercises_come_from_the_catalogue_with_checks(path):
    nb = read(path)
    asked = exercise_cells(nb)
    assert len(asked) >= 3, "at least three exercises"
    assert any(CATALOGUE[e].is_open for _, e in asked), "at least one open task"
    in_catalogue = {e.id for e in CATALOGUE.values() if e.notebook == path.stem}
    assert {e for _, e in asked} == in_catalogue, "the notebook asks exactly its exercises in the catalogue"
    for i, exercise_id in asked:
        exercise = CATALOGUE[exercise_id]
        assert squash(exercise.question) in squash(nb.cells[i].source), f"{exercise_id}: the catalogue's question"
        attempt = nb.cells[i + 1]
        assert attempt.cell_type == "code" and f'check("{exercise_id}", answer)' in attempt.source
        assert "answer = None" in attempt.source
        assert attempt.outputs[0]["data"]["text/plain"].startswith("No answer yet"), attempt.outputs
        if exercise.is_open:
            for criterion in exercise.criteria:
                assert squash(criterion) in squash(nb.cells[i].source), "success criteria shown with the task"
        else:
            assert SOLUTION.search(nb.cells[i + 2].source), f"{exercise_id}: a folded solution"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_open_task_has_its_model_answer_in_the_guide(path):
    for _, exercise_id in exercise_cells(read(path)):
        exercise = CATALOGUE[exercise_id]
        if exercise.is_open:
            assert squash(exercise.model_answer) in squash(GUIDE), f"{exercise_id}: model answer in README.md"


def test_the_guide_has_an_answer_key_for_every_exercise():
    for exercise in CATALOGUE.values():
        assert f"`{exercise.id}`" in GUIDE, f"{exercise.id} is missing from the guide's answer key"


def shown_forms(value, kind: str, data) -> list[re.Pattern]:
    """How an expected answer would look if an output printed it (numbers under 10 are everywhere)."""
    if kind in ("place", "text"):
        if kind == "place":
            row = data.places.set_index("place_id").loc[value]
            names = {row["name"], row["name_az"], row["name_hy_latin"]}
        else:
            names = {value} if isinstance(value, str) else set(value)
        return [re.compile(rf"\b{re.escape(n)}\b") for n in names if isinstance(n, str) and n]
    if kind == "number":
        number = float(value)
        if number.is_integer() and abs(number) < 10:
            return []
        forms = {f"{int(number)}", f"{int(number):,}"} if number.is_integer() else {f"{number:g}"}
        months = "(?!\\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))"
        return [re.compile(rf"(?<![\w.,/:-]){re.escape(f)}(?![\w.,/:-]){months}") for f in forms]
    if kind == "day":
        day = pd.Timestamp(value)
        return [re.compile(re.escape(f)) for f in (f"{day:%Y-%m-%d}", format_day(day), format_day(day, long=True))]
    return []


def output_text(cell, tables_only: bool) -> str:
    """The text a cell printed; ``tables_only`` keeps results and tables, not printed prose, where numbers and
    names that merely coincide with an answer are common ("26 Armenians" is not the 26 years of exercise 01)."""
    lines = []
    for output in cell.outputs:
        if tables_only and output.output_type == "stream":
            continue
        text = output.get("text", "") + output.get("data", {}).get("text/plain", "")
        lines += [re.sub(r"^\s*\d+\s+", "", line) for line in text.splitlines()]  # drop a table's index column
    return "\n".join(lines)


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_no_exercise_answer_is_printed_above_it(path, data):
    nb = read(path)
    for i, exercise_id in exercise_cells(nb):
        exercise = CATALOGUE[exercise_id]
        if exercise.is_open:
            continue
        patterns = shown_forms(expected(exercise_id, data), exercise.kind, data)
        for cell in (c for c in nb.cells[:i] if c.cell_type == "code"):
            text = output_text(cell, tables_only=exercise.kind != "day")
            for pattern in patterns:
                assert not pattern.search(text), f"{exercise_id}: {pattern.pattern} is printed in cell {cell.id}"


def figures_have_alt_text() -> bool:
    """Whether kb.plots figures display with alt text yet (the map helper's change)."""
    import matplotlib.pyplot as plt
    from IPython.core.formatters import DisplayFormatter

    import kb
    from kb import plots

    fig = plots.claims(kb.load())
    data, metadata = DisplayFormatter().format(fig)
    plt.close(fig)
    return bool(metadata.get("image/png", {}).get("alt"))


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_image_output_has_alt_text(path):
    images = [(cell, o) for cell in code(read(path)) for o in cell.outputs if "image/png" in o.get("data", {})]
    assert images, "at least one figure"
    if not figures_have_alt_text():
        pytest.skip("kb.plots figures carry no alt text on this branch yet")
    for cell, output in images:
        alt = output.get("metadata", {}).get("image/png", {}).get("alt", "")
        assert len(alt) > 20, f"cell {cell.id}: image without alt text"
        plain = output["data"].get("text/plain", "")
        assert not plain.startswith(("<Figure", "<KBFigure")) and plain, f"cell {cell.id}: text/plain is not the alt"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_widgets_and_slides(path):
    nb = read(path)
    ignored = [c for c in code(nb) if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert ignored, "at least one explorer"
    for cell in ignored:  # only cells that display a widget are exempt from comparison
        kinds = {k for o in cell.outputs for k in o.get("data", {})}
        assert WIDGET_VIEW in kinds, f"cell {cell.id} ignores a non-widget output"
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    assert state.get("state"), "widget state saved (run make notebooks)"
    for cell in nb.cells:
        slide = cell.metadata.get("slideshow", {}).get("slide_type")
        assert slide in SLIDE_TYPES, f"cell {cell.id}: slideshow"
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            assert slide in {"slide", "subslide", "skip"}, f"cell {cell.id}: a section starts a slide"
        if cell.cell_type == "markdown" and cell.source.startswith("### Discuss"):
            assert slide in {"slide", "subslide"}, f"cell {cell.id}: a discussion prompt gets its own slide"
        if cell.cell_type == "code":
            shows = {k for o in cell.outputs for k in o.get("data", {})}
            if not shows & {"image/png", WIDGET_VIEW}:
                assert slide == "skip", f"cell {cell.id}: code and tables are skipped in the slides"
    sources = next(c for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("## Sources used"))
    assert len(sources.source) < 1200, "the sources slide is short"


def _no_figures() -> types.SimpleNamespace:
    from kb import plots

    return types.SimpleNamespace(**{name: (lambda *a, **k: None) if callable(value) else value
                                    for name, value in vars(plots).items() if not name.startswith("_")})


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_every_folded_solution_is_right(path):
    """Run the notebook's code in-process (figures left out), then each solution: its check says right."""
    nb = read(path)
    namespace: dict = {}
    for index, cell in enumerate(code(nb)):
        exec(compile(cell.source, f"{path.name}[{index}]", "exec"), namespace)
        if index == 0:
            namespace["plots"] = _no_figures()
    solutions = [m.group(1) for c in nb.cells if c.cell_type == "markdown" for m in SOLUTION.finditer(c.source)]
    assert solutions
    for solution in solutions:
        *body, last = solution.strip().splitlines()
        exec("\n".join(body), namespace)
        verdict = eval(last, namespace)
        assert getattr(verdict, "correct", False), f"{path.name}: {solution!r} -> {verdict!r}"


def runner():
    import importlib.util

    path = NOTEBOOKS.parent / "tools" / "execute_notebooks.py"
    spec = importlib.util.spec_from_file_location("execute_notebooks", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def widget_notebook(parent: str, child: str):
    """A notebook showing one widget (``parent``) whose state refers to another (``child``)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("w", id="show-widget")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        "text/plain": "VBox()", WIDGET_VIEW: {"version_major": 2, "version_minor": 0, "model_id": parent}})]
    nb.cells = [cell]
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"version_major": 2, "version_minor": 0,
        "state": {child: {"model_name": "LayoutModel", "state": {}},
                  parent: {"model_name": "VBoxModel", "state": {"layout": f"IPY_MODEL_{child}"}}}}}
    return nb


def test_widget_ids_do_not_depend_on_the_run():
    stable = runner().stable_widget_ids
    one = stable(widget_notebook("a" * 32, "b" * 32), "demo")
    other = stable(widget_notebook("c" * 32, "d" * 32), "demo")
    assert nbformat.writes(one) == nbformat.writes(other)
    text = nbformat.writes(one)
    assert "a" * 32 not in text and "b" * 32 not in text
    state = one.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    view = one.cells[0].outputs[0].data[WIDGET_VIEW]["model_id"]
    child = state[view]["state"]["layout"].removeprefix("IPY_MODEL_")
    assert child in state  # references still point at their models


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_saved_widget_ids_are_the_stable_ones(path):
    """`make notebooks` saves widget ids that a re-run reproduces, so an unchanged run leaves no diff."""
    nb = read(path)
    assert nbformat.writes(runner().stable_widget_ids(nb, path.stem)) == nbformat.writes(nb)


def test_widget_models_no_output_shows_get_stable_ids_too():
    """Models that no output shows are ordered by what they hold, not by the random ids they refer to."""
    stable = runner().stable_widget_ids
    one, other = widget_notebook("a" * 32, "b" * 32), widget_notebook("d" * 32, "c" * 32)  # id order flipped
    for nb, hidden in ((one, ("e" * 32, "f" * 32)), (other, ("1" * 32, "2" * 32))):
        state = nb.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        parent = nb.cells[0].outputs[0].data[WIDGET_VIEW]["model_id"]
        child = state[parent]["state"]["layout"].removeprefix("IPY_MODEL_")
        for model_id, target in zip(hidden, (child, parent), strict=True):
            state[model_id] = {"model_name": "LinkModel", "state": {"source": f"IPY_MODEL_{target}"}}
    assert nbformat.writes(stable(one, "demo")) == nbformat.writes(stable(other, "demo"))


def test_renumbering_keeps_every_model_whatever_the_ids_were():
    """Ids that are already stable ones, in another order, are swapped, not merged."""
    import hashlib

    stable = runner().stable_widget_ids
    first, second = (hashlib.sha256(f"demo:{n}".encode()).hexdigest()[:32] for n in (0, 1))
    renumbered = stable(widget_notebook(second, first), "demo")
    state = renumbered.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert len(state) == 2


GLOSSARY_TERMS = ["De facto", "Oblast", "autonomous", "Line of contact", "Exclave", "Corridor", "Peacekeeping mandate",
                  "Statement versus treaty", "Refugee versus internally displaced person",
                  "Delimitation and demarcation", "Provisional measures", "liberated", "Artsakh",
                  "Patriotic War / 44-day war"]


def test_the_glossary_has_every_term_with_each_communitys_words():
    glossary = (NOTEBOOKS / "glossary.md").read_text(encoding="utf-8")
    headings = "\n".join(line for line in glossary.splitlines() if line.startswith("### "))
    for term in GLOSSARY_TERMS:
        assert term.casefold() in headings.casefold(), term
    entries = glossary.split("\n### ")[1:]
    with_languages = [e for e in entries if "**az:**" in e or "**az**" in e]
    assert len(with_languages) >= 10, "names in Azerbaijani, Armenian and Russian where they differ"
    for entry in with_languages:
        assert ("**hy:**" in entry or "**hy**" in entry) and ("**ru:**" in entry or "**ru**" in entry), entry[:60]


def test_every_exercise_in_the_catalogue_is_asked_in_its_notebook():
    asked = {e for path in PATHS for _, e in exercise_cells(read(path))}
    for exercise in CATALOGUE.values():
        assert (NOTEBOOKS / f"{exercise.notebook}.ipynb").exists(), f"{exercise.id}: no notebook {exercise.notebook}"
        assert exercise.id in asked, f"{exercise.id} is in the catalogue but no notebook asks it"
