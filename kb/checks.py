"""Self-checks for the notebooks' exercises.

Each exercise has a function that takes the student's answer and returns a :class:`Verdict`: it says
"right", or gives a hint towards the answer, and explains what kind of answer it expects when the
answer is of the wrong kind (text where a day is expected, say). It never raises on a bad answer.

The expected answers are computed from the data (``kb.load()``), not typed in here, so a correction
to the data carries through to the exercises.

>>> from kb import checks
>>> checks.points_in_statement(9).correct
True
>>> checks.points_in_statement("nine")
Not quite: give a whole number, such as 7 (you gave the text 'nine').
"""
from __future__ import annotations

import datetime as dt
import functools
import numbers
from dataclasses import dataclass

import pandas as pd

from .base import as_day, format_day
from .errors import UnknownName

_long_day = functools.partial(format_day, long=True)  # "20 November 2020" in the feedback's sentences

RIGHT = "Right!"


@dataclass(frozen=True)
class Verdict:
    """The result of a check: ``correct`` (True/False) and a short friendly ``message``.

    It shows as its message in a notebook, and is truthy when the answer is right, so
    ``assert checks.something(answer)`` works in tests.
    """

    correct: bool
    message: str

    def __repr__(self) -> str:
        return self.message

    __str__ = __repr__

    def __bool__(self) -> bool:
        return self.correct


def right(detail: str = "") -> Verdict:
    """A right answer, with what is worth knowing about it."""
    return Verdict(True, f"{RIGHT} {detail}".strip())


def hint(text: str) -> Verdict:
    """A wrong answer, with a hint towards the right one."""
    return Verdict(False, f"Not quite: {text}")


# --- the data behind the checks --------------------------------------------------------------------

def _data(data):
    from . import _or_shipped

    return _or_shipped(data)


def _event(data, event_id: str) -> pd.Series:
    rows = data.events.loc[data.events["event_id"] == event_id]
    if rows.empty:
        raise UnknownName(f"no event has the id {event_id!r}")
    return rows.iloc[0]


def _deadline(data, place: str) -> pd.Series:
    place_id = data.place(place)["place_id"]
    rows = data.deadlines.loc[data.deadlines["place_id"] == place_id]
    if rows.empty:
        names = ", ".join(data.label(p) for p in data.deadlines["place_id"])
        raise UnknownName(f"the statement sets no handover deadline for {place!r}; it does for {names}")
    return rows.iloc[0]


def _kind(value) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, bool):
        return f"the truth value {value}"
    if isinstance(value, numbers.Number):
        return f"the number {value!r}"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return f"the date {pd.Timestamp(value):%Y-%m-%d}"
    if value is None:
        return "nothing (None)"
    return f"a {type(value).__name__}"


def no_answer(expected: str) -> Verdict:
    """The answer is still the placeholder None."""
    return Verdict(False, f"No answer yet: replace None with {expected} and run the cell again.")


# --- generic comparisons ---------------------------------------------------------------------------

def compare_number(answer, expected: int | float, clue: str, tolerance: float = 0.0,
                   off_by_one: str | None = None, detail: str = "") -> Verdict:
    """Compare a numeric answer; text that spells a number ("10") is accepted."""
    if answer is None:
        return no_answer("a number")
    if isinstance(answer, str) and answer.strip().lstrip("-").replace(".", "", 1).isdigit():
        answer = float(answer)
    if isinstance(answer, bool) or not isinstance(answer, numbers.Real):
        whole = float(expected).is_integer()
        example = "7" if whole else "2.5"
        return hint(f"give {'a whole number' if whole else 'a number'}, such as {example} (you gave {_kind(answer)}).")
    if abs(float(answer) - float(expected)) <= tolerance:
        return right(detail)
    if off_by_one and abs(float(answer) - float(expected)) == 1:
        return Verdict(False, f"Close, but not quite: {off_by_one}")
    direction = "too high" if answer > expected else "too low"
    return hint(f"{answer:g} is {direction}. {clue}")


