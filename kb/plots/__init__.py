"""Every figure of the course, drawn from a KB, and the files and gallery made from them, byte for byte.

    import kb, kb.plots
    data = kb.load()
    kb.plots.map(data, day="2020-11-20")     # a matplotlib Figure; a notebook shows it

Each function takes a KB (and a day or a window where that makes sense) and returns a
``matplotlib.figure.Figure``: nothing is shown, nothing touches pyplot's global state, and the
course's style (fonts that read on a projected slide, the Okabe-Ito colour-blind-safe palette) applies
only while the figure is drawn. ``FIGURES`` lists every figure with its title, description and alt
text; ``write_figure`` writes one in each format, ``write_gallery`` the gallery ``figures/README.md``, and
``write_all`` both (``make figures`` runs ``python -m kb figures``, which shares them among processes).

Most figures are laid out by hand, in inches, from measured label sizes: matplotlib's layout engine would
take a fifth of their drawing time.

Maps are drawn from the coordinates in ``places`` only: points in longitude/latitude, no tiles, no
borders and no front lines, because the data holds none.
"""
from __future__ import annotations

import functools
import os
import textwrap
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pandas as pd

from ..base import ERAS, as_day, format_day
from ..errors import UnknownName
from ..names import NAME_COLUMNS, fold

__all__ = ["FIGURES", "Spec", "figure_spec", "gallery", "prepare_output", "write_figure", "write_gallery",
           "write_all", "timeline", "war_2020", "handover_schedule", "map", "status_small_multiples", "points_actors",
           "casualties", "claims", "outcomes", "what_changed_hands", "HANDOVER_DAYS", "STATUS_STYLE", "PALETTE",
           "STYLE", "METADATA", "YELLOW"]

from ._style import (
    BLACK,
    BLUE,
    GREEN,
    GREY,
    LIGHT,
    METADATA,
    ORANGE,
    PALETTE,
    PURPLE,
    SKY,
    STATUS_STYLE,
    STYLE,
    VERMILION,
    YELLOW,
    new_figure,
    styled,
)
from ._style import style as _style


def _styled(draw):
    """A figure-level function: drawn in the course's style, its figure carrying its alt text (figures.toml)."""
    drawn = styled(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        fig = drawn(*args, **kwargs)
        if not fig.alt:
            fig.alt = next((spec.alt for spec in FIGURES if spec.name == draw.__name__), "")
        return fig
    return wrapper

ERA_COLOURS = (PURPLE, VERMILION, BLUE, ORANGE, GREEN)
VERDICTS = {"accurate": GREEN, "oversimplified": SKY, "garbled": ORANGE, "inaccurate": VERMILION}
DAYS_OF_MONTH = ((1, 5, 10, 15, 20, 25), (1, 8, 15, 22), (1, 15), (1,))  # date ticks, densest first

WAR = ("2020-09-27", "2020-11-10")
HANDOVER_DAYS = ("2020-11-10", "2020-11-20", "2020-11-25", "2020-12-01")
CAPITALS = ("Baku", "Yerevan")
CORRIDOR = ("Goris", "Lachin", "Stepanakert")  # Armenia - Lachin town - Stepanakert
MAP_RADIUS = 1.2  # degrees of latitude around the handed-over districts that the main map covers
MAP_KINDS = ("district", "city", "town", "village", "mountain pass")
SAVE_OPTIONS: dict = {}


def _figure(width: float = 10, height: float = 6, layout: str | None = None):
    return new_figure(width, height, layout=layout)


def _footnote(fig, text: str) -> None:
    """A line of small print at the foot of the figure (the layouts keep 0.4 inch free for it)."""
    fig.text(0.01, 0.012, text, fontsize=12, color=GREY, ha="left", va="bottom")


def _one_axes(fig, labels=(), top=0.5, bottom=0.75, right=0.25):
    """One axes with margins in inches: ``top`` holds a title line, ``bottom`` a line of tick labels and a
    footnote, ``right`` half a tick label; the left margin fits the widest y tick label in ``labels`` and
    the tick's padding (a quarter inch)."""
    width, height = fig.get_size_inches()
    left = min(0.25 + max((_measure(label)[0] for label in labels), default=0.2), width / 2)
    return fig.add_axes((left / width, bottom / height, 1 - (left + right) / width, 1 - (top + bottom) / height))


def _empty(ax, message: str) -> None:
    ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", color=GREY)
    ax.set_xticks([])
    ax.set_yticks([])


def _num(dates):
    """Matplotlib's date numbers for a Timestamp or a column of dates."""
    import matplotlib.dates as mdates
    import numpy as np

    if isinstance(dates, pd.Series):
        return mdates.date2num(np.asarray(dates, dtype="datetime64[ns]"))
    return mdates.date2num(pd.Timestamp(dates).to_datetime64())


def _date_axis(ax, lo, hi) -> None:
    """Dates along x from ``lo`` to ``hi`` (date numbers): '20 Nov' over weeks, years over decades."""
    import matplotlib.dates as mdates
    from matplotlib.ticker import FuncFormatter

    if hi - lo < 1:
        lo, hi = lo - 1, hi + 1
    ax.set_xlim(lo, hi)
    if hi - lo < 120:
        # Fixed days of the month, which do not crowd at a month's end as "29 Nov 1 Dec" would: as many as
        # fit one label ("22 Oct") per 0.8 inch of the axes.
        room = ax.get_position().width * ax.figure.get_figwidth() / 0.8
        days = next((d for d in DAYS_OF_MONTH if (hi - lo) * len(d) / 30.5 <= room), DAYS_OF_MONTH[-1])
        window = pd.date_range(mdates.num2date(lo).date(), mdates.num2date(hi).date())
        if sum(day.day in days for day in window) >= 2:
            ax.xaxis.set_major_locator(mdates.DayLocator(bymonthday=days))
        else:  # a window of a few days: let matplotlib choose
            ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=9))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_day(mdates.num2date(x), year=False)))
    else:
        locator = mdates.AutoDateLocator(minticks=3, maxticks=9)
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(mdates.ConciseDateFormatter(locator, show_offset=False))


