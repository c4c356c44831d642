"""Every figure of the course, drawn from a KB; ``write_all`` regenerates them all, byte for byte.

    import kb, kb.plots
    data = kb.load()
    kb.plots.map(data, day="2020-11-20")     # a matplotlib Figure; a notebook shows it

Each function takes a KB (and a day or a window where that makes sense) and returns a
``matplotlib.figure.Figure``: nothing is shown, nothing touches pyplot's global state, and the
course's style (fonts for a projected slide, the Okabe-Ito colour-blind-safe palette) applies only
while the figure is drawn. ``FIGURES`` lists every figure with its title, description and alt text;
``write_all`` (``make figures``) writes them and the gallery ``figures/README.md`` from that list.

Maps are drawn from the coordinates in ``places`` only: points in longitude/latitude, no tiles, no
borders and no front lines, because the data holds none.
"""
from __future__ import annotations

import contextlib
import functools
import math
import os
import textwrap
from pathlib import Path
from typing import Callable, NamedTuple

import pandas as pd

from .base import ERAS, STATUS, as_day
from .names import fold

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY, LIGHT = "#6E6E6E", "#DDDDDD"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, YELLOW, BLACK)
ERA_COLOURS = (PURPLE, VERMILION, BLUE, ORANGE, GREEN)
# Colour and marker together, so status never rests on colour alone.
STATUS_STYLE = {STATUS[0]: (SKY, "s"), STATUS[1]: (ORANGE, "^"), STATUS[2]: (GREEN, "o")}
VERDICTS = {"accurate": GREEN, "oversimplified": SKY, "garbled": ORANGE, "inaccurate": VERMILION}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

WAR = ("2020-09-27", "2020-11-10")
HANDOVER_DAYS = ("2020-11-10", "2020-11-20", "2020-11-25", "2020-12-01")
CAPITALS = ("Baku", "Yerevan")
CORRIDOR = ("Goris", "Lachin", "Stepanakert")  # Armenia - Lachin town - Stepanakert
MAP_RADIUS = 1.2  # degrees of latitude around the handed-over districts that the main map covers
MAP_KINDS = ("district", "city", "town", "village", "mountain pass")

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib: the same glyphs on every machine
    "font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13, "figure.titlesize": 17,
    "xtick.labelsize": 12, "ytick.labelsize": 12, "legend.fontsize": 12, "legend.title_fontsize": 12,
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlelocation": "left",
    "figure.facecolor": "white", "savefig.facecolor": "white", "savefig.dpi": 120,
    "svg.hashsalt": "kb-figures", "svg.fonttype": "path", "path.simplify": False,
}
# No timestamps and no software versions in the files, so every run writes the same bytes.
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


# --- style and small helpers ---------------------------------------------------------------------

@contextlib.contextmanager
def _style():
    """Matplotlib's defaults plus STYLE, whatever the user's matplotlibrc; restored afterwards."""
    import matplotlib
    from cycler import cycler

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        matplotlib.rcParams.update(STYLE)
        matplotlib.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)
        yield


def _styled(draw):
    """Draw a figure inside the course's style; the caller's matplotlib settings are left alone."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with _style():
            return draw(*args, **kwargs)
    return wrapper


@functools.cache
def _figure_class():
    from matplotlib.figure import Figure

    class KBFigure(Figure):
        """A Figure that a notebook shows as a PNG even without ``%matplotlib inline``."""

        def _repr_png_(self):
            import io

            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100)
            return buffer.getvalue()

    return KBFigure


def _figure(width: float = 10, height: float = 6):
    return _figure_class()(figsize=(width, height), layout="constrained")


def _footnote(fig, text: str) -> None:
    """A line of small print under the figure, kept clear of the axes."""
    fig.get_layout_engine().set(rect=(0, 0.045, 1, 0.955))
    fig.text(0.01, 0.012, text, fontsize=12, color=GREY, ha="left", va="bottom")


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color=GREY)
    ax.set_xticks([])
    ax.set_yticks([])


def _day(value, year: bool = False) -> str:
    """'20 Nov' (or '20 Nov 2020'), whatever the locale."""
    value = pd.Timestamp(value)
    text = f"{value.day} {MONTHS[value.month - 1]}"
    return f"{text} {value.year}" if year else text


def _num(dates):
    """Matplotlib's date numbers for a Timestamp or a column of dates."""
    import matplotlib.dates as mdates
    import numpy as np

    if isinstance(dates, pd.Series):
        return mdates.date2num(np.asarray(dates, dtype="datetime64[ns]"))
    return mdates.date2num(pd.Timestamp(dates).to_datetime64())


def _date_axis(ax, lo, hi) -> None:
    """Dates along x from ``lo`` to ``hi`` (date numbers), labelled concisely."""
    import matplotlib.dates as mdates

    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    ax.set_xlim(lo, hi)
    locator = mdates.AutoDateLocator(minticks=3, maxticks=8)
    ax.xaxis.set_major_locator(locator)
    ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator))


def _wrap(text: str, width: int = 24, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(str(text), width, max_lines=lines, placeholder="…"))


