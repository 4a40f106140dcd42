"""The school calendar: weekends, Dutch public holidays, the school's vacations; deadlines
of a created case are counted in school days."""

import datetime

import pytest

from portal.cases import engine
from portal.demo import DEMO_VACATIONS
from portal.models import CaseDeadline
from portal.schoolcalendar import SchoolCalendar
from portal.schoolcalendar import add_school_days

from .core_helpers import actor
from .core_helpers import make_case
from .core_helpers import reload
from .core_helpers import school

D = datetime.date


class _Vacation:
    def __init__(self, name, start, end):
        self.name, self.start, self.end = name, D(*start), D(*end)


DEMO = SchoolCalendar([_Vacation(*v) for v in DEMO_VACATIONS])
PLAIN = SchoolCalendar()


@pytest.mark.parametrize(
    "day, reason",
    [
        (D(2026, 3, 7), "weekend"),
        (D(2026, 3, 8), "weekend"),
        (D(2026, 4, 27), "Koningsdag"),
        (D(2026, 5, 14), "Hemelvaartsdag"),
        (D(2026, 5, 25), "Tweede pinksterdag"),
        (D(2026, 12, 25), "Eerste Kerstdag"),
    ],
)
def test_closed_days(day, reason):
    assert PLAIN.closed_reason(day).lower() == reason.lower()
    assert not PLAIN.is_school_day(day)


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday + 1 = Monday (weekend)
        (D(2026, 3, 2), 5, D(2026, 3, 9)),  # a full week
        (D(2026, 4, 24), 1, D(2026, 4, 28)),  # Friday, weekend, Koningsdag (Monday 27-4)
        (D(2026, 5, 13), 1, D(2026, 5, 15)),  # Hemelvaartsdag Thursday 14-5
        (D(2026, 5, 22), 1, D(2026, 5, 26)),  # Tweede Pinksterdag Monday 25-5
        (D(2026, 5, 7), 0, D(2026, 5, 7)),
    ],
)
def test_add_school_days_without_vacations(start, n, expected):
    assert PLAIN.add_school_days(start, n) == expected


@pytest.mark.parametrize(
    "start, n, expected",
    [
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # Voorjaarsvakantie 14-2 .. 22-2
        (D(2026, 4, 24), 1, D(2026, 5, 4)),  # Meivakantie 25-4 .. 3-5 (Koningsdag inside)
        (D(2026, 12, 18), 3, D(2027, 1, 6)),  # Kerstvakantie over the turn of the year
        (D(2026, 7, 17), 1, D(2026, 8, 31)),  # Zomervakantie
    ],
)
def test_add_school_days_with_demo_vacations(start, n, expected):
    assert DEMO.add_school_days(start, n) == expected
    assert DEMO.school_days_between(start, expected) == n


def test_school_days_from_starts_on_a_school_day():
    assert DEMO.school_days_from(D(2026, 2, 14), 2) == [D(2026, 2, 23), D(2026, 2, 24)]
    assert DEMO.next_school_day(D(2026, 5, 14)) == D(2026, 5, 15)


class _Period:
    def __init__(self, first, last):
        self.first_day, self.last_day = first, last


def test_joined_periods_make_one_run_of_school_days():
    before = _Period(D(2026, 12, 7), D(2026, 12, 9))  # Monday to Wednesday
    gap = _Period(D(2026, 11, 30), D(2026, 12, 4))  # the week before: joins through ``before``
    far = _Period(D(2026, 11, 23), D(2026, 11, 26))  # Friday 27 November lies between
    after_vacation = _Period(D(2027, 1, 4), D(2027, 1, 5))  # after the Kerstvakantie
    periods = [after_vacation, far, gap, before]
    # Thursday and Friday 10-11 December follow on ``before``, which follows on ``gap``.
    assert set(DEMO.joined(periods, D(2026, 12, 10), D(2026, 12, 11))) == {gap, before}
    # 16-18 December: the vacation holds no school day, so 4 January follows on.
    assert DEMO.joined(periods, D(2026, 12, 16), D(2026, 12, 18)) == [after_vacation]
    assert PLAIN.joined(periods, D(2026, 12, 16), D(2026, 12, 18)) == []  # without the vacation
    # A period that overlaps belongs to the run as well.
    assert DEMO.joined([far], D(2026, 11, 26), D(2026, 11, 26)) == [far]


def test_demo_school_vacations_from_database(ctx):
    assert add_school_days(school(), D(2026, 2, 13), 1) == D(2026, 2, 23)
    assert SchoolCalendar.for_school(school()).closed_reason(D(2026, 10, 20)) == "Herfstvakantie"


def test_deadlines_of_a_created_case_use_school_days(ctx, monkeypatch):
    # Thursday 12 February 2026, the day before the Voorjaarsvakantie.
    monkeypatch.setattr(engine, "utcnow", lambda: datetime.datetime(2026, 2, 12, 10, 0))
    case = make_case()
    due = {d.name: d.due_date for d in CaseDeadline.select().where(CaseDeadline.case == case.id)}
    # 5 school days: Fri 13-2, (vacation), Mon 23, Tue 24, Wed 25, Thu 26-2.
    assert due == {"testzaak.reactie": D(2026, 2, 26)}
    # The calendar-day deadline starts with the start transition: 10 calendar days.
    monkeypatch.setattr(engine, "utcnow", lambda: datetime.datetime(2026, 4, 24, 10, 0))
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    due = {d.name: d.due_date for d in CaseDeadline.select().where(CaseDeadline.case == case.id)}
    assert due["testzaak.kalender"] == D(2026, 5, 4)