def _wrap(text: str, width: int = 24, lines: int = 2) -> str:
    return "\n".join(textwrap.wrap(str(text), width, max_lines=lines, placeholder="…"))


@functools.cache
def _measure(text: str, size: float = 12, weight: str = "normal") -> tuple[float, float]:
    """Width and height of a label in inches, measured with the figures' font."""
    from matplotlib.font_manager import FontProperties

    renderer = _ruler()
    font = FontProperties(family=STYLE["font.sans-serif"][0], size=size, weight=weight)
    lines = text.split("\n")
    width = max(renderer.get_text_width_height_descent(line, font, ismath=False)[0] for line in lines)
    return width / 72, len(lines) * size * 1.2 / 72


@functools.cache
def _ruler():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(10, 10, 72)  # at 72 dpi, one pixel is one point


def _fit(text: str, width_in: float, size: float = 12) -> str:
    """``text`` cut (with …) to fit on one line ``width_in`` inches wide."""
    if _measure(text, size)[0] <= width_in:
        return text
    words = text.split()
    while len(words) > 1 and _measure(" ".join(words) + " …", size)[0] > width_in:
        words.pop()
    return " ".join(words) + " …"


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
        width, height = _measure(text, size, weight)
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
                relpos = ({"left": 0, "center": 0.5, "right": 1}[ha], 0 if side > 0 else 1)  # the connector's end
                ax.annotate(text, (x, y), xytext=(0, offset), textcoords="offset points", ha=ha,
                            va="bottom" if side > 0 else "top", fontsize=size, fontweight=weight,
                            arrowprops=dict(arrowstyle="-", color=GREY, lw=0.8, patchA=None, relpos=relpos,
                                            shrinkA=1, shrinkB=1))
                placed += 1
                break
    return placed


def _find(kb, name: str):
    """The row of ``places`` that has exactly ``name`` among its names, or None: no guessing at typos."""
    try:
        row = kb.place(name)
    except UnknownName:
        return None
    names = {fold(str(row[c])) for c in NAME_COLUMNS} | {fold(a) for a in row["aliases"]}
    return row if fold(name) in names else None


# --- 1. the long timeline ------------------------------------------------------------------------

LABEL_ORDER = ("agreement", "transfer of territory", "ceasefire", "political decision", "offensive",
               "armed clash", "diplomatic meeting", "humanitarian")


