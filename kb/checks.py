"""Self-checks for the course's exercises: one entry point, ``check(exercise_id, answer)``.

The exercises are data kept with the course, not code in the library. ``notebooks/exercises.toml`` holds
one table per exercise (its notebook, the kind of answer, the question, hints, a line of history for a
right answer, and for open tasks a scaffold, sentence starters, a model answer and success criteria).
``notebooks/exercises.py`` holds the expected value of every closed exercise as a small function of the
data, so a correction to the data carries through. A teacher adds or edits an exercise there without
touching ``kb``.

A check reads what a student would naturally write ("1,960", "9 November 2020", "over-simplified", any
spelling of a place), says which way a wrong answer is off, explains what kind of answer it expects, and
never raises on an answer. A mistake of the teacher's (an unknown exercise, a broken catalogue) raises a
clear error instead.

>>> from kb.checks import check
>>> check("points-in-statement", 9).correct
True
>>> check("points-in-statement", "many")
Not quite: give a number, such as 7 (you gave the text 'many').
"""
from __future__ import annotations

import datetime as dt
import difflib
import importlib.util
import itertools
import math
import numbers
import os
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from types import ModuleType
from typing import Any

import pandas as pd

from .base import format_day
from .errors import DataError, UnknownName

__all__ = ["Verdict", "Exercise", "check", "expected", "load_catalogue", "default_catalogue", "choice_verdict",
           "closest_spellings"]

RIGHT = "Right!"
NOT_QUITE = "Not quite:"
UNREADABLE = "the check could not read that answer"  # the safety net's words; tests make sure it never shows
CLOSED_KINDS = ("number", "day", "text", "choice", "place", "numbers")
KINDS = (*CLOSED_KINDS, "open")
MAX_ITEMS = 100


@dataclass(frozen=True)
class Verdict:
    """The result of a check: ``correct`` and a short friendly ``message``.

    ``correct`` is True or False for a closed exercise and None for an open task, which no check can
    mark. A verdict shows as its message in a notebook and is truthy only when the answer is right.
    """

    correct: bool | None
    message: str

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def __bool__(self) -> bool:
        return self.correct is True


@dataclass(frozen=True)
class Exercise:
    """One exercise of the catalogue, as read from ``exercises.toml``."""

    id: str
    notebook: str
    kind: str
    question: str
    expected: str = ""
    hints: tuple[str, ...] = ()
    right: str = ""
    unit: str = ""
    tolerance: float = 0.0
    if_one_more: str = ""
    if_one_less: str = ""
    if_not_whole: str = ""
    choices: tuple[str, ...] | str = ()
    refuse: str = ""
    also: tuple[dict, ...] = ()
    scaffold: str = ""
    starters: tuple[str, ...] = ()
    model_answer: str = ""
    criteria: tuple[str, ...] = ()
    min_words: int = 0
    examples: dict = field(default_factory=dict)
    functions: ModuleType | None = field(default=None, repr=False, compare=False)

    @property
    def is_open(self) -> bool:
        return self.kind == "open"


# --- the catalogue ---------------------------------------------------------------------------------

FIELDS = {f for f in Exercise.__dataclass_fields__ if f not in {"id", "functions"}}
_cache: dict[Path, tuple[float, float, dict[str, Exercise]]] = {}


def default_catalogue() -> Path:
    """Where the course's catalogue lives: ``$KB_EXERCISES`` if set, else ``notebooks/exercises.toml`` of the
    repository, else ``exercises.toml`` in the working folder.

    Returns
    -------
    Path
        The path of the catalogue (it may not exist).
    """
    if os.environ.get("KB_EXERCISES"):
        return Path(os.environ["KB_EXERCISES"])
    repository = Path(__file__).resolve().parent.parent / "notebooks" / "exercises.toml"
    return repository if repository.exists() else Path.cwd() / "exercises.toml"


