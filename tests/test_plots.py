"""Figures: each draws from the real data and from small synthetic data sets, and shows what it should (marks at
their dates, districts in the style of their status, no clashing labels); files are repeatable and atomic."""
import csv
import json
import os
import shutil
from pathlib import Path

import pandas as pd
import pytest

import kb
from kb import plots
from kb.plots import _layout, charts
from kb.plots._style import new_figure, style
from kb.package import default_data_dir

ROOT = Path(__file__).resolve().parent.parent
FIGURES_DIR = ROOT / "figures"
DRAW = [(spec.name, spec.draw) for spec in plots.FIGURES] + [
    ("map on a day", lambda data: plots.map(data, day="2020-11-20")),
    ("one small map", lambda data: plots.status_small_multiples(data, days=["2020-11-25"])),
]

# A small synthetic data package: invented rows shaped like the real ones (coordinates are real
# approximations), enough to exercise every figure. One row a line, cells separated by "|", columns in
# the order datapackage.json lists them.
S = "s1"
SYNTHETIC = {name: [row.split("|") for row in text.strip().splitlines()] for name, text in {
    "sources": """
s1|Synthetic source|Test|https://example.org/a|2020-11-10|primary|en|Azerbaijani government|
s2|Another|Test|https://example.org/b||secondary|en|independent media|""",
    "places": """
kalbajar|Kalbajar|district||40.11|46.04|Kəlbəcər|Քարվաճառ|Karvachar|Кельбаджар|true|Kelbajar;Kielbaarya|s1
agdam|Aghdam|district||39.99|46.93|Ağdam|Աղդամ|Aghdam|Агдам|false|Agdam;Akna|s1
lachin|Lachin|district||39.64|46.55|Laçın|Բերձոր|Berdzor|Лачин|true||s1
lachin-town|Lachin|town|lachin|39.64|46.55|Laçın|Բերձոր|Berdzor|Лачин|true||s1
stepanakert|Stepanakert|city||39.82|46.75|Xankəndi|Ստեփանակերտ|Stepanakert|Степанакерт|true|Khankendi|s1
shusha|Shusha|town||39.76|46.75|Şuşa|Շուշի|Shushi|Шуша|true||s1
goris|Goris|town||39.51|46.34|Gorus|Գորիս|Goris|Горис|false||s1
fuzuli|Fuzuli|town||39.60|47.14|Füzuli|Վարանդա|Varanda|Физули|true||s1
jabrayil|Jabrayil|town||39.40|47.03|Cəbrayıl|Ջրական|Jrakan|Джебраил|true||s1
hadrut|Hadrut|village||39.52|47.03|Hadrut|Հադրութ|Hadrut|Гадрут|false||s1
zangilan|Zangilan|town||39.09|46.65|Zəngilan|Կովսական|Kovsakan|Зангелан|true||s1
gubadli|Gubadli|town||39.34|46.58|Qubadlı|Կաշունիք|Kashunik|Кубатлы|true||s1
ganja|Ganja|city||40.68|46.36|Gəncə|Գանձակ|Gandzak|Гянджа|false||s1
sotk-pass|Sotk Pass|mountain pass||40.22|45.95|Zod|Սոթքի լեռնանցք|Sotk|Сотк|false||s1
baku|Baku|city||40.41|49.87|Bakı|Բաքու|Baku|Баку|false||s1
yerevan|Yerevan|city||40.18|44.51|İrəvan|Երևան|Yerevan|Ереван|false||s1
moscow|Moscow|city||55.75|37.62|Moskva|Մոսկվա|Moskva|Москва|false||s1
armenia-country|Armenia|country||40.1|45.0|Ermənistan|Հայաստան|Hayastan|Армения|false||s1
lachin-corridor|Lachin corridor|corridor||39.6|46.5|Laçın dəhlizi|Լաչինի միջանցք|Lachini|Лачинский коридор|false||s1""",
    "actors": """
armenia|Armenia|state||x||s1
azerbaijan|Azerbaijan|state||x||s1
russia|Russia|state||x||s1
aliyev|Ilham Aliyev|person|azerbaijan|x||s1
pashinyan|Nikol Pashinyan|person|armenia|x||s1
putin|Vladimir Putin|person|russia|x||s1
peacekeepers|Russian peacekeeping contingent|armed force|russia|x||s1
unhcr|UNHCR|international organisation||x||s1
fsb-border|FSB Border Guard Service|armed force|russia|x||s1""",
    "events": """
kavburo-1921|1921-07-05||day|Kavburo leaves Karabakh in Azerbaijan SSR|s|political decision||russia|s1|
nkao-1923|1923-07-01||month|Autonomous oblast created|s|political decision|||s1|
appeal-1988|1988-02-20||day|Regional soviet asks for transfer to Armenia|s|political decision|stepanakert||s1|
shusha-1992|1992-05-08||day|Armenian forces take Shusha|s|offensive|shusha|armenia|s1|
lachin-1992|1992-05-18||day|Armenian forces take Lachin|s|offensive|lachin|armenia|s1|
kalbajar-1993|1993-04-03||day|Armenian forces take Kalbajar|s|offensive|kalbajar|armenia|s1|
agdam-1993|1993-07-23||day|Armenian forces take Agdam|s|offensive|agdam|armenia|s1|
bishkek-1994|1994-05-05||day|Bishkek Protocol signed|s|agreement||armenia;azerbaijan|s1;s2|
ceasefire-1994|1994-05-12||day|Ceasefire in force|s|ceasefire|||s1|
four-day-war|2016-04-02|2016-04-05|day|Four-day war|s|armed clash|||s1|
tovuz-2020|2020-07-12|2020-07-16|day|Clashes on the Tovuz border|s|armed clash|||s1|
war-begins|2020-09-27||day|Azerbaijani offensive begins|s|offensive||azerbaijan|s1|
war|2020-09-27|2020-11-10|day|Second Karabakh war|s|armed clash|||s1|
hadrut-taken|2020-10-09||day|Hadrut taken|s|offensive|hadrut|azerbaijan|s1|
jabrayil-taken|2020-10-09||day|Jabrayil taken|s|offensive|jabrayil|azerbaijan|s1|
moscow-truce|2020-10-10||day|Moscow humanitarian truce agreed|s|agreement||armenia;azerbaijan;russia|s1|
moscow-truce-in-force|2020-10-10|2020-10-11|day|Truce in force|s|ceasefire|||s1|
fuzuli-taken|2020-10-17||day|Fuzuli taken|s|offensive|fuzuli|azerbaijan|s1|
second-truce|2020-10-17||day|Second humanitarian truce announced|s|agreement|||s1|
second-truce-in-force|2020-10-18||day|Second truce in force|s|ceasefire|||s1|
zangilan-taken|2020-10-20||day|Zangilan taken|s|offensive|zangilan|azerbaijan|s1|
us-truce|2020-10-25||day|Washington truce announced|s|agreement|||s1|
us-truce-in-force|2020-10-26||day|Washington truce in force|s|ceasefire|||s1|
gubadli-taken|2020-10-25||day|Gubadli taken|s|offensive|gubadli|azerbaijan|s1|
ganja-strike|2020-10-11||day|Missile strike on Ganja|s|armed clash|ganja||s1|
shusha-taken|2020-11-08||day|Azerbaijani forces take Shusha|s|offensive|shusha|azerbaijan|s1|
statement-signed|2020-11-09||day|Trilateral statement signed|s|agreement||aliyev;pashinyan;putin|s1;s2|
statement-in-force|2020-11-10||day|Ceasefire of the statement in force|s|ceasefire|||s1|
agdam-handover|2020-11-20||day|Agdam returned|s|transfer of territory|agdam|azerbaijan|s1|
kalbajar-handover|2020-11-25||day|Kalbajar returned|s|transfer of territory|kalbajar|azerbaijan|s1|
lachin-handover|2020-12-01||day|Lachin returned|s|transfer of territory|lachin|azerbaijan|s1|
moscow-meeting-2021|2021-01-11||day|Leaders meet in Moscow|s|diplomatic meeting|moscow|aliyev;pashinyan;putin|s1|
lachin-town-2022|2022-08-26||day|Lachin town handed over|s|transfer of territory|lachin-town||s1|
offensive-2023|2023-09-19|2023-09-20|day|One-day offensive|s|offensive|||s1|
peace-2025|2025-08-08||day|Peace text initialled|s|agreement|||s1|""",
    "terms": """
1|Complete ceasefire|s|armenia;azerbaijan|s1
2|Agdam returned by 20 November|s|armenia;azerbaijan|s1
3|Russian peacekeepers deployed|s|russia;peacekeepers|s1
4|Peacekeepers for five years, renewable|s|peacekeepers|s1
5|A peacekeeping centre to watch the ceasefire|s|russia;peacekeepers|s1
6|Kalbajar and Lachin returned; the corridor kept|s|armenia;azerbaijan;peacekeepers|s1
7|Refugees return under UNHCR|s|unhcr|s1
8|Prisoners and bodies exchanged|s|armenia;azerbaijan|s1
9|Transport links unblocked|s|armenia;azerbaijan;fsb-border|s1""",
    "deadlines": """
agdam-handover|2|agdam|a|2020-11-09|1993-07-23|2020-11-20|||2020-11-20||s1
kalbajar-handover|6|kalbajar|a|2020-11-09|1993-04-03|2020-11-15|2020-11-25|2020-11-15|2020-11-25||s1
lachin-handover|6|lachin|a|2020-11-09|1992-05-18|2020-12-01|||2020-12-01||s1""",
    "quantities": """
peacekeepers|statement|3|peacekeepers|d|1960|||people|2020-11-09|russia|s1|
am-mil-1|casualties||military deaths, Armenia|d|2317|||people|2020-11-14|armenia|s1|
am-mil-2|casualties||military deaths, Armenia|d|2718|||people|2020-12-03|armenia|s1|
am-mil-3|casualties||military deaths, Armenia|d|3825|||people|2022-06-01|armenia|s1|
az-mil-1|casualties||military deaths, Azerbaijan|d|2783|||people|2020-12-03|azerbaijan|s1|
az-mil-2|casualties||military deaths, Azerbaijan|d|2908|2900|2950|people|2021-07-01|azerbaijan|s1|
az-mil-est|casualties||military deaths, Azerbaijan|d||4000|5000|people|2020-11-20|armenia|s1|
az-missing|casualties||military missing, Azerbaijan|d||100||people|2020-12-03|azerbaijan|s1|more than 100
az-civ|casualties||civilian deaths, Azerbaijan|d|93|||people|2020-11-09|azerbaijan|s1|
am-civ|casualties||civilian deaths, Armenia|d|85|||people|2021-03-01|armenia|s1|""",
    "claims": """
c01|A ceasefire was signed by Armenia, Azerbaijan and Russia on 9 November||accurate|x|s1
c02|Kelbajar was to be handed over on 15 November|Kielbaarya|garbled|x|s1
c03|Russian peacekeepers will stay for ever, according to the article's unnamed sources||inaccurate|x|s1
c04|Armenia lost the war||oversimplified|x|s1
c05|Agdam was handed over on 20 November||accurate|x|s1""",
    "outcomes": "\n".join(f"{p}|implemented|e|statement-signed|2020-11-09|s1" for p in range(1, 10)),
}.items()}


