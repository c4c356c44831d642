"""Charts: the nine points against the actors they bind, casualty figures as reported, the news article's claims."""
from __future__ import annotations

import pandas as pd

from ._layout import (
    _date_axis,
    _empty,
    _figure,
    _fit,
    _measure,
    _num,
    _wrap,
    _wrap_to,
)
from ._layout import figure_level as _styled
from ._style import BLACK, BLUE, GREEN, GREY, LIGHT, ORANGE, PALETTE, SKY, VERMILION

__all__ = ["points_actors", "draw_points_actors", "casualties", "draw_casualties", "claims", "draw_claims",
           "draw_verdict_counts", "VERDICTS"]

VERDICTS = {"accurate": GREEN, "oversimplified": SKY, "garbled": ORANGE, "inaccurate": VERMILION}


# --- 6. the nine points and the actors they bind -------------------------------------------------

@_styled
def points_actors(kb):
    """Which actors each point of the statement binds or names (a square where ``terms.actor_ids`` lists one).

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(11, 7.5, layout="constrained")
    fig.suptitle("The nine points and whom they bind", x=0.01, ha="left")
    draw_points_actors(fig.subplots(), kb)
    fig.legend(loc="outside lower center", ncols=3, frameon=False)
    return fig


def draw_points_actors(ax, kb):
    """Draw on ``ax`` a grid of the statement's points (rows) against the actors they concern (columns): a
    filled square where the text makes the actor its subject (``bound_ids``), a hollow one where it only names
    it (``named_ids``), a small dot where the point otherwise concerns it (``actor_ids``), and under each column
    how many points bind it.

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
    terms = kb.terms.sort_values("point")
    order = {a: n for n, a in enumerate(kb.actors["actor_id"])}
    concerned = [list(dict.fromkeys([*t.bound_ids, *t.named_ids, *t.actor_ids])) for t in terms.itertuples()]
    used = sorted({a for ids in concerned for a in ids}, key=lambda a: (order.get(a, len(order)), a))
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"], strict=False))
    if terms.empty or not used:
        _empty(ax, "no points in the data")
        return ax
    marks: dict[str, tuple[list[int], list[int]]] = {"bound": ([], []), "named": ([], []), "concerned": ([], [])}
    for y, (term, ids) in enumerate(zip(terms.itertuples(), concerned, strict=True)):
        for a in ids:
            how = "bound" if a in term.bound_ids else "named" if a in term.named_ids else "concerned"
            marks[how][0].append(used.index(a))
            marks[how][1].append(y)
    ax.scatter(*marks["bound"], s=300, marker="s", color=BLUE, zorder=3, label="the text makes it the subject")
    ax.scatter(*marks["named"], s=300, marker="s", facecolors="white", edgecolors=BLUE, linewidths=2, zorder=3,
               label="named, not bound")
    ax.scatter(*marks["concerned"], s=40, marker="o", color=GREY, zorder=3, label="concerned, not named as a party")
    xs = marks["bound"][0]
    ax.xaxis.tick_top()
    # level column heads, each broken into lines as wide as its column (the axes' width as it is now)
    column = 0.92 * ax.get_window_extent().width / ax.figure.dpi / len(used) - 0.12
    ax.set_xticks(range(len(used)), [_wrap_to(names.get(a, a), column, 11) for a in used], fontsize=11)
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
    ax.text(-0.7, len(terms) - 0.45, "points binding it:", ha="right", va="top", fontsize=12, color=GREY)
    return ax


# --- 7. casualty figures as reported -------------------------------------------------------------

