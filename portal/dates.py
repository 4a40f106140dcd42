"""Dates written the Dutch way: 28 november 2026."""

import datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
LOCAL = ZoneInfo("Europe/Amsterdam")


def local(dt):
    """A naive UTC datetime from the database, in Dutch local time."""
    return LOCAL.fromutc(dt.replace(tzinfo=LOCAL))


def to_utc(dt):
    """A Dutch local time (naive, as a form gives it, or aware) as a naive UTC datetime, as
    the database keeps moments. A naive time that a clock change makes ambiguous is read as
    the first of the two (fold 0)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=LOCAL)
    return dt.astimezone(datetime.UTC).replace(tzinfo=None)


def nl_date(value, weekday=False):
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = datetime.date.fromisoformat(value[:10])
    if isinstance(value, datetime.datetime):
        value = local(value).date()
    text = f"{value.day} {MONTHS[value.month - 1]} {value.year}"
    return f"{WEEKDAYS[value.weekday()]} {text}" if weekday else text


def nl_datetime(value):
    """28 november 2026, 14:05 (local time)."""
    if value is None:
        return ""
    return _nl_datetime(value)


# The case list writes 25 of these per page view, mostly the same ones as the view
# before: kept per process (a pure function of the moment). It formats the fields
# itself: strftime and nl_date() took twice as long.
@lru_cache(maxsize=8192)
def _nl_datetime(value):
    t = local(value)
    return f"{t.day} {MONTHS[t.month - 1]} {t.year}, {t.hour:02d}:{t.minute:02d}"


def today():
    return datetime.datetime.now(LOCAL).date()


def school_year_of(day):
    """The year in which the school year containing ``day`` started (1 August)."""
    return day.year if day.month >= 8 else day.year - 1


def school_year_bounds(year):
    return datetime.date(year, 8, 1), datetime.date(year + 1, 7, 31)
