"""Read the CSV tables named in datapackage.json, check them against its schema, and own their dtypes.

The schema lives once, in ``datapackage.json``; everything here is driven by it. Checking runs over the
raw strings first (so every problem can be named by file, row and column), and only clean tables are
turned into DataFrames.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from importlib import resources
from pathlib import Path

from .errors import DataError

DESCRIPTOR = "datapackage.json"
# Table Schema's foreignKeys cannot say "every item of this list column is a key of that table", so such
# references sit in this custom schema property, shaped like foreignKeys; kb checks them like the others.
LIST_FOREIGN_KEYS = "kb:listForeignKeys"
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")  # Table Schema's defaults
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def default_data_dir() -> Path:
    """The data shipped with the package: ``kb/data`` in a wheel, ``data/`` beside ``kb/`` in a checkout."""
    packaged = resources.files("kb") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


def read_descriptor(data_dir: Path) -> dict:
    path = data_dir / DESCRIPTOR
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"no {DESCRIPTOR} in {data_dir}: is this a data folder?", file=DESCRIPTOR) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=DESCRIPTOR) from None
    try:
        package = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                        file=DESCRIPTOR, row=exc.lineno) from None
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        raise DataError('expected an object with a "resources" list', file=DESCRIPTOR)
    for i, resource in enumerate(package["resources"]):
        ok = (isinstance(resource, dict) and isinstance(resource.get("name"), str)
              and isinstance(resource.get("path"), str)
              and isinstance(resource.get("schema", {}).get("fields"), list))
        if not ok:
            raise DataError(f'resource {i + 1} needs "name", "path" and "schema.fields"', file=DESCRIPTOR)
    return package


def read_rows(data_dir: Path, resource: dict) -> tuple[list[str], list[list[str]]]:
    """Header and records of one CSV file, or a DataError saying why the file can't be read."""
    name = resource["path"]
    try:
        raw = (data_dir / name).read_bytes()
    except FileNotFoundError:
        raise DataError("file is missing", file=name) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise DataError(f"not UTF-8 text: byte {raw[exc.start]:#04x} cannot be decoded; save the file as UTF-8",
                        file=name, row=line) from None
    if not text.strip():
        raise DataError("file is empty: expected a header row and data rows", file=name)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise DataError(f"not valid CSV ({exc}); check the quotes on this line", file=name,
                        row=reader.line_num) from None
    return records[0], records[1:]


# --- checking values -----------------------------------------------------------------------------

def _parse(field: dict, text: str):
    """Convert one non-empty cell; raise ValueError with what was expected."""
    kind = field.get("type", "string")
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d+", text):
            raise ValueError("expected a whole number")
        return int(text)
    if kind == "number":
        try:
            return float(text)
        except ValueError:
            raise ValueError("expected a number") from None
    if kind == "date":
        try:
            if not _ISO_DATE.match(text):
                raise ValueError
            return dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("expected a date written YYYY-MM-DD") from None
    if kind == "boolean":
        if text in field.get("trueValues", TRUE):
            return True
        if text in field.get("falseValues", FALSE):
            return False
        raise ValueError("expected true or false")
    if kind == "list":
        items = [item.strip() for item in text.split(field.get("delimiter", ","))]
        if any(not item for item in items):
            raise ValueError(f"expected items separated by '{field.get('delimiter', ',')}' with none empty")
        return items
    return text


def _constraint_check(field: dict):
    """A function that returns the constraint problems of one parsed value, built once per column."""
    c = field.get("constraints", {})
    enum = set(c["enum"]) if "enum" in c else None
    pattern = re.compile(c["pattern"]) if "pattern" in c else None
    low, high = c.get("minimum"), c.get("maximum")
    if enum is None and pattern is None and low is None and high is None:
        return None

    def problems(value) -> list[str]:
        found = []
        for v in value if isinstance(value, list) else [value]:
            if enum is not None and v not in enum:
                found.append("expected one of: " + ", ".join(map(str, c["enum"])))
            if pattern is not None and isinstance(v, str) and not pattern.fullmatch(v):
                found.append(f"expected text matching {c['pattern']}")
            if low is not None and v < low:
                found.append(f"expected at least {low}")
            if high is not None and v > high:
                found.append(f"expected at most {high}")
        return found
    return problems


