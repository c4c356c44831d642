"""The basemap: what it holds, and a clear DataError naming the file, feature and property when it is wrong."""
import json
import shutil
from pathlib import Path

import pytest

import kb
from kb.basemap import KINDS, read_basemap
from kb.package import default_data_dir

DATA = default_data_dir()


def test_the_shipped_basemap_is_small_and_credits_natural_earth():
    path = DATA / "basemap.geojson"
    assert path.stat().st_size < 1_000_000
    basemap = read_basemap(DATA)
    assert basemap.attribution.startswith("Made with Natural Earth")
    resource = next(r for r in kb.load().package["resources"] if r["name"] == "basemap")
    assert "Natural Earth" in resource["licenses"][0]["title"]


def test_it_holds_the_countries_districts_and_lines_of_the_course():
    basemap = read_basemap(DATA)
    countries = {f["properties"]["name"] for f in basemap.of_kind("country")}
    assert {"Armenia", "Azerbaijan", "Georgia", "Iran", "Turkey"} <= countries
    azerbaijan = next(f for f in basemap.of_kind("country") if f["properties"]["iso_a3"] == "AZE")
    assert azerbaijan["geometry"]["type"] == "MultiPolygon"  # the mainland and Nakhchivan
    districts = {f["properties"]["place_id"] for f in basemap.of_kind("district")}
    assert {"agdam", "kalbajar", "lachin"} <= districts
    assert basemap.of_kind("nkao-1991") and basemap.of_kind("line-1994")
    part = basemap.area("held-part", "agdam")
    assert part is not None and 0.5 < part["properties"]["held_share"] < 1


def test_lachin_is_named_by_the_project_not_by_natural_earth():
    lachin = read_basemap(DATA).area("district", "lachin")
    assert lachin["properties"]["name"] == "Lachin" and lachin["properties"]["ne_id"] == 1159309399


def test_no_gadm_derived_columns_are_shipped():
    text = (DATA / "basemap.geojson").read_text(encoding="utf-8")
    assert "type_en" not in text and "valid_from" not in text


def test_towns_fall_in_their_country():
    data = kb.load()
    basemap = read_basemap(DATA)
    for name, country in [("Goris", "ARM"), ("Yerevan", "ARM"), ("Ganja", "AZE"), ("Agdam", "AZE")]:
        row = data.place(name)
        assert basemap.country_at(row["lon"], row["lat"]) == country, name


@pytest.fixture
def package(tmp_path) -> Path:
    for path in DATA.iterdir():
        if path.is_file():
            shutil.copy(path, tmp_path / path.name)
    return tmp_path


def corrupt(folder: Path, change) -> None:
    path = folder / "basemap.geojson"
    collection = json.loads(path.read_text(encoding="utf-8"))
    change(collection)
    path.write_text(json.dumps(collection), encoding="utf-8")


def feature(collection, kind):
    return next(f for f in collection["features"] if f["properties"]["kind"] == kind)


CORRUPTIONS = {
    "unknown place": (lambda c: feature(c, "district")["properties"].update(place_id="atlantis"), "place_id",
                      "no place has the id 'atlantis'"),
    "latitude out of range": (lambda c: feature(c, "district")["geometry"]["coordinates"][0].__setitem__(
        1, [46.0, 95.0]), "geometry", "within"),
    "line as a district": (lambda c: feature(c, "district").update(
        geometry={"type": "LineString", "coordinates": [[46, 40], [47, 40]]}), "geometry", "Polygon or MultiPolygon"),
    "missing name": (lambda c: feature(c, "country")["properties"].pop("name"), "name", "a value is required"),
    "unknown kind": (lambda c: feature(c, "country")["properties"].update(kind="ocean"), "kind", "unknown kind"),
}


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_a_bad_feature_is_reported_by_file_feature_and_property(package, name):
    change, column, message = CORRUPTIONS[name]
    corrupt(package, change)
    with pytest.raises(kb.DataError) as caught:
        kb.load(package)
    problem = next(p for p in caught.value.problems if p.file == "basemap.geojson")
    assert problem.column == column and problem.row >= 1
    assert message in problem.message


def test_a_missing_or_broken_basemap_file_is_reported(package):
    (package / "basemap.geojson").write_text("{not json", encoding="utf-8")
    with pytest.raises(kb.DataError, match="basemap.geojson: invalid JSON"):
        kb.load(package)
    (package / "basemap.geojson").unlink()
    with pytest.raises(kb.DataError, match="basemap.geojson"):
        kb.load(package)


def test_every_kind_has_geometry_types_and_required_properties():
    for kind, (types, required) in KINDS.items():
        assert types and "id" in required and "name" in required, kind
