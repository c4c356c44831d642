"""Maps on the basemap: the handover map (also the day slider's), its small multiples, and what changed hands.

Everything geographic comes from ``data/basemap.geojson`` (Natural Earth, approximate to a few km) and the
tables; the figures draw a frame of data (:mod:`kb.frames`) and never look places up by name.
"""
from __future__ import annotations

import math
import textwrap

import pandas as pd

from ..base import STATUS, as_day, format_day
from ..basemap import Basemap, read_basemap, rings
from ..frames import LABEL_RULE, figure_labels, status_frame
from ._style import BLACK, BLUE, GREEN, GREY, ORANGE, PURPLE, SKY, VERMILION, new_figure, styled

__all__ = ["StatusMap", "map", "status_small_multiples", "what_changed_hands", "draw_status_map",
           "draw_changed_hands", "MAIN_FRAME", "ZOOM_FRAME", "AREA_STYLE", "OUTCOME_STYLE"]

MAIN_FRAME = (45.45, 47.55, 38.95, 40.55)  # lon from, lon to, lat from, lat to
ZOOM_FRAME = (45.85, 47.35, 39.4, 40.45)
HANDOVER_DAYS = ("2020-11-10", "2020-11-20", "2020-11-25", "2020-12-01")
# Fill and hatching by status: colour and pattern, so a status never rests on colour alone.
AREA_STYLE = {STATUS[0]: (SKY, ""), STATUS[1]: (ORANGE, "///"), STATUS[2]: (GREEN, "..")}
UNDATED = (BLUE, "")  # a handover district on a map without a day
OUTCOME_STYLE = {
    "taken in the war": (VERMILION, "\\\\\\"),
    "partly taken in the war": ("#F3B58F", "\\\\"),
    "returned under the statement": (GREEN, ".."),
    "stayed under Armenian control": (ORANGE, "///"),
}
COUNTRY_FILL = {"AZE": "#F6F1E4", "ARM": "#E6E3F1"}  # the two parties; their neighbours in OTHER_FILL
OTHER_FILL = "#ECECEC"
# Marker and fill of a town by the country it lies in, so a reader sees which towns are in Armenia.
TOWN_STYLE = {"AZE": ("o", BLACK), "ARM": ("D", "white")}
TOWN_KINDS = ("city", "town", "village")
COUNTRY_NAMES = {"ARM": "ARMENIA", "AZE": "AZERBAIJAN", "IRN": "IRAN", "GEO": "GEORGIA", "TUR": "TURKEY",
                 "RUS": "RUSSIA"}
CORRIDOR_STYLE = {"lachin-road-2020": (0, (5, 2)), "lachin-bypass-2022": (0, (1, 1.5))}
HALO: list = []  # filled on first use: a white outline that keeps labels legible over lines and hatching
MAP_CAPTION = ("Boundaries from Natural Earth (public domain), approximate at this scale (a few km); the corridor "
               "is a schematic line through the places it ran by. ")


# --- geometry helpers -------------------------------------------------------------------------------

def _path(geometry: dict):
    from matplotlib.path import Path

    verts, codes = [], []
    for ring in rings(geometry):
        verts += ring
        codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 2) + [Path.CLOSEPOLY]
    return Path(verts, codes)


def _area(ax, geometry: dict, **style):
    from matplotlib.patches import PathPatch

    # add_artist, not add_patch: the view is fixed, so there are no data limits to update (a third of the time)
    return ax.add_artist(PathPatch(_path(geometry), **style))


def _lines(ax, geometry: dict, **style) -> list:
    return [ax.plot(*zip(*line, strict=False), **style)[0] for line in rings(geometry)]


