"""Read the CSV tables named in datapackage.json, check them against its schema, and own their dtypes.

The schema lives once, in ``datapackage.json``; everything here is driven by it. The descriptor is checked
for shape first (``datapackage.schema.json``, shipped beside this module, says which subset of Data Package
and Table Schema kb reads), then every table is checked over its raw strings (so every problem can be named
by file, row and column), and only clean tables are turned into DataFrames.

Files are read only from inside the data folder: paths are relative, stay inside the folder after symlinks
are resolved, and name regular files of at most ``MAX_FILE_BYTES`` (64 MiB); the descriptor itself may be at
most ``MAX_DESCRIPTOR_BYTES`` (1 MiB) and nested at most ``MAX_DEPTH`` levels deep.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import math
import os
import re
import stat
from importlib import resources
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Any

import regex

from .errors import DataError

__all__ = ["DESCRIPTOR", "LIST_FOREIGN_KEYS", "MAX_DEPTH", "MAX_DESCRIPTOR_BYTES", "MAX_FILE_BYTES",
           "default_data_dir", "read_descriptor", "read_inside", "read_package", "tabular", "to_frame"]

DESCRIPTOR = "datapackage.json"
# Table Schema's foreignKeys cannot say "every item of this list column is a key of that table", so such
# references sit in this custom schema property, shaped like foreignKeys; kb checks them like the others.
LIST_FOREIGN_KEYS = "kb:listForeignKeys"
MAX_FILE_BYTES = 64 * 2**20
MAX_DESCRIPTOR_BYTES = 2**20
MAX_DEPTH = 32
PATTERN_SECONDS = 0.25  # a pattern that takes longer than this on one cell is reported, then no longer run
TRUE, FALSE = ("true", "True", "TRUE", "1"), ("false", "False", "FALSE", "0")  # Table Schema's defaults
# The days a datetime64[ns] column can hold; outside them pandas would wrap around to other dates.
FIRST_DAY, LAST_DAY = dt.date(1677, 9, 22), dt.date(2262, 4, 11)
INT64 = 2**63

_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_URI = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#]+[^\s]*")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # tab and line breaks are text
_SCHEMA = Path(__file__).with_name("datapackage.schema.json")


def default_data_dir() -> Path:
    """The data shipped with the package.

    Returns
    -------
    Path
        ``kb/data`` in a wheel, ``data/`` beside ``kb/`` in a checkout.
    """
    packaged = resources.files("kb") / "data"
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parent.parent / "data"


def tabular(resource: dict) -> bool:
    """Whether a resource is a CSV table kb loads, not another file such as a basemap.

    Parameters
    ----------
    resource : dict
        One entry of the descriptor's ``resources``.

    Returns
    -------
    bool
        True when it has a Table Schema (``schema``).
    """
    return "schema" in resource


# --- reading files safely -------------------------------------------------------------------------

def _check_folder(data_dir: Path) -> None:
    try:
        mode = os.stat(data_dir).st_mode
    except FileNotFoundError:
        raise DataError(f"no folder here: expected a data folder holding {DESCRIPTOR}",
                        file=str(data_dir)) from None
    except OSError as exc:
        raise DataError(f"cannot open it ({exc.strerror}): expected a data folder",
                        file=str(data_dir)) from None
    if not stat.S_ISDIR(mode):
        raise DataError(f"is a file, not a folder: expected a data folder holding {DESCRIPTOR}",
                        file=str(data_dir))


def _path_problem(path: str) -> str | None:
    """Why a resource path is refused, or None. The Data Package spec forbids absolute paths and '..'."""
    if "://" in path:
        return "is a web address; expected a relative path inside the data folder, such as 'places.csv'"
    if "\\" in path or PurePosixPath(path).is_absolute() or PureWindowsPath(path).drive:
        return "is not a relative path with '/' between folders; expected a path such as 'places.csv'"
    if ".." in PurePosixPath(path).parts:
        return "climbs out of the data folder with '..'; expected a path inside it"
    if _CONTROL.search(path) or "\n" in path or "\r" in path or "\t" in path:
        return "contains a control character; expected a plain file name"
    return None


def read_inside(data_dir: Path, path: str, limit: int, key: str | None = None) -> bytes:
    """The bytes of a file in the data folder, for the tables and for any other resource (such as a basemap).

    Nothing of a refused file is read, so no message can quote it.

    Parameters
    ----------
    data_dir : Path
        The data folder.
    path : str
        The resource's ``path`` as the descriptor gives it.
    limit : int
        The most bytes to read (``MAX_FILE_BYTES`` for a resource).
    key : str, optional
        Where the path sits in the descriptor (``resources[3].path``), for the error.

    Returns
    -------
    bytes
        The whole file.

    Raises
    ------
    DataError
        For a path that is absolute, climbs out with '..' or leads out through a symbolic link, a missing file,
        a folder, a device or pipe, or a file over ``limit``.
    """
    problem = _path_problem(path)
    if problem:
        raise DataError(f"path {path!r} {problem}", file=DESCRIPTOR, key=key, value=path)
    base = data_dir.resolve()
    target = (data_dir / path).resolve()
    if not target.is_relative_to(base):
        raise DataError(f"path {path!r} leads outside the data folder (through a symbolic link); expected a file "
                        "inside it", file=path, key=key, value=path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        raise DataError("file is missing", file=path) from None
    except OSError as exc:
        raise DataError(f"cannot open the file ({exc.strerror})", file=path) from None
    if stat.S_ISDIR(info.st_mode):
        raise DataError("is a folder; expected a file", file=path)
    if not stat.S_ISREG(info.st_mode):
        raise DataError("is not a regular file (a device, pipe or socket); kb reads only regular files", file=path)
    if info.st_size > limit:
        raise DataError(f"is {info.st_size / 2**20:.1f} MiB; kb reads files of at most {limit / 2**20:g} MiB",
                        file=path)
    try:
        with open(target, "rb") as fh:
            raw = fh.read(limit + 1)
    except OSError as exc:
        raise DataError(f"cannot read the file ({exc.strerror})", file=path) from None
    if len(raw) > limit:  # it grew since stat
        raise DataError(f"is larger than {limit / 2**20:g} MiB, the most kb reads", file=path)
    return raw


# --- the descriptor ---------------------------------------------------------------------------------

def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def _no_repeated_keys(pairs: list[tuple[str, Any]]) -> dict:
    keys = [key for key, _ in pairs]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    if repeated:  # json would keep the last one silently
        raise ValueError(f"key {repeated[0]!r} appears twice in one object; expected each key once")
    return dict(pairs)


def _too_deep(value: Any) -> bool:
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        stack += [(child, depth + 1) for child in children if isinstance(child, (dict, list))]
    return False


def _key(path) -> str:
    """A descriptor position such as ``resources[1].schema.fields[4].type``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the top level)"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _shape_problems(package: Any) -> list[DataError]:
    import jsonschema

    schema = json.loads(_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    problems = []
    for error in sorted(validator.iter_errors(package), key=lambda e: [str(p) for p in e.absolute_path]):
        for leaf in _leaves(error):
            problems.append(DataError(_explain(leaf), file=DESCRIPTOR, key=_key(leaf.absolute_path),
                                      value=leaf.instance if not isinstance(leaf.instance, (dict, list)) else None))
    unique = {(p.key, p.message): p for p in problems}  # if/then branches can report one mistake twice
    return list(unique.values())


def _leaves(error):
    """The most specific errors under one: for 'one of' rules, the branch that came closest."""
    if error.validator in ("oneOf", "anyOf") and error.context:
        import jsonschema.exceptions

        return [error] if error.schema.get("description") else [jsonschema.exceptions.best_match(error.context)]
    return [error]


def _explain(error) -> str:
    """What was expected, in words, from a jsonschema error."""
    schema, instance, rule = error.schema, error.instance, error.validator
    got = f"got {_short(instance)}" if not isinstance(instance, (dict, list)) else f"got {type(instance).__name__}"
    if rule == "required":
        missing = error.message.split("'")[1] if "'" in error.message else "?"
        return f"missing {missing!r}: expected {schema.get('description', 'it')}"
    if rule == "additionalProperties":
        known = ", ".join(schema.get("properties", {}))
        extra = sorted(set(instance) - set(schema.get("properties", {})))
        return f"unknown key {', '.join(map(repr, extra))}; expected only: {known}"
    if rule == "not":
        return f"not supported: expected {schema.get('description', 'no such key')}"
    description = error.schema.get("description")
    if description is None and error.parent is not None:
        description = error.parent.schema.get("description") if isinstance(error.parent.schema, dict) else None
    if description:
        return f"expected {description}, {got}"
    if rule == "type":
        return f"expected {schema['type']}, {got}"
    if rule in ("enum", "const"):
        allowed = schema.get("enum", [schema.get("const")])
        return f"expected one of: {', '.join(map(str, allowed))}; {got}"
    if rule == "uniqueItems":
        return "expected each item once"
    return f"expected {rule} {_short(error.validator_value)}, {got}"


def _columns(value: str | list) -> list:
    """Table Schema lets a key be one column name or a list of them; kb keeps lists."""
    return [value] if isinstance(value, str) else list(value)


def _normalise(package: dict) -> dict:
    package = copy.deepcopy(package)
    for resource in package["resources"]:
        if not tabular(resource):
            continue
        schema = resource["schema"]
        if "primaryKey" in schema:
            schema["primaryKey"] = _columns(schema["primaryKey"])
        for fk in schema.get("foreignKeys", []) + schema.get(LIST_FOREIGN_KEYS, []):
            fk["fields"] = _columns(fk["fields"])
            fk["reference"]["fields"] = _columns(fk["reference"]["fields"])
            fk["reference"]["resource"] = fk["reference"]["resource"] or resource["name"]
    return package


def _link_problems(package: dict) -> list[DataError]:
    """What a JSON Schema cannot say: names are unique, keys name real tables and fields, patterns compile."""
    problems = []

    def report(message: str, *path, value=None):
        problems.append(DataError(message, file=DESCRIPTOR, key=_key(("resources", *path)), value=value))

    seen: dict[str, int] = {}
    for i, resource in enumerate(package["resources"]):
        if resource["name"] in seen:
            report(f"resource name {resource['name']!r} is used by resources[{seen[resource['name']]}] too; "
                   "expected each name once", i, "name", value=resource["name"])
        seen.setdefault(resource["name"], i)
    tables = {r["name"]: r for r in package["resources"] if tabular(r)}
    for i, resource in enumerate(package["resources"]):
        if not tabular(resource):
            continue
        schema = resource["schema"]
        kinds: dict[str, str] = {}
        for j, field in enumerate(schema["fields"]):
            if field["name"] in kinds:
                report(f"field {field['name']!r} is declared twice; expected each field once",
                       i, "schema", "fields", j, "name", value=field["name"])
            kinds.setdefault(field["name"], field.get("type", "string"))
            pattern = field.get("constraints", {}).get("pattern")
            if pattern is not None:
                try:
                    regex.compile(pattern)
                except (regex.error, RecursionError, OverflowError) as exc:
                    report(f"not a regular expression ({exc}); expected a pattern such as ^[a-z]+$",
                           i, "schema", "fields", j, "constraints", "pattern",
                           value=pattern)
            for bound in ("minimum", "maximum"):
                value = field.get("constraints", {}).get(bound)
                if field.get("type") == "date" and isinstance(value, str):
                    try:
                        day = dt.date.fromisoformat(value)
                    except ValueError:
                        day = None
                    if day is None or not FIRST_DAY <= day <= LAST_DAY:
                        report(f"expected a day between {FIRST_DAY} and {LAST_DAY}, got {value!r}",
                               i, "schema", "fields", j, "constraints", bound, value=value)
                elif isinstance(value, (int, float)) and not math.isfinite(value):
                    report(f"expected a finite number, got {value!r}", i, "schema", "fields", j, "constraints", bound)
        for k, name in enumerate(schema.get("primaryKey", [])):
            if name not in kinds:
                report(f"primary key {name!r} is not a field of {resource['name']}; expected one of: "
                       f"{', '.join(kinds)}", i, "schema", "primaryKey", k, value=name)
        for prop, want_list in (("foreignKeys", False), (LIST_FOREIGN_KEYS, True)):
            for k, fk in enumerate(schema.get(prop, [])):
                (col,), ref = fk["fields"], fk["reference"]
                if col not in kinds:
                    report(f"{col!r} is not a field of {resource['name']}; expected one of: {', '.join(kinds)}",
                           i, "schema", prop, k, "fields", value=col)
                elif (kinds[col] == "list") != want_list:
                    report(f"{col!r} is a list field: expected it in {LIST_FOREIGN_KEYS}" if kinds[col] == "list"
                           else f"{col!r} is not a list field: expected it in foreignKeys",
                           i, "schema", prop, k, "fields", value=col)
                target = tables.get(ref["resource"])
                if target is None:
                    report(f"no table is called {ref['resource']!r}; expected one of: {', '.join(tables)}",
                           i, "schema", prop, k, "reference", "resource", value=ref["resource"])
                    continue
                target_kinds = {f["name"]: f.get("type", "string") for f in target["schema"]["fields"]}
                if ref["fields"][0] not in target_kinds:
                    report(f"{ref['fields'][0]!r} is not a field of {ref['resource']}; expected one of: "
                           f"{', '.join(target_kinds)}", i, "schema", prop, k, "reference", "fields",
                           value=ref["fields"][0])
                elif target_kinds[ref["fields"][0]] == "list":
                    report(f"{ref['fields'][0]!r} of {ref['resource']} is a list field; expected a field of single "
                           "ids to point at", i, "schema", prop, k, "reference", "fields", value=ref["fields"][0])
    return problems


def read_descriptor(data_dir: Path) -> dict:
    """Read ``datapackage.json`` and check its shape.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    dict
        The descriptor, with one-column keys written as lists and self-references spelled out.

    Raises
    ------
    DataError
        Naming the descriptor key and what was expected, for every problem found.
    """
    data_dir = Path(data_dir)
    _check_folder(data_dir)
    if not os.path.lexists(data_dir / DESCRIPTOR):
        raise DataError(f"no {DESCRIPTOR} in {data_dir}: is this a data folder?", file=DESCRIPTOR)
    raw = read_inside(data_dir, DESCRIPTOR, MAX_DESCRIPTOR_BYTES)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save the file as UTF-8",
                        file=DESCRIPTOR, row=raw[: exc.start].count(b"\n") + 1) from None
    try:
        package = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_repeated_keys)
    except json.JSONDecodeError as exc:
        raise DataError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})",
                        file=DESCRIPTOR, row=exc.lineno) from None
    except ValueError as exc:
        raise DataError(f"invalid JSON: {exc}", file=DESCRIPTOR) from None
    except RecursionError:
        package = None
    if package is None or _too_deep(package):
        raise DataError(f"nested more than {MAX_DEPTH} levels deep; expected a Data Package descriptor",
                        file=DESCRIPTOR)
    problems = _shape_problems(package)
    if problems:
        raise DataError.collect(problems)
    package = _normalise(package)
    problems = _link_problems(package)
    if problems:
        raise DataError.collect(problems)
    return package