def write_package(target: Path, tables: dict) -> Path:
    """A data folder: the real datapackage.json and a CSV per table, headers from the descriptor."""
    target.mkdir(parents=True, exist_ok=True)
    descriptor = default_data_dir() / "datapackage.json"
    shutil.copy(descriptor, target / "datapackage.json")
    # the shipped basemap, less the features linked to places this package does not have
    basemap = json.loads((default_data_dir() / "basemap.geojson").read_text(encoding="utf-8"))
    ids = {row[0] for row in tables.get("places", [])}
    basemap["features"] = [f for f in basemap["features"] if f["properties"].get("place_id") in ids | {None}]
    (target / "basemap.geojson").write_text(json.dumps(basemap), encoding="utf-8")
    for resource in json.loads(descriptor.read_text(encoding="utf-8"))["resources"]:
        if "schema" not in resource:  # the basemap, copied above
            continue
        with open(target / resource["path"], "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            names = [field["name"] for field in resource["schema"]["fields"]]
            writer.writerow(names)
            writer.writerows(row + [""] * (len(names) - len(row)) for row in tables.get(resource["name"], []))
    return target


def empty_tables() -> dict:
    """The smallest package the schema allows: no events, deadlines, figures or claims at all."""
    return {"sources": SYNTHETIC["sources"][:1], "places": SYNTHETIC["places"][:1],
            "actors": SYNTHETIC["actors"][:1], "terms": [["1", "Ceasefire", "s", "armenia", S]]}


def one_of_each() -> dict:
    """One row in most tables: single dates, single points, one claim."""
    return {**empty_tables(), "places": SYNTHETIC["places"][:2], "actors": SYNTHETIC["actors"][:3],
            "events": [["statement", "2020-11-09", "", "day", "Statement signed", "s", "agreement", "",
                        "armenia;azerbaijan", S, ""]],
            "deadlines": [["kalbajar-handover", "1", "kalbajar", "a", "2020-11-09", "1993-04-03", "2020-11-15", "",
                           "", "", "", S]],
            "quantities": [["q", "casualties", "", "deaths", "d", "", "10", "20", "people", "2020-11-09",
                            "azerbaijan", S, ""]],
            "claims": SYNTHETIC["claims"][:1]}


LONG = "Kalbajar district, as a long official name might run over several lines " * 4


def long_names_and_zeros() -> dict:
    """Names far longer than any real one, and casualty figures that are all zero."""
    tables = {name: [list(row) for row in rows] for name, rows in SYNTHETIC.items()}
    tables["places"][0][1] = LONG  # kalbajar: a district with a deadline, on every map
    for row in tables["quantities"]:
        if row[1] == "casualties":
            row[3], row[5:8] = f"{row[3]}, {LONG}", ["0", "", ""]
    return tables


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> kb.KB:
    return kb.load(write_package(tmp_path_factory.mktemp("synthetic"), SYNTHETIC))


@pytest.fixture(scope="module", params=[empty_tables, one_of_each, long_names_and_zeros],
                ids=["empty", "one row", "long names"])
def sparse(tmp_path_factory, request) -> kb.KB:
    return kb.load(write_package(tmp_path_factory.mktemp("sparse"), request.param()))


@pytest.fixture(scope="module")
def real():
    return kb.load()


def check_figure(fig) -> None:
    """A figure that draws, with something drawn in it: more artists than its empty axes hold."""
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)
    assert fig.axes
    fig.savefig(os.devnull, format="png")  # draws every artist
    assert fig.alt, "every figure carries its alt text"


