import pytest

import kb
from kb.names import fold

SPELLINGS = {
    "kalbajar": ["Kalbajar", "kalbajar", "KELBAJAR", "Kəlbəcər", "Kälbäjär", "Kelbadzhar", "Kelbadjar",
                 "Karvachar", "Քարվաճառ", "Кельбаджар", "Kielbaarya", "Kielbajara", "kalbajr", " Kal-ba-jar "],
    "agdam": ["Agdam", "Aghdam", "Ağdam", "Akna", "Агдам", "Աղդամ"],
    "lachin": ["Lachin", "Laçın", "Berdzor", "Лачин", "Բերձոր"],
    "shusha": ["Shusha", "Şuşa", "Shushi", "Шуша", "Շուշի"],
    "stepanakert": ["Stepanakert", "Khankendi", "Xankəndi", "Ստեփանակերտ", "Степанакерт"],
}


@pytest.mark.parametrize("place_id,spelling",
                         [(pid, s) for pid, spellings in SPELLINGS.items() for s in spellings])
def test_any_spelling_finds_the_place(data, place_id, spelling):
    assert data.place(spelling)["place_id"] == place_id


def test_place_returns_the_row(data):
    row = data.place("Karvachar")
    assert row["name"] == "Kalbajar" and row["kind"] == "district"
    assert 39 < row["lat"] < 41 and 45 < row["lon"] < 47


def test_every_name_in_the_table_finds_its_own_place(data):
    for row in data.places.itertuples(index=False):
        for spelling in [row.name, row.name_az, row.name_ru, *row.aliases]:
            found = data.place(spelling)["place_id"]
            # a town may share its name with its district (Lachin); the district answers then
            assert found == row.place_id or found == row.part_of, (spelling, found, row.place_id)


def test_unknown_name_lists_the_closest(data):
    with pytest.raises(kb.UnknownName) as caught:
        data.place("Kalbaj Mountains")
    assert "Closest names:" in str(caught.value) and "Kalbajar" in str(caught.value)


def test_nothing_close_says_so(data):
    with pytest.raises(kb.UnknownName, match="no place is called 'Zzyzx'"):
        data.place("Zzyzx")


def test_a_number_is_not_a_name(data):
    with pytest.raises(TypeError, match="a place name is text"):
        data.place(42)


def test_fold_ignores_case_accents_punctuation_and_script():
    assert fold("Kəlbəcər") == fold("kelbecer")
    assert fold("Shusha (city)") == "shushacity"
    assert fold("Степанакерт") == "stepanakert"


def test_label_shows_both_names_where_they_differ(data):
    assert data.label("kalbajar") == "Kalbajar / Karvachar"
    assert data.label("lachin") == "Lachin / Berdzor"
    assert data.label("shusha") == "Shusha / Shushi"
    assert data.label("stepanakert") == "Stepanakert / Xankəndi"
    assert data.label("martakert") == "Martakert / Ağdərə"
    assert data.label("goris") == "Goris"
    assert data.label("armenia") == "Armenia"
    assert data.label("agdam") == "Aghdam / Akna"


def test_both_names_is_a_boolean_column(data):
    assert data.places["both_names"].dtype == "bool"
    assert data.places.set_index("place_id").loc["kalbajar", "both_names"]


def test_label_of_an_unknown_id_is_explained(data):
    with pytest.raises(kb.UnknownName, match="no place has the id 'atlantis'"):
        data.label("atlantis")


def test_tovuz_in_armenian_script_is_the_form_armenian_wikipedia_uses(data):
    assert data.place("Թովուզ")["place_id"] == "tovuz"
    assert data.place("Tovuz")["name_hy"] == "Թովուզ"
