"""The printed handouts (``make handouts``): built afresh by Chromium into a temporary folder."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import INSTALL_HINT, ROOT, chromium_path, need

pytestmark = pytest.mark.browser
sys.path.insert(0, str(ROOT / "tools"))


@pytest.fixture(scope="module")
def handouts(tmp_path_factory) -> Path:
    if chromium_path() is None:
        need("no Chromium found", INSTALL_HINT)
    out = tmp_path_factory.mktemp("handouts")
    run = subprocess.run([sys.executable, str(ROOT / "tools" / "build_handouts.py"), "--out", str(out)],
                         capture_output=True, text=True, cwd=ROOT)
    assert run.returncode == 0, f"the handouts did not build:\n{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    return out


def pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf.read_bytes()))


def visible_text(markup: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", markup, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def test_every_lesson_with_exercises_has_a_worksheet_and_a_teacher_copy(handouts, data):
    from build_handouts import lesson_questions
    from build_site import course_notebooks

    from kb import checks

    catalogue = checks.load_catalogue()
    lessons = [nb for nb in course_notebooks() if lesson_questions(nb, data, catalogue)]
    assert lessons, "no lesson has exercises"
    for nb in lessons:
        for copy in ("worksheet", "teacher"):
            pdf = handouts / f"{nb.stem}-{copy}.pdf"
            assert pdf.read_bytes().startswith(b"%PDF") and pages(pdf) >= 1, pdf.name


def test_worksheets_ask_without_answering_and_teacher_copies_answer(handouts, data):
    from build_handouts import lesson_questions
    from build_site import course_notebooks

    from kb import checks

    catalogue = checks.load_catalogue()
    for nb in course_notebooks():
        questions = lesson_questions(nb, data, catalogue)
        if not questions:
            continue
        student = visible_text((handouts / f"{nb.stem}-worksheet.html").read_text("utf-8"))
        teacher = visible_text((handouts / f"{nb.stem}-teacher.html").read_text("utf-8"))
        assert "Answer:" not in student and "Model answer" not in student and "Name" in student
        for q in questions:
            assert visible_text(q.text).split("(")[0].strip()[:40] in student, (nb.stem, q.id)
            if q.open:
                first_words = visible_text(q.model_answer)[:50]
                assert first_words in teacher and first_words not in student, (nb.stem, q.id)
            else:
                assert f"Answer: {q.answer}" in teacher, (nb.stem, q.id)
                if q.right:
                    assert visible_text(q.right)[:50] not in student, (nb.stem, q.id)


def test_years_print_as_years_and_counts_with_separators(handouts, data):
    teacher = visible_text((handouts / "07_the_people-teacher.html").read_text("utf-8"))
    assert "Answer: 2020, 2021, 2023, 2024" in teacher and "2,020" not in teacher
    assert "Answer: 53,574" in teacher


def test_the_summary_fits_one_page_and_the_maps_show_two_days(handouts, data):
    from kb.base import format_day

    assert pages(handouts / "summary.pdf") == 1
    summary = visible_text((handouts / "summary.html").read_text("utf-8"))
    for row in data.terms.itertuples():
        assert row.title in summary
    maps = (handouts / "map.html").read_text("utf-8")
    assert pages(handouts / "map.pdf") == 2
    assert maps.count('<img src="data:image/png;base64,') == 2
    for day in (data.deadlines["set_on"].min(), data.deadlines["completed_on"].max()):
        assert format_day(day) in maps


def test_the_handouts_embed_fonts_for_armenian_and_azerbaijani_letters(handouts):
    glossary = (handouts / "glossary.html").read_text("utf-8")
    assert re.search("[\u0531-\u058f]", glossary) and re.search("[\u0400-\u04ff]", glossary) and "ə" in glossary.lower()
    fonts = set(re.findall(rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", (handouts / "glossary.pdf").read_bytes()))
    assert b"NotoSansArmenian-Regular" in fonts and any(f.startswith(b"NotoSans-") for f in fonts), fonts