@pytest.mark.parametrize("name,draw", DRAW, ids=[name for name, _ in DRAW])
def test_draws_from_synthetic_data(synthetic, name, draw):
    check_figure(draw(synthetic))


@pytest.mark.parametrize("name,draw", DRAW, ids=[name for name, _ in DRAW])
def test_draws_from_a_package_with_few_rows(sparse, name, draw):
    check_figure(draw(sparse))


@pytest.mark.parametrize("name,draw", DRAW, ids=[name for name, _ in DRAW])
def test_draws_from_the_real_data(real, name, draw):
    check_figure(draw(real))


def test_plotting_leaves_matplotlib_settings_alone(synthetic):
    import matplotlib

    before = dict(matplotlib.rcParams)
    plots.map(synthetic, day="2020-11-25")
    assert dict(matplotlib.rcParams) == before


# --- what the figures show ----------------------------------------------------------------------

def test_each_event_is_one_marker_at_its_date(real):
    import matplotlib.dates as mdates
    from matplotlib.collections import PathCollection

    fig = plots.timeline(real)
    shown = sorted(round(x) for ax in fig.axes for c in ax.collections if isinstance(c, PathCollection)
                   for x in c.get_offsets()[:, 0])
    expected = sorted(round(mdates.date2num(d)) for d in real.events["date_start"])
    assert shown == expected


