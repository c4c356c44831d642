"""Fuzzing: random corruptions of the real data, and data packages built from strategies that know their
structure (descriptors and tables of the right shape, then of wrong shapes). Whatever they hold, ``kb.load``
returns the data or raises a DataError saying where: never another exception, never a hang."""
import csv
import json
import shutil
import tempfile
from pathlib import Path

from conftest import read_table, write_table
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import kb
from kb.package import default_data_dir

FILES = sorted(p.name for p in default_data_dir().glob("*.csv"))
CELL = st.one_of(st.text(max_size=12), st.sampled_from(["", ";", "2020-13-01", "-1", "1e999", "nan", "a;;b",
                                                          "\x00", '"', "agdam", "1960", "2020-11-09",
                                                          "1600-01-01", "inf", "٣"]))
REAL = settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
                max_examples=15)


def load_or_data_error(folder):
    """Load ``folder``: the KB, or None after checking that the DataError says where each problem is."""
    try:
        return kb.load(folder)
    except kb.DataError as exc:
        assert exc.problems and all(p.file for p in exc.problems)
        assert all(p.key or p.row or p.file != "datapackage.json" or "JSON" in p.message or "nested" in p.message
                   for p in exc.problems), exc
        return None


@REAL
@given(file=st.sampled_from(FILES), row=st.integers(0, 400), col=st.integers(0, 20), value=CELL)
def test_random_cell(tmp_path_factory, file, row, col, value):
    folder = tmp_path_factory.mktemp("d")
    shutil.copytree(default_data_dir(), folder, dirs_exist_ok=True)
    rows = read_table(folder / file)
    r, c = row % len(rows), col % len(rows[0])
    rows[r][c] = value
    write_table(folder / file, rows)
    load_or_data_error(folder)


@REAL
@given(file=st.sampled_from(FILES + ["datapackage.json"]), at=st.integers(0, 10**6),
       junk=st.binary(max_size=8), cut=st.booleans())
def test_random_bytes(tmp_path_factory, file, at, junk, cut):
    folder = tmp_path_factory.mktemp("d")
    shutil.copytree(default_data_dir(), folder, dirs_exist_ok=True)
    raw = (folder / file).read_bytes()
    at %= len(raw) + 1
    (folder / file).write_bytes(raw[:at] + junk + (b"" if cut else raw[at:]))
    load_or_data_error(folder)


# --- packages built from their structure ----------------------------------------------------------

NAMES = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True)
WORD = st.from_regex(r"[a-z]{1,6}", fullmatch=True)
DAYS = st.dates(min_value=__import__("datetime").date(1677, 9, 22), max_value=__import__("datetime").date(2262, 4, 11))


@st.composite
def fields(draw, name):
    """One field of a right shape, and a strategy for the cells that fit it."""
    kind = draw(st.sampled_from(["string", "integer", "number", "date", "boolean", "list"]))
    field = {"name": name, "type": kind, "constraints": {"required": True}}
    if kind == "string":
        if draw(st.booleans()):
            words = draw(st.lists(WORD, min_size=1, max_size=4, unique=True))
            field["constraints"]["enum"] = words
            cells = st.sampled_from(words)
        else:
            field["constraints"]["pattern"] = "[a-z]+"
            cells = WORD
    elif kind == "integer":
        low = draw(st.integers(-1000, 1000))
        field["constraints"].update(minimum=low, maximum=low + 100)
        cells = st.integers(low, low + 100).map(str)
    elif kind == "number":
        cells = st.decimals(-10**6, 10**6, places=3, allow_nan=False, allow_infinity=False).map(str)
    elif kind == "date":
        cells = DAYS.map(lambda d: d.isoformat())
    elif kind == "boolean":
        cells = st.sampled_from(["true", "false", "1", "0"])
    else:
        field.update(delimiter=";", itemType="string")
        cells = st.lists(WORD, min_size=1, max_size=3).map(";".join)
    return field, cells