def _text_size(text: str, size: float = 12) -> tuple[float, float]:
    """Rough width and height of a label in inches (DejaVu Sans averages ~0.6 em a character)."""
    lines = text.split("\n")
    return max(len(line) for line in lines) * size * 0.6 / 72, len(lines) * size * 1.25 / 72


def _label_dates(ax, items, y, slots, width_in, xlim, gap=10, size=12) -> int:
    """Label points along a date axis without overlap, most important first; returns how many fit.

    ``items``: (x, text, weight) with x a date number, best first. ``slots``: (side, level) pairs,
    side +1 above and -1 below ``y``; a label takes the first slot where it clears those already there.
    """
    lo, hi = xlim
    scale = width_in / (hi - lo)
    taken: dict[tuple, list] = {slot: [] for slot in slots}
    placed = 0
    for x, text, weight in items:
        width, height = _text_size(text, size)
        centre = (x - lo) * scale
        left, ha = centre - width / 2, "center"
        if left < 0:
            left, ha = centre - 0.1, "left"
        elif left + width > width_in:
            left, ha = centre - width + 0.1, "right"
        for slot in slots:
            if all(left > b + 0.15 or left + width < a - 0.15 for a, b in taken[slot]):
                taken[slot].append((left, left + width))
                side, level = slot
                offset = side * (gap + (level - 1) * (height * 72 + 4))
                ax.annotate(text, (x, y), xytext=(0, offset), textcoords="offset points", ha=ha,
                            va="bottom" if side > 0 else "top", fontsize=size, fontweight=weight,
                            arrowprops=dict(arrowstyle="-", color=GREY, lw=0.8, shrinkA=0, shrinkB=1))
                placed += 1
                break
    return placed


def _find(kb, name: str, prefer: tuple = ("city", "town")):
    """The row of ``places`` that has ``name`` as one of its names, or None; no guessing at typos."""
    key = fold(name)
    places = kb.places
    names = ("place_id", "name", "name_az", "name_hy_latin", "name_ru")
    hits = places[[key in {fold(str(row[c])) for c in names} | {fold(a) for a in row["aliases"]}
                   for _, row in places.iterrows()]]
    if hits.empty:
        return None
    hits = hits.sort_values("kind", key=lambda k: ~k.astype(str).isin(prefer), kind="stable")
    return hits.iloc[0]


# --- 1. the long timeline ------------------------------------------------------------------------

LABEL_ORDER = ("agreement", "transfer of territory", "ceasefire", "political decision", "offensive",
               "armed clash", "diplomatic meeting", "humanitarian")


@_styled
def timeline(kb):
    """Every event from 1921 on, one band per era, each band on its own time scale."""
    events = kb.events
    fig = _figure(12, 9)
    axes = fig.subplots(len(ERAS), 1)
    ends = events["date_end"].fillna(events["date_start"])
    first = events["date_start"].min() if len(events) else pd.Timestamp("1921-01-01")
    last = ends.max() if len(events) else pd.Timestamp("2025-12-31")
    for i, (ax, (era, start, end)) in enumerate(zip(axes, ERAS)):
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        if i == 0:
            lo = pd.Timestamp(year=min(first.year, lo.year + 100), month=1, day=1)
        if i == len(ERAS) - 1:
            hi = pd.Timestamp(year=max(last.year, lo.year), month=12, day=31)
        span = f"{_day(lo, True)} – {_day(hi, True)}" if hi - lo < pd.Timedelta(days=400) else f"{lo.year}–{hi.year}"
        ax.set_title(f"{era}, {span}", fontsize=14, color=ERA_COLOURS[i], fontweight="bold")
        x0, x1 = _num(lo), _num(hi)
        pad = (x1 - x0) * 0.02
        _date_axis(ax, x0 - pad, x1 + pad)
        ax.set_ylim(-1, 1)
        ax.set_yticks([])
        ax.spines["left"].set_visible(False)
        ax.axhline(0, color=LIGHT, lw=1, zorder=0)
        rows = events[events["era"] == era]
        if rows.empty:
            ax.text(0.5, 0.5, "no events in the data", transform=ax.transAxes, ha="center", color=GREY)
            continue
        colour = ERA_COLOURS[i]
        spans = rows[rows["date_end"].notna() & (rows["date_end"] > rows["date_start"])]
        ax.hlines([0] * len(spans), _num(spans["date_start"]), _num(spans["date_end"]), colors=colour, lw=6,
                  alpha=0.5)
        exact = rows["date_precision"] == "day"
        ax.scatter(_num(rows["date_start"]), [0] * len(rows), s=60, zorder=3, edgecolors=colour, linewidths=1.5,
                   facecolors=[colour if e else "white" for e in exact])
        ranked = rows.assign(_rank=rows["event_type"].astype(str).map(LABEL_ORDER.index),
                             _sources=-rows["source_ids"].str.len())
        ranked = ranked.sort_values(["_rank", "_sources", "date_start", "event_id"]).head(6)
        items = [(_num(r.date_start), _wrap(r.headline), "normal") for r in ranked.itertuples()]
        _label_dates(ax, items, 0, [(1, 1), (-1, 1)], 11.2, (x0 - pad, x1 + pad), gap=8)
    _footnote(fig, "Each band has its own time scale. Hollow: date known only to the month or year. "
                   "Bars: events that span days.")
    return fig


