"""The checking engine and the course's exercise catalogue.

The catalogue's own test table is data too: each closed exercise in notebooks/exercises.toml lists answers
that must be right and answers that must not (``examples``); the tests here run them all, check what the
feedback says, and feed every exercise arbitrary answers.
"""
import copy
import datetime as dt
import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from kb import DataError, UnknownName
from kb.checks import UNREADABLE, Verdict, check, choice_verdict, expected, load_catalogue

CATALOGUE = load_catalogue()
CLOSED = [e for e in CATALOGUE.values() if not e.is_open]
OPEN = [e for e in CATALOGUE.values() if e.is_open]
CASES = [(e.id, a, True) for e in CLOSED for a in e.examples.get("right", [])] + \
        [(e.id, a, False) for e in CLOSED for a in e.examples.get("wrong", [])]


def test_every_closed_exercise_has_right_and_wrong_examples():
    for exercise in CLOSED:
        assert exercise.examples.get("right") and exercise.examples.get("wrong"), exercise.id


@pytest.mark.parametrize("exercise_id, answer, right", CASES, ids=[f"{c[0]}-{c[1]!r}" for c in CASES])
def test_the_catalogues_examples(exercise_id, answer, right):
    verdict = check(exercise_id, answer)
    assert isinstance(verdict, Verdict)
    assert verdict.correct is right, verdict.message
    if right:
        assert verdict.message.startswith("Right!") and len(verdict.message) > 40  # a line of history, not a tick
    else:
        assert verdict.message.startswith(("Not quite", "Close")) and len(verdict.message) > 30


ODD = [None, math.nan, float("inf"), pd.NaT, np.datetime64("NaT"), 10**400, -(10**400), "²", "", " ", "٣",
       [1, 2], [], {"a": 1}, {1, 2}, (9,), pd.DataFrame({"a": [1]}), pd.Series([1, 2]), np.array([2, 6]),
       np.int64(9), np.float64("nan"), Decimal("NaN"), Decimal("1e999"), complex(1, 2), True, False, b"9",
       dt.date(2020, 11, 9), dt.datetime(2020, 11, 9, 23, 0), pd.Timestamp("2020-11-09", tz="UTC"), object(),
       "9" * 5000, "\x00", "2020-02-31", "31 Febtober 2020", [[2], [6]], [2.5, 6], [True], iter([2, 6]), range(10**9)]


@pytest.mark.parametrize("exercise_id", CATALOGUE)
@pytest.mark.parametrize("answer", ODD, ids=lambda a: type(a).__name__)
def test_odd_answers_get_a_verdict_never_a_traceback(exercise_id, answer):
    verdict = check(exercise_id, answer)
    assert isinstance(verdict, Verdict) and verdict.message  # some are right: (9,) for the overtaken points
    assert UNREADABLE not in verdict.message, verdict.message  # the comparison itself coped, not the safety net


ANSWERS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates(), st.decimals(),
              st.datetimes().map(pd.Timestamp), st.sampled_from(["1,960", "2020-11-9", "9 November 2020", "nine",
                                                                  "over-simplified", "Kashatagh", "[2, 6]"])),
    lambda children: st.lists(children, max_size=4) | st.tuples(children) | st.sets(st.integers(), max_size=4),
    max_leaves=6)


@given(exercise_id=st.sampled_from(sorted(CATALOGUE)), answer=ANSWERS)
def test_any_answer_gets_a_verdict(exercise_id, answer):
    verdict = check(exercise_id, answer)
    assert isinstance(verdict, Verdict) and isinstance(verdict.message, str) and verdict.message
    assert UNREADABLE not in verdict.message


def test_a_day_pandas_cannot_hold_still_gets_a_hint():
    import datetime as dt

    for answer in (dt.date(2263, 1, 1), "2263-01-01", dt.date(1, 1, 1), "1 January 1600"):
        verdict = check("signing-day", answer)
        assert not verdict and UNREADABLE not in verdict.message, answer
        assert "far too" in verdict.message, verdict.message
    assert "1 January 2263 is far too late" in check("signing-day", dt.date(2263, 1, 1)).message
    assert check("signing-day", dt.date(2020, 11, 9)) and check("signing-day", pd.Timestamp("2020-11-09 23:00"))


