"""Corruptions of the real data: each must give a DataError that names the file, the row and the column."""
import pytest

import kb
from kb.__main__ import main

from conftest import read_table, set_cell, write_table


def first_row_with(path, column, predicate=bool):
    rows = read_table(path)
    at = rows[0].index(column)
    return next(n for n, row in enumerate(rows[1:], start=2) if predicate(row[at]))


def corrupt_cell(file, column, value, row=2):
    def apply(data_dir):
        set_cell(data_dir / file, row, column, value)
        return file, row, column
    return apply


def corrupt_where(file, column, value, predicate, reported=None):
    """Set ``column`` on the first row where ``predicate(column)`` holds; the error lands on ``reported``."""
    def apply(data_dir):
        row = first_row_with(data_dir / file, column, predicate)
        set_cell(data_dir / file, row, column, value)
        return file, row, reported or column
    return apply


def duplicate_first_id(file, column):
    def apply(data_dir):
        rows = read_table(data_dir / file)
        rows.append(list(rows[1]))
        write_table(data_dir / file, rows)
        return file, len(rows), column
    return apply


def drop_column(file, column):
    def apply(data_dir):
        rows = read_table(data_dir / file)
        at = rows[0].index(column)
        write_table(data_dir / file, [r[:at] + r[at + 1:] for r in rows])
        return file, 1, column
    return apply


def add_column(file, column):
    def apply(data_dir):
        rows = read_table(data_dir / file)
        write_table(data_dir / file, [rows[0] + [column]] + [r + ["x"] for r in rows[1:]])
        return file, 1, column
    return apply


def revise_without_announcement(data_dir):
    row = first_row_with(data_dir / "deadlines.csv", "revised_on")
    set_cell(data_dir / "deadlines.csv", row, "revised_on", "")
    return "deadlines.csv", row, "revised_on"


