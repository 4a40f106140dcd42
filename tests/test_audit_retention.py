"""Issue 15, item 4: the audit log scales. Its page pages by keyset over indexed filters,
and audit rows of views go after the school's retention (portal.audit_view_years, default
five years, NEN 7513), deleted in batches by the purge, while the database still refuses
every other UPDATE and DELETE (the trigger of m0017, on SQLite and PostgreSQL)."""

import datetime

import peewee
import pytest

from portal import audit_log
from portal import retention
from portal.audit import audit
from portal.dates import today as dutch_today
from portal.db import atomic
from portal.db import database
from portal.db import is_sqlite
from portal.models import AuditLog
from portal.models import School
from portal.models import SchoolSetting
from portal.models import utcnow

from .conftest import login

YEAR = datetime.timedelta(days=365)


def _row(at, action="case.view", view=True, school="klaverweide", **kw):
    return AuditLog.insert(
        at=at, action=action, is_view=view, school=school, user_email="x@klaverweide.demo", **kw
    ).execute()


def _refused(query):
    try:
        with atomic():
            query.execute()
    except peewee.DatabaseError as exc:
        # The trigger's refusal, or on PostgreSQL with the owner/app split (as CI and
        # production run it) the missing UPDATE right of the application's login.
        return "append-only" in str(exc) or "permission denied" in str(exc)
    return False


def test_a_view_is_marked_and_a_change_is_not(app, client):
    login(client, "directie")
    from portal.audit import flush_views

    client.get("/klaverweide/")
    flush_views()
    with app.app_context():
        database.connect(reuse_if_open=True)
        view = AuditLog.select().where(AuditLog.action == "dashboard.view").get()
        assert view.is_view
        logins = AuditLog.select().where(AuditLog.action.startswith("login")).count()
        assert (
            logins
            and not AuditLog.select().where(AuditLog.action.startswith("login") & AuditLog.is_view).count()
        )
        database.close()


def test_the_database_refuses_every_delete_but_an_old_view_row(ctx):
    now = utcnow()
    recent_view = _row(now - YEAR)
    old_change = _row(now - 6 * YEAR, action="case.close", view=False)
    old_view = _row(now - 6 * YEAR)
    for row_id in (recent_view, old_change):
        assert _refused(AuditLog.delete().where(AuditLog.id == row_id))
        assert AuditLog.get_or_none(AuditLog.id == row_id) is not None
    assert _refused(AuditLog.update(detail="x").where(AuditLog.id == old_view))
    # A school that set a retention of 0 years still keeps a year: the trigger's floor.
    school = School.get(School.slug == "klaverweide")
    SchoolSetting.create(school=school, name="portal.audit_view_years", value="0")
    half_year = _row(now - datetime.timedelta(days=180))
    assert _refused(AuditLog.delete().where(AuditLog.id == half_year))
    # The old view row may go: directly too (the database decides, not the purge).
    with atomic():
        AuditLog.delete().where(AuditLog.id == old_view).execute()
    assert AuditLog.get_or_none(AuditLog.id == old_view) is None


def test_purge_removes_view_rows_past_each_schools_retention_in_batches(ctx):
    now = utcnow()
    school = School.get(School.slug == "klaverweide")
    School.create(slug="esdoorn", name="De Esdoorn")
    old = [_row(now - 6 * YEAR - datetime.timedelta(days=i)) for i in range(5)]
    three_years = _row(now - 3 * YEAR)
    other_school = _row(now - 3 * YEAR, school="esdoorn")
    old_change = _row(now - 9 * YEAR, action="case.close", view=False)
    refusal = _row(now - 9 * YEAR, action="case.view", view=False, outcome="denied")

    assert retention.purge_audit_views(now=now, dry_run=True) == {"klaverweide": 5}
    assert AuditLog.select().where(AuditLog.id.in_(old)).count() == 5
    assert retention.purge_audit_views(now=now, dry_run=False, batch_size=2) == {"klaverweide": 5}
    assert AuditLog.select().where(AuditLog.id.in_(old)).count() == 0
    for kept in (three_years, other_school, old_change, refusal):
        assert AuditLog.get_or_none(AuditLog.id == kept) is not None
    # One audit row per batch (2 + 2 + 1), a change's row: it stays.
    purges = list(AuditLog.select().where(AuditLog.action == "audit.purge").order_by(AuditLog.id))
    assert len(purges) == 3 and not any(p.is_view for p in purges)
    assert [p.detail.split()[0] for p in purges] == ["kijkregels=2", "kijkregels=2", "kijkregels=1"]

    # A school that keeps views two years: its three-year-old row goes, the other school's stays.
    SchoolSetting.create(school=school, name="portal.audit_view_years", value="2")
    assert retention.purge_audit_views(now=now, dry_run=False) == {"klaverweide": 1}
    assert AuditLog.get_or_none(AuditLog.id == three_years) is None
    assert AuditLog.get_or_none(AuditLog.id == other_school) is not None
    assert retention.purge_audit_views(now=now, dry_run=False) == {}


def test_purge_command_reports_the_audit_rows(app, runner):
    with app.app_context():
        database.connect(reuse_if_open=True)
        _row(utcnow() - 7 * YEAR)
        database.close()
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    assert "klaverweide 1 auditregels over inzien" in result.output


def page(school, limit, **filters):
    """One page of the school's log as the audit page reads it (audit_log.school_rows)."""
    return audit_log.school_rows(school, audit_log.Filters(**filters), limit)


def test_the_log_pages_by_keyset_and_filters(ctx):
    school = School.get(School.slug == "klaverweide")
    base = AuditLog.select().where(AuditLog.school == school.slug).count()
    for i in range(7):
        audit("case.note", school=school, detail=str(i), email="a@klaverweide.demo")
    rows = page(school, 3)
    assert [r.detail for r in rows] == ["6", "5", "4"]
    rows = page(school, 3, before=rows[-1].id)
    assert [r.detail for r in rows] == ["3", "2", "1"]
    rows = page(school, 3 + base, before=rows[-1].id)
    assert rows[0].detail == "0" and len(rows) == 1 + base
    assert len(page(school, 100, who="a@klaverweide.demo")) == 7
    today = dutch_today()  # the school's date (Amsterdam), which the filters count in
    assert page(school, 100, who="a@klaverweide.demo", since=today + YEAR) == []
    recent = {"since": today - datetime.timedelta(days=2), "until": today}
    assert len(page(school, 100, who="a@klaverweide.demo", **recent)) == 7


@pytest.mark.parametrize(
    "filters",
    [{}, {"ref": "KL-2026-001"}, {"who": "a@b.nl"}, {"action": "inzage.extend"}],
    ids=["school", "case", "person", "action"],
)
def test_the_log_reads_an_index_backwards_without_a_sort(ctx, filters, monkeypatch):
    if not is_sqlite():
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    school = School.get(School.slug == "klaverweide")
    seen = []
    real = database.obj.execute_sql
    monkeypatch.setattr(
        database.obj, "execute_sql", lambda sql, params=None: seen.append((sql, params)) or real(sql, params)
    )
    page(school, 100, before=10**9, **filters)
    monkeypatch.undo()
    # The first statement on the log is the read of the school's own rows.
    (sql, params) = next((sql, params) for sql, params in seen if "portal_audit_log" in sql)
    plan = " | ".join(row[-1] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall())
    assert "portal_audit_log_school_" in plan and "TEMP B-TREE" not in plan, plan
    if filters.get("action"):  # a rare action is not looked for through the school's whole log
        assert "portal_audit_log_school_action_id" in plan, plan
    assert "SCAN portal_audit_log" not in plan.replace('"', ""), plan
