"""The audit log: who did or saw what, when. Append-only (enforced in the database).

A change and its audit row are written together (``audit`` inside the change's
transaction, or on its own). Seeing something is logged too — every case page, list,
search, dashboard and report — but one more commit (an fsync) per page view would cost
more than the page: ``audit_view`` rows go into the request's own transaction when there
is one, and otherwise into a small buffer that a thread of the process writes every half
second in one transaction. A crash loses at most that half second of *view* rows, never
the row of a change (docs/security.md E1).
"""

import atexit
import datetime
import logging
import os
import threading

from flask import current_app
from flask import g
from flask import has_request_context
from flask import request
from flask_login import current_user

from .access import roles_at
from .db import database
from .models import AuditLog
from .models import utcnow


def _roles_here():
    school = g.get("school") if has_request_context() else None
    if school is None or not current_user.is_authenticated:
        return ""
    return ",".join(sorted(roles_at(current_user, school)))


def _row(action, case, outcome, detail, user, school, email, pupil=None):
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    if school is None and has_request_context():
        school = g.get("school")
    if school is None and case is not None:
        school = case.school
    return dict(
        at=utcnow(),
        user_id=user.id if user else None,
        user_email=(user.email if user else email)[:254],
        role=_roles_here(),
        school=school.slug if school else "",
        case_ref=case.reference if case else "",
        action=action,
        outcome=outcome,
        ip=(request.remote_addr or "") if has_request_context() else "",
        detail=detail[:2000],
        pupil_id=getattr(pupil, "id", pupil),
    )


def audit(action, case=None, outcome="ok", detail="", user=None, school=None, email="", pupil=None):
    """Write one audit row (a change, a refusal, a login). ``detail`` must never hold a
    child's data or a secret; ``pupil`` (a Pupil or its id) is the child whose record it is,
    so that the child's access log finds the row."""
    AuditLog.create(**_row(action, case, outcome, detail, user, school, email, pupil))


def audit_rows(rows):
    """Write many audit rows of changes in one statement per few hundred: ``rows`` are
    (action, case, school, detail) tuples, each as ``audit`` would write it (a purge of
    thousands of cases audits each one, inside the transaction that deletes them)."""
    made = [_row(action, case, "ok", detail, None, school, "") for action, case, school, detail in rows]
    columns = list(made[0]) if made else []
    for start in range(0, len(made), _INSERT_ROWS):
        chunk = made[start : start + _INSERT_ROWS]
        # Written out, not built by peewee: building the statement cost five times what
        # running it costs.
        row = "(" + ", ".join([database.param] * len(columns)) + ")"
        # Only the fixed column names of _row and placeholders: no value is in the text.
        sql = 'INSERT INTO "portal_audit_log" ({}) VALUES {}'.format(  # noqa: S608
            ", ".join(f'"{c}"' for c in columns), ", ".join([row] * len(chunk))
        )
        database.execute_sql(sql, [r[c] for r in chunk for c in columns])
    return len(made)


# Rows per INSERT: SQLite allows 32,766 parameters in one statement (12 columns a row).
_INSERT_ROWS = 500


def audit_view(action, case=None, detail="", user=None, school=None, pupil=None):
    """Log that someone saw something, without a commit of its own (see the module doc)."""
    row = _row(action, case, "ok", detail, user, school, "", pupil)
    row["is_view"] = True  # may go after the school's retention (portal/retention.py)
    if database.in_transaction() or not current_app.config.get("AUDIT_VIEW_BATCH", True):
        AuditLog.create(**row)
    else:
        _buffer.add(row)


class _ViewBuffer:
    """View rows waiting to be written, and the thread of this process that writes them."""

    INTERVAL = 0.5

    def __init__(self):
        self.lock = threading.Lock()
        self.rows = []
        self.pid = None
        self.wake = threading.Event()

    def add(self, row):
        with self.lock:
            self.rows.append(row)
            if self.pid != os.getpid():  # first use in this process (or after a fork)
                self.pid = os.getpid()
                threading.Thread(target=self._run, name="audit-views", daemon=True).start()

    def _run(self):
        while True:
            self.wake.wait(self.INTERVAL)
            self.wake.clear()
            try:
                self.flush()
            except Exception as exc:  # the database is away: keep the rows, try again
                from .db import failure_kind

                logging.getLogger(__name__).warning(
                    "audit: %d view rows not yet written (%s)", len(self.rows), failure_kind(exc)
                )

    def flush(self):
        """Write what is waiting, in one transaction (also called at exit and by tests)."""
        with self.lock:
            rows, self.rows = self.rows, []
        if not rows:
            return 0
        opened = database.connect(reuse_if_open=True)
        try:
            with database.atomic():
                AuditLog.insert_many(rows).execute()
        except Exception:  # put them back: the next round tries again
            with self.lock:
                self.rows[:0] = rows
            raise
        finally:
            if opened:
                database.close()
        return len(rows)


_buffer = _ViewBuffer()
flush_views = _buffer.flush


@atexit.register
def _flush_at_exit():
    try:
        flush_views()
    except Exception:  # noqa: S110 - the process is ending; nothing left to tell
        pass


def _utc_midnight(day):
    from .dates import LOCAL

    moment = datetime.datetime.combine(day, datetime.time(), tzinfo=LOCAL)
    return moment.astimezone(datetime.UTC).replace(tzinfo=None)