# --- 2. the 2020 war -----------------------------------------------------------------------------

LANES = (  # top to bottom
    ("Truce or statement\nannounced", ("agreement",), BLUE, "D"),
    ("Ceasefire\nin force", ("ceasefire",), GREEN, "|"),
    ("Towns taken", ("offensive", "transfer of territory"), VERMILION, "v"),
    ("Other events", None, GREY, "o"),
)


@_styled
def war_2020(kb, start=WAR[0], end=WAR[1]):
    """The 2020 war day by day: its start, truces announced and in force, towns taken, the statement."""
    start, end = as_day(start, "start"), as_day(end, "end")
    events = kb.timeline(start, end)
    fig = _figure(12, 7)
    ax = fig.subplots()
    x0, x1 = _num(start) - 1, _num(end) + 1.5
    _date_axis(ax, x0, x1)
    ax.set_ylim(-0.6, len(LANES) - 0.2)
    ax.set_yticks(range(len(LANES)), [lane[0] for lane in reversed(LANES)])
    ax.set_title(f"The 2020 war day by day, {_day(start)} – {_day(end, True)}")
    for y in range(len(LANES)):
        ax.axhline(y, color=LIGHT, lw=1, zorder=0)
    if events.empty:
        ax.text(0.5, 0.5, "no events in the data for these days", transform=ax.transAxes, ha="center", color=GREY)
        return fig
    shusha = _find(kb, "Shusha")
    kinds = events["event_type"].astype(str)
    known = {kind for _, kinds_, _, _ in LANES if kinds_ for kind in kinds_}
    for lane, (name, lane_kinds, colour, marker) in enumerate(LANES):
        y = len(LANES) - 1 - lane
        rows = events[kinds.isin(lane_kinds) if lane_kinds else ~kinds.isin(known)]
        if rows.empty:
            continue
        spans = rows[rows["date_end"].notna() & (rows["date_end"] > rows["date_start"])]
        ax.hlines([y] * len(spans), _num(spans["date_start"]), _num(spans["date_end"]) + 1, colors=colour,
                  lw=7, alpha=0.45)
        ax.scatter(_num(rows["date_start"]), [y] * len(rows), color=colour, marker=marker, s=90, zorder=3,
                   linewidths=3 if marker == "|" else 1)
        if lane == 0:
            items = [(_num(r.date_start), _wrap(r.headline, 20), "normal")
                     for r in rows.sort_values(["date_start", "event_id"]).itertuples()]
            _label_dates(ax, items[:-1], y, [(1, 1), (1, 2)], 10.2, (x0, x1), gap=8)
        if lane == 2:
            items = []
            for r in rows.itertuples():
                taken = shusha is not None and shusha["place_id"] in r.place_ids
                towns = [p for p in r.place_ids if p in set(kb.places["place_id"])]
                text = kb.label(towns[0]) if towns else _wrap(r.headline, 20)
                items.append((_num(r.date_start), text, "bold" if taken else "normal"))
                if taken:
                    ax.scatter([_num(r.date_start)], [y], marker="*", s=420, color=VERMILION, zorder=4)
            items.sort(key=lambda item: (item[2] != "bold", item[0]))
            _label_dates(ax, items, y, [(1, 1), (1, 2), (1, 3)], 10.2, (x0, x1), gap=9)
    first = events.iloc[0]
    marks = [(first, "left")]
    agreements = events[kinds == "agreement"]
    if len(agreements):
        marks.append((agreements.iloc[-1], "right"))
    for event, ha in marks:
        x = _num(event["date_start"])
        ax.axvline(x, color=BLACK, lw=1.2, ls=(0, (4, 3)), zorder=1)
        ax.text(x + (0.4 if ha == "left" else -0.4), 1.0, f"{_day(event['date_start'])}: {event['headline']}",
                transform=ax.get_xaxis_transform(), ha=ha, va="bottom", fontsize=12, fontweight="bold")
    _footnote(fig, "Events from events.csv between the two dashed lines; ★ Shusha. "
                   "Bars: how long a truce was in force, as the data records it.")
    return fig


# --- 3. the handover schedule --------------------------------------------------------------------

