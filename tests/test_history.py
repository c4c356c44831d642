"""The curated history 1921-2025: each era covered, a consistent chronology, outcomes, and the TimelineJS export."""
import pandas as pd
import pytest

import kb
from kb.base import ERAS

ERA_EVENTS = {
    "Soviet settlement": ["kavburo-vote-1921-07-04", "kavburo-decision-1921", "nkao-created", "kurdistan-uezd-1923",
                          "karabakh-petition-1964", "helsinki-final-act-1975", "khanzadyan-letter-1977"],
    "First war": ["armenians-leave-azerbaijan-1988", "azerbaijanis-displaced-1991-1994", "nkao-soviet-request-1988",
                  "nkr-proclaimed", "nkr-referendum-1991", "khojaly-1992",
                  "shusha-captured-1992", "lachin-captured-1992", "kalbajar-captured-1993", "agdam-captured-1993",
                  "fuzuli-captured-1993", "jabrayil-captured-1993", "qubadli-captured-1993",
                  "zangilan-captured-1993", "unsc-822", "unsc-853", "unsc-874", "unsc-884",
                  "csce-minsk-conference-decision", "bishkek-protocol", "ceasefire-1994-signed",
                  "ceasefire-1994-in-force"],
    "Frozen conflict": ["minsk-group-cochairs-1997", "ter-petrosyan-resigns-1998", "madrid-principles-2007",
                        "mardakert-clashes-2008", "unga-62-243-2008", "laquila-statement-2009", "mi24-shootdown-2014",
                        "april-2016-clashes", "tovuz-clashes-2020"],
    "2020 war and handovers": ["war-2020-start", "truce-moscow-announced", "truce-moscow-in-force",
                               "truce-france-announced", "truce-france-in-force", "truce-us-announced",
                               "truce-us-in-force", "jabrayil-taken", "fuzuli-taken", "zangilan-taken",
                               "qubadli-taken", "shusha-taken", "mi24-shot-down", "statement-signed",
                               "ceasefire-in-force-2020", "agdam-handover", "kalbajar-handover", "lachin-handover"],
    "After the handovers": ["prisoner-exchange-first", "transport-statement-2021", "monitoring-centre-opens",
                            "lachin-town-handover", "lachin-blockade", "lachin-checkpoint", "offensive-2023",
                            "ceasefire-2023", "exodus-2023", "nkr-dissolution-decree", "peacekeepers-withdraw",
                            "washington-summit-2025", "minsk-group-closed", "sev-lich-incursion-2021",
                            "shusha-declaration-2021",
                            "icj-order-2021-12-07", "icj-order-2023-02-22", "former-leaders-detained-2023",
                            "csto-freeze-2024", "gazakh-villages-handover-2024", "karabakh-leaders-sentenced-2026"],
}


def event(data, event_id):
    return data.events.set_index("event_id").loc[event_id]


def day(text):
    return pd.Timestamp(text)


def test_at_least_80_events(data):
    assert len(data.events) >= 80


@pytest.mark.parametrize("era", list(ERA_EVENTS))
def test_each_era_is_covered(data, era):
    events = data.events.set_index("event_id")
    missing = set(ERA_EVENTS[era]) - set(events.index)
    assert not missing, missing
    assert (events.loc[ERA_EVENTS[era], "era"] == era).all()


def test_eras_are_the_course_eras_in_order(data):
    assert list(data.events["era"].cat.categories) == [name for name, _, _ in ERAS]


def test_signing_and_entry_into_force_are_different_events(data):
    assert event(data, "ceasefire-1994-in-force")["date_start"] == day("1994-05-12")
    assert event(data, "ceasefire-1994-signed")["date_start"] < day("1994-05-12")
    assert event(data, "statement-signed")["date_start"] == day("2020-11-09")
    assert event(data, "ceasefire-in-force-2020")["date_start"] == day("2020-11-10")
    for truce in ["moscow", "france", "us"]:
        announced = event(data, f"truce-{truce}-announced")
        in_force = event(data, f"truce-{truce}-in-force")
        assert announced["event_type"] == "agreement" and in_force["event_type"] == "ceasefire"
        assert announced["date_start"] <= in_force["date_start"]


def test_chronology(data):
    assert event(data, "kavburo-decision-1921")["date_start"] < event(data, "nkao-created")["date_start"]
    assert event(data, "nkr-proclaimed")["date_start"] < event(data, "nkr-referendum-1991")["date_start"]
    assert event(data, "bishkek-protocol")["date_start"] < event(data, "ceasefire-1994-in-force")["date_start"]
    assert event(data, "war-2020-start")["date_start"] == day("2020-09-27")
    assert event(data, "shusha-taken")["date_start"] < event(data, "statement-signed")["date_start"]
    signed = event(data, "statement-signed")["date_start"]
    transfers = data.timeline("2020-09-27", "2020-12-31", event_type="transfer of territory")
    assert len(transfers) >= 3 and (transfers["date_start"] >= signed).all()
    assert event(data, "offensive-2023")["date_start"] <= event(data, "ceasefire-2023")["date_start"]
    assert event(data, "ceasefire-2023")["date_start"] < event(data, "nkr-dissolution-decree")["date_start"]


