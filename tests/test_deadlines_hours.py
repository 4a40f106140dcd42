"""A deadline in hours (a breach's 72 hours, AVG art. 33) is shown and reminded by its moment,
not by its day: across a weekend it is in "Te doen" from a day before its moment, on the
dashboard on Friday, and Monday morning's reminder names the time and the hours left."""

import datetime

from portal import notifications
from portal import reminders
from portal.cases import deadlines
from portal.dates import to_utc
from portal.models import CaseDeadline
from portal.models import Outbox
from portal.testing import as_role

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school


def at(day, hour, minute=0):
    """A Dutch local time on 2026-03-<day> as the database keeps moments (naive UTC)."""
    return to_utc(datetime.datetime(2026, 3, day, hour, minute))


FRIDAY, SUNDAY, MONDAY = (datetime.date(2026, 3, d) for d in (6, 8, 9))
# Discovered on Friday 6 March 2026 at 16:30: 72 clock hours end on Monday at 16:30.
DUE = at(9, 16, 30)


def breach_deadline(app, title="Datalek", assignee="ib"):
    with db_ctx(app):
        case = make_case(title, assignee=actor(assignee) if assignee else None)
        CaseDeadline.delete().where(CaseDeadline.case == case.id).execute()
        CaseDeadline.create(
            case=case.id,
            name="testzaak.72uur",
            label="Besluit over melden bij de AP",
            due_date=MONDAY,
            due_at=DUE,
        )
    return case


def listed(app, day, now):
    with db_ctx(app):
        ib = actor("ib")
        _assigned, due, _messages, _open = notifications.items(ib.id, school().id, day, now)
        count = notifications.count_for(ib.id, school().id, day, now)
        return [d.case.reference for d in due], count


def test_te_doen_counts_hours_by_the_moment_across_the_weekend(app, monkeypatch):
    case = breach_deadline(app)
    # Friday 17:00, 71.5 hours before: not yet ...
    refs, friday_count = listed(app, FRIDAY, at(6, 17))
    assert case.reference not in refs
    # ... Sunday 17:00, 23.5 hours before: yes, although its day (Monday) has not come; counted
    # by its day it would wait until Monday 00:00.
    refs, sunday_count = listed(app, SUNDAY, at(8, 17))
    assert case.reference in refs and sunday_count == friday_count + 1
    # Sunday 16:00, 24.5 hours before: not yet.
    refs, _ = listed(app, SUNDAY, at(8, 16))
    assert case.reference not in refs
    with db_ctx(app):
        d = CaseDeadline.get(CaseDeadline.case == case.id)
        assert deadlines.when_text(d, SUNDAY, at(8, 17)) == "uiterlijk 9 maart 2026, 16:30 (nog 23 uur)"
        assert (
            deadlines.when_text(d, MONDAY, at(9, 16))
            == "uiterlijk 9 maart 2026, 16:30 (nog minder dan een uur)"
        )
        assert deadlines.when_text(d, MONDAY, at(9, 17)) == "te laat sinds 9 maart 2026, 16:30"
    # The page as the ib reads it on Sunday evening: the moment and the hours left.
    monkeypatch.setattr(notifications, "today", lambda: SUNDAY)
    monkeypatch.setattr(notifications, "utcnow", lambda: at(8, 19))
    html = as_role(app, "ib").get("/klaverweide/te-doen/").get_data(as_text=True)
    assert case.reference in html and "uiterlijk 9 maart 2026, 16:30 (nog 21 uur)" in html
    # Monday 17:00: late, by the moment.
    monkeypatch.setattr(notifications, "today", lambda: MONDAY)
    monkeypatch.setattr(notifications, "utcnow", lambda: at(9, 17))
    html = as_role(app, "ib").get("/klaverweide/te-doen/").get_data(as_text=True)
    assert "te laat sinds 9 maart 2026, 16:30" in html


def test_the_dashboard_shows_on_friday_72_hours_that_end_on_monday(app):
    case = breach_deadline(app)
    with db_ctx(app):
        ib = actor("ib")
        # Friday 17:00: the week ends on Sunday, but the moment is 71.5 hours away.
        soon = deadlines.due_soon(ib, school(), FRIDAY, now=at(6, 17))
        assert case.reference in [d.case.reference for d in soon]
        # A deadline in days on that Monday stays next week's, as before.
        other = make_case("Maandag", assignee=ib)
        CaseDeadline.update(due_date=MONDAY).where(CaseDeadline.case == other.id).execute()
        soon = deadlines.due_soon(ib, school(), FRIDAY, now=at(6, 17))
        assert other.reference not in [d.case.reference for d in soon]


def test_monday_mornings_reminder_names_the_moment_of_72_hours_registered_at_the_weekend(app):
    """Registered on Saturday (after Friday's run): counted by its day, Monday's run would skip
    it (it reminds of days after today); by its moment it is reminded with its time."""
    case = breach_deadline(app)
    day_case = breach_deadline(app, "Termijn in dagen")
    with db_ctx(app):
        CaseDeadline.update(due_at=None).where(CaseDeadline.case == day_case.id).execute()
        before = Outbox.select().count()
    with db_ctx(app):
        assert reminders.remind(MONDAY, echo=lambda *_: None, now=at(9, 8)) == (1, 1)
        (mail,) = Outbox.select().where(Outbox.id > before)
        assert mail.to == "ib@klaverweide.demo"
        assert (
            f"{case.reference}: Besluit over melden bij de AP, uiterlijk maandag 9 maart 2026 om "
            "16:30 (nog 8 uur)" in mail.body
        )
        assert day_case.reference not in mail.body  # a deadline in days due today: "Te doen" has it
        # Once: the next run (an hour later) sends nothing again; after its moment, nothing.
        assert reminders.remind(MONDAY, echo=lambda *_: None, now=at(9, 9)) == (0, 0)
    # One registered too late for any run before its moment is not reminded after it.
    breach_deadline(app, "Te laat")
    with db_ctx(app):
        assert reminders.remind(MONDAY, echo=lambda *_: None, now=at(9, 17)) == (0, 0)


def test_fridays_run_reminds_of_hours_that_end_before_the_next_school_day_is_over(app):
    case = breach_deadline(app)
    with db_ctx(app):
        before = Outbox.select().count()
        assert reminders.remind(FRIDAY, echo=lambda *_: None, now=at(6, 17)) == (1, 1)
        (mail,) = Outbox.select().where(Outbox.id > before)
        assert case.reference in mail.body and "om 16:30 (nog 71 uur)" in mail.body
