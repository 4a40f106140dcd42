"""The suspension period on the school calendar (veiligheidsplan 3.2.2: 1 to 5
consecutive school days). The demo school's vacations are in portal/demo.py."""

import datetime

import pytest

from plugins.schorsing import period
from portal import api
from portal.models import School

D = datetime.date


def days_from(school, first, n):
    """The suspension's days, as the decision counts them."""
    return api.SchoolCalendar.for_school(school).school_days_from(first, n)


@pytest.fixture
def school(ctx):
    return School.get(School.slug == "klaverweide")


def test_five_days_from_a_thursday_skip_the_weekend(school):
    days = days_from(school, D(2026, 3, 12), 5)  # a Thursday
    assert days == [D(2026, 3, 12), D(2026, 3, 13), D(2026, 3, 16), D(2026, 3, 17), D(2026, 3, 18)]
    assert period.describe(days) == (
        "donderdag 12 maart 2026 tot en met woensdag 18 maart 2026 (5 schooldagen)"
    )


def test_koningsdag_is_skipped(school):
    # Koningsdag 2028 falls on Thursday 27 April, outside the demo vacations.
    days = days_from(school, D(2028, 4, 26), 3)
    assert days == [D(2028, 4, 26), D(2028, 4, 28), D(2028, 5, 1)]
    assert api.SchoolCalendar.for_school(school).closed_reason(D(2028, 4, 27)) == "Koningsdag"


def test_tweede_pinksterdag_is_skipped(school):
    # Pinksteren 2026: Sunday 24 May; Tweede Pinksterdag Monday 25 May.
    days = days_from(school, D(2026, 5, 22), 3)
    assert days == [D(2026, 5, 22), D(2026, 5, 26), D(2026, 5, 27)]


def test_school_vacation_is_skipped(school):
    # Herfstvakantie of the demo school: 17 to 25 October 2026.
    days = days_from(school, D(2026, 10, 15), 5)
    assert days == [D(2026, 10, 15), D(2026, 10, 16), D(2026, 10, 26), D(2026, 10, 27), D(2026, 10, 28)]
    assert api.SchoolCalendar.for_school(school).closed_reason(D(2026, 10, 19)) == "Herfstvakantie"


def test_one_day(school):
    days = days_from(school, D(2026, 3, 12), 1)
    assert days == [D(2026, 3, 12)]
    assert period.describe(days) == "donderdag 12 maart 2026 (1 schooldag)"