@_styled
def timeline(kb):
    """Every event from 1921 on, one band per era, each band on its own time scale."""
    events = kb.events
    width, height = 12, 9
    fig = _figure(width, height)
    # In inches: each band is a title line, the axes and a line of tick labels; the footnote's line is at the
    # bottom; the first and last tick labels may stick out a little left and right of the axes.
    title, ticks, foot, top, side = 0.34, 0.32, 0.42, 0.04, 0.15
    band = (height - foot - top) / len(ERAS)
    axes: list = []
    for i in range(len(ERAS)):
        bottom = foot + (len(ERAS) - 1 - i) * band + ticks
        axes.append(fig.add_axes(((side + 0.05) / width, bottom / height, (width - 2 * side - 0.05) / width,
                                  (band - title - ticks) / height)))
    ends = events["date_end"].fillna(events["date_start"])
    first = events["date_start"].min() if len(events) else pd.Timestamp("1921-01-01")
    last = ends.max() if len(events) else pd.Timestamp("2025-12-31")
    for i, (ax, (era, start, end)) in enumerate(zip(axes, ERAS, strict=False)):
        lo, hi = pd.Timestamp(start), pd.Timestamp(end)
        if i == 0:  # from 1921 (or the first event, if earlier) ...
            lo = pd.Timestamp(year=max(lo.year, min(first.year, 1921)), month=1, day=1)
        if i == len(ERAS) - 1:  # ... to 2025 (or the last event, if later)
            hi = pd.Timestamp(year=max(last.year, 2025), month=12, day=31)
        short = hi - lo < pd.Timedelta(days=400)
        span = f"{format_day(lo, year=False)} – {format_day(hi)}" if short else f"{lo.year}–{hi.year}"
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
        rank = {kind: n for n, kind in enumerate(LABEL_ORDER)}
        ranked = rows.assign(_rank=[rank.get(str(t), len(rank)) for t in rows["event_type"]],
                             _sources=-rows["source_ids"].str.len())
        ranked = ranked.sort_values(["_rank", "_sources", "date_start", "event_id"]).head(6)
        items = [(_num(r.date_start), _wrap(r.headline, 26), "normal") for r in ranked.itertuples()]
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
    fig = _figure(12, 7.5)
    ax = _one_axes(fig, [lane[0] for lane in LANES], bottom=0.8)
    x0, x1 = _num(start) - 1, _num(end) + 1.5
    _date_axis(ax, x0, x1)
    top = len(LANES) - 1
    ax.set_ylim(-0.6, top + 2.1)
    ax.set_yticks(range(len(LANES)), [lane[0] for lane in reversed(LANES)])
    ax.tick_params(axis="y", length=0)
    ax.set_title(f"The 2020 war day by day, {format_day(start, year=False)} – {format_day(end)}")
    for y in range(len(LANES)):
        ax.axhline(y, color=LIGHT, lw=1, zorder=0)
    if events.empty:
        ax.text(0.5, 0.5, "no events in the data for these days", transform=ax.transAxes, ha="center", color=GREY)
        return fig
    shusha = _find(kb, "Shusha")
    kinds = events["event_type"].astype(str)
    known = {kind for _, lane_kinds, _, _ in LANES if lane_kinds for kind in lane_kinds}
    towns = set(kb.places.loc[kb.places["kind"].astype(str).isin(MAP_KINDS), "place_id"])
    for lane, (_name, lane_kinds, colour, marker) in enumerate(LANES):
        y = top - lane
        rows = events[kinds.isin(lane_kinds) if lane_kinds else ~kinds.isin(known)]
        if rows.empty:
            continue
        spans = rows[rows["date_end"].notna() & (rows["date_end"] > rows["date_start"])]
        ax.hlines([y] * len(spans), _num(spans["date_start"]), _num(spans["date_end"]) + 1, colors=colour,
                  lw=7, alpha=0.45)
        ax.scatter(_num(rows["date_start"]), [y] * len(rows), color=colour, marker=marker, s=90, zorder=3,
                   linewidths=3 if marker == "|" else 1)
        if lane == 0:  # truces announced, labelled; the statement has its own line
            items = [(_num(r.date_start), _wrap(r.headline, 24, 3), "normal") for r in rows.iloc[:-1].itertuples()]
            _label_dates(ax, items, y, [(1, 1), (1, 2)], 10.2, (x0, x1), gap=8)
        if lane == 2:  # towns taken, each named once, Shusha starred
            items, named = [], set()
            for r in rows.itertuples():
                place = next((p for p in r.place_ids if p in towns), None)
                is_shusha = shusha is not None and shusha["place_id"] in r.place_ids
                if is_shusha:
                    ax.scatter([_num(r.date_start)], [y], marker="*", s=420, color=VERMILION, zorder=4)
                if place in named:
                    continue
                named.add(place)
                text = kb.label(place) if place else _wrap(r.headline, 22)
                items.append((_num(r.date_start), text, "bold" if is_shusha else "normal"))
            items.sort(key=lambda item: (item[2] != "bold", item[0]))
            _label_dates(ax, items, y, [(1, 1), (1, 2), (1, 3)], 10.2, (x0, x1), gap=9)
    fighting = events[kinds.isin(["armed clash", "offensive"])]
    agreements = events[kinds == "agreement"]
    marks = [(fighting.iloc[0], "left")] if len(fighting) else []
    marks += [(agreements.iloc[-1], "right")] if len(agreements) else []
    for event, ha in marks:
        x = _num(event["date_start"])
        ax.axvline(x, color=BLACK, lw=1.2, ls=(0, (4, 3)), zorder=1)
        ax.text(x + (0.4 if ha == "left" else -0.4), top + 2.0, f"{format_day(event['date_start'], year=False)}: "
                + _wrap(event["headline"], 34, 3), ha=ha, va="top", fontsize=12, fontweight="bold")
    _footnote(fig, "From events.csv. Dashed lines: the first day of fighting and the statement; ★ Shusha. "
                   "Bars: events that span days.")
    return fig