def read_rows(data_dir: Path, resource: dict, key: str | None = None) -> tuple[list[str], list[list[str]]]:
    """Header and records of one CSV file, or a DataError saying why the file can't be read."""
    name = resource["path"]
    if PurePosixPath(name) == PurePosixPath(DESCRIPTOR):
        raise DataError(f"path {name!r} is the descriptor itself; expected a CSV file", file=DESCRIPTOR, key=key,
                        value=name)
    raw = read_inside(data_dir, name, MAX_FILE_BYTES, key)
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
        hint = ("a cell is longer than 131,072 characters, or a quote is not closed" if "field limit" in str(exc)
                else "check the quotes on this line")
        raise DataError(f"not valid CSV ({exc}); {hint}", file=name, row=reader.line_num) from None
    return records[0], records[1:]


# --- checking values -----------------------------------------------------------------------------

def _parse(field: dict, text: str):
    """Convert one non-empty cell; raise ValueError with what was expected."""
    kind = field.get("type", "string")
    if kind == "integer":
        if not _INTEGER.fullmatch(text) or not -INT64 <= int(text) < INT64:
            raise ValueError("expected a whole number (digits 0-9, at most 19 of them)")
        return int(text)
    if kind == "number":
        number = float(text) if _DECIMAL.fullmatch(text) else math.nan
        if not math.isfinite(number):
            raise ValueError("expected a number written as a plain finite decimal such as 40.5 "
                             "(digits 0-9, no exponent)")
        return number
    if kind == "date":
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError("expected a date written YYYY-MM-DD") from None
        if not FIRST_DAY <= day <= LAST_DAY:
            raise ValueError(f"expected a date between {FIRST_DAY} and {LAST_DAY}, the days pandas can hold")
        return day
    if kind == "string" and field.get("format") == "uri":
        if not _URI.fullmatch(text):
            raise ValueError("expected a web address such as https://example.org/page")
        return text
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


