"""The database: one deferred peewee handle that the app factory binds.

Every model binds to ``database`` (a ``DatabaseProxy``), so tests and
production choose their own backend: a SQLite file in ``instance/`` by
default, PostgreSQL through ``DATABASE_URL``.
"""

import logging
import os
import random
import stat
import time
from functools import lru_cache
from urllib.parse import urlparse

import peewee
from flask import request
from playhouse.db_url import parse as parse_url
from playhouse.pool import PooledPostgresqlDatabase
from playhouse.pool import PooledSqliteDatabase

log = logging.getLogger(__name__)

database = peewee.DatabaseProxy()


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


# SQLite pragmas. WAL lets readers run beside a writer; busy_timeout makes a
# writer wait instead of failing; synchronous=FULL means a receipt shown to a
# parent survives a power cut; secure_delete overwrites what a purge deletes.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "synchronous": "full",
    "secure_delete": "on",
    "cache_size": -16000,
}

# How long one attempt waits for SQLite's write lock (busy_timeout), and how long
# a write transaction keeps retrying in all. On a quiet machine a lock is held for
# milliseconds; on a loaded CI machine (load average 15 on two cores) one fsync took
# ~8 ms and lock waits beyond 5 s were seen, so one attempt waits 10 s and a
# transaction keeps trying for 30 s before the request gets the Dutch 503 page.
SQLITE_BUSY_TIMEOUT_MS = 10_000
SQLITE_LOCK_RETRY_SECONDS = 30.0


def failure_kind(exc):
    """What kind of database failure ``exc`` is, for the log and the retry decision:
    "locked", "disk_full", "read_only", "io_error", "connection_lost", "pool_exhausted" or
    "other".

    Only the kind and the exception class are logged, never the statement or its
    parameters (they can hold a child's data)."""
    text = str(exc).lower()
    if isinstance(exc, peewee.InterfaceError):
        return "connection_lost"
    if "max connections exceeded" in text or "exceeded maximum connections" in text:
        return "pool_exhausted"
    if "database is locked" in text or "table is locked" in text or "schema is locked" in text:
        return "locked"
    if "database or disk is full" in text or "no space left" in text:
        return "disk_full"
    if "readonly database" in text or "read-only" in text:
        return "read_only"
    if "disk i/o error" in text:
        return "io_error"
    if any(
        s in text
        for s in (
            "could not connect",
            "connection refused",
            "server closed the connection",
            "terminating connection",
            "connection already closed",
            "connection not open",
            "the database system is",
            "ssl connection has been closed",
            "no connection to the server",
        )
    ):
        return "connection_lost"
    return "other"


def _retrying(what, attempt, budget):
    """Run ``attempt()``; while it fails because SQLite's write lock is taken, try again
    with a growing, jittered pause until ``budget`` seconds have passed.

    Only statements that failed *before doing anything* are retried: BEGIN IMMEDIATE
    (it takes the write lock first, so the transaction's body has not run yet) and a
    single statement outside a transaction (SQLite ran none of it). A transaction's
    body is never run twice."""
    deadline = time.monotonic() + budget
    pause = 0.02
    tries = 1
    while True:
        try:
            return attempt()
        except peewee.OperationalError as exc:
            if failure_kind(exc) != "locked" or time.monotonic() + pause > deadline:
                if tries > 1:
                    log.warning("database: %s still locked after %d attempts", what, tries)
                raise
        time.sleep(pause * (1 + random.random()))  # noqa: S311 - jitter, not security
        pause = min(pause * 2, 1.0)
        tries += 1


class _RetryingBegin:
    """SQLite that retries a write transaction's BEGIN while another writer holds the lock.

    WAL plus a busy timeout is not enough under load: a transaction that reads and
    then writes, begun the default (deferred) way, fails at once with "database is
    locked" when another connection committed in between. So every ``atomic()``
    begins IMMEDIATE (``lock_type``), which takes the write lock up front and waits
    up to the busy timeout for it; when even that wait runs out, the BEGIN is tried
    again (nothing of the transaction has run yet)."""

    lock_retry_seconds = SQLITE_LOCK_RETRY_SECONDS

    def begin(self, lock_type=None):
        parent = super().begin
        return _retrying("BEGIN", lambda: parent(lock_type), self.lock_retry_seconds)

    def execute_sql(self, sql, params=None):
        parent = super().execute_sql
        if self.in_transaction():
            return parent(sql, params)
        return _retrying("statement", lambda: parent(sql, params), self.lock_retry_seconds)