# --- 3. the handover schedule --------------------------------------------------------------------

@_styled
def handover_schedule(kb):
    """For each district handed over (Agdam, Kalbajar, Lachin): the deadline as signed, as revised, and met."""
    d = kb.deadlines.sort_values(["due", "place_id"], ascending=[False, True]).reset_index(drop=True)
    labels = [f"{_fit(kb.label(r.place_id), 3.2)}\nheld since {r.held_since.year}" for r in d.itertuples()]
    fig = _figure(11, 6)
    ax = _one_axes(fig, labels, bottom=0.9)
    ax.set_title("Handing over the districts: deadlines as signed, as revised, and met")
    if d.empty:
        _empty(ax, "no deadlines in the data")
        return fig
    dates = pd.concat([d["set_on"], d["due"], d["revised_due"], d["completed_on"]]).dropna()
    x0, x1 = _num(dates.min()) - 1.5, _num(dates.max()) + 2.5
    _date_axis(ax, x0, x1)
    ax.set_ylim(-0.6, len(d) - 0.1)
    ax.set_yticks(range(len(d)), labels)
    ax.tick_params(axis="y", length=0)
    signed = d["set_on"].min()
    ax.axvline(_num(signed), color=GREY, lw=1.2, ls=(0, (4, 3)))
    ax.text(_num(signed) + 0.3, len(d) - 0.15, f"statement signed {format_day(signed, year=False)}", ha="left",
            va="top", fontsize=12, color=GREY)
    for y, r in enumerate(d.itertuples()):
        end = next(v for v in (r.completed_on, r.revised_due, r.due) if pd.notna(v))
        ax.hlines(y, _num(r.set_on), _num(end), color=LIGHT, lw=12, zorder=0)
        ax.scatter([_num(r.due)], [y], s=340, facecolors="white", edgecolors=BLUE, linewidths=2.5, zorder=2,
                   label="deadline as signed")
        if pd.notna(r.revised_due):
            ax.annotate("", (_num(r.revised_due), y), (_num(r.due), y), zorder=2,
                        arrowprops=dict(arrowstyle="-|>", color=VERMILION, lw=2, shrinkA=10, shrinkB=11))
            ax.scatter([_num(r.revised_due)], [y], s=330, marker="D", color=VERMILION, zorder=3,
                       label="deadline as revised")
            middle = (_num(r.due) + _num(r.revised_due)) / 2
            ax.annotate(f"revised on {format_day(r.revised_on, year=False)}", (middle, y),
                        xytext=(0, 12), textcoords="offset points", ha="center", va="bottom", fontsize=12,
                        color=VERMILION)
        if pd.notna(r.completed_on):
            ax.scatter([_num(r.completed_on)], [y], s=110, marker="s", color=GREEN, edgecolors=BLACK, zorder=4,
                       label="handed over: Azerbaijani forces enter")
        for day in sorted({v for v in (r.due, r.revised_due, r.completed_on) if pd.notna(v)}):
            ax.annotate(format_day(day, year=False), (_num(day), y), xytext=(0, -17), textcoords="offset points",
                        ha="center", va="top", fontsize=12)
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=False))
    fig.legend(unique.values(), unique.keys(), loc="lower center", bbox_to_anchor=(0.5, 0), ncols=3, frameon=False,
               markerscale=0.8)
    return fig


