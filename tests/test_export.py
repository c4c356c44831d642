"""The exports: a TimelineJS spreadsheet and the data dictionary are safe whatever text the data holds."""
import csv

import pytest
from conftest import read_table, set_cell

import kb
from kb.base import data_dictionary
from kb.export import COLUMNS, no_formula, timelinejs_rows

HOSTILE = '<img src=x onerror="alert(1)"> & <b>bold</b>'


@pytest.fixture
def hostile(data_dir):
    set_cell(data_dir / "events.csv", 2, "headline", HOSTILE)
    set_cell(data_dir / "events.csv", 2, "summary", "=HYPERLINK(\"http://example.org\",\"click\") <script>x</script>")
    set_cell(data_dir / "events.csv", 3, "headline", "+1 for the <i>record</i>")
    set_cell(data_dir / "events.csv", 4, "headline", "@SUM(A1:A9)")
    set_cell(data_dir / "events.csv", 5, "headline", "-2+3")
    cited = read_table(data_dir / "events.csv")[1][read_table(data_dir / "events.csv")[0].index("source_ids")]
    sources = read_table(data_dir / "sources.csv")
    row = 1 + next(n for n, r in enumerate(sources) if r[0] == cited.split(";")[0])
    set_cell(data_dir / "sources.csv", row, "publisher", "<a href='javascript:x'>P</a>")
    return kb.load(data_dir)


def test_timelinejs_escapes_html_in_every_column_it_renders(hostile, tmp_path):
    path = hostile.to_timelinejs(tmp_path / "timeline.csv")
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == COLUMNS
    cells = [row[c] for row in rows for c in ("Headline", "Text", "Group", "Display Date", "Media Caption",
                                              "Media Credit")]
    assert not any(tag in cell for cell in cells for tag in ("<img", "<script", "<b>", "<i>", "<a "))
    assert '&lt;img src=x onerror="alert(1)"&gt; &amp; &lt;b&gt;bold&lt;/b&gt;' in {r["Headline"] for r in rows}
    assert any("&lt;script&gt;" in r["Text"] for r in rows)
    assert any("&lt;a href='javascript:x'&gt;P&lt;/a&gt;" in r["Text"] for r in rows)
    assert all(r["Text"].count("<small>") == 1 for r in rows)  # the export's own markup stays


def test_timelinejs_neutralises_spreadsheet_formulas(hostile):
    rows = timelinejs_rows(hostile.events, hostile.sources)
    starts = ("=", "+", "-", "@")
    assert not any(str(cell).startswith(starts) for cell in rows.to_numpy().ravel())
    headlines = set(rows["Headline"])
    assert {"'+1 for the &lt;i&gt;record&lt;/i&gt;", "'@SUM(A1:A9)", "'-2+3"} <= headlines
    assert any(text.startswith("'=HYPERLINK(") for text in rows["Text"])


@pytest.mark.parametrize("cell, safe", [("=1+1", "'=1+1"), ("+31", "'+31"), ("-1", "'-1"), ("@A1", "'@A1"),
                                        ("\t=1", "'\t=1"), ("1-1", "1-1"), ("a=b", "a=b"), ("", "")])
def test_no_formula(cell, safe):
    assert no_formula(cell) == safe


def test_the_data_dictionary_escapes_markdown_tables_and_html(data):
    package = {"resources": [{
        "name": "things", "path": "things.csv", "title": "Things <script>alert(1)</script>",
        "description": "A | B\nsecond line <b>x</b>",
        "schema": {"fields": [{"name": "kind", "type": "string", "description": "Either | or `a|b` <i>",
                               "constraints": {"enum": ["a|b", "c`d"]}}]}}]}
    text = data_dictionary(package)
    lines = text.splitlines()
    assert lines[0] == "## things: Things &lt;script&gt;alert(1)&lt;/script&gt;"
    assert lines[2] == "A \\| B second line &lt;b&gt;x&lt;/b&gt;"
    row = next(line for line in lines if line.startswith("| `kind`"))
    assert row.count(" | ") == 3 and "<i>" not in row and "&lt;i&gt;" in row
    assert "`a\\|b`" in row and "`` c`d ``" in row
    assert "<" not in text.replace("&lt;", "")


def test_the_shipped_dictionary_has_nothing_to_escape(data):
    assert "\\|" not in data.dictionary() and "&lt;" not in data.dictionary()
