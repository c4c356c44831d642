import datetime as dt

import pandas as pd
import pytest

import kb


def row(status, place_id):
    return status.set_index("place_id").loc[place_id]


def test_status_on_lists_the_three_districts_in_deadline_order(data):
    status = data.status_on("2020-11-12")
    assert list(status["place_id"]) == ["kalbajar", "agdam", "lachin"]
    assert list(status["district"]) == ["Kalbajar / Karvachar", "Aghdam / Akna", "Lachin / Berdzor"]


def test_status_before_the_extension(data):
    status = data.status_on("2020-11-12")
    kalbajar = row(status, "kalbajar")
    assert kalbajar["deadline"] == pd.Timestamp("2020-11-15")
    assert kalbajar["days_to_deadline"] == 3
    assert kalbajar["status"] == "under Armenian control"


def test_extension_is_in_force_from_the_day_it_was_announced(data):
    kalbajar = row(data.status_on("2020-11-15"), "kalbajar")
    assert kalbajar["deadline"] == pd.Timestamp("2020-11-25")
    assert kalbajar["due_as_signed"] == pd.Timestamp("2020-11-15")
    assert kalbajar["days_to_deadline"] == 10


def test_handover_days(data):
    on_20 = data.status_on(dt.date(2020, 11, 20))
    assert row(on_20, "agdam")["status"] == "returned to Azerbaijan"
    assert row(on_20, "agdam")["days_to_deadline"] == 0
    assert row(on_20, "kalbajar")["status"] == "under Armenian control"
    on_25 = data.status_on(pd.Timestamp("2020-11-25"))
    assert row(on_25, "kalbajar")["status"] == "returned to Azerbaijan"
    assert row(on_25, "lachin")["status"] == "under Armenian control"
    assert row(on_25, "lachin")["days_to_deadline"] == 6


def test_after_the_last_handover_every_district_is_returned(data):
    status = data.status_on("2021-06-01")
    assert (status["status"] == "returned to Azerbaijan").all()
    assert row(status, "lachin")["days_to_deadline"] == -182


def test_before_the_statement_there_is_no_deadline(data):
    status = data.status_on("2020-10-01")
    assert status["deadline"].isna().all() and status["days_to_deadline"].isna().all()
    assert (status["status"] == "under Armenian control").all()


def test_before_the_first_war_the_districts_were_azerbaijani(data):
    assert (data.status_on("1991-01-01")["status"] == "under Azerbaijani control").all()
    mid = data.status_on("1993-01-01")
    assert row(mid, "lachin")["status"] == "under Armenian control"
    assert row(mid, "kalbajar")["status"] == "under Azerbaijani control"


@pytest.mark.parametrize("bad,error,message", [
    ("20/11/2020", ValueError, "write it as 'YYYY-MM-DD'"),
    ("next week", ValueError, "is not a day"),
    (20201120, TypeError, "should be a day"),
    (None, TypeError, "should be a day"),
])
def test_status_on_explains_a_wrong_date(data, bad, error, message):
    with pytest.raises(error, match=message):
        data.status_on(bad)


def test_timeline_is_sorted_and_filters_by_dates(data):
    events = data.timeline("2020-11-10", "2020-12-01")
    assert events["date_start"].is_monotonic_increasing
    assert {"agdam-handover", "kalbajar-handover", "lachin-handover"} <= set(events["event_id"])
    assert (events["date_start"] <= pd.Timestamp("2020-12-01")).all()
    last = events["date_end"].fillna(events["date_start"])
    assert (last >= pd.Timestamp("2020-11-10")).all()


def test_timeline_includes_spans_that_overlap_the_window(data):
    spans = data.events[data.events["date_end"].notna()]
    span = spans.iloc[0]
    inside = span["date_start"] + (span["date_end"] - span["date_start"]) / 2
    assert span["event_id"] in set(data.timeline(inside, inside)["event_id"])


def test_timeline_by_type_place_and_actor(data):
    transfers = data.timeline(event_type="transfer of territory")
    assert (transfers["event_type"] == "transfer of territory").all() and len(transfers) >= 3
    karvachar = data.timeline(place="Karvachar")
    assert "kalbajar-handover" in set(karvachar["event_id"])
    assert karvachar["place_ids"].map(lambda ids: "kalbajar" in ids).all()
    by_name = data.timeline(actor="Nikol Pashinyan")
    by_id = data.timeline(actor="pashinyan")
    assert len(by_name) > 0 and by_name["event_id"].tolist() == by_id["event_id"].tolist()


def test_timeline_place_includes_its_towns(data):
    towns = data.places[data.places["part_of"] == "lachin"]["place_id"]
    assert "lachin-town" in set(towns)
    tagged_town = data.events["place_ids"].map(lambda ids: "lachin-town" in ids)
    assert set(data.events[tagged_town]["event_id"]) <= set(data.timeline(place="Lachin")["event_id"])


