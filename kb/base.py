"""The KB object: the tables as DataFrames, their data dictionary, and the course's questions."""
from __future__ import annotations

import datetime as dt
import difflib
import html
import numbers
import re
from pathlib import Path
from typing import Any

import pandas as pd

from .errors import UnknownName
from .names import PlaceIndex, fold

__all__ = ["KB", "ERAS", "STATUS", "CITE_COLUMNS", "TABLES", "as_day", "format_day", "era_of", "data_dictionary"]

# Eras of the course, by the day an event starts. The 2020 war era runs to the last handover.
ERAS = (
    ("Soviet settlement", "1900-01-01", "1987-12-31"),
    ("First war", "1988-01-01", "1994-05-12"),
    ("Frozen conflict", "1994-05-13", "2020-09-26"),
    ("2020 war and handovers", "2020-09-27", "2020-12-01"),
    ("After the handovers", "2020-12-02", "2099-12-31"),
)

CITE_COLUMNS = ["title", "publisher", "published", "kind", "origin", "url"]
STATUS = ("under Azerbaijani control", "under Armenian control", "returned to Azerbaijan")
TABLES = ("sources", "places", "actors", "events", "terms", "deadlines", "quantities", "claims", "outcomes")


def era_of(dates: pd.Series) -> pd.Series:
    """The era each date falls in.

    Parameters
    ----------
    dates : pandas.Series
        Days (``datetime64``).

    Returns
    -------
    pandas.Series
        An ordered categorical of the era names in ``ERAS``.
    """
    names = [name for name, _, _ in ERAS]
    edges = [pd.Timestamp(start) for _, start, _ in ERAS] + [pd.Timestamp(ERAS[-1][2]) + pd.Timedelta(days=1)]
    return pd.cut(dates, bins=edges, labels=names, right=False, ordered=True)


def as_day(value: Any, what: str = "date") -> pd.Timestamp:
    """Read a day given as 'YYYY-MM-DD', a date or a Timestamp; explain anything else.

    Parameters
    ----------
    value : str, datetime.date or pandas.Timestamp
        The day.
    what : str
        What the day is, for the error message (``"start"``, ``"day"``, ...).

    Returns
    -------
    pandas.Timestamp
        Midnight of that day.

    Raises
    ------
    ValueError
        For text that is not a day, or a day pandas cannot hold (before 1677-09-22 or after 2262-04-11).
    TypeError
        For anything that is not a day.
    """
    if isinstance(value, str):
        try:
            day = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a day: write it as 'YYYY-MM-DD', e.g. '2020-11-20'") from None
    elif isinstance(value, dt.date) and not pd.isna(value):
        day = value
    else:
        raise TypeError(f"{what} should be a day such as '2020-11-20' or datetime.date(2020, 11, 20); "
                        f"got {type(value).__name__} {value!r}")
    try:
        return pd.Timestamp(day).tz_localize(None).normalize()
    except (OverflowError, ValueError, pd.errors.OutOfBoundsDatetime):
        raise ValueError(f"{what} {value!r} is outside the days pandas can hold (1677-09-22 to 2262-04-11)") from None


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_day(value: Any, year: bool = True, long: bool = False) -> str:
    """A day as the course writes it, whatever the locale.

    Parameters
    ----------
    value : str, datetime.date or pandas.Timestamp
        The day.
    year : bool
        Whether to write the year.
    long : bool
        Whether to write the month in full.

    Returns
    -------
    str
        '20 Nov 2020', '20 Nov' (``year=False``) or '20 November 2020' (``long=True``).

    >>> format_day("2020-11-20"), format_day("2020-11-20", year=False), format_day("2020-11-20", long=True)
    ('20 Nov 2020', '20 Nov', '20 November 2020')
    >>> format_day(dt.date(2263, 1, 1))
    '1 Jan 2263'
    """
    # a date is written from its own fields, so a day pandas cannot hold (after 2262) is written too
    day = value if isinstance(value, dt.date) and not pd.isna(value) else pd.Timestamp(value)
    if pd.isna(day):
        raise ValueError(f"format_day needs a day, such as '2020-11-20'; got {value!r}")
    month = MONTHS[day.month - 1]
    text = f"{day.day} {month if long else month[:3]}"
    return f"{text} {day.year}" if year else text


