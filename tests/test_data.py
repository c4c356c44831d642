"""Integrity of the real data, table by table, and the facts the course teaches."""
import hashlib
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from kb.package import default_data_dir

PACKAGE = json.loads((default_data_dir() / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = {r["name"]: r for r in PACKAGE["resources"] if "schema" in r}  # the tables, not the basemap
KEYED = [(name, r["schema"]["primaryKey"][0]) for name, r in RESOURCES.items()]


@pytest.mark.parametrize("table", list(RESOURCES))
def test_table_has_rows_and_the_schema_columns(data, table):
    frame = data.tables[table]
    assert len(frame) > 0
    assert [f["name"] for f in RESOURCES[table]["schema"]["fields"]] == \
        [c for c in frame.columns if c != "era"]


@pytest.mark.parametrize("table,key", KEYED)
def test_primary_key_is_unique_and_filled(data, table, key):
    column = data.tables[table][key]
    assert column.notna().all() and column.is_unique


@pytest.mark.parametrize("table", [t for t in RESOURCES if t != "sources"])
def test_every_row_cites_a_source(data, table):
    assert data.tables[table]["source_ids"].map(len).min() >= 1


@pytest.mark.parametrize("table", [t for t in RESOURCES if t != "sources"])
def test_cited_sources_exist(data, table):
    known = set(data.sources["source_id"])
    cited = {s for ids in data.tables[table]["source_ids"] for s in ids}
    assert cited <= known, cited - known


def test_every_source_is_cited_at_least_once(data):
    cited = {s for t in data.tables.values() if "source_ids" in t for ids in t["source_ids"] for s in ids}
    assert set(data.sources["source_id"]) <= cited, set(data.sources["source_id"]) - cited


def test_sources_are_web_pages_with_their_origin(data):
    assert data.sources["url"].str.match(r"^https?://").all()
    assert data.sources["origin"].notna().all() and data.sources["kind"].notna().all()
    assert (data.sources["kind"] == "primary").sum() >= 5


@pytest.mark.parametrize("table", ["events", "terms", "claims", "outcomes"])
def test_summaries_are_sentences_not_stubs(data, table):
    column = {"events": "summary", "terms": "summary", "claims": "correction", "outcomes": "explanation"}[table]
    words = data.tables[table][column].str.split().map(len)
    assert words.min() >= 6, data.tables[table].loc[words.idxmin()]


def test_places_have_names_in_four_languages(data):
    places = data.places
    assert places["name_hy"].map(lambda s: bool(re.search("[\u0531-\u058f]", s))).all()
    assert places["name_ru"].map(lambda s: bool(re.search("[\u0400-\u04ff]", s))).all()
    for pid in ["agdam", "kalbajar", "lachin", "shusha", "stepanakert", "lachin-corridor"]:
        assert pid in set(places["place_id"])


def test_places_near_karabakh_lie_in_the_south_caucasus(data):
    local = data.places[~data.places["kind"].isin(["country"]) &
                        ~data.places["place_id"].isin(["moscow", "bishkek", "washington"])]
    local = local[local["lat"].between(38, 42)]
    assert local["lon"].between(43, 51).all()
    kalbajar = data.places.set_index("place_id").loc["kalbajar"]
    assert (round(kalbajar["lat"], 1), round(kalbajar["lon"], 1)) == (40.1, 46.0)


def test_nine_points(data):
    assert list(data.terms["point"]) == list(range(1, 10))
    assert "unhcr" in data.terms.set_index("point").loc[7, "actor_ids"]
    assert "fsb-border-service" in data.terms.set_index("point").loc[9, "actor_ids"]


def test_the_three_handover_deadlines(data):
    d = data.deadlines.set_index("place_id")
    assert set(d.index) == {"agdam", "kalbajar", "lachin"}
    assert d.loc["agdam", "due"] == pd.Timestamp("2020-11-20")
    assert d.loc["kalbajar", "due"] == pd.Timestamp("2020-11-15")
    assert d.loc["kalbajar", "revised_due"] == pd.Timestamp("2020-11-25")
    assert d.loc["kalbajar", "revised_on"] == pd.Timestamp("2020-11-15")
    assert d.loc["lachin", "due"] == pd.Timestamp("2020-12-01")
    assert list(d.loc[["agdam", "kalbajar", "lachin"], "completed_on"]) == \
        [pd.Timestamp("2020-11-20"), pd.Timestamp("2020-11-25"), pd.Timestamp("2020-12-01")]
    assert list(d.loc[["agdam", "kalbajar", "lachin"], "point"]) == [2, 6, 6]


def test_statement_figures(data):
    q = data.quantities[data.quantities["category"] == "statement"]
    values = set(zip(q["point"], q["value"], strict=True))
    assert {(3, 1960.0), (3, 90.0), (3, 380.0), (4, 5.0), (6, 5.0)} <= values


def test_disputed_casualty_figures_stay_several_rows_with_claimants_and_dates(data):
    q = data.quantities[data.quantities["category"] == "casualties"]
    assert q["claimed_by"].nunique() >= 3
    per_measure = q.groupby("measure", observed=True).size()
    assert per_measure.max() >= 3
    assert {2783.0, 3773.0, 100.0} <= set(q["value"])


def test_claims_cover_the_article(data):
    c = data.claims
    assert len(c) >= 12
    assert list(c["claim_id"]) == [f"c{i:02d}" for i in range(1, len(c) + 1)]
    written = set(c["as_written"].dropna())
    assert {"Kielbaarya", "Kielbajara"} <= {w for text in written for w in re.findall(r"\w+", text)}
    assert set(c["verdict"]) >= {"accurate", "garbled", "oversimplified"}


ROOT = Path(__file__).resolve().parent.parent
ARTICLE_RUNS = {line.strip() for line in (ROOT / "tests" / "article_shingles.txt").read_text().splitlines()
                if line.strip() and not line.startswith("#")}


def six_word_runs(text: str) -> set[str]:
    words = re.findall(r"[a-z0-9]+", text.lower())
    return {hashlib.sha256(" ".join(words[i:i + 6]).encode()).hexdigest()[:16] for i in range(len(words) - 5)}


def test_the_article_fingerprint_is_loaded():
    assert len(ARTICLE_RUNS) > 250 and all(len(run) == 16 for run in ARTICLE_RUNS)


def test_no_data_cell_repeats_six_words_of_the_article(data):
    inspected = 0
    for name, table in data.tables.items():
        for column in table.columns:
            for cell in table[column]:  # every text cell, whatever dtype this pandas gives the column
                for text in cell if isinstance(cell, list) else [cell]:
                    if isinstance(text, str):
                        inspected += 1
                        assert not six_word_runs(text) & ARTICLE_RUNS, (name, column, text)
    assert inspected > 3000  # the text cells of the data: a test that inspects none would pass too


def test_no_notebook_repeats_six_words_of_the_article():
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        for cell in cells:
            assert not six_word_runs("".join(cell["source"])) & ARTICLE_RUNS, (path.name, cell["source"])


def test_events_from_shusha_to_the_last_handover(data):
    ids = set(data.events["event_id"])
    assert {"shusha-taken", "statement-signed", "ceasefire-in-force-2020", "kalbajar-extension",
            "agdam-handover", "kalbajar-handover", "lachin-handover"} <= ids
