"""Helpers the timelines and charts share: the figure-level decorator, date axes, and labels that avoid each
other where they genuinely collide (measured with the figures' font)."""
from __future__ import annotations

import functools
import textwrap

import pandas as pd

from ..base import format_day
from ..errors import UnknownName
from ..names import NAME_COLUMNS, fold
from ._style import GREY, STYLE, new_figure, styled

__all__ = ["figure_level", "DAYS_OF_MONTH", "MAP_KINDS"]

DAYS_OF_MONTH = ((1, 5, 10, 15, 20, 25), (1, 8, 15, 22), (1, 15), (1,))  # date ticks, densest first
MAP_KINDS = ("district", "city", "town", "village", "mountain pass")


def figure_level(draw):
    """A figure-level function: drawn in the course's style, its figure carrying its alt text (figures.toml)."""
    drawn = styled(draw)

    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        fig = drawn(*args, **kwargs)
        if not fig.alt:
            from .gallery import FIGURES

            fig.alt = next((spec.alt for spec in FIGURES if spec.name == draw.__name__), "")
        return fig
    return wrapper


def _figure(width: float = 10, height: float = 6, layout: str | None = None):
    return new_figure(width, height, layout=layout)


def _footnote(fig, text: str) -> None:
    """A line of small print at the foot of the figure, left-aligned; the layout engine makes room for it."""
    fig.supxlabel(text, x=0.01, ha="left", fontsize=12, color=GREY)


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


def _wrap_to(text: str, width_in: float, size: float = 12) -> str:
    """``text`` broken between words into lines no wider than ``width_in`` inches (a longer word keeps its line)."""
    lines: list[str] = []
    for word in str(text).split():
        if lines and _measure(f"{lines[-1]} {word}", size)[0] <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


def _label_dates(ax, items, y, slots, width_in, xlim, gap=10, size=12) -> int:
    """Label points along a date axis without overlap, most important first; returns how many fit.

    ``items``: (x, text, weight) with x a date number, best first. ``slots``: (side, level) pairs,
    side +1 above and -1 below ``y``; a label takes the first slot where it clears the labels already there
    and no connector crosses it: a label's connector runs from its point through the lower levels of its side.
    """
    lo, hi = xlim
    scale = width_in / (hi - lo)
    placed: list[tuple[int, int, float, float, float]] = []  # side, level, left, right, point (inches)

    def fits(side, level, left, right, centre) -> bool:
        for s, lv, a, b, c in placed:
            if s != side:
                continue
            if lv == level and not (left > b + 0.15 or right < a - 0.15):
                return False  # the two labels would touch
            if lv < level and a - 0.08 <= centre <= b + 0.08:
                return False  # this connector would cross that label
            if lv > level and left - 0.08 <= c <= right + 0.08:
                return False  # that connector would cross this label
        return True

    for x, text, weight in items:
        width, height = _measure(text, size, weight)
        centre = (x - lo) * scale
        left, ha = centre - width / 2, "center"
        if left < 0:
            left, ha = centre - 0.1, "left"
        elif left + width > width_in:
            left, ha = centre - width + 0.1, "right"
        slot = next(((side, level) for side, level in slots if fits(side, level, left, left + width, centre)), None)
        if slot is None:
            continue
        side, level = slot
        placed.append((side, level, left, left + width, centre))
        offset = side * (gap + (level - 1) * (height * 72 + 4))
        relpos = ({"left": 0, "center": 0.5, "right": 1}[ha], 0 if side > 0 else 1)  # the connector's end
        ax.annotate(text, (x, y), xytext=(0, offset), textcoords="offset points", ha=ha,
                    va="bottom" if side > 0 else "top", fontsize=size, fontweight=weight,
                    arrowprops=dict(arrowstyle="-", color=GREY, lw=0.8, patchA=None, relpos=relpos,
                                    shrinkA=1, shrinkB=1))
    return len(placed)


def _find(kb, name: str):
    """The row of ``places`` that has exactly ``name`` among its names, or None: no guessing at typos."""
    try:
        row = kb.place(name)
    except UnknownName:
        return None
    names = {fold(str(row[c])) for c in NAME_COLUMNS} | {fold(a) for a in row["aliases"]}
    return row if fold(name) in names else None