from .maps import map, status_small_multiples, what_changed_hands  # noqa: E402, A004

# --- 6. the nine points and the actors they bind -------------------------------------------------

@_styled
def points_actors(kb):
    """Which actors each point of the statement binds or names (a square where ``terms.actor_ids`` lists one)."""
    terms = kb.terms.sort_values("point")
    order = {a: n for n, a in enumerate(kb.actors["actor_id"])}
    used = sorted({a for ids in terms["actor_ids"] for a in ids}, key=lambda a: (order.get(a, len(order)), a))
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"], strict=False))
    fig = _figure(11, 7.5, layout="constrained")  # rotated labels on top: left to the layout engine
    fig.suptitle("The nine points and whom they bind", x=0.01, ha="left")
    ax = fig.subplots()
    if terms.empty or not used:
        _empty(ax, "no points in the data")
        return fig
    xs, ys = [], []
    for y, ids in enumerate(terms["actor_ids"]):
        for a in ids:
            xs.append(used.index(a))
            ys.append(y)
    ax.scatter(xs, ys, s=300, marker="s", color=BLUE, zorder=3)
    ax.xaxis.tick_top()
    ax.set_xticks(range(len(used)), [_wrap(names.get(a, a), 22) for a in used], rotation=40, ha="left",
                  rotation_mode="anchor")
    ax.set_yticks(range(len(terms)),
                  [_wrap(f"{p}. {t}", 30) for p, t in zip(terms["point"], terms["title"], strict=False)])
    ax.set_xlim(-0.6, len(used) - 0.4)
    ax.set_ylim(len(terms) - 0.5, -0.5)
    ax.set_xticks([x + 0.5 for x in range(len(used) - 1)], minor=True)
    ax.set_yticks([y + 0.5 for y in range(len(terms) - 1)], minor=True)
    ax.grid(which="minor", color=LIGHT, lw=1)
    ax.tick_params(which="both", length=0)
    ax.spines[:].set_visible(False)
    counts = pd.Series(xs).value_counts()
    for x in range(len(used)):
        ax.text(x, len(terms) - 0.45, f"{counts.get(x, 0)}", ha="center", va="top", fontsize=12, color=GREY)
    ax.text(-0.7, len(terms) - 0.45, "points naming it:", ha="right", va="top", fontsize=12, color=GREY)
    return fig


# --- 7. casualty figures as reported -------------------------------------------------------------

