"""Events in the columns of a TimelineJS spreadsheet, so a teacher can publish a timeline with no code."""
from __future__ import annotations

import pandas as pd

COLUMNS = ["Year", "Month", "Day", "Time", "End Year", "End Month", "End Day", "End Time", "Display Date",
           "Headline", "Text", "Media", "Media Credit", "Media Caption", "Media Thumbnail", "Type", "Group",
           "Background"]


def _parts(dates: pd.Series, precision: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Year, month and day as text, leaving out what the precision does not know."""
    year = dates.dt.year.astype("Int64").astype("str").replace("<NA>", "")
    month = dates.dt.month.astype("Int64").astype("str").replace("<NA>", "")
    day = dates.dt.day.astype("Int64").astype("str").replace("<NA>", "")
    month = month.where(precision.isin(["day", "month"]), "")
    day = day.where(precision == "day", "")
    return year, month, day


def timelinejs_rows(events: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    publishers = sources.set_index("source_id")["publisher"]
    precision = events["date_precision"].astype(str)
    year, month, day = _parts(events["date_start"], precision)
    end_year, end_month, end_day = _parts(events["date_end"], precision)
    text = [f"{summary} <small>Sources: {'; '.join(dict.fromkeys(publishers[s] for s in ids))}.</small>"
            for summary, ids in zip(events["summary"], events["source_ids"])]
    rows = pd.DataFrame({column: "" for column in COLUMNS}, index=events.index)
    rows["Year"], rows["Month"], rows["Day"] = year, month, day
    rows["End Year"], rows["End Month"], rows["End Day"] = end_year, end_month, end_day
    rows["Headline"] = events["headline"]
    rows["Text"] = text
    rows["Group"] = events["era"].astype(str)
    return rows.sort_values(["Year", "Month", "Day"], key=lambda c: pd.to_numeric(c, errors="coerce")).reset_index(drop=True)