def test_every_revised_deadline_is_after_its_original(data):
    revised = data.deadlines.dropna(subset=["revised_due"])
    assert len(revised) >= 1
    assert (revised["revised_due"] > revised["due"]).all()
    assert (revised["revised_on"] >= revised["set_on"]).all()


def test_handover_events_match_the_deadlines_table(data):
    for row in data.deadlines.itertuples():
        handover = event(data, f"{row.place_id}-handover")
        assert handover["date_start"] == row.completed_on
        assert row.place_id in handover["place_ids"]
    captured = {"agdam": "agdam-captured-1993", "kalbajar": "kalbajar-captured-1993", "lachin": "lachin-captured-1992"}
    for place_id, event_id in captured.items():
        held = data.deadlines.set_index("place_id").loc[place_id, "held_since"]
        capture = event(data, event_id)
        assert capture["date_start"] <= held <= (capture["date_end"] if pd.notna(capture["date_end"]) else held)


def test_events_are_within_the_course_and_no_later_than_today(data):
    assert data.events["date_start"].min() >= day("1921-01-01")
    assert data.events["date_start"].max() <= pd.Timestamp.today()


def test_every_event_has_a_source_and_a_place_or_actor(data):
    assert (data.events["source_ids"].map(len) >= 1).all()
    assert ((data.events["place_ids"].map(len) + data.events["actor_ids"].map(len)) >= 1).all()


# --- what became of each point --------------------------------------------------------------------

def test_outcomes_cover_the_nine_points(data):
    outcomes = data.point_outcomes()
    assert list(outcomes["point"]) == list(range(1, 10))
    assert outcomes["title"].notna().all() and outcomes["outcome"].notna().all()
    assert set(outcomes["outcome"]) <= {"implemented", "partly implemented", "not implemented", "overtaken"}


def test_outcomes_rest_on_dated_events(data):
    outcomes = data.tables["outcomes"]
    events = data.events.set_index("event_id")
    last_day = events["date_end"].fillna(events["date_start"])
    for row in outcomes.itertuples():
        assert row.event_ids
        assert last_day[row.event_ids].max() == row.as_of, row.point


def test_clause_gathers_one_point(data):
    six = data.clause(6)
    assert six["point"] == 6 and six["title"]
    assert set(six["deadlines"]["place_id"]) == {"kalbajar", "lachin"}
    assert six["outcome"]["outcome"] in {"implemented", "partly implemented", "not implemented", "overtaken"}
    assert six["sources"] and six["bound"]
    assert data.clause(2)["deadlines"]["place_id"].tolist() == ["agdam"]
    assert data.clause(1)["deadlines"].empty


@pytest.mark.parametrize("bad", [0, 10, "6", 6.0, True])
def test_clause_explains_a_wrong_point(data, bad):
    with pytest.raises(ValueError, match="points 1 to 9"):
        data.clause(bad)


# --- TimelineJS -------------------------------------------------------------------------------------

def test_timelinejs_export_round_trips_its_dates(data, tmp_path):
    path = data.to_timelinejs(tmp_path / "timeline.csv")
    sheet = pd.read_csv(path, dtype=str, keep_default_na=False)
    assert list(sheet.columns[:3]) == ["Year", "Month", "Day"]
    assert {"End Year", "End Month", "End Day", "Headline", "Text", "Group"} <= set(sheet.columns)
    assert len(sheet) == len(data.events)
    events = data.events.set_index("headline")
    for row in sheet.itertuples(index=False):
        source = events.loc[row.Headline]
        unit = {"day": "D", "month": "M", "year": "Y"}[source["date_precision"]]
        start = pd.Period(pd.Timestamp(int(row.Year), int(row.Month or 1), int(row.Day or 1)), unit)
        assert start == pd.Period(source["date_start"], unit)
        assert bool(row.Day) == (unit == "D") and bool(row.Month) == (unit in "DM")
        if pd.notna(source["date_end"]):
            end = pd.Period(pd.Timestamp(int(row._4), int(row._5 or 1), int(row._6 or 1)), unit)
            assert end == pd.Period(source["date_end"], unit)
        else:
            assert row._4 == ""
        assert row.Group == source["era"]


def test_headlines_are_unique_so_the_export_reads_clearly(data):
    assert data.events["headline"].is_unique


def test_cite_lists_the_sources_behind_rows(data):
    handovers = data.timeline(event_type="transfer of territory")
    reading = data.cite(data.deadlines, handovers, data.place("Lachin"), "az-mfa-stop-not-remain")
    expected = set().union(*data.deadlines["source_ids"], *handovers["source_ids"],
                           data.place("Lachin")["source_ids"], {"az-mfa-stop-not-remain"})
    assert len(reading) == len(expected)
    assert set(reading["url"]) == set(data.sources.set_index("source_id").loc[sorted(expected), "url"])
    assert list(reading.columns) == ["title", "publisher", "published", "kind", "origin", "url"]


def test_cite_explains_an_unknown_source(data):
    with pytest.raises(kb.UnknownName, match="no source is called 'nowhere'"):
        data.cite(["nowhere"])