def test_timeline_explains_unknown_filters(data):
    with pytest.raises(kb.UnknownName, match="the types are"):
        data.timeline(event_type="battle")
    with pytest.raises(kb.UnknownName, match="no actor"):
        data.timeline(actor="Napoleon")


def test_deadline_on_follows_the_revision(data):
    by_place = dict(zip(data.deadlines["place_id"], data.deadline_on("2020-11-14"), strict=True))
    assert by_place["kalbajar"] == pd.Timestamp("2020-11-15")
    by_place = dict(zip(data.deadlines["place_id"], data.deadline_on("2020-11-15"), strict=True))
    assert by_place["kalbajar"] == pd.Timestamp("2020-11-25")
    assert by_place["agdam"] == pd.Timestamp("2020-11-20")
    assert data.deadline_on("2020-11-08").isna().all()


def test_format_day_explains_a_missing_day():
    from kb.base import format_day

    with pytest.raises(ValueError, match="format_day needs a day"):
        format_day(pd.NaT)


# --- the API says plainly when it is misused ----------------------------------------------------------

@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", dt.date(2100, 1, 1)])
def test_a_day_outside_the_data_is_explained(data, day):
    for ask in (data.status_on, data.deadline_on):
        with pytest.raises(ValueError, match="is outside the data, which covers 1 Jan 1900 to 31 Dec 2099"):
            ask(day)


@pytest.mark.parametrize("ask", [
    lambda d: d.timeline(actor=5), lambda d: d.timeline(actor=["armenia"]), lambda d: d.timeline(place=3),
    lambda d: d.timeline(event_type=1), lambda d: d.place(None), lambda d: d.event(7), lambda d: d.label(None),
    lambda d: d.dictionary(2)])
def test_a_non_string_where_a_name_is_expected_is_explained(data, ask):
    with pytest.raises(TypeError, match=r"is text, such as '.+'; got "):
        ask(data)


def test_fold_explains_a_non_string():
    with pytest.raises(TypeError, match="a name is text"):
        kb.fold(None)


def test_cite_of_nothing_is_explained(data):
    with pytest.raises(TypeError, match="cite\\(\\) needs something to cite"):
        data.cite()
    with pytest.raises(TypeError, match="got NoneType None"):
        data.cite(None)
    with pytest.raises(ValueError, match="with a source_ids column; this one has none"):
        data.cite(data.terms[["point"]])


def test_timeline_with_start_after_end_is_explained(data):
    with pytest.raises(ValueError, match="start 1 Dec 2020 is after end 1 Nov 2020"):
        data.timeline("2020-12-01", "2020-11-01")
    assert len(data.timeline("2020-11-10", "2020-11-10")) > 0  # one day is a window


def test_event_returns_the_row_by_id(data):
    event = data.event("statement-signed")
    assert event.name == "statement-signed" and event["date_start"] == pd.Timestamp("2020-11-09")
    with pytest.raises(kb.UnknownName, match="Closest ids: statement-signed"):
        data.event("statement-signd")


def test_clause_accepts_any_integer_type(data):
    import numpy as np

    point = data.terms["point"].iloc[5]
    assert isinstance(point, np.integer)
    assert data.clause(point)["point"] == 6 == data.clause(np.int8(6))["point"]
    assert data.clause(point)["title"] == data.clause(6)["title"]
    for bad in (True, 6.0, np.float64(6), "6", 0, np.int64(10)):
        with pytest.raises(ValueError, match="points 1 to 9"):
            data.clause(bad)


def test_outcomes_is_the_table_and_point_outcomes_the_join(data):
    assert data.outcomes is data.tables["outcomes"]
    joined = data.point_outcomes()
    assert list(joined["point"]) == list(range(1, 10)) and "title" in joined and "outcome" in joined


def test_the_public_surface_is_declared():
    import importlib

    assert set(kb.__all__) == {"load", "KB", "DataError", "UnknownName", "ERAS", "fold", "__version__"}
    for name in kb.__all__:
        assert getattr(kb, name) is not None
    for module in ("base", "errors", "names", "export", "package", "__main__"):
        declared = importlib.import_module(f"kb.{module}").__all__
        assert declared and all(hasattr(importlib.import_module(f"kb.{module}"), n) for n in declared), module


def test_clause_says_whom_a_point_binds_and_whom_it_only_names(data):
    """Bound and named come from the text's wording, so 'which points bind Armenia and not Azerbaijan?' has one answer."""
    binds = {n: data.clause(n)["bound"] for n in range(1, 10)}
    armenia_alone = [n for n, who in binds.items() if "Armenia" in who and "Azerbaijan" not in who]
    assert armenia_alone == [9]
    assert data.clause(2)["bound"] == [] and data.clause(2)["named"] == ["Azerbaijan"]
    assert "passive" in data.clause(8)["binding"]
