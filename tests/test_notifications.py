""" "Te doen": the count in the header (one statement) and its page: deadlines today and past,
new parent messages and new assignments on the open cases assigned to the user; seen when
the page is opened."""

import datetime
import re

from portal.cases import engine
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import CaseEvent
from portal.models import User
from portal.notifications import count_for

from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school
from .core_helpers import user

COUNT_RE = re.compile(r'class="todo-link"[^>]*>Te doen(?: <span class="todo-count">(\d+)</span>)?</a>')


def header_count(client, url="/klaverweide/"):
    text = client.get(url).get_data(as_text=True)
    m = COUNT_RE.search(text)
    assert m, "no Te doen link in the header"
    return int(m.group(1) or 0)


def due(case, day):
    CaseDeadline.update(due_date=day).where(CaseDeadline.case == case.id).execute()


def parent_message(case, text="Aanvulling van de ouder"):
    return engine.add_event(case, "submitter", None, text, visible_to_submitter=True, actor="Indiener")


def setup_cases(today):
    """For the IB: one of each thing that counts, and things that must not count."""
    ib, directie = actor("ib"), actor("directie")
    counted = {}
    late = make_case("Te laat", by="ib", assignee=ib)
    due(late, today - datetime.timedelta(days=3))
    counted["late"] = late
    on_day = make_case("Vandaag", by="ib", assignee=ib)
    due(on_day, today)
    counted["today"] = on_day
    handed = make_case("Overgedragen")
    due(handed, today + datetime.timedelta(days=30))
    engine.assign(handed, ib, directie)  # by someone else: new
    counted["assigned"] = handed
    asked = make_case("Vraag van ouder", by="ib", assignee=ib)
    due(asked, today + datetime.timedelta(days=30))
    counted["message"] = asked
    parent_message(asked)
    # Not counted: someone else's case, a closed one, a met deadline, one next week, a
    # staff note, an assignment the user made themselves.
    other = make_case("Van de directie", assignee=directie)
    due(other, today - datetime.timedelta(days=1))
    parent_message(other)
    closed = make_case("Afgesloten", by="ib", assignee=ib)
    due(closed, today - datetime.timedelta(days=1))
    Case.update(closed_at=datetime.datetime(2026, 1, 1), state="klaar").where(Case.id == closed.id).execute()
    met = make_case("Gehaald", by="ib", assignee=ib)
    CaseDeadline.update(met_at=datetime.datetime(2026, 1, 1), due_date=today).where(
        CaseDeadline.case == met.id
    ).execute()
    later = make_case("Later", by="ib", assignee=ib)
    due(later, today + datetime.timedelta(days=7))
    engine.add_note(later, ib, "Eigen notitie")
    mine = make_case("Zelf gepakt")
    due(mine, today + datetime.timedelta(days=7))
    engine.assign(mine, ib, ib)
    return counted


def test_the_header_counts_what_waits_and_the_page_lists_it(app, client):
    from portal.dates import today

    day = today()
    with db_ctx(app):
        counted = setup_cases(day)
    login(client, "ib")
    assert header_count(client) == 4  # late, today, newly assigned, parent's message
    assert header_count(client, "/klaverweide/zaken/") == 4  # on every page

    r = client.get("/klaverweide/te-doen/")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    for key, case in counted.items():
        assert case.reference in text, key
    sections = re.split(r'<h2 id="h-', text)
    deadlines = next(s for s in sections if s.startswith("termijnen"))
    assert counted["late"].reference in deadlines and "te laat sinds" in deadlines
    assert counted["today"].reference in deadlines and ">vandaag<" in deadlines
    messages = next(s for s in sections if s.startswith("berichten"))
    assert counted["message"].reference in messages and counted["late"].reference not in messages
    assigned = next(s for s in sections if s.startswith("nieuw"))
    assert counted["assigned"].reference in assigned and "Zelf gepakt" not in assigned
    assert "Van de directie" not in text and "Afgesloten" not in text
    assert 'aria-current="page">Te doen' in text

    # Seen: the message and the assignment are no longer new; the deadlines still count.
    assert header_count(client) == 2
    text = client.get("/klaverweide/te-doen/").get_data(as_text=True)
    assert "Geen nieuwe berichten." in text and "Geen nieuwe toewijzingen." in text
    with db_ctx(app):
        parent_message(counted["message"], "Nog een vraag")
        rows = AuditLog.select().where(AuditLog.action == "notifications.view").count()
    assert header_count(client) == 3
    assert rows == 2