def compare_day(answer, expected, clue: str, detail: str = "") -> Verdict:
    """Compare a day given as 'YYYY-MM-DD' or a date; say which way a wrong day is off."""
    if answer is None:
        return no_answer("a day written as 'YYYY-MM-DD'")
    try:
        day = as_day(answer)
    except (TypeError, ValueError):
        return hint(f"give a day as text 'YYYY-MM-DD', e.g. '2020-11-20', or as datetime.date(2020, 11, 20) "
                    f"(you gave {_kind(answer)}).")
    expected = pd.Timestamp(expected)
    if day == expected:
        return right(detail)
    direction = "too early" if day < expected else "too late"
    return hint(f"{_long_day(day)} is {direction}. {clue}")


def compare_text(answer, accepted: set[str], clue: str, detail: str = "", what: str = "a word") -> Verdict:
    """Compare a short text answer, ignoring case, accents and punctuation."""
    if answer is None:
        return no_answer(f"{what} in quotes")
    from .names import fold

    if not isinstance(answer, str):
        return hint(f"give {what} in quotes, e.g. 'Kalbajar' (you gave {_kind(answer)}).")
    if fold(answer) in {fold(a) for a in accepted}:
        return right(detail)
    return hint(clue)


def compare_place(data, answer, expected_id: str, clue: str, refuse: set[str] = frozenset(),
                  detail: str = "") -> Verdict:
    """Compare a place name in any spelling (English, Azerbaijani, Armenian, Russian)."""
    if answer is None:
        return no_answer("a place name in quotes")
    from .names import fold

    if not isinstance(answer, str):
        return hint(f"give a place name in quotes, e.g. 'Goris' (you gave {_kind(answer)}).")
    if fold(answer) in {fold(r) for r in refuse}:
        return hint(f"{answer!r} is the garbled spelling itself. {clue}")
    try:
        found = data.place(answer)["place_id"]
    except UnknownName:
        return hint(f"the course knows no place called {answer!r}. {clue}")
    if found == expected_id:
        return right(detail or f"{data.label(expected_id)}.")
    return hint(f"{data.label(found)} is not it. {clue}")


def compare_choice(answer, choices: list[str], expected: str, clue: str, detail: str = "") -> Verdict:
    """Compare an answer that must be one of a few words."""
    listed = ", ".join(repr(c) for c in choices)
    if answer is None:
        return no_answer(f"one of {listed}")
    if not isinstance(answer, str):
        return hint(f"give one of {listed} (you gave {_kind(answer)}).")
    given = answer.strip().casefold()
    if given not in [c.casefold() for c in choices]:
        return hint(f"the answer is one of {listed}; {answer!r} is not among them.")
    if given == expected.casefold():
        return right(detail)
    return hint(clue)


def compare_numbers(answer, expected: set[int], clue: str, detail: str = "") -> Verdict:
    """Compare a set of whole numbers given as a list, tuple or set (a single number is a set of one)."""
    if answer is None:
        return no_answer("a list of numbers, e.g. [1, 4]")
    if isinstance(answer, numbers.Integral) and not isinstance(answer, bool):
        answer = [answer]
    if isinstance(answer, str) or not hasattr(answer, "__iter__"):
        return hint(f"give the numbers as a list, e.g. [1, 4] (you gave {_kind(answer)}).")
    items = list(answer)
    if not all(isinstance(i, numbers.Integral) and not isinstance(i, bool) for i in items):
        return hint("every item of the list should be a whole number, e.g. [1, 4].")
    given = set(int(i) for i in items)
    if given == expected:
        return right(detail)
    missing, extra = expected - given, given - expected
    parts = []
    if extra:
        parts.append(f"{len(extra)} of yours {'does' if len(extra) == 1 else 'do'} not belong")
    if missing:
        parts.append(f"{len(missing)} {'is' if len(missing) == 1 else 'are'} missing")
    return hint(f"{' and '.join(parts)}. {clue}")


# --- 00 start here ---------------------------------------------------------------------------------

def points_in_statement(answer, data=None) -> Verdict:
    """How many points does the statement of 9/10 November 2020 have?"""
    data = _data(data)
    return compare_number(answer, len(data.terms), "Count the rows of data.terms (len(data.terms)).",
                          detail="The statement has that many numbered points.")


def armenian_name(place: str, answer, data=None) -> Verdict:
    """The Armenian name of ``place``, in Latin letters or Armenian script."""
    data = _data(data)
    row = data.place(place)
    accepted = {row["name_hy_latin"], row["name_hy"]}
    return compare_text(answer, accepted, f"look at data.place({place!r}) and its column name_hy_latin.",
                        detail=f"{row['name']} is {row['name_hy_latin']} ({row['name_hy']}) in Armenian.",
                        what="a name")