def test_natural_forms_are_accepted():
    assert check("peacekeepers", "1,960") and check("peacekeepers", "1 960") and check("peacekeepers", "1960 troops")
    assert check("signing-day", "9 November 2020") and check("signing-day", "2020-11-9")
    assert check("signing-day", "Nov 9, 2020") and check("signing-day", dt.date(2020, 11, 9))
    assert check("verdict-c08", "over-simplified") and check("verdict-c08", " Oversimplified ")
    assert check("points-in-statement", "nine") and check("points-in-statement", np.int64(9))
    assert check("points-with-deadlines", "2 and 6") and check("points-with-deadlines", np.array([6, 2]))
    assert check("taken-on-8-november", "Şuşa") and check("ungarble-kielbaarya", "Кельбаджар")


def test_another_name_and_another_date_are_right_with_an_explanation():
    kashatagh = check("lachin-armenian-name", "Kashatagh")
    assert kashatagh and "town" in kashatagh.message and "Berdzor" in kashatagh.message
    tenth = check("signing-day", "2020-11-10")
    assert tenth and "took effect" in tenth.message and "9 November" in tenth.message
    assert not check("lachin-armenian-name", "Laçın") and "Azerbaijani spelling" in check(
        "lachin-armenian-name", "Laçın").message


def test_direction_hints_say_what_is_wrong():
    whole = check("peacekeepers-years", 3.6).message
    assert "whole years" in whole and "too high" not in whole
    assert "whole years" in check("years-of-freeze", "26.4").message
    assert "too many" in check("war-days", 45).message and "add one" not in check("war-days", 45).message
    assert "add one" in check("war-days", 43).message
    assert "too few" in check("lachin-countdown", 9).message and "both ends" not in check("lachin-countdown", 9).message
    assert "too high" in check("accurate-claims", 22).message and "too low" in check("accurate-claims", 2).message
    assert "one day too early" in check("signing-day", "2020-11-08").message
    assert "far too late" in check("lachin-town-day", "2023-09-24").message


def test_wrong_kinds_say_what_is_expected():
    assert "give a number" in check("war-days", "many days").message
    assert "'2020-11-20'" in check("signing-day", 9).message
    assert "list" in check("points-with-deadlines", "two and six").message
    assert "one of 'accurate', 'garbled'" in check("verdict-c08", "wrong").message
    assert "a whole table" in check("war-days", pd.DataFrame({"a": [44]})).message
    assert "empty date" in check("signing-day", pd.NaT).message
    assert "more than 15 digits" in check("war-days", 10**400).message
    assert "spelling in the question" in check("ungarble-kielbaarya", "Kielbaarya").message


def test_placeholder_none_asks_for_an_answer():
    for exercise in CATALOGUE.values():
        verdict = check(exercise.id, None)
        assert not verdict and verdict.message.startswith("No answer yet: replace None with"), exercise.id


def test_open_tasks_are_not_marked_but_give_their_criteria():
    for exercise in OPEN:
        verdict = check(exercise.id, "Azerbaijan's government says one thing; Armenia's says another.")
        assert verdict.correct is None and not verdict
        for criterion in exercise.criteria:
            assert criterion in verdict.message
        assert exercise.scaffold and exercise.starters and exercise.model_answer
    short = check("khojaly-two-accounts", "Two accounts.").message
    assert "2 words" in short and "at least 80" in short


def test_verdict_shows_its_message_and_is_truthy_only_when_right():
    v = check("points-in-statement", 9)
    assert repr(v) == str(v) == v.message and bool(v)
    assert not check("points-in-statement", 1)


