"""Corruptions of the real data: each must give a DataError that names the file, the row and the column
(or, for datapackage.json, the descriptor key)."""
import json
import os
import time

import pytest
from conftest import read_table, set_cell, write_table

import kb
from kb.__main__ import main


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
    assert len(lines) == 2
    assert lines[0].startswith("places.csv:2: lat: expected a number") and lines[0].endswith("got 'north'")
    assert lines[1].startswith("events.csv:3: event_type: expected one of: agreement, ceasefire,")
    assert all("Traceback" not in line for line in lines)


# --- values that would otherwise change silently ------------------------------------------------------

def repeat_header(file, column):
    def apply(data_dir):
        rows = read_table(data_dir / file)
        at = rows[0].index(column)
        write_table(data_dir / file, [r + [r[at]] for r in rows])
        return file, 1, column
    return apply


SILENT = {
    "date before pandas can hold it": corrupt_cell("events.csv", "date_start", "1600-01-01"),
    "date after pandas can hold it": corrupt_cell("deadlines.csv", "completed_on", "2300-01-01"),
    "first day out of range": corrupt_cell("events.csv", "date_start", "1677-09-21"),
    "date in other digits": corrupt_cell("events.csv", "date_start", "２０２０-11-09"),
    "number that is not a number": corrupt_cell("places.csv", "lat", "nan"),
    "infinite number": corrupt_cell("places.csv", "lon", "inf"),
    "negative infinity": corrupt_cell("quantities.csv", "value", "-Infinity"),
    "number with an exponent": corrupt_cell("places.csv", "lat", "4e1"),
    "number too large to be finite": corrupt_cell("quantities.csv", "value", "9" * 400),
    "number in Arabic-Indic digits": corrupt_cell("places.csv", "lat", "٤٠"),
    "number with an underscore": corrupt_cell("quantities.csv", "value", "1_000"),
    "whole number in other digits": corrupt_cell("terms.csv", "point", "٣"),
    "whole number beyond 64 bits": corrupt_cell("quantities.csv", "point", "9" * 30),
    "header naming a column twice": repeat_header("actors.csv", "role"),
    "NUL in text": corrupt_cell("events.csv", "headline", "Shusha\x00taken"),
    "escape character in text": corrupt_cell("sources.csv", "title", "Title \x1b[31m red"),
    "C1 control in an id": corrupt_cell("claims.csv", "as_written", "bad\x85"),
}


@pytest.mark.parametrize("name", list(SILENT))
def test_a_value_that_would_change_silently_is_an_error(name, data_dir):
    file, row, column = SILENT[name](data_dir)
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    found = [p for p in caught.value.problems if (p.file, p.row, p.column) == (file, row, column)]
    assert found, caught.value
    assert "expected" in found[0].message


def test_the_last_day_pandas_can_hold_loads_exactly(data_dir):
    set_cell(data_dir / "deadlines.csv", 2, "completed_on", "2262-04-11")
    set_cell(data_dir / "events.csv", first_row_with(data_dir / "events.csv", "date_end", lambda v: not v),
             "date_start", "1677-09-22")
    data = kb.load(data_dir)
    assert str(data.deadlines["completed_on"].max().date()) == "2262-04-11"
    assert str(data.events["date_start"].min().date()) == "1677-09-22"


def cycle(file, id_column, column, length):
    """Point the first ``length`` rows' ``column`` at the next row's id, the last back at the first."""
    def apply(data_dir):
        rows = read_table(data_dir / file)
        at, key = rows[0].index(column), rows[0].index(id_column)
        ids = [rows[n][key] for n in range(1, length + 1)]
        for n in range(length):
            rows[n + 1][at] = ids[(n + 1) % length]
        write_table(data_dir / file, rows)
        return file, 2, column, ids
    return apply


@pytest.mark.parametrize("file, id_column, column, length", [
    ("places.csv", "place_id", "part_of", 1), ("places.csv", "place_id", "part_of", 2),
    ("places.csv", "place_id", "part_of", 3), ("actors.csv", "actor_id", "affiliation", 1),
    ("actors.csv", "actor_id", "affiliation", 2)])