def signing_day(answer, data=None) -> Verdict:
    """On which day was the trilateral statement signed?"""
    data = _data(data)
    day = _event(data, "statement-signed")["date_start"]
    return compare_day(answer, day, "Look for the event 'statement-signed' in data.events, or use "
                                    "data.timeline(event_type='agreement', start='2020-11-01').",
                       detail="It took effect at midnight Moscow time, so on the next day.")


# --- 01 background ---------------------------------------------------------------------------------

def event_year(event_id: str, answer, data=None) -> Verdict:
    """The year an event happened."""
    data = _data(data)
    event = _event(data, event_id)
    year = event["date_start"].year
    if isinstance(answer, (dt.date, pd.Timestamp)):
        answer = pd.Timestamp(answer).year
    return compare_number(answer, year, f"Find '{event['headline']}' with data.timeline(...) and read its date_start.")


def offensives_in(year: int, answer, data=None) -> Verdict:
    """How many offensives in the data started in ``year``?"""
    data = _data(data)
    found = data.timeline(f"{year}-01-01", f"{year}-12-31", event_type="offensive")
    found = found[found["date_start"].dt.year == year]
    return compare_number(answer, len(found),
                          f"Count the rows of data.timeline('{year}-01-01', '{year}-12-31', event_type='offensive').",
                          detail=", ".join(found["headline"].str.replace("Armenian forces take ", "", regex=False)) + ".")


def years_between(first: str, second: str, answer, data=None) -> Verdict:
    """Whole years between two events (the later one's start minus the earlier one's start)."""
    data = _data(data)
    a, b = _event(data, first)["date_start"], _event(data, second)["date_start"]
    years = b.year - a.year - ((b.month, b.day) < (a.month, a.day))
    return compare_number(answer, years, "Subtract the years of the two dates, and take one off if the "
                                         "second date falls earlier in its year than the first.",
                          off_by_one="count whole years only: a year that has not yet been completed "
                                     "does not count.",
                          detail=f"From {_long_day(a)} to {_long_day(b)}.")


# --- 02 the war of 2020 ----------------------------------------------------------------------------

def war_days(answer, data=None) -> Verdict:
    """How many days did the war last, counting the first day and the day the statement was signed?"""
    data = _data(data)
    start = _event(data, "war-2020-start")["date_start"]
    end = _event(data, "statement-signed")["date_start"]
    days = (end - start).days + 1
    return compare_number(answer, days, "Subtract the start of the war from the day the statement was signed, "
                                        "then add one day so both ends count.",
                          off_by_one="count both the first day of fighting and the day of signing.",
                          detail=f"{_long_day(start)} to {_long_day(end)}, both days counted.")


def failed_truces(answer, data=None) -> Verdict:
    """How many truces took effect during the war before the statement (and failed)?"""
    data = _data(data)
    start = _event(data, "war-2020-start")["date_start"]
    end = _event(data, "statement-signed")["date_start"]
    truces = data.timeline(start, end - pd.Timedelta(days=1), event_type="ceasefire")
    return compare_number(answer, len(truces),
                          "Use data.timeline() between the start of the war and the day before the signing, "
                          "with event_type='ceasefire'.",
                          detail="Each was announced with a mediator and broke down within days.")


def taken_on(day, answer, data=None) -> Verdict:
    """Which place did an offensive event on ``day`` report taken? (any spelling)"""
    data = _data(data)
    found = data.timeline(day, day, event_type="offensive")
    found = found[found["date_start"] == as_day(day)]
    if found.empty:
        raise UnknownName(f"no offensive in the data starts on {day}")
    expected = found.iloc[0]["place_ids"][0]
    return compare_place(data, answer, expected,
                         f"Look at data.timeline('{day}', '{day}', event_type='offensive').",
                         detail=f"{data.label(expected)}: {found.iloc[0]['headline']}.")


# --- 03 the terms ----------------------------------------------------------------------------------

