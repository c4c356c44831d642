"""Figures along time: the long timeline, the 2020 war day by day, the handover schedule, what became of the
nine points."""
from __future__ import annotations

import pandas as pd

from ..base import ERAS, as_day, format_day
from ._layout import (
    MAP_KINDS,
    _date_axis,
    _empty,
    _figure,
    _find,
    _fit,
    _footnote,
    _label_dates,
    _num,
    _wrap,
)
from ._layout import figure_level as _styled
from ._style import BLACK, BLUE, GREEN, GREY, LIGHT, ORANGE, PURPLE, SKY, VERMILION

__all__ = ["timeline", "draw_timeline", "war_2020", "draw_war_2020", "handover_schedule", "draw_handover_schedule",
           "outcomes", "draw_outcomes", "WAR"]

ERA_COLOURS = (PURPLE, VERMILION, BLUE, ORANGE, GREEN)
WAR = ("2020-09-27", "2020-11-10")


# --- 1. the long timeline ------------------------------------------------------------------------

LABEL_ORDER = ("agreement", "transfer of territory", "ceasefire", "political decision", "offensive",
               "armed clash", "diplomatic meeting", "humanitarian")


@_styled
def timeline(kb):
    """Every event from 1921 on, one band per era, each band on its own time scale.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(12, 9, layout="constrained")
    axes = fig.subplots(len(ERAS), 1)
    for ax, (era, _, _) in zip(axes, ERAS, strict=False):
        _timeline_frame(ax, kb, era)
    # The labels are kept apart along each band's width, so they are placed once the layout has sized the bands.
    fig.draw_without_rendering()
    for ax, (era, _, _) in zip(axes, ERAS, strict=False):
        draw_timeline(ax, kb, era)
    fig.supxlabel("Each band has its own time scale. Hollow: date known only to the month or year. "
                  "Bars: events that span days.", x=0.01, ha="left", fontsize=12, color=GREY)
    return fig


def _timeline_frame(ax, kb, era) -> tuple[float, float]:
    """The band of ``era``: its title and its own time scale; returns the x limits."""
    events = kb.events
    i = [name for name, _, _ in ERAS].index(era)
    _, start, end = ERAS[i]
    ends = events["date_end"].fillna(events["date_start"])
    first = events["date_start"].min() if len(events) else pd.Timestamp("1921-01-01")
    last = ends.max() if len(events) else pd.Timestamp("2025-12-31")
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
    return x0 - pad, x1 + pad


def draw_timeline(ax, kb, era=ERAS[-1][0]):
    """Draw on ``ax`` the events of one era on its own time scale: a marker per event at its start (hollow
    where only the month or year is known), a bar for events that span days, and the most telling labelled,
    kept apart along the axes' width as they stand now.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kb : kb.KB
        The loaded data.
    era : str
        One of the eras of ``kb.base.ERAS``; the latest by default.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    xlim = _timeline_frame(ax, kb, era)
    colour = ERA_COLOURS[[name for name, _, _ in ERAS].index(era)]
    ax.axhline(0, color=LIGHT, lw=1, zorder=0)
    events = kb.events
    rows = events[events["era"] == era]
    if rows.empty:
        ax.text(0.5, 0.5, "no events in the data", transform=ax.transAxes, ha="center", color=GREY)
        return ax
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
    _label_dates(ax, items, 0, [(1, 1), (-1, 1)], ax.get_window_extent().width / ax.figure.dpi, xlim, gap=8)
    return ax


# --- 2. the 2020 war -----------------------------------------------------------------------------

LANES = (  # top to bottom
    ("Truce or statement\nannounced", ("agreement",), BLUE, "D"),
    ("Ceasefire\nin force", ("ceasefire",), GREEN, "|"),
    ("Towns taken", ("offensive", "transfer of territory"), VERMILION, "v"),
    ("Other events", None, GREY, "o"),
)