def test_a_reference_cycle_is_reported_once(data_dir, file, id_column, column, length):
    file, row, column, ids = cycle(file, id_column, column, length)(data_dir)
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    circles = [p for p in caught.value.problems if "circle" in p.message]
    assert [(p.file, p.row, p.column) for p in circles] == [(file, row, column)]
    assert all(i in circles[0].message for i in ids) and "expected a chain that ends" in circles[0].message


def test_a_chain_that_ends_is_no_cycle(data_dir):
    assert kb.load(data_dir).places["part_of"].notna().any()


# --- reading outside the package ----------------------------------------------------------------------

SECRET = "secret_column,top-secret-value\n1,2\n"


def edit_descriptor(data_dir, change):
    path = data_dir / "datapackage.json"
    package = json.loads(path.read_text(encoding="utf-8"))
    change(package)
    path.write_text(json.dumps(package), encoding="utf-8")


def resource_index(data_dir, name):
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    return [r["name"] for r in package["resources"]].index(name)


def point_claims_at(data_dir, path):
    i = resource_index(data_dir, "claims")
    edit_descriptor(data_dir, lambda p: p["resources"][i].update(path=path))
    return i


def refused(data_dir):
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert "secret" not in str(caught.value) and "Traceback" not in str(caught.value)
    return caught.value.problems


@pytest.mark.parametrize("path", ["/etc/passwd", "../outside.csv", "datapackage.json", "./datapackage.json", "sub/../../outside.csv", "C:/data/x.csv",
                                  "sub\\claims.csv", "https://example.org/claims.csv", "claims.csv\n"])
def test_a_path_out_of_the_package_is_refused_unread(data_dir, path):
    (data_dir.parent / "outside.csv").write_text(SECRET, encoding="utf-8")
    i = point_claims_at(data_dir, path)
    problems = refused(data_dir)
    assert [(p.file, p.key) for p in problems] == [("datapackage.json", f"resources[{i}].path")]
    assert "expected" in problems[0].message


def test_a_symlink_out_of_the_package_is_refused_unread(data_dir):
    (data_dir.parent / "outside.csv").write_text(SECRET, encoding="utf-8")
    (data_dir / "claims.csv").unlink()
    (data_dir / "claims.csv").symlink_to(data_dir.parent / "outside.csv")
    problems = refused(data_dir)
    assert [(p.file, p.key) for p in problems] == [("claims.csv", f"resources[{resource_index(data_dir, 'claims')}]"
                                                                  ".path")]
    assert "outside the data folder" in problems[0].message


def test_a_symlink_inside_the_package_is_read(data_dir):
    (data_dir / "copy").mkdir()
    (data_dir / "claims.csv").rename(data_dir / "copy" / "claims.csv")
    (data_dir / "claims.csv").symlink_to(data_dir / "copy" / "claims.csv")
    assert len(kb.load(data_dir).claims) > 0


@pytest.mark.parametrize("make", ["fifo", "device", "folder"])
def test_a_path_that_is_no_regular_file_is_refused_without_hanging(data_dir, make):
    (data_dir / "claims.csv").unlink()
    if make == "fifo":
        os.mkfifo(data_dir / "claims.csv")
    elif make == "device":
        (data_dir / "dev").symlink_to("/dev")
        point_claims_at(data_dir, "dev/zero")
    else:
        (data_dir / "claims.csv").mkdir()
    problems = refused(data_dir)
    assert len(problems) == 1
    assert problems[0].file in ("claims.csv", "dev/zero")
    assert ("not a regular file" if make == "fifo" else "folder" if make == "folder" else "outside") \
        in problems[0].message


def test_a_file_over_the_size_limit_is_refused_unread(data_dir, monkeypatch):
    import kb.package

    monkeypatch.setattr(kb.package, "MAX_FILE_BYTES", 1000)
    problems = refused(data_dir)
    assert ("sources.csv", None) in {(p.file, p.row) for p in problems}
    assert any("kb reads files of at most" in p.message for p in problems)
    assert kb.package.MAX_FILE_BYTES == 1000 and "64 MiB" in kb.package.__doc__