@_styled
def casualties(kb):
    """The 2020 casualty figures as reported over time: a line per measure and claimant, military and civilian
    apart (their scales differ tenfold), a marker per claimant."""
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    q = kb.quantities[kb.quantities["category"] == "casualties"].sort_values(["as_of", "quantity_id"])
    value = q["value"].fillna((q["low"] + q["high"]) / 2).fillna(q["low"]).fillna(q["high"])  # or a bound
    q = q.assign(_value=value, _group=q["measure"].str.split().str[0])
    groups = sorted(q["_group"].unique(), reverse=True) if q["_group"].nunique() <= 3 else [None]
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"], strict=False))
    panels = []  # (group, its rows, its legend labels)
    for group in groups:
        rows = q if group is None else q[q["_group"] == group]
        keys = rows.groupby(["measure", "claimed_by"], sort=True).size().index
        panels.append((group, rows, [_legend_label(m, names.get(w, w)) for m, w in keys]))

    # Laid out in inches, so the axes stand where they are drawn and the end labels can be kept apart. A
    # legend is its widest line plus half an inch for the marker; the left margin holds the y label (0.55)
    # and the widest tick label; each panel is tall enough for its legend (about half an inch an entry).
    legend_width = max((_measure(label)[0] for _, _, labels in panels for label in labels), default=0) + 0.5
    tops = [max(1, rows[["_value", "high"]].max().max()) * 1.12 if len(rows) else 1 for _, rows, _ in panels]
    left = 0.55 + max((_measure(f"{top:,.0f}")[0] for top in tops), default=0.3)
    heights = [max(2.8, 0.52 * len(labels) + 0.4) for _, _, labels in panels] or [2.8]
    head, title, gap, foot = 0.45, 0.36, 0.12, 1.0  # suptitle; axes title; between panels; ticks, label, note
    width, height = 13, head + sum(heights) + len(heights) * title + (len(heights) - 1) * gap + foot
    right = width - 0.15 - legend_width - 0.15  # a margin on either side of the legend
    fig = _figure(width, height)
    axes: list = []
    y = height - head
    for h in heights:
        y -= title + h
        axes.append(fig.add_axes((left / width, y / height, (right - left) / width, h / height),
                                 sharex=axes[0] if axes else None))
        y -= gap
    fig.suptitle("Casualties of the 2020 war, as each side reported them", x=0.01, y=1 - 0.1 / height, ha="left",
                 va="top")
    _footnote(fig, "Number: the latest figure on the line. Shaded bar: a reported range (low–high). "
                   "Hollow: only a range (at its middle) or a bound.")
    if q.empty:
        _empty(axes[0], "no casualty figures in the data")
        return fig
    claimants = sorted(q["claimed_by"].unique())
    markers = ("o", "v", "s", "D", "^", "P", "X", "<", ">", "h")
    dates = _num(q["as_of"])
    span = max(dates.max() - dates.min(), 30)
    _date_axis(axes[-1], dates.min() - span * 0.03, dates.max() + span * 0.1)
    for ax, (group, rows, _), top in zip(axes, panels, tops, strict=False):
        ax.set_ylim(0, top)
        measures = sorted(rows["measure"].unique())
        ends = []
        for (measure, who), series in rows.groupby(["measure", "claimed_by"], sort=True):
            i = measures.index(measure)
            colour, dash = PALETTE[i % len(PALETTE)], ("-", "--", ":")[i // len(PALETTE) % 3]
            x, y = _num(series["as_of"]), series["_value"].to_numpy()
            marker = markers[claimants.index(who) % len(markers)]
            exact = series["value"].notna().to_numpy()
            ax.plot(x, y, color=colour, ls=dash, lw=2, marker=marker, ms=9, zorder=2,
                    label=_legend_label(measure, names.get(who, who)))
            if not exact.all():
                ax.plot(x[~exact], y[~exact], ls="none", marker=marker, ms=9, color=colour, mfc="white", zorder=3)
            ranged = (series["low"].notna() & series["high"].notna()).to_numpy()
            if ranged.any():
                ax.vlines(x[ranged], series["low"][ranged], series["high"][ranged], color=colour, lw=7, alpha=0.35)
            ends.append((x[-1], y[-1], f"{y[-1]:,.0f}", colour))
        _label_ends(ax, ends)
        ax.set_title(f"{group} casualties" if group else "casualties", fontsize=14)
        ax.yaxis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))  # whole people
        ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
        units = rows["unit"].unique()
        ax.set_ylabel(units[0] if len(units) == 1 else "figure as reported")
        ax.grid(axis="y", color=LIGHT)
        ax.legend(loc="upper left", bbox_to_anchor=(1, 1), borderaxespad=0, frameon=False, fontsize=12)
        if ax is not axes[-1]:
            ax.tick_params(labelbottom=False)
    axes[-1].set_xlabel("day the figure was reported")
    return fig


def _legend_label(measure: str, who: str) -> str:
    """'military deaths, Armenia' over 'reported by ...', each cut to a line that keeps the legend narrow."""
    return f"{_fit(str(measure), 5.0)}\n   reported by {_fit(str(who), 4.7)}"


def _label_ends(ax, ends, size=12) -> None:
    """Write each line's last figure just right of its last point; a label that would overlap one already
    written, lower down, moves up above it. ``ends``: (x, y, text, colour) in data units.

    Works in points from the figure's corner, so the axes must already stand where they will be drawn."""
    dpi = ax.figure.dpi
    placed: list = []  # (left, right, bottom) of each label
    floor = ax.get_position().y0 * ax.figure.get_figheight() * 72 + 2  # 2 points clear of the x axis
    gap = 8  # between a point and its label
    for x, y, text, colour in sorted(ends, key=lambda end: end[1]):
        px, py = ax.transData.transform((x, y)) * 72 / dpi
        width, height = (v * 72 for v in _measure(text, size))
        left, right, bottom = px + gap, px + gap + width, max(py - height / 2, floor)
        for other_left, other_right, other_bottom in sorted(placed, key=lambda box: box[2]):
            if left < other_right and other_left < right and abs(bottom - other_bottom) < height:
                bottom = other_bottom + height
        placed.append((left, right, bottom))
        ax.annotate(text, (x, y), xytext=(gap, bottom + height / 2 - py), textcoords="offset points",
                    va="center", fontsize=size, color=colour)


