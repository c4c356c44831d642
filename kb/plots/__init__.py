"""Every figure of the course, drawn from a KB, and the files and gallery made from them.

    import kb, kb.plots
    data = kb.load()
    kb.plots.map(data, day="2020-11-20")     # a matplotlib Figure; a notebook shows it with its alt text

Each figure-level function takes a KB (and a day or a window where that makes sense) and returns a
``matplotlib.figure.Figure``: nothing is shown, nothing touches pyplot's global state, and the course's style
(fonts that read on a projected slide, the Okabe-Ito colour-blind-safe palette) applies only while the figure
is drawn. The modules, one per family: ``timelines`` (timeline, war_2020, handover_schedule, outcomes),
``maps`` (map, status_small_multiples, what_changed_hands, on the basemap), ``charts`` (points_actors,
casualties, claims); ``_style`` holds the palette and settings, ``gallery`` the figure list (``figures.toml``:
titles, descriptions, alt text) and the writing of files and the gallery.

Each figure is also an axes-level function that draws into an axes you give it and returns it, to put a
figure beside a plot of your own: ``draw_timeline(ax, data, era)``, ``draw_war_2020(ax, data)``,
``draw_casualties(ax, data, group)``, ``draw_claims(ax, data)`` ...
"""
from __future__ import annotations

from ._style import METADATA, PALETTE, STATUS_STYLE, STYLE, YELLOW
from .charts import (
           VERDICTS,
           casualties,
           claims,
           draw_casualties,
           draw_claims,
           draw_points_actors,
           draw_verdict_counts,
           points_actors,
)
from .gallery import FIGURES, Spec, figure_spec, gallery, prepare_output, write_all, write_figure, write_gallery
from .maps import HANDOVER_DAYS, map, status_small_multiples, what_changed_hands  # noqa: A004
from .timelines import WAR, draw_timeline, draw_war_2020, handover_schedule, outcomes, timeline, war_2020

__all__ = ["FIGURES", "Spec", "figure_spec", "gallery", "prepare_output", "write_figure", "write_gallery",
           "write_all", "timeline", "war_2020", "handover_schedule", "map", "status_small_multiples", "points_actors",
           "draw_points_actors", "draw_war_2020",
           "draw_timeline",
           "casualties", "draw_casualties", "claims", "draw_claims", "draw_verdict_counts", "outcomes",
           "what_changed_hands", "HANDOVER_DAYS", "WAR",
           "STATUS_STYLE", "PALETTE", "STYLE", "METADATA", "VERDICTS", "YELLOW"]
