"""SQLite keeps its connections between requests: a new connection parses the whole schema
on its first statement (about 2 ms, more than the rest of a simple page). What a kept
connection must never carry over: an open transaction, and a parent process's connection in
a forked child (SQLite forbids using one across fork)."""

import os

import pytest

from portal.db import PortalPooledSqliteDatabase
from portal.db import PortalSqliteDatabase
from portal.db import database
from portal.db import open_database

from .conftest import PG_URL

ON_SQLITE = not PG_URL.startswith("postgres")


def test_a_file_is_pooled_and_memory_is_not(tmp_path):
    path = tmp_path / "p.sqlite3"
    assert isinstance(open_database(f"sqlite:///{path}"), PortalPooledSqliteDatabase)
    assert type(open_database("sqlite:///:memory:")) is PortalSqliteDatabase
    pooled = open_database(f"sqlite:///{path}")
    # The busy timeout (SQLite's wait for the lock) stays the pragma's; the pool's own wait
    # for a free connection is separate.
    assert ("busy_timeout", 10_000) in pooled._pragmas and pooled._wait_timeout == 10


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's pool")
def test_requests_reuse_one_connection_and_it_comes_back_without_a_transaction(app, client):
    from portal.access import public

    seen = []

    @app.get("/_conn")
    def _conn():
        conn = database.connection()
        seen.append(id(conn))
        return {"in_transaction": conn.in_transaction}

    public(app.view_functions["_conn"])
    for _ in range(4):
        assert client.get("/_conn").get_json() == {"in_transaction": False}
    assert len(set(seen)) == 1, "one thread's requests use the same kept connection"

    pool = database.obj
    with app.app_context():
        database.connect(reuse_if_open=True)
        conn = database.connection()
        conn.execute("BEGIN")
        conn.execute("SELECT 1")
        assert conn.in_transaction
        # A connection left in a transaction is rolled back before it is handed out again.
        pool.close()
        database.connect(reuse_if_open=True)
        again = database.connection()
        assert again is conn and not again.in_transaction
        database.close()


@pytest.mark.skipif(not ON_SQLITE, reason="SQLite's pool")
def test_a_forked_process_never_uses_its_parents_connections(app, monkeypatch):
    pool = database.obj
    with app.app_context():
        database.connect(reuse_if_open=True)
        parents = database.connection()
        database.close()
    assert any(conn is parents for _, _, conn in pool._connections)
    # As seen from a child after fork: another process id.
    monkeypatch.setattr(os, "getpid", lambda: pool._pid + 1)
    with app.app_context():
        database.connect(reuse_if_open=True)
        mine = database.connection()
        assert mine is not parents
        assert database.execute_sql("SELECT 1").fetchone() == (1,)
        database.close()
    assert all(conn is not parents for _, _, conn in pool._connections)
