"""What the maps and the day slider show, as data: figure labels in one romanisation, and one frame per day.

Figures draw a frame; they do not look places up by name or go back to the KB for labels.

>>> import kb
>>> from kb.frames import status_frame
>>> frame = status_frame(kb.load(), "2020-11-21")
>>> frame.set_index("place_id").loc["agdam", ["label", "status"]].tolist()
['Aghdam / Akna', 'returned to Azerbaijan']
"""
from __future__ import annotations

import pandas as pd

from .base import STATUS, as_day, format_day

__all__ = ["romanise", "figure_labels", "status_frame", "status_table", "countdown_line", "LABEL_RULE"]

# Azerbaijani Latin letters as English-language reporting writes them: Xankəndi -> Khankendi.
_AZ_TO_ENGLISH = str.maketrans({"x": "kh", "X": "Kh", "ə": "e", "Ə": "E", "ş": "sh", "Ş": "Sh", "ç": "ch",
                                "Ç": "Ch", "ğ": "gh", "Ğ": "Gh", "c": "j", "C": "J", "ı": "i", "I": "I",
                                "İ": "I", "ö": "o", "Ö": "O", "ü": "u", "Ü": "U"})
LABEL_RULE = ("Labels name each place as English-language reporting does first, then the other community's "
              "name where it differs; both in English-style Latin letters (Khankendi, not Xankəndi; Berdzor, "
              "not Բերձոր). Native scripts are in places.csv and the glossary.")


def romanise(name: str) -> str:
    """An Azerbaijani Latin name in English-style letters.

    >>> romanise("Xankəndi"), romanise("Ağdərə"), romanise("Şuşa")
    ('Khankendi', 'Aghdere', 'Shusha')
    """
    return str(name).translate(_AZ_TO_ENGLISH)


def figure_labels(places: pd.DataFrame) -> dict[str, str]:
    """Every place's figure label: its English name, then the other community's name where the data says
    the two differ ('Kalbajar / Karvachar', 'Stepanakert / Khankendi'), both in Latin letters."""
    labels = {}
    for row in places.itertuples(index=False):
        label = str(row.name)
        if row.both_names:
            armenian, azerbaijani = str(row.name_hy_latin), romanise(row.name_az)
            other = armenian if armenian.casefold() != label.casefold() else azerbaijani
            if other.casefold() != label.casefold():
                label = f"{label} / {other}"
        labels[row.place_id] = label
    return labels


def countdown_line(row) -> str:
    """One district's line of the countdown: returned, days left to the deadline in force, or overdue."""
    if row["status"] == STATUS[2]:
        return f"{row['label']}: returned to Azerbaijan on {format_day(row['completed_on'])}"
    if pd.isna(row["deadline"]):
        return f"{row['label']}: no deadline set yet"
    n = int(row["days_to_deadline"])
    when = "due today" if n == 0 else (f"{n} day{'s' * (n != 1)} left" if n > 0 else
                                       f"{-n} day{'s' * (n != -1)} overdue")
    moved = "" if not row["revised"] else f" (moved from {format_day(row['due_as_signed'])})"
    return f"{row['label']}: {when}, deadline {format_day(row['deadline'])}{moved}"


def status_frame(data, day) -> pd.DataFrame:
    """The frame for one day: each district handed over under the statement with its label, who held it,
    the deadline in force, the days left (none once returned), a short note for a map and the countdown line.
    """
    day = as_day(day, "day")
    status = data.status_on(day)
    labels = figure_labels(data.places)
    frame = status.assign(
        day=day,
        label=status["place_id"].map(labels),
        revised=status["deadline"].notna() & (status["deadline"] != status["due_as_signed"]),
    )
    frame.loc[frame["status"] == STATUS[2], "days_to_deadline"] = pd.NA
    notes = []
    for row in frame.to_dict("records"):
        if row["status"] == STATUS[2]:
            notes.append(f"returned {format_day(row['completed_on'], year=False)}")
        elif row["status"] == STATUS[1] and pd.notna(row["deadline"]):
            notes.append(f"deadline {format_day(row['deadline'], year=False)}" + (" (revised)" * row["revised"]))
        else:
            notes.append("")
    frame["note"] = notes
    frame["countdown"] = [countdown_line(row) for row in frame.to_dict("records")]
    return frame


def status_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A day's frame as the day sliders print it: district, status, deadline ('25 Nov 2020') and days left,
    all as text, with blanks where there is no deadline or the district is back.

    >>> import kb
    >>> status_table(status_frame(kb.load(), "2020-11-21")).iloc[1].tolist()
    ['Aghdam / Akna', 'returned to Azerbaijan', '20 Nov 2020', '']
    """
    days_left = frame["days_to_deadline"]
    return pd.DataFrame({
        "district": frame["label"],
        "status": frame["status"].astype(str),
        "deadline": frame["deadline"].map(format_day, na_action="ignore").fillna(""),
        "days_to_deadline": days_left.astype(object).where(days_left.notna(), "").map(str),
    })
