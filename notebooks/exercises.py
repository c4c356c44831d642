"""Expected answers of the course's exercises, as small functions of the data.

Each closed exercise in ``exercises.toml`` names one of these functions in its ``expected`` key; the
function takes the course's data (``kb.load()``) and returns the expected answer, so a correction to the
data carries through to the exercises. To add an exercise, add a table to ``exercises.toml`` and, if no
function here gives its answer yet, a one-line function below. Helpers start with ``_`` and cannot be named
in the catalogue.

What a function returns depends on the exercise's kind: a number (``number``), a day (``day``), a text or a
set of accepted texts (``text``), one of the choices (``choice``), a place id (``place``) or a set of whole
numbers (``numbers``).
"""
from __future__ import annotations

import pandas as pd


def _event(data, event_id: str) -> pd.Series:
    rows = data.events.loc[data.events["event_id"] == event_id]
    if rows.empty:
        raise ValueError(f"no event has the id {event_id!r}; the ids are in data.events['event_id']")
    return rows.iloc[0]


def _day(data, event_id: str) -> pd.Timestamp:
    return _event(data, event_id)["date_start"]


def _deadline(data, place: str) -> pd.Series:
    place_id = data.place(place)["place_id"]
    rows = data.deadlines.loc[data.deadlines["place_id"] == place_id]
    if rows.empty:
        raise ValueError(f"the statement sets no handover deadline for {place!r}; "
                         f"it does for {', '.join(data.deadlines['place_id'])}")
    return rows.iloc[0]


def _whole_years(first: pd.Timestamp, last: pd.Timestamp) -> int:
    return last.year - first.year - ((last.month, last.day) < (first.month, first.day))


def _claim(data, claim_id: str) -> pd.Series:
    rows = data.claims.loc[data.claims["claim_id"] == claim_id]
    if rows.empty:
        raise ValueError(f"no claim has the id {claim_id!r}; the claims are c01 to c{len(data.claims):02d}")
    return rows.iloc[0]


def _with_verdict(data, verdict: str) -> int:
    verdicts = list(data.claims["verdict"].cat.categories)
    if verdict not in verdicts:
        raise ValueError(f"no verdict {verdict!r}; the verdicts are {', '.join(verdicts)}")
    return int((data.claims["verdict"] == verdict).sum())


def _points_with_outcome(data, outcome: str) -> set[int]:
    table = data.tables["outcomes"]
    outcomes = list(table["outcome"].cat.categories)
    if outcome not in outcomes:
        raise ValueError(f"no outcome {outcome!r}; the outcomes are {', '.join(outcomes)}")
    return set(table.loc[table["outcome"] == outcome, "point"].astype(int))


def _armenian_names(data, place: str) -> set[str]:
    row = data.place(place)
    return {row["name_hy_latin"], row["name_hy"]}


def _actor_point(data, actor_id: str) -> int:
    points = data.terms.loc[data.terms["actor_ids"].map(lambda ids: actor_id in ids), "point"].tolist()
    if len(points) != 1:
        raise ValueError(f"{actor_id!r} is named in points {points}, not in exactly one")
    return int(points[0])


# --- 00 start here ---------------------------------------------------------------------------------
def points_in_statement(data):
    return len(data.terms)


def lachin_armenian_names(data):
    return _armenian_names(data, "Lachin")


def lachin_district_armenian_name(data):
    return "Kashatagh" if "Kashatagh" in data.place("Lachin")["aliases"] else ""


def signing_day(data):
    return _day(data, "statement-signed")


def entry_into_force(data):
    return _day(data, "ceasefire-in-force-2020")


# --- 01 background ---------------------------------------------------------------------------------
def kavburo_to_oblast_years(data):
    return _whole_years(_day(data, "kavburo-decision-1921"), _day(data, "nkao-created"))


def offensives_in_1993(data):
    return int((data.timeline("1993-01-01", "1993-12-31", event_type="offensive")["date_start"].dt.year == 1993).sum())


def years_of_freeze(data):
    return _whole_years(_day(data, "ceasefire-1994-in-force"), _day(data, "war-2020-start"))


