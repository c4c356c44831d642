"""The explorers work without a browser: set a value, read the table or text that results."""
import base64

import pandas as pd
import pytest

from kb import widgets


def no_map(day):
    return None


@pytest.fixture
def status(data):
    return widgets.StatusExplorer(data, figure=no_map)


def test_slider_moves_the_status_table_and_countdown(status):
    before = status.table.copy()
    assert status.day == pd.Timestamp("2020-11-09")
    assert set(before["status"]) == {"under Armenian control"}
    status.set_day("2020-11-21")
    after = status.table.set_index("district")
    assert not after.equals(before.set_index("district"))
    assert after.loc["Aghdam / Akna", "status"] == "returned to Azerbaijan"
    assert after.loc["Lachin / Berdzor", "days_to_deadline"] == 10
    assert "Lachin / Berdzor: 10 days left" in status.text
    # the Output widget holds the same text
    shown = status.text_out.outputs[0]["data"]["text/plain"]
    assert shown == status.text


def test_slider_value_drives_the_update(status):
    status.slider.value = pd.Timestamp("2020-12-01")
    assert set(status.table["status"]) == {"returned to Azerbaijan"}
    assert "overdue" not in status.text


def test_countdown_shows_the_kalbajar_extension(status):
    status.set_day("2020-11-16")
    assert "moved from 15 Nov 2020" in status.text
    assert "deadline 25 Nov 2020" in status.text


def test_slider_refuses_days_outside_its_range(status):
    with pytest.raises(ValueError, match="runs from"):
        status.set_day("2019-01-01")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        status.set_day("21 November")


def test_map_is_drawn_into_the_output(data):
    from kb import plots

    explorer = widgets.StatusExplorer(data, end="2020-12-02", figure=lambda d: plots.map(data, day=d))
    first = explorer.map_out.outputs[0]["data"]["image/png"]
    assert base64.b64decode(first)[:8] == b"\x89PNG\r\n\x1a\n"
    explorer.set_day("2020-12-01")
    assert explorer.map_out.outputs[0]["data"]["image/png"] != first
    assert len(explorer.map_out.outputs) == 1


def test_timeline_explorer_filters(data):
    explorer = widgets.TimelineExplorer(data)
    assert len(explorer.table) == len(data.events)
    explorer.set(era="2020 war and handovers", event_type="transfer of territory")
    assert len(explorer.table) == 3
    explorer.set(place="Karvachar")
    assert "Azerbaijani army enters Kalbajar district" in explorer.text
    explorer.set(actor="Pashinyan", era="After the handovers")
    assert explorer.table["date_start"].min() >= pd.Timestamp("2020-12-02")
    explorer.controls["event_type"].value = "ceasefire"
    assert set(explorer.table["event_type"]) <= {"ceasefire"}
    with pytest.raises(ValueError, match="not among"):
        explorer.set(era="Bronze Age")


def test_clause_explorer(data):
    explorer = widgets.ClauseExplorer(data)
    assert explorer.text.startswith("Point: 1.")
    explorer.set_point(6)
    assert "Deadlines: Kalbajar / Karvachar: due 15 Nov 2020, moved to 25 Nov 2020" in explorer.text
    assert explorer.clause["bound"] == data.clause(6)["bound"]
    explorer.picker.value = 9
    assert "overtaken" in explorer.text
    with pytest.raises(ValueError):
        explorer.set_point(10)


def test_claim_quiz(data):
    quiz = widgets.ClaimQuiz(data)
    quiz.choose("c01")
    assert "Kielbaarya" in quiz.text and quiz.verdict is None
    wrong = quiz.answer("accurate")
    assert not wrong.correct and "as_written" in wrong.message
    assert quiz.answer("garbled").correct
    assert "Sources:" in quiz.text
    quiz.choose("c08")
    assert quiz.verdict is None and quiz.choice.value is None


def test_explorers_display_as_widgets(status):
    bundle = status._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert "0x" not in repr(status)


def test_import_kb_does_not_import_ipywidgets():
    import subprocess
    import sys

    code = "import sys, kb; kb.load(); print('ipywidgets' in sys.modules, 'matplotlib' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_returned_districts_show_no_countdown(status):
    status.set_day("2020-12-08")
    assert status.table["days_to_deadline"].isna().all()
    assert "overdue" not in status.text