def _functions(path: Path) -> ModuleType:
    """The catalogue's expected-value functions: the ``.py`` file beside the ``.toml``."""
    source = path.with_suffix(".py")
    if not source.exists():
        raise DataError(f"the expected answers live in {source.name} beside the catalogue; it is missing",
                        file=str(source))
    spec = importlib.util.spec_from_file_location(f"_kb_exercises_{abs(hash(str(source)))}", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _read_exercise(exercise_id: str, table: object, file: str, functions: ModuleType) -> tuple[Exercise | None,
                                                                                               list[DataError]]:
    problems: list[DataError] = []

    def problem(key: str, message: str, value: object = None) -> None:
        problems.append(DataError(message, file=file, column=f"[{exercise_id}] {key}", value=value))

    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", exercise_id):
        problem("id", "an exercise id is lowercase words joined by hyphens, e.g. 'days-from-signing'", exercise_id)
    if not isinstance(table, dict):
        problem("id", "an exercise is a table of keys such as kind = ... and question = ...", table)
        return None, problems
    for key in sorted(set(table) - FIELDS):
        problem(key, f"unknown key; the keys are: {', '.join(sorted(FIELDS))}", key)
    for key in ("notebook", "kind", "question"):
        if not isinstance(table.get(key), str) or not table[key].strip():
            problem(key, "required: a text", table.get(key))
    kind = table.get("kind")
    if kind not in KINDS:
        problem("kind", f"the kinds are: {', '.join(KINDS)}", kind)
    for key in ("hints", "starters", "criteria"):
        value = table.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problem(key, "a list of texts", value)
    names = [table.get("expected")] if kind in CLOSED_KINDS else []
    if kind in CLOSED_KINDS and not table.get("hints"):
        problem("hints", "a closed exercise needs at least one hint")
    if isinstance(table.get("choices"), str):
        names.append(table["choices"])
    if table.get("refuse"):
        names.append(table["refuse"])
    also = table.get("also", [])
    if not isinstance(also, list) or not all(isinstance(a, dict) for a in also):
        problem("also", "an array of tables: [[id.also]] with answer = ... or expected = ..., and note = ...", also)
        also = []
    for entry in also:
        if set(entry) - {"answer", "expected", "correct", "note"} or ("answer" in entry) == ("expected" in entry) \
                or not isinstance(entry.get("note"), str):
            problem("also", "each entry has either answer or expected, a note, and optionally correct = true", entry)
        if "expected" in entry:
            names.append(entry["expected"])
    for name in names:
        if not isinstance(name, str) or name.startswith("_") or not callable(getattr(functions, str(name), None)):
            problem("expected", f"needs the name of a function in {Path(file).with_suffix('.py').name}, "
                                "f(data) -> expected value", name)
    if kind == "open":
        for key in ("scaffold", "model_answer"):
            if not isinstance(table.get(key), str) or not table[key].strip():
                problem(key, "an open task needs it (a text)", table.get(key))
        for key in ("starters", "criteria"):
            if not table.get(key):
                problem(key, "an open task needs at least one", table.get(key))
    if problems:
        return None, problems
    values: dict[str, Any] = {k: (tuple(v) if isinstance(v, list) else v) for k, v in table.items()}
    return Exercise(id=exercise_id, functions=functions, **values), []


def load_catalogue(path: str | Path | None = None) -> dict[str, Exercise]:
    """Read and check the exercise catalogue (re-read when the file changes).

    Parameters
    ----------
    path : str or Path, optional
        The ``.toml`` catalogue; its expected-value functions are in the ``.py`` file beside it.
        Default: :func:`default_catalogue`.

    Returns
    -------
    dict of str to Exercise
        The exercises by id, in the catalogue's order.

    Raises
    ------
    DataError
        Naming the file, the exercise and the key of every problem found.
    """
    path = Path(path) if path is not None else default_catalogue()
    if not path.exists():
        raise DataError("no exercise catalogue here; pass the path of exercises.toml", file=str(path))
    source = path.with_suffix(".py")
    stamp = (path.stat().st_mtime, source.stat().st_mtime if source.exists() else 0.0)
    cached = _cache.get(path)
    if cached and cached[:2] == stamp:
        return cached[2]
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise DataError(f"not valid TOML: {exc}", file=str(path)) from None
    functions = _functions(path)
    catalogue: dict[str, Exercise] = {}
    problems: list[DataError] = []
    for exercise_id, table in raw.items():
        exercise, found = _read_exercise(exercise_id, table, str(path), functions)
        problems += found
        if exercise is not None:
            catalogue[exercise_id] = exercise
    if problems:
        raise DataError.collect(problems)
    _cache[path] = (*stamp, catalogue)
    return catalogue


def _exercise(exercise_id: str, catalogue: str | Path | None) -> Exercise:
    exercises = load_catalogue(catalogue)
    if not isinstance(exercise_id, str) or exercise_id not in exercises:
        close = difflib.get_close_matches(str(exercise_id), exercises, n=3)
        hint = f" Closest: {', '.join(close)}." if close else ""
        raise UnknownName(f"no exercise has the id {exercise_id!r} in the catalogue.{hint}")
    return exercises[exercise_id]


def _data(data):
    from . import KB, _or_shipped

    if data is not None and not isinstance(data, KB):
        raise TypeError(f"data is the course's data, kb.load(), or nothing; got {type(data).__name__}")
    return _or_shipped(data)


def _call(exercise: Exercise, name: str, data) -> Any:
    try:
        return getattr(exercise.functions, name)(data)
    except Exception as exc:
        raise DataError(f"{name}(data) failed for exercise {exercise.id!r}: {exc}",
                        file="exercises.py", column=name) from exc


def expected(exercise_id: str, data=None, catalogue: str | Path | None = None) -> Any:
    """The expected answer of a closed exercise, computed from the data (for an answer key or a test).

    Parameters
    ----------
    exercise_id : str
        An id from the catalogue, e.g. ``'days-from-signing'``.
    data : KB, optional
        The course's data; default: the shipped data.
    catalogue : str or Path, optional
        Another catalogue than :func:`default_catalogue`.

    Returns
    -------
    object
        The value its function in ``exercises.py`` gives: a number, a day, a place id, a text or a set.
    """
    exercise = _exercise(exercise_id, catalogue)
    if exercise.is_open:
        raise ValueError(f"{exercise_id!r} is an open task: its model answer is in the catalogue, not a value")
    return _call(exercise, exercise.expected, _data(data))


# --- the entry point -------------------------------------------------------------------------------

def check(exercise_id: str, answer: object, data=None, catalogue: str | Path | None = None) -> Verdict:
    """Check a student's answer to one exercise.

    Parameters
    ----------
    exercise_id : str
        An id from the catalogue, e.g. ``'days-from-signing'``.
    answer : object
        Whatever the student gave: a number, a text, a date, a list, or the placeholder None.
    data : KB, optional
        The course's data; default: the shipped data.
    catalogue : str or Path, optional
        Another catalogue than :func:`default_catalogue`.

    Returns
    -------
    Verdict
        Right (with a line of history), a hint, or what kind of answer is expected. For an open task,
        the success criteria to check the answer against.

    Raises
    ------
    UnknownName
        If no exercise has this id; the message lists the closest ids.
    DataError
        If the catalogue, or an expected-value function, is broken.
    """
    exercise = _exercise(exercise_id, catalogue)
    data = _data(data)
    if exercise.is_open:
        return _open(exercise, answer)
    value = _call(exercise, exercise.expected, data)
    compare = _COMPARE[exercise.kind]
    try:
        return compare(exercise, answer, value, data)
    except Exception:  # a safety net: a student's answer never ends in a traceback
        return Verdict(False, f"{NOT_QUITE} {UNREADABLE}. {_what(exercise)}")


# --- reading answers -------------------------------------------------------------------------------

WORDS = {w: n for n, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                    "fourteen fifteen sixteen seventeen eighteen nineteen twenty".split())}
WORDS.update({"thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90})
NUMBER = re.compile(r"(?P<sign>[+-]?)(?P<whole>\d{1,3}(?:[,\u00a0\u202f\u2009 ']\d{3})+|\d+)(?:\.(?P<part>\d+))?"
                    r"(?:\s*[a-z%][a-z% ]*)?", re.ASCII)
LIST = re.compile(r"\s*\[?\s*\d+(?:\s*(?:,|and|&|;)\s*\d+|\s+\d+)*\s*\]?\s*", re.ASCII)  # "[2, 6]", "2 and 6"
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")


def _show(answer: object) -> str:
    """A short description of what the student gave, safe for any object."""
    if answer is None:
        return "nothing (None)"
    if isinstance(answer, str):
        text = answer if len(answer) <= 40 else answer[:37] + "..."
        return f"the text {text!r}"
    if isinstance(answer, bool):
        return f"the truth value {answer}"
    if isinstance(answer, numbers.Integral):
        digits = str(int(answer))
        return f"the number {digits}" if len(digits) <= 15 else "a number with more than 15 digits"
    if isinstance(answer, numbers.Real):
        return f"the number {float(answer):g}"
    if isinstance(answer, dt.date):  # NaT counts as one
        return "an empty date (NaT)" if pd.isna(answer) else f"the date {answer.isoformat()[:10]}"
    if isinstance(answer, pd.DataFrame):
        return "a whole table (a DataFrame): pick the one value from it"
    if isinstance(answer, pd.Series):
        return "a column or row of a table (a Series): pick the one value from it"
    return f"a {type(answer).__name__}"


def _number(answer: object) -> Fraction | None:
    """The answer as an exact number, or None when it is not one ("1,960", "9", "nine", 9.0 are)."""
    if isinstance(answer, bool) or answer is None:
        return None
    if isinstance(answer, str):
        text = answer.strip().casefold()
        if len(text) > 40:  # no answer of the course is that long, and int() refuses thousands of digits
            return None
        if text in WORDS:
            return Fraction(WORDS[text])
        match = NUMBER.fullmatch(text)
        if not match:
            return None
        whole = re.sub(r"\D", "", match["whole"])
        value = Fraction(int(whole)) + (Fraction(int(match["part"]), 10 ** len(match["part"])) if match["part"] else 0)
        return -value if match["sign"] == "-" else value
    if isinstance(answer, numbers.Integral):
        return Fraction(int(answer))
    if isinstance(answer, numbers.Real):
        real = float(answer)
        return Fraction(real) if math.isfinite(real) else None
    return None


def _dotted_thousands(answer: object) -> int | None:
    """ "1.960" read as a thousand and more, as many languages write it, or None."""
    if isinstance(answer, str) and re.fullmatch(r"\d{1,3}(\.\d{3})+", answer.strip(), re.ASCII):
        return int(answer.strip().replace(".", ""))
    return None


def _day(answer: object) -> dt.date | None:
    """The answer as a day, or None ("2020-11-09", "2020-11-9", "9 November 2020", "Nov 9, 2020", a date).

    A plain ``datetime.date``, not a Timestamp: a student may give a day that pandas cannot hold (after 2262).
    """
    if isinstance(answer, str):
        text = answer.strip().casefold().replace(",", " ")
        found = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text, re.ASCII)
        if found:
            year, month, day = map(int, found.groups())
        else:
            parts = re.fullmatch(r"(?:(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]+)\.?|([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?)"
                                 r"\s+(\d{4})", text, re.ASCII)
            if not parts:
                return None
            day_text, month_text = (parts[1], parts[2]) if parts[1] else (parts[4], parts[3])
            months = [i for i, m in enumerate(MONTHS, 1) if len(month_text) >= 3 and m.startswith(month_text)]
            if len(months) != 1:
                return None
            year, month, day = int(parts[5]), months[0], int(day_text)
        try:
            return dt.date(year, month, day)
        except ValueError:
            return None
    if isinstance(answer, dt.date):  # a datetime and a Timestamp too; NaT counts as one
        return None if pd.isna(answer) else dt.date(answer.year, answer.month, answer.day)
    return None


def _fold(text: str) -> str:
    from .names import fold

    return fold(text)


def _also(exercise: Exercise, answer_matches: Callable[[Any], bool], data) -> Verdict | None:
    """Feedback the catalogue keeps for particular answers (another accepted form, a common slip)."""
    for entry in exercise.also:
        value = entry["answer"] if "answer" in entry else _call(exercise, entry["expected"], data)
        if answer_matches(value):
            correct = bool(entry.get("correct", False))
            return Verdict(correct, f"{RIGHT if correct else NOT_QUITE} {entry['note']}")
    return None


def _right(exercise: Exercise) -> Verdict:
    return Verdict(True, f"{RIGHT} {exercise.right}".strip())


def _hint(exercise: Exercise, lead: str = "") -> Verdict:
    hints = " ".join(exercise.hints[:1])
    return Verdict(False, f"{NOT_QUITE} {lead} {hints}".replace("  ", " ").strip())


def _what(exercise: Exercise) -> str:
    return {
        "number": "Give a number, such as 7.",
        "day": "Give a day, such as '2020-11-20' or '20 November 2020'.",
        "text": "Give a word or name in quotes, such as 'Goris'.",
        "choice": f"Give one of {', '.join(map(repr, exercise.choices))}." if not isinstance(exercise.choices, str)
                  else "Give one of the choices, in quotes.",
        "place": "Give a place name in quotes, such as 'Goris'.",
        "numbers": "Give a list of numbers, such as [1, 4].",
    }.get(exercise.kind, "Write your answer as text in quotes.")


def _no_answer(what: str) -> Verdict:
    return Verdict(False, f"No answer yet: replace None with {what} and run the cell again.")


# --- the comparisons, one per kind of answer -------------------------------------------------------

def _compare_number(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    if answer is None:
        return _no_answer("a number")
    given = _number(answer)
    if given is None:
        return Verdict(False, f"{NOT_QUITE} give a number, such as 7 (you gave {_show(answer)}).")
    target = Fraction(value) if isinstance(value, float) else Fraction(int(value))
    if abs(given - target) <= Fraction(exercise.tolerance) or _dotted_thousands(answer) == target:
        return _right(exercise)
    also = _also(exercise, lambda v: _number(v) == given, data)
    if also is not None:
        return also
    shown = _show(int(given) if given.denominator == 1 else float(given)).removeprefix("the number ")
    unit = f" {exercise.unit}" if exercise.unit and given != 1 else ""
    if target.denominator == 1 and given.denominator != 1:
        lead = exercise.if_not_whole or (f"the question asks for whole{unit or ' numbers'}: {shown} is not whole. "
                                         f"Count only the complete ones.")
        return Verdict(False, f"{NOT_QUITE} {lead}")
    if given - target == 1 and exercise.if_one_more:
        return Verdict(False, f"Close, but one too many: {exercise.if_one_more}")
    if given - target == -1 and exercise.if_one_less:
        return Verdict(False, f"Close, but one too few: {exercise.if_one_less}")
    direction = "too high" if given > target else "too low"
    return _hint(exercise, f"{shown}{unit} is {direction}.")


def _compare_day(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    if answer is None:
        return _no_answer("a day in quotes, such as '2020-11-20'")
    given = _day(answer)
    if given is None:
        return Verdict(False, f"{NOT_QUITE} give a day in quotes, such as '2020-11-20' or '20 November 2020' "
                              f"(you gave {_show(answer)}).")
    target = pd.Timestamp(value).date()
    if given == target:
        return _right(exercise)
    also = _also(exercise, lambda v: pd.Timestamp(v).date() == given, data)
    if also is not None:
        return also
    gap = abs((given - target).days)
    size = "one day" if gap == 1 else (f"{gap} days" if gap < 60 else "far")
    direction = "too early" if given < target else "too late"
    return _hint(exercise, f"{format_day(given, long=True)} is {size} {direction}.")


def _texts(value: Any) -> set[str]:
    return {value} if isinstance(value, str) else {v for v in value if isinstance(v, str)}


def _compare_text(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    if answer is None:
        return _no_answer("your answer in quotes")
    if not isinstance(answer, str):
        return Verdict(False, f"{NOT_QUITE} give your answer as text in quotes (you gave {_show(answer)}).")
    key = _fold(answer)
    if key and key in {_fold(t) for t in _texts(value)}:
        return _right(exercise)
    also = _also(exercise, lambda v: key in {_fold(t) for t in _texts(v)}, data)
    return also if also is not None else _hint(exercise, f"{answer.strip()!r} is not it.")


def _choices(exercise: Exercise, data) -> list[str]:
    if isinstance(exercise.choices, str):
        return [str(c) for c in _call(exercise, exercise.choices, data)]
    return list(exercise.choices)


def _compare_choice(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    choices = _choices(exercise, data)
    listed = ", ".join(repr(c) for c in choices)
    if answer is None:
        return _no_answer(f"one of {listed}")
    if not isinstance(answer, str):
        return Verdict(False, f"{NOT_QUITE} give one of {listed} (you gave {_show(answer)}).")
    chosen = [c for c in choices if _fold(c) == _fold(answer)]
    if not chosen:
        return Verdict(False, f"{NOT_QUITE} the answer is one of {listed}; {_show(answer)} is not among them.")
    if _fold(chosen[0]) == _fold(str(value)):
        return _right(exercise)
    also = _also(exercise, lambda v: _fold(str(v)) == _fold(chosen[0]), data)
    return also if also is not None else _hint(exercise, f"not {chosen[0]!r}.")


def _compare_place(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    if answer is None:
        return _no_answer("a place name in quotes")
    if not isinstance(answer, str):
        return Verdict(False, f"{NOT_QUITE} give a place name in quotes, such as 'Goris' (you gave {_show(answer)}).")
    refused = {_fold(s) for s in _call(exercise, exercise.refuse, data)} if exercise.refuse else set()
    if _fold(answer) in refused:
        return _hint(exercise, f"{answer.strip()!r} is the spelling in the question itself.")
    try:
        found = data.place(answer)["place_id"]
    except UnknownName as exc:
        return _hint(exercise, f"the course knows no place called {answer.strip()!r}"
                               f"{(': ' + str(exc).split('.', 1)[1].strip()) if 'Closest' in str(exc) else '.'}")
    if found == value:
        return _right(exercise)
    also = _also(exercise, lambda v: v == found, data)
    return also if also is not None else _hint(exercise, f"{data.label(found)} is not it.")


def _compare_numbers(exercise: Exercise, answer: object, value: Any, data) -> Verdict:
    if answer is None:
        return _no_answer("a list of numbers, such as [1, 4]")
    items: list[object]
    if isinstance(answer, str):
        if len(answer) > 200 or not LIST.fullmatch(answer):
            return Verdict(False, f"{NOT_QUITE} give the numbers as a list, such as [1, 4] (you gave {_show(answer)}).")
        items = [int(n) for n in re.findall(r"\d+", answer, re.ASCII)]
    elif isinstance(answer, numbers.Number) and not isinstance(answer, bool):
        items = [answer]
    elif isinstance(answer, (list, tuple, set, frozenset, pd.Series, range)) or type(answer).__name__ == "ndarray":
        items = list(itertools.islice(iter(answer), MAX_ITEMS + 1))  # type: ignore[call-overload]
    else:
        return Verdict(False, f"{NOT_QUITE} give the numbers as a list, such as [1, 4] (you gave {_show(answer)}).")
    if len(items) > MAX_ITEMS:
        return Verdict(False, f"{NOT_QUITE} that list is far too long; the answer has a few numbers.")
    parsed = [_number(i) if not isinstance(i, str) else None for i in items]
    if not all(p is not None and p.denominator == 1 for p in parsed):
        return Verdict(False, f"{NOT_QUITE} every item of the list should be a whole number, such as [1, 4].")
    given = {int(p) for p in parsed if p is not None}
    target = {int(v) for v in value}
    if given == target:
        return _right(exercise)
    also = _also(exercise, lambda v: {int(i) for i in v} == given, data)
    if also is not None:
        return also
    extra, missing = len(given - target), len(target - given)
    parts = [f"{extra} of yours {'does' if extra == 1 else 'do'} not belong"] if extra else []
    parts += [f"{missing} {'is' if missing == 1 else 'are'} missing"] if missing else []
    return _hint(exercise, f"{' and '.join(parts)}.")


def _open(exercise: Exercise, answer: object) -> Verdict:
    if answer is None:
        return _no_answer("your answer, as text between quotes (three quotes for several lines)")
    if not isinstance(answer, str) or not answer.strip():
        return Verdict(False, f"{NOT_QUITE} write your answer as text between quotes (you gave {_show(answer)}).")
    words = len(answer.split())
    lines = [f"An open task has no single right answer, so no check can mark it. You wrote {words} "
             f"word{'s' * (words != 1)}." + (f" Aim for at least {exercise.min_words}." if words < exercise.min_words
                                            else ""),
             "Check your answer against these points, then compare it with a partner's:"]
    lines += [f"- {c}" for c in exercise.criteria]
    return Verdict(None, "\n".join(lines))


_COMPARE: dict[str, Callable[[Exercise, object, Any, Any], Verdict]] = {
    "number": _compare_number, "day": _compare_day, "text": _compare_text, "choice": _compare_choice,
    "place": _compare_place, "numbers": _compare_numbers,
}


def choice_verdict(answer: object, choices: Iterable[str], value: str, right: str, hints: Iterable[str]) -> Verdict:
    """Compare one choice with the expected one, as a ``choice`` exercise does (the claim quiz uses it).

    Parameters
    ----------
    answer : object
        The student's choice.
    choices : iterable of str
        The possible choices.
    value : str
        The expected choice.
    right : str
        What to say when it is right.
    hints : iterable of str
        What to say when it is not.

    Returns
    -------
    Verdict
        As :func:`check` returns it.
    """
    exercise = Exercise(id="choice", notebook="", kind="choice", question="", choices=tuple(choices), right=right,
                        hints=tuple(hints))
    return _compare_choice(exercise, answer, value, None)


# --- helpers for checking names ----------------------------------------------------------------------

def closest_spellings(written: str, data=None, kinds=("district", "city", "town", "village"), n: int = 5):
    """The known spellings most like ``written``, once both are folded to plain ASCII.

    The curators' own record of garbled spellings is left out, so this is the check a reader could make
    without the answer key.

    Parameters
    ----------
    written : str
        A spelling to look up, e.g. a garbled name from an article.
    data : KB, optional
        The course's data; default: the shipped data.
    kinds : tuple of str
        Kinds of place to compare with.
    n : int
        How many to return.

    Returns
    -------
    pandas.DataFrame
        Columns ``place``, ``spelling``, ``folded`` and ``similarity`` (1.0 = the same), best first.
    """
    from .names import NAME_COLUMNS, fold

    data = _data(data)
    garbled = {fold(s) for s in data.claims["as_written"].dropna()}
    key = fold(written)
    rows = []
    for place in data.places[data.places["kind"].isin(kinds)].itertuples(index=False):
        spellings = [getattr(place, c) for c in NAME_COLUMNS[1:]] + list(place.aliases)
        for spelling in dict.fromkeys(s for s in spellings if isinstance(s, str) and s.strip()):
            if fold(spelling) in garbled:
                continue
            score = difflib.SequenceMatcher(None, key, fold(spelling)).ratio()
            rows.append((data.label(place.place_id), spelling, fold(spelling), round(score, 2)))
    frame = pd.DataFrame(rows, columns=["place", "spelling", "folded", "similarity"])
    return frame.sort_values(["similarity", "place", "spelling"], ascending=[False, True, True]).head(n) \
        .reset_index(drop=True)