# --- 8. the news article's claims ----------------------------------------------------------------

@_styled
def claims(kb):
    """The news article's claims in order, each tagged with its verdict; the count per verdict beside them."""
    from matplotlib.patches import Rectangle

    c = kb.claims.sort_values("claim_id").reset_index(drop=True)
    verdicts = list(VERDICTS) + sorted(v for v in c["verdict"].astype(str).unique() if v not in VERDICTS)
    height = max(5.0, 0.4 * len(c) + 1.4)
    fig = _figure(13, height)
    top = 1 - 0.9 / height
    strip = fig.add_axes((0.01, 0.02, 0.76, top - 0.02))
    bars = fig.add_axes((0.88, 0.05, 0.09, top - 0.12))
    fig.suptitle("The news article's claims, checked against the sources", x=0.01, y=1 - 0.15 / height,
                 ha="left", va="top")
    counts = c["verdict"].astype(str).value_counts()
    bars.barh(range(len(verdicts)), [counts.get(v, 0) for v in verdicts],
              color=[VERDICTS.get(v, GREY) for v in verdicts], edgecolor=BLACK, lw=0.8, height=0.6)
    bars.set_yticks(range(len(verdicts)), verdicts)
    bars.set_ylim(len(verdicts) - 0.5, -0.5)
    bars.set_title("claims per verdict", fontsize=13, loc="right")
    bars.set_xticks([])
    bars.spines[["bottom", "left"]].set_visible(False)
    bars.tick_params(axis="y", length=0)
    for y, v in enumerate(verdicts):
        bars.text(counts.get(v, 0), y, f" {counts.get(v, 0)}", va="center", fontsize=13)
    bars.set_xlim(0, max(1, counts.max() if len(counts) else 1) * 1.4)
    strip.set_xlim(0, 1)
    strip.set_ylim(max(len(c), 8) - 0.5, -0.5)
    strip.axis("off")
    if c.empty:
        _empty(strip, "no claims in the data")
        return fig
    width = 0.76 * 13  # the strip, in inches
    tag = (max(_measure(v)[0] for v in verdicts) + 0.2) / width
    for y, r in enumerate(c.itertuples()):
        strip.add_patch(Rectangle((0, y - 0.4), tag, 0.8, color=VERDICTS.get(str(r.verdict), GREY), lw=0))
        strip.text(tag / 2, y, str(r.verdict), ha="center", va="center", fontsize=12)
        strip.text(tag + 0.01, y, r.claim_id, va="center", fontsize=12, color=GREY)
        text = r.claim + (f' (written "{r.as_written}")' if pd.notna(r.as_written) else "")
        strip.text(tag + 0.06, y, _fit(text, width * (0.99 - tag - 0.06)), va="center", fontsize=12)
    return fig


# --- 9. what became of each point ----------------------------------------------------------------

OUTCOMES = {"implemented": GREEN, "partly implemented": SKY, "not implemented": VERMILION, "overtaken": PURPLE}


@_styled
def outcomes(kb):
    """Each point of the statement: the dated events its outcome rests on, and the outcome as of the last."""
    o = kb.outcomes()
    labels = [_fit(f"{r.point}. {r.title}", 4.4) for r in o.itertuples()]
    fig = _figure(12, 7)
    ax = _one_axes(fig, labels, bottom=0.8)
    ax.set_title("What became of the nine points")
    if o["outcome"].isna().all():
        _empty(ax, "no outcomes in the data")
        return fig
    days = kb.events.set_index("event_id")["date_start"]
    signed = kb.deadlines["set_on"].min() if len(kb.deadlines) else o["as_of"].min()
    x0, x1 = _num(min(signed, o["as_of"].min())) - 60, _num(o["as_of"].max()) + 420
    _date_axis(ax, x0, x1)
    ax.set_ylim(len(o) - 0.4, -0.6)
    ax.set_yticks(range(len(o)), labels)
    ax.tick_params(axis="y", length=0)
    for y, r in enumerate(o.itertuples()):
        if pd.isna(r.outcome):
            continue
        colour = OUTCOMES.get(str(r.outcome), GREY)
        ax.hlines(y, _num(signed), _num(r.as_of), color=colour, lw=10, alpha=0.35, zorder=1)
        ax.scatter(_num(days[[e for e in r.event_ids if e in days.index]]), [y] * len(r.event_ids), s=55,
                   color=colour, edgecolors=BLACK, linewidths=0.6, zorder=3)
        ax.text(_num(r.as_of) + 25, y, f"{r.outcome} ({r.as_of.year})", va="center", fontsize=12, color=BLACK)
    _footnote(fig, "From outcomes.csv: bars run from the statement to the last event each judgement rests on; "
                   "dots are those events.")
    return fig