@_styled
def handover_schedule(kb):
    """For each district handed over (Agdam, Kalbajar, Lachin): the deadline as signed, as revised, and met."""
    d = kb.deadlines.sort_values(["due", "place_id"], ascending=[False, True]).reset_index(drop=True)
    fig = _figure(10, 5.5)
    ax = fig.subplots()
    ax.set_title("Handing over the districts: deadlines as signed, as revised, and met")
    if d.empty:
        _empty(ax, "no deadlines in the data")
        return fig
    dates = pd.concat([d["set_on"], d["due"], d["revised_due"], d["completed_on"]]).dropna()
    x0, x1 = _num(dates.min()) - 1.5, _num(dates.max()) + 2.5
    _date_axis(ax, x0, x1)
    ax.set_ylim(-0.7, len(d) - 0.3)
    labels = [f"{kb.label(r.place_id)}\nheld since {r.held_since.year}" for r in d.itertuples()]
    ax.set_yticks(range(len(d)), labels)
    signed = d["set_on"].min()
    ax.axvline(_num(signed), color=GREY, lw=1.2, ls=(0, (4, 3)))
    ax.text(_num(signed) + 0.3, 1.0, f"statement signed {_day(signed)}", transform=ax.get_xaxis_transform(),
            ha="left", va="bottom", fontsize=12, color=GREY)
    for y, r in enumerate(d.itertuples()):
        end = r.completed_on if pd.notna(r.completed_on) else (r.revised_due if pd.notna(r.revised_due) else r.due)
        ax.hlines(y, _num(r.set_on), _num(end), color=LIGHT, lw=12, zorder=0)
        ax.scatter([_num(r.due)], [y], s=320, facecolors="white", edgecolors=BLUE, linewidths=2.5, zorder=2,
                   label="deadline as signed")
        if pd.notna(r.revised_due):
            ax.annotate("", (_num(r.revised_due), y), (_num(r.due), y), zorder=2,
                        arrowprops=dict(arrowstyle="-|>", color=VERMILION, lw=2, shrinkA=9, shrinkB=9))
            ax.scatter([_num(r.revised_due)], [y], s=170, marker="D", color=VERMILION, zorder=3,
                       label="revised deadline")
            ax.annotate(f"revised on {_day(r.revised_on)}", ((_num(r.due) + _num(r.revised_due)) / 2, y),
                        xytext=(0, 12), textcoords="offset points", ha="center", va="bottom", fontsize=12,
                        color=VERMILION)
        if pd.notna(r.completed_on):
            ax.scatter([_num(r.completed_on)], [y], s=110, marker="s", color=GREEN, zorder=4,
                       label="handed over (Azerbaijani forces enter)")
        for day in sorted({r.due, r.revised_due, r.completed_on} - {pd.NaT}, key=lambda v: v.value):
            if pd.notna(day):
                ax.annotate(_day(day), (_num(day), y), xytext=(0, -16), textcoords="offset points",
                            ha="center", va="top", fontsize=12)
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=3,
              frameon=False, markerscale=0.8)
    return fig


# --- 4 and 5. maps -------------------------------------------------------------------------------

def _map_places(kb):
    """The places the main map shows, its centre and cos(latitude), and the capitals beyond it."""
    places = kb.places
    districts = places[places["place_id"].isin(kb.deadlines["place_id"])]
    anchor = districts if len(districts) else places[places["kind"].astype(str).isin(MAP_KINDS)]
    if anchor.empty:
        anchor = places
    lat0, lon0 = (float(anchor["lat"].mean()), float(anchor["lon"].mean())) if len(anchor) else (40.0, 46.5)
    coslat = math.cos(math.radians(lat0))
    near = ((places["lon"] - lon0) * coslat).pow(2).add((places["lat"] - lat0).pow(2)).pow(0.5) <= MAP_RADIUS
    kinds = places["kind"].astype(str)
    capitals = places[places["name"].isin(CAPITALS) & kinds.isin(("city", "town"))]
    shown = places[near & kinds.isin(MAP_KINDS)]
    far_capitals = capitals[~capitals["place_id"].isin(shown["place_id"])]
    # A town at its district's centre is drawn once, as the district.
    centres = places[kinds == "district"]
    shown = shown[[k == "district" or not ((abs(centres["lat"] - la) < 0.015) & (abs(centres["lon"] - lo) < 0.015)
                                          & centres["place_id"].isin(shown["place_id"])).any()
                   for k, la, lo in zip(shown["kind"].astype(str), shown["lat"], shown["lon"])]]
    return shown, far_capitals, coslat


def _corridor(kb):
    stops = [_find(kb, name) for name in CORRIDOR]
    return None if any(s is None for s in stops) else stops


