"""Reminder mail for deadlines that fall due on the next school day: ``flask --app portal
remind``, once a day from cron (docs/operations.md).

Which deadlines: the open deadlines of open cases due after today, up to and including the
next school day of the school's calendar (weekends, public holidays and the school's
vacations skipped). On a Friday that is Saturday to Monday; before the Christmas holidays,
everything up to the first day back. A deadline in hours (a breach's 72 hours) by its moment:
one still ahead and due before the end of that window or within ``HOURS_AHEAD``, today
included, so that 72 hours registered at the weekend and ending on Monday afternoon are
reminded by Monday morning's run; the mail names the time and the hours left.

Who: the case's assignee; for a case nobody handles yet, everyone who may handle it and see
it (the type's handle permission, the confidential roles of a confidential case, never an
excluded person). What: the reference, the step and the date with a link, never what the
case is about (as every staff mail).

Once per deadline and date: the reminder is recorded (``DeadlineReminder``, unique per
deadline and due date) by the same statement that picks the deadlines, in the transaction
that queues the mail. A second run, also one running at the same moment, finds them
recorded and sends nothing again (on PostgreSQL the second insert waits for the first
transaction and then skips; SQLite runs write transactions one at a time). A deadline moved
to another date is reminded again for its new date.
"""

import datetime

import click
from flask import current_app
from flask.cli import with_appcontext

from . import mail
from .cases.deadlines import HOURS_AHEAD
from .cases.deadlines import hours_left
from .dates import local
from .dates import nl_date
from .dates import to_utc
from .dates import today
from .db import atomic
from .db import constant_sql
from .db import database
from .models import Case
from .models import CaseDeadline
from .models import School
from .models import utcnow
from .schoolcalendar import SchoolCalendar

# Records the deadlines of one school due in the window and not yet reminded for that date,
# and returns those it recorded: the pick and the record are one statement.
RECORD_SQL = (
    'INSERT INTO "portal_deadline_reminder" ("deadline_id", "due_date", "sent_at") '
    'SELECT d."id", d."due_date", ? FROM "portal_case_deadline" AS d '
    'JOIN "portal_case" AS c ON c."id" = d."case_id" '
    'WHERE c."school_id" = ? AND c."closed_at" IS NULL AND d."met_at" IS NULL '
    'AND d."due_date" >= ? AND d."due_date" <= ? '
    'AND ((d."due_at" IS NULL AND d."due_date" > ? AND d."due_date" <= ?) '
    'OR (d."due_at" > ? AND d."due_at" <= ?)) '
    'ON CONFLICT ("deadline_id", "due_date") DO NOTHING RETURNING "deadline_id"'
)


def window(calendar, day):
    """(first, last) due dates to remind of on ``day``: after it, up to the next school day."""
    first = day + datetime.timedelta(days=1)
    return first, calendar.next_school_day(first)


def hours_window(last, now):
    """(after, until): the moments of deadlines in hours to remind of at ``now`` (naive UTC):
    still ahead, and before the end of the window's ``last`` day or within ``HOURS_AHEAD``,
    whichever is later. Its day may be today: 72 hours that end on Monday at 16:30 are
    reminded by Monday morning's run when no run before it saw them (a breach registered at
    the weekend)."""
    end_of_last = to_utc(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time()))
    return now, max(end_of_last, now + HOURS_AHEAD)


def recipients(case):
    """Whom to remind of a deadline of ``case`` (see the module doc)."""
    from .access import users_with_permission
    from .cases.engine import case_type
    from .cases.engine import excluded
    from .cases.visibility import can_view
    from .models import User
    from .sessions import PortalUser

    if case.assignee_id:
        person = User.get_or_none((User.id == case.assignee_id) & User.active)
        return [person] if person else []
    ct = case_type(case.case_type)
    shut_out = {p.id for p in excluded(case)}
    handlers = users_with_permission(case.school, ct.handle_permission or ct.view_permission)
    return [p for p in handlers if p.id not in shut_out and can_view(case, PortalUser(p, None))]