def check_table(resource: dict, header: list[str], records: list[list[str]]) -> tuple[dict, list[DataError]]:
    """Check one table cell by cell. Returns its parsed columns and the problems found."""
    name = resource["path"]
    fields = resource["schema"]["fields"]
    problems: list[DataError] = []
    expected = [f["name"] for f in fields]
    for col in expected:
        if col not in header:
            problems.append(DataError("required column is missing from the header", file=name, row=1, column=col))
    for col in header:
        if col not in expected:
            problems.append(DataError(f"unknown column; expected only: {', '.join(expected)}",
                                      file=name, row=1, column=col, value=col))
    if problems:
        return {}, problems
    columns: dict[str, list] = {col: [] for col in expected}
    plan = [(f, f["name"], header.index(f["name"]), f.get("constraints", {}).get("required", False),
             _constraint_check(f)) for f in fields]
    for number, record in enumerate(records, start=2):
        if not any(cell.strip() for cell in record):
            problems.append(DataError("blank row: delete it", file=name, row=number))
            continue
        if len(record) != len(header):
            problems.append(DataError(f"row has {len(record)} cells, the header has {len(header)}",
                                      file=name, row=number))
            continue
        for field, col, at, required, check in plan:
            text = record[at].strip()
            value = None
            if not text:
                if required:
                    problems.append(DataError("a value is required", file=name, row=number, column=col, value=""))
            else:
                try:
                    value = text if field.get("type", "string") == "string" else _parse(field, text)
                except ValueError as exc:
                    problems.append(DataError(f"{exc}, got {text!r}", file=name, row=number, column=col, value=text))
                else:
                    for message in dict.fromkeys(check(value) if check else ()):
                        problems.append(DataError(f"{message}; got {text!r}", file=name, row=number,
                                                  column=col, value=text))
            columns[col].append(value)
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            problems += _duplicates(name, field["name"], columns[field["name"]])
    key = resource["schema"].get("primaryKey", [])
    if len(key) == 1 and not fields[expected.index(key[0])].get("constraints", {}).get("unique"):
        problems += _duplicates(name, key[0], columns[key[0]])
    return columns, problems


def _duplicates(file: str, column: str, values: list) -> list[DataError]:
    seen: dict = {}
    found = []
    for number, value in enumerate(values, start=2):
        if value is None:
            continue
        if value in seen:
            found.append(DataError(f"duplicate {value!r}: row {seen[value]} has it already; ids must be unique",
                                   file=file, row=number, column=column, value=value))
        else:
            seen[value] = number
    return found


def check_references(package: dict, tables: dict[str, dict]) -> list[DataError]:
    """Every id in a foreign-key column (scalar or list) must exist in the table it points to."""
    problems = []
    for resource in package["resources"]:
        columns = tables.get(resource["name"])
        if not columns:
            continue
        schema = resource["schema"]
        for fk in schema.get("foreignKeys", []) + schema.get(LIST_FOREIGN_KEYS, []):
            (col,), ref = fk["fields"], fk["reference"]
            target = tables.get(ref["resource"] or resource["name"])
            if not target:
                continue
            known = set(target[ref["fields"][0]])
            for number, value in enumerate(columns[col], start=2):
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and item not in known:
                        problems.append(DataError(
                            f"unknown id {item!r}: expected a {ref['fields'][0]} from {ref['resource']}.csv",
                            file=resource["path"], row=number, column=col, value=item))
    return problems


