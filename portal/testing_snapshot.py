"""The testing kit's database snapshots: a test starts on the migrated demo database
without migrating it and making the demo again.

Making that database costs about 1.5 s on SQLite and 5.5 s on PostgreSQL (60 migrations,
the demo school with a year of cases of every plugin); a suite of a thousand tests spent
most of its time there. The first test of a configuration builds it as before and keeps a
snapshot; the next tests of that configuration start from a copy:

- SQLite: the snapshot is a file (SQLite's backup API), copied to the test's own file.
- PostgreSQL: the snapshot is every table's rows (COPY, held in memory) and every
  sequence's value. A restore empties the tables (DELETE, as the schema's owner) and
  copies the rows back in one transaction. It is used only when the schema is still the
  one of the snapshot (a fingerprint of tables, columns, constraints, triggers, functions
  and privileges): a test that changed the schema, or dropped it, makes the next test
  build from scratch.

A snapshot is made again on a new day (the demo's dates count from today) and after
``MAX_AGE`` seconds (its times count from now: a deadline in hours).
"""

import atexit
import io
import os
import shutil
import sqlite3
import tempfile
import time
import types
from pathlib import Path

MAX_AGE = 300

_sqlite = {}  # key -> (path of the snapshot file, made at)
_postgres = {}  # key -> PostgresSnapshot
_folder = None


def key_of(config, instance_path, enable_all):
    """What decides the database a test starts on: the database, the configuration (the
    test's own folder left out), the PORTAL_ settings of the environment, ``enable_all``
    and the day."""
    from . import api
    from .dates import today

    folder = str(Path(instance_path).parent)

    def plain(value):
        if isinstance(value, types.ModuleType):
            return value.__name__
        if isinstance(value, list | tuple | set | frozenset):
            return tuple(plain(v) for v in value)
        if isinstance(value, dict):
            return tuple(sorted((str(k), plain(v)) for k, v in value.items()))
        return repr(value).replace(folder, "<test>")

    settings = tuple(sorted((k, plain(v)) for k, v in config.items() if k != "DATABASE_URL"))
    environment = tuple(
        sorted(
            (k, v) for k, v in os.environ.items() if k.startswith("PORTAL_") and k != "PORTAL_INSTANCE_PATH"
        )
    )
    # PostgreSQL's URL says whether the tests are served as the application login (its
    # grants are part of the database); a SQLite file is the test's own.
    url = config["DATABASE_URL"]
    database = url if url.startswith("postgres") else "sqlite"
    # The plugins' day (``api.today``, which a test may fix) and the core's.
    days = (api.today().isoformat(), today().isoformat())
    return (database, settings, environment, bool(enable_all), days)


def restore(key, url, owner_url):
    """Put the snapshot of ``key`` in the test's database (``url``; on PostgreSQL as the
    schema's owner, ``owner_url``); False when there is none to use."""
    if url.startswith("postgres"):
        return restore_postgres(key, owner_url)
    return restore_sqlite(key, url)


def take(key, url, owner_url):
    """Keep the test's freshly built database as the snapshot of ``key``."""
    if url.startswith("postgres"):
        take_postgres(key, owner_url)
    else:
        take_sqlite(key, url)


def _fresh(made_at):
    return time.monotonic() - made_at < MAX_AGE


# ------------------------------------------------------------------ SQLite ----


def sqlite_path(url):
    return url[len("sqlite:///") :]


def restore_sqlite(key, url):
    """Copy the snapshot of ``key`` to the test's database file; False when there is none."""
    kept = _sqlite.get(key)
    if kept is None or not _fresh(kept[1]):
        return False
    target = sqlite_path(url)
    # The file is the test's own and new; it holds demo data only, but is made owner-only
    # like every database file of the portal.
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out, open(kept[0], "rb") as src:
        shutil.copyfileobj(src, out)
    return True


def take_sqlite(key, url):
    """Keep the test's freshly built database (committed) as the snapshot of ``key``."""
    global _folder
    if _folder is None:
        _folder = tempfile.mkdtemp(prefix="portal-snapshots-")
        # The snapshots live as long as the test run: gone with the process.
        atexit.register(shutil.rmtree, _folder, ignore_errors=True)
    # A file of its own for every snapshot: one of another key is never overwritten.
    fd, path = tempfile.mkstemp(suffix=".sqlite3", dir=_folder)
    os.close(fd)
    old = _sqlite.get(key)
    src = sqlite3.connect(sqlite_path(url))
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    _sqlite[key] = (path, time.monotonic())
    if old is not None:
        os.remove(old[0])


# -------------------------------------------------------------- PostgreSQL ----

FINGERPRINT_SQL = """
SELECT md5(string_agg(x, ',' ORDER BY x)) FROM (
  SELECT 'r:' || c.relname || ':' || c.relkind::text || ':' || coalesce(c.relacl::text, '')
         || ':' || c.relrowsecurity::text AS x
    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'a:' || c.relname || '.' || a.attname || ':' || format_type(a.atttypid, a.atttypmod)
         || ':' || a.attnotnull || ':' || a.attgenerated::text
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
   WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped
  UNION ALL
  SELECT 'c:' || conname || ':' || pg_get_constraintdef(oid)
    FROM pg_constraint WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 't:' || t.tgname || ':' || t.tgrelid::regclass::text || ':' || t.tgenabled::text
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
   WHERE c.relnamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'f:' || p.proname || ':' || md5(p.prosrc) || ':' || coalesce(p.proacl::text, '')
    FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'p:' || polname || ':' || polrelid::regclass::text FROM pg_policy
  UNION ALL
  SELECT 'n:' || coalesce(nspacl::text, '') || ':' || nspowner::regrole::text
    FROM pg_namespace WHERE nspname = 'public'
) s
"""