def _due(d, now):
    """When a deadline falls due, for the mail: its day, or (in hours) its moment and the hours
    left."""
    if d.due_at is None:
        return nl_date(d.due_date, weekday=True)
    return f"{nl_date(d.due_at, weekday=True)} om {local(d.due_at):%H:%M} ({hours_left(d.due_at, now)})"


def _mail(person, school, due_rows, now):
    from .urls import external_url

    dates = sorted({d.due_date for d, _case in due_rows})
    when = " en ".join(nl_date(day, weekday=True) for day in dates)
    rows = sorted(due_rows, key=lambda r: (r[0].due_date, r[0].due_at or now, r[1].reference))
    lines = [
        f"- {case.reference}: {d.label}, uiterlijk {_due(d, now)}\n"
        f"  {external_url('cases.detail', school=school.slug, reference=case.reference)}"
        for d, case in rows
    ]
    body = (
        f"Bij {school.name} loopt voor de eerstvolgende schooldag een termijn af in een zaak die u "
        f"behandelt of kunt behandelen:\n\n" + "\n".join(lines) + "\n\nDeze e-mail bevat bewust geen "
        "details. Log in op het Veiligheidsportaal om de zaak te bekijken."
    )
    subject = f"Herinnering: termijn op {when}"
    mail.queue(person.email, subject, body, school=school)


def remind_school(school, day, now=None):
    """Queue the reminders of one school for ``day`` at the moment ``now`` (naive UTC; default
    now); returns (deadlines, mails)."""
    now = now or utcnow()
    _first, last = window(SchoolCalendar.for_school(school), day)
    after, until = hours_window(last, now)
    due_date, due_at = CaseDeadline.due_date.db_value, CaseDeadline.due_at.db_value
    params = (
        Case.updated_at.db_value(utcnow()),
        school.id,
        *(due_date(day), due_date(max(last, local(until).date()))),
        *(due_date(day), due_date(last)),
        *(due_at(after), due_at(until)),
    )
    with atomic():
        ids = [row[0] for row in database.execute_sql(constant_sql(RECORD_SQL), params)]
        if not ids:
            return 0, 0
        by_person = {}
        for deadline in CaseDeadline.select(CaseDeadline, Case).join(Case).where(CaseDeadline.id.in_(ids)):
            case = deadline.case
            case.school = school
            for person in recipients(case):
                if person.email:
                    by_person.setdefault(person.id, (person, []))[1].append((deadline, case))
        for person, rows in by_person.values():
            _mail(person, school, rows, now)
    return len(ids), len(by_person)


def remind(day=None, echo=print, now=None):
    """Reminders of every school for ``day`` (default today) at the moment ``now`` (naive UTC;
    default: now, or this time of day on ``day``); returns (deadlines, mails)."""
    from urllib.parse import urlsplit

    from .urls import base_url

    day = day or today()
    if now is None:
        clock = local(utcnow())
        now = to_utc(datetime.datetime.combine(day, clock.time()))
    own = urlsplit(base_url())
    total = [0, 0]
    # An archived school opens to nobody: its links would lead nowhere, so it is not reminded.
    for school in School.select().where(School.archived_at.is_null()).order_by(School.id):
        # The access rules keep their answers per request: one made-up request per school,
        # for the portal's own host (with PORTAL_URL set, Flask refuses any other).
        with current_app.test_request_context(f"/{school.slug}/", base_url=f"{own.scheme}://{own.netloc}"):
            deadlines, mails = remind_school(school, day, now)
        total[0] += deadlines
        total[1] += mails
    echo(f"{total[0]} termijnen herinnerd in {total[1]} e-mails")
    return tuple(total)


@click.command("remind")
@with_appcontext
@click.option("--dag", default="", help="Doe alsof het deze dag is (jjjj-mm-dd); standaard vandaag.")
def remind_command(dag):
    """Herinneringen mailen voor termijnen die de eerstvolgende schooldag aflopen (dagelijks, cron)."""
    try:
        day = datetime.date.fromisoformat(dag) if dag else None
    except ValueError:
        raise click.BadParameter("een datum als 2026-12-07", param_hint="--dag") from None
    database.connect(reuse_if_open=True)
    try:
        remind(day, echo=click.echo)
    finally:
        database.close()


def init_app(app):
    app.cli.add_command(remind_command)