def point_binding(actor_id: str, answer, data=None) -> Verdict:
    """Which point (a number) names the actor ``actor_id``? (the only one that does)"""
    data = _data(data)
    points = data.terms.loc[data.terms["actor_ids"].map(lambda ids: actor_id in ids), "point"].tolist()
    if len(points) != 1:
        raise UnknownName(f"{actor_id!r} is named in points {points}, not in exactly one")
    name = data.actors.set_index("actor_id").loc[actor_id, "name"]
    if answer is None:
        return no_answer("the number of a point")
    if isinstance(answer, str) and answer.strip().isdigit():
        answer = int(answer)
    if not isinstance(answer, numbers.Integral) or isinstance(answer, bool) or not 1 <= answer <= len(data.terms):
        return hint(f"give the number of a point, from 1 to {len(data.terms)} (you gave {_kind(answer)}).")
    if answer == points[0]:
        return right(f"Point {points[0]}, '{data.clause(points[0])['title']}', names the {name}.")
    bound = ", ".join(data.clause(int(answer))["bound"])
    return hint(f"point {answer} names {bound}. Use the clause explorer, or data.clause(n)['bound'].")


def statement_figure(quantity_id: str, answer, data=None) -> Verdict:
    """A figure the statement gives (e.g. 'statement-peacekeepers'), from ``quantities``."""
    data = _data(data)
    row = data.quantities.loc[data.quantities["quantity_id"] == quantity_id].iloc[0]
    return compare_number(answer, row["value"], f"Point {int(row['point'])} gives it; see data.clause({int(row['point'])})"
                                                f"['summary'] or the quantities table.",
                          detail=f"{row['description']}: {row['value']:g} {row['unit']}.")


def points_with_deadlines(answer, data=None) -> Verdict:
    """Which points set a dated handover deadline? (a list of numbers)"""
    data = _data(data)
    expected = set(int(p) for p in data.deadlines["point"])
    return compare_numbers(answer, expected, "Look at the column 'point' of data.deadlines.",
                           detail="Between them they set the three handover dates.")


# --- 04 deadlines ----------------------------------------------------------------------------------

def days_from_signing(place: str, answer, data=None) -> Verdict:
    """How many days after the signing was ``place`` first due?"""
    data = _data(data)
    row = _deadline(data, place)
    days = (row["due"] - row["set_on"]).days
    return compare_number(answer, days, f"Subtract the day of signing (set_on) from the deadline as signed (due) "
                                        f"in data.deadlines; a pandas Timedelta has .days.",
                          off_by_one="count the days from the signing, not including the day of signing "
                                     "itself (the subtraction does that for you).",
                          detail=f"Signed {_long_day(row['set_on'])}, due {_long_day(row['due'])}.")


def extension_days(place: str, answer, data=None) -> Verdict:
    """By how many days was the deadline for ``place`` moved?"""
    data = _data(data)
    row = _deadline(data, place)
    days = 0 if pd.isna(row["revised_due"]) else (row["revised_due"] - row["due"]).days
    return compare_number(answer, days, "Compare the columns due and revised_due of data.deadlines.",
                          detail=f"From {_long_day(row['due'])} to {_long_day(row['revised_due'])}."
                          if days else "That deadline was never moved.")


def days_left(place: str, day, answer, data=None) -> Verdict:
    """On ``day``, how many days were left to the deadline in force for ``place``?"""
    data = _data(data)
    place_id = data.place(place)["place_id"]
    status = data.status_on(day).set_index("place_id").loc[place_id]
    return compare_number(answer, int(status["days_to_deadline"]),
                          f"Use data.status_on('{day}'), or move the slider to that day.",
                          off_by_one="the deadline day minus the day you stand on; do not count both ends.",
                          detail=f"Deadline in force: {_long_day(status['deadline'])}.")


def handover_day(place: str, answer, data=None) -> Verdict:
    """On which day did Azerbaijani forces enter ``place`` under the statement?"""
    data = _data(data)
    row = _deadline(data, place)
    return compare_day(answer, row["completed_on"], "Look at completed_on in data.deadlines, or slide the "
                                                    "day slider until the district changes colour.",
                       detail=f"{data.label(row['place_id'])} changed hands on {_long_day(row['completed_on'])}.")


def first_handover(answer, data=None) -> Verdict:
    """Which district was handed over first? (any spelling)"""
    data = _data(data)
    first = data.deadlines.sort_values("completed_on").iloc[0]["place_id"]
    return compare_place(data, answer, first, "Sort data.deadlines by completed_on.")


