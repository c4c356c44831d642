"""Interactive explorers for the notebooks, built on ipywidgets.

Each explorer is a small object that holds its controls and an ``ipywidgets.Output`` for what it
shows; it displays as its widget in a notebook. Every explorer can be driven from code, without a
browser, and its result read back as a table or as text, so the tests (and a student) can use it:

>>> from kb.widgets import StatusExplorer
>>> explorer = StatusExplorer(figure=lambda day: None)   # no map, for speed
>>> explorer.set_day("2020-11-21")
>>> explorer.table["status"].tolist()[:2]
['under Armenian control', 'returned to Azerbaijan']

ipywidgets and matplotlib are imported only when an explorer is built, so ``import kb`` stays fast.
Nothing here prints: all output goes to the explorers' Output widgets.
"""
from __future__ import annotations

import base64
import html
import io
import sys
import textwrap
from typing import Any

import pandas as pd

from .base import ERAS, MONTHS, as_day, format_day
from .checks import Verdict, choice_verdict

__all__ = ["StatusExplorer", "TimelineExplorer", "ClauseExplorer", "ClaimQuiz", "clause_parts", "describe_clause",
           "event_parts", "describe_event", "figure_png"]

ANY = "(any)"


def _data(data):
    from . import _or_shipped

    return _or_shipped(data)