def _prose(text: object) -> str:
    """Text from the descriptor, safe in Markdown and in a Markdown table: HTML shown as text, ``|`` escaped,
    line breaks joined; `code spans` the curators wrote are kept."""
    parts = re.split(r"(`[^`\n]*`)", " ".join(str(text).split()))
    return "".join(part if part.startswith("`") and len(part) > 1 else html.escape(part, quote=False)
                   for part in parts).replace("|", "\\|")


def _code(text: object) -> str:
    """A name or value as a Markdown code span that cannot break out of it or of a table."""
    text = " ".join(str(text).split()).replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def data_dictionary(package: dict, table: str | None = None) -> str:
    """The data dictionary: Markdown tables describing every column, read from a datapackage.json descriptor.

    Parameters
    ----------
    package : dict
        A checked descriptor, as :func:`kb.package.read_descriptor` returns it.
    table : str, optional
        Only this table (default: every table, and a note on references between them).

    Returns
    -------
    str
        Markdown, with the descriptor's text escaped so that it cannot break a table or carry HTML.
    """
    from .package import tabular

    lines = []
    for resource in filter(tabular, package["resources"]):
        if table is not None and resource["name"] != table:
            continue
        lines += [f"## {_prose(resource['name'])}: {_prose(resource.get('title', ''))}", "",
                  _prose(resource.get("description", "")), "",
                  "| column | type | required | meaning |", "|---|---|---|---|"]
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            meaning = _prose(field.get("description", ""))
            if "enum" in constraints:
                meaning += " One of: " + ", ".join(_code(v) for v in constraints["enum"]) + "."
            kind = field.get("type", "string")
            if kind == "list":
                kind = f"list ({_code(field.get('delimiter', ','))})"
            required = "yes" if constraints.get("required") else ""
            lines.append(f"| {_code(field['name'])} | {kind} | {required} | {meaning} |")
        if resource["name"] == "events":
            lines.append("| `era` | derived | | The era the event starts in (added by the loader). |")
        lines += ["", *_keys(resource["schema"]), ""] if table is None else [""]  # keys: in the full dictionary
    if table is None:
        lines += ["## References between tables", "",
                  "Table Schema's `foreignKeys` cannot say that *every item* of a list column is a key of another",
                  "table. Such references sit in the custom schema property `kb:listForeignKeys`, shaped like",
                  "`foreignKeys`; kb checks them like the standard ones, and other Frictionless tools ignore them.",
                  ""]
    return "\n".join(lines)


def _keys(schema: dict) -> list[str]:
    """The primary key and the references of one table, as Markdown lines."""
    from .package import LIST_FOREIGN_KEYS

    parts = [f"Key: {_code(', '.join(schema.get('primaryKey', [])))}." if schema.get("primaryKey") else ""]
    refs = [(fk, "") for fk in schema.get("foreignKeys", [])]
    refs += [(fk, " (each item)") for fk in schema.get(LIST_FOREIGN_KEYS, [])]
    if refs:
        parts.append("References: " + "; ".join(
            f"{_code(fk['fields'][0])}{each} → "
            f"{_code(fk['reference']['resource'] + '.' + fk['reference']['fields'][0])}"
            for fk, each in refs) + ".")
    return [" ".join(p for p in parts if p)] if any(parts) else []


def _name(value: Any, what: str) -> str:
    """``value`` if it is text; a TypeError that says what was expected otherwise."""
    if not isinstance(value, str):
        example = _EXAMPLES.get(what, "'...'")
        raise TypeError(f"{what} is text, such as {example}; got {type(value).__name__} {value!r}")
    return value


_EXAMPLES = {"an actor": "'armenia' or 'Pashinyan'", "an event id": "'statement-signed'",
             "an event type": "'ceasefire'", "a table name": "'events'", "a place id": "'kalbajar'"}


