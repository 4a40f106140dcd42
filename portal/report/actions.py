"""The actions of the jaarplan on the dashboard: due this week or late, among the deadlines."""

import datetime

from flask import url_for

from ..access import has_permission
from ..dates import nl_date
from ..dates import today
from ..models import SafetyAction
from .choices import FINISHED


def due_actions(school, day=None, limit=10):
    """Actions not done whose due date is this week or past, oldest first: one statement on
    the index (school, status, due_on)."""
    day = day or today()
    end_of_week = day + datetime.timedelta(days=6 - day.weekday())
    return list(
        SafetyAction.select()
        .where(
            (SafetyAction.school == school.id)
            & SafetyAction.status.not_in(FINISHED)
            & (SafetyAction.due_on <= end_of_week)
        )
        .order_by(SafetyAction.due_on, SafetyAction.id)
        .limit(limit)
    )


def action_deadline_lines(user, school):
    """Panel lines ``(label, value, href)`` for those who keep the yearly report up."""
    if not has_permission(user, school, "portal.reports"):
        return []
    day = today()
    # The directie opens the action; the bestuur, who may read but not change it, the report.
    edits = has_permission(user, school, "portal.report_edit")
    lines = []
    for action in due_actions(school, day):
        late = action.due_on < day
        goal = action.goal.strip().splitlines()[0] if action.goal.strip() else "Actie"
        if len(goal) > 60:
            goal = goal[:59] + "…"
        value = ("te laat sinds " if late else "uiterlijk ") + nl_date(action.due_on)
        if edits:
            href = url_for("reports.action_edit", safety_action_id=action.id)
        else:
            href = url_for("reports.report_index", jaar=action.school_year) + "#acties"
        lines.append((f"Actie jaarplan: {goal}", value, href))
    return lines
