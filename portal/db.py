"""The database: one deferred peewee handle that the app factory binds.

Every model binds to ``database`` (a ``DatabaseProxy``), so tests and
production choose their own backend: a SQLite file in ``instance/`` by
default, PostgreSQL through ``DATABASE_URL``.
"""

import time
from functools import lru_cache
from urllib.parse import urlparse

import peewee
from playhouse.db_url import connect as url_connect

database = peewee.DatabaseProxy()


class BaseModel(peewee.Model):
    class Meta:
        database = database
        legacy_table_names = False


# SQLite pragmas. WAL lets readers run beside a writer; busy_timeout makes a
# writer wait instead of failing; synchronous=FULL means a receipt shown to a
# parent survives a power cut (FACTS.md, SECURITY.md F3).
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "busy_timeout": 5000,
    "foreign_keys": 1,
    "synchronous": "full",
    "secure_delete": "on",
    "cache_size": -16000,
}


def open_database(url):
    """Return an unconnected peewee database for a ``sqlite:///`` or ``postgresql://`` URL."""
    scheme = urlparse(url).scheme
    if scheme == "sqlite":
        path = url[len("sqlite:///"):]
        # lock_type=IMMEDIATE: every db.atomic() begins with BEGIN IMMEDIATE, so a
        # transaction that reads and then writes never fails with "database is
        # locked" when another connection committed in between (FACTS.md).
        return peewee.SqliteDatabase(
            path, pragmas=SQLITE_PRAGMAS, lock_type="IMMEDIATE", check_same_thread=False
        )
    if scheme in ("postgres", "postgresql"):
        return url_connect(url)
    raise ValueError(f"DATABASE_URL: onbekend databasetype {scheme!r}")


def is_sqlite():
    return isinstance(database.obj, peewee.SqliteDatabase)


def init_app(app):
    db = open_database(app.config["DATABASE_URL"])
    database.initialize(db)

    @app.before_request
    def _connect():
        database.connect(reuse_if_open=True)

    @app.teardown_appcontext
    def _close(exc):
        if not database.is_closed():
            if database.in_transaction():
                database.rollback()
            database.close()


def constant_sql(template):
    """A constant query written once for both databases, made ready for this one:
    ``?`` placeholders in the driver's style, and ``{agg}(text, separator)`` as
    SQLite's group_concat or PostgreSQL's string_agg (same arguments)."""
    return _constant_sql(template, database.param, is_sqlite())


@lru_cache(maxsize=64)
def _constant_sql(template, param, sqlite):
    return template.replace("?", param).replace("{agg}", "group_concat" if sqlite else "string_agg")


def atomic():
    """A write transaction (IMMEDIATE on SQLite)."""
    return database.atomic()


def retry_locked(fn, attempts=5):
    """Run fn(); on a transient SQLite lock retry a few times with back-off."""
    for i in range(attempts):
        try:
            return fn()
        except peewee.OperationalError as exc:
            if "locked" not in str(exc) or i == attempts - 1:
                raise
            time.sleep(0.05 * 2**i)
