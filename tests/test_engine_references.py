"""Case references under concurrency (threads and separate processes on one database):
no duplicates, no gaps. And the audit log refuses UPDATE and DELETE in the database."""

import multiprocessing
import os
import re
import threading

import peewee
import pytest

from portal.audit import audit
from portal.db import database
from portal.models import AuditLog
from portal.models import Case

from .core_helpers import TYPE
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

PER_WORKER = 25


def numbers_of(prefix="TZ"):
    refs = [
        c.reference
        for c in Case.select(Case.reference).where((Case.school == school().id) & (Case.case_type == TYPE))
    ]
    assert len(refs) == len(set(refs)), "duplicate references"
    years = {r.split("-")[1] for r in refs}
    assert len(years) == 1
    for r in refs:
        assert re.fullmatch(rf"{prefix}-\d{{4}}-\d{{4}}", r), r
    return sorted(int(r.rsplit("-", 1)[1]) for r in refs)


def test_threads_create_without_duplicates_or_gaps(app):
    n_threads = 8
    barrier = threading.Barrier(n_threads)
    errors, made = [], []

    def work():
        try:
            with app.app_context():
                database.connect(reuse_if_open=True)
                try:
                    barrier.wait()
                    for i in range(PER_WORKER):
                        made.append(make_case(f"draad {i}", by=None).reference)
                finally:
                    database.close()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=work) for _ in range(n_threads)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert len(made) == len(set(made)) == n_threads * PER_WORKER
    with db_ctx(app):
        assert numbers_of() == list(range(1, n_threads * PER_WORKER + 1))


def _process_worker(config, instance, ready, go, out):
    """Runs in a separate process with its own app (spawned, so nothing is shared)."""
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    from portal import create_app

    from . import caseplugin

    app = create_app(dict(config, PORTAL_EXTRA_PLUGINS=(caseplugin,)))
    refs, error = [], ""
    try:
        with app.test_request_context("/klaverweide/"):
            database.connect(reuse_if_open=True)
            ready.put(os.getpid())
            go.wait(30)
            for i in range(PER_WORKER):
                refs.append(make_case(f"proces {i}", by=None).reference)
            database.close()
    except Exception as exc:  # reported to the parent
        error = repr(exc)
    out.put((refs, error))


def test_processes_create_without_duplicates_or_gaps(app, app_config, tmp_path):
    n_procs = 4
    mp = multiprocessing.get_context("spawn")
    ready, out, go = mp.Queue(), mp.Queue(), mp.Event()
    config = {k: v for k, v in app_config.items() if k != "PORTAL_EXTRA_PLUGINS"}
    procs = [
        mp.Process(target=_process_worker, args=(config, str(tmp_path / "instance"), ready, go, out))
        for _ in range(n_procs)
    ]
    for p in procs:
        p.start()
    try:
        for _ in procs:
            ready.get(timeout=60)
        go.set()  # all at the same moment
        results = [out.get(timeout=120) for _ in procs]
    finally:
        for p in procs:
            p.join(30)
            if p.is_alive():
                p.kill()
    errors = [e for _, e in results if e]
    assert errors == []
    made = [r for refs, _ in results for r in refs]
    assert len(made) == len(set(made)) == n_procs * PER_WORKER
    with db_ctx(app):
        assert numbers_of() == list(range(1, n_procs * PER_WORKER + 1))


def test_numbers_are_per_school_type_and_year(ctx):
    from portal.models import School

    first = make_case()
    other = School.create(slug="tweede", name="Tweede School")
    from portal.cases import engine

    elsewhere = engine.create_case(other, TYPE, "elders")
    assert first.reference.endswith("-0001") and elsewhere.reference.endswith("-0001")
    assert make_case().reference.endswith("-0002")


def test_audit_log_is_append_only(ctx):
    audit("test.marker", detail="origineel")
    row = AuditLog.select().where(AuditLog.action == "test.marker").get()
    total = AuditLog.select().count()
    attempts = [
        lambda: AuditLog.update(detail="vervalst").where(AuditLog.id == row.id).execute(),
        lambda: AuditLog.delete().where(AuditLog.id == row.id).execute(),
        lambda: AuditLog.delete().execute(),
        lambda: database.execute_sql("UPDATE portal_audit_log SET outcome = 'ok'"),
        lambda: database.execute_sql("DELETE FROM portal_audit_log"),
    ]
    for attempt in attempts:
        # The trigger refuses it; with the owner/application split on PostgreSQL the
        # application login has no right to it in the first place.
        with pytest.raises(peewee.DatabaseError, match="append-only|permission denied"):
            with database.atomic():
                attempt()
    assert AuditLog.select().count() == total
    assert AuditLog.get_by_id(row.id).detail == "origineel"
    # Appending still works.
    audit("test.marker", detail="tweede")
    assert AuditLog.select().count() == total + 1