def test_expected_answers_follow_the_data(data):
    """Change the data and the expected answer moves with it: nothing is hard-coded."""
    changed = copy.copy(data)
    changed.deadlines = data.deadlines.copy()
    changed.deadlines.loc[changed.deadlines["place_id"] == "agdam", "due"] = pd.Timestamp("2020-11-21")
    assert check("agdam-days", 12, data=changed) and not check("agdam-days", 12, data=data)
    assert expected("agdam-days", data=changed) == 12


def test_a_teachers_mistake_gets_a_clear_error():
    with pytest.raises(UnknownName, match="no exercise has the id 'war-day'.*Closest: war-days"):
        check("war-day", 44)
    with pytest.raises(TypeError, match="kb.load"):
        check("war-days", 44, data="data")
    with pytest.raises(ValueError, match="open task"):
        expected("two-dates")


def write_catalogue(tmp_path, toml: str, py: str = "def nine(data):\n    return 9\n"):
    (tmp_path / "exercises.toml").write_text(toml, encoding="utf-8")
    (tmp_path / "exercises.py").write_text(py, encoding="utf-8")
    return tmp_path / "exercises.toml"


def test_a_teacher_adds_an_exercise_without_touching_kb(tmp_path):
    path = write_catalogue(tmp_path, '[my-question]\nnotebook = "99_mine"\nkind = "number"\nquestion = "Nine?"\n'
                                     'expected = "nine"\nhints = ["Count."]\nright = "Yes, nine."\n')
    assert check("my-question", "9", catalogue=path).message == "Right! Yes, nine."
    assert "too low" in check("my-question", 8, catalogue=path).message


@pytest.mark.parametrize("toml, complaint", [
    ('[x]\nnotebook = "n"\nkind = "numbr"\nquestion = "?"\n', "the kinds are"),
    ('[x]\nnotebook = "n"\nkind = "number"\nquestion = "?"\nexpected = "ten"\nhints = ["h"]\n', "needs the name"),
    ('[x]\nnotebook = "n"\nkind = "number"\nquestion = "?"\nexpected = "nine"\n', "at least one hint"),
    ('[x]\nnotebook = "n"\nkind = "number"\nquestion = "?"\nexpected = "nine"\nhints = ["h"]\nhint = "h"\n',
     "unknown key"),
    ('[x]\nnotebook = "n"\nkind = "open"\nquestion = "?"\n', "an open task needs it"),
    ('[Bad_Id]\nnotebook = "n"\nkind = "number"\nquestion = "?"\nexpected = "nine"\nhints = ["h"]\n', "lowercase"),
    ('[x\nnotebook = "n"\n', "not valid TOML"),
])
def test_a_broken_catalogue_names_the_file_exercise_and_key(tmp_path, toml, complaint):
    path = write_catalogue(tmp_path, toml)
    with pytest.raises(DataError, match=complaint) as info:
        load_catalogue(path)
    assert "exercises.toml" in str(info.value)


def test_an_expected_function_that_fails_is_reported(tmp_path):
    path = write_catalogue(tmp_path, '[x]\nnotebook = "n"\nkind = "number"\nquestion = "?"\nexpected = "broken"\n'
                                     'hints = ["h"]\n', py="def broken(data):\n    return data.events['nope']\n")
    with pytest.raises(DataError, match=r"broken\(data\) failed for exercise 'x'"):
        check("x", 1, catalogue=path)


def test_a_wrong_verdict_or_outcome_in_the_catalogues_functions_is_explained(data):
    functions = CATALOGUE["verdict-c08"].functions
    with pytest.raises(ValueError, match="the verdicts are accurate, garbled"):
        functions._with_verdict(data, "acurate")
    with pytest.raises(ValueError, match="the outcomes are implemented"):
        functions._points_with_outcome(data, "done")


def test_the_claim_quiz_compares_choices_as_the_engine_does():
    verdict = choice_verdict("Over-Simplified", ["accurate", "oversimplified"], "oversimplified", "Yes.", ["No."])
    assert verdict and verdict.message == "Right! Yes."
    assert choice_verdict("accurate", ["accurate", "oversimplified"], "oversimplified", "Yes.", ["Look."]) \
        .message == "Not quite: not 'accurate'. Look."
