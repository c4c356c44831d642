"""The basemap: country borders, districts, the NKAO outline and the 1994 line, read from ``basemap.geojson``.

The file is built at development time by ``tools/build_basemap.py`` (``make basemap``) from Natural Earth
data; here it is only read, with the standard library, and checked the way the tables are: a problem
raises :class:`kb.errors.DataError` naming the file, the feature (``row`` is its position, counting from 1)
and the property.

>>> import kb
>>> from kb.basemap import read_basemap
>>> basemap = read_basemap(kb.load().data_dir)
>>> basemap.area("district", "lachin")["properties"]["name"]
'Lachin'
"""
from __future__ import annotations

import functools
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import DataError

__all__ = ["BASEMAP", "KINDS", "Basemap", "check_basemap", "read_basemap", "rings", "basemap_resource"]

BASEMAP = "basemap.geojson"
# kind -> the geometry types it may have and the properties it needs
KINDS = {
    "country": (("Polygon", "MultiPolygon"), ("id", "name", "iso_a3")),
    "district": (("Polygon", "MultiPolygon"), ("id", "name", "place_id", "ne_id")),
    "held-1994": (("Polygon", "MultiPolygon"), ("id", "name", "derived")),
    "held-part": (("Polygon", "MultiPolygon"), ("id", "name", "place_id", "derived", "held_share")),
    "handed-over": (("Polygon", "MultiPolygon"), ("id", "name", "place_id", "derived")),
    "nkao-1991": (("Polygon", "MultiPolygon"), ("id", "name", "derived")),
    "line-1994": (("LineString", "MultiLineString"), ("id", "name")),
}


@dataclass(frozen=True)
class Basemap:
    """The features of the basemap, by kind; ``attribution`` is the credit a figure must carry."""

    features: tuple[dict, ...]
    attribution: str
    bbox: tuple[float, float, float, float]

    def of_kind(self, kind: str) -> list[dict]:
        """Every feature of one kind (see ``KINDS``), in file order."""
        return [f for f in self.features if f["properties"]["kind"] == kind]

    def area(self, kind: str, place_id: str) -> dict | None:
        """The feature of ``kind`` linked to ``place_id``, or None."""
        return next((f for f in self.of_kind(kind) if f["properties"].get("place_id") == place_id), None)

    def country_at(self, lon: float, lat: float) -> str | None:
        """The ``iso_a3`` code of the country polygon around a point, or None outside them all."""
        for feature in self.of_kind("country"):
            if any(_inside(lon, lat, polygon) for polygon in _polygons(feature["geometry"])):
                return feature["properties"]["iso_a3"]
        return None


def rings(geometry: dict) -> list[list[list[float]]]:
    """Every ring (exterior and holes) of a Polygon or MultiPolygon, or every line of a (Multi)LineString."""
    kind, coords = geometry["type"], geometry["coordinates"]
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    if kind == "LineString":
        return [coords]
    return list(coords)


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["coordinates"]
    return []


def _inside(lon: float, lat: float, polygon: Sequence) -> bool:
    """Even-odd rule over the polygon's rings (its holes count as outside)."""
    inside = False
    for ring in polygon:
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def basemap_resource(package: dict) -> dict | None:
    """The basemap's entry in a datapackage.json descriptor, or None if the package declares none."""
    return next((r for r in package.get("resources", []) if r.get("format") == "geojson"), None)


def _positions(geometry: dict) -> Iterable:
    kind, coords = geometry["type"], geometry["coordinates"]
    depth = {"LineString": 1, "MultiLineString": 2, "Polygon": 2, "MultiPolygon": 3}[kind]
    stack = [(coords, depth)]
    while stack:
        items, level = stack.pop()
        if not isinstance(items, list):
            raise ValueError("coordinates are not nested lists")
        if level == 0:
            yield items
        else:
            stack.extend((item, level - 1) for item in items)