# --- every figure, and the gallery ---------------------------------------------------------------

class Spec(NamedTuple):
    """One figure of the gallery: ``draw(data)`` makes it; the words come from figures.toml."""

    name: str
    draw: Callable
    title: str
    description: str
    alt: str

    @property
    def cost(self) -> int:
        """Read only by the old parallel ``python -m kb figures``; goes when that command draws serially."""
        return 1


def _load_specs() -> list[Spec]:
    import sys
    import tomllib
    from importlib import resources

    table = tomllib.loads((resources.files(__package__) / "figures.toml").read_text(encoding="utf-8"))
    module = sys.modules[__name__]
    return [Spec(f["name"], getattr(module, f["name"]), f["title"], f["description"], f["alt"])
            for f in table["figure"]]


FIGURES = _load_specs()


def _freeze(fig) -> None:
    """For a figure left to the layout engine (points_actors): run it once and pin the axes where it put
    them, rounded, since the solver's last digits vary between runs and SVG names its clip paths by
    hashing the axes' positions to the last digit."""
    engine = fig.get_layout_engine()
    if engine is None:
        return
    engine.execute(fig)
    for ax in fig.axes:
        ax.set_position([round(v, 6) for v in ax.get_position().bounds])
    # None, not "none": "none" leaves a placeholder engine, and savefig draws twice for any engine.
    fig.set_layout_engine(None)


def _save(fig, path: Path, fmt: str) -> None:
    """Write to a temporary name and rename, so an interrupted run never leaves half a figure."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        fig.savefig(tmp, format=fmt, metadata=METADATA[fmt], **SAVE_OPTIONS.get(fmt, {}))
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
             "Each figure is drawn by a function in `kb/plots/` that takes the loaded data and returns a "
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


def prepare_output(out, formats) -> tuple[Path, list[str]]:
    """Check ``formats`` (a ValueError names an unknown one) and create ``out``; both, as a Path and a list."""
    formats = list(formats)
    unknown = [f for f in formats if f not in METADATA]
    if unknown or not formats:
        raise ValueError(f"formats {unknown or formats!r}: choose from {', '.join(METADATA)}")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    return out, formats


def figure_spec(name: str) -> Spec:
    """The entry of ``FIGURES`` called ``name``."""
    for spec in FIGURES:
        if spec.name == name:
            return spec
    raise UnknownName(f"no figure is called {name!r}; the figures are: {', '.join(s.name for s in FIGURES)}")


def write_figure(spec: Spec, data, out, formats=("svg", "png"), log=print) -> list[Path]:
    """Draw one figure of ``FIGURES`` from ``data`` into ``out``, once per format; log one line."""
    out, formats = prepare_output(out, formats)
    with _style():
        fig = spec.draw(data)
        _freeze(fig)
        paths = [out / f"{spec.name}.{fmt}" for fmt in formats]
        for path, fmt in zip(paths, formats, strict=False):
            _save(fig, path, fmt)
    log(f"{' '.join(str(p) for p in paths)}: {spec.title}")
    return paths


def write_gallery(out, formats=("svg", "png"), log=print) -> Path:
    """Write ``out/README.md``, the gallery of every figure in ``FIGURES``."""
    out, formats = prepare_output(out, formats)
    readme = out / "README.md"
    tmp = readme.with_name(f".README.md.{os.getpid()}.tmp")
    try:
        tmp.write_text(gallery(formats), encoding="utf-8", newline="\n")
        os.replace(tmp, readme)
    finally:
        tmp.unlink(missing_ok=True)
    log(f"{readme}: gallery")
    return readme


def write_all(data, out, formats=("svg", "png"), log=print) -> list[Path]:
    """Draw every figure in ``FIGURES`` from ``data`` into ``out`` in each format, and the gallery README.md.

    Prints one line per figure as it goes. The same data gives the same bytes on every run.
    ``python -m kb figures`` does the same work, shared among processes.
    """
    prepare_output(out, formats)
    written = [path for spec in FIGURES for path in write_figure(spec, data, out, formats, log)]
    return written + [write_gallery(out, formats, log)]