class _Constraints:
    """The constraint problems of one column's parsed values, built once per column."""

    def __init__(self, field: dict, key: str):
        c = field.get("constraints", {})
        self.field, self.key = field, key
        self.enum = c.get("enum")
        self.allowed = set(self.enum) if self.enum is not None else None
        self.pattern = regex.compile(c["pattern"]) if "pattern" in c else None
        self.low, self.high = c.get("minimum"), c.get("maximum")
        if field.get("type") == "date":
            self.low = dt.date.fromisoformat(self.low) if self.low is not None else None
            self.high = dt.date.fromisoformat(self.high) if self.high is not None else None
        self.slow: DataError | None = None

    def __bool__(self) -> bool:
        return any(v is not None for v in (self.allowed, self.pattern, self.low, self.high))

    def problems(self, value, row: int) -> list[str]:
        found = []
        for v in value if isinstance(value, list) else [value]:
            if self.allowed is not None and v not in self.allowed:
                found.append("expected one of: " + ", ".join(map(str, self.enum or [])))
            if self.pattern is not None and isinstance(v, str) and not self._matches(v, row):
                found.append(f"expected text matching {self.pattern.pattern}")
            if self.low is not None and v < self.low:
                found.append(f"expected at least {self.low}")
            if self.high is not None and v > self.high:
                found.append(f"expected at most {self.high}")
        return found

    def _matches(self, text: str, row: int) -> bool:
        try:
            return self.pattern is None or self.pattern.fullmatch(text, timeout=PATTERN_SECONDS) is not None
        except TimeoutError:
            self.slow = DataError(f"pattern took longer than {PATTERN_SECONDS} s on row {row} of "
                                  f"{self.field['name']!r}; expected a simpler pattern (it was not checked further)",
                                  file=DESCRIPTOR, key=self.key + ".constraints.pattern")
            self.pattern = None
            return True


