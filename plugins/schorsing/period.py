"""The suspension period on the school calendar.

One place computes it, so the confirmation on the form, the stored decision,
the letters and the figures all agree on the same days.
"""

from portal import api


def suspension_days(school, first_day, days):
    """The ``days`` consecutive school days starting at ``first_day``.

    Weekends, public holidays (Koningsdag, Tweede Pinksterdag …) and the
    school's own vacations are skipped, as the school calendar knows them.
    """
    return api.SchoolCalendar.for_school(school).school_days_from(first_day, days)


def closed_reason(school, day):
    """Why ``day`` is no school day at this school (Dutch), or None."""
    return api.SchoolCalendar.for_school(school).closed_reason(day)


def describe(days):
    """Dutch text of a period: "donderdag 2 april 2026 tot en met woensdag 8 april 2026"."""
    first, last = days[0], days[-1]
    count = "1 schooldag" if len(days) == 1 else f"{len(days)} schooldagen"
    if first == last:
        return f"{api.nl_date(first, weekday=True)} ({count})"
    return f"{api.nl_date(first, weekday=True)} tot en met {api.nl_date(last, weekday=True)} ({count})"


def token(days):
    """What the confirmation box carries: the period that was shown."""
    return f"{days[0].isoformat()}/{days[-1].isoformat()}/{len(days)}"