# --- 05 reading the news ---------------------------------------------------------------------------

VERDICTS = ("accurate", "garbled", "inaccurate", "oversimplified")
CLAIM_HINTS = {
    "accurate": "check the claim's dates and names against data.timeline() and data.deadlines: do they all hold?",
    "garbled": "the facts may be close, but read the article's own words (column as_written): is every name "
               "and phrase rendered correctly?",
    "inaccurate": "look for a source that contradicts the claim outright.",
    "oversimplified": "is the claim true only in broad strokes? Ask what it leaves out, or which earlier or "
                      "later events it folds together.",
}


def claim_verdict(claim_id: str, answer, data=None) -> Verdict:
    """The curators' verdict on a claim of the news article: one of VERDICTS."""
    data = _data(data)
    row = data.claims.loc[data.claims["claim_id"] == claim_id]
    if row.empty:
        raise UnknownName(f"no claim has the id {claim_id!r}")
    row = row.iloc[0]
    clue = CLAIM_HINTS[row["verdict"]]
    return compare_choice(answer, list(VERDICTS), row["verdict"], clue, detail=row["correction"])


def ungarble(as_written: str, answer, data=None) -> Verdict:
    """The place a garbled spelling from the article stands for (any real spelling)."""
    data = _data(data)
    place_id = data.place(as_written)["place_id"]
    garbled = set(data.claims["as_written"].dropna())
    return compare_place(data, answer, place_id,
                         "Read it aloud, then look for a district of the statement that sounds like it "
                         "(data.deadlines lists them).", refuse=garbled,
                         detail=f"{data.label(place_id)} (Azerbaijani {data.place(as_written)['name_az']}).")


def count_verdict(verdict: str, answer, data=None) -> Verdict:
    """How many of the article's claims have this verdict?"""
    data = _data(data)
    n = int((data.claims["verdict"] == verdict).sum())
    return compare_number(answer, n, f"Count the rows of data.claims whose verdict is {verdict!r}; "
                                     "value_counts() does it for every verdict at once.",
                          detail=f"{n} of {len(data.claims)} claims.")


# --- 06 aftermath ----------------------------------------------------------------------------------

def outcome_count(outcome: str, answer, data=None) -> Verdict:
    """How many of the nine points have this outcome?"""
    data = _data(data)
    found = data.outcomes().loc[lambda o: o["outcome"] == outcome, "point"].tolist()
    return compare_number(answer, len(found), "Count them in data.outcomes(), column outcome.",
                          detail=f"Points {', '.join(map(str, found))}." if found else "")


def points_with_outcome(outcome: str, answer, data=None) -> Verdict:
    """Which points have this outcome? (a list of numbers)"""
    data = _data(data)
    expected = set(data.outcomes().loc[lambda o: o["outcome"] == outcome, "point"].astype(int))
    return compare_numbers(answer, expected, "Filter data.outcomes() on the column outcome.")


def event_day(event_id: str, answer, data=None) -> Verdict:
    """The day an event (by id) started."""
    data = _data(data)
    event = _event(data, event_id)
    return compare_day(answer, event["date_start"], f"Find '{event['headline']}' with data.timeline(...).",
                       detail=f"{event['headline']}: {_long_day(event['date_start'])}.")


def years_stayed(answer, data=None) -> Verdict:
    """How many whole years did the Russian peacekeepers stay, from deploying to the end of withdrawal?"""
    data = _data(data)
    a = _event(data, "peacekeepers-deploy")["date_start"]
    end = _event(data, "peacekeepers-withdraw")
    b = end["date_end"] if pd.notna(end["date_end"]) else end["date_start"]
    years = b.year - a.year - ((b.month, b.day) < (a.month, a.day))
    return compare_number(answer, years, "Compare the day they began deploying with the day the withdrawal ended.",
                          off_by_one="count whole years only.",
                          detail=f"{_long_day(a)} to {_long_day(b)}, short of the five-year term.")


# --- helpers for checking names ----------------------------------------------------------------------

def closest_spellings(written: str, data=None, kinds=("district", "city", "town", "village"), n: int = 5):
    """The known spellings most like ``written``, by how many letters they share once both are folded to
    plain ASCII (1.0 = the same). The curators' own record of garbled spellings is left out, so this is
    the check a reader could make without the answer key.
    """
    import difflib

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
