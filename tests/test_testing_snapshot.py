"""The testing kit starts a test on a copy of the demo database it built for an earlier
test of the same configuration (portal/testing_snapshot.py): the copy must be the same
database, rows and counters, whatever the earlier test did to its own."""

import pytest

from portal import testing_snapshot as snapshot
from portal.db import database
from portal.db import is_sqlite
from portal.testing import base_config
from portal.testing import make_app

from . import caseplugin
from .conftest import OWNER_URL
from .conftest import PG_URL

ON_PG = PG_URL.startswith("postgres")


def config(folder):
    folder.mkdir()
    return {**base_config(folder), "PORTAL_EXTRA_PLUGINS": (caseplugin,)}


def contents(app):
    """Every row of every table, and on PostgreSQL every sequence's value."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            # The database's own tables, each in full.
            select = 'SELECT * FROM "{}" ORDER BY 1'
            rows = {t: database.execute_sql(select.format(t)).fetchall() for t in database.get_tables()}
            if not is_sqlite():  # SQLite's next rowid is the largest plus one: the rows say it
                rows["sequences"] = database.execute_sql(
                    "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
                ).fetchall()
            return rows
        finally:
            database.close()


def change(app):
    """What a test may do to its database: add rows, delete rows."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        database.execute_sql("DELETE FROM portal_school_plugin")
        database.execute_sql(
            "INSERT INTO portal_school_setting (school_id, name, value) "
            "SELECT id, 'test.sleutel', 'x' FROM portal_school"
        )
        database.close()


@pytest.fixture
def empty_snapshots(monkeypatch):
    """No snapshot kept by earlier tests, and none of this test's kept afterwards."""
    monkeypatch.setattr(snapshot, "_sqlite", {})
    monkeypatch.setattr(snapshot, "_postgres", {})


def no_demo(monkeypatch):
    def refuse(*_, **__):
        raise AssertionError("the demo was made again instead of restored")

    monkeypatch.setattr("portal.demo.create_demo", refuse)
    monkeypatch.setattr("portal.migrate.upgrade", refuse)


def test_the_next_test_starts_on_the_same_database_whatever_the_last_did(
    tmp_path, monkeypatch, empty_snapshots
):
    built = make_app(config(tmp_path / "a"), tmp_path / "a" / "instance", enable_all=False)
    before = contents(built)
    assert before["portal_school_plugin"], "the demo enables plugins"
    change(built)
    assert contents(built) != before

    no_demo(monkeypatch)
    copy = make_app(config(tmp_path / "b"), tmp_path / "b" / "instance", enable_all=False)
    assert contents(copy) == before
    # And again, after the copy was changed in its turn.
    change(copy)
    again = make_app(config(tmp_path / "c"), tmp_path / "c" / "instance", enable_all=False)
    assert contents(again) == before


def test_a_new_row_gets_the_id_it_would_get_on_a_database_built_fresh(tmp_path, monkeypatch, empty_snapshots):
    def next_id(app):
        with app.app_context():
            database.connect(reuse_if_open=True)
            insert = (
                "INSERT INTO portal_school_setting (school_id, name, value) "
                "SELECT id, 'test.nieuw', 'x' FROM portal_school ORDER BY id LIMIT 1"
            )
            cursor = database.execute_sql(insert if is_sqlite() else insert + " RETURNING id")
            new = cursor.lastrowid if is_sqlite() else cursor.fetchone()[0]
            database.close()
            return new

    built = make_app(config(tmp_path / "a"), tmp_path / "a" / "instance", enable_all=False)
    first = next_id(built)
    no_demo(monkeypatch)
    copy = make_app(config(tmp_path / "b"), tmp_path / "b" / "instance", enable_all=False)
    assert next_id(copy) == first


def test_another_configuration_gets_its_own_database(tmp_path, empty_snapshots):
    make_app(config(tmp_path / "a"), tmp_path / "a" / "instance", enable_all=False)
    other = {**config(tmp_path / "b"), "PORTAL_EXTRA_PLUGINS": ()}
    app = make_app(other, tmp_path / "b" / "instance", enable_all=False)
    with app.app_context():
        assert not any(t.startswith("testzaak") for t in database.get_tables())


