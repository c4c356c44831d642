"""The exercises' self-checks: right answers pass, wrong ones get a hint, wrong kinds an explanation."""
import datetime as dt
import inspect

import pandas as pd
import pytest

from kb import checks
from kb.checks import Verdict

# (check, right answer, a wrong answer of the right kind, an answer of the wrong kind)
CASES = [
    (checks.points_in_statement, (9,), (8,), ("nine",)),
    (lambda a: checks.armenian_name("Kalbajar", a), ("Karvachar",), ("Berdzor",), (3,)),
    (checks.signing_day, ("2020-11-09",), ("2020-11-10",), (9,)),
    (lambda a: checks.event_year("nkao-created", a), (1923,), (1921,), ("the twenties",)),
    (lambda a: checks.offensives_in(1993, a), (6,), (5,), ([1, 2],)),
    (lambda a: checks.years_between("ceasefire-1994-in-force", "war-2020-start", a), (26,), (20,), ("long",)),
    (checks.war_days, (44,), (30,), ("2020-11-09",)),
    (checks.failed_truces, (3,), (1,), (None,)),
    (lambda a: checks.taken_on("2020-11-08", a), ("Shushi",), ("Baku",), (8,)),
    (lambda a: checks.point_binding("fsb-border-service", a), (9,), (3,), ("nine",)),
    (lambda a: checks.statement_figure("statement-peacekeepers", a), (1960,), (2000,), ("many",)),
    (checks.points_with_deadlines, ([2, 6],), ([2],), ("2 and 6",)),
    (lambda a: checks.days_from_signing("Agdam", a), (11,), (20,), ("2020-11-20",)),
    (lambda a: checks.extension_days("Karvachar", a), (10,), (15,), (dt.date(2020, 11, 25),)),
    (lambda a: checks.days_left("Berdzor", "2020-11-21", a), (10,), (3,), ("ten",)),
    (lambda a: checks.handover_day("Kalbajar", a), ("2020-11-25",), ("2020-11-15",), ("25 Nov",)),
    (checks.first_handover, ("Akna",), ("Lachin",), (1,)),
    (lambda a: checks.claim_verdict("c08", a), ("oversimplified",), ("accurate",), (True,)),
    (lambda a: checks.ungarble("Kielbaarya", a), ("Kelbajar",), ("Lachin",), (None,)),
    (lambda a: checks.count_verdict("accurate", a), (12,), (22,), ("most",)),
    (lambda a: checks.outcome_count("implemented", a), (3,), (9,), ("three",)),
    (lambda a: checks.points_with_outcome("overtaken", a), ([9],), ([1, 9],), ("nine",)),
    (lambda a: checks.event_day("lachin-town-handover", a), ("2022-08-26",), ("2020-12-01",), (2022,)),
    (checks.years_stayed, (3,), (5,), ("five",)),
]


@pytest.mark.parametrize("check, good, bad, odd", CASES)
def test_right_wrong_and_wrong_kind(check, good, bad, odd, data):
    verdict = check(*good)
    assert isinstance(verdict, Verdict) and verdict.correct, verdict.message
    assert verdict.message.startswith("Right!")
    wrong = check(*bad)
    assert not wrong.correct and wrong.message.startswith(("Not quite", "Close"))
    assert len(wrong.message) > len("Not quite: ") + 10  # a hint, not just "wrong"
    odd_verdict = check(*odd)  # never a traceback
    assert not odd_verdict.correct and odd_verdict.message


def test_wrong_kind_explains_what_is_expected():
    assert "'YYYY-MM-DD'" in checks.signing_day(9).message
    assert "whole number" in checks.points_in_statement("nine").message
    assert "list" in checks.points_with_deadlines("2,6").message
    assert "one of" in checks.claim_verdict("c01", "wrong").message


def test_other_spellings_and_kinds_are_accepted():
    assert checks.signing_day(dt.date(2020, 11, 9))
    assert checks.signing_day(pd.Timestamp("2020-11-09"))
    assert checks.points_in_statement("9")
    assert checks.armenian_name("Lachin", "Բերձոր")
    assert checks.taken_on("2020-11-08", "Şuşa")
    assert checks.first_handover("Ağdam")
    assert checks.points_with_deadlines((6, 2))
    assert checks.claim_verdict("c08", " Oversimplified ")


def test_hints_point_the_way():
    assert "too late" in checks.signing_day("2020-11-10").message
    assert "too early" in checks.handover_day("Kalbajar", "2020-11-15").message
    assert checks.war_days(43).message.startswith("Close")
    assert "garbled spelling itself" in checks.ungarble("Kielbaarya", "Kielbaarya").message


def test_verdict_shows_its_message_and_is_truthy_when_right():
    v = checks.points_in_statement(9)
    assert repr(v) == str(v) == v.message and bool(v)
    assert not checks.points_in_statement(1)


def test_expected_answers_follow_the_data(data):
    """Change the data and the expected answer moves with it: nothing is hard-coded."""
    import copy

    changed = copy.copy(data)
    changed.deadlines = data.deadlines.copy()
    changed.deadlines.loc[changed.deadlines["place_id"] == "agdam", "due"] = pd.Timestamp("2020-11-21")
    assert checks.days_from_signing("Agdam", 12, data=changed)
    assert not checks.days_from_signing("Agdam", 12, data=data)


def test_every_check_has_a_docstring():
    for name, fn in inspect.getmembers(checks, inspect.isfunction):
        if fn.__module__ == checks.__name__ and not name.startswith("_"):
            assert fn.__doc__, name


@pytest.mark.parametrize("check, good, bad, odd", CASES)
def test_placeholder_none_asks_for_an_answer(check, good, bad, odd):
    verdict = check(None)
    assert not verdict.correct and verdict.message.startswith("No answer yet: replace None with")