def _control_problems(name: str, header: list[str], records: list[list[str]]) -> list[DataError]:
    problems = []
    for number, record in enumerate([header, *records], start=1):
        for at, cell in enumerate(record):
            found = _CONTROL.search(cell)
            if found:
                column = header[at] if number > 1 and at < len(header) else None
                problems.append(DataError(f"contains the control character U+{ord(found.group()):04X} at character "
                                          f"{found.start() + 1}; expected printable text",
                                          file=name, row=number, column=column))
    return problems


def check_table(resource: dict, header: list[str], records: list[list[str]],
                key: str = "resources") -> tuple[dict, list[DataError]]:
    """Check one table cell by cell. Returns its parsed columns and the problems found."""
    name = resource["path"]
    fields = resource["schema"]["fields"]
    problems: list[DataError] = []
    expected = [f["name"] for f in fields]
    for at, col in enumerate(header):
        if col in header[:at]:
            problems.append(DataError(f"column appears twice in the header (columns {header.index(col) + 1} and "
                                      f"{at + 1}); expected each column once", file=name, row=1, column=col,
                                      value=col))
    for col in expected:
        if col not in header:
            problems.append(DataError("required column is missing from the header", file=name, row=1, column=col))
    for col in dict.fromkeys(header):
        if col not in expected:
            problems.append(DataError(f"unknown column; expected only: {', '.join(expected)}",
                                      file=name, row=1, column=col[:60], value=col[:60]))
    if problems:
        return {}, problems
    problems += _control_problems(name, header, records)
    columns: dict[str, list] = {col: [] for col in expected}
    plan = [(f, f["name"], header.index(f["name"]), f.get("constraints", {}).get("required", False),
             _Constraints(f, f"{key}.schema.fields[{j}]")) for j, f in enumerate(fields)]
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
                shown = _short(text)
                try:
                    plain = field.get("type", "string") == "string" and field.get("format") != "uri"
                    value = text if plain else _parse(field, text)
                except ValueError as exc:
                    problems.append(DataError(f"{exc}, got {shown}", file=name, row=number, column=col, value=text))
                else:
                    for message in dict.fromkeys(check.problems(value, number) if check else ()):
                        problems.append(DataError(f"{message}; got {shown}", file=name, row=number,
                                                  column=col, value=text))
            columns[col].append(value)
    problems += [check.slow for *_, check in plan if check.slow is not None]
    for field in fields:
        if field.get("constraints", {}).get("unique"):
            problems += _duplicates(name, field["name"], columns[field["name"]])
    primary = resource["schema"].get("primaryKey", [])
    if len(primary) == 1 and not fields[expected.index(primary[0])].get("constraints", {}).get("unique"):
        problems += _duplicates(name, primary[0], columns[primary[0]])
    return columns, problems