class PostgresSnapshot:
    def __init__(self, fingerprint, tables, guarded, rows, sequences):
        self.fingerprint = fingerprint
        self.tables = tables  # [(table, columns)], every table before those that refer to it
        self.guarded = guarded  # tables whose trigger refuses DELETE (the audit log)
        self.rows = rows  # table -> COPY text
        self.sequences = sequences  # [(sequence, last_value or None)]
        self.made_at = time.monotonic()


def _connect(url):
    import psycopg2

    return psycopg2.connect(url)


def _tables_in_order(cur):
    """The tables of ``public``, each after the tables its foreign keys point to; None
    when the references go round (then there is no snapshot)."""
    cur.execute("SELECT relname FROM pg_class WHERE relnamespace = 'public'::regnamespace AND relkind = 'r'")
    names = sorted(r[0] for r in cur.fetchall())
    cur.execute(
        "SELECT c.relname, f.relname FROM pg_constraint AS k JOIN pg_class AS c ON c.oid = k.conrelid "
        "JOIN pg_class AS f ON f.oid = k.confrelid WHERE k.contype = 'f' "
        "AND k.connamespace = 'public'::regnamespace AND k.conrelid <> k.confrelid"
    )
    needs = {name: set() for name in names}
    for table, target in cur.fetchall():
        if table in needs:
            needs[table].add(target)  # a table elsewhere is never ready: no snapshot
    ordered, done = [], set()
    while len(ordered) < len(names):
        ready = [n for n in names if n not in done and needs[n] <= done]
        if not ready:
            return None
        ordered.extend(ready)
        done.update(ready)
    tables = []
    for name in ordered:
        cur.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 "
            "AND NOT attisdropped AND attgenerated = '' ORDER BY attnum",
            (f'public."{name}"',),
        )
        tables.append((name, [r[0] for r in cur.fetchall()]))
    return tables


def _columns(columns):
    return ", ".join(f'"{c}"' for c in columns)


def take_postgres(key, owner_url):
    """Keep every table's rows and every sequence's value as the snapshot of ``key``."""
    conn = _connect(owner_url)
    try:
        with conn.cursor() as cur:
            tables = _tables_in_order(cur)
            if tables is None:
                return
            cur.execute(FINGERPRINT_SQL)
            fingerprint = cur.fetchone()[0]
            # A row trigger BEFORE DELETE (tgtype bits: row 1, before 2, delete 8).
            cur.execute(
                "SELECT DISTINCT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal AND t.tgtype & 11 = 11"
            )
            guarded = sorted(r[0] for r in cur.fetchall())
            rows = {}
            for name, columns in tables:
                buffer = io.StringIO()
                cur.copy_expert(f'COPY public."{name}" ({_columns(columns)}) TO STDOUT', buffer)
                rows[name] = buffer.getvalue()
            cur.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
            sequences = cur.fetchall()
        conn.rollback()
    finally:
        conn.close()
    _postgres[key] = PostgresSnapshot(fingerprint, tables, guarded, rows, sequences)


def restore_postgres(key, owner_url):
    """Put the snapshot of ``key`` back; False when there is none or the schema changed."""
    snap = _postgres.get(key)
    if snap is None or not _fresh(snap.made_at):
        return False
    conn = _connect(owner_url)
    try:
        with conn.cursor() as cur:
            # A connection left in a transaction by a broken test would make the restore wait
            # for ever: then build from scratch (DROP SCHEMA) and let that say so.
            cur.execute("SET LOCAL lock_timeout = '10s'")
            cur.execute(FINGERPRINT_SQL)
            if cur.fetchone()[0] != snap.fingerprint:
                conn.rollback()
                return False
            # A test database: no need to wait for the disk.
            cur.execute("SET LOCAL synchronous_commit = off")
            # DELETE, the referring tables first: TRUNCATE makes new files for every table and
            # its indexes (0.6 s for 80 tables); the audit log refuses DELETE, so TRUNCATE there.
            if snap.guarded:
                cur.execute("TRUNCATE " + ", ".join(f'public."{name}"' for name in snap.guarded))
            for name, _ in reversed(snap.tables):
                if name not in snap.guarded:
                    cur.execute(f'DELETE FROM public."{name}"')  # noqa: S608 - names from the catalogue
            for name, columns in snap.tables:
                if snap.rows[name]:
                    cur.copy_expert(
                        f'COPY public."{name}" ({_columns(columns)}) FROM STDIN', io.StringIO(snap.rows[name])
                    )
            for sequence, last_value in snap.sequences:
                cur.execute(
                    "SELECT setval(%s, %s, %s)",
                    (f'public."{sequence}"', last_value or 1, last_value is not None),
                )
        conn.commit()
    except Exception:
        conn.rollback()
        return False
    finally:
        conn.close()
    return True
