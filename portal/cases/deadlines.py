"""Deadlines for the dashboard: due this week or overdue, on cases the user may see; and how
a deadline reads wherever it is shown (the dashboard, "Te doen", the reminder mail).

A deadline in days falls due on its day. A deadline in hours (a breach's 72 hours, counted
through nights and weekends; ``CaseDeadline.due_at``) falls due at its moment: it reads
"uiterlijk maandag 9 maart 2026, 16:30 (nog 7 uur)", is on the dashboard from the moment it is
less than ``HOURS_SOON`` away (even when that moment is after the weekend), and in "Te doen"
from ``HOURS_AHEAD`` before it, not from the start of its day.
"""

import datetime

import peewee
from flask import url_for

from ..dates import local
from ..dates import nl_date
from ..dates import nl_datetime
from ..dates import today
from ..models import Case
from ..models import CaseDeadline
from ..models import utcnow
from .visibility import visible_condition

# "Te doen" lists a deadline in hours from this long before its moment (one in days: on its day).
HOURS_AHEAD = datetime.timedelta(hours=24)
# The dashboard lists one from this long before (one in days: in the week it falls due), so
# that 72 hours that end on Monday show on Friday.
HOURS_SOON = datetime.timedelta(hours=72)


def hours_left(due_at, now):
    """ "nog 7 uur" until the moment ``due_at`` (naive UTC), "nog minder dan een uur", or ""
    once it passed."""
    seconds = (due_at - now).total_seconds()
    if seconds <= 0:
        return ""
    if seconds < 3600:
        return "nog minder dan een uur"
    return f"nog {int(seconds // 3600)} uur"


def is_late(d, day, now):
    """Is the deadline ``d`` past: its moment (in hours), else its day?"""
    return d.due_at < now if d.due_at is not None else d.due_date < day


def when_text(d, day, now):
    """How a deadline reads: "te laat sinds 9 maart 2026", "uiterlijk 9 maart 2026", or for one
    in hours "uiterlijk 9 maart 2026, 16:30 (nog 7 uur)"."""
    if d.due_at is None:
        return ("te laat sinds " if d.due_date < day else "uiterlijk ") + nl_date(d.due_date)
    if d.due_at < now:
        return "te laat sinds " + nl_datetime(d.due_at)
    return f"uiterlijk {nl_datetime(d.due_at)} ({hours_left(d.due_at, now)})"


def due_by(day, now, ahead):
    """The condition "due by the end of ``day``, or (one in hours) within ``ahead`` of ``now``"
    on ``CaseDeadline``, with a bound on ``due_date`` that keeps the walk of its index short."""
    horizon = now + ahead
    last_day = max(day, local(horizon).date())
    return (CaseDeadline.due_date <= last_day) & (
        (CaseDeadline.due_date <= day) | (CaseDeadline.due_at <= horizon)
    )


def due_soon(user, school, day=None, limit=20, now=None):
    """The first ``limit`` deadlines not met of open cases the user sees, due by the end of
    this week (late ones first).

    The deadlines are walked in due order in the partial index of those not met (m0017)
    and each one's case is read by its id: no sort, and the cost does not grow with the
    closed cases of the history. ``CROSS JOIN`` keeps that order on SQLite (its planner
    would otherwise start from every case of the school); PostgreSQL plans it as any join."""
    day = day or today()
    now = now or utcnow()
    end_of_week = day + datetime.timedelta(days=6 - day.weekday())
    return list(
        CaseDeadline.select(CaseDeadline, Case)
        .join(Case, peewee.JOIN.CROSS)
        .where(
            (CaseDeadline.case == Case.id)
            & visible_condition(user, school)
            & Case.closed_at.is_null()
            & CaseDeadline.met_at.is_null()
            & due_by(end_of_week, now, HOURS_SOON)
        )
        .order_by(CaseDeadline.due_date)
        .limit(limit)
    )


def deadline_lines(user, school):
    day = today()
    now = utcnow()
    return [
        (
            f"{d.case.reference}: {d.label}",
            when_text(d, day, now),
            url_for("cases.detail", reference=d.case.reference),
        )
        for d in due_soon(user, school, day, now=now)
    ]
