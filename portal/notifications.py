"""What waits for a user at a school: the "Te doen" link in the header with its count, and
its page.

Three things need the user, all on the open cases assigned to them (which they always see,
whatever their roles: the list's visibility rule): a case newly assigned to them by
someone else, a deadline that falls due today or is past (one in hours, such as a breach's
72 hours: from ``HOURS_AHEAD`` before its moment, weekend or not), and a message a parent added.
"New" means: after the user last opened the page (``NotificationSeen``; before the first
visit, the last 30 days); a deadline counts until it is met.

The count is in every page's header, so it is one statement of index lookups that do not
grow with the school's history: new entries from the events' (kind, at) index, late
deadlines from the user's open cases (a partial index) and no further than "99+"
(``count_for``; tests/test_notifications.py counts the statements, docs/performance.md
has its time at 100,000 cases).
"""

import datetime

from flask import Blueprint
from flask import g
from flask import render_template
from flask_login import current_user

from .access import requires
from .audit import audit_view
from .cases.deadlines import HOURS_AHEAD
from .cases.deadlines import due_by
from .cases.deadlines import is_late
from .cases.deadlines import when_text
from .dates import local
from .dates import nl_date
from .dates import nl_datetime
from .dates import today
from .db import atomic
from .db import constant_sql
from .db import database
from .db import is_sqlite
from .models import Case
from .models import CaseDeadline
from .models import CaseEvent
from .models import NotificationSeen
from .models import utcnow
from .registry import get_registry

bp = Blueprint("notifications", __name__, url_prefix="/<school>/te-doen")

# Before the first visit of the page, "new" is what came in during the last 30 days.
FIRST_LOOK = datetime.timedelta(days=30)
# The header shows "99+" beyond: counting further would walk every late deadline of someone
# who handles thousands of cases.
MAX_SHOWN = 99
# The user's open cases at the school (a partial index, migration m0016) ...
MINE = 'c."assignee_id" = ? AND c."school_id" = ? AND c."closed_at" IS NULL'
# ... with an entry of ``kind`` (by someone else) since they last looked: from the few
# recent entries of that kind (the events' (kind, at) index), not from all their cases.
SINCE = (
    '(SELECT COUNT(DISTINCT c."id") FROM "portal_case_event" AS e JOIN "portal_case" AS c '
    'ON c."id" = e."case_id" WHERE e."kind" = ? AND e."at" > s."seen" '
    'AND (e."user_id" IS NULL OR e."user_id" <> ?) AND {mine})'
)
LATE = (
    '(SELECT COUNT(*) FROM (SELECT 1 FROM "portal_case" AS c JOIN "portal_case_deadline" AS d '
    'ON d."case_id" = c."id" WHERE {mine} AND d."met_at" IS NULL AND d."due_date" <= ? '
    'AND (d."due_date" <= ? OR d."due_at" <= ?) LIMIT ?) AS l)'
)
# PostgreSQL, left to choose, hashed every open overdue deadline of the database (8,400 at
# 100,000 cases: 5-18 ms, growing with every school's history) to join them to the user's
# cases. Here it takes the user's open cases first (the partial index, MATERIALIZED so that
# it is not flattened into the join) and looks up each one's open deadlines (the partial
# index (case_id, due_date)), stopping at the limit: 1.3 ms for a user with 2,888 open
# cases, and what a user's own workload costs, not the history. SQLite plans the plain
# join that way by itself (it has no LATERAL).
LATE_POSTGRESQL = (
    '(WITH mine AS MATERIALIZED (SELECT c."id" FROM "portal_case" AS c WHERE {mine}) '
    "SELECT COUNT(*) FROM (SELECT 1 FROM mine CROSS JOIN LATERAL (SELECT 1 FROM "
    '"portal_case_deadline" AS d WHERE d."case_id" = mine."id" AND d."met_at" IS NULL '
    'AND d."due_date" <= ? AND (d."due_date" <= ? OR d."due_at" <= ?) OFFSET 0) AS x LIMIT ?) AS l)'
)
COUNT_SQL = (
    "SELECT {since} + {late} + {since} "
    'FROM (SELECT COALESCE((SELECT n."seen_at" FROM "portal_notification_seen" AS n '
    'WHERE n."user_id" = ? AND n."school_id" = ?), ?) AS "seen") AS s'
)
COUNT_SQL_POSTGRESQL = (
    COUNT_SQL.replace("{since}", SINCE).replace("{late}", LATE_POSTGRESQL).replace("{mine}", MINE)
)
COUNT_SQL = COUNT_SQL.replace("{since}", SINCE).replace("{late}", LATE).replace("{mine}", MINE)


