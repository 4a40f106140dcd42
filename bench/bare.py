"""The floor outside the portal (issue 15, item 7): a bare Flask app, served by gunicorn the
same way as the portal (bench/run.py), on the same database.

gunicorn loads ``bench.bare:create_app()``; the database comes from ``BENCH_DATABASE_URL``
(``sqlite:///…`` or ``postgresql://…``). No portal code runs: no hooks, no session, no
access rules, no audit. Three routes:

- ``/bench-floor/<school>``: the same SQL as the in-portal floor route (bench/app.py) and the
  same template: the 25 rows of the case list's first page;
- ``/hello``: a constant text, what Flask and gunicorn cost;
- ``/insert``: one row inserted and committed (a GET, for the load generator): what one
  durable write costs, the yardstick of the complaint form's submit.

One connection per server thread, opened on first use and kept (the portal keeps a pool on
PostgreSQL and opens a connection per request on SQLite, which costs about as much as the
file's open).
"""

import os
import sqlite3
import threading

from flask import Flask
from flask import render_template

from bench.app import FLOOR_SQL

_local = threading.local()
INSERT_TABLE = "bench_insert"
INSERT_SQL = 'INSERT INTO "bench_insert" ("at", "note") VALUES (CURRENT_TIMESTAMP, ?)'


def _url():
    return os.environ["BENCH_DATABASE_URL"]


def _is_sqlite():
    return _url().startswith("sqlite:")


def _connection():
    conn = getattr(_local, "conn", None)
    if conn is None:
        if _is_sqlite():
            conn = sqlite3.connect(_url()[len("sqlite:///") :], isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")  # as the portal (portal/db.py)
            conn.execute("PRAGMA busy_timeout=5000")
        else:
            import psycopg2

            conn = psycopg2.connect(_url().split("?")[0])  # without the portal's pool options
            conn.autocommit = True
        _local.conn = conn
    return conn


def _sql(statement):
    """``statement`` with the driver's placeholder (SQLite ``?``, psycopg2 ``%s``)."""
    return statement if _is_sqlite() else statement.replace("?", "%s")


def _execute(statement, params=()):
    conn = _connection()
    cur = conn.cursor()
    cur.execute(_sql(statement), params)
    return cur


def create_app():
    app = Flask(__name__, template_folder="templates")

    @app.route("/bench-floor/<slug>")
    def floor(slug):
        rows = _execute(FLOOR_SQL, (slug,)).fetchall()
        return render_template("bench/floor.html", rows=rows)

    @app.route("/hello")
    def hello():
        return "hello"

    @app.route("/insert")
    def insert():
        # Autocommit: one statement, one commit (an fsync of the WAL on both databases).
        _execute(INSERT_SQL, ("ok",))
        return "ok"

    with app.app_context():
        serial = "INTEGER PRIMARY KEY" if _is_sqlite() else "SERIAL PRIMARY KEY"
        _execute(f'CREATE TABLE IF NOT EXISTS "{INSERT_TABLE}" ("id" {serial}, "at" TIMESTAMP, "note" TEXT)')
    return app