def _draw_map(ax, kb, day, size_in, detail=True) -> list:
    """Draw the map on ``ax``; returns legend handles. ``detail=False`` labels only districts and the corridor."""
    from matplotlib.lines import Line2D

    shown, capitals, coslat = _map_places(kb)
    handed = set(kb.deadlines["place_id"])
    status = kb.status_on(day).set_index("place_id") if day is not None else None
    corridor = _corridor(kb)
    lons = list(shown["lon"]) + ([s["lon"] for s in corridor] if corridor else [])
    lats = list(shown["lat"]) + ([s["lat"] for s in corridor] if corridor else [])
    ax.set_aspect(1 / coslat, adjustable="datalim")
    ax.tick_params(labelsize=12)
    ax.set_xlabel("longitude (°E)")
    ax.set_ylabel("latitude (°N)")
    if not lons:
        _empty(ax, "no places with coordinates near the districts")
        return []
    x0, x1, y0, y1 = min(lons) - 0.15, max(lons) + 0.15, min(lats) - 0.12, max(lats) + 0.12
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    handles = []
    if corridor:
        ax.plot([s["lon"] for s in corridor], [s["lat"] for s in corridor], color=PURPLE, lw=3, ls=(0, (5, 3)),
                zorder=1, solid_capstyle="round")
        handles.append(Line2D([], [], color=PURPLE, lw=3, ls=(0, (5, 3)), label="Lachin corridor (schematic)"))
    # points: (x, y, label, must_label, marker radius in points)
    points = []
    styles = {"city": (BLACK, "o", 9), "town": (BLACK, "o", 7), "village": (GREY, "o", 5),
              "mountain pass": (GREY, "^", 7), "district": (GREY, "s", 13)}
    for row in shown.sort_values(["kind", "place_id"]).itertuples():
        kind = str(row.kind)
        colour, marker, size = styles[kind]
        text = kb.label(row.place_id)
        if row.place_id in handed:
            colour, marker = (STATUS_STYLE[status.loc[row.place_id, "status"]] if status is not None
                              else (BLUE, "s"))
            size = 15
            if status is not None:
                text += "\n" + _status_note(status.loc[row.place_id])
        ax.plot([row.lon], [row.lat], marker=marker, ms=size, color=colour, mec=BLACK if size >= 13 else colour,
                mew=1, ls="none", zorder=3)
        key = row.place_id in handed or (corridor is not None and row.place_id in {s["place_id"] for s in corridor})
        if detail or key:
            points.append((row.lon, row.lat, text, key or kind == "city", size / 2 + 3))
        else:
            points.append((row.lon, row.lat, None, False, size / 2 + 3))
    _label_map(ax, points, coslat, size_in, (x0, x1, y0, y1))
    _scale_bar(ax, coslat, x0, y0)
    if capitals.shape[0] and detail:
        _overview(ax, shown, capitals, coslat, (x0, x1, y0, y1))
    if status is not None:
        for name, (colour, marker) in STATUS_STYLE.items():
            handles.append(Line2D([], [], color=colour, marker=marker, ms=13, mec=BLACK, ls="none", label=name))
    else:
        handles.append(Line2D([], [], color=BLUE, marker="s", ms=13, mec=BLACK, ls="none",
                              label="district handed over\n(administrative centre)"))
    present = set(shown["kind"].astype(str))
    for kind, name in (("city", "city"), ("town", "town"), ("village", "village"), ("mountain pass", "mountain pass")):
        if kind in present and (detail or kind == "city"):
            colour, marker, size = styles[kind]
            handles.append(Line2D([], [], color=colour, marker=marker, ms=size, ls="none", label=name))
    return handles


def _status_note(row) -> str:
    if row["status"] == STATUS[2]:
        return f"returned {_day(row['completed_on'])}"
    if row["status"] == STATUS[1] and pd.notna(row["deadline"]):
        revised = " (revised)" if row["deadline"] != row["due_as_signed"] else ""
        return f"deadline {_day(row['deadline'])}{revised}"
    return ""


def _label_map(ax, points, coslat, size_in, frame, size=12) -> None:
    """Put each label beside its point where it overlaps no other label or point; drop minor ones that don't fit."""
    x0, x1, y0, y1 = frame
    inch = min(size_in[0] / ((x1 - x0) * coslat), size_in[1] / (y1 - y0))  # inches per degree of latitude

    def at(lon, lat):
        return (lon - x0) * coslat * inch, (lat - y0) * inch

    boxes = []
    for lon, lat, _, _, r in points:
        x, y = at(lon, lat)
        boxes.append((x - r / 72, x + r / 72, y - r / 72, y + r / 72))
    order = sorted(range(len(points)), key=lambda i: not points[i][3])
    for i in order:
        lon, lat, text, must, r = points[i]
        if not text:
            continue
        text = text.strip()
        w, h = _text_size(text, size)
        x, y = at(lon, lat)
        gap = r / 72
        options = [  # (box, offset in points, ha, va)
            ((x + gap, x + gap + w, y - h / 2, y + h / 2), (r, 0), "left", "center"),
            ((x - gap - w, x - gap, y - h / 2, y + h / 2), (-r, 0), "right", "center"),
            ((x - w / 2, x + w / 2, y + gap, y + gap + h), (0, r), "center", "bottom"),
            ((x - w / 2, x + w / 2, y - gap - h, y - gap), (0, -r), "center", "top"),
        ]
        own = boxes[i]

        def clash(box):
            return sum(not (box[1] < b[0] or box[0] > b[1] or box[3] < b[2] or box[2] > b[3])
                       for b in boxes if b is not own)

        best = min(options, key=lambda o: (clash(o[0]), options.index(o)))
        if clash(best[0]) and not must:
            continue
        box, offset, ha, va = best
        boxes.append(box)
        ax.annotate(text, (lon, lat), xytext=offset, textcoords="offset points", ha=ha, va=va, fontsize=size,
                    zorder=5, bbox=dict(boxstyle="square,pad=0.1", fc="white", ec="none", alpha=0.7))


def _scale_bar(ax, coslat, x0, y0, km: int = 20) -> None:
    length = km / (111.32 * coslat)
    x, y = x0 + 0.05, y0 + 0.05
    ax.plot([x, x + length], [y, y], color=BLACK, lw=3, solid_capstyle="butt")
    ax.text(x + length / 2, y + 0.02, f"{km} km", ha="center", va="bottom", fontsize=12)