# --- 02 the war of 2020 ----------------------------------------------------------------------------
def war_days(data):
    return (_day(data, "statement-signed") - _day(data, "war-2020-start")).days + 1


def failed_truces(data):
    return len(data.timeline(_day(data, "war-2020-start"), _day(data, "statement-signed") - pd.Timedelta(days=1),
                             event_type="ceasefire"))


def taken_on_8_november(data):
    return data.timeline("2020-11-08", "2020-11-08", event_type="offensive").iloc[0]["place_ids"][0]


# --- 03 the terms ----------------------------------------------------------------------------------
def fsb_point(data):
    return _actor_point(data, "fsb-border-service")


def peacekeepers(data):
    return data.quantities.set_index("quantity_id").loc["statement-peacekeepers", "value"]


def points_with_deadlines(data):
    return set(data.deadlines["point"].astype(int))


# --- 04 deadlines ----------------------------------------------------------------------------------
def agdam_days_given(data):
    return (_deadline(data, "Agdam")["due"] - _deadline(data, "Agdam")["set_on"]).days


def kalbajar_extension_days(data):
    return (_deadline(data, "Kalbajar")["revised_due"] - _deadline(data, "Kalbajar")["due"]).days


def lachin_days_left_21_november(data):
    return int(data.status_on("2020-11-21").set_index("place_id").loc["lachin", "days_to_deadline"])


# --- 05 reading the news ---------------------------------------------------------------------------
def kielbaarya(data):
    return data.place("Kielbaarya")["place_id"]


def garbled_spellings(data):
    return set(data.claims["as_written"].dropna())


def verdicts(data):
    return list(data.claims["verdict"].cat.categories)


def verdict_c08(data):
    return _claim(data, "c08")["verdict"]


def accurate_claims(data):
    return _with_verdict(data, "accurate")


# --- 06 aftermath ----------------------------------------------------------------------------------
def implemented_points(data):
    return len(_points_with_outcome(data, "implemented"))


def overtaken_points(data):
    return _points_with_outcome(data, "overtaken")


def lachin_town_handover(data):
    return _day(data, "lachin-town-handover")


def peacekeepers_whole_years(data):
    return _whole_years(_day(data, "peacekeepers-deploy"), _event(data, "peacekeepers-withdraw")["date_end"])


# --- 07 the people ---------------------------------------------------------------------------------
def _figure(data, quantity_id: str) -> float:
    return float(data.quantities.set_index("quantity_id").loc[quantity_id, "value"])


def idp_count_gap(data):
    return int(_figure(data, "az-idps-state-1998") - _figure(data, "az-idps-unhcr-1997"))


def heritage_years(data):
    return set(data.timeline(event_type="heritage")["date_start"].dt.year)


def excess_vs_official_azerbaijan(data):
    official = data.quantities[(data.quantities["measure"] == "military deaths, Azerbaijan")
                               & (data.quantities["claimed_by"] == "azerbaijan-mod")].sort_values("as_of")
    return int(_figure(data, "excess-deaths-2020-azerbaijan") - official.iloc[-1]["value"])


def unesco_consent_choices(data):
    return ["Armenia", "Azerbaijan", "both Armenia and Azerbaijan", "neither"]


def unesco_consent(data):
    summary = _event(data, "unesco-mission-proposed-2020")["summary"]
    return "Azerbaijan" if "Azerbaijan's answer" in summary else "both Armenia and Azerbaijan"


# --- 08 two narratives -----------------------------------------------------------------------------
def unga_votes_against(data):
    import re

    return int(re.search(r"by (\d+) to (\d+)", _event(data, "unga-62-243-2008")["summary"]).group(2))


def war_name_in_baku(data):
    import re

    title = data.sources.set_index("source_id").loc["trend-2783", "title"]
    name = re.search(r"in (Patriotic War)", title).group(1)
    return {name, f"the {name}"}


def madrid_to_war_years(data):
    return _whole_years(_day(data, "madrid-principles-2007"), _day(data, "war-2020-start"))


def helsinki_principles(data):
    return ["territorial integrity of states", "inviolability of frontiers",
            "equal rights and self-determination of peoples", "non-intervention in internal affairs"]


def self_determination(data):
    return "equal rights and self-determination of peoples"