def _label_point(geometry: dict) -> tuple[float, float]:
    """The centroid of the polygon's largest outer ring (good enough inside these compact districts)."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    best, best_area = (0.0, 0.0), -1.0
    for polygon in polygons:
        ring = polygon[0]
        a = cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:], strict=False):
            cross = x0 * y1 - x1 * y0
            a, cx, cy = a + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
        if abs(a) > best_area:
            best, best_area = (cx / (3 * a), cy / (3 * a)), abs(a)
    return best


def _coslat(frame) -> float:
    return math.cos(math.radians((frame[2] + frame[3]) / 2))


def _basemap(data) -> Basemap:
    basemap = read_basemap(data.data_dir)
    if basemap is None:
        raise FileNotFoundError(f"no basemap.geojson in {data.data_dir}: maps need it (make basemap builds it)")
    return basemap


# --- layers ------------------------------------------------------------------------------------------

def _frame_axes(ax, frame) -> None:
    ax.set_xlim(frame[0], frame[1])
    ax.set_ylim(frame[2], frame[3])
    ax.set_aspect(1 / _coslat(frame))
    ax.set_xticks([])
    ax.set_yticks([])
    ax.spines[:].set_visible(True)
    ax.spines[:].set_color(GREY)
    ax.set_facecolor(OTHER_FILL)


def _countries(ax, basemap: Basemap, labels_in=None, size=12) -> None:
    for feature in basemap.of_kind("country"):
        code = feature["properties"]["iso_a3"]
        _area(ax, feature["geometry"], facecolor=COUNTRY_FILL.get(code, OTHER_FILL), edgecolor="#555555",
              lw=1.4, zorder=1)
    if labels_in is None:
        return
    x0, x1, y0, y1 = labels_in
    for code, name in COUNTRY_NAMES.items():
        spot = _country_label_spot(basemap, code, labels_in)
        if spot is not None and x0 < spot[0] < x1 and y0 < spot[1] < y1:
            ax.text(*spot, name, ha="center", va="center", fontsize=size, color="#8A8A8A", fontweight="bold",
                    zorder=2, clip_on=True).set_in_layout(False)


_SPOTS: dict = {}


def _country_label_spot(basemap: Basemap, code: str, frame) -> tuple[float, float] | None:
    key = (id(basemap.features), code, tuple(frame))
    if key not in _SPOTS:
        _SPOTS[key] = _find_label_spot(basemap, code, frame)
    return _SPOTS[key]


def _find_label_spot(basemap: Basemap, code: str, frame) -> tuple[float, float] | None:
    """A point well inside the country within ``frame``: the first of a coarse grid, searched from the
    frame's edges inwards, that lies in the country and away from the frame's edge."""
    x0, x1, y0, y1 = frame
    candidates = [(x0 + (x1 - x0) * i / 8, y0 + (y1 - y0) * j / 8) for j in range(1, 8) for i in range(1, 8)]
    inside = [p for p in candidates if basemap.country_at(*p) == code]
    if not inside:
        return None
    # the middle one of those inside: central, and stable from run to run
    inside.sort(key=lambda p: (round(p[1], 6), round(p[0], 6)))
    return inside[len(inside) // 2]


def _context(ax, basemap: Basemap, kinds=("nkao-1991", "line-1994")) -> None:
    if "nkao-1991" in kinds:
        for feature in basemap.of_kind("nkao-1991"):
            _area(ax, feature["geometry"], facecolor="none", edgecolor=BLACK, lw=1.6, ls=(0, (6, 2, 1, 2)),
                  zorder=6)
    if "line-1994" in kinds:
        for feature in basemap.of_kind("line-1994"):
            _lines(ax, feature["geometry"], color=VERMILION, lw=2.6, zorder=7, solid_capstyle="round")


def _district_outlines(ax, basemap: Basemap) -> None:
    for feature in basemap.of_kind("district"):
        _area(ax, feature["geometry"], facecolor="none", edgecolor="#9A9A9A", lw=0.8, zorder=3)


def _in_use(route, day) -> bool:
    return route.in_use_from <= day and (pd.isna(route.in_use_to) or day <= route.in_use_to)


def _corridor(ax, data, days) -> dict:
    """The corridor's routes in use on any of ``days`` (all of them if None), as schematic lines by route id."""
    places = data.places.set_index("place_id")
    lines = {}
    for route in data.corridor.itertuples(index=False):
        if days is not None and not any(_in_use(route, day) for day in days):
            continue
        via = [p for p in route.via if p in places.index]
        (lines[route.route_id],) = ax.plot(places.loc[via, "lon"], places.loc[via, "lat"], color=PURPLE, lw=3,
                                           ls=CORRIDOR_STYLE.get(route.route_id, "--"), zorder=8,
                                           solid_capstyle="round")
    return lines