def _overview(ax, shown, capitals, coslat, frame) -> None:
    """An inset locating the main map between the capitals, in the corner with fewest places."""
    from matplotlib.patches import Rectangle

    x0, x1, y0, y1 = frame
    fx = (shown["lon"] - x0) / (x1 - x0)
    fy = (shown["lat"] - y0) / (y1 - y0)
    corners = {(0.0, 0.0): (fx < 0.4) & (fy < 0.4), (0.6, 0.0): (fx > 0.6) & (fy < 0.4),
               (0.0, 0.6): (fx < 0.4) & (fy > 0.6), (0.6, 0.6): (fx > 0.6) & (fy > 0.6)}
    (cx, cy), _ = min(corners.items(), key=lambda kv: int(kv[1].sum()))
    inset = ax.inset_axes([cx + 0.01, cy + 0.01, 0.38, 0.38])
    inset.set_aspect(1 / coslat, adjustable="datalim")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_facecolor("#F7F7F7")
    for spine in inset.spines.values():
        spine.set_visible(True)
        spine.set_color(GREY)
    inset.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fc="none", ec=BLACK, lw=1.5))
    lons = [x0, x1, *capitals["lon"]]
    lats = [y0, y1, *capitals["lat"]]
    inset.set_xlim(min(lons) - 0.4, max(lons) + 0.4)
    inset.set_ylim(min(lats) - 0.5, max(lats) + 0.5)
    middle = (min(lons) + max(lons)) / 2
    for row in capitals.itertuples():
        inset.plot([row.lon], [row.lat], marker="o", ms=9, color=BLACK, ls="none")
        inset.annotate(row.name, (row.lon, row.lat), xytext=(0, 7), textcoords="offset points", fontsize=12,
                       ha="left" if row.lon < middle else "right", va="bottom")
    inset.set_title("capitals", fontsize=12, loc="left", pad=3)


@_styled
def map(kb, day=None):  # noqa: A001 - the course calls it kb.plots.map
    """The places of the statement, from their coordinates; with ``day``, the districts coloured by who held them."""
    fig = _figure(11, 8)
    ax = fig.subplots()
    day = as_day(day, "day") if day is not None else None
    handles = _draw_map(ax, kb, day, (7.0, 6.5))
    ax.set_title("Places of the statement" + (f" on {_day(day, True)}" if day is not None else ""))
    if handles:
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1), frameon=False, labelspacing=1.0)
    _footnote(fig, "Points at the coordinates in places.csv; districts at their administrative centres. "
                   "No borders or front lines: the data holds none.")
    return fig


@_styled
def status_small_multiples(kb, days=HANDOVER_DAYS):
    """The map on each of ``days``: who held each district that day, and its deadline."""
    days = [as_day(d, "day") for d in days]
    columns = 2 if len(days) > 1 else 1
    rows = math.ceil(len(days) / columns)
    fig = _figure(12, 4.8 * rows + 1)
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    handles = []
    for ax, day in zip(axes, days):
        handles = _draw_map(ax, kb, day, (4.4, 3.6), detail=False) or handles
        ax.set_title(_day(day, True))
        ax.set_xlabel("")
        ax.set_ylabel("")
    for ax in axes[len(days):]:
        ax.set_visible(False)
    fig.suptitle("Who held the three districts, day by day", x=0.01, ha="left")
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 4), frameon=False)
    return fig


# --- 6. the nine points and the actors they bind -------------------------------------------------

@_styled
def points_actors(kb):
    """Which actors each point of the statement binds or names (a dot where ``terms.actor_ids`` lists one)."""
    terms = kb.terms.sort_values("point")
    order = list(kb.actors["actor_id"])
    used = sorted({a for ids in terms["actor_ids"] for a in ids}, key=lambda a: (a not in order, order.index(a)
                                                                              if a in order else 0, a))
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"]))
    fig = _figure(11, 7)
    ax = fig.subplots()
    ax.set_title("The nine points and whom they bind")
    if terms.empty or not used:
        _empty(ax, "no points in the data")
        return fig
    xs, ys = [], []
    for y, ids in enumerate(terms["actor_ids"]):
        for a in ids:
            xs.append(used.index(a))
            ys.append(y)
    ax.scatter(xs, ys, s=260, marker="s", color=BLUE, zorder=3)
    ax.set_xticks(range(len(used)), [_wrap(names.get(a, a), 16) for a in used], rotation=35, ha="right",
                  rotation_mode="anchor")
    ax.set_yticks(range(len(terms)), [f"{p}. {_wrap(t, 34, 1)}" for p, t in zip(terms["point"], terms["title"])])
    ax.set_xlim(-0.6, len(used) - 0.4)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.set_xticks([x + 0.5 for x in range(len(used) - 1)], minor=True)
    ax.set_yticks([y + 0.5 for y in range(len(terms) - 1)], minor=True)
    ax.grid(which="minor", color=LIGHT, lw=1)
    ax.tick_params(which="minor", length=0)
    ax.tick_params(which="major", length=0)
    ax.xaxis.tick_top()
    ax.spines[:].set_visible(False)
    counts = pd.Series(xs).value_counts()
    for x in range(len(used)):
        ax.text(x, len(terms) - 0.5, f"{counts.get(x, 0)}", ha="center", va="top", fontsize=12, color=GREY)
    ax.text(-0.6, len(terms) - 0.5, "points naming the actor:", ha="right", va="top", fontsize=12, color=GREY)
    return fig


# --- 7. casualty figures as reported -------------------------------------------------------------

