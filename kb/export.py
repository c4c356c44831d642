"""Events in the columns of a TimelineJS spreadsheet, so a teacher can publish a timeline with no code.

TimelineJS renders the headline, the text, the media credit and caption, the group and the display date as
HTML, so the data's text is escaped there; and a spreadsheet runs a cell that starts with ``=``, ``+``, ``-``
or ``@`` as a formula, so such cells get a leading apostrophe (the spreadsheet's own "this is text" mark).
"""
from __future__ import annotations

import html

import pandas as pd

__all__ = ["COLUMNS", "timelinejs_rows", "no_formula"]

COLUMNS = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
           "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
           "Background"]
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def no_formula(cell: str) -> str:
    """``cell``, made safe to open in a spreadsheet.

    Parameters
    ----------
    cell : str
        The text of one cell.

    Returns
    -------
    str
        The text with an apostrophe in front if a spreadsheet would read it as a formula.

    >>> no_formula("=HYPERLINK(\\"http://example.org\\")"), no_formula("Shusha")
    ('\\'=HYPERLINK("http://example.org")', 'Shusha')
    """
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def _escape(text: str) -> str:
    return html.escape(str(text), quote=False)  # element content: <, > and & are what matter


def _parts(dates: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, month and day as text, leaving out what the precision does not know."""
    year = dates.dt.year.astype("Int64").astype("str").replace("<NA>", "")
    month = dates.dt.month.astype("Int64").astype("str").replace("<NA>", "")
    day = dates.dt.day.astype("Int64").astype("str").replace("<NA>", "")
    month = month.where(precision.isin(["day", "month"]), "")
    day = day.where(precision == "day", "")
    return year, month, day


def timelinejs_rows(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """The events as rows of a TimelineJS spreadsheet, oldest first.

    Parameters
    ----------
    events : pandas.DataFrame
        The ``events`` table, with its ``era`` column.
    sources : pandas.DataFrame
        The ``sources`` table, for the publishers each event cites.

    Returns
    -------
    pandas.DataFrame
        One row per event, in TimelineJS's columns (``COLUMNS``), every cell text that is safe to render as
        HTML and to open in a spreadsheet.
    """
    publishers = sources.set_index("source_id")["publisher"]
    precision = events["date_precision"].astype(str)
    year, month, day = _parts(events["date_start"], precision)
    end_year, end_month, end_day = _parts(events["date_end"], precision)
    text = [f"{_escape(summary)} <small>Sources: "
            f"{_escape('; '.join(dict.fromkeys(publishers[s] for s in ids)))}.</small>"
            for summary, ids in zip(events["summary"], events["source_ids"], strict=True)]
    rows = pd.DataFrame({column: "" for column in COLUMNS}, index=events.index)
    rows["Year"], rows["Month"], rows["Day"] = year, month, day
    rows["End Year"], rows["End Month"], rows["End Day"] = end_year, end_month, end_day
    rows["Headline"] = events["headline"].map(_escape)
    rows["Text"] = text
    rows["Group"] = events["era"].astype(str).map(_escape)
    rows = rows.sort_values(["Year", "Month", "Day"], key=lambda c: pd.to_numeric(c, errors="coerce"))
    return rows.reset_index(drop=True).map(lambda cell: "" if pd.isna(cell) else no_formula(str(cell)))