class PortalSqliteDatabase(_RetryingBegin, peewee.SqliteDatabase):
    """A connection per use: an in-memory database (a kept connection would be the
    database itself)."""


class _DisposeAlone:
    """peewee's pool, but a broken connection is dropped alone: the pool's own
    ``dispose`` forgets every connection of the process, those other threads are using
    included (without closing them)."""

    def dispose(self):
        conn = None if self.is_closed() else self._state.conn
        with self._lock:
            self._state.reset()
        if conn is not None:
            self._close(conn, close_conn=True)  # closed, and never handed out again


class PortalPooledSqliteDatabase(_RetryingBegin, _DisposeAlone, PooledSqliteDatabase):
    """SQLite with its connections kept between requests, one per server thread.

    A new SQLite connection reads and parses the whole schema (some hundred tables and
    indexes) and the WAL index on its first statement: about 2 ms, more than the rest of
    a simple page. A kept connection pays that once. A connection goes back to the pool
    only outside a transaction (``close_quietly`` rolls back first; this checks again), and
    a process forked from one that holds connections (a server that loads the app before
    forking its workers) never uses its parent's: SQLite forbids carrying an open
    connection across ``fork``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._pid = os.getpid()

    def _connect(self):
        if self._pid != os.getpid():
            # Inherited from the parent: dropped without closing (closing them here could
            # disturb the parent's use of the same file), never handed out.
            with self._pool_lock:
                _inherited.extend(conn for _, _, conn in self._connections)
                _inherited.extend(p.connection for p in self._in_use.values())
                self._connections, self._in_use = [], {}
            self._pid = os.getpid()
        return super()._connect()

    def _can_reuse(self, conn):
        if conn.in_transaction:
            try:
                conn.rollback()
            except Exception:  # noqa: BLE001 - a connection that cannot roll back is not reused
                return False
        return self._pid == os.getpid()


# Connections a forked process found in its parent's pool: kept referenced so that the
# garbage collector never closes them in the child.
_inherited = []

# The most SQLite connections one process keeps (server threads, the audit buffer's writer,
# the outbox worker); more wait for one (``SQLITE_POOL_WAIT``) and then get the Dutch 503.
SQLITE_POOL_SIZE = 16
SQLITE_POOL_STALE = 300
SQLITE_POOL_WAIT = 10


def open_database(url, busy_timeout_ms=SQLITE_BUSY_TIMEOUT_MS):
    """Return an unconnected peewee database for a ``sqlite:///`` or ``postgresql://`` URL.
    A SQLite file keeps its connections between requests (``PortalPooledSqliteDatabase``)."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///") :]
        if path and path != ":memory:":
            private_file(path)
        pragmas = dict(SQLITE_PRAGMAS, busy_timeout=busy_timeout_ms)
        # lock_type=IMMEDIATE: every db.atomic() begins with BEGIN IMMEDIATE (see above).
        options = {
            "pragmas": pragmas,
            "lock_type": "IMMEDIATE",
            "check_same_thread": False,
            "timeout": busy_timeout_ms / 1000,
        }
        if path in ("", ":memory:"):
            return PortalSqliteDatabase(path, **options)
        return PortalPooledSqliteDatabase(
            path,
            max_connections=SQLITE_POOL_SIZE,
            stale_timeout=SQLITE_POOL_STALE,
            # ``timeout`` is the pool's wait for a free connection here; SQLite's own wait
            # for the lock is the busy_timeout pragma.
            **{**options, "timeout": SQLITE_POOL_WAIT},
        )
    if scheme in ("postgres", "postgresql"):
        return postgresql_database(url)
    raise ValueError(f"DATABASE_URL: onbekend databasetype {scheme!r}")