def _duplicates(file: str, column: str, values: list) -> list[DataError]:
    seen: dict = {}
    found = []
    for number, value in enumerate(values, start=2):
        if value is None:
            continue
        if isinstance(value, list):
            value = tuple(value)
        if value in seen:
            found.append(DataError(f"duplicate {_short(value)}: row {seen[value]} has it already; ids must be unique",
                                   file=file, row=number, column=column, value=value))
        else:
            seen[value] = number
    return found


def _foreign_keys(resource: dict) -> list[dict]:
    schema = resource["schema"]
    return schema.get("foreignKeys", []) + schema.get(LIST_FOREIGN_KEYS, [])


def check_references(package: dict, tables: dict[str, dict]) -> list[DataError]:
    """Every id in a foreign-key column (scalar or list) must exist in the table it points to, and a table that
    points at itself (a place part of a place) must not go round in a circle."""
    problems = []
    for resource in filter(tabular, package["resources"]):
        columns = tables.get(resource["name"])
        if not columns:
            continue
        for fk in _foreign_keys(resource):
            (col,), ref = fk["fields"], fk["reference"]
            target = tables.get(ref["resource"])
            if not target:
                continue
            known = set(target[ref["fields"][0]])
            for number, value in enumerate(columns[col], start=2):
                for item in value if isinstance(value, list) else [value]:
                    if item is not None and item not in known:
                        problems.append(DataError(
                            f"unknown id {_short(item)}: expected a {ref['fields'][0]} from {ref['resource']}",
                            file=resource["path"], row=number, column=col, value=item))
            if ref["resource"] == resource["name"] and not isinstance(next(iter(columns[col]), None), list):
                problems += _cycles(resource["path"], col, target[ref["fields"][0]], columns[col])
    return problems


