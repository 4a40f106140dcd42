"""Retention (docs/security.md E5): closed cases go once their period has passed, with their
events, documents, checklist and deadlines; legal hold keeps a case; the purge is audited."""

import datetime

from portal import retention
from portal.cases import engine
from portal.dates import local
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import CaseEvent

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload

CHILD_TABLES = (CaseEvent, CaseDocument, CaseChecklistItem, CaseDeadline)


def closed_case(title="Afgerond", hold=False):
    case = make_case(title)
    engine.run_transition(reload(case), "testzaak.start", actor("directie"))
    item = CaseChecklistItem.get(
        (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "testzaak.brief")
    )
    engine.tick(reload(case), item, actor("directie"))
    engine.run_transition(reload(case), "testzaak.sluit", actor("directie"))
    CaseDocument.create(
        case=case.id,
        name="testzaak.brief",
        label="Testbrief",
        version=1,
        filename="brief.pdf",
        content=b"%PDF-1.4",
        sha256="0" * 64,
    )
    if hold:
        Case.update(legal_hold=True).where(Case.id == case.id).execute()
    return reload(case)


def rows_of(case):
    return {m.__name__: m.select().where(m.case == case.id).count() for m in CHILD_TABLES}


def exists(case):
    return Case.select().where(Case.id == case.id).exists()


def test_purge_dry_run_real_run_and_legal_hold(ctx):
    gone = closed_case()
    held = closed_case("Bewaarplicht", hold=True)
    still_open = make_case("Nog open")
    # Counted from the Dutch date of closing (closed_at is stored in UTC).
    assert gone.retention_until == local(gone.closed_at).date() + datetime.timedelta(days=30)
    assert all(n > 0 for n in rows_of(gone).values()), rows_of(gone)

    # Not yet: on the last day of the period nothing goes.
    assert gone not in retention.purge(today=gone.retention_until, dry_run=True)
    assert gone.id not in [c.id for c in retention.purge(today=gone.retention_until)]

    day = gone.retention_until + datetime.timedelta(days=1)
    total = Case.select().count()
    dry = retention.purge(today=day, dry_run=True)
    ids = [c.id for c in dry]
    assert gone.id in ids and held.id not in ids and still_open.id not in ids
    assert Case.select().count() == total and exists(gone)
    assert all(n > 0 for n in rows_of(gone).values())

    done = retention.purge(today=day, dry_run=False)
    assert [c.id for c in done] == ids
    assert not exists(gone)
    assert rows_of(gone) == {m.__name__: 0 for m in CHILD_TABLES}
    assert exists(held) and exists(still_open)
    assert rows_of(held)["CaseDocument"] == 1

    purge_rows = list(AuditLog.select().where(AuditLog.action == "case.purge"))
    assert gone.reference in [r.case_ref for r in purge_rows]
    row = next(r for r in purge_rows if r.case_ref == gone.reference)
    assert row.school == "klaverweide" and "Afgerond" not in row.detail

    # Once the hold is lifted the held case goes on the next run.
    Case.update(legal_hold=False).where(Case.id == held.id).execute()
    assert held.id in [c.id for c in retention.purge(today=day, dry_run=False)]
    assert not exists(held)


