"""The school calendar: school days are weekdays that are neither a Dutch public
holiday nor inside one of the school's vacations.

``add_school_days(school, start, n)`` is the one way deadlines and suspension
periods are computed.
"""

import datetime
from functools import lru_cache

import holidays

from .models import Vacation

# Public holidays on which Dutch schools are closed. Bevrijdingsdag (5 May) is a
# day off only once every five years and falls in the May vacation anyway; we
# follow the holidays package, which lists it in lustrum years.


@lru_cache(maxsize=64)
def public_holidays(year):
    return dict(holidays.Netherlands(years=year, language="nl"))


def is_public_holiday(day):
    return day in public_holidays(day.year)


def holiday_name(day):
    return public_holidays(day.year).get(day)


def _atw_holiday(day):
    """Algemene termijnenwet art. 3: the generally recognised holidays (Nieuwjaarsdag, Goede
    Vrijdag, Easter, Hemelvaartsdag, Pentecost, Koningsdag, both Christmas days: the
    holidays package's Dutch list) and 5 May, which the act names every year."""
    return (day.month, day.day) == (5, 5) or is_public_holiday(day)


def term_end(day, weeks):
    """The last day of a term of ``weeks`` weeks for a decision made known on ``day``, as the
    law counts it: the term starts the day after (Awb art. 6:8 lid 1) and runs for calendar
    weeks (Awb art. 6:7), so it ends on the same weekday ``weeks`` weeks later; a last day on a
    Saturday, a Sunday or a recognised holiday moves to the next day that is none of those
    (Algemene termijnenwet art. 1 and 3)."""
    end = day + datetime.timedelta(weeks=weeks)
    while end.weekday() >= 5 or _atw_holiday(end):
        end += datetime.timedelta(days=1)
    return end


class SchoolCalendar:
    """School days of one school; vacations are read once per calendar object."""

    def __init__(self, vacations=()):
        self.vacations = [(v.start, v.end, v.name) for v in vacations]
        self._totals = {}  # year: running count of school days per day of the year

    @classmethod
    def for_school(cls, school):
        return cls(Vacation.select().where(Vacation.school == school.id))

    def closed_reason(self, day):
        """Why ``day`` is not a school day (Dutch), or None when it is one."""
        if day.weekday() >= 5:
            return "weekend"
        name = holiday_name(day)
        if name:
            return name
        for start, end, vname in self.vacations:
            if start <= day <= end:
                return vname
        return None

    def is_school_day(self, day):
        return self.closed_reason(day) is None

    def next_school_day(self, day):
        """``day`` itself when it is a school day, otherwise the first one after it."""
        while not self.is_school_day(day):
            day += datetime.timedelta(days=1)
        return day

    def school_days_from(self, first, n):
        """``n`` consecutive school days starting at ``first`` (or the next school day)."""
        if n < 1:
            raise ValueError("n must be at least 1")
        days = []
        day = self.next_school_day(first)
        while True:
            days.append(day)
            if len(days) == n:
                return days
            day = self.next_school_day(day + datetime.timedelta(days=1))

    def add_school_days(self, start, n):
        """The school day ``n`` school days after ``start`` (start itself not counted)."""
        day = start
        for _ in range(n):
            day = self.next_school_day(day + datetime.timedelta(days=1))
        return day

    def joined(self, periods, first, last):
        """The ``periods`` (each with ``first_day`` and ``last_day``) that make one run of
        school days with ``first`` to ``last``: overlapping it, or following on without a
        school day in between, directly or through another such period (suspensions that
        count together, for instance)."""
        run, grew = [], True
        while grew:
            grew = False
            for p in periods:
                if p not in run and p.first_day <= self.add_school_days(last, 1):
                    if first <= self.add_school_days(p.last_day, 1):
                        run.append(p)
                        first, last, grew = min(first, p.first_day), max(last, p.last_day), True
        return run

    def school_days_between(self, start, end):
        """School days after ``start`` up to and including ``end``.

        Counted from a running total per calendar year, made once per calendar object: the
        yearly figures ask this for every complaint and file of a year (medians), and walking
        each period day by day cost the bestuur's report hundreds of thousands of calls."""
        if end <= start:
            return 0
        if start.year == end.year:
            return self._up_to(end) - self._up_to(start)
        days = self._year_totals(start.year)[-1] - self._up_to(start)
        for year in range(start.year + 1, end.year):
            days += self._year_totals(year)[-1]
        return days + self._up_to(end)

    def _up_to(self, day):
        """School days of ``day``'s calendar year up to and including ``day``."""
        return self._year_totals(day.year)[day.timetuple().tm_yday - 1]

    def _year_totals(self, year):
        totals = self._totals
        if year not in totals:
            running, out = 0, []
            day = datetime.date(year, 1, 1)
            while day.year == year:
                running += self.is_school_day(day)
                out.append(running)
                day += datetime.timedelta(days=1)
            totals[year] = out
        return totals[year]


def add_school_days(school, start, n):
    return SchoolCalendar.for_school(school).add_school_days(start, n)
