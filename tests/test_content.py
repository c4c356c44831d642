"""The content added for issue 11 answers the questions it was added for."""
from urllib.parse import urlsplit

import pandas as pd
import pytest

import kb
from kb.errors import DataError

PARTIES = {"armenia", "azerbaijan"}


def domain(url: str) -> str:
    net = urlsplit(url).netloc.lower().split(":")[0].rstrip(".")
    for prefix in ("www.", "m.", "en.", "amp."):
        if net.startswith(prefix) and net[len(prefix):].count(".") >= 1:
            net = net[len(prefix):]
    return net


def point(data, number):
    return data.terms.set_index("point").loc[number]


# --- whom each point binds ---------------------------------------------------------------------------------------

def test_only_point_9_binds_armenia_and_not_azerbaijan(data):
    """'Which points bind Armenia alone?': of the two Parties, the text gives Armenia alone a duty only in point 9."""
    alone = data.terms.loc[data.terms["bound_ids"].map(lambda ids: set(ids) & PARTIES == {"armenia"}), "point"]
    assert alone.tolist() == [9]


def test_the_handover_of_agdam_names_no_one_as_returning_it(data):
    agdam = point(data, 2)
    assert agdam["bound_ids"] == [] and agdam["named_ids"] == ["azerbaijan"]
    assert "passive" in agdam["binding"]


def test_point_6_binds_three_actors_and_point_7_none(data):
    assert set(point(data, 6)["bound_ids"]) == {"armenia", "azerbaijan", "russia"}
    assert point(data, 7)["bound_ids"] == [] and "unhcr" in point(data, 7)["named_ids"]


def test_bound_and_named_never_overlap(data):
    for _, term in data.terms.iterrows():
        assert not set(term["bound_ids"]) & set(term["named_ids"]), term["point"]


def test_every_point_cites_both_governments_official_texts(data):
    for _, term in data.terms.iterrows():
        assert {"am-pm-statement-2020-11-10", "az-mfa-statement-2020-11-10"} <= set(term["source_ids"]), term["point"]


# --- the kind of publisher -----------------------------------------------------------------------------------------

def test_one_outlet_one_publisher_type(data):
    labelled = data.sources.dropna(subset=["publisher_type"])
    kinds = labelled.assign(outlet=labelled["url"].map(domain)).groupby("outlet")["publisher_type"].nunique()
    assert (kinds == 1).all(), kinds[kinds > 1]


def test_governments_own_sites_are_official_texts_and_mirrors_are_not_encyclopaedias(data):
    by_id = data.sources.set_index("source_id")
    assert by_id.loc["am-pm-statement-2020-11-10", "publisher_type"] == "official text"
    assert by_id.loc["az-mfa-statement-2020-11-10", "publisher_type"] == "official text"
    assert by_id.loc["icj-summary-2021-12-07", "publisher_type"] == "court"
    assert set(by_id.loc[by_id["url"].str.contains("hrw.org"), "publisher_type"]) == {"rights group"}
    mirrors = data.sources[data.sources["publisher"].str.contains("Wikipedia copy|Wikipedia mirror", regex=True)]
    assert len(mirrors) and (mirrors["publisher_type"] == "aggregator or blog").all()
    assert mirrors["is_copy"].all()


def test_third_party_copies_of_the_statement_are_marked_as_copies(data):
    by_id = data.sources.set_index("source_id")
    for copy in ["statement-everynamu", "statement-voltairenet-de", "statement-qadin", "rumfa-statement-copy"]:
        assert by_id.loc[copy, "is_copy"], copy
    assert not by_id.loc["am-pm-statement-2020-11-10", "is_copy"]


def test_an_unknown_publisher_type_is_refused(data_dir):
    path = data_dir / "sources.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].rsplit(",", 2)[0] + ",tabloid,false"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="tabloid"):
        kb.load(data_dir)


# --- the people: displacement, harm, prisoners, after 2020 ----------------------------------------------------------

INDEPENDENT = {"unhcr", "uscr", "idmc", "human-rights-watch", "united-nations", "excess-mortality-study"}


def figures(data, measure):
    q = data.quantities
    return q[q["measure"] == measure]


