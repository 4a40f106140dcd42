"""Issue 15, item 2: a complaint commits once, and a page view costs no commit of its own.

A parent's complaint writes the case, its detail row, the timeline event, the deadlines,
the outbox rows, the audit row and the throttle's counts: every one of those statements runs
inside one transaction, committed once (one fsync). A staff member's page view writes its
audit row into the request's transaction, or into the buffer that one thread writes every
half second: the view itself commits nothing."""

import contextlib
import threading

import pytest

from portal.audit import flush_views
from portal.db import database
from portal.models import AuditLog
from portal.models import Case

from .conftest import login
from .test_klachten import CODE_RE
from .test_klachten import REF_RE
from .test_klachten import submit

WRITES = ("INSERT", "UPDATE", "DELETE")


@contextlib.contextmanager
def writes_and_commits():
    """[(statement, inside a transaction)] of the writes, and the number of commits."""
    writes, commits = [], []
    real_execute = database.obj.execute_sql
    real_commit = database.obj.commit

    here = threading.current_thread()  # the buffer's own thread may write at any time

    def recording(sql, params=None, *args, **kwargs):
        if threading.current_thread() is here and sql.lstrip().upper().startswith(WRITES):
            writes.append((sql[:120], database.obj.in_transaction()))
        return real_execute(sql, params, *args, **kwargs)

    def committing(*args, **kwargs):
        if threading.current_thread() is here:
            commits.append(1)
        return real_commit(*args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database.obj, "execute_sql", recording)
        patch.setattr(database.obj, "commit", committing)
        yield writes, commits


def _with_db(app, fn):
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            return fn()
        finally:
            database.close()


def test_a_complaint_is_one_transaction_committed_once(app, client):
    before = _with_db(app, lambda: Case.select().count())
    flush_views()
    with writes_and_commits() as (writes, commits):
        response = submit(client)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert REF_RE.search(html) and CODE_RE.search(html)
    assert _with_db(app, lambda: Case.select().count()) == before + 1
    tables = " ".join(sql for sql, _ in writes)
    for table in ("portal_case", "klachten_", "portal_case_event", "portal_case_deadline"):
        assert table in tables, (table, writes)
    for table in ("portal_audit_log", "portal_attempt", "portal_outbox"):
        assert f'"{table}"' in tables, (table, writes)
    outside = [sql for sql, inside in writes if not inside]
    assert outside == [], outside
    assert len(commits) == 1, writes


def test_a_page_view_commits_nothing_of_its_own(app, client):
    app.config["AUDIT_VIEW_BATCH"] = True  # as served (the tests write view rows at once)
    login(client, "directie")
    client.get("/klaverweide/")
    flush_views()
    with writes_and_commits() as (writes, commits):
        assert client.get("/klaverweide/zaken/").status_code == 200
        assert client.get("/klaverweide/").status_code == 200
    assert [sql for sql, _ in writes if "portal_audit_log" in sql] == []
    assert commits == []
    flush_views()  # both view rows, in one transaction (the buffer's thread may have been first)
    n = _with_db(
        app, lambda: AuditLog.select().where(AuditLog.action.in_(("case.list", "dashboard.view"))).count()
    )
    assert n >= 2
