"""``flask --app portal remind``: mail for the deadlines that fall due on the next school day
(weekends, public holidays and the school's vacations skipped), to who handles the case or
may handle it, once per deadline and date however often and however concurrently it runs."""

import datetime
import threading

import pytest

from portal import reminders
from portal.cases import engine
from portal.db import database
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import DeadlineReminder
from portal.models import Outbox
from portal.models import School
from portal.models import User
from portal.models import Vacation

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

FRIDAY = datetime.date(2026, 3, 6)


def case_due(title, day, **kw):
    case = make_case(title, **kw)
    CaseDeadline.update(due_date=day).where(CaseDeadline.case == case.id).execute()
    # One deadline per case: the calendar one starts at a transition these cases never take.
    assert CaseDeadline.select().where(CaseDeadline.case == case.id).count() == 1
    return case


def mails():
    return list(Outbox.select().where(Outbox.subject.startswith("Herinnering")).order_by(Outbox.id))


def run(app, day):
    with db_ctx(app):
        return reminders.remind(day, echo=lambda *_: None)


def test_a_friday_reminds_of_saturday_to_monday(app):
    with db_ctx(app):
        ib = actor("ib")
        saturday = case_due("Zaterdag", datetime.date(2026, 3, 7), assignee=ib)
        monday = case_due("Maandag", datetime.date(2026, 3, 9), assignee=ib)
        case_due("Dinsdag", datetime.date(2026, 3, 10), assignee=ib)
        case_due("Vandaag", FRIDAY, assignee=ib)
    assert run(app, FRIDAY) == (2, 1)
    with db_ctx(app):
        (mail,) = mails()
        assert mail.to == "ib@klaverweide.demo"
        assert mail.subject == "Herinnering: termijn op zaterdag 7 maart 2026 en maandag 9 maart 2026"
        assert saturday.reference in mail.body and monday.reference in mail.body
        assert "Zaterdag" not in mail.body and "Maandag" not in mail.body  # never the case's title
        assert f"http://127.0.0.1:5000/klaverweide/zaken/{monday.reference}" in mail.body


def test_an_archived_school_is_not_reminded(app):
    with db_ctx(app):
        case_due("Maandag", datetime.date(2026, 3, 9), assignee=actor("ib"))
        School.update(archived_at=datetime.datetime(2026, 3, 1)).where(School.id == school().id).execute()
    try:
        assert run(app, FRIDAY) == (0, 0)
    finally:
        with db_ctx(app):
            School.update(archived_at=None).where(School.slug == "klaverweide").execute()
    with db_ctx(app):
        assert mails() == []


def test_a_weekday_reminds_of_the_next_day_only(app):
    with db_ctx(app):
        tuesday = case_due("Dinsdag", datetime.date(2026, 3, 10), assignee=actor("ib"))
        case_due("Woensdag", datetime.date(2026, 3, 11), assignee=actor("ib"))
    assert run(app, datetime.date(2026, 3, 9)) == (1, 1)
    with db_ctx(app):
        assert [tuesday.reference in m.body for m in mails()] == [True]


def test_a_vacation_and_a_public_holiday_move_the_next_school_day(app):
    with db_ctx(app):
        Vacation.create(
            school=school().id,
            name="Voorjaarsvakantie",
            start=datetime.date(2026, 3, 9),
            end=datetime.date(2026, 3, 13),
        )
        in_vacation = case_due("In de vakantie", datetime.date(2026, 3, 11), assignee=actor("ib"))
        first_day_back = case_due("Eerste dag terug", datetime.date(2026, 3, 16), assignee=actor("ib"))
        case_due("Dag erna", datetime.date(2026, 3, 17), assignee=actor("ib"))
        # Koningsdag (Monday 27 April 2026): on Friday the 24th, Tuesday is the next school day.
        kings_day = case_due("Koningsdag", datetime.date(2026, 4, 28), assignee=actor("ib"))
    assert run(app, FRIDAY) == (2, 1)
    with db_ctx(app):
        body = mails()[0].body
        assert in_vacation.reference in body and first_day_back.reference in body
    assert run(app, datetime.date(2026, 4, 24)) == (1, 1)
    with db_ctx(app):
        assert kings_day.reference in mails()[-1].body


