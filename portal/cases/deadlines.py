"""Deadlines for the dashboard: due this week or overdue, on cases the user may see."""

import datetime

import peewee
from flask import url_for

from ..dates import nl_date
from ..dates import nl_datetime
from ..dates import today
from ..models import Case
from ..models import CaseDeadline
from ..models import utcnow
from .visibility import visible_condition


def due_soon(user, school, day=None, limit=20):
    """The first ``limit`` deadlines not met of open cases the user sees, due by the end of
    this week (late ones first).

    The deadlines are walked in due order in the partial index of those not met (m0017)
    and each one's case is read by its id: no sort, and the cost does not grow with the
    closed cases of the history. ``CROSS JOIN`` keeps that order on SQLite (its planner
    would otherwise start from every case of the school); PostgreSQL plans it as any join."""
    day = day or today()
    end_of_week = day + datetime.timedelta(days=6 - day.weekday())
    return list(
        CaseDeadline.select(CaseDeadline, Case)
        .join(Case, peewee.JOIN.CROSS)
        .where(
            (CaseDeadline.case == Case.id)
            & visible_condition(user, school)
            & Case.closed_at.is_null()
            & CaseDeadline.met_at.is_null()
            & (CaseDeadline.due_date <= end_of_week)
        )
        .order_by(CaseDeadline.due_date)
        .limit(limit)
    )


def deadline_lines(user, school):
    day = today()
    lines = []
    now = utcnow()
    for d in due_soon(user, school, day):
        label = f"{d.case.reference}: {d.label}"
        if d.due_at is not None:  # a deadline in hours (a breach's 72 hours): due at its moment
            late = d.due_at < now
            value = ("te laat sinds " if late else "uiterlijk ") + nl_datetime(d.due_at)
        else:
            late = d.due_date < day
            value = ("te laat sinds " if late else "uiterlijk ") + nl_date(d.due_date)
        lines.append((label, value, url_for("cases.detail", reference=d.case.reference)))
    return lines