def test_the_revised_kalbajar_deadline_sits_at_its_revised_date(real):
    import matplotlib.dates as mdates

    fig = plots.handover_schedule(real)
    ax = fig.axes[0]
    kalbajar = real.deadlines.set_index("place_id").loc["kalbajar"]
    diamonds = [c for c in ax.collections if c.get_label() == "deadline as revised"]
    assert len(diamonds) == 1
    assert diamonds[0].get_offsets()[0][0] == pytest.approx(mdates.date2num(kalbajar["revised_due"]))
    rings = [c for c in ax.collections if c.get_label() == "deadline as signed"]
    assert mdates.date2num(kalbajar["due"]) in {round(c.get_offsets()[0][0]) for c in rings}


def test_on_21_november_agdam_is_returned_and_lachin_held(real):
    from matplotlib.colors import to_hex

    from kb.plots.maps import AREA_STYLE, status_figure

    with style():
        fig, status = status_figure(real, pd.Timestamp("2020-11-21"))
    returned, held = AREA_STYLE["returned to Azerbaijan"], AREA_STYLE["under Armenian control"]
    look = {pid: (to_hex(p.get_facecolor()).upper(), p.get_hatch() or "") for pid, p in status.areas.items()}
    assert look["agdam"] == returned and look["lachin"] == held and look["kalbajar"] == held
    assert returned[1] != held[1]  # hatching as well as colour
    assert "Kalbajar / Karvachar\ndeadline 25 Nov (revised)" == status.labels["kalbajar"].get_text()
    # Agdam's area is the part held since 1993, not the whole district
    held = status.areas["agdam"].get_path().get_extents()
    whole = plots.maps._path(status.basemap.area("district", "agdam")["geometry"]).get_extents()
    assert held.x1 < whole.x1 - 0.05 and held.x0 >= whole.x0  # the east stayed Azerbaijani