class KB:
    """The course's data: one DataFrame per table, and the questions the notebooks ask of them.

    Tables: ``sources``, ``places``, ``actors``, ``events``, ``terms``, ``deadlines``, ``quantities``,
    ``claims``, ``outcomes``. ``describe()`` prints what every column means.

    Parameters
    ----------
    package : dict
        The checked descriptor.
    frames : dict of str to pandas.DataFrame
        One DataFrame per table, as :func:`kb.load` builds them.
    data_dir : Path
        The folder the data came from.
    """

    sources: pd.DataFrame
    places: pd.DataFrame
    actors: pd.DataFrame
    events: pd.DataFrame
    terms: pd.DataFrame
    deadlines: pd.DataFrame
    quantities: pd.DataFrame
    claims: pd.DataFrame
    outcomes: pd.DataFrame
    corridor: pd.DataFrame  # the Lachin corridor's routes (map helper)
    changed_hands: pd.DataFrame  # what changed hands in 2020, by district (map helper)
    tables: dict[str, pd.DataFrame]
    package: dict
    data_dir: Path

    def __init__(self, package: dict, frames: dict[str, pd.DataFrame], data_dir: Path):
        self.package = package
        self.data_dir = Path(data_dir)
        self.tables = dict(frames)
        for name, frame in frames.items():
            setattr(self, name, frame)
        self._places: PlaceIndex | None = None
        self._labels: dict[str, str] | None = None

    def __getattr__(self, name: str) -> Any:
        # only reached for a missing attribute: a table this data package does not have
        if name in TABLES:
            raise AttributeError(f"this data package has no table {name!r}; it has: {', '.join(self.tables)}")
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name} ({len(frame)})" for name, frame in self.tables.items())
        return f"<KB from {self.data_dir}: {sizes}>"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    # --- the data dictionary ------------------------------------------------------------------

    def dictionary(self, table: str | None = None) -> str:
        """The data dictionary as Markdown, read from datapackage.json.

        Parameters
        ----------
        table : str, optional
            One table's name (default: every table).

        Returns
        -------
        str
            Markdown: per table, a row per column with its type, whether it is required and what it means.
        """
        if table is not None and _name(table, "a table name") not in self.tables:
            close = difflib.get_close_matches(table, self.tables, n=1)
            hint = f" Did you mean {close[0]!r}?" if close else ""
            raise UnknownName(f"no table is called {table!r}; the tables are: {', '.join(self.tables)}.{hint}")
        return data_dictionary(self.package, table)

    def describe(self, table: str | None = None) -> None:
        """Print the data dictionary: every table, every column, what it means.

        Parameters
        ----------
        table : str, optional
            One table's name (default: every table).

        Returns
        -------
        None
        """
        print(self.dictionary(table))

    # --- places, actors and events ----------------------------------------------------------------

    def place(self, name: str) -> pd.Series:
        """The row of ``places`` for a name in any spelling (English, Azerbaijani, Armenian, Russian, ...).

        Parameters
        ----------
        name : str
            A place name or id; a near miss of one known spelling is taken as a typo.

        Returns
        -------
        pandas.Series
            The place's row.

        Raises
        ------
        UnknownName
            Listing the closest names, when no place has that name.
        """
        if self._places is None:
            self._places = PlaceIndex(self.places)
        place_id = self._places.lookup(name)
        return self.places.loc[self.places["place_id"] == place_id].iloc[0]

    def label(self, place_id: str) -> str:
        """The place's name, with the other side's name where the data says usage differs.

        Parameters
        ----------
        place_id : str
            An id from ``places["place_id"]``.

        Returns
        -------
        str
            'Kalbajar / Karvachar', 'Stepanakert / Xankəndi', but 'Goris'.
        """
        _name(place_id, "a place id")
        if self._labels is None:  # figures ask for many labels; one pass over places serves them all
            self._labels = {}
            for row in self.places.itertuples(index=False):
                label = row.name
                if row.both_names:
                    other = row.name_hy_latin if fold(row.name_hy_latin) != fold(row.name) else row.name_az
                    label = f"{row.name} / {other}"
                self._labels[row.place_id] = label
        try:
            return self._labels[place_id]
        except KeyError:
            raise UnknownName(f"no place has the id {place_id!r}; ids are in kb.places['place_id']") from None

    def event(self, event_id: str) -> pd.Series:
        """The row of ``events`` with this id.

        Parameters
        ----------
        event_id : str
            An id from ``events["event_id"]``, such as ``'statement-signed'``.

        Returns
        -------
        pandas.Series
            The event's row, named by its id.

        Raises
        ------
        UnknownName
            Listing the closest ids, when no event has that id.
        """
        _name(event_id, "an event id")
        found = self.events.loc[self.events["event_id"] == event_id.strip()]
        if len(found) == 0:
            close = difflib.get_close_matches(event_id, list(self.events["event_id"]), n=3, cutoff=0.5)
            hint = f" Closest ids: {', '.join(close)}." if close else " Ids are in data.events['event_id']."
            raise UnknownName(f"no event has the id {event_id!r}.{hint}")
        return found.iloc[0].rename(event_id.strip())

    def _actor_id(self, name: str) -> str:
        key = fold(_name(name, "an actor"))
        for row in self.actors.itertuples(index=False):
            if key in {fold(row.actor_id), fold(row.name), *map(fold, row.aliases)}:
                return row.actor_id
        raise UnknownName(f"no actor is called {name!r}; try an id from kb.actors, e.g. 'armenia' or 'pashinyan'")

    def _place_and_parts(self, place_id: str) -> set[str]:
        found = {place_id}
        while True:  # ends: the loader refuses part_of cycles, and each pass adds places or stops
            more = set(self.places.loc[self.places["part_of"].isin(found), "place_id"]) - found
            if not more:
                return found
            found |= more

    # --- questions -----------------------------------------------------------------------------

    def timeline(self, start: Any = None, end: Any = None, event_type: str | None = None,
                 place: str | None = None, actor: str | None = None) -> pd.DataFrame:
        """Events that overlap ``start``..``end`` (inclusive), oldest first.

        Parameters
        ----------
        start, end : str, datetime.date or pandas.Timestamp, optional
            The first and last day ('YYYY-MM-DD'); open-ended when left out.
        event_type : str, optional
            Only events of this type (one of ``events["event_type"].cat.categories``).
        place : str, optional
            Only events at this place, in any spelling; its towns count too.
        actor : str, optional
            Only events involving this actor (id or name).

        Returns
        -------
        pandas.DataFrame
            Rows of ``events``.

        Raises
        ------
        ValueError
            When ``start`` is after ``end``.
        """
        events = self.events
        last = events["date_end"].fillna(events["date_start"])
        keep = pd.Series(True, index=events.index)
        first_day = as_day(start, "start") if start is not None else None
        last_day = as_day(end, "end") if end is not None else None
        if first_day is not None and last_day is not None and first_day > last_day:
            raise ValueError(f"start {format_day(first_day)} is after end {format_day(last_day)}; "
                             "expected start on or before end")
        if first_day is not None:
            keep &= last >= first_day
        if last_day is not None:
            keep &= events["date_start"] <= last_day
        if event_type is not None:
            kinds = list(events["event_type"].cat.categories)
            if _name(event_type, "an event type") not in kinds:
                raise UnknownName(f"no event type {event_type!r}; the types are: {', '.join(kinds)}")
            keep &= events["event_type"] == event_type
        if place is not None:
            wanted = self._place_and_parts(self.place(place)["place_id"])
            keep &= events["place_ids"].map(lambda ids: not wanted.isdisjoint(ids))
        if actor is not None:
            actor_id = self._actor_id(actor)
            keep &= events["actor_ids"].map(lambda ids: actor_id in ids)
        return events[keep].sort_values(["date_start", "event_id"]).reset_index(drop=True)

    def _day_in_range(self, day: Any) -> pd.Timestamp:
        """``day`` as a Timestamp, if it lies in the span the course's eras cover."""
        when = as_day(day, "day")
        first, last = pd.Timestamp(ERAS[0][1]), pd.Timestamp(ERAS[-1][2])
        if not first <= when <= last:
            raise ValueError(f"day {format_day(when)} is outside the data, which covers {format_day(first)} to "
                             f"{format_day(last)}")
        return when

    def deadline_on(self, day: Any) -> pd.Series:
        """For each row of ``deadlines``, the deadline in force on ``day``.

        Parameters
        ----------
        day : str, datetime.date or pandas.Timestamp
            The day ('YYYY-MM-DD'), between 1900-01-01 and 2099-12-31.

        Returns
        -------
        pandas.Series
            The day each deadline fell due, as known on ``day`` (NaT before it was set).
        """
        when = self._day_in_range(day)
        d = self.deadlines
        revised = d["revised_on"].notna() & (d["revised_on"] <= when)
        in_force = d["due"].where(~revised, d["revised_due"])
        return in_force.where(d["set_on"] <= when)

    def status_on(self, day: Any) -> pd.DataFrame:
        """Each district handed over under the statement, as it stood on ``day``.

        Parameters
        ----------
        day : str, datetime.date or pandas.Timestamp
            The day ('YYYY-MM-DD'), between 1900-01-01 and 2099-12-31.

        Returns
        -------
        pandas.DataFrame
            One row per district: its deadline in force, who held it that day, and the days left to the
            deadline (negative once it has passed).
        """
        when = self._day_in_range(day)
        d = self.deadlines
        deadline = self.deadline_on(when)
        status = pd.Series(STATUS[1], index=d.index)
        status[d["held_since"] > when] = STATUS[0]
        status[d["completed_on"].notna() & (d["completed_on"] <= when)] = STATUS[2]
        days = (deadline - when).dt.days.astype("Int64")
        return pd.DataFrame({
            "place_id": d["place_id"],
            "district": d["place_id"].map(self.label),
            "point": d["point"],
            "due_as_signed": d["due"],
            "deadline": deadline,
            "status": pd.Categorical(status, categories=STATUS),
            "days_to_deadline": days,
            "completed_on": d["completed_on"],
        }).sort_values(["due_as_signed", "place_id"]).reset_index(drop=True)

    def point_outcomes(self) -> pd.DataFrame:
        """What became of each of the nine points, with the point's title (``outcomes`` joined with ``terms``).

        Returns
        -------
        pandas.DataFrame
            One row per point, in order.
        """
        titles = self.terms[["point", "title"]]
        return titles.merge(self.outcomes, on="point", how="left").sort_values("point").reset_index(drop=True)

    def clause(self, point: numbers.Integral) -> dict:
        """Everything about one point of the statement.

        Parameters
        ----------
        point : int
            The point's number, 1 to 9; any integer type (a value from ``data.terms["point"]`` too).

        Returns
        -------
        dict
            ``point``, ``title``, ``summary``, ``bound`` (the actors the text makes its subject),
            ``named`` (the actors it names without binding them), ``binding`` (how the text words who does
            what), ``deadlines`` (a DataFrame),
            ``outcome`` (a row of ``outcomes``, or None) and ``sources`` (titles).
        """
        count = len(self.terms)
        if isinstance(point, bool) or not isinstance(point, numbers.Integral) or not 1 <= int(point) <= count:
            raise ValueError(f"the statement has points 1 to {count}; got {point!r}")
        number = int(point)
        term = self.terms.loc[self.terms["point"] == number].iloc[0]
        names = self.actors.set_index("actor_id")["name"]
        outcome = self.outcomes.loc[self.outcomes["point"] == number]
        return {
            "point": number,
            "title": term["title"],
            "summary": term["summary"],
            "bound": [names[a] for a in term["bound_ids"]],
            "named": [names[a] for a in term["named_ids"]],
            "binding": term["binding"],
            "deadlines": self.deadlines.loc[self.deadlines["point"] == number].reset_index(drop=True),
            "outcome": outcome.iloc[0] if len(outcome) else None,
            "sources": self.sources.loc[self.sources["source_id"].isin(term["source_ids"]), "title"].tolist(),
        }

    def cite(self, *cited: Any) -> pd.DataFrame:
        """The sources behind some rows, as a reading list.

        Parameters
        ----------
        *cited : DataFrame, Series, str or list of str
            Tables or rows that have ``source_ids`` (``data.cite(data.deadlines, data.place("Lachin"))``),
            or source ids themselves.

        Returns
        -------
        pandas.DataFrame
            The cited rows of ``sources``, in the columns a reading list needs.
        """
        if not cited:
            raise TypeError("cite() needs something to cite: a table, a row or source ids, e.g. "
                            "data.cite(data.deadlines)")
        ids: list[str] = []
        for item in cited:
            if isinstance(item, (pd.DataFrame, pd.Series)) and "source_ids" not in (
                    item.columns if isinstance(item, pd.DataFrame) else item.index):
                raise ValueError("cite() takes tables or rows with a source_ids column; this one has none")
            if isinstance(item, pd.DataFrame):
                ids += [s for cell in item["source_ids"] for s in cell]
            elif isinstance(item, pd.Series):
                ids += list(item["source_ids"])
            elif isinstance(item, str):
                ids.append(item)
            elif isinstance(item, (list, tuple, set)) and all(isinstance(i, str) for i in item):
                ids += list(item)
            else:
                raise TypeError(f"cite() takes tables, rows or source ids; got {type(item).__name__} {item!r}")
        unknown = set(ids) - set(self.sources["source_id"])
        if unknown:
            raise UnknownName(f"no source is called {', '.join(sorted(map(repr, unknown)))}; ids are in kb.sources")
        chosen = self.sources["source_id"].isin(ids)
        return self.sources.loc[chosen, CITE_COLUMNS].reset_index(drop=True)

    def to_timelinejs(self, path: str | Path) -> Path:
        """Write the events as a TimelineJS spreadsheet (CSV), grouped by era.

        Parameters
        ----------
        path : str or Path
            The CSV file to write.

        Returns
        -------
        Path
            ``path``.
        """
        from .export import timelinejs_rows

        path = Path(path)
        timelinejs_rows(self.events, self.sources).to_csv(path, index=False, encoding="utf-8")
        return path
