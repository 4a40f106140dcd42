"""PostgreSQL as production runs it: a pool of connections per process, bounded, with
stale connections closed, configured in DATABASE_URL; a broken connection is dropped
alone, and a pool that stays busy ends in the Dutch 503 page."""

import threading

import peewee
import pytest

from portal.db import PortalPooledPostgresqlDatabase
from portal.db import database
from portal.db import open_database

from .conftest import PG_URL

ON_PG = PG_URL.startswith("postgres")


def test_database_url_sets_the_pool():
    db = open_database("postgresql://portal@127.0.0.1:5432/portal?pool_size=3&pool_stale=60&pool_wait=2")
    assert isinstance(db, PortalPooledPostgresqlDatabase)
    assert (db._max_connections, db._stale_timeout, db._wait_timeout) == (3, 60, 2)
    assert db.database == "portal" and db.connect_params == {
        "user": "portal",
        "host": "127.0.0.1",
        "port": 5432,
    }
    default = open_database("postgresql://portal@127.0.0.1/portal")
    assert (default._max_connections, default._stale_timeout, default._wait_timeout) == (8, 300, 10)
    # Behind PgBouncer in session mode a deployment may want no pool of its own.
    plain = open_database("postgresql://portal@127.0.0.1/portal?pool_size=0")
    assert type(plain) is peewee.PostgresqlDatabase
    with pytest.raises(ValueError, match="hele getallen"):
        open_database("postgresql://portal@127.0.0.1/portal?pool_size=veel")


def _backend_pid():
    return database.execute_sql("SELECT pg_backend_pid()").fetchone()[0]


@pytest.mark.skipif(not ON_PG, reason="the pool is PostgreSQL's")
def test_requests_reuse_pooled_connections(app, client):
    assert isinstance(database.obj, PortalPooledPostgresqlDatabase)
    pids = set()

    @app.get("/_pid")
    def _pid():
        return {"pid": _backend_pid()}

    from portal.access import public

    public(app.view_functions["_pid"])
    for _ in range(5):
        pids.add(client.get("/_pid").get_json()["pid"])
    assert len(pids) == 1, "one thread's requests use the same pooled connection"


@pytest.mark.skipif(not ON_PG, reason="the pool is PostgreSQL's")
def test_a_broken_connection_is_dropped_alone(app):
    pool = database.obj
    held = {}
    ready, done = threading.Event(), threading.Event()

    def other_thread():
        with app.app_context():
            database.connect(reuse_if_open=True)
            held["pid"] = _backend_pid()
            ready.set()
            done.wait()
            held["after"] = _backend_pid()  # still works after the other thread's dispose
            database.close()

    t = threading.Thread(target=other_thread)
    t.start()
    assert ready.wait(60)
    with app.app_context():
        database.connect(reuse_if_open=True)
        mine = _backend_pid()
        database.dispose()  # what db.close_quietly does with a broken connection
        assert database.is_closed()
        database.connect()
        assert _backend_pid() != mine, "the dropped connection is never handed out again"
        database.close()
    done.set()
    t.join(60)
    assert held["after"] == held["pid"]
    assert len(pool._in_use) == 0


@pytest.mark.skipif(not ON_PG, reason="the pool is PostgreSQL's")
def test_a_pool_that_stays_busy_gives_the_dutch_503(app, client):
    from portal.db import use_database

    use_database(open_database(f"{PG_URL}{'&' if '?' in PG_URL else '?'}pool_size=1&pool_wait=1"))
    ready, done = threading.Event(), threading.Event()

    def hold_the_only_connection():
        with app.app_context():
            database.connect()
            ready.set()
            done.wait()
            database.close()

    t = threading.Thread(target=hold_the_only_connection)
    t.start()
    try:
        assert ready.wait(60)
        r = client.get("/login")
        assert r.status_code == 503
        assert "erg druk" in r.get_data(as_text=True)
    finally:
        done.set()
        t.join(60)
    assert client.get("/login").status_code == 200
