"""The course's notebooks: their structure, their saved outputs, and their exercises' solutions.

nbval (``make test``) re-runs every notebook and compares its outputs; these tests check what nbval does
not: that the saved run is clean and in order, that every notebook has the course's front matter,
exercises with folded solutions and a Sources section, and that every folded solution is right.
"""
from __future__ import annotations

import re
import types
from pathlib import Path

import nbformat
import pytest

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COURSE = ["00_start_here", "01_background", "02_war_2020", "03_ceasefire_terms", "04_deadlines",
          "05_reading_the_news", "06_aftermath", "07_the_people", "08_two_narratives"]
PATHS = [NOTEBOOKS / f"{stem}.ipynb" for stem in COURSE]
IDS = COURSE
SOLUTION = re.compile(r"<details><summary>Solution</summary>\s*```python\n(.*?)```", re.S)
SLIDE_TYPES = {"slide", "subslide", "fragment", "skip", "notes", "-"}
MAX_CODE_LINES = 12


def read(path):
    return nbformat.read(path, as_version=4)


def markdown(nb) -> list[str]:
    return [c.source for c in nb.cells if c.cell_type == "markdown"]


def code(nb):
    return [c for c in nb.cells if c.cell_type == "code"]


def test_the_course_is_complete():
    assert sorted(p.stem for p in NOTEBOOKS.glob("*.ipynb")) == COURSE


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
    texts = markdown(nb)
    titles = [line for t in texts for line in t.splitlines() if re.match(r"# \S", line)]
    assert len(titles) == 1 and nb.cells[0].source.startswith("# "), "one # title, in the first cell"
    overview = next(t for t in texts if t.startswith("## Overview"))
    assert len(re.findall(r"^\d+\. ", overview, re.M)) >= 3, "Overview lists numbered topics"
    prereq = next(t for t in texts if t.startswith("## Prerequisites"))
    assert "| Concepts | Importance | Notes |" in prereq
    assert "Time to learn" in prereq


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_imports_come_first_and_code_cells_are_short(path):
    nb = read(path)
    cells = code(nb)
    assert "import kb" in cells[0].source and "kb.load()" in cells[0].source
    for cell in cells[1:]:
        assert not re.search(r"^\s*(import|from \S+ import) ", cell.source, re.M), f"import in cell {cell.id}"
        assert len(cell.source.splitlines()) <= MAX_CODE_LINES, f"cell {cell.id} is long: move logic into kb"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_closing_sections(path):
    texts = markdown(read(path))
    joined = "\n".join(texts)
    for heading in ("## Summary", "## What's next", "## Sources used"):
        assert heading in joined, heading
    nb = read(path)
    last_code = code(nb)[-1]
    assert "data.cite(" in last_code.source and last_code.outputs, "the Sources cell lists them with data.cite()"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_exercises_have_checks_and_folded_solutions(path):
    nb = read(path)
    cells = nb.cells
    exercises = [i for i, c in enumerate(cells) if c.cell_type == "markdown" and c.source.startswith("### Exercise")]
    assert len(exercises) >= 3
    for i in exercises:
        attempt, solution = cells[i + 1], cells[i + 2]
        assert attempt.cell_type == "code" and "checks." in attempt.source and "answer = None" in attempt.source
        verdict = attempt.outputs[0]["data"]["text/plain"]
        assert verdict.startswith("No answer yet"), verdict
        assert solution.cell_type == "markdown" and SOLUTION.search(solution.source), "folded solution"


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_widgets_figures_and_slides(path):
    nb = read(path)
    ignored = [c for c in code(nb) if "NBVAL_IGNORE_OUTPUT" in c.source]
    assert ignored, "at least one explorer"
    for cell in ignored:  # only cells that display a widget are exempt from comparison
        kinds = {k for o in cell.outputs for k in o.get("data", {})}
        assert "application/vnd.jupyter.widget-view+json" in kinds, f"cell {cell.id} ignores a non-widget output"
    state = nb.metadata.get("widgets", {}).get("application/vnd.jupyter.widget-state+json", {})
    assert state.get("state"), "widget state saved (run make notebooks)"
    pictures = [c for c in code(nb) if "plots." in c.source
                and any("image/png" in o.get("data", {}) for o in c.outputs)]
    assert pictures, "at least one figure from kb.plots, shown as PNG"
    for cell in nb.cells:
        assert cell.metadata.get("slideshow", {}).get("slide_type") in SLIDE_TYPES, f"cell {cell.id}: slideshow"
        if cell.cell_type == "markdown" and cell.source.startswith("## "):
            assert cell.metadata["slideshow"]["slide_type"] in {"slide", "subslide", "skip"}


@pytest.mark.parametrize("path", PATHS, ids=IDS)
def test_notebooks_do_not_read_shared_files(path):
    text = path.read_text(encoding="utf-8")
    assert "/work/shared" not in text and "news-article" not in text


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
    assert len(solutions) >= 3
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
        "text/plain": "VBox()", "application/vnd.jupyter.widget-view+json": {
            "version_major": 2, "version_minor": 0, "model_id": parent}})]
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
    view = one.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]
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
        parent = nb.cells[0].outputs[0].data["application/vnd.jupyter.widget-view+json"]["model_id"]
        child = state[parent]["state"]["layout"].removeprefix("IPY_MODEL_")
        for model_id, target in zip(hidden, (child, parent)):
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