@_styled
def casualties(kb):
    """The 2020 casualty figures as reported over time: a panel per group of measures (military and civilian
    apart, their scales differ tenfold), a line per measure and claimant, a marker per claimant.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    groups = _casualty_groups(kb) or [None]
    entries = [len(_casualty_rows(kb, group).groupby(["measure", "claimed_by"])) for group in groups]
    heights = [max(2.8, 0.52 * n + 0.4) for n in entries]  # each panel tall enough for its legend
    fig = _figure(13, sum(heights) + 0.4 * len(heights) + 1.4, layout="constrained")
    axes = fig.subplots(len(groups), 1, sharex=True, squeeze=False, height_ratios=heights)[:, 0]
    fig.suptitle("Casualties of the 2020 war, as each side reported them", x=0.01, ha="left")
    fig.supxlabel("Number: the latest figure on the line. Shaded bar: a reported range (low–high). "
                  "Hollow: only a range (at its middle) or a bound.", x=0.01, ha="left", fontsize=12, color=GREY)
    for ax, group in zip(axes, groups, strict=False):
        draw_casualties(ax, kb, group, end_labels=False)
        if ax is not axes[-1]:
            ax.tick_params(labelbottom=False)
            ax.set_xlabel("")
    # The end labels are kept apart in points, so they are placed once the layout has sized the axes.
    fig.draw_without_rendering()
    for ax in axes:
        _label_line_ends(ax)
    return fig


def _casualty_rows(kb, group=None) -> pd.DataFrame:
    """The casualty figures (of one group of measures, e.g. 'military'), each with a value to plot."""
    q = kb.quantities[kb.quantities["category"] == "casualties"].sort_values(["as_of", "quantity_id"])
    value = q["value"].fillna((q["low"] + q["high"]) / 2).fillna(q["low"]).fillna(q["high"])  # or a bound
    q = q.assign(_value=value, _group=q["measure"].str.split().str[0])
    return q if group is None else q[q["_group"] == group]


def _casualty_groups(kb) -> list:
    """The groups of measures drawn apart ('military', 'civilian'), or [None] if there are too many."""
    groups = _casualty_rows(kb)["_group"].unique()
    return sorted(groups, reverse=True) if len(groups) <= 3 else [None]


def draw_casualties(ax, kb, group=None, end_labels=True):
    """Draw on ``ax`` the casualty figures as reported over time: a line per measure and claimant, a marker per
    claimant, a shaded bar per reported range, and a legend beside the axes.

    Parameters
    ----------
    ax : matplotlib.axes.Axes
        Where to draw.
    kb : kb.KB
        The loaded data.
    group : str, optional
        Only the measures starting with this word ('military', 'civilian'); all of them by default.
    end_labels : bool
        Write each line's latest figure beside its last point, kept apart as the axes stand now.

    Returns
    -------
    matplotlib.axes.Axes
        ``ax``.
    """
    from matplotlib.ticker import MaxNLocator, StrMethodFormatter

    everything = _casualty_rows(kb)
    rows = everything if group is None else everything[everything["_group"] == group]
    names = dict(zip(kb.actors["actor_id"], kb.actors["name"], strict=False))
    ax.set_title(f"{group} casualties" if group else "casualties", fontsize=14)
    if rows.empty:
        _empty(ax, "no casualty figures in the data")
        return ax
    claimants = sorted(everything["claimed_by"].unique())
    markers = ("o", "v", "s", "D", "^", "P", "X", "<", ">", "h")
    dates = _num(everything["as_of"])
    span = max(dates.max() - dates.min(), 30)
    _date_axis(ax, dates.min() - span * 0.03, dates.max() + span * 0.1)
    ax.set_ylim(0, max(1, rows[["_value", "high"]].max().max()) * 1.12)
    measures = sorted(rows["measure"].unique())
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
    ax.yaxis.set_major_locator(MaxNLocator("auto", steps=[1, 2, 2.5, 5, 10], integer=True))  # whole people
    ax.yaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))
    units = rows["unit"].unique()
    ax.set_ylabel(units[0] if len(units) == 1 else "figure as reported")
    ax.set_xlabel("day the figure was reported")
    ax.grid(axis="y", color=LIGHT)
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), borderaxespad=0, frameon=False, fontsize=12)
    if end_labels:
        _label_line_ends(ax)
    return ax


def _label_line_ends(ax) -> None:
    """Label each legend line's last point with its figure."""
    ends = [(line.get_xdata()[-1], line.get_ydata()[-1], f"{line.get_ydata()[-1]:,.0f}", line.get_color())
            for line in ax.get_lines() if not line.get_label().startswith("_")]
    _label_ends(ax, ends)