def _scale_bar(ax, frame, km: int = 20) -> None:
    from mpl_toolkits.axes_grid1.anchored_artists import AnchoredSizeBar

    length = km / (111.32 * _coslat(frame))
    ax.add_artist(AnchoredSizeBar(ax.transData, length, f"{km} km", "lower right", frameon=False, size_vertical=0.008,
                                  color=BLACK, fontproperties={"size": 12}, pad=0.6))


def _towns(data, basemap: Basemap, frame, keep=None) -> pd.DataFrame:
    """The towns in ``frame`` with their figure labels and the country each lies in (by the basemap)."""
    places = data.places
    towns = places[places["kind"].astype(str).isin(TOWN_KINDS)
                   & places["lon"].between(frame[0], frame[1]) & places["lat"].between(frame[2], frame[3])]
    if keep is not None:
        towns = towns[towns["place_id"].isin(keep)]
    labels = figure_labels(places)
    return towns.assign(label=towns["place_id"].map(labels),
                        country=[_country_of(places, row, basemap) for row in towns.itertuples(index=False)],
                        rank=towns["kind"].astype(str).map({"city": 0, "town": 1, "village": 2})).sort_values(
                            ["rank", "place_id"])


COUNTRY_PLACES = {"armenia": "ARM", "azerbaijan": "AZE"}


def _country_of(places: pd.DataFrame, row, basemap: Basemap) -> str | None:
    """The country a place is in, by the data's ``part_of`` chain (Kornidzor, on the border, is in Armenia
    although Natural Earth's line, a few km off, puts it outside); by the basemap where the chain stops short."""
    parent = places.set_index("place_id")["part_of"]
    seen, place = set(), row.place_id
    while isinstance(place, str) and place and place not in seen:
        if place in COUNTRY_PLACES:
            return COUNTRY_PLACES[place]
        seen.add(place)
        place = parent.get(place)
    return basemap.country_at(row.lon, row.lat)


def _draw_towns(ax, towns: pd.DataFrame) -> list:
    points = []
    for row in towns.itertuples(index=False):
        marker, fill = TOWN_STYLE.get(row.country, ("^", GREY))
        size = {0: 9, 1: 7.5, 2: 6}[row.rank]
        ax.plot([row.lon], [row.lat], marker=marker, ms=size, mfc=fill, mec=BLACK, mew=1.3, ls="none", zorder=9)
        points.append((row.lon, row.lat, row.label, row.rank < 2, size))
    return points


# --- labels that avoid each other, measured on the rendered figure -----------------------------------

def _overlaps(a, b, pad=1.0) -> bool:
    return not (a.x1 + pad < b.x0 or b.x1 + pad < a.x0 or a.y1 + pad < b.y0 or b.y1 + pad < a.y0)


def _settle(fig) -> None:
    """Run the layout engine now, so that measured extents are where the figure will draw them."""
    engine = fig.get_layout_engine()
    if engine is not None:
        engine.execute(fig)
    for ax in fig.axes:
        ax.apply_aspect()  # a fixed aspect shrinks the axes only when drawn; measure after it has


def _halo() -> list:
    if not HALO:
        from matplotlib import patheffects

        HALO.append(patheffects.withStroke(linewidth=3, foreground="white"))
    return HALO


