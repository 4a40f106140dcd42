"""``SchoolCalendar.school_days_between`` counts from running totals per year (the yearly
figures ask it for every complaint): the same answer as walking the days one by one."""

import datetime
import random
from types import SimpleNamespace

from portal.schoolcalendar import SchoolCalendar


def _walked(calendar, start, end):
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += calendar.is_school_day(day)
    return count


def test_school_days_between_equals_the_day_by_day_count():
    vacation = SimpleNamespace(
        start=datetime.date(2025, 12, 20), end=datetime.date(2026, 1, 4), name="Kerstvakantie"
    )
    calendar = SchoolCalendar([vacation])
    rng = random.Random(19)
    first = datetime.date(2023, 7, 1)
    for _ in range(400):
        start = first + datetime.timedelta(days=rng.randrange(1200))
        end = start + datetime.timedelta(days=rng.randrange(-5, 500))
        assert calendar.school_days_between(start, end) == _walked(calendar, start, end), (start, end)
    day = datetime.date(2024, 12, 31)
    assert calendar.school_days_between(day, day) == 0
    assert calendar.school_days_between(day, day + datetime.timedelta(days=1)) == 0  # Nieuwjaarsdag