def test_maps_name_towns_in_one_romanisation_and_show_their_country(real):
    from kb.plots.maps import TOWN_STYLE, status_figure

    with style():
        fig, status = status_figure(real, pd.Timestamp("2020-11-21"))
    texts = {t.get_text() for t in status.ax.texts}
    assert "Stepanakert / Khankendi" in texts and not any("Xank" in t or "ə" in t for t in texts)
    assert "Kalbajar / Karvachar\ndeadline 25 Nov (revised)" in texts
    assert not any("Moscow" in t or "Baku" in t for t in texts)  # far places stay off the main map
    countries = dict(zip(status.towns["place_id"], status.towns["country"]))
    assert countries["goris"] == "ARM" and countries["kornidzor"] == "ARM" and countries["shusha"] == "AZE"
    markers = {line.get_marker() for line in status.ax.lines if line.get_linestyle() == "None"}
    assert {TOWN_STYLE["ARM"][0], TOWN_STYLE["AZE"][0]} <= markers


def test_the_corridor_drawn_is_the_route_in_use_that_day(real):
    from kb.plots.maps import status_figure

    with style():
        _, before = status_figure(real, pd.Timestamp("2020-11-21"))
        _, after = status_figure(real, pd.Timestamp("2022-09-15"))
    assert before.routes == ["lachin-road-2020"] and after.routes == ["lachin-bypass-2022"]


def test_what_changed_hands_marks_each_announced_town_once(real):
    from kb.plots.maps import announced_towns

    towns = announced_towns(real)
    assert towns["place_id"].is_unique
    assert towns.set_index("place_id").loc["shusha", "day"] == pd.Timestamp("2020-11-08")
    assert set(towns["announced_by"]) == {"Ilham Aliyev"}


def test_no_claimant_s_figures_are_joined_to_another_s(real):
    fig = plots.casualties(real)
    q = real.quantities[real.quantities["category"] == "casualties"]
    names = dict(zip(real.actors["actor_id"], real.actors["name"]))
    lines = [line for ax in fig.axes for line in ax.lines if len(line.get_xdata()) > 1 and line.get_linestyle() != "None"]
    assert lines
    for line in lines:
        label = line.get_label()
        claimants = {who for who in q["claimed_by"] if f"reported by {names.get(who, who)}" in label.replace("\n", " ")}
        assert len(claimants) == 1, label
        (who,) = claimants
        measure = label.split("\n")[0]
        rows = q[(q["claimed_by"] == who) & (q["measure"] == measure)]
        assert len(line.get_xdata()) == len(rows), label


def _drawn_texts(fig):
    """The texts a reader sees: (artist, text, extent of the words alone), ticks beyond the limits left out."""
    from matplotlib.text import Text

    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    # an axis keeps labels for ticks beyond its limits, and an axes with its axes off for all, which are not drawn
    drawn = {id(label) for ax in fig.axes if ax.axison for axis in (ax.xaxis, ax.yaxis) for tick in axis._update_ticks()
             for label in (tick.label1, tick.label2)}
    undrawn = {id(label) for ax in fig.axes for axis in (ax.xaxis, ax.yaxis)
               for tick in axis.get_major_ticks() + axis.get_minor_ticks()
               for label in (tick.label1, tick.label2)} - drawn
    # Text.get_window_extent: the words only; an annotation's own method would add its connector's box
    return [(t, t.get_text(), Text.get_window_extent(t, renderer)) for t in fig.findobj(Text)
            if id(t) not in undrawn and t.get_visible() and t.get_text().strip()
            and (t.axes is None or t.axes.get_visible())]