# Rules that span two columns, which Table Schema cannot express: (table, later, earlier).
ORDERED_DATES = [
    ("events", "date_end", "date_start"),
    ("deadlines", "revised_due", "due"),
    ("deadlines", "due", "set_on"),
    ("deadlines", "set_on", "held_since"),
]
# Columns that must be filled together, or not at all.
PAIRED = [("deadlines", "revised_due", "revised_on")]


def check_rules(package: dict, tables: dict[str, dict]) -> list[DataError]:
    paths = {r["name"]: r["path"] for r in package["resources"]}
    problems = []
    for table, later, earlier in ORDERED_DATES:
        columns = tables.get(table)
        if not columns:
            continue
        for number, (a, b) in enumerate(zip(columns[later], columns[earlier]), start=2):
            if a is not None and b is not None and a < b:
                problems.append(DataError(f"{a} is before {earlier} {b}; expected the same day or later",
                                          file=paths[table], row=number, column=later, value=a.isoformat()))
    for table, one, other in PAIRED:
        columns = tables.get(table)
        if not columns:
            continue
        for number, (a, b) in enumerate(zip(columns[one], columns[other]), start=2):
            if (a is None) != (b is None):
                missing = other if b is None else one
                problems.append(DataError(f"{one} and {other} go together: fill both or neither",
                                          file=paths[table], row=number, column=missing, value=""))
    quantities = tables.get("quantities")
    if quantities:
        rows = zip(quantities["value"], quantities["low"], quantities["high"])
        for number, (value, low, high) in enumerate(rows, start=2):
            if value is None and low is None and high is None:
                problems.append(DataError("expected a value, or a low or high bound (\"more than 100\" is low=100)",
                                          file=paths["quantities"], row=number, column="value", value=""))
            present = [v for v in (low, value, high) if v is not None]
            if present != sorted(present):
                problems.append(DataError(f"expected low <= value <= high, got {low}, {value}, {high}",
                                          file=paths["quantities"], row=number, column="low", value=low))
    return problems


def read_package(data_dir: Path) -> tuple[dict, dict[str, dict]]:
    """Read and check every table; raise one DataError listing every problem, or return clean columns."""
    package = read_descriptor(data_dir)
    tables: dict[str, dict] = {}
    problems: list[DataError] = []
    for resource in package["resources"]:
        try:
            header, records = read_rows(data_dir, resource)
        except DataError as exc:
            problems.append(exc)
            continue
        columns, found = check_table(resource, header, records)
        problems += found
        if columns:
            tables[resource["name"]] = columns
    problems += check_references(package, tables)
    problems += check_rules(package, tables)
    if problems:
        raise DataError.collect(problems)
    return package, tables


# --- building DataFrames -------------------------------------------------------------------------

def to_frame(resource: dict, columns: dict):
    """One DataFrame with the dtypes the schema implies: dates, nullable integers, categoricals, lists."""
    import numpy as np
    import pandas as pd

    data = {}
    for field in resource["schema"]["fields"]:
        col, kind = field["name"], field.get("type", "string")
        values = columns[col]
        constraints = field.get("constraints", {})
        if "enum" in constraints:
            code = {v: i for i, v in enumerate(constraints["enum"])}
            codes = np.array([code.get(v, -1) for v in values], dtype="int16")
            data[col] = pd.Categorical.from_codes(codes, categories=constraints["enum"])
        elif kind == "date":
            data[col] = np.array(values, dtype="datetime64[D]").astype("datetime64[ns]")
        elif kind == "boolean":
            data[col] = pd.array(values, dtype="bool" if constraints.get("required") else "boolean")
        elif kind == "integer":
            data[col] = pd.array(values, dtype="int64" if constraints.get("required") else "Int64")
        elif kind == "number":
            data[col] = np.array([np.nan if v is None else v for v in values], dtype="float64")
        elif kind == "list":
            cells = np.empty(len(values), dtype=object)
            cells[:] = [v if v is not None else [] for v in values]
            data[col] = cells
        else:
            data[col] = pd.array(values, dtype="str")
    return pd.DataFrame(data)