def _cycles(file: str, column: str, ids: list, parents: list) -> list[DataError]:
    """Rows whose chain of ``column`` comes back to itself: reported once per cycle, at its first row."""
    parent = {i: p for i, p in zip(ids, parents, strict=True) if i is not None}
    row = {i: n for n, i in enumerate(ids, start=2)}
    problems, reported = [], set()
    for start in ids:
        chain, at = [start], parent.get(start)
        while at is not None and at not in chain and len(chain) <= len(parent):
            chain.append(at)
            at = parent.get(at)
        if at is None or at in reported:
            continue
        loop = chain[chain.index(at):]
        reported |= set(loop)
        first = min(loop, key=row.__getitem__)
        loop = loop[loop.index(first):] + loop[:loop.index(first)]
        problems.append(DataError(f"goes round in a circle: {' → '.join(map(str, loop + [first]))}; expected a chain "
                                  "that ends", file=file, row=row[first], column=column, value=parent[first]))
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
    """The rules that span columns: dates in order, revisions with their day, ranges the right way up."""
    paths = {r["name"]: r["path"] for r in package["resources"]}
    problems = []
    for table, later, earlier in ORDERED_DATES:
        columns = tables.get(table)
        if not columns or later not in columns or earlier not in columns:
            continue
        for number, (a, b) in enumerate(zip(columns[later], columns[earlier], strict=True), start=2):
            if isinstance(a, dt.date) and isinstance(b, dt.date) and a < b:
                problems.append(DataError(f"{a} is before {earlier} {b}; expected the same day or later",
                                          file=paths[table], row=number, column=later, value=a.isoformat()))
    for table, one, other in PAIRED:
        columns = tables.get(table)
        if not columns or one not in columns or other not in columns:
            continue
        for number, (a, b) in enumerate(zip(columns[one], columns[other], strict=True), start=2):
            if (a is None) != (b is None):
                missing = other if b is None else one
                problems.append(DataError(f"{one} and {other} go together: fill both or neither",
                                          file=paths[table], row=number, column=missing, value=""))
    quantities = tables.get("quantities")
    if quantities and {"value", "low", "high"} <= set(quantities):
        rows = zip(quantities["value"], quantities["low"], quantities["high"], strict=True)
        for number, (value, low, high) in enumerate(rows, start=2):
            if value is None and low is None and high is None:
                problems.append(DataError("expected a value, or a low or high bound (\"more than 100\" is low=100)",
                                          file=paths["quantities"], row=number, column="value", value=""))
            present = [v for v in (low, value, high) if isinstance(v, (int, float))]
            if present != sorted(present):
                problems.append(DataError(f"expected low <= value <= high, got {low}, {value}, {high}",
                                          file=paths["quantities"], row=number, column="low", value=low))
    return problems