def test_the_count_is_one_statement(app):
    from portal.dates import today

    with db_ctx(app):
        setup_cases(today())
        ib, where = user("ib"), school()
        seen = []
        real = database.obj.execute_sql
        database.obj.execute_sql = lambda sql, params=None: seen.append(sql) or real(sql, params)
        try:
            assert count_for(ib.id, where.id) == 4
        finally:
            database.obj.execute_sql = real
    assert len(seen) == 1


def test_an_excluded_user_is_told_nothing(app, client):
    from portal.dates import today

    with db_ctx(app):
        case = make_case("Over de ib", by="ib", assignee=actor("ib"))
        due(case, today())
        assert count_for(user("ib").id, school().id) == 1
        engine.exclude(case, User.get(User.email == "ib@klaverweide.demo"), actor("directie"))
        assert count_for(user("ib").id, school().id) == 0
    login(client, "ib")
    assert case.reference not in client.get("/klaverweide/te-doen/").get_data(as_text=True)


def test_a_parents_message_is_new_until_the_page_is_opened(app):
    with db_ctx(app):
        ib = user("ib")
        case = make_case("Bericht", by="ib", assignee=actor("ib"))
        CaseDeadline.update(met_at=datetime.datetime(2026, 1, 1)).where(
            CaseDeadline.case == case.id
        ).execute()
        event = parent_message(case)
        from portal.notifications import mark_seen

        mark_seen(ib.id, school().id, when=event.at - datetime.timedelta(seconds=1))
        assert count_for(ib.id, school().id) == 1
        mark_seen(ib.id, school().id, when=event.at)
        assert count_for(ib.id, school().id) == 0
        assert CaseEvent.select().where(CaseEvent.kind == "submitter").count() >= 1


def test_no_link_without_a_school_or_for_a_parent(app, client):
    assert "todo-link" not in client.get("/klaverweide/ouderpunt/melden").get_data(as_text=True)
    login(client, "bestuur")
    assert "todo-link" not in client.get("/").get_data(as_text=True)


def test_late_deadlines_are_looked_up_from_the_users_own_open_cases(app):
    """On PostgreSQL the late part starts from the user's open cases and looks up their
    deadlines one case at a time, stopping at the limit: it never hashes every open overdue
    deadline of the database (which grows with every school's history). On SQLite the plain
    join is planned that way by itself."""
    from portal.dates import today
    from portal.db import is_sqlite
    from portal.notifications import COUNT_SQL
    from portal.notifications import COUNT_SQL_POSTGRESQL

    with db_ctx(app):
        setup_cases(today())
        if is_sqlite():
            assert "LATERAL" not in COUNT_SQL
            return
        ib, where = user("ib"), school()
        assert count_for(ib.id, where.id) == 4
        sql = COUNT_SQL_POSTGRESQL.replace("?", "%s")
        day = today().isoformat()
        params = ("assign", ib.id, ib.id, where.id, ib.id, where.id, day, day, "2100-01-01", 100)
        params += ("submitter", ib.id, ib.id, where.id, ib.id, where.id, "2000-01-01")
        plan = "\n".join(r[0] for r in database.execute_sql("EXPLAIN " + sql, params).fetchall())
    # The late part: from the CTE to the next part of the statement (the parent messages).
    late = plan[plan.index("CTE mine") :].split("InitPlan")[0]
    assert "Nested Loop" in late and "Hash" not in late, plan