# The connection pool of one process (PostgreSQL). A new connection costs a few
# milliseconds and a backend process on the server; a pool made the case list 2.35 times
# faster (docs/performance.md). Options in DATABASE_URL's query string:
#   pool_size   most connections open at once in one process (0: no pool, a connection
#               per request, e.g. behind PgBouncer in session mode); gunicorn's threads
#               plus the audit buffer's writer need one each
#   pool_stale  seconds after which a connection is closed instead of reused (a server
#               or a firewall that drops idle connections, a restarted database)
#   pool_wait   seconds a request waits for a free connection before the Dutch 503 page
POOL_DEFAULTS = {"pool_size": 8, "pool_stale": 300, "pool_wait": 10}


class PortalPooledPostgresqlDatabase(_DisposeAlone, PooledPostgresqlDatabase):
    """PostgreSQL's pool (see POOL_DEFAULTS)."""


def postgresql_database(url):
    """A PostgreSQL database for ``url``: pooled unless ``pool_size=0`` (see POOL_DEFAULTS)."""
    kwargs = parse_url(url)
    options = {name: kwargs.pop(name, default) for name, default in POOL_DEFAULTS.items()}
    try:
        size, stale, wait = (int(options[name]) for name in POOL_DEFAULTS)
    except ValueError:
        raise ValueError("DATABASE_URL: pool_size, pool_stale en pool_wait zijn hele getallen") from None
    database_name = kwargs.pop("database")
    if size <= 0:
        return peewee.PostgresqlDatabase(database_name, **kwargs)
    return PortalPooledPostgresqlDatabase(
        database_name, max_connections=size, stale_timeout=stale, timeout=wait, **kwargs
    )


def private_file(path):
    """Make sure the SQLite file (and its -wal and -shm files) can be read by its owner only.

    The file holds complaints about children. SQLite creates the -wal and -shm files
    with the permissions of the database file, so creating that one 0600 is enough;
    files left by an older version with wider permissions are tightened."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        for name in (path, path + "-wal", path + "-shm"):
            try:
                mode = stat.S_IMODE(os.stat(name).st_mode)
            except FileNotFoundError:
                continue
            if mode & 0o077:
                os.chmod(name, mode & 0o700)
                log.warning("database: permissions of %s tightened to 0600", os.path.basename(name))
    except FileNotFoundError:
        return  # the folder does not exist: SQLite will say so when connecting
    else:
        os.close(fd)


def is_sqlite():
    return isinstance(database.obj, peewee.SqliteDatabase)


def use_database(db):
    """Point the models at ``db``. The pool of the database used before (an app made
    earlier in this process: tests, a command that migrates as the schema's owner) closes
    its connections, so they do not stay open on the server."""
    old = database.obj
    if old is not None and old is not db and hasattr(old, "close_all"):
        old.close_all()
    database.initialize(db)


def init_app(app):
    use_database(open_database(app.config["DATABASE_URL"]))

    @app.before_request
    def _connect():
        # A stylesheet or icon needs no database (on PostgreSQL a connection each).
        if request.endpoint != "static":
            database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        close_quietly()


def close_quietly():
    """End this request's connection; a connection that already broke (the database went
    away) is dropped without raising, so the error page can still be sent."""
    if database.is_closed():
        return
    try:
        if database.in_transaction():
            database.rollback()
    except peewee.DatabaseError as exc:  # InterfaceError, OperationalError: a dead connection
        log.warning("database: rollback failed (%s, %s)", failure_kind(exc), type(exc).__name__)
    try:
        database.close()
    except peewee.DatabaseError as exc:
        log.warning("database: close failed (%s, %s)", failure_kind(exc), type(exc).__name__)
        database.dispose()  # forget the broken connection either way


def constant_sql(template):
    """A constant query written once for both databases, made ready for this one:
    ``?`` placeholders in the driver's style, and ``{agg}(text, separator)`` as
    SQLite's group_concat or PostgreSQL's string_agg (same arguments)."""
    return _constant_sql(template, database.param, is_sqlite())


@lru_cache(maxsize=64)
def _constant_sql(template, param, sqlite):
    return template.replace("?", param).replace("{agg}", "group_concat" if sqlite else "string_agg")


def atomic():
    """A write transaction (IMMEDIATE on SQLite, retried while another writer holds the lock)."""
    return database.atomic()
