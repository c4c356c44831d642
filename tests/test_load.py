import pandas as pd
import pytest

import kb
from kb.package import default_data_dir

TABLES = ["sources", "places", "actors", "events", "terms", "deadlines", "quantities", "claims", "outcomes",
          "corridor", "changed_hands"]


def test_load_returns_every_table_as_a_dataframe(data):
    for name in TABLES:
        frame = data.tables[name]
        assert isinstance(frame, pd.DataFrame) and len(frame) > 0, name
        assert getattr(data, name) is frame
    assert list(data.tables) == TABLES


def test_the_tables_are_annotated_for_tools():
    from typing import get_type_hints

    hints = get_type_hints(kb.KB)
    assert all(hints[name] is pd.DataFrame for name in TABLES)


def test_a_table_the_package_lacks_is_explained(data):
    bare = kb.KB(data.package, {"events": data.events}, data.data_dir)
    with pytest.raises(AttributeError, match="this data package has no table 'claims'; it has: events"):
        _ = bare.claims
    assert list(data.tables) == TABLES


def test_loader_owns_dtypes(data):
    assert str(data.events["date_start"].dtype) == "datetime64[ns]"
    assert str(data.deadlines["revised_due"].dtype) == "datetime64[ns]"
    assert isinstance(data.events["event_type"].dtype, pd.CategoricalDtype)
    assert "transfer of territory" in data.events["event_type"].cat.categories
    assert all(isinstance(ids, list) for ids in data.events["source_ids"])
    assert all(isinstance(ids, list) for ids in data.places["aliases"])
    assert data.terms["point"].dtype == "int64"
    assert data.quantities["point"].dtype == "Int64"
    assert data.places["lat"].dtype == "float64"


def test_list_cells_split_on_semicolons(data):
    kalbajar = data.places.set_index("place_id").loc["kalbajar"]
    assert "Kelbajar" in kalbajar["aliases"]
    assert all(";" not in item for ids in data.events["place_ids"] for item in ids)


def test_events_carry_their_era(data):
    events = data.events.set_index("event_id")
    assert events.loc["statement-signed", "era"] == "2020 war and handovers"
    assert data.events["era"].cat.ordered
    assert data.events["era"].notna().all()


def test_load_with_a_path_reads_that_folder(data_dir):
    (data_dir / "claims.csv").write_text((data_dir / "claims.csv").read_text(encoding="utf-8")
                                         .splitlines()[0] + "\n", encoding="utf-8")
    assert len(kb.load(data_dir).claims) == 0
    assert len(kb.load(str(data_dir)).claims) == 0


def test_load_explains_a_wrong_argument():
    with pytest.raises(TypeError, match="path of a data folder"):
        kb.load(pd.DataFrame())


def test_default_data_is_the_checkout_data_folder():
    assert (default_data_dir() / "datapackage.json").is_file()


def test_describe_prints_the_data_dictionary(data, capsys):
    data.describe()
    out = capsys.readouterr().out
    for name in TABLES:
        assert f"## {name}:" in out
    assert "| `due` | date | yes |" in out
    assert "`transfer of territory`" in out


def test_describe_one_table(data, capsys):
    data.describe("deadlines")
    out = capsys.readouterr().out
    assert "## deadlines:" in out and "## events:" not in out
    with pytest.raises(kb.UnknownName, match="the tables are"):
        data.describe("deadline")


def test_repr_counts_rows(data):
    assert f"events ({len(data.events)})" in repr(data)