@_styled
def casualties(kb):
    """The 2020 casualty figures as each side reported them over time, one line per measure and claimant."""
    from matplotlib.ticker import StrMethodFormatter

    q = kb.quantities[kb.quantities["category"] == "casualties"].sort_values(["as_of", "quantity_id"])
    fig = _figure(11, 7)
    ax = fig.subplots()
    ax.set_title("Casualties of the 2020 war, as each side reported them")
    if q.empty:
        _empty(ax, "no casualty figures in the data")
        return fig
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"]))
    measures = sorted(q["measure"].unique())
    claimants = sorted(q["claimed_by"].unique())
    markers = ("o", "s", "D", "^", "v", "P", "X")
    for (measure, claimant), rows in q.groupby(["measure", "claimed_by"], sort=True):
        colour = PALETTE[measures.index(measure) % len(PALETTE)]
        marker = markers[claimants.index(claimant) % len(markers)]
        y = rows["value"].fillna((rows["low"] + rows["high"]) / 2)
        x = _num(rows["as_of"])
        ax.plot(x, y, color=colour, marker=marker, ms=9, lw=2, label=f"{measure} — claimed by {names.get(claimant, claimant)}")
        ranged = rows["low"].notna() & rows["high"].notna()
        if ranged.any():
            ax.vlines(x[ranged.to_numpy()], rows["low"][ranged], rows["high"][ranged], color=colour, lw=6, alpha=0.35)
        only_range = rows["value"].isna().to_numpy()
        if only_range.any():
            ax.plot(x[only_range], y[only_range], ls="none", marker=marker, ms=9, mfc="white", color=colour)
        ax.annotate(f"{y.iloc[-1]:,.0f}", (x[-1], y.iloc[-1]), xytext=(7, 0), textcoords="offset points",
                    va="center", fontsize=12, color=colour)
    dates = _num(q["as_of"])
    span = max(dates.max() - dates.min(), 30)
    _date_axis(ax, dates.min() - span * 0.04, dates.max() + span * 0.12)
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    units = q["unit"].unique()
    ax.set_ylabel(units[0] if len(units) == 1 else "figure as reported")
    ax.set_xlabel("day the figure was reported")
    ax.grid(axis="y", color=LIGHT)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.14), ncols=1 if len(measures) > 4 else 2, frameon=False)
    _footnote(fig, "Shaded bars: a range (low–high) where one was reported; hollow marker: only a range, "
                   "drawn at its middle.")
    return fig


# --- 8. the news article's claims ----------------------------------------------------------------

@_styled
def claims(kb):
    """The news article's claims in order, each tagged with its verdict; the count per verdict beside them."""
    from matplotlib.patches import Rectangle

    c = kb.claims.sort_values("claim_id").reset_index(drop=True)
    verdicts = list(VERDICTS) + [v for v in c["verdict"].astype(str).unique() if v not in VERDICTS]
    fig = _figure(12, max(5.0, 0.42 * len(c) + 2.0))
    strip, bars = fig.subplots(1, 2, width_ratios=[4.2, 1])
    strip.set_title("The news article's claims, checked against the sources")
    counts = c["verdict"].astype(str).value_counts()
    bars.barh(range(len(verdicts)), [counts.get(v, 0) for v in verdicts],
              color=[VERDICTS.get(v, GREY) for v in verdicts], edgecolor=BLACK, lw=0.8)
    bars.set_yticks(range(len(verdicts)), verdicts)
    bars.set_ylim(len(verdicts) - 0.5, -0.5)
    bars.set_title("claims per verdict", fontsize=13)
    bars.xaxis.get_major_locator().set_params(integer=True)
    for y, v in enumerate(verdicts):
        bars.text(counts.get(v, 0), y, f" {counts.get(v, 0)}", va="center", fontsize=12)
    bars.set_xlim(0, max(1, counts.max() if len(counts) else 1) * 1.3)
    strip.set_xlim(0, 1)
    strip.set_ylim(max(len(c), 1) - 0.5, -0.5)
    strip.axis("off")
    if c.empty:
        _empty(strip, "no claims in the data")
        return fig
    for y, r in enumerate(c.itertuples()):
        colour = VERDICTS.get(str(r.verdict), GREY)
        strip.add_patch(Rectangle((0, y - 0.4), 0.2, 0.8, color=colour, lw=0))
        strip.text(0.1, y, str(r.verdict), ha="center", va="center", fontsize=12)
        text = r.claim + (f' (written "{r.as_written}")' if r.as_written else "")
        strip.text(0.22, y, f"{r.claim_id}  {_wrap(text, 72, 1)}", va="center", fontsize=12)
    return fig


# --- every figure, and the gallery ---------------------------------------------------------------

class Spec(NamedTuple):
    name: str
    draw: Callable
    title: str
    description: str
    alt: str


