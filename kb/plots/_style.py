"""The figures' look: the palette, matplotlib settings applied only while a figure is drawn, and the Figure
class a notebook shows as a PNG with its alt text."""
from __future__ import annotations

import base64
import contextlib
import functools
import io
from typing import Any

from ..base import STATUS

__all__ = ["ORANGE", "SKY", "GREEN", "YELLOW", "BLUE", "VERMILION", "PURPLE", "BLACK", "GREY", "LIGHT", "PALETTE",
           "STATUS_STYLE", "STYLE", "METADATA", "style", "styled", "new_figure"]

# Okabe & Ito (2008), safe for the common colour-vision deficiencies.
ORANGE, SKY, GREEN, YELLOW, BLUE, VERMILION, PURPLE, BLACK = (
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
GREY, LIGHT = "#6E6E6E", "#DDDDDD"
PALETTE = (BLUE, ORANGE, GREEN, VERMILION, SKY, PURPLE, BLACK)  # no yellow: too faint on white for lines
# Colour and marker (or hatching, on maps) together, so status never rests on colour alone.
STATUS_STYLE: dict = {STATUS[0]: (SKY, "s"), STATUS[1]: (ORANGE, "^"), STATUS[2]: (GREEN, "o")}

STYLE: dict[str, Any] = {
    # DejaVu Sans ships with matplotlib: the same glyphs in every PNG. SVGs keep their text as text (smaller,
    # searchable, read by screen readers, editable on a slide); a viewer without DejaVu Sans falls back to
    # the next of these, chosen for similar widths.
    "font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans", "Verdana", "Bitstream Vera Sans", "Arial"],
    "font.size": 13, "axes.titlesize": 15, "axes.labelsize": 13, "figure.titlesize": 16,
    "xtick.labelsize": 12, "ytick.labelsize": 12, "legend.fontsize": 12, "legend.title_fontsize": 12,
    "axes.spines.top": False, "axes.spines.right": False, "axes.titlelocation": "left",
    "figure.facecolor": "white", "savefig.facecolor": "white", "savefig.dpi": 100,
    "svg.hashsalt": "kb-figures", "svg.fonttype": "none", "hatch.linewidth": 1.0,
}
# No timestamps and no software versions in the files, so every run writes the same bytes.
METADATA = {
    "svg": {"Date": None, "Creator": None},
    "png": {"Software": None},
    "pdf": {"CreationDate": None, "Creator": None, "Producer": None},
}


@contextlib.contextmanager
def style():
    """Matplotlib's defaults plus STYLE, whatever the user's matplotlibrc; restored afterwards."""
    import matplotlib
    from cycler import cycler

    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        for key, value in STYLE.items():
            matplotlib.rcParams[key] = value  # type: ignore[index]  # keys are checked at run time
        matplotlib.rcParams["axes.prop_cycle"] = cycler(color=PALETTE)
        yield


def styled(draw):
    """Draw a figure inside the course's style; the caller's matplotlib settings are left alone."""
    @functools.wraps(draw)
    def wrapper(*args, **kwargs):
        with style():
            return draw(*args, **kwargs)
    return wrapper


@functools.cache
def _figure_class():
    from matplotlib.figure import Figure

    class KBFigure(Figure):
        """A Figure that a notebook shows as a PNG with its alt text, even without ``%matplotlib inline``.

        ``alt`` is the figure's alt text (from figures.toml); a notebook's text output is that text."""

        alt = ""

        def _png(self) -> bytes:
            buffer = io.BytesIO()
            self.savefig(buffer, format="png", dpi=100, metadata=METADATA["png"])
            return buffer.getvalue()

        def _repr_mimebundle_(self, include=None, exclude=None):
            png = base64.b64encode(self._png()).decode("ascii")
            alt = self.alt or "A figure of the course."
            return {"image/png": png, "text/plain": alt}, {"image/png": {"alt": alt}}

        def __repr__(self) -> str:
            return self.alt or super().__repr__()

    return KBFigure


def new_figure(width: float = 10, height: float = 6, layout: str | None = "constrained", alt: str = ""):
    """A KBFigure ``width`` x ``height`` inches, laid out by matplotlib's constrained layout by default."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = _figure_class()(figsize=(width, height), layout=layout)
    FigureCanvasAgg(fig)  # a canvas that can measure text, with or without pyplot
    fig.alt = alt
    return fig