# --- descriptors of the wrong shape -------------------------------------------------------------------

def at_resource(name, change):
    def apply(package):
        i = [r["name"] for r in package["resources"]].index(name)
        change(package["resources"][i])
    return apply


def field_of(resource, name):
    return next(f for f in resource["schema"]["fields"] if f["name"] == name)


def field_key(data_dir, table, name, rest=""):
    package = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    i = [r["name"] for r in package["resources"]].index(table)
    j = [f["name"] for f in package["resources"][i]["schema"]["fields"]].index(name)
    return f"resources[{i}].schema.fields[{j}]{rest}"


SHAPES = {
    # name: (change, key as a function of data_dir, a word the message must hold)
    "a field without a name": (
        at_resource("places", lambda r: field_of(r, "lat").pop("name")),
        lambda d: field_key(d, "places", "lat"), "name"),
    "a schema given as a string": (
        at_resource("places", lambda r: r.update(schema="places.schema.json")),
        lambda d: f"resources[{resource_index(d, 'places')}].schema", "Table Schema"),
    "foreign keys given as a string": (
        at_resource("places", lambda r: r["schema"].update(foreignKeys="part_of")),
        lambda d: f"resources[{resource_index(d, 'places')}].schema.foreignKeys", "array"),
    "a composite foreign key": (
        at_resource("deadlines", lambda r: r["schema"]["foreignKeys"][0].update(fields=["point", "place_id"])),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.foreignKeys[0].fields", "single-column"),
    "a composite primary key": (
        at_resource("deadlines", lambda r: r["schema"].update(primaryKey=["point", "place_id"])),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.primaryKey", "single-column"),
    "a key naming a missing field": (
        at_resource("deadlines", lambda r: r["schema"]["foreignKeys"][1].update(fields=["district"])),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.foreignKeys[1].fields", "not a field"),
    "a key naming a missing table": (
        at_resource("deadlines", lambda r: r["schema"]["foreignKeys"][1]["reference"].update(resource="districts")),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.foreignKeys[1].reference.resource",
        "no table"),
    "a key naming a missing field of its table": (
        at_resource("deadlines", lambda r: r["schema"]["foreignKeys"][1]["reference"].update(fields=["id"])),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.foreignKeys[1].reference.fields",
        "not a field"),
    "a primary key naming a missing field": (
        at_resource("claims", lambda r: r["schema"].update(primaryKey=["id"])),
        lambda d: f"resources[{resource_index(d, 'claims')}].schema.primaryKey[0]", "not a field"),
    "a list column declared as a plain foreign key": (
        at_resource("claims", lambda r: r["schema"].update(foreignKeys=r["schema"].pop("kb:listForeignKeys"))),
        lambda d: f"resources[{resource_index(d, 'claims')}].schema.foreignKeys[0].fields", "kb:listForeignKeys"),
    "an invalid regular expression": (
        at_resource("claims", lambda r: field_of(r, "claim_id")["constraints"].update(pattern="^c[0-9{2}$")),
        lambda d: field_key(d, "claims", "claim_id", ".constraints.pattern"), "regular expression"),
    "a minimum of the wrong type": (
        at_resource("places", lambda r: field_of(r, "lat")["constraints"].update(minimum="-90")),
        lambda d: field_key(d, "places", "lat", ".constraints.minimum"), "number"),
    "a date minimum that is not a day": (
        at_resource("events", lambda r: field_of(r, "date_start").setdefault("constraints", {})
                    .update(minimum="1900-13-01")),
        lambda d: field_key(d, "events", "date_start", ".constraints.minimum"), "day"),
    "an unknown type": (
        at_resource("events", lambda r: field_of(r, "date_start").update(type="datetime")),
        lambda d: field_key(d, "events", "date_start", ".type"), "date"),
    "an unknown constraint": (
        at_resource("claims", lambda r: field_of(r, "claim").setdefault("constraints", {}).update(maxLength=9)),
        lambda d: field_key(d, "claims", "claim", ".constraints"), "maxLength"),
    "an enum on a number": (
        at_resource("places", lambda r: field_of(r, "lat")["constraints"].update(enum=["1"])),
        lambda d: field_key(d, "places", "lat", ".type"), "enum"),
    "a field declared twice": (
        at_resource("claims", lambda r: r["schema"]["fields"].append(dict(r["schema"]["fields"][1]))),
        lambda d: f"resources[{resource_index(d, 'claims')}].schema.fields[6].name", "twice"),
    "a resource named twice": (
        at_resource("claims", lambda r: r.update(name="sources")),
        lambda d: f"resources[{resource_index(d, 'claims')}].name", "each name once"),
    "a dialect kb does not read": (
        at_resource("claims", lambda r: r.update(dialect={"delimiter": ";"})),
        lambda d: f"resources[{resource_index(d, 'claims')}].dialect", "comma-separated"),
    "resources not a list": (
        lambda p: p.update(resources={"places": "places.csv"}),
        lambda d: "resources", "list"),
    "a resource without a path": (
        at_resource("claims", lambda r: r.pop("path")),
        lambda d: f"resources[{resource_index(d, 'claims')}]", "path"),
    "a path that is a list": (
        at_resource("claims", lambda r: r.update(path=["claims.csv"])),
        lambda d: f"resources[{resource_index(d, 'claims')}].path", "relative path"),
    "an empty field list": (
        at_resource("claims", lambda r: r["schema"].update(fields=[])),
        lambda d: f"resources[{resource_index(d, 'claims')}].schema.fields", "fields"),
    "another encoding": (
        at_resource("claims", lambda r: r.update(encoding="latin-1")),
        lambda d: f"resources[{resource_index(d, 'claims')}].encoding", "utf-8"),
    "a unique list field": (
        at_resource("claims", lambda r: field_of(r, "source_ids")["constraints"].update(unique=True)),
        lambda d: field_key(d, "claims", "source_ids", ".type"), "not list"),
    "a key pointing at a list field": (
        at_resource("deadlines", lambda r: r["schema"]["foreignKeys"][1]["reference"].update(
            resource="places", fields=["aliases"])),
        lambda d: f"resources[{resource_index(d, 'deadlines')}].schema.foreignKeys[1].reference.fields", "list"),
    "a field name with a control character": (
        at_resource("claims", lambda r: field_of(r, "claim").update(name="cl\u0000aim")),
        lambda d: field_key(d, "claims", "claim", ".name"), "control"),
    "a list delimiter that is a quote": (
        at_resource("claims", lambda r: field_of(r, "source_ids").update(delimiter='"')),
        lambda d: field_key(d, "claims", "source_ids", ".delimiter"), "one character"),
}


@pytest.mark.parametrize("name", list(SHAPES))
def test_a_descriptor_of_the_wrong_shape_names_the_key(name, data_dir):
    change, key, word = SHAPES[name]
    expected_key = key(data_dir)
    edit_descriptor(data_dir, change)
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    found = {p.key: p for p in caught.value.problems}
    assert expected_key in found, caught.value
    assert found[expected_key].file == "datapackage.json"
    assert word in found[expected_key].message and "expected" in found[expected_key].message


def test_keys_given_as_one_name_are_read_as_table_schema_allows(data_dir):
    edit_descriptor(data_dir, at_resource("places", lambda r: (
        r["schema"].update(primaryKey="place_id"), r["schema"]["foreignKeys"][0].update(fields="part_of"),
        r["schema"]["foreignKeys"][0]["reference"].update(fields="place_id", resource=""))))
    assert len(kb.load(data_dir).places) > 0
    duplicate_first_id("places.csv", "place_id")(data_dir)
    with pytest.raises(kb.DataError, match="duplicate"):  # the string primaryKey is checked, not ignored
        kb.load(data_dir)


def test_a_descriptor_with_a_bom_is_read(data_dir):
    path = data_dir / "datapackage.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(kb.load(data_dir).tables) == 11


@pytest.mark.parametrize("depth", [40, 100_000])
def test_a_deeply_nested_descriptor_is_an_error_not_a_recursion(data_dir, depth):
    edit_descriptor(data_dir, lambda p: p.update(extra=None))
    path = data_dir / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"extra": null', '"extra": ' + "[" * depth + "]" * depth),
                    encoding="utf-8")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "datapackage.json" and "nested more than" in caught.value.message


@pytest.mark.parametrize("text", ['{"resources": [], "x": NaN}', '[1, 2]', '"resources"', '{"resources": [1]}'])
def test_a_descriptor_that_is_no_package_is_an_error(data_dir, text):
    (data_dir / "datapackage.json").write_text(text, encoding="utf-8")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "datapackage.json" and "expected" in caught.value.message or "JSON" in str(caught.value)


def test_a_backtracking_pattern_is_stopped_and_named(data_dir):
    edit_descriptor(data_dir, at_resource("places", lambda r: field_of(r, "name").setdefault("constraints", {})
                                          .update(pattern="(a|aa)+")))
    row = 3
    set_cell(data_dir / "places.csv", row, "name", "a" * 60 + "!")
    started = time.perf_counter()
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert time.perf_counter() - started < 10
    key = field_key(data_dir, "places", "name", ".constraints.pattern")
    slow = [p for p in caught.value.problems if p.key == key]
    assert len(slow) == 1 and f"row {row}" in slow[0].message and "simpler pattern" in slow[0].message


def test_a_resource_that_is_not_a_table_is_only_checked_for_safety(data_dir):
    assert "basemap" not in kb.load(data_dir).tables  # the shipped package declares its basemap (GeoJSON)
    index = resource_index(data_dir, "basemap")
    edit_descriptor(data_dir, lambda p: p["resources"][index].update(path="../basemap.geojson"))
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.key == f"resources[{resource_index(data_dir, 'basemap')}].path"


# --- a file where a folder is expected, and the reverse -----------------------------------------------

@pytest.mark.parametrize("command", ["validate", "dictionary", "figures"])
def test_a_file_given_as_the_data_folder_is_a_clear_error(tmp_path, capsys, command):
    afile = tmp_path / "notes.txt"
    afile.write_text("not a folder", encoding="utf-8")
    argv = [command, str(afile)] if command != "figures" else [command, "--data", str(afile), "--out",
                                                                 str(tmp_path / "out")]
    assert main(argv) == 1
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "is a file, not a folder" in text and "Traceback" not in text


@pytest.mark.parametrize("command", ["validate", "dictionary"])
def test_a_descriptor_that_is_a_folder_is_a_clear_error(data_dir, capsys, command):
    (data_dir / "datapackage.json").unlink()
    (data_dir / "datapackage.json").mkdir()
    assert main([command, str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert "datapackage.json: is a folder; expected a file" in captured.out + captured.err


def test_a_missing_data_folder_is_a_clear_error(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "nowhere")]) == 1
    assert "no folder" in capsys.readouterr().out


def test_a_key_written_twice_in_one_object_is_an_error(data_dir):
    path = data_dir / "datapackage.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"name": "sources",', '"name": "sources", "name": "x",',
                                                             1), encoding="utf-8")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert caught.value.file == "datapackage.json" and "'name' appears twice in one object" in caught.value.message


def test_a_declared_uri_format_is_checked(data_dir):
    edit_descriptor(data_dir, at_resource("sources", lambda r: field_of(r, "url")["constraints"].pop("pattern")))
    set_cell(data_dir / "sources.csv", 3, "url", "https://")
    with pytest.raises(kb.DataError) as caught:
        kb.load(data_dir)
    assert [(p.file, p.row, p.column) for p in caught.value.problems] == [("sources.csv", 3, "url")]
    assert "expected a web address" in caught.value.message


def test_a_column_name_with_spaces_and_capitals_is_read(data_dir):
    edit_descriptor(data_dir, at_resource("claims", lambda r: field_of(r, "as_written").update(name="As written")))
    rows = read_table(data_dir / "claims.csv")
    rows[0][rows[0].index("as_written")] = "As written"
    write_table(data_dir / "claims.csv", rows)
    assert "As written" in kb.load(data_dir).claims.columns