def _check_feature(n: int, feature, file: str, place_ids: set | None) -> list[DataError]:
    def problem(message: str, column: str | None = None, value: object = None) -> DataError:
        return DataError(message, file=file, row=n, column=column, value=value)

    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        return [problem('expected a GeoJSON Feature ({"type": "Feature", ...})')]
    props, geometry = feature.get("properties"), feature.get("geometry")
    if not isinstance(props, dict):
        return [problem("expected an object of properties", "properties")]
    kind = props.get("kind")
    if kind not in KINDS:
        return [problem(f"unknown kind {kind!r}; expected one of: {', '.join(KINDS)}", "kind", kind)]
    types, required = KINDS[kind]
    found = [problem(f"a value is required for a {kind}", name) for name in required
             if props.get(name) in (None, "")]
    if place_ids is not None and "place_id" in props and props["place_id"] not in place_ids:
        found.append(problem(f"no place has the id {props['place_id']!r}; expected an id from places.csv",
                             "place_id", props["place_id"]))
    if not isinstance(geometry, dict) or geometry.get("type") not in types:
        got = geometry.get("type") if isinstance(geometry, dict) else geometry
        return found + [problem(f"a {kind} needs geometry of type {' or '.join(types)}; got {got!r}",
                                "geometry", got)]
    try:
        positions = list(_positions(geometry))
    except (ValueError, TypeError, KeyError):
        return found + [problem("coordinates are not nested as the geometry type needs", "geometry")]
    for position in positions:
        ok = (isinstance(position, list) and len(position) == 2
              and all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) for v in position))
        if not ok or not (-180 <= position[0] <= 180 and -90 <= position[1] <= 90):
            found.append(problem(f"coordinate {position!r} is not a [longitude, latitude] pair within "
                                 "[-180, 180] and [-90, 90]", "geometry", position))
            break
    if geometry["type"].endswith("Polygon"):
        for ring in rings(geometry):
            if len(ring) < 4 or ring[0] != ring[-1]:
                found.append(problem("each ring needs at least 4 positions, the last equal to the first",
                                     "geometry"))
                break
    return found


def check_basemap(data_dir: Path, resource: dict, place_ids: Iterable[str] | None) -> list[DataError]:
    """Every problem in the basemap file that ``resource`` declares; ``place_ids`` from places.csv (or None)."""
    file = resource.get("path", BASEMAP)
    try:
        collection = json.loads((Path(data_dir) / file).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return [DataError("file is missing", file=file)]
    except UnicodeDecodeError as exc:
        return [DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=file)]
    except json.JSONDecodeError as exc:
        return [DataError(f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})", file=file)]
    if not isinstance(collection, dict) or collection.get("type") != "FeatureCollection" \
            or not isinstance(collection.get("features"), list):
        return [DataError('expected a GeoJSON FeatureCollection with a "features" list', file=file)]
    ids = set(place_ids) if place_ids is not None else None
    problems = [p for n, f in enumerate(collection["features"], start=1) for p in _check_feature(n, f, file, ids)]
    seen: dict[str, int] = {}
    for n, feature in enumerate(collection["features"], start=1):
        fid = feature.get("properties", {}).get("id") if isinstance(feature, dict) else None
        if isinstance(fid, str) and fid in seen:
            problems.append(DataError(f"duplicate id {fid!r}: feature {seen[fid]} has it already", file=file,
                                      row=n, column="id", value=fid))
        elif isinstance(fid, str):
            seen[fid] = n
    if not isinstance(collection.get("attribution"), str) or not collection["attribution"]:
        problems.append(DataError("the collection needs an attribution (Made with Natural Earth)", file=file,
                                  column="attribution"))
    return problems


@functools.lru_cache(maxsize=4)
def _read(path: Path, mtime: float) -> Basemap:
    collection = json.loads(path.read_text(encoding="utf-8"))
    box = collection.get("bbox") or [-180, -90, 180, 90]
    return Basemap(tuple(collection["features"]), collection.get("attribution", ""),
                   (box[0], box[1], box[2], box[3]))


def read_basemap(data_dir: str | Path) -> Basemap | None:
    """The basemap of a data folder (``kb.load()`` has checked it), or None if the folder has none."""
    path = Path(data_dir) / BASEMAP
    if not path.is_file():
        return None
    return _read(path, path.stat().st_mtime)