def place_labels(ax, points, taken=(), size=12) -> list:
    """Label points beside their markers where a label overlaps no other label, marker or ``taken`` box and
    stays inside the axes; a minor point whose label fits nowhere keeps its marker only.

    ``points``: (x, y, text, must, marker size in points), most important first. Returns the annotations."""
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    scale = ax.figure.dpi / 72
    boxes = list(taken)
    for x, y, _, _, ms in points:
        px, py = ax.transData.transform((x, y))
        r = ms / 2 * scale
        boxes.append(Bbox([[px - r, py - r], [px + r, py + r]]))
    placed = []
    for x, y, text, _must, ms in points:
        g = ms / 2 + 3
        options = [((g, 0), "left", "center"), ((-g, 0), "right", "center"), ((0, g), "center", "bottom"),
                   ((0, -g), "center", "top"), ((g, g), "left", "bottom"), ((g, -g), "left", "top"),
                   ((-g, g), "right", "bottom"), ((-g, -g), "right", "top")]
        chosen = None
        for offset, ha, va in options:
            note = ax.annotate(text, (x, y), xytext=offset, textcoords="offset points", ha=ha, va=va,
                               fontsize=size, zorder=10, annotation_clip=False, path_effects=_halo())
            note.set_in_layout(False)
            box = note.get_window_extent(renderer)
            inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
            if inside and not any(_overlaps(box, other) for other in boxes):
                chosen = (note, box)
                break
            note.remove()
        if chosen is not None:
            boxes.append(chosen[1])
            placed.append(chosen[0])
    return placed


# --- the status map (the gallery's map and the day slider's) ----------------------------------------

class StatusMap:
    """The handover map on one axes: country borders, districts, the NKAO outline, the 1994 line, the
    corridor, towns, a scale bar and (``detail``) a locator inset and town labels.

    ``update(frame)`` restyles the three districts and rewrites their labels and the title for another day
    (a frame from :func:`kb.frames.status_frame`) without drawing anything anew.
    """

    def __init__(self, ax, data, frame: pd.DataFrame | None, view=MAIN_FRAME, detail=True, title=True, days=None):
        self.ax, self.view, self.detail = ax, view, detail
        basemap = _basemap(data)
        self.basemap = basemap
        _frame_axes(ax, view)
        _countries(ax, basemap, labels_in=view if detail else None)
        _district_outlines(ax, basemap)
        self.areas: dict = {}
        self.labels: dict = {}
        handed = frame if frame is not None else _undated_frame(data)
        for row in handed.itertuples(index=False):
            feature = basemap.area("handed-over", row.place_id) or basemap.area("district", row.place_id)
            if feature is None:
                continue
            self.areas[row.place_id] = _area(ax, feature["geometry"], facecolor=BLUE, edgecolor=BLACK, lw=1.4,
                                             zorder=4)
            x, y = _label_point(feature["geometry"])
            text = ax.text(x, y, "", ha="center", va="center", fontsize=12 if detail else 11, zorder=11,
                           fontweight="bold", bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                                                    "alpha": 0.85})
            text.set_in_layout(False)
            self.labels[row.place_id] = text
        _context(ax, basemap)
        self.day = None if frame is None else frame["day"].iloc[0] if len(frame) else None
        # every route in use on a day this map will show (``days``, or its own day); update() shows the day's
        self._routes = data.corridor.set_index("route_id")
        self.route_lines = _corridor(ax, data, days if days is not None else
                                     None if self.day is None else [self.day])
        keep = None if detail else {"stepanakert", "goris", "lachin-town", "shusha"}
        towns = _towns(data, basemap, view, keep)
        self.towns = towns
        self.points = _draw_towns(ax, towns)
        _scale_bar(ax, view)
        self.title = ax.set_title("") if title else None
        self.inset = _locator(ax, basemap, view) if detail else None
        self.update(handed, dated=frame is not None)

    @property
    def routes(self) -> list[str]:
        """The ids of the corridor routes drawn."""
        return list(self.route_lines)

    def update(self, frame: pd.DataFrame, dated: bool = True) -> None:
        """Show another day: face colour, hatching and label of each district, the corridor routes in use that
        day, and the title."""
        for row in frame.itertuples(index=False):
            if row.place_id not in self.areas:
                continue
            colour, hatch = AREA_STYLE[row.status] if dated else UNDATED
            self.areas[row.place_id].set_facecolor(colour)
            self.areas[row.place_id].set_hatch(hatch)
            self.labels[row.place_id].set_text(f"{_short(row.label)}\n{row.note}".strip())
        day = frame["day"].iloc[0] if dated and len(frame) else None
        for route_id, line in self.route_lines.items():
            line.set_visible(day is None or _in_use(self._routes.loc[route_id], day))
        if self.title is not None:
            self.title.set_text("The handover districts" + (f" on {format_day(day)}" if day is not None else
                                                            ": deadlines as signed"))

    def label_towns(self) -> list:
        """Label the towns where they fit (run once the figure's layout is settled)."""
        renderer = self.ax.figure.canvas.get_renderer()
        taken = [t.get_window_extent(renderer) for t in self.labels.values()]
        taken += [t.get_window_extent(renderer) for t in self.ax.texts if t not in self.labels.values()]
        if self.inset is not None:
            taken.append(self.inset.get_window_extent(renderer))
        points = self.points if self.detail else [p for p in self.points]
        return place_labels(self.ax, points, taken, size=12 if self.detail else 11)