def read_package(data_dir: Path) -> tuple[dict, dict[str, dict]]:
    """Read and check every table.

    Parameters
    ----------
    data_dir : Path
        The data folder.

    Returns
    -------
    tuple of (dict, dict)
        The checked descriptor, and for each table its columns as lists of parsed values.

    Raises
    ------
    DataError
        Listing every problem, each with its file, row and column (or descriptor key).
    """
    data_dir = Path(data_dir)
    package = read_descriptor(data_dir)
    tables: dict[str, dict] = {}
    problems: list[DataError] = []
    for i, resource in enumerate(package["resources"]):
        key = f"resources[{i}]"
        if not tabular(resource):
            try:  # another kind of file (such as a basemap): its loader checks it; here only that it is safe
                read_inside(data_dir, resource["path"], MAX_FILE_BYTES, key + ".path")
            except DataError as exc:
                problems.append(exc)
            continue
        try:
            header, records = read_rows(data_dir, resource, key + ".path")
        except DataError as exc:
            problems.append(exc)
            continue
        columns, found = check_table(resource, header, records, key)
        problems += found
        if columns:
            tables[resource["name"]] = columns
    problems += check_references(package, tables)
    problems += check_rules(package, tables)
    from .basemap import basemap_resource, check_basemap  # the basemap's own checks (map helper's hook)

    if (geo := basemap_resource(package)) is not None and not problems:
        problems += check_basemap(data_dir, geo, tables["places"]["place_id"] if "places" in tables else None)
    if problems:
        raise DataError.collect(problems)
    return package, tables


# --- building DataFrames -------------------------------------------------------------------------

def to_frame(resource: dict, columns: dict):
    """One DataFrame with the dtypes the schema implies.

    Parameters
    ----------
    resource : dict
        A table's entry in the descriptor.
    columns : dict
        Its checked columns, from :func:`read_package`.

    Returns
    -------
    pandas.DataFrame
        Dates as ``datetime64[ns]``, nullable integers, categoricals for enums, lists as Python lists.
    """
    import numpy as np
    import pandas as pd

    data: dict[str, Any] = {}
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