CORRUPTIONS = {
    "required value missing": corrupt_cell("events.csv", "headline", ""),
    "date in another format": corrupt_cell("events.csv", "date_start", "20/11/2020"),
    "impossible date": corrupt_cell("deadlines.csv", "due", "2020-11-31"),
    "date with a time": corrupt_cell("quantities.csv", "as_of", "2020-12-03T10:00"),
    "value outside the enum": corrupt_cell("events.csv", "event_type", "battle"),
    "source kind outside the enum": corrupt_cell("sources.csv", "kind", "tertiary"),
    "integer written in words": corrupt_cell("terms.csv", "point", "two"),
    "point above nine": corrupt_cell("terms.csv", "point", "10"),
    "boolean written as a word": corrupt_cell("places.csv", "both_names", "yes"),
    "latitude out of range": corrupt_cell("places.csv", "lat", "95.2"),
    "longitude not a number": corrupt_cell("places.csv", "lon", "46.5E"),
    "id with capitals and spaces": corrupt_cell("places.csv", "place_id", "Kalbajar District"),
    "claim id pattern": corrupt_cell("claims.csv", "claim_id", "claim-1"),
    "address that is not a web address": corrupt_cell("sources.csv", "url", "www.example.org/page"),
    "row that cites no source": corrupt_cell("events.csv", "source_ids", ""),
    "empty item in a list": corrupt_cell("events.csv", "source_ids", "a;;b"),
    "unknown place in a list": corrupt_where("events.csv", "place_ids", "atlantis", bool),
    "unknown source": corrupt_cell("terms.csv", "source_ids", "no-such-source"),
    "unknown place in a scalar key": corrupt_cell("deadlines.csv", "place_id", "nowhere"),
    "unknown event in outcomes": corrupt_cell("outcomes.csv", "event_ids", "no-such-event"),
    "unknown actor claims a figure": corrupt_cell("quantities.csv", "claimed_by", "someone"),
    "end before start": corrupt_where("events.csv", "date_end", "1900-01-01", bool),
    "revised deadline before the original": corrupt_where("deadlines.csv", "revised_due", "2020-11-01", bool),
    "revision without its announcement day": revise_without_announcement,
    "range upside down": corrupt_cell("quantities.csv", "low", "999999"),
    "duplicate primary key": duplicate_first_id("events.csv", "event_id"),
    "required column missing": drop_column("places.csv", "name_hy"),
    "unknown column": add_column("actors.csv", "colour"),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corruption_names_file_row_and_column(name, data_dir):
    file, row, column = CORRUPTIONS[name](data_dir)
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    places = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert (file, row, column) in places, caught.value
    problem = next(p for p in caught.value.problems if (p.file, p.row, p.column) == (file, row, column))
    assert any(word in problem.message for word in ("expected", "required", "unique", "fill both"))


def test_error_is_a_value_error_with_its_parts(data_dir):
    set_cell(data_dir / "places.csv", 3, "lat", "north")
    with pytest.raises(ValueError) as caught:
        kb.load(data_dir)
    error = caught.value
    assert isinstance(error, kb.DataError)
    assert (error.file, error.row, error.column, error.value) == ("places.csv", 3, "lat", "north")
    assert "expected a number" in error.message
    assert str(error).startswith("places.csv:3: lat: expected a number")


def test_every_problem_is_reported_in_one_pass(data_dir):
    set_cell(data_dir / "places.csv", 2, "lat", "north")
    set_cell(data_dir / "events.csv", 3, "event_type", "battle")
    set_cell(data_dir / "claims.csv", 2, "verdict", "true")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    where = {(p.file, p.row, p.column) for p in caught.value.problems}
    assert {("places.csv", 2, "lat"), ("events.csv", 3, "event_type"), ("claims.csv", 2, "verdict")} <= where
    assert str(caught.value).startswith("3 problems in the data:")


# --- files that cannot be read at all ---------------------------------------------------------------

def test_missing_file(data_dir):
    (data_dir / "claims.csv").unlink()
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert (caught.value.file, caught.value.message) == ("claims.csv", "file is missing")


def test_empty_file(data_dir):
    (data_dir / "terms.csv").write_text("", encoding="utf-8")
    with pytest.raises(kb.DataError, match="terms.csv: file is empty"):
        kb.load(data_dir)


def test_wrong_encoding_names_the_line(data_dir):
    path = data_dir / "places.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_bytes("".join(lines[:3]).encode("utf-8") + "".join(lines[3:]).encode("cp1251", "replace"))
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "places.csv" and caught.value.row == 4
    assert "UTF-8" in caught.value.message


def test_ragged_row(data_dir):
    path = data_dir / "actors.csv"
    rows = read_table(path)
    rows[2] = rows[2][:-2]
    write_table(path, rows)
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert (caught.value.file, caught.value.row) == ("actors.csv", 3)
    assert "cells, the header has" in caught.value.message


def test_broken_quotes(data_dir):
    path = data_dir / "claims.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'c99,"an unclosed quote\n', encoding="utf-8")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "claims.csv" and "not valid CSV" in caught.value.message


def test_blank_row(data_dir):
    path = data_dir / "terms.csv"
    rows = read_table(path)
    write_table(path, rows[:3] + [[""] * len(rows[0])] + rows[3:])
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert (caught.value.file, caught.value.row) == ("terms.csv", 4)


def test_invalid_json_names_the_line(data_dir):
    path = data_dir / "datapackage.json"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[4] = lines[4] + ","
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "datapackage.json" and caught.value.row is not None
    assert "invalid JSON" in caught.value.message


def test_folder_without_a_package(tmp_path):
    with pytest.raises(kb.DataError, match="no datapackage.json"):
        kb.load(tmp_path)


# --- the command line ---------------------------------------------------------------------------------

def test_validate_command_is_quiet_and_clean_on_good_data(capsys):
    assert main(["validate"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("ok: 11 tables")


def test_validate_command_prints_one_line_per_problem(data_dir, capsys):
    set_cell(data_dir / "places.csv", 2, "lat", "north")
    set_cell(data_dir / "events.csv", 3, "event_type", "battle")
    assert main(["validate", str(data_dir)]) == 1
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines == ["places.csv:2: lat: expected a number, got 'north'",
                     lines[1]]
    assert lines[1].startswith("events.csv:3: event_type: expected one of: agreement, ceasefire,")
    assert all("Traceback" not in line for line in lines)