def test_the_key_leaves_out_the_tests_folder_only(tmp_path, monkeypatch):
    a, b = config(tmp_path / "a"), config(tmp_path / "b")
    key = snapshot.key_of(a, tmp_path / "a" / "instance", False)
    assert key == snapshot.key_of(b, tmp_path / "b" / "instance", False)
    assert key != snapshot.key_of(b, tmp_path / "b" / "instance", True)
    assert key != snapshot.key_of({**b, "PORTAL_EXTRA_PLUGINS": ()}, tmp_path / "b" / "instance", False)
    monkeypatch.setenv("PORTAL_REQUIRE_MFA", "1")
    assert key != snapshot.key_of(b, tmp_path / "b" / "instance", False)


def test_a_fixed_day_is_part_of_the_key_and_no_reason_to_build_alone(tmp_path, monkeypatch):
    import datetime

    from portal import api
    from portal.testing import patched

    a = config(tmp_path / "a")
    key = snapshot.key_of(a, tmp_path / "a" / "instance", False)
    monkeypatch.setattr(api, "today", lambda: datetime.date(2026, 3, 11))
    assert not patched(monkeypatch)
    fixed = snapshot.key_of(a, tmp_path / "a" / "instance", False)
    assert fixed != key and "2026-03-11" in fixed[-1]
    monkeypatch.setattr(snapshot, "MAX_AGE", snapshot.MAX_AGE)
    assert patched(monkeypatch)


def test_a_test_that_replaced_code_gets_a_database_of_its_own(tmp_path, monkeypatch):
    from portal.testing import patched

    assert not patched(monkeypatch)
    monkeypatch.setattr(snapshot, "_sqlite", {})
    monkeypatch.setattr(snapshot, "_postgres", {})
    assert patched(monkeypatch)
    make_app(config(tmp_path / "a"), tmp_path / "a" / "instance", enable_all=False, fresh=True)
    assert not snapshot._sqlite and not snapshot._postgres


@pytest.mark.skipif(not ON_PG, reason="a SQLite test has a file of its own")
@pytest.mark.schema
def test_a_changed_schema_is_built_again(tmp_path, empty_snapshots):
    built = make_app(config(tmp_path / "a"), tmp_path / "a" / "instance", enable_all=False)
    before = contents(built)
    import psycopg2

    conn = psycopg2.connect(OWNER_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("ALTER TABLE portal_school_setting ADD COLUMN extra INTEGER")
    conn.close()
    app = make_app(config(tmp_path / "b"), tmp_path / "b" / "instance", enable_all=False)
    with app.app_context():
        database.connect(reuse_if_open=True)
        columns = [c.name for c in database.get_columns("portal_school_setting")]
        database.close()
    assert "extra" not in columns
    # Built again (its times are of now): the same tables with as many rows.
    assert {t: len(r) for t, r in contents(app).items()} == {t: len(r) for t, r in before.items()}


def test_a_snapshot_made_again_never_takes_another_ones_file(tmp_path, empty_snapshots):
    import sqlite3

    def database_holding(name):
        path = tmp_path / f"{name}.sqlite3"
        with sqlite3.connect(path) as conn:
            conn.execute("CREATE TABLE t (name TEXT)")
            conn.execute("INSERT INTO t VALUES (?)", (name,))
        conn.close()
        return f"sqlite:///{path}"

    def restored(key):
        url = f"sqlite:///{tmp_path / 'test.sqlite3'}"
        assert snapshot.restore_sqlite(key, url)
        conn = sqlite3.connect(snapshot.sqlite_path(url))
        try:
            return conn.execute("SELECT name FROM t").fetchone()[0]
        finally:
            conn.close()

    snapshot.take_sqlite("a", database_holding("a"))
    snapshot.take_sqlite("b", database_holding("b"))
    snapshot.take_sqlite("a", database_holding("a2"))  # a's snapshot made again (a new day)
    snapshot.take_sqlite("c", database_holding("c"))
    assert [restored(k) for k in "abc"] == ["a2", "b", "c"]