def _legend_label(measure: str, who: str) -> str:
    """'military deaths, Armenia' over 'reported by ...', each cut to a line that keeps the legend narrow."""
    return f"{_fit(str(measure), 5.0)}\n   reported by {_fit(str(who), 4.7)}"


def _label_ends(ax, ends, size=12) -> None:
    """Write each line's last figure just right of its last point; a label that would overlap one already
    written, lower down, moves up above it. ``ends``: (x, y, text, colour) in data units.

    Works in points from the figure's corner, so the axes must already stand where they will be drawn."""
    dpi = ax.figure.dpi
    placed: list = []  # (left, right, bottom) of each label
    floor = ax.get_window_extent().y0 * 72 / dpi + 2  # 2 points clear of the x axis
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
    """The news article's claims in order, each tagged with its verdict; the count per verdict beside them.

    Parameters
    ----------
    kb : kb.KB
        The loaded data.

    Returns
    -------
    matplotlib.figure.Figure
    """
    fig = _figure(13, max(5.0, 0.4 * len(kb.claims) + 1.4), layout="constrained")
    strip, bars = fig.subplots(1, 2, width_ratios=[0.76, 0.09])
    fig.suptitle("The news article's claims, checked against the sources", x=0.01, ha="left")
    draw_verdict_counts(bars, kb)
    _claims_frame(strip, kb)
    # Each claim is cut to the strip's width, so the strip is measured once the layout has sized it.
    fig.draw_without_rendering()
    draw_claims(strip, kb)
    return fig


def _claims_frame(ax, kb) -> None:
    ax.set_xlim(0, 1)
    ax.set_ylim(max(len(kb.claims), 8) - 0.5, -0.5)
    ax.axis("off")


def draw_claims(ax, kb):
    """Draw on ``ax`` the news article's claims, one a line in order, each tagged with its verdict and cut
    (with …) to the width the axes have now.

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
    from matplotlib.patches import Rectangle

    c = kb.claims.sort_values("claim_id").reset_index(drop=True)
    _claims_frame(ax, kb)
    if c.empty:
        _empty(ax, "no claims in the data")
        return ax
    width = ax.get_window_extent().width / ax.figure.dpi  # the strip, in inches
    tag = (max(_measure(v)[0] for v in _verdicts(c)) + 0.2) / width
    for y, r in enumerate(c.itertuples()):
        ax.add_patch(Rectangle((0, y - 0.4), tag, 0.8, color=VERDICTS.get(str(r.verdict), GREY), lw=0))
        ax.text(tag / 2, y, str(r.verdict), ha="center", va="center", fontsize=12)
        ax.text(tag + 0.01, y, r.claim_id, va="center", fontsize=12, color=GREY)
        text = r.claim + (f' (written "{r.as_written}")' if pd.notna(r.as_written) else "")
        ax.text(tag + 0.06, y, _fit(text, width * (0.99 - tag - 0.06)), va="center", fontsize=12)
    return ax


def _verdicts(c) -> list:
    return list(VERDICTS) + sorted(v for v in c["verdict"].astype(str).unique() if v not in VERDICTS)


def draw_verdict_counts(ax, kb):
    """Draw on ``ax`` a bar per verdict: how many of the news article's claims got it.

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
    verdicts = _verdicts(kb.claims)
    counts = kb.claims["verdict"].astype(str).value_counts()
    ax.barh(range(len(verdicts)), [counts.get(v, 0) for v in verdicts],
            color=[VERDICTS.get(v, GREY) for v in verdicts], edgecolor=BLACK, lw=0.8, height=0.6)
    ax.set_yticks(range(len(verdicts)), verdicts)
    ax.set_ylim(len(verdicts) - 0.5, -0.5)
    ax.set_title("claims per verdict", fontsize=13, loc="right")
    ax.set_xticks([])
    ax.spines[["bottom", "left"]].set_visible(False)
    ax.tick_params(axis="y", length=0)
    for y, v in enumerate(verdicts):
        ax.text(counts.get(v, 0), y, f" {counts.get(v, 0)}", va="center", fontsize=13)
    ax.set_xlim(0, max(1, counts.max() if len(counts) else 1) * 1.4)
    return ax