def count_for(user_id, school_id, day=None, now=None):
    """How many things wait for the user at the school (at most MAX_SHOWN + 1): one statement.
    A deadline counts on its day, one in hours from ``HOURS_AHEAD`` before its moment."""
    day, now = day or today(), now or utcnow()
    horizon = now + HOURS_AHEAD
    last_day = CaseDeadline.due_date.db_value(max(day, local(horizon).date()))
    due = CaseDeadline.due_date.db_value(day)
    first_look = NotificationSeen.seen_at.db_value(utcnow() - FIRST_LOOK)
    params = (
        *("assign", user_id, user_id, school_id),
        *(user_id, school_id, last_day, due, CaseDeadline.due_at.db_value(horizon), MAX_SHOWN + 1),
        *("submitter", user_id, user_id, school_id),
        *(user_id, school_id, first_look),
    )
    sql = COUNT_SQL if is_sqlite() else COUNT_SQL_POSTGRESQL
    return database.execute_sql(constant_sql(sql), params).fetchone()[0] or 0


def shown(count):
    """The count as the header shows it ("" for nothing)."""
    return "" if not count else f"{MAX_SHOWN}+" if count > MAX_SHOWN else str(count)


def header_count():
    """The count for the header of this page as text (once per request; "" without a school)."""
    school = g.get("school")
    if school is None or not current_user.is_authenticated:
        return ""
    if "portal_todo_count" not in g:
        g.portal_todo_count = shown(count_for(current_user.id, school.id))
    return g.portal_todo_count


def _seen_at(user_id, school_id):
    row = NotificationSeen.get_or_none(
        (NotificationSeen.user == user_id) & (NotificationSeen.school == school_id)
    )
    return row.seen_at if row else utcnow() - FIRST_LOOK


def mark_seen(user_id, school_id, when=None):
    when = when or utcnow()
    with atomic():
        (
            NotificationSeen.insert(user=user_id, school=school_id, seen_at=when)
            .on_conflict(
                conflict_target=[NotificationSeen.user, NotificationSeen.school],
                update={NotificationSeen.seen_at: when},
            )
            .execute()
        )


def _mine(user_id, school_id):
    return (Case.assignee == user_id) & (Case.school == school_id) & Case.closed_at.is_null()


def items(user_id, school_id, day=None, now=None):
    """What the page lists: (new assignments, deadlines today and past (in hours: within
    ``HOURS_AHEAD`` and past), new messages, all open assigned cases)."""
    day, now = day or today(), now or utcnow()
    seen = _seen_at(user_id, school_id)
    mine = _mine(user_id, school_id)
    assigned = list(
        Case.select()
        .where(
            mine
            & Case.id.in_(
                CaseEvent.select(CaseEvent.case).where(
                    (CaseEvent.kind == "assign")
                    & (CaseEvent.at > seen)
                    & (CaseEvent.user.is_null() | (CaseEvent.user != user_id))
                )
            )
        )
        .order_by(Case.updated_at.desc())
    )
    deadlines = list(
        CaseDeadline.select(CaseDeadline, Case)
        .join(Case)
        .where(mine & CaseDeadline.met_at.is_null() & due_by(day, now, HOURS_AHEAD))
        .order_by(CaseDeadline.due_date, Case.reference)
    )
    messages = list(
        CaseEvent.select(CaseEvent, Case)
        .join(Case)
        .where(mine & (CaseEvent.kind == "submitter") & (CaseEvent.at > seen))
        .order_by(CaseEvent.at.desc())
    )
    open_cases = list(Case.select().where(mine).order_by(Case.updated_at.desc()).limit(50))
    return assigned, deadlines, messages, open_cases


@bp.route("/")
@requires("portal.cases")
def index():
    school = g.school
    day, now = today(), utcnow()
    assigned, deadlines, messages, open_cases = items(current_user.id, school.id, day, now)
    reg = get_registry()

    def type_title(case):
        ct = reg.case_types.get(case.case_type)
        return ct.title if ct else case.case_type

    audit_view("notifications.view")
    # Seen now: what came in before this moment is no longer new (the page lists it once more).
    mark_seen(current_user.id, school.id)
    g.portal_todo_count = shown(len(deadlines))
    return render_template(
        "notifications/index.html",
        assigned=assigned,
        deadlines=deadlines,
        messages=messages,
        open_cases=open_cases,
        today=day,
        when=lambda d: when_text(d, day, now),
        late=lambda d: is_late(d, day, now),
        type_title=type_title,
        nl_date=nl_date,
        nl_datetime=nl_datetime,
    )


def init_app(app):
    app.register_blueprint(bp)
    app.jinja_env.globals["todo_count"] = header_count