@st.composite
def packages(draw):
    """A descriptor of the right shape and its tables: an id table, and one table whose keys point at it."""
    ids = draw(st.lists(WORD, min_size=1, max_size=6, unique=True))
    names = draw(st.lists(NAMES.filter(lambda n: n not in ("id", "ref", "refs")), min_size=1, max_size=4,
                          unique=True))
    drawn = [draw(fields(name)) for name in names]
    rows = draw(st.integers(0, 6))
    things = {"name": "things", "path": "things.csv", "profile": "tabular-data-resource", "format": "csv",
              "schema": {"fields": [{"name": "id", "type": "string",
                                     "constraints": {"required": True, "unique": True}}],
                         "primaryKey": draw(st.sampled_from(["id", ["id"]]))}}
    notes = {"name": "notes", "path": "sub/notes.csv",
             "schema": {"fields": [{"name": "ref", "type": "string"},
                                   {"name": "refs", "type": "list", "delimiter": ";"}] + [f for f, _ in drawn],
                        "foreignKeys": [{"fields": "ref", "reference": {"resource": "things", "fields": "id"}}],
                        "kb:listForeignKeys": [{"fields": ["refs"],
                                                "reference": {"resource": "things", "fields": ["id"]}}]}}
    table = [["ref", "refs", *names]]
    for _ in range(rows):
        table.append([draw(st.sampled_from(ids + [""])), ";".join(draw(st.lists(st.sampled_from(ids), max_size=3))),
                      *[draw(cells) for _, cells in drawn]])
    return {"resources": [things, notes]}, {"things.csv": [["id"], *[[i] for i in ids]], "sub/notes.csv": table}


def write_package(folder: Path, descriptor, tables) -> None:
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for path, rows in tables.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        with open(folder / path, "w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)


@given(package=packages())
def test_a_package_of_the_right_shape_loads_whole(package):
    descriptor, tables = package
    with tempfile.TemporaryDirectory() as tmp:
        write_package(Path(tmp), descriptor, tables)
        data = kb.load(tmp)
    assert list(data.tables["things"]["id"]) == [row[0] for row in tables["things.csv"][1:]]
    notes = data.tables["notes"]
    assert len(notes) == len(tables["sub/notes.csv"]) - 1
    for field in descriptor["resources"][1]["schema"]["fields"]:
        if field["type"] == "integer":
            assert list(notes[field["name"]]) == [int(r[tables["sub/notes.csv"][0].index(field["name"])])
                                                  for r in tables["sub/notes.csv"][1:]]


WRONG = st.one_of(st.none(), st.booleans(), st.integers(-2, 2), st.floats(allow_nan=False),
                  st.sampled_from(["", "x", "datetime", "places", "../x.csv", "/etc/hosts", "[", "(a|aa)+"]),
                  st.lists(st.sampled_from(["id", "x", 1]), max_size=3), st.just({}), st.just({"name": 1}))


def positions(value, path=()):
    """Every place in a JSON value, as a path of keys and indexes."""
    yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from positions(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from positions(item, (*path, i))


def mutate(descriptor, path, how, value):
    if not path:
        return value
    parent = descriptor
    for step in path[:-1]:
        parent = parent[step]
    if how == "delete":
        del parent[path[-1]]
    elif how == "replace":
        parent[path[-1]] = value
    elif how == "nest":
        parent[path[-1]] = [[[[[parent[path[-1]]]]]]]
    return descriptor


@given(package=packages(), data=st.data())
def test_a_descriptor_of_a_wrong_shape_is_a_data_error(package, data):
    descriptor, tables = package
    path = data.draw(st.sampled_from(list(positions(descriptor))), label="path")
    how = data.draw(st.sampled_from(["delete", "replace", "nest"]) if path else st.just("replace"), label="how")
    descriptor = mutate(descriptor, path, how, data.draw(WRONG, label="value"))
    with tempfile.TemporaryDirectory() as tmp:
        write_package(Path(tmp), {"resources": []}, tables)
        (Path(tmp) / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
        load_or_data_error(tmp)


@given(package=packages(), data=st.data())
def test_a_table_of_a_wrong_shape_is_a_data_error_naming_the_row(package, data):
    descriptor, tables = package
    rows = tables["sub/notes.csv"]
    how = data.draw(st.sampled_from(["cell", "drop column", "repeat column", "short row"]), label="how")
    if how == "cell" and len(rows) > 1:
        r, c = data.draw(st.integers(1, len(rows) - 1)), data.draw(st.integers(0, len(rows[0]) - 1))
        rows[r][c] = data.draw(CELL, label="cell")
    elif how == "drop column":
        c = data.draw(st.integers(0, len(rows[0]) - 1))
        tables["sub/notes.csv"] = [row[:c] + row[c + 1:] for row in rows]
    elif how == "repeat column":
        tables["sub/notes.csv"] = [row + row[-1:] for row in rows]
    elif len(rows) > 1:
        rows[-1] = rows[-1][:-1]
    with tempfile.TemporaryDirectory() as tmp:
        write_package(Path(tmp), descriptor, tables)
        if load_or_data_error(tmp) is None:
            return
    assert how == "cell" or len(rows) <= 1  # a structural change that loads would be a silent change