@pytest.mark.parametrize("name", [spec.name for spec in plots.FIGURES])
def test_no_text_overlaps_another_or_leaves_the_figure(real, name):
    from matplotlib.text import Annotation

    fig = plots.figure_spec(name).draw(real)
    if name == "map":
        fig = plots.map(real, day="2020-11-21")
    texts = _drawn_texts(fig)
    assert texts
    page = fig.bbox
    for _, text, box in texts:
        assert page.x0 <= box.x0 and box.x1 <= page.x1 + 0.5 and page.y0 <= box.y0 and box.y1 <= page.y1 + 0.5, text
    # rotated words (a y-axis label) are upright or at 90 degrees, so their boxes are their outlines
    clashes = [(a, b) for i, (_, a, one) in enumerate(texts) for _, b, other in texts[i + 1:]
               if one.overlaps(other) and one.intersection(one, other).width > 1 and
               one.intersection(one, other).height > 1]
    assert not clashes
    # a label's connector line crosses no other label's words
    for artist, text, _ in texts:
        if isinstance(artist, Annotation) and artist.arrow_patch is not None:
            line = artist.arrow_patch.get_path().transformed(artist.arrow_patch.get_transform())
            crossed = [other for a, other, box in texts if a is not artist
                       and line.intersects_bbox(box.padded(-2), filled=False)]
            assert not crossed, (text, crossed)


# --- files -------------------------------------------------------------------------------------

def test_two_runs_write_the_same_bytes(real, tmp_path):
    for run in ("a", "b"):
        for name in ("map", "what_changed_hands", "timeline"):
            plots.write_figure(plots.figure_spec(name), real, tmp_path / run, ["svg", "png"], log=lambda line: None)
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_bytes() == (tmp_path / "b" / path.name).read_bytes(), path.name
    svg = (tmp_path / "a" / "map.svg").read_text()
    assert "<dc:date>" not in svg and "Matplotlib v" not in svg


def test_an_interrupted_write_keeps_the_old_figure(synthetic, tmp_path, monkeypatch):
    from matplotlib.figure import Figure

    spec = plots.figure_spec("points_actors")
    plots.write_figure(spec, synthetic, tmp_path, ["png"], log=lambda line: None)
    before = (tmp_path / "points_actors.png").read_bytes()

    def broken(self, fname, **kwargs):
        Path(fname).write_bytes(b"half a figure")
        raise KeyboardInterrupt

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(KeyboardInterrupt):
        plots.write_figure(spec, synthetic, tmp_path, ["png"], log=lambda line: None)
    assert (tmp_path / "points_actors.png").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_svg_text_stays_text_with_fallback_fonts(real, tmp_path):
    plots.write_figure(plots.figure_spec("map"), real, tmp_path, ["svg"], log=lambda line: None)
    svg = (tmp_path / "map.svg").read_text(encoding="utf-8")
    assert "<text " in svg and "Kalbajar / Karvachar" in svg  # searchable, editable, read aloud
    assert "font-family: 'DejaVu Sans', 'Verdana'" in svg
    assert 'id="DejaVuSans-' not in svg  # no glyphs drawn as paths


def test_unknown_format_is_explained(synthetic, tmp_path):
    with pytest.raises(ValueError, match="choose from svg, png"):
        plots.write_all(synthetic, tmp_path, ["jpeg"])


def test_every_figure_has_a_title_description_and_alt_text():
    names = [spec.name for spec in plots.FIGURES]
    assert len(names) == len(set(names)) >= 10
    for spec in plots.FIGURES:
        assert spec.title and len(spec.description) > 40 and len(spec.alt) > 40
        assert "\n" not in spec.alt and "]" not in spec.alt


def test_a_figure_shows_in_a_notebook_with_its_alt_text(real):
    import base64

    fig = plots.map(real)
    data, metadata = fig._repr_mimebundle_()
    assert base64.b64decode(data["image/png"])[:8] == b"\x89PNG\r\n\x1a\n"
    assert data["text/plain"] == metadata["image/png"]["alt"] == fig.alt
    assert fig.alt.startswith(plots.figure_spec("map").alt)


def test_the_committed_gallery_is_current():
    assert (FIGURES_DIR / "README.md").read_text(encoding="utf-8") == plots.gallery(["svg", "png"])


def _locked(package: str) -> str | None:
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.startswith(f"{package}=="):
            return line.split("==")[1].split()[0]
    return None


# The FreeType that the lock's matplotlib wheel bundles: glyph shapes, and so PNG bytes, depend on it.
LOCKED_FREETYPE = "2.14.3"


