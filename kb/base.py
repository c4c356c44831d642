"""The KB object: the tables as DataFrames, their data dictionary, and the course's questions."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from .errors import UnknownName

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


def era_of(dates: pd.Series) -> pd.Series:
    """The era each date falls in, as an ordered categorical."""
    names = [name for name, _, _ in ERAS]
    edges = [pd.Timestamp(start) for _, start, _ in ERAS] + [pd.Timestamp(ERAS[-1][2]) + pd.Timedelta(days=1)]
    return pd.cut(dates, bins=edges, labels=names, right=False, ordered=True)


def as_day(value, what: str = "date") -> pd.Timestamp:
    """Read a day given as 'YYYY-MM-DD', a date or a Timestamp; explain anything else."""
    if isinstance(value, str):
        try:
            return pd.Timestamp(dt.date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"{what} {value!r} is not a day: write it as 'YYYY-MM-DD', e.g. '2020-11-20'") from None
    if isinstance(value, dt.date) and not pd.isna(value):
        return pd.Timestamp(value).tz_localize(None).normalize()
    raise TypeError(f"{what} should be a day such as '2020-11-20' or datetime.date(2020, 11, 20); "
                    f"got {type(value).__name__} {value!r}")


MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


def format_day(value, year: bool = True, long: bool = False) -> str:
    """A day as the course writes it, whatever the locale: '20 Nov 2020', '20 Nov' (``year=False``) or
    '20 November 2020' (``long=True``).

    >>> format_day("2020-11-20"), format_day("2020-11-20", year=False), format_day("2020-11-20", long=True)
    ('20 Nov 2020', '20 Nov', '20 November 2020')
    """
    day = pd.Timestamp(value)
    if pd.isna(day):
        raise ValueError(f"format_day needs a day, such as '2020-11-20'; got {value!r}")
    month = MONTHS[day.month - 1]
    text = f"{day.day} {month if long else month[:3]}"
    return f"{text} {day.year}" if year else text


def data_dictionary(package: dict, table: str | None = None) -> str:
    """Markdown tables describing every column, read from a datapackage.json descriptor."""
    lines = []
    for resource in package["resources"]:
        if table is not None and resource["name"] != table:
            continue
        lines += [f"## {resource['name']}: {resource.get('title', '')}", "", resource.get("description", ""), "",
                  "| column | type | required | meaning |", "|---|---|---|---|"]
        for field in resource["schema"]["fields"]:
            constraints = field.get("constraints", {})
            meaning = field.get("description", "")
            if "enum" in constraints:
                meaning += " One of: " + ", ".join(f"`{v}`" for v in constraints["enum"]) + "."
            kind = field.get("type", "string")
            if kind == "list":
                kind = f"list (`{field.get('delimiter', ',')}`)"
            required = "yes" if constraints.get("required") else ""
            lines.append(f"| `{field['name']}` | {kind} | {required} | {meaning} |")
        if resource["name"] == "events":
            lines.append("| `era` | derived | | The era the event starts in (added by the loader). |")
        lines += ["", *_keys(resource["schema"]), ""]
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

    parts = [f"Key: `{', '.join(schema.get('primaryKey', []))}`." if schema.get("primaryKey") else ""]
    refs = [(fk, "") for fk in schema.get("foreignKeys", [])]
    refs += [(fk, " (each item)") for fk in schema.get(LIST_FOREIGN_KEYS, [])]
    if refs:
        parts.append("References: " + "; ".join(
            f"`{fk['fields'][0]}`{each} → `{fk['reference']['resource']}.{fk['reference']['fields'][0]}`"
            for fk, each in refs) + ".")
    return [" ".join(p for p in parts if p)] if any(parts) else []


class KB:
    """The course's data: one DataFrame per table, and the questions the notebooks ask of them.

    Tables: ``sources``, ``places``, ``actors``, ``events``, ``terms``, ``deadlines``, ``quantities``,
    ``claims``, ``outcomes``. ``describe()`` prints what every column means.
    """

    def __init__(self, package: dict, frames: dict[str, pd.DataFrame], data_dir: Path):
        self.package = package
        self.data_dir = data_dir
        self.tables = dict(frames)
        for name, frame in frames.items():
            # the outcomes table sits beside the outcomes() method, which joins it with the points' titles
            setattr(self, "outcomes_table" if name == "outcomes" else name, frame)
        self._places = None
        self._labels: dict[str, str] | None = None

    def __repr__(self) -> str:
        sizes = ", ".join(f"{name} ({len(frame)})" for name, frame in self.tables.items())
        return f"<KB from {self.data_dir}: {sizes}>"

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(self.tables))

    # --- the data dictionary ------------------------------------------------------------------

    def dictionary(self, table: str | None = None) -> str:
        """The data dictionary as Markdown, read from datapackage.json."""
        if table is not None and table not in self.tables:
            raise UnknownName(f"no table is called {table!r}; the tables are: {', '.join(self.tables)}")
        return data_dictionary(self.package, table)

    def describe(self, table: str | None = None) -> None:
        """Print the data dictionary: every table, every column, what it means."""
        print(self.dictionary(table))

    # --- places --------------------------------------------------------------------------------

    def place(self, name: str) -> pd.Series:
        """The row of ``places`` for a name in any spelling (English, Azerbaijani, Armenian, Russian, ...)."""
        from .names import PlaceIndex

        if self._places is None:
            self._places = PlaceIndex(self.places)
        place_id = self._places.lookup(name)
        return self.places.loc[self.places["place_id"] == place_id].iloc[0]

    def label(self, place_id: str) -> str:
        """The place's name, with the other side's name where the data says usage differs:
        'Kalbajar / Karvachar', 'Stepanakert / Xankəndi', but 'Goris'."""
        from .names import fold

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

    def _actor_id(self, name: str) -> str:
        from .names import fold

        key = fold(name)
        for row in self.actors.itertuples(index=False):
            if key in {fold(row.actor_id), fold(row.name), *map(fold, row.aliases)}:
                return row.actor_id
        raise UnknownName(f"no actor is called {name!r}; try an id from kb.actors, e.g. 'armenia' or 'pashinyan'")

    def _place_and_parts(self, place_id: str) -> set[str]:
        found = {place_id}
        while True:
            more = set(self.places.loc[self.places["part_of"].isin(found), "place_id"]) - found
            if not more:
                return found
            found |= more

    # --- questions -----------------------------------------------------------------------------

    def timeline(self, start=None, end=None, event_type: str | None = None,
                 place: str | None = None, actor: str | None = None) -> pd.DataFrame:
        """Events that overlap ``start``..``end`` (inclusive), oldest first, optionally of one type,
        at one place (any spelling; its towns count too) or involving one actor (id or name)."""
        events = self.events
        last = events["date_end"].fillna(events["date_start"])
        keep = pd.Series(True, index=events.index)
        if start is not None:
            keep &= last >= as_day(start, "start")
        if end is not None:
            keep &= events["date_start"] <= as_day(end, "end")
        if event_type is not None:
            kinds = list(events["event_type"].cat.categories)
            if event_type not in kinds:
                raise UnknownName(f"no event type {event_type!r}; the types are: {', '.join(kinds)}")
            keep &= events["event_type"] == event_type
        if place is not None:
            wanted = self._place_and_parts(self.place(place)["place_id"])
            keep &= events["place_ids"].map(lambda ids: not wanted.isdisjoint(ids))
        if actor is not None:
            actor_id = self._actor_id(actor)
            keep &= events["actor_ids"].map(lambda ids: actor_id in ids)
        return events[keep].sort_values(["date_start", "event_id"]).reset_index(drop=True)

    def deadline_on(self, day) -> pd.Series:
        """For each row of ``deadlines``, the deadline in force on ``day`` (NaT before it was set)."""
        day = as_day(day)
        d = self.deadlines
        revised = d["revised_on"].notna() & (d["revised_on"] <= day)
        in_force = d["due"].where(~revised, d["revised_due"])
        return in_force.where(d["set_on"] <= day)

    def status_on(self, day) -> pd.DataFrame:
        """One row per district handed over under the statement: its deadline in force on ``day``, who
        held it that day, and the days left to the deadline (negative once it has passed)."""
        day = as_day(day)
        d = self.deadlines
        deadline = self.deadline_on(day)
        status = pd.Series(STATUS[1], index=d.index)
        status[d["held_since"] > day] = STATUS[0]
        status[d["completed_on"].notna() & (d["completed_on"] <= day)] = STATUS[2]
        days = (deadline - day).dt.days.astype("Int64")
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

    def outcomes(self) -> pd.DataFrame:
        """What became of each of the nine points, with the point's title, oldest judgement first."""
        titles = self.terms[["point", "title"]]
        return titles.merge(self.outcomes_table, on="point", how="left").sort_values("point").reset_index(drop=True)

    def clause(self, point: int) -> dict:
        """Everything about one point of the statement: what it says, whom it binds, its deadlines, its outcome."""
        if isinstance(point, bool) or not isinstance(point, (int,)) or not 1 <= point <= len(self.terms):
            raise ValueError(f"the statement has points 1 to {len(self.terms)}; got {point!r}")
        term = self.terms.loc[self.terms["point"] == point].iloc[0]
        names = self.actors.set_index("actor_id")["name"]
        outcome = self.outcomes_table.loc[self.outcomes_table["point"] == point]
        return {
            "point": point,
            "title": term["title"],
            "summary": term["summary"],
            "bound": [names[a] for a in term["actor_ids"]],
            "deadlines": self.deadlines.loc[self.deadlines["point"] == point].reset_index(drop=True),
            "outcome": outcome.iloc[0] if len(outcome) else None,
            "sources": self.sources.loc[self.sources["source_id"].isin(term["source_ids"]), "title"].tolist(),
        }

    def cite(self, *cited) -> pd.DataFrame:
        """The sources behind some rows, as a reading list.

        Pass tables or rows that have ``source_ids`` (``data.cite(data.deadlines, data.place("Lachin"))``)
        or source ids themselves.
        """
        ids: list[str] = []
        for item in cited:
            if isinstance(item, pd.DataFrame):
                ids += [s for cell in item["source_ids"] for s in cell]
            elif isinstance(item, pd.Series) and "source_ids" in item.index:
                ids += list(item["source_ids"])
            elif isinstance(item, str):
                ids.append(item)
            else:
                ids += list(item)
        unknown = set(ids) - set(self.sources["source_id"])
        if unknown:
            raise UnknownName(f"no source is called {', '.join(sorted(map(repr, unknown)))}; ids are in kb.sources")
        chosen = self.sources["source_id"].isin(ids)
        return self.sources.loc[chosen, CITE_COLUMNS].reset_index(drop=True)

    def to_timelinejs(self, path) -> Path:
        """Write the events as a TimelineJS spreadsheet (CSV), grouped by era; returns the path."""
        from .export import timelinejs_rows

        path = Path(path)
        timelinejs_rows(self.events, self.sources).to_csv(path, index=False, encoding="utf-8")
        return path
