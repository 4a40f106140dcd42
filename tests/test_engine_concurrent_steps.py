"""Two people take a step on the same case at the same moment: the first wins, the second
gets the Dutch refusal and changes nothing (PostgreSQL: the case row is locked; SQLite:
write transactions run one at a time). Deterministic: the first step is held inside its
transaction until the second is waiting for it (or, without a lock, has finished)."""

import threading
import time

from portal.cases import engine
from portal.db import database
from portal.db import is_sqlite
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseEvent

from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload

WAIT = 60  # seconds: generous, for a loaded machine; the test does not depend on it


def _someone_waits_for_a_lock():
    if is_sqlite():
        return False  # not observable; the second writer waits at BEGIN IMMEDIATE
    return (
        database.execute_sql(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
            "AND datname = current_database()"
        ).fetchone()[0]
        > 0
    )


def test_simultaneous_steps_on_one_case(app, monkeypatch):
    with db_ctx(app):
        case = make_case("Tegelijk")
        first_view, second_view = reload(case), reload(case)  # both see state "nieuw"

    inside, release, second_started = threading.Event(), threading.Event(), threading.Event()
    real_form_data = engine._form_data
    calls = []

    def held_form_data(form):
        # Runs inside the step's transaction, after the case row was read (and locked).
        calls.append(threading.current_thread().name)
        if len(calls) == 1:
            inside.set()
            assert release.wait(WAIT)
        return real_form_data(form)

    monkeypatch.setattr(engine, "_form_data", held_form_data)
    results = {}

    def step(name, view):
        if name == "tweede":
            second_started.set()
        try:
            with app.test_request_context("/klaverweide/"):
                database.connect(reuse_if_open=True)
                try:
                    engine.run_transition(view, "testzaak.start", actor("directie"))
                    results[name] = "ok"
                finally:
                    database.close()
        except engine.TransitionRefused as refused:
            results[name] = refused.reason
        except Exception as exc:  # reported in the assertion below
            results[name] = repr(exc)

    first = threading.Thread(target=step, args=("eerste", first_view), name="eerste")
    second = threading.Thread(target=step, args=("tweede", second_view), name="tweede")
    first.start()
    assert inside.wait(WAIT)
    second.start()
    assert second_started.wait(WAIT)
    with db_ctx(app):
        deadline = time.monotonic() + WAIT
        # Until the second step waits for the first one's lock, or (without a lock) is done.
        while second.is_alive() and not _someone_waits_for_a_lock() and not is_sqlite():
            assert time.monotonic() < deadline, "the second step neither waited nor finished"
            time.sleep(0.01)
    release.set()
    first.join(WAIT)
    second.join(WAIT)

    assert results["eerste"] == "ok"
    assert "intussen door iemand anders gewijzigd" in results["tweede"], results
    with db_ctx(app):
        assert Case.get_by_id(case.id).state == "bezig"
        steps = CaseEvent.select().where((CaseEvent.case == case.id) & (CaseEvent.kind == "transition"))
        assert steps.count() == 1
        refusals = AuditLog.select().where(
            (AuditLog.case_ref == case.reference)
            & (AuditLog.action == "case.transition")
            & (AuditLog.outcome == "refused")
        )
        assert refusals.count() == 1