@_styled
def war_2020(kb, start=WAR[0], end=WAR[1]):
    """The 2020 war day by day: its start, truces announced and in force, towns taken, the statement.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.
    start, end : str or date-like
        The first and last day shown.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(12, 7.5, layout="constrained")
    ax = fig.subplots()
    _war_frame(ax, as_day(start, "start"), as_day(end, "end"))
    # The labels are kept apart along the axes' width, so they are placed once the layout has sized the axes.
    fig.draw_without_rendering()
    draw_war_2020(ax, kb, start, end)
    if ax.collections:
        fig.supxlabel("From events.csv. Dashed lines: the first day of fighting and the statement; ★ Shusha. "
                      "Bars: events that span days.", x=0.01, ha="left", fontsize=12, color=GREY)
    return fig


def _war_frame(ax, start, end) -> tuple[float, float]:
    """The lanes, the days from ``start`` to ``end`` and the title; returns the x limits."""
    x0, x1 = _num(start) - 1, _num(end) + 1.5
    _date_axis(ax, x0, x1)
    ax.set_ylim(-0.6, len(LANES) + 1.1)
    ax.set_yticks(range(len(LANES)), [lane[0] for lane in reversed(LANES)])
    ax.tick_params(axis="y", length=0)
    ax.set_title(f"The 2020 war day by day, {format_day(start, year=False)} – {format_day(end)}")
    return x0, x1


def draw_war_2020(ax, kb, start=WAR[0], end=WAR[1]):
    """Draw on ``ax`` the 2020 war day by day: a lane each for truces announced, ceasefires in force, towns
    taken and other events, a marker per event at its date, labels kept apart along the axes' width as they
    stand now.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kb : kb.KB
        The loaded data.
    start, end : str or date-like
        The first and last day shown.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    start, end = as_day(start, "start"), as_day(end, "end")
    events = kb.timeline(start, end)
    x0, x1 = _war_frame(ax, start, end)
    top = len(LANES) - 1
    for y in range(len(LANES)):
        ax.axhline(y, color=LIGHT, lw=1, zorder=0)
    if events.empty:
        ax.text(0.5, 0.5, "no events in the data for these days", transform=ax.transAxes, ha="center", color=GREY)
        return ax
    width_in = ax.get_window_extent().width / ax.figure.dpi
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
            _label_dates(ax, items, y, [(1, 1), (1, 2)], width_in, (x0, x1), gap=8)
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
            _label_dates(ax, items, y, [(1, 1), (-1, 1), (1, 2), (-1, 2)], width_in, (x0, x1), gap=9)
    fighting = events[kinds.isin(["armed clash", "offensive"])]
    agreements = events[kinds == "agreement"]
    marks = [(fighting.iloc[0], "left")] if len(fighting) else []
    marks += [(agreements.iloc[-1], "right")] if len(agreements) else []
    for event, ha in marks:
        x = _num(event["date_start"])
        ax.axvline(x, color=BLACK, lw=1.2, ls=(0, (4, 3)), zorder=1)
        ax.text(x + (0.4 if ha == "left" else -0.4), top + 2.0, f"{format_day(event['date_start'], year=False)}: "
                + _wrap(event["headline"], 34, 3), ha=ha, va="top", fontsize=12, fontweight="bold")
    return ax


# --- 3. the handover schedule --------------------------------------------------------------------

@_styled
def handover_schedule(kb):
    """For each district handed over (Agdam, Kalbajar, Lachin): the deadline as signed, as revised, and met.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(11, 6, layout="constrained")
    ax = draw_handover_schedule(fig.add_subplot(), kb)
    handles, names = ax.get_legend_handles_labels()
    unique = dict(zip(names, handles, strict=False))
    if unique:
        fig.legend(unique.values(), unique.keys(), loc="outside lower center", ncols=3, frameon=False,
                   markerscale=0.8)
    return fig


def _schedule_labels(kb) -> list[str]:
    d = kb.deadlines.sort_values(["due", "place_id"], ascending=[False, True]).reset_index(drop=True)
    return [f"{_fit(kb.label(r.place_id), 3.2)}\nheld since {r.held_since.year}" for r in d.itertuples()]


def draw_handover_schedule(ax, kb):
    """Draw the handover schedule on ``ax``: a row per district, its deadline as signed, as revised, and met.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    d = kb.deadlines.sort_values(["due", "place_id"], ascending=[False, True]).reset_index(drop=True)
    labels = _schedule_labels(kb)
    ax.set_title("Handing over the districts: deadlines as signed, as revised, and met")
    if d.empty:
        _empty(ax, "no deadlines in the data")
        return ax
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
    return ax



# --- 9. what became of each point ----------------------------------------------------------------

OUTCOMES = {"implemented": GREEN, "partly implemented": SKY, "not implemented": VERMILION, "overtaken": PURPLE}


@_styled
def outcomes(kb):
    """Each point of the statement: the dated events its outcome rests on, and the outcome as of the last.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(12, 7, layout="constrained")
    ax = draw_outcomes(fig.add_subplot(), kb)
    if ax.collections:
        _footnote(fig, "From outcomes.csv: bars run from the statement to the day each judgement is dated; "
                       "dots are the events it rests on.")
    return fig


def draw_outcomes(ax, kb):
    """Draw on ``ax`` a row per point of the statement: a bar from the signing to the last event its outcome
    rests on, a dot per event, and the outcome.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    o = kb.point_outcomes()
    labels = [_fit(f"{r.point}. {r.title}", 4.4) for r in o.itertuples()]
    ax.set_title("What became of the nine points")
    if o["outcome"].isna().all():
        _empty(ax, "no outcomes in the data")
        return ax
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
    return ax