def test_running_twice_sends_nothing_twice_and_a_moved_deadline_again(app, runner):
    with db_ctx(app):
        case = case_due("Eenmaal", datetime.date(2026, 3, 9), assignee=actor("ib"))
    result = runner.invoke(args=["remind", "--dag", "2026-03-06"])
    assert result.exit_code == 0 and "1 termijnen herinnerd in 1 e-mails" in result.output
    result = runner.invoke(args=["remind", "--dag", "2026-03-06"])
    assert "0 termijnen herinnerd in 0 e-mails" in result.output
    assert run(app, datetime.date(2026, 3, 7)) == (0, 0)  # Saturday: Monday was reminded already
    with db_ctx(app):
        assert len(mails()) == 1
        CaseDeadline.update(due_date=datetime.date(2026, 3, 10)).where(CaseDeadline.case == case.id).execute()
    assert run(app, datetime.date(2026, 3, 9)) == (1, 1)  # moved to Tuesday: reminded for it
    with db_ctx(app):
        assert len(mails()) == 2
        assert DeadlineReminder.select().count() == 2
    assert runner.invoke(args=["remind", "--dag", "morgen"]).exit_code != 0


def test_two_runs_at_once_remind_each_deadline_once(app):
    with db_ctx(app):
        for i in range(12):
            case_due(
                f"Tegelijk {i}", datetime.date(2026, 3, 9), assignee=actor("ib" if i % 2 else "directie")
            )
    results, errors = [], []
    barrier = threading.Barrier(2)

    def one():
        try:
            with db_ctx(app):
                barrier.wait(timeout=30)
                results.append(reminders.remind(FRIDAY, echo=lambda *_: None))
        except Exception as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not errors, errors
    assert sorted(r[0] for r in results) == [0, 12]
    with db_ctx(app):
        assert DeadlineReminder.select().count() == 12
        assert sorted(m.to for m in mails()) == ["directie@klaverweide.demo", "ib@klaverweide.demo"]


def test_a_case_nobody_handles_reminds_who_may_handle_and_see_it(app):
    with db_ctx(app):
        shared = case_due("Niemand", datetime.date(2026, 3, 9))
        secret = case_due("Vertrouwelijk", datetime.date(2026, 3, 9), confidential=True)
        excluded = case_due("Over de ib", datetime.date(2026, 3, 9))
        engine.exclude(excluded, User.get(User.email == "ib@klaverweide.demo"), actor("directie"))
        closed = case_due("Dicht", datetime.date(2026, 3, 9), assignee=actor("ib"))
        Case.update(closed_at=datetime.datetime(2026, 3, 1)).where(Case.id == closed.id).execute()
    run(app, FRIDAY)
    with db_ctx(app):
        by = {m.to: m.body for m in mails()}
        # testzaak.handle: directie and ib; confidential: the directie only; an exclusion wins.
        assert set(by) == {"directie@klaverweide.demo", "ib@klaverweide.demo"}
        assert (
            shared.reference in by["ib@klaverweide.demo"]
            and shared.reference in by["directie@klaverweide.demo"]
        )
        assert secret.reference in by["directie@klaverweide.demo"]
        assert secret.reference not in by["ib@klaverweide.demo"]
        assert excluded.reference not in by["ib@klaverweide.demo"]
        assert all(closed.reference not in body for body in by.values())


def test_mail_links_come_from_portal_url(app):
    app.config["PORTAL_URL"] = "https://veilig.asg.example"
    app.config["TRUSTED_HOSTS"] = ["veilig.asg.example"]
    with db_ctx(app):
        case = case_due("Link", datetime.date(2026, 3, 9), assignee=actor("ib"))
    run(app, FRIDAY)
    with db_ctx(app):
        assert f"https://veilig.asg.example/klaverweide/zaken/{case.reference}" in mails()[0].body


@pytest.mark.parametrize("day", [datetime.date(2026, 3, 7), datetime.date(2026, 3, 8)])
def test_the_window_after_a_weekend_day_ends_on_monday(app, day):
    from portal.schoolcalendar import SchoolCalendar

    first, last = reminders.window(SchoolCalendar(), day)
    assert first == day + datetime.timedelta(days=1) and last == datetime.date(2026, 3, 9)
    assert database is not None
