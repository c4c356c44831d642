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
    by_place = dict(zip(data.deadlines["place_id"], data.deadline_on("2020-11-14")))
    assert by_place["kalbajar"] == pd.Timestamp("2020-11-15")
    by_place = dict(zip(data.deadlines["place_id"], data.deadline_on("2020-11-15")))
    assert by_place["kalbajar"] == pd.Timestamp("2020-11-25")
    assert by_place["agdam"] == pd.Timestamp("2020-11-20")
    assert data.deadline_on("2020-11-08").isna().all()


def test_format_day_explains_a_missing_day():
    from kb.base import format_day

    with pytest.raises(ValueError, match="format_day needs a day"):
        format_day(pd.NaT)