def _short(label: str) -> str:
    return label if len(label) <= 26 else textwrap.shorten(label, 26, placeholder="…")


def _undated_frame(data) -> pd.DataFrame:
    d = data.deadlines
    labels = figure_labels(data.places)
    notes = [f"due {format_day(r.due, year=False)}" + (f", moved to {format_day(r.revised_due, year=False)}"
                                                      if pd.notna(r.revised_due) else "") for r in d.itertuples()]
    return pd.DataFrame({"place_id": d["place_id"], "label": d["place_id"].map(labels), "status": STATUS[1],
                         "note": notes})


def _locator(ax, basemap: Basemap, view):
    """A small map of the whole basemap, the main map's frame drawn on it, inset at the lower left."""
    from matplotlib.patches import Rectangle

    inset = ax.inset_axes((0.0, 0.0, 0.3, 0.3))
    box = basemap.bbox
    frame = (box[0], box[2], box[1], box[3])
    _frame_axes(inset, frame)
    _countries(inset, basemap)
    for code, name in COUNTRY_NAMES.items():
        spot = _country_label_spot(basemap, code, frame)
        if spot is not None:
            inset.text(*spot, name.title() if code != "AZE" else "Azerb.", ha="center", va="center", fontsize=8,
                       color="#555555", clip_on=True).set_in_layout(False)
    inset.add_patch(Rectangle((view[0], view[2]), view[1] - view[0], view[3] - view[2], fc="none", ec=VERMILION,
                              lw=1.8, zorder=5))
    inset.set_zorder(20)
    return inset


def _nkao_handle():
    from matplotlib.lines import Line2D

    return Line2D([], [], color=BLACK, lw=1.6, ls=(0, (6, 2, 1, 2)), label="Nagorno-Karabakh\nAutonomous Oblast, 1991")


def _legend_handles(routes, dated: bool, towns: pd.DataFrame, data) -> list:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    handles: list = []
    if dated:
        for status in STATUS[1:]:
            colour, hatch = AREA_STYLE[status]
            handles.append(Patch(facecolor=colour, hatch=hatch, edgecolor=BLACK, label=status))
    else:
        handles.append(Patch(facecolor=UNDATED[0], edgecolor=BLACK, label="to be handed over\n(held since the 1990s)"))
    handles += [_nkao_handle(),
                Line2D([], [], color=VERMILION, lw=2.6, label="line of contact, 1994")]
    names = dict(zip(data.corridor["route_id"], data.corridor["name"], strict=False))
    for route in routes:
        handles.append(Line2D([], [], color=PURPLE, lw=3, ls=CORRIDOR_STYLE.get(route, "--"),
                              label=textwrap.fill(f"{names[route]} (schematic)", 26)))
    for code, country in (("AZE", "Azerbaijan"), ("ARM", "Armenia")):
        if (towns["country"] == code).any():
            marker, fill = TOWN_STYLE[code]
            handles.append(Line2D([], [], marker=marker, mfc=fill, mec=BLACK, mew=1.3, ms=8, ls="none",
                                  label=f"town in {country}"))
    return handles