def test_explorers_explain_themselves_where_they_cannot_be_drawn(status):
    bundle = status._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/plain"].startswith("[Day slider: an interactive explorer. Run the notebook")


def test_timeline_explorer_counts_in_good_english(data):
    explorer = widgets.TimelineExplorer(data)
    explorer.set(era="First war")
    assert explorer.text.startswith(f"{len(explorer.table)} events match.")
    explorer.set(era="2020 war and handovers", event_type="transfer of territory", place="Karvachar")
    assert len(explorer.table) == 1 and explorer.text.startswith("1 event matches.")


def test_the_slider_writes_days_as_the_course_does(status):
    labels = [label for label, _ in status.slider.options]
    assert labels[0] == "9 Nov 2020" and "1 Dec 2020" in labels


def test_the_slider_restyles_one_map_instead_of_drawing_a_new_one(data):
    from matplotlib.colors import to_hex

    from kb.plots.maps import AREA_STYLE

    explorer = widgets.StatusExplorer(data, end="2020-12-02")  # the default map
    fig, status = explorer._map
    agdam, lachin = status.areas["agdam"], status.areas["lachin"]
    artists = len(fig.axes[0].get_children())
    first = explorer.map_out.outputs[0]["data"]["image/jpeg"]
    explorer.set_day("2020-11-21")
    assert explorer._map[0] is fig and status.areas["agdam"] is agdam  # the same figure and patch, restyled
    assert len(fig.axes[0].get_children()) == artists
    assert to_hex(agdam.get_facecolor()).upper() == AREA_STYLE["returned to Azerbaijan"][0]
    assert agdam.get_hatch() == AREA_STYLE["returned to Azerbaijan"][1]
    assert to_hex(lachin.get_facecolor()).upper() == AREA_STYLE["under Armenian control"][0]
    assert "returned 20 Nov" in status.labels["agdam"].get_text()
    assert "21 Nov 2020" in status.title.get_text()
    assert explorer.map_out.outputs[0]["data"]["image/jpeg"] != first


def test_the_slider_map_shows_the_corridor_from_the_day_it_opened(data):
    explorer = widgets.StatusExplorer(data)  # starts on 9 November; the corridor is in use from 10 November
    status = explorer._map[1]
    road = status.route_lines["lachin-road-2020"]
    assert not road.get_visible()
    explorer.set_day("2020-11-21")
    assert road.get_visible() and explorer._map[1] is status
    assert "lachin-bypass-2022" not in status.route_lines  # not in use on any day of this slider
    legend = [t.get_text() for t in explorer._map[0].legends[0].get_texts()]
    assert any("Lachin corridor as signed" in t for t in legend)


def test_the_slider_shows_the_map_as_drawn_for_that_day(data):
    import io

    import numpy as np
    from PIL import Image

    explorer = widgets.StatusExplorer(data, end="2020-12-02")
    explorer.set_day("2020-11-21")
    output = explorer.map_out.outputs[0]
    shown = Image.open(io.BytesIO(base64.b64decode(output["data"]["image/jpeg"])))
    assert shown.format == "JPEG" and output["metadata"]["image/jpeg"]["alt"] == "Map as of 2020-11-21"
    drawn = np.asarray(explorer._map[0].canvas.buffer_rgba())[..., :3].astype(int)
    assert shown.size == (drawn.shape[1], drawn.shape[0])
    # the picture is the canvas as restyled for the day, up to JPEG's small losses: hardly a pixel is far off
    # (the 9 November map, Agdam still held, differs from it in about 1% of its pixels)
    far_off = np.abs(np.asarray(shown.convert("RGB")).astype(int) - drawn).max(axis=2) > 40
    assert far_off.mean() < 0.001


def test_the_shown_table_leaves_days_left_blank_once_a_district_is_returned(status):
    status.set_day("2020-11-21")
    markup = status.text_out.outputs[1]["data"]["text/html"]
    assert "NA" not in markup and "<td>4</td>" in markup and "<td>10</td>" in markup  # Kalbajar 4 days, Lachin 10
    assert pd.isna(status.table.set_index("district").loc["Aghdam / Akna", "days_to_deadline"])  # data stay NA


def test_table_countdown_and_map_come_from_one_frame(status):
    status.set_day("2020-11-16")
    frame = status.frame
    assert list(status.table["district"]) == list(frame["label"])
    assert status.countdown == list(frame["countdown"])


def test_timeline_explorer_shows_a_chosen_event_in_full(data):
    explorer = widgets.TimelineExplorer(data, era="First war")
    first = explorer.table["headline"].iloc[0]
    assert first in explorer.detail  # the first event of the table is shown at the start
    explorer.show("khojaly-1992")
    assert "What happened: Armenian forces" in explorer.detail
    assert "Where sources differ: Death toll differs by source: 613" in explorer.detail  # the note, uncut
    assert "Whose voice: Azerbaijani government" in explorer.detail and "Whose voice: Armenian media" in explorer.detail
    markup = explorer.detail_out.outputs[0]["data"]["text/html"]
    assert "Human Rights Watch" in markup and "<li>" in markup and 'href="http' in markup
    explorer.set(era="2020 war and handovers")
    assert explorer.event_picker.value != "khojaly-1992" and "Khojaly" not in explorer.detail
    with pytest.raises(ValueError, match="not in the table"):
        explorer.show("khojaly-1992")


def test_timeline_explorer_says_when_no_event_matches(data):
    explorer = widgets.TimelineExplorer(data, era="Soviet settlement", event_type="offensive")
    assert explorer.text.startswith("0 events match.") and explorer.detail.startswith("No event to read")


def test_describe_event_prints_the_whole_note_and_every_source(data):
    text = widgets.describe_event(data, "sumgait-pogrom-1988")
    event = data.events.set_index("event_id").loc["sumgait-pogrom-1988"]
    assert " ".join(event["note"].split()) in " ".join(text.split())
    assert f"Sources ({len(event['source_ids'])}):" in text
    assert "known to the year only" in widgets.describe_event(data, "azerbaijanis-leave-armenia-1988")


def test_clause_outcome_is_marked_as_the_courses_reading(data):
    assert "the course's reading" in widgets.describe_clause(data, 6)
    assert "the course's reading" not in widgets.describe_clause(data, 6, outcome=False)


def test_pictures_in_explorers_carry_alt_text(data):
    from kb import plots

    explorer = widgets.StatusExplorer(data, end="2020-11-10", figure=lambda day: plots.map(data, day=day))
    output = explorer.map_out.outputs[0]
    assert output["metadata"]["image/png"]["alt"] == output["data"]["text/plain"] != ""
