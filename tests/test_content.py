"""The content added for issue 11 answers the questions it was added for."""
from urllib.parse import urlsplit

import pytest

import kb
from kb.errors import DataError

PARTIES = {"armenia", "azerbaijan"}


def domain(url: str) -> str:
    net = urlsplit(url).netloc.lower().rstrip(".")
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
    kinds = data.sources.assign(outlet=data.sources["url"].map(domain)).groupby("outlet")["publisher_type"].nunique()
    assert (kinds == 1).all(), kinds[kinds > 1]


def test_governments_own_sites_are_official_texts_and_mirrors_are_not_encyclopaedias(data):
    by_id = data.sources.set_index("source_id")
    assert by_id.loc["am-pm-statement-2020-11-10", "publisher_type"] == "official text"
    assert by_id.loc["az-mfa-statement-2020-11-10", "publisher_type"] == "official text"
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