def draw_status_map(ax, data, day=None, view=MAIN_FRAME, detail=True, days=None) -> StatusMap:
    """Draw the handover map on ``ax``: with ``day``, each district filled by who held it that day.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    data : kb.KB
        The loaded data.
    day : str or date, optional
        The day shown; without one, the districts with their deadlines as signed.
    view : tuple
        (lon from, lon to, lat from, lat to) of the map.
    detail : bool
        Town labels and the locator inset (the small multiples leave them out).
    days : list of dates, optional
        Every day the map will be updated to (a day slider's): each corridor route in use on one of them is
        drawn, and shown on its own days; by default, the routes of ``day``.

    Returns
    -------
    StatusMap
        The drawn map; its ``ax`` is ``ax`` and ``update(frame)`` shows another day.
    """
    frame = status_frame(data, day) if day is not None else None
    return StatusMap(ax, data, frame, view=view, detail=detail, days=days)


def _caption(fig, text: str) -> None:
    fig.supxlabel(textwrap.fill(text, 150), x=0.01, ha="left", fontsize=11, color=GREY)


def status_figure(data, day=None, figsize=(13, 8.5), days=None) -> tuple:
    """The figure of :func:`map` and the StatusMap on it, for the day slider to update in place (``days`` as
    in :func:`draw_status_map`)."""
    fig = new_figure(*figsize)
    ax = fig.add_subplot()
    status = draw_status_map(ax, data, day, days=days)
    fig.legend(handles=_legend_handles(status.routes, day is not None, status.towns, data),
               loc="outside right upper", frameon=False, labelspacing=1.0)
    _caption(fig, MAP_CAPTION + LABEL_RULE)
    _settle(fig)
    status.label_towns()
    return fig, status


@styled
def map(data, day=None, figsize=(13, 8.5)):  # noqa: A001 - the course calls it kb.plots.map
    """The handover map: borders, districts (filled by who held them on ``day``), the NKAO outline, the 1994
    line, the corridor and towns, with a scale bar and a locator inset.

    Parameters
    ----------
    data : kb.KB
        The loaded data.
    day : str or date, optional
        The day shown ('2020-11-21'); without one, the deadlines as signed.
    figsize : tuple
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    day = as_day(day, "day") if day is not None else None
    fig, _ = status_figure(data, day, figsize)
    from . import figure_spec

    fig.alt = figure_spec("map").alt + (f" Shown as of {format_day(day, long=True)}." if day is not None else "")
    return fig


@styled
def status_small_multiples(data, days=HANDOVER_DAYS, figsize=None):
    """The districts on each of ``days``, one small map a day, filled by who held them.

    Parameters
    ----------
    data : kb.KB
        The loaded data.
    days : sequence of str or date
        The days shown, in order.
    figsize : tuple, optional
        Width and height in inches (by default 12 wide, 4.6 high a row of two).

    Returns
    -------
    matplotlib.figure.Figure
    """
    days = [as_day(d, "day") for d in days]
    columns = 2 if len(days) > 1 else 1
    rows = math.ceil(len(days) / columns)
    fig = new_figure(*(figsize or (12, 4.6 * rows + 1.4)))
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    fig.suptitle("Who held the three districts, day by day", x=0.01, ha="left")
    maps = []
    for ax, day in zip(axes, days, strict=False):
        status = StatusMap(ax, data, status_frame(data, day), view=ZOOM_FRAME, detail=False, title=False)
        ax.set_title(format_day(day), loc="center")
        maps.append(status)
    for ax in axes[len(days):]:
        ax.set_visible(False)
    handles = _legend_handles(maps[0].routes if maps else [], True, maps[0].towns if maps else pd.DataFrame(
        {"country": []}), data)
    # the caption heads the legend: a figure-level label and an outside legend would share the bottom margin
    legend = fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False,
                        title=MAP_CAPTION.strip(), title_fontsize=11)
    legend.get_title().set_color(GREY)
    _settle(fig)
    for status in maps:
        status.label_towns()
    from . import figure_spec

    fig.alt = figure_spec("status_small_multiples").alt
    return fig


# --- what changed hands in 2020 ---------------------------------------------------------------------

def announced_towns(data) -> pd.DataFrame:
    """Towns announced taken in the 2020 war, from ``events``: the town, the day, who announced it."""
    from ..base import ERAS

    events = data.events
    war = events[(events["event_type"].astype(str) == "offensive") & (events["era"] == ERAS[3][0])]
    kinds = data.places.set_index("place_id")["kind"].astype(str)
    people = data.actors[data.actors["kind"].astype(str) == "person"].set_index("actor_id")["name"]
    labels = figure_labels(data.places)
    rows: list[dict] = []
    for event in war.itertuples(index=False):
        town = next((p for p in event.place_ids if kinds.get(p) in TOWN_KINDS), None)
        if town is None:
            continue
        if any(r["place_id"] == town for r in rows):
            continue  # a town is marked once, on the day it was first announced taken
        who = next((people[a] for a in event.actor_ids if a in people.index), None)
        rows.append({"place_id": town, "label": labels[town], "day": event.date_start, "announced_by": who,
                     "event_id": event.event_id})
    return pd.DataFrame(rows, columns=["place_id", "label", "day", "announced_by", "event_id"])


def draw_changed_hands(ax, data, view=MAIN_FRAME):
    """Draw what changed hands in 2020 on ``ax``: each district held since the first war, by its outcome
    (``changed_hands``), and the towns announced taken, with their days.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    data : kb.KB
        The loaded data.
    view : tuple
        (lon from, lon to, lat from, lat to) of the map.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    basemap = _basemap(data)
    _frame_axes(ax, view)
    _countries(ax, basemap, labels_in=view)
    _district_outlines(ax, basemap)
    for row in data.changed_hands.itertuples(index=False):
        returned = row.outcome == "returned under the statement"
        feature = (basemap.area("handed-over", row.place_id) if returned else None) \
            or basemap.area("held-part", row.place_id) or basemap.area("district", row.place_id)
        if feature is None:
            continue
        colour, hatch = OUTCOME_STYLE[str(row.outcome)]
        _area(ax, feature["geometry"], facecolor=colour, hatch=hatch, edgecolor=BLACK, lw=1.2, zorder=4)
    _context(ax, basemap)
    towns = announced_towns(data)
    places = data.places.set_index("place_id")
    for row in towns.itertuples(index=False):
        ax.plot(places.loc[row.place_id, "lon"], places.loc[row.place_id, "lat"], marker="v", ms=10, mfc=VERMILION,
                mec=BLACK, ls="none", zorder=9)
    _scale_bar(ax, view)
    ax.set_title("What changed hands in 2020")
    return ax