def test_the_committed_figures_match_a_fresh_regeneration(real, tmp_path):
    import matplotlib
    from matplotlib import ft2font

    if matplotlib.__version__ != _locked("matplotlib") or ft2font.__freetype_version__ != LOCKED_FREETYPE:
        pytest.skip(f"figures/ was drawn with matplotlib {_locked('matplotlib')} and FreeType {LOCKED_FREETYPE}; "
                    f"this environment has {matplotlib.__version__} and {ft2font.__freetype_version__}, whose "
                    "glyphs differ, so its bytes would too")
    plots.write_all(real, tmp_path, ["svg", "png"], log=lambda line: None)
    fresh = sorted(p.name for p in tmp_path.iterdir())
    assert fresh == sorted(p.name for p in FIGURES_DIR.iterdir()), "run `make figures` and commit figures/"
    stale = [name for name in fresh if (tmp_path / name).read_bytes() != (FIGURES_DIR / name).read_bytes()]
    assert not stale, f"figures/ is out of date ({', '.join(stale)}): run `make figures` and commit figures/"


def test_end_labels_that_would_overlap_are_stacked_above_the_axis():
    with style():
        fig = new_figure(6, 4, layout=None)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 1000)
        charts._label_ends(ax, [(5, 0, "1", "black"), (5, 2, "2", "black"), (5, 500, "500", "black")])
    offsets = {a.get_text(): a.xyann[1] for a in ax.texts}
    centres = {a.get_text(): ax.transData.transform(a.xy)[1] * 72 / fig.dpi + a.xyann[1] for a in ax.texts}
    axis = 0.1 * 4 * 72
    height = _layout._measure("1")[1] * 72
    assert centres["1"] - height / 2 >= axis  # lifted clear of the x axis
    assert centres["2"] - centres["1"] >= height - 0.01  # the two labels do not overlap
    assert offsets["500"] == 0  # a label with room stays level with its point


@pytest.mark.parametrize("name", ["handover_schedule", "casualties", "outcomes", "war_2020"])
def test_long_labels_leave_room_to_plot(tmp_path, name):
    """Margins fitted to labels are capped: a very long name is cut, the plot keeps most of the width."""
    data = kb.load(write_package(tmp_path, long_names_and_zeros()))
    fig = plots.figure_spec(name).draw(data)
    check_figure(fig)
    assert max(ax.get_position().width for ax in fig.axes) >= 0.4


def test_figures_of_zero_get_whole_number_ticks(tmp_path):
    data = kb.load(write_package(tmp_path, long_names_and_zeros()))
    fig = plots.casualties(data)
    fig.savefig(os.devnull, format="png")
    for ax in fig.axes:
        labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
        assert len(labels) == len(set(labels)), labels


def test_a_window_of_a_few_days_gets_ticks_inside_it(synthetic):
    fig = plots.war_2020(synthetic, "2020-11-27", "2020-11-29")
    fig.savefig(os.devnull, format="png")
    ax = fig.axes[0]
    lo, hi = ax.get_xlim()
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    assert len(ticks) >= 2 and all(t == int(t) for t in ticks)  # whole days, not the axis' ends


def test_axes_level_functions_draw_beside_a_student_s_own_plot(real):
    from kb.plots.maps import draw_changed_hands, draw_status_map
    from kb.plots.timelines import draw_handover_schedule

    with style():
        fig = new_figure(18, 6)
        own, schedule, status, changed = fig.subplots(1, 4)
        own.plot([1, 2], [3, 4])
        assert draw_handover_schedule(schedule, real) is schedule
        assert draw_status_map(status, real, "2020-11-21").ax is status
        assert draw_changed_hands(changed, real) is changed
        fig.savefig(os.devnull, format="png")
    assert len(own.lines) == 1 and schedule.collections and status.patches is not None


def test_draw_casualties_draws_into_the_given_axes(real):
    with style():
        fig = new_figure(10, 5)
        ax = fig.subplots()
        assert plots.draw_casualties(ax, real, "civilian") is ax
        fig.savefig(os.devnull, format="png")
    q = real.quantities[(real.quantities["category"] == "casualties")
                        & real.quantities["measure"].str.startswith("civilian")]
    drawn = [line for line in ax.lines if not line.get_label().startswith("_")]
    assert len(drawn) == len(q.groupby(["measure", "claimed_by"]))
    assert sum(len(line.get_xdata()) for line in drawn) == len(q)
    assert len(ax.texts) == len(drawn)  # each line's latest figure written beside it