def test_purge_command(app, runner):
    with db_ctx(app):
        gone = closed_case()
        held = closed_case("Bewaarplicht", hold=True)
        total = Case.select().count()
    result = runner.invoke(args=["purge", "--dry-run", "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert f"Zou verwijderen: klaverweide {gone.reference}" in result.output
    assert held.reference not in result.output
    with db_ctx(app):
        assert Case.select().count() == total and exists(gone)
        assert not AuditLog.select().where(AuditLog.action == "case.purge").exists()

    result = runner.invoke(args=["purge", "--today", "2030-01-01"])
    assert result.exit_code == 0, result.output
    assert f"Verwijderd: klaverweide {gone.reference}" in result.output
    with db_ctx(app):
        assert not exists(gone) and exists(held)
        assert (
            AuditLog.select()
            .where((AuditLog.action == "case.purge") & (AuditLog.case_ref == gone.reference))
            .exists()
        )


def test_a_hold_set_while_the_purge_runs_keeps_the_case(ctx, monkeypatch):
    """A legal hold set after the purge started (here: while it audits the first cases it
    deleted, one batch's audit rows written together) keeps a case that the purge had
    already found due."""
    cases = [closed_case(f"Zaak {i}") for i in range(4)]
    last = cases[-1]
    day = last.retention_until + datetime.timedelta(days=1)
    monkeypatch.setattr(retention, "BATCH_SIZE", 2, raising=False)
    real_audit = retention.audit_rows

    def audit_then_hold(*args, **kw):
        real_audit(*args, **kw)
        Case.update(legal_hold=True).where(Case.id == last.id).execute()

    monkeypatch.setattr(retention, "audit_rows", audit_then_hold)
    done = retention.purge(today=day, dry_run=False)

    assert last.id not in [c.id for c in done]
    assert exists(last) and not any(exists(c) for c in cases[:-1])
    audited = [r.case_ref for r in AuditLog.select().where(AuditLog.action == "case.purge")]
    assert last.reference not in audited and len(audited) == len(set(audited)) == 3


def test_purge_rechecks_each_case_when_it_deletes(ctx, monkeypatch):
    """The list of due cases is read before the delete: a case put on legal hold, reopened
    or given a later retention date in between must stay, and is not audited."""
    gone = closed_case("Weg")
    held = closed_case("Later bewaarplicht")
    reopened = closed_case("Heropend")
    extended = closed_case("Langer bewaren")
    day = gone.retention_until + datetime.timedelta(days=1)
    stale = [c.id for c in retention.purge(today=day, dry_run=True)]
    assert {gone.id, held.id, reopened.id, extended.id} <= set(stale)

    # What happens between reading the list and deleting (another user, another process):
    Case.update(legal_hold=True).where(Case.id == held.id).execute()
    Case.update(closed_at=None, retention_until=None).where(Case.id == reopened.id).execute()
    Case.update(retention_until=day + datetime.timedelta(days=365)).where(Case.id == extended.id).execute()
    monkeypatch.setattr(
        retention, "_due_ids", lambda today, after_id, limit: [i for i in stale if i > after_id][:limit]
    )
    done = retention.purge(today=day, dry_run=False)

    assert [c.id for c in done] == [gone.id]
    assert not exists(gone)
    assert exists(held) and exists(reopened) and exists(extended)
    audited = [r.case_ref for r in AuditLog.select().where(AuditLog.action == "case.purge")]
    assert audited == [gone.reference]


def test_a_second_purge_with_the_same_list_audits_nothing_twice(ctx, monkeypatch):
    """Two purges that read the same list (cron started twice, or a purge still running when
    the next one starts): every case goes once and has exactly one audit row."""
    cases = [closed_case(f"Zaak {i}") for i in range(5)]
    day = cases[0].retention_until + datetime.timedelta(days=1)
    stale = [c.id for c in retention.purge(today=day, dry_run=True)]
    monkeypatch.setattr(
        retention, "_due_ids", lambda today, after_id, limit: [i for i in stale if i > after_id][:limit]
    )

    first = retention.purge(today=day, dry_run=False, batch_size=2)
    second = retention.purge(today=day, dry_run=False, batch_size=2)  # the same, stale list

    assert sorted(c.id for c in first) == sorted(stale) and second == []
    refs = [r.case_ref for r in AuditLog.select().where(AuditLog.action == "case.purge")]
    assert sorted(refs) == sorted(c.reference for c in cases)


def test_purges_at_the_same_time_in_threads(app):
    """Two purges started together from two threads (two connections): each case is deleted
    and audited exactly once, whatever the interleaving."""
    import threading

    from portal.db import database

    with db_ctx(app):
        cases = [closed_case(f"Tegelijk {i}") for i in range(30)]
        day = cases[0].retention_until + datetime.timedelta(days=1)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                database.connect(reuse_if_open=True)
                try:
                    barrier.wait(30)
                    results.append(retention.purge(today=day, dry_run=False))
                finally:
                    database.close()
        except Exception as exc:  # reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    purged = sorted(c.id for got in results for c in got)
    assert purged == sorted(c.id for c in cases)  # each once, by one of the two
    with db_ctx(app):
        refs = [r.case_ref for r in AuditLog.select().where(AuditLog.action == "case.purge")]
        assert sorted(refs) == sorted(c.reference for c in cases)
        assert not Case.select().where(Case.id.in_([c.id for c in cases])).exists()


def test_a_school_sets_the_period_with_a_callable(ctx, monkeypatch):
    """``CaseType.retention_days`` may be a callable (a period each school sets): called with
    the case's school when the case closes; never less than a day."""
    import dataclasses

    from portal.registry import get_registry

    reg = get_registry()
    ct = reg.case_types["testzaak.zaak"]
    seen = []

    def per_school(school):
        seen.append(school.slug)
        return 400

    monkeypatch.setitem(reg.case_types, "testzaak.zaak", dataclasses.replace(ct, retention_days=per_school))
    case = closed_case()
    assert seen == ["klaverweide"]
    assert case.retention_until == local(case.closed_at).date() + datetime.timedelta(days=400)
    monkeypatch.setitem(reg.case_types, "testzaak.zaak", dataclasses.replace(ct, retention_days=lambda: -5))
    case = closed_case("Nul")
    assert case.retention_until == local(case.closed_at).date() + datetime.timedelta(days=1)


def test_purge_audits_each_case_in_a_few_statements_per_batch(ctx, monkeypatch):
    """Issue 15, item 5: many cases per transaction, each still audited (its reference, its
    date, its school), the audit rows written together: per batch one read of ids, one
    DELETE that re-checks every condition, one INSERT of the audit rows."""
    from portal.db import database

    cases = [closed_case(f"Zaak {i}") for i in range(5)]
    day = cases[-1].retention_until + datetime.timedelta(days=1)
    seen = []
    real = database.obj.execute_sql
    monkeypatch.setattr(
        database.obj, "execute_sql", lambda sql, params=None: seen.append(sql) or real(sql, params)
    )
    done = retention.purge(today=day, dry_run=False)
    monkeypatch.undo()
    assert sorted(c.id for c in done) == sorted(c.id for c in cases)
    assert len([s for s in seen if s.lstrip().upper().startswith("DELETE")]) == 1
    assert len([s for s in seen if "INSERT" in s.upper() and "portal_audit_log" in s]) == 1
    rows = {r.case_ref: r for r in AuditLog.select().where(AuditLog.action == "case.purge")}
    assert sorted(rows) == sorted(c.reference for c in cases)
    for case in cases:
        row = rows[case.reference]
        assert row.school == "klaverweide" and row.detail == f"retention_until={case.retention_until}"
        assert not row.is_view
