"""SQLite's write lock under load: a write transaction whose BEGIN found the lock taken
waits (busy timeout) and then tries again with a growing pause, for a bounded time; a
single statement outside a transaction likewise. Deterministic: the other writer lets go
of the lock at the moment the portal starts its first pause."""

import sqlite3

import peewee
import pytest

from portal import db


@pytest.fixture
def files(tmp_path):
    path = tmp_path / "lock.sqlite3"
    mine = db.open_database(f"sqlite:///{path}", busy_timeout_ms=20)
    mine.connect()
    mine.execute_sql("CREATE TABLE t (x INTEGER)")
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    yield mine, other
    mine.close()
    other.close()


def lock(other):
    other.execute("BEGIN IMMEDIATE")


def test_a_transaction_retries_its_begin_until_the_lock_is_free(files, monkeypatch):
    mine, other = files
    lock(other)
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        other.execute("COMMIT")  # the other writer is done

    monkeypatch.setattr(db.time, "sleep", pause)
    with mine.atomic():
        mine.execute_sql("INSERT INTO t VALUES (1)")
    assert len(pauses) == 1
    assert mine.execute_sql("SELECT count(*) FROM t").fetchone()[0] == 1


def test_a_single_statement_outside_a_transaction_retries_too(files, monkeypatch):
    mine, other = files
    lock(other)
    pauses = []

    def pause(seconds):
        pauses.append(seconds)
        other.execute("COMMIT")

    monkeypatch.setattr(db.time, "sleep", pause)
    mine.execute_sql("INSERT INTO t VALUES (2)")
    assert len(pauses) == 1


def test_the_retry_is_bounded_and_then_says_locked(files, monkeypatch):
    mine, other = files
    lock(other)
    monkeypatch.setattr(mine, "lock_retry_seconds", 0.2)
    pauses = []
    monkeypatch.setattr(db.time, "sleep", pauses.append)  # no real pause: the busy wait is one
    with pytest.raises(peewee.OperationalError) as err:
        with mine.atomic():
            mine.execute_sql("INSERT INTO t VALUES (3)")
    assert db.failure_kind(err.value) == "locked"
    assert len(pauses) >= 1
    assert pauses == sorted(pauses)  # the pause grows
    other.execute("ROLLBACK")
    assert mine.execute_sql("SELECT count(*) FROM t").fetchone()[0] == 0


def test_a_statement_inside_a_transaction_is_not_repeated(files, monkeypatch):
    """Only BEGIN and lone statements are retried: inside a transaction a failure goes up,
    so that the transaction's work is never done twice."""
    mine, other = files
    calls = []
    real = peewee.SqliteDatabase.execute_sql

    def failing(self, sql, params=None):
        calls.append(sql)
        if sql.startswith("INSERT"):
            raise peewee.OperationalError("database is locked")
        return real(self, sql, params)

    monkeypatch.setattr(peewee.SqliteDatabase, "execute_sql", failing)
    with pytest.raises(peewee.OperationalError):
        with mine.atomic():
            mine.execute_sql("INSERT INTO t VALUES (4)")
    assert [c for c in calls if c.startswith("INSERT")] == ["INSERT INTO t VALUES (4)"]


def test_database_file_is_private(tmp_path):
    import os
    import stat

    path = tmp_path / "nieuw.sqlite3"
    d = db.open_database(f"sqlite:///{path}")
    d.connect()
    d.execute_sql("CREATE TABLE t (x INTEGER)")
    d.execute_sql("INSERT INTO t VALUES (1)")
    for name in (path, f"{path}-wal", f"{path}-shm"):
        assert stat.S_IMODE(os.stat(name).st_mode) == 0o600, name
    d.close()

    old = tmp_path / "oud.sqlite3"
    sqlite3.connect(old).close()
    os.chmod(old, 0o644)  # as an earlier version left it
    db.open_database(f"sqlite:///{old}")
    assert stat.S_IMODE(os.stat(old).st_mode) == 0o600