@styled
def what_changed_hands(data, figsize=(13, 8.5)):
    """Districts held since the first war, by what became of them in 2020, and the towns announced taken.

    Parameters
    ----------
    data : kb.KB
        The loaded data.
    figsize : tuple
        Width and height in inches.

    Returns
    -------
    matplotlib.figure.Figure
    """
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    fig = new_figure(*figsize)
    ax = fig.add_subplot()
    draw_changed_hands(ax, data)
    towns = announced_towns(data)
    who = sorted({w for w in towns["announced_by"] if isinstance(w, str)})
    handles: list = [Patch(facecolor=c, hatch=h, edgecolor=BLACK, label=o) for o, (c, h) in OUTCOME_STYLE.items()]
    handles += [Line2D([], [], marker="v", ms=10, mfc=VERMILION, mec=BLACK, ls="none",
                       label=textwrap.fill("town announced taken, with the day" + (f" (announced by {', '.join(who)})"
                                                                                 if who else ""), 28)),
                _nkao_handle(),
                Line2D([], [], color=VERMILION, lw=2.6, label="line of contact, 1994")]
    fig.legend(handles=handles, loc="outside right upper", frameon=False, labelspacing=1.0)
    _caption(fig, "District level, from changed_hands.csv and events.csv: a district held only in part shows its "
                  "held part; of the districts returned, the part inside the old NKAO outline stayed under Armenian "
                  "control. " + MAP_CAPTION + LABEL_RULE)
    _settle(fig)
    places = data.places.set_index("place_id")
    points = [(places.loc[r.place_id, "lon"], places.loc[r.place_id, "lat"],
               f"{r.label}, {format_day(r.day, year=False)}", True, 10) for r in towns.itertuples(index=False)]
    renderer = fig.canvas.get_renderer()
    place_labels(ax, points, [t.get_window_extent(renderer) for t in ax.texts])
    from . import figure_spec

    fig.alt = figure_spec("what_changed_hands").alt
    return fig