FIGURES = [
    Spec("timeline", timeline, "The long timeline, 1921–2025",
         "Every event in `events`, one band per era of the course, each band on its own time scale so that "
         "a century and a six-week war both read. A few key events per band are labelled (agreements and "
         "handovers first).",
         "Five stacked timelines, one per era from the Soviet settlement to after the handovers, with a dot per "
         "event and short labels on the key agreements, handovers and offensives."),
    Spec("war_2020", war_2020, "The 2020 war day by day",
         "27 September to 10 November 2020 in lanes: truces and the statement as announced, ceasefires as they "
         "came into force, towns taken (Shusha starred) and other events; dashed lines mark the first day and "
         "the statement.",
         "A six-week timeline with four lanes: truce announcements, ceasefires in force, towns taken with their "
         "names, and other events; dashed lines mark the war's first day and the ceasefire statement."),
    Spec("handover_schedule", handover_schedule, "The handover schedule",
         "For Agdam, Kalbajar and Lachin, from `deadlines`: the deadline as signed, the revised deadline where "
         "there was one, and the day Azerbaijani forces entered the district.",
         "Three rows, one per district, on a November–December 2020 date axis: a ring for the deadline as "
         "signed, a diamond and arrow where it was revised, and a square for the day of the handover."),
    Spec("map", map, "The places of the statement",
         "Towns and the three districts at their administrative centres, plotted from the coordinates in "
         "`places` (no tiles, borders or front lines), with the Lachin corridor drawn schematically from "
         "Goris through Lachin to Stepanakert and an inset locating Baku and Yerevan.",
         "A point map in longitude and latitude of the towns and the three handed-over districts, labelled with "
         "both names, a dashed schematic line for the Lachin corridor and a small inset with the capitals."),
    Spec("status_small_multiples", status_small_multiples, "Who held the districts, day by day",
         "The map on 10, 20 and 25 November and 1 December 2020, each district coloured (and shaped) by "
         "`status_on` that day, with its deadline or the day it was returned.",
         "Four small maps side by side; in each, the three districts are marked as under Armenian control or "
         "returned to Azerbaijan on that day, turning from orange triangles to green circles one by one."),
    Spec("points_actors", points_actors, "The nine points and whom they bind",
         "A matrix of the statement's nine points against the actors each point binds or names "
         "(`terms.actor_ids`), with the number of points naming each actor.",
         "A grid with the nine points as rows and the actors as columns; a square marks each actor a point "
         "binds or names."),
    Spec("casualties", casualties, "Casualty figures as reported",
         "The casualty figures in `quantities` over the day each was reported: one line per measure and "
         "claimant, bars for ranges, the latest figure written at the end of each line.",
         "A line chart of reported casualty figures over time, one coloured line per measure and claimant, "
         "rising as the figures were revised."),
    Spec("claims", claims, "The news article's claims",
         "Each claim of the news article in order, tagged with its verdict (accurate, oversimplified, garbled, "
         "inaccurate), and the number of claims per verdict.",
         "A list of the article's claims, each with a coloured verdict tag, and a small bar chart counting the "
         "claims per verdict."),
]


def _save(fig, path: Path, fmt: str) -> None:
    """Write to a temporary name and rename, so an interrupted run never leaves half a figure."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fig.savefig(tmp, format=fmt, metadata=METADATA[fmt])
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def gallery(formats=("svg", "png")) -> str:
    """The Markdown of ``figures/README.md``: every figure, what it shows and its alt text."""
    shown = "png" if "png" in formats else formats[0]
    lines = ["# Figures", "",
             "Generated by `make figures` (`python -m kb figures --out figures --format svg,png`) from the data in "
             "`data/`. Do not edit by hand: `tests/test_plots.py` checks that this page and every figure here "
             "match a fresh regeneration.", "",
             "Each figure is drawn by a function in `kb/plots.py` that takes the loaded data and returns a "
             "matplotlib Figure, so a notebook shows the same figure:", "",
             "```python", "import kb, kb.plots", "data = kb.load()", 'kb.plots.map(data, day="2020-11-20")', "```", ""]
    for number, spec in enumerate(FIGURES, start=1):
        files = ", ".join(f"[{spec.name}.{fmt}]({spec.name}.{fmt})" for fmt in formats)
        lines += [f"## {number}. {spec.title}", "",
                  f"![{spec.alt}]({spec.name}.{shown})", "",
                  spec.description, "",
                  f"*Alt text:* {spec.alt}", "",
                  f"Drawn by `kb.plots.{spec.draw.__name__}(data)`; files: {files}.", ""]
    return "\n".join(lines)


def write_all(data, out, formats=("svg", "png"), log=print) -> list[Path]:
    """Draw every figure in ``FIGURES`` from ``data`` into ``out`` in each format, and the gallery README.md.

    Prints one line per figure as it goes. The same data gives the same bytes on every run.
    """
    formats = list(formats)
    unknown = [f for f in formats if f not in METADATA]
    if unknown or not formats:
        raise ValueError(f"formats {unknown or formats!r}: choose from {', '.join(METADATA)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    with _style():
        for spec in FIGURES:
            fig = spec.draw(data)
            paths = [out / f"{spec.name}.{fmt}" for fmt in formats]
            for path, fmt in zip(paths, formats):
                _save(fig, path, fmt)
            written += paths
            log(f"{' '.join(str(p) for p in paths)}: {spec.title}")
    readme = out / "README.md"
    tmp = readme.with_name(f".README.md.{os.getpid()}.tmp")
    try:
        tmp.write_text(gallery(formats), encoding="utf-8", newline="\n")
        os.replace(tmp, readme)
    finally:
        tmp.unlink(missing_ok=True)
    log(f"{readme}: gallery")
    return written + [readme]