def figure_png(fig, dpi: int | None = None) -> bytes:
    """Render a matplotlib figure to PNG bytes and close it (so figures do not pile up)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    if "matplotlib.pyplot" in sys.modules:
        sys.modules["matplotlib.pyplot"].close(fig)
    return buffer.getvalue()


def _canvas_jpeg(canvas) -> bytes:
    """What a canvas has just drawn, as JPEG (no second drawing, as savefig would make).

    JPEG rather than PNG for the slider's steps: about 10 ms to encode the map instead of about 80 ms, and
    smaller. Quality 90 without chroma subsampling keeps text and hatching sharp; the figures on disk stay PNG.
    """
    from PIL import Image

    buffer = io.BytesIO()
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    image.save(buffer, format="jpeg", quality=90, subsampling=0)
    return buffer.getvalue()


def _image_output(image: bytes, alt: str, mime: str = "image/png") -> dict:
    """A picture that a screen reader can describe: the alt text in its metadata and as its plain text."""
    return {"output_type": "display_data", "metadata": {mime: {"alt": alt}},
            "data": {mime: base64.b64encode(image).decode("ascii"), "text/plain": alt}}


def _html_output(markup: str, plain: str) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {"text/html": markup, "text/plain": plain}}


def _table_html(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, border=0, na_rep="", escape=True)


class _Explorer:
    """Common plumbing: the widget tree, display in a notebook, plain text of what is shown."""

    widget: Any = None  # the ipywidgets tree, built by each explorer
    title = "Explorer"
    _text = ""

    def _repr_mimebundle_(self, **kwargs):
        bundle = self.widget._repr_mimebundle_(**kwargs)
        # what a reader sees where the widget can't be drawn (no kernel, or an untrusted notebook)
        bundle["text/plain"] = (f"[{self.title}: an interactive explorer. Run the notebook in Jupyter to use it; "
                                "the still picture beside it shows where it starts.]")
        return bundle

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: display it in a notebook; .text gives what it shows>"

    @property
    def text(self) -> str:
        """What the explorer shows now, as plain text."""
        return self._text


class StatusExplorer(_Explorer):
    """An "as of" day slider: the status map, the status table and a countdown to each deadline.

    Each step asks the KB for one frame (:func:`kb.frames.status_frame`: each district with its label,
    status and deadline in force) and shows it: the table and countdown come from the frame, and the map,
    drawn once, is restyled in place (face colours, hatching, labels, title) rather than drawn anew.
    ``figure(day)`` replaces the map with any figure for a day; ``figure=lambda day: None`` leaves it out.
    """

    title = "Day slider"

    def __init__(self, data=None, start="2020-11-09", end="2020-12-31", day=None, figure=None):
        import ipywidgets as w

        self.data = _data(data)
        self._figure = figure
        self._map = None  # (figure, StatusMap), built on the first step
        self.days = list(pd.date_range(as_day(start, "start"), as_day(end, "end"), freq="D"))
        first = as_day(day, "day") if day is not None else self.days[0]
        self.slider = w.SelectionSlider(options=[(format_day(d), d) for d in self.days], value=first,
                                        description="As of", continuous_update=False,
                                        layout=w.Layout(width="95%"))
        self.map_out = w.Output(layout=w.Layout(min_width="420px"))
        self.text_out = w.Output()
        self.widget = w.VBox([self.slider, w.HBox([self.map_out, self.text_out])])
        self.frame = None
        self.table = None
        self.countdown: list[str] = []
        self.slider.observe(lambda change: self._update(), names="value")
        self._update()

    @property
    def day(self) -> pd.Timestamp:
        return self.slider.value

    def set_day(self, day) -> None:
        """Move the slider to ``day`` ('YYYY-MM-DD' or a date) and redraw."""
        day = as_day(day, "day")
        if day not in self.days:
            raise ValueError(f"the slider runs from {self.days[0]:%Y-%m-%d} to {self.days[-1]:%Y-%m-%d}; "
                             f"got {day:%Y-%m-%d}")
        if day == self.slider.value:
            self._update()
        else:
            self.slider.value = day

    def _map_picture(self, day, frame) -> tuple[bytes, str] | None:
        """The map for ``day`` and its type: the one figure, restyled for the frame, as JPEG (or
        ``figure(day)`` as PNG, if given)."""
        if self._figure is not None:
            fig = self._figure(day)
            return None if fig is None else (figure_png(fig), "image/png")
        from .plots._style import style
        from .plots.maps import status_figure

        with style():
            if self._map is None:
                fig, status = status_figure(self.data, day, days=self.days)
                # laid out once: a step changes colours and words, never what needs room
                fig.get_layout_engine().execute(fig)
                fig.set_layout_engine(None)
                self._map = (fig, status)
            else:
                self._map[1].update(frame)
            canvas = self._map[0].canvas
            canvas.draw()
            return _canvas_jpeg(canvas), "image/jpeg"

    def _update(self) -> None:
        from .frames import status_frame, status_table

        day = self.slider.value
        frame = status_frame(self.data, day)
        self.frame = frame
        self.table = frame[["label", "status", "deadline", "days_to_deadline"]].rename(columns={"label": "district"})
        self.countdown = list(frame["countdown"])
        heading = f"As of {format_day(day)}"
        self._text = "\n".join([heading, *self.countdown])
        shown = status_table(frame)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.countdown)
        self.text_out.outputs = (
            _html_output(f"<b>{heading}</b><ul>{items}</ul>", self._text),
            _html_output(_table_html(shown), shown.to_string(index=False)),
        )
        picture = self._map_picture(day, frame)
        if picture is not None:
            image, mime = picture
            self.map_out.outputs = (_image_output(image, f"Map as of {day:%Y-%m-%d}", mime),)


class TimelineExplorer(_Explorer):
    """Filter the events by era, type, place and actor, and read one event in full.

    The table lists the matching events; the event picker below it shows the chosen event's summary, the
    notes on where sources differ, and every source with whose voice it is (``origin``).
    """

    title = "Timeline explorer"

    def __init__(self, data=None, era=None, event_type=None, place=None, actor=None, event=None):
        import ipywidgets as w

        self.data = _data(data)
        events = self.data.events
        used_places = sorted({p for ids in events["place_ids"] for p in ids})
        used_actors = sorted({a for ids in events["actor_ids"] for a in ids})
        actor_names = self.data.actors.set_index("actor_id")["name"]
        place_options = sorted((self.data.label(p), p) for p in used_places if p in set(self.data.places["place_id"]))
        actor_options = sorted((actor_names.get(a, a), a) for a in used_actors)
        layout = w.Layout(width="auto")
        self.controls = {
            "era": w.Dropdown(options=[ANY, *[name for name, _, _ in ERAS]], description="Era", layout=layout),
            "event_type": w.Dropdown(options=[ANY, *events["event_type"].cat.categories], description="Type",
                                     layout=layout),
            "place": w.Dropdown(options=[(ANY, ANY), *place_options], description="Place", layout=layout),
            "actor": w.Dropdown(options=[(ANY, ANY), *actor_options], description="Actor", layout=layout),
        }
        self.out = w.Output()
        self.event_picker = w.Dropdown(options=[], description="Read", layout=w.Layout(width="95%"))
        self.detail_out = w.Output()
        self.widget = w.VBox([w.HBox(list(self.controls.values()), layout=w.Layout(flex_flow="row wrap")), self.out,
                              self.event_picker, self.detail_out])
        self.table: pd.DataFrame | None = None
        self.detail = ""
        self._busy = False
        for control in self.controls.values():
            control.observe(lambda change: self._update(), names="value")
        self.event_picker.observe(lambda change: self._show_event(), names="value")
        self.set(era=era, event_type=event_type, place=place, actor=actor)
        if event is not None:
            self.show(event)

    def set(self, era=None, event_type=None, place=None, actor=None) -> None:
        """Set the filters.

        Parameters
        ----------
        era, event_type : str, optional
            An era or an event type; None or '(any)' for no filter.
        place, actor : str, optional
            A place or an actor in any known spelling; None or '(any)' for no filter.
        """
        values = {"era": era or ANY, "event_type": event_type or ANY,
                  "place": ANY if place in (None, ANY) else self.data.place(place)["place_id"],
                  "actor": ANY if actor in (None, ANY) else self.data._actor_id(actor)}
        self._busy = True
        try:
            for name, value in values.items():
                control = self.controls[name]
                allowed = [o[1] if isinstance(o, tuple) else o for o in control.options]
                if value not in allowed:
                    raise ValueError(f"{name} {value!r} is not among the choices: {', '.join(map(str, allowed[1:]))}")
                control.value = value
        finally:
            self._busy = False
        self._update()

    def show(self, event_id: str) -> None:
        """Read one event of the table in full (its id, e.g. 'khojaly-1992').

        Parameters
        ----------
        event_id : str
            The id of an event among those the filters let through.
        """
        allowed = [value for _, value in self.event_picker.options]
        if event_id not in allowed:
            raise ValueError(f"event {event_id!r} is not in the table; change the filters, or pick one of: "
                             f"{', '.join(allowed[:8])}{' ...' if len(allowed) > 8 else ''}")
        if self.event_picker.value == event_id:
            self._show_event()
        else:
            self.event_picker.value = event_id

    def _update(self) -> None:
        if self._busy:
            return
        v = {name: control.value for name, control in self.controls.items()}
        found = self.data.timeline(event_type=None if v["event_type"] == ANY else v["event_type"],
                                   place=None if v["place"] == ANY else v["place"],
                                   actor=None if v["actor"] == ANY else v["actor"])
        if v["era"] != ANY:
            found = found[found["era"] == v["era"]]
        self.table = found[["date_start", "headline", "event_type", "era"]].reset_index(drop=True)
        shown = self.table.assign(date_start=self.table["date_start"].dt.strftime("%Y-%m-%d")).rename(
            columns={"date_start": "date", "event_type": "type"})
        summary = f"{len(found)} events match." if len(found) != 1 else "1 event matches."
        self._text = summary + ("\n" + shown.to_string(index=False) if len(found) else "")
        self.out.outputs = (_html_output(f"<p>{summary} Pick one below to read it in full.</p>"
                                         + (_table_html(shown) if len(found) else ""), self._text),)
        options = [(f"{format_day(r.date_start)}: {r.headline}", r.event_id) for r in found.itertuples()]
        keep = self.event_picker.value if self.event_picker.value in {o[1] for o in options} else None
        self._busy = True
        try:
            self.event_picker.options = options
            self.event_picker.value = keep if keep is not None else (options[0][1] if options else None)
        finally:
            self._busy = False
        self._show_event()

    def _show_event(self) -> None:
        if self._busy:
            return
        event_id = self.event_picker.value
        if event_id is None:
            self.detail = "No event to read: change the filters."
            self.detail_out.outputs = (_html_output(f"<p>{self.detail}</p>", self.detail),)
            return
        parts = event_parts(self.data, event_id)
        self.detail = "\n".join(f"{k}: {v}" for k, v in parts)
        markup = "".join(f"<p><b>{html.escape(k)}:</b> {html.escape(v)}</p>" for k, v in parts if k != "Sources")
        sources = self.data.sources.set_index("source_id")
        event = self.data.events.set_index("event_id").loc[event_id]
        items = "".join(f"<li>{_source_html(sources.loc[s])}</li>" for s in event["source_ids"] if s in sources.index)
        markup += f"<p><b>Sources ({len(event['source_ids'])}):</b></p><ul>{items}</ul>"
        self.detail_out.outputs = (_html_output(markup, self.detail),)


def _source_line(source: pd.Series) -> str:
    published = "" if pd.isna(source["published"]) else f", {format_day(source['published'])}"
    return f"{source['title']}. {source['publisher']}{published}. Whose voice: {source['origin']}."


def _source_html(source: pd.Series) -> str:
    text = html.escape(_source_line(source))
    if isinstance(source["url"], str) and source["url"].startswith("http"):
        text += f' <a href="{html.escape(source["url"])}" target="_blank" rel="noopener">link</a>'
    return text


def event_parts(data, event_id: str) -> list[tuple[str, str]]:
    """One event as (heading, text) pairs: when, what happened, where sources differ, who, and the sources.

    Parameters
    ----------
    data : KB
        The course's data.
    event_id : str
        An event's id, e.g. ``'khojaly-1992'``.

    Returns
    -------
    list of (str, str)
        The headings and texts, in the order a reader needs them.
    """
    rows = data.events.loc[data.events["event_id"] == event_id]
    if rows.empty:
        raise ValueError(f"no event has the id {event_id!r}; the ids are in data.events['event_id']")
    e = rows.iloc[0]
    when = format_day(e["date_start"], long=True)
    if e["date_precision"] == "year":
        when = f"{e['date_start'].year} (known to the year only)"
    elif e["date_precision"] == "month":
        when = f"{MONTHS[e['date_start'].month - 1]} {e['date_start'].year} (known to the month only)"
    if pd.notna(e["date_end"]):
        when += f" to {format_day(e['date_end'], long=True)}"
    actor_names = data.actors.set_index("actor_id")["name"]
    sources = data.sources.set_index("source_id")
    parts = [("Event", f"{e['headline']} ({e['event_type']})"), ("When", when), ("What happened", e["summary"])]
    if isinstance(e["note"], str) and e["note"].strip():
        parts.append(("Where sources differ", e["note"]))
    parts += [("Places", ", ".join(data.label(p) for p in e["place_ids"]) or "none recorded"),
              ("Actors", ", ".join(actor_names.get(a, a) for a in e["actor_ids"]) or "none recorded"),
              ("Sources", " | ".join(_source_line(sources.loc[s]) for s in e["source_ids"] if s in sources.index))]
    return parts


def describe_event(data, event_id: str, width: int = 110) -> str:
    """One event in full as wrapped plain text, for ``print``: summary, notes, sources with their origin.

    Parameters
    ----------
    data : KB
        The course's data.
    event_id : str
        An event's id, e.g. ``'khojaly-1992'``.
    width : int
        The width to wrap the text at.

    Returns
    -------
    str
        The text, one paragraph per heading and one line per source.
    """
    lines = []
    for heading, text in event_parts(data, event_id):
        items = text.split(" | ") if heading == "Sources" else [text]
        if heading == "Sources":
            lines.append(f"Sources ({len(items)}):")
            lines += [textwrap.fill(f"- {item}", width=width, subsequent_indent="  ") for item in items]
        else:
            lines.append(textwrap.fill(f"{heading}: {text}", width=width, subsequent_indent="    "))
    return "\n".join(lines)


class ClauseExplorer(_Explorer):
    """Pick a point of the statement: its summary, who is bound, its deadlines, its outcome, its sources."""

    title = "Clause explorer"

    def __init__(self, data=None, point: int = 1):
        import ipywidgets as w

        self.data = _data(data)
        options = [(f"{row.point}. {row.title}", int(row.point)) for row in self.data.terms.itertuples()]
        self.picker = w.Dropdown(options=options, value=point, description="Point", layout=w.Layout(width="auto"))
        self.out = w.Output()
        self.widget = w.VBox([self.picker, self.out])
        self.clause = None
        self.picker.observe(lambda change: self._update(), names="value")
        self._update()

    @property
    def point(self) -> int:
        return self.picker.value

    def set_point(self, point: int) -> None:
        """Show point ``point`` (1 to 9)."""
        self.data.clause(point)  # explains a bad point
        if point == self.picker.value:
            self._update()
        else:
            self.picker.value = point

    def _update(self) -> None:
        self.clause = self.data.clause(self.picker.value)
        parts = clause_parts(self.data, self.picker.value)
        self._text = "\n".join(f"{k}: {v}" for k, v in parts)
        markup = "".join(f"<p><b>{html.escape(k)}:</b> {html.escape(v)}</p>" for k, v in parts)
        self.out.outputs = (_html_output(markup, self._text),)


def clause_parts(data, point: int) -> list[tuple[str, str]]:
    """One point of the statement as (heading, text) pairs: what it says, who, deadlines, outcome, sources."""
    c = data.clause(point)
    deadlines = [f"{data.label(d.place_id)}: due {format_day(d.due)}"
                 + (f", moved to {format_day(d.revised_due)}" if pd.notna(d.revised_due) else "")
                 + (f"; done {format_day(d.completed_on)}" if pd.notna(d.completed_on) else "")
                 for d in c["deadlines"].itertuples()]
    outcome = c["outcome"]
    return [
        ("Point", f"{c['point']}. {c['title']}"),
        ("What it says", c["summary"]),
        ("Who is bound", ", ".join(c["bound"]) or "no state or force is made its subject"),
        ("Who is named only", ", ".join(c["named"]) or "no one"),
        ("How the text words it", c["binding"]),
        ("Deadlines", "; ".join(deadlines) if deadlines else "none with a date"),
        ("Outcome (the course's reading of the sources; each government words it differently)",
         "not judged yet" if outcome is None else
         f"{outcome['outcome']} (as of {format_day(outcome['as_of'])}): {outcome['explanation']}"),
        ("Sources", "; ".join(c["sources"])),
    ]


def describe_clause(data, point: int, outcome: bool = True, width: int = 100) -> str:
    """One point of the statement as wrapped plain text, for ``print``; ``outcome=False`` leaves out
    what became of it (notebook 03 keeps that for notebook 06)."""
    lines = []
    for heading, text in clause_parts(data, point):
        if heading.startswith("Outcome") and not outcome:
            continue
        lines.append(textwrap.fill(f"{heading}: {text}", width=width, subsequent_indent="    "))
    return "\n".join(lines)


CLAIM_HINTS = {
    "accurate": "check the claim's dates and names against data.timeline() and data.deadlines: do they all hold?",
    "garbled": "the facts may be close, but read the article's own words (column as_written): is every name "
               "and phrase rendered correctly?",
    "inaccurate": "look for a source that contradicts the claim outright.",
    "oversimplified": "is the claim true only in broad strokes? Ask what it leaves out, or which earlier or "
                      "later events it folds together.",
}


class ClaimQuiz(_Explorer):
    """The news article's claims one at a time: pick a verdict, see whether it matches the sources."""

    title = "Claim quiz"

    def __init__(self, data=None, claim_id: str | None = None):
        import ipywidgets as w

        self.data = _data(data)
        claims = self.data.claims
        self.verdicts = [str(v) for v in claims["verdict"].cat.categories]
        options = [(f"{r.claim_id}: {r.claim}", r.claim_id) for r in claims.itertuples()]
        self.picker = w.Dropdown(options=options, value=claim_id or claims["claim_id"].iloc[0], description="Claim",
                                 layout=w.Layout(width="95%"))
        self.choice = w.ToggleButtons(options=self.verdicts, value=None, description="Verdict")
        self.out = w.Output()
        self.widget = w.VBox([self.picker, self.choice, self.out])
        self.verdict: Verdict | None = None
        self.picker.observe(lambda change: self._new_claim(), names="value")
        self.choice.observe(lambda change: self._show(), names="value")
        self._show()

    @property
    def claim(self) -> pd.Series:
        return self.data.claims.set_index("claim_id").loc[self.picker.value]

    def choose(self, claim_id: str) -> None:
        """Show the claim ``claim_id`` (e.g. 'c08'), with no verdict picked yet."""
        if claim_id not in set(self.data.claims["claim_id"]):
            raise ValueError(f"no claim {claim_id!r}; the claims are c01 to c{len(self.data.claims):02d}")
        if claim_id == self.picker.value:
            self._new_claim()
        else:
            self.picker.value = claim_id

    def answer(self, verdict: str):
        """Pick a verdict for the claim shown; returns the check's Verdict."""
        if self.choice.value == verdict:
            self._show()
        else:
            self.choice.value = verdict
        return self.verdict

    def _new_claim(self) -> None:
        if self.choice.value is None:
            self._show()
        else:
            self.choice.value = None  # triggers _show

    def _show(self) -> None:
        claim = self.claim
        lines = [f"Claim {self.picker.value}: {claim['claim']}"]
        if isinstance(claim["as_written"], str):
            lines.append(f"The article's own words include: \u201c{claim['as_written']}\u201d")
        if self.choice.value is None:
            self.verdict = None
            lines.append("Pick a verdict: accurate, garbled, inaccurate or oversimplified.")
        else:
            self.verdict = choice_verdict(self.choice.value, self.verdicts, claim["verdict"],
                                          right=f"The course's reading agrees. {claim['correction']}",
                                          hints=[CLAIM_HINTS[claim["verdict"]]])
            lines.append(str(self.verdict))
            if self.verdict.correct:
                titles = self.data.sources.set_index("source_id")["title"]
                lines.append("Sources: " + "; ".join(titles.get(s, s) for s in claim["source_ids"]))
        self._text = "\n".join(lines)
        markup = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
        self.out.outputs = (_html_output(markup, self._text),)