def test_draw_claims_draws_into_the_given_axes(real):
    from kb.plots.charts import draw_claims, draw_verdict_counts

    with style():
        fig = new_figure(12, 8)
        strip, bars = fig.subplots(1, 2, width_ratios=[4, 1])
        assert draw_claims(strip, real) is strip
        assert draw_verdict_counts(bars, real) is bars
        fig.savefig(os.devnull, format="png")
    assert len(strip.patches) == len(real.claims)  # one verdict tag per claim
    tags = [t.get_text() for t in strip.texts if t.get_text() in set(real.claims["verdict"].astype(str))]
    assert tags == list(real.claims.sort_values("claim_id")["verdict"].astype(str))
    counts = real.claims["verdict"].astype(str).value_counts()
    assert sorted(p.get_width() for p in bars.patches if p.get_width()) == sorted(counts)


def test_draw_points_actors_draws_into_the_given_axes(real):
    from kb.plots.charts import draw_points_actors

    with style():
        fig = new_figure(10, 7)
        ax = fig.subplots()
        assert draw_points_actors(ax, real) is ax
        fig.savefig(os.devnull, format="png")
    bound, named, concerned = ax.collections
    assert len(bound.get_offsets()) == sum(len(ids) for ids in real.terms["bound_ids"])  # a filled square per binding
    assert len(named.get_offsets()) == sum(len(ids) for ids in real.terms["named_ids"])
    assert sum(len(c.get_offsets()) for c in ax.collections) == sum(
        len(set(t.actor_ids) | set(t.bound_ids) | set(t.named_ids)) for t in real.terms.itertuples())
    nine = real.terms["point"].tolist().index(9)
    armenia = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()].index("Armenia")
    assert [armenia, nine] in bound.get_offsets().tolist()  # point 9 binds Armenia
    assert len(ax.get_yticklabels()) == len(real.terms)


def test_draw_war_2020_draws_into_the_given_axes(real):
    import matplotlib.dates as mdates
    from matplotlib.collections import PathCollection

    with style():
        fig = new_figure(12, 6)
        ax = fig.subplots()
        assert plots.draw_war_2020(ax, real) is ax
        fig.savefig(os.devnull, format="png")
    events = real.timeline(*plots.WAR)
    markers = [point for c in ax.collections if isinstance(c, PathCollection)
               and c.get_sizes()[0] == 90 for point in c.get_offsets()]
    assert len(markers) == len(events)  # one marker per event of the war
    assert sorted(round(x) for x, _ in markers) == sorted(round(mdates.date2num(d)) for d in events["date_start"])


def test_draw_timeline_draws_into_the_given_axes(real):
    import matplotlib.dates as mdates
    from matplotlib.collections import PathCollection

    with style():
        fig = new_figure(12, 3)
        ax = fig.subplots()
        assert plots.draw_timeline(ax, real, "2020 war and handovers") is ax
        fig.savefig(os.devnull, format="png")
    rows = real.events[real.events["era"] == "2020 war and handovers"]
    (dots,) = [c for c in ax.collections if isinstance(c, PathCollection)]  # one marker per event
    days = sorted(round(mdates.date2num(d)) for d in rows["date_start"])
    assert sorted(round(x) for x, _ in dots.get_offsets()) == days


def test_a_date_label_is_not_stacked_where_its_connector_would_cross_a_lower_label():
    with style():
        fig = new_figure(6, 3)
        ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
        ax.set_xlim(0, 100)
        wide = "a long label over its day"
        # the second day lies under the first label: its label fits a level up only if the connector is ignored
        items = [(50, wide, "normal"), (52, "next day", "normal"), (90, "far", "normal")]
        assert _layout._label_dates(ax, items, 0, [(1, 1), (1, 2)], 4.8, (0, 100)) == 2
        assert [t.get_text() for t in ax.texts] == [wide, "far"]
        assert _layout._label_dates(ax, items[1:2], 0, [(1, 1), (1, 2)], 4.8, (0, 100)) == 1  # alone, it fits


def test_column_heads_are_broken_to_the_width_asked():
    text = "Border Guard Service of the FSB of Russia"
    wrapped = _layout._wrap_to(text, 1.0, 11)
    assert wrapped.replace("\n", " ") == text and wrapped.count("\n") >= 2
    assert all(_layout._measure(line, 11)[0] <= 1.0 for line in wrapped.split("\n"))
    assert _layout._wrap_to("Armenia", 1.0, 11) == "Armenia"