@pytest.mark.parametrize("measure", ["Armenians who fled Azerbaijan", "refugees from Azerbaijan in Armenia",
                                     "Azerbaijanis who fled Armenia", "Azerbaijanis internally displaced",
                                     "Armenians who left Nagorno-Karabakh, 2023"])
def test_each_displacement_has_an_independent_figure(data, measure):
    rows = figures(data, measure)
    assert len(rows) and set(rows["claimed_by"]) & INDEPENDENT, measure


@pytest.mark.parametrize("measure", ["Azerbaijanis who fled Armenia", "Azerbaijanis internally displaced",
                                     "Armenians who left Nagorno-Karabakh, 2023"])
def test_government_figures_sit_beside_independent_ones(data, measure):
    claimants = set(figures(data, measure)["claimed_by"])
    assert claimants & {"azerbaijan", "armenia"} and claimants & INDEPENDENT, claimants


def test_both_directions_of_displacement_are_events(data):
    events = data.events.set_index("event_id")
    for event_id in ["azerbaijanis-leave-armenia-1988", "armenians-leave-azerbaijan-1988",
                     "azerbaijanis-displaced-1991-1994", "exodus-2023"]:
        assert events.loc[event_id, "event_type"] == "humanitarian", event_id


def test_civilians_harmed_in_2020_on_both_sides(data):
    harm = data.timeline("2020-09-27", "2020-11-10", event_type="violence against civilians")
    places = {p for ids in harm["place_ids"] for p in ids}
    assert {"ganja", "barda"} <= places, "strikes on Azerbaijani towns"
    assert {"stepanakert"} <= places, "strikes on Armenian-held towns"


def test_no_casualty_line_joins_different_counts(data):
    """The 'about 4,000 dead' (all, incl. unidentified) is not on the same line as the 3,773 servicemen killed."""
    q = data.quantities.set_index("quantity_id")
    a, b = q.loc["am-mil-deaths-2021-04-14"], q.loc["am-mil-deaths-2021-08-24"]
    assert (a["measure"], a["claimed_by"]) != (b["measure"], b["claimed_by"])
    assert q.loc["nkr-mil-deaths-2020-11-13", "measure"] != q.loc["am-mil-deaths-2020-11-14", "measure"]


def test_every_casualty_line_has_one_claimant_and_one_unit(data):
    q = data.quantities[data.quantities["category"] == "casualties"]
    units = q.groupby(["measure", "claimed_by"])["unit"].nunique()
    assert (units == 1).all()
    independent = q[q["claimed_by"] == "excess-mortality-study"]
    official = q[q["claimed_by"] != "excess-mortality-study"]
    assert len(independent) >= 3 and not set(independent["measure"]) & set(official["measure"])


def test_landmine_victims_are_counted_apart_from_the_war(data):
    mines = data.quantities[data.quantities["category"] == "landmines"]
    assert len(mines) >= 3 and (mines["as_of"] > pd.Timestamp("2020-11-10")).all()


def test_the_court_orders_and_international_positions_are_there(data):
    events = data.events.set_index("event_id")
    rulings = events[events["event_type"] == "court ruling"]
    assert {"icj-order-2021-12-07", "icj-order-2023-02-22", "icj-order-2023-11-17"} <= set(rulings.index)
    for event_id in ["unga-62-243-2008", "ep-resolution-2023", "un-mission-karabakh-2023"]:
        assert event_id in events.index


def test_heritage_of_both_communities(data):
    heritage = data.events[data.events["event_type"] == "heritage"]
    text = " ".join(heritage["headline"] + " " + heritage["summary"])
    assert "mosque" in text.lower() and ("church" in text.lower() or "cathedral" in text.lower())
    assert {"unesco", "caucasus-heritage-watch"} <= {a for ids in heritage["actor_ids"] for a in ids}


@pytest.mark.parametrize("start, end, at_least", [("1924-01-01", "1987-12-31", 3), ("1994-05-13", "2020-09-26", 15)])
def test_the_thin_eras_are_thicker(data, start, end, at_least):
    assert len(data.timeline(start, end)) >= at_least
