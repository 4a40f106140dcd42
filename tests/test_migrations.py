"""Migrations keep every row, and every database ends with the same schema.

A database left at an earlier migration state and filled with data upgrades
without losing a row or nulling a reference, and ends with the schema of a fresh
database; a fresh database has the schema of today's models; a migration that
breaks a reference is rolled back. On SQLite, and on PostgreSQL when DATABASE_URL
is set.

The states come from the migration packages, so a new migration is covered
without editing this file: for every app and every migration but its last, that
app stopped there and the others fully migrated; and every app at its first
migration only. The data is the demo school plus a made-up row for every table
the demo leaves empty and a reference for every nullable foreign key it leaves
NULL, so that every table and every foreign key has rows. A migration that drops
a column or rewrites values on purpose has to teach ``changes()`` about it; one
that moves a table's rows into another table and drops it names the two in
``MOVED``.
"""

import datetime
import sqlite3
import sys
import textwrap
from pathlib import Path

import peewee
import pytest

from portal import create_app
from portal import hookimpl
from portal import migrate
from portal.db import database
from portal.db import is_sqlite
from portal.demo import create_demo
from portal.models import CORE_MODELS
from portal.models import JSONField
from portal.plugins import make_manager
from portal.registry import get_pm
from portal.registry import get_registry

from . import caseplugin
from .conftest import OWNER_URL
from .conftest import PG_URL
from .conftest import _reset_postgres
from .core_helpers import db_ctx

ON_PG = PG_URL.startswith("postgres")
FIXTURE = Path(__file__).parent / "fixtures" / "ea7f12b_demo.sql"

# Every test here builds or changes schemas: as the schema's owner on PostgreSQL.
pytestmark = pytest.mark.schema

# Tables whose rows a migration moved into another table before dropping them (old: new).
# A database from before the move gets the reference rows of the new table in the old one
# (the new one, if there, stays empty, as it was then); after the upgrade every row must be
# in the new table with its id and values, and every reference to it must still hold.
MOVED = {"trauma_partner": "portal_partner"}  # trauma.m0002: the partners went to the core
# The search index (core m0016): derived from the cases, written again by the migration that
# makes it, not a model (an FTS5 table on SQLite, with shadow tables without an "id").
DERIVED = "portal_case_search"
# Tables a migration adds rows to on purpose: (column, value) that every added row has.
# keep_pupil_names (klachten.m0002, schorsing.m0002, trauma.m0003): a pupil's name typed
# before the register becomes a pupil of its case "niet gekoppeld", without a pupil.
ADDED = {"portal_case_pupil": ("pupil_id", None)}
# Columns whose values a migration moved into another table, the old column left empty
# (table, column): (new table, its column pointing to the row, its column with the value).
# core m0017: the letters' PDF bytes went to portal_case_document_content.
MOVED_COLUMNS = {
    ("portal_case_document", "content"): ("portal_case_document_content", "document_id", "content"),
}


def quiet(*_):
    pass


def make_app(path, extra=(caseplugin,)):
    """An app on a new, empty database: the SQLite file ``path``, or the emptied PostgreSQL one."""
    if ON_PG:
        _reset_postgres()
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
            "DATABASE_URL": OWNER_URL if ON_PG else f"sqlite:///{path}",
            "PORTAL_EXTRA_PLUGINS": extra,
            "SMTP_HOST": "",
        }
    )


# --- the schema, as both databases describe it -------------------------------------------


def schema(text=True):
    """Tables with their columns, foreign keys (with ON DELETE) and indexes, and the
    triggers. ``text``: on SQLite also the CREATE statements as sqlite_master keeps them
    (an ALTER TABLE leaves other text than a CREATE TABLE of the same table)."""
    return _sqlite_schema(text) if is_sqlite() else _postgres_schema()


def _sqlite_schema(text):
    out = {}
    master = database.execute_sql(
        "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%'"
    ).fetchall()
    for kind, name, table, sql in master:
        if kind == "table":
            info = database.execute_sql(f'PRAGMA table_info("{name}")')
            out[("columns", name)] = [tuple(r[1:]) for r in info]
            out[("foreign keys", name)] = sorted(
                tuple(r[2:]) for r in database.execute_sql(f'PRAGMA foreign_key_list("{name}")')
            )
        elif kind == "index":
            unique = {r[1]: r[2] for r in database.execute_sql(f'PRAGMA index_list("{table}")')}[name]
            columns = [r[2] for r in database.execute_sql(f'PRAGMA index_info("{name}")')]
            where = sql[sql.index(" WHERE ") :] if sql and " WHERE " in sql else None
            out[("index", name)] = (table, unique, columns, where)
        elif kind == "trigger":
            out[("trigger", name)] = sql
        if text and sql:
            out[("sql", name)] = sql
    return out


def _postgres_schema():
    out = {}
    rows = database.execute_sql(
        "SELECT table_name, column_name, ordinal_position, data_type, character_maximum_length, "
        "is_nullable, column_default FROM information_schema.columns WHERE table_schema = 'public' "
        "ORDER BY table_name, ordinal_position"
    ).fetchall()
    for table, *column in rows:
        out.setdefault(("columns", table), []).append(tuple(column))
    rows = database.execute_sql(
        "SELECT r.relname, c.conname, c.contype, pg_get_constraintdef(c.oid) FROM pg_constraint c "
        "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
        "WHERE n.nspname = 'public'"
    ).fetchall()
    for table, name, kind, definition in rows:
        out[("constraint", name)] = (table, kind, definition)
    rows = database.execute_sql(
        "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public'"
    ).fetchall()
    for table, name, definition in rows:
        out[("index", name)] = (table, definition)
    rows = database.execute_sql(
        "SELECT r.relname, t.tgname, pg_get_triggerdef(t.oid) FROM pg_trigger t "
        "JOIN pg_class r ON r.oid = t.tgrelid JOIN pg_namespace n ON n.oid = r.relnamespace "
        "WHERE n.nspname = 'public' AND NOT t.tgisinternal"
    ).fetchall()
    for table, name, definition in rows:
        out[("trigger", name)] = (table, definition)
    return out


def differences(expected, actual):
    missing = "(ontbreekt)"
    return [
        f"{key[0]} {key[1]}: {expected.get(key, missing)!r} != {actual.get(key, missing)!r}"
        for key in sorted(set(expected) | set(actual))
        if expected.get(key) != actual.get(key)
    ]


# --- rows ----------------------------------------------------------------------------------


def plain(value):
    return bytes(value) if isinstance(value, memoryview) else value


def read_table(table, columns):
    """The rows over ``columns``, by id (every table has one: rows are matched by it)."""
    cols = ", ".join(f'"{c}"' for c in columns)
    rows = database.execute_sql(f'SELECT {cols} FROM "{table}" ORDER BY "id"').fetchall()  # noqa: S608
    return [tuple(plain(v) for v in row) for row in rows]


def row_counts():
    count = 'SELECT COUNT(*) FROM "{}"'
    return {t: database.execute_sql(count.format(t)).fetchone()[0] for t in database.get_tables()}


# One catalogue query per database, not one per table: PostgreSQL's cost several ms each.


def table_columns():
    """{table: [column names in order]}."""
    if is_sqlite():
        return {t: [c.name for c in database.get_columns(t)] for t in database.get_tables()}
    out = {}
    for table, column in database.execute_sql(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    ):
        out.setdefault(table, []).append(column)
    return out


def table_references():
    """{table: [(foreign key column, table it points to)]}."""
    if is_sqlite():
        return {
            t: [(fk.column, fk.dest_table) for fk in database.get_foreign_keys(t)]
            for t in database.get_tables()
        }
    out = {t: [] for t in database.get_tables()}
    for table, column, parent in database.execute_sql(
        "SELECT r.relname, a.attname, p.relname FROM pg_constraint c "
        "JOIN pg_class r ON r.oid = c.conrelid JOIN pg_class p ON p.oid = c.confrelid "
        "JOIN pg_namespace n ON n.oid = r.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = ANY (c.conkey) "
        "WHERE c.contype = 'f' AND n.nspname = 'public' ORDER BY r.relname, a.attname"
    ):
        out[table].append((column, parent))
    return out


def parents_first(tables, references):
    order, seen = [], set()

    def visit(table):
        if table not in seen:
            seen.add(table)
            for _, parent in references[table]:
                if parent != table:
                    visit(parent)
            order.append(table)

    for table in sorted(tables):
        visit(table)
    return order


def made_up(model, field):
    """A value for a column the demo leaves empty; text says where it came from."""
    if isinstance(field, peewee.ForeignKeyField):
        return field.rel_model.select(field.rel_field).order_by(field.rel_field).limit(1).scalar()
    marker = f"{model._meta.table_name}.{field.column_name}"
    if isinstance(field, peewee.BooleanField):
        return True
    if isinstance(field, peewee.IntegerField):
        return 1
    if isinstance(field, peewee.DateTimeField):
        return datetime.datetime(2026, 3, 2, 10, 30)
    if isinstance(field, peewee.DateField):
        return datetime.date(2026, 3, 2)
    if isinstance(field, peewee.BlobField):
        return marker.encode() + b"\x00\xff"
    if isinstance(field, JSONField):
        return {"marker": marker}
    if isinstance(field, (peewee.CharField, peewee.TextField)):
        return marker[: getattr(field, "max_length", None)]
    raise TypeError(f"{marker}: no made-up value for {type(field).__name__}; add one to made_up()")


def fill_gaps(models):
    """A row for every empty table, a reference in every nullable foreign key that is NULL
    everywhere (parents first, so every reference has a row to point to)."""
    with database.atomic():
        for model in peewee.sort_models(models):
            pk = model._meta.primary_key
            if not model.select().exists():
                values = {f: made_up(model, f) for f in model._meta.sorted_fields if f is not pk}
                model.insert(values).execute()
            for field in model._meta.refs:
                if field.null and not model.select().where(field.is_null(False)).exists():
                    first = model.select(pk).order_by(pk).limit(1).scalar()
                    model.update({field: made_up(model, field)}).where(pk == first).execute()


class Reference:
    """Today's fresh schema, and the rows of a database with every table and reference filled."""

    def __init__(self):
        self.schema = schema()
        self.tables = [
            t
            for t in database.get_tables()
            if t != migrate.Migration._meta.table_name and not t.startswith(DERIVED)
        ]
        self.references = table_references()
        self.order = parents_first(self.tables, self.references)

    def read_rows(self):
        self.columns = table_columns()
        self.rows = {t: read_table(t, self.columns[t]) for t in self.tables}

    def rows_over(self, table, columns):
        index = [self.columns[table].index(c) for c in columns]
        return [tuple(row[i] for i in index) for row in self.rows[table]]


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("reference")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("PORTAL_INSTANCE_PATH", str(tmp / "instance"))
        app = make_app(tmp / "reference.sqlite3")
        with db_ctx(app):
            pm = get_pm()
            migrate.upgrade(pm, log=quiet)
            ref = Reference()
            create_demo(pm, log=quiet)
            fill_gaps([*CORE_MODELS, *get_registry().models.values()])
            ref.read_rows()
    return ref


def copy_rows(ref):
    """Insert the reference rows into the tables and columns this database has; return
    {table: columns copied}."""
    here = table_columns()
    copied, into = {}, {}
    with database.atomic():
        for table in ref.order:
            into[table] = next((old for old, new in MOVED.items() if new == table and old in here), table)
            if into[table] not in here:
                continue
            columns = [c for c in ref.columns[table] if c in here[into[table]]]
            marks = ", ".join([database.param] * len(columns))
            names = ", ".join(f'"{c}"' for c in columns)
            for row in ref.rows_over(table, columns):
                database.execute_sql(f'INSERT INTO "{into[table]}" ({names}) VALUES ({marks})', row)  # noqa: S608
            copied[table] = columns
    if not is_sqlite():  # explicit ids leave the sequences behind; a later insert would collide
        for table, columns in copied.items():
            if "id" in columns:
                database.execute_sql(
                    f"SELECT setval(pg_get_serial_sequence('\"{into[table]}\"', 'id'), "  # noqa: S608
                    f'(SELECT COALESCE(MAX("id"), 0) + 1 FROM "{into[table]}"), false)'
                )
    return copied


def changes(expected_rows, copied, references):
    """What the upgrade lost: rows, references that became NULL, other changed values."""
    found = []
    for table, columns in copied.items():
        before = expected_rows(table, columns)
        after = read_table(table, columns)
        i = columns.index("id")
        after = _with_moved_values(table, columns, after, i)
        if table in ADDED and ADDED[table][0] in columns:
            ids, (column, value) = {row[i] for row in before}, ADDED[table]
            j = columns.index(column)
            after = [row for row in after if row[i] in ids or row[j] != value]
        if len(after) != len(before):
            found.append(f"{table}: {len(before)} rijen -> {len(after)}")
        now = {row[i]: row for row in after}
        kept = [(row, now[row[i]]) for row in before if row[i] in now]
        for column, _parent in references[table]:
            if column in columns:
                j = columns.index(column)
                nulled = sum(old[j] is not None and new[j] is None for old, new in kept)
                if nulled:
                    found.append(f"{table}.{column}: {nulled} verwijzingen werden NULL")
        changed = sum(old != new for old, new in kept)
        if changed:
            found.append(f"{table}: {changed} rijen veranderd")
    return found


def _with_moved_values(table, columns, rows, i):
    """``rows`` with each moved column's value read from where a migration moved it."""
    for (moved_table, column), (new_table, key, value) in MOVED_COLUMNS.items():
        if moved_table != table or column not in columns or new_table not in database.get_tables():
            continue
        j = columns.index(column)
        query = f'SELECT "{key}", "{value}" FROM "{new_table}"'  # noqa: S608 - names from MOVED_COLUMNS
        moved = {k: plain(v) for k, v in database.execute_sql(query).fetchall()}
        rows = [
            (*row[:j], moved.get(row[i], row[j]) if not row[j] else row[j], *row[j + 1 :]) for row in rows
        ]
    return rows


def migration_states():
    """[{app: last migration applied}], apps not named fully migrated; deduplicated."""
    plan = {
        app: migrate.migration_names(pkg)
        for app, pkg in migrate.migration_sources(make_manager(extra=(caseplugin,)))
    }
    wanted = [{app: name} for app, names in plan.items() for name in names[:-1]]
    wanted.append({app: names[0] for app, names in plan.items()})
    states, seen = [], []
    for state in wanted:
        full = {app: state.get(app, names[-1]) for app, names in plan.items()}
        if full not in seen:
            seen.append(full)
            states.append(state)
    return states


STATES = migration_states()


def state_id(state):
    return ",".join(f"{app}@{name}" for app, name in state.items())


# --- the tests -----------------------------------------------------------------------------


def test_reference_data_fills_every_table_and_reference(reference):
    empty = [t for t in reference.tables if not reference.rows[t]]
    null = [
        f"{t}.{column}"
        for t in reference.tables
        for column, _ in reference.references[t]
        if all(row[reference.columns[t].index(column)] is None for row in reference.rows[t])
    ]
    assert not empty and not null, f"no rows in {empty}, only NULL in {null}: extend fill_gaps()"


@pytest.mark.parametrize("state", STATES, ids=state_id)
def test_upgrade_from_an_earlier_state_keeps_every_row(state, reference, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(tmp_path / "old.sqlite3")
    with db_ctx(app):
        pm = get_pm()
        migrate.upgrade(pm, log=quiet, until=state)
        assert migrate.pending_migrations(pm), "this state should leave migrations to do"
        copied = copy_rows(reference)
        assert migrate.upgrade(pm, log=quiet) > 0
        assert migrate.pending_migrations(pm) == []
        lost = changes(reference.rows_over, copied, reference.references)
        assert not lost, f"upgrade from {state_id(state)} lost data: " + "; ".join(lost)
        diff = differences(reference.schema, schema())
        assert not diff, "\n".join(diff)
        if is_sqlite():
            assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert migrate.upgrade(pm, log=quiet) == 0


def test_fresh_schema_is_the_schema_of_todays_models(reference, tmp_path, monkeypatch):
    """Only what models cannot say may come from migrations alone: partial indexes and triggers."""
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(tmp_path / "models.sqlite3")
    with db_ctx(app):
        database.create_tables([*CORE_MODELS, *get_registry().models.values(), migrate.Migration])
        from_models = schema(text=False)
    migrated = {k: v for k, v in reference.schema.items() if k[0] != "sql" and not k[1].startswith(DERIVED)}
    extra = {k: v for k, v in migrated.items() if k not in from_models}
    partial = {k for k, v in extra.items() if k[0] == "index" and " WHERE " in str(v[-1])}
    triggers = {k for k in extra if k[0] == "trigger"}
    assert set(extra) == partial | triggers, f"only in migrations: {sorted(set(extra) - partial - triggers)}"
    diff = differences(from_models, {k: v for k, v in migrated.items() if k not in extra})
    assert not diff, "\n".join(diff)


def test_pending_migrations_and_until(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(tmp_path / "pending.sqlite3")
    with db_ctx(app):
        pm = get_pm()
        everything = [(a, n) for a, p in migrate.migration_sources(pm) for n in migrate.migration_names(p)]
        assert migrate.pending_migrations(pm) == everything  # no portal_migration table
        assert database.get_tables() == []  # and asking did not make one
        database.create_tables([migrate.Migration])
        assert migrate.pending_migrations(pm) == everything  # an empty one
        with pytest.raises(ValueError):
            migrate.upgrade(pm, log=quiet, until={"nergens": "m0001_initial"})
        with pytest.raises(ValueError):
            migrate.upgrade(pm, log=quiet, until={"portal": "m9999_bestaat_niet"})
        later = [(a, n) for a, n in everything if a == "portal" and n != "m0001_initial"]
        applied = migrate.upgrade(pm, log=quiet, until={"portal": "m0001_initial"})
        assert applied == len(everything) - len(later)
        assert migrate.pending_migrations(pm) == later
        logged = []
        assert migrate.upgrade(pm, log=logged.append) == len(later)
        assert logged == [f"migration {a}.{n} toegepast" for a, n in later]
        assert migrate.pending_migrations(pm) == [] and migrate.upgrade(pm, log=quiet) == 0


def test_first_migrations_run_again_change_nothing(app):
    """They are CREATE … IF NOT EXISTS: harmless on a database that has moved on."""
    with db_ctx(app):
        before, counts = schema(), row_counts()
        for _app, package in migrate.migration_sources(get_pm()):
            first = migrate.migration_names(package)[0]
            migrate._upgrade_function(package, first)(database)
        # A table a later migration moved away comes back, empty: harmless; away with it again.
        for old in set(MOVED) & set(database.get_tables()) - set(counts):
            assert row_counts()[old] == 0
            database.execute_sql(f'DROP TABLE "{old}"')
        assert schema() == before and row_counts() == counts


class BrokenPlugin:
    """Registers the migration package written by the test under the slug "kapot"."""

    @hookimpl
    def register_migrations(self):
        return ("kapot", "kapot_migraties")


@pytest.fixture
def add_migration(app, tmp_path, monkeypatch):
    """add_migration(body): the plugin "kapot" with one migration m0001_kapot, upgrade(db) = body."""

    def add(body):
        package = tmp_path / "kapot_migraties"
        package.mkdir()
        (package / "__init__.py").write_text("")
        (package / "m0001_kapot.py").write_text(textwrap.dedent(body))
        monkeypatch.syspath_prepend(str(tmp_path))
        get_pm().register(BrokenPlugin(), name="kapot")

    yield add
    for name in [n for n in sys.modules if n.split(".")[0] == "kapot_migraties"]:
        del sys.modules[name]  # the next test writes its own package of that name


def test_a_migration_that_breaks_a_reference_is_rolled_back(app, add_migration):
    with db_ctx(app):
        pm = get_pm()
        add_migration("""
            def upgrade(db):
                db.execute_sql('CREATE TABLE "kapot_spoor" ("id" INTEGER PRIMARY KEY)')
                db.execute_sql('INSERT INTO "kapot_spoor" ("id") VALUES (1)')
                db.execute_sql("UPDATE portal_user_role SET user_id = 999999 WHERE role = 'ib'")
        """)
        before = row_counts()
        roles = read_table("portal_user_role", ["id", "user_id", "school_id", "role"])
        with pytest.raises((migrate.MigrationError, peewee.IntegrityError)) as failed:
            migrate.upgrade(pm, log=quiet)
        if is_sqlite():  # PostgreSQL refuses the UPDATE itself
            assert str(failed.value) == (
                "Migratie kapot.m0001_kapot is teruggedraaid, er is niets van vastgelegd: daarna "
                "klopten verwijzingen niet meer (portal_user_role: 1 rij verwijst naar een "
                "ontbrekende rij in portal_user)."
            )
            assert database.execute_sql("PRAGMA foreign_keys").fetchone()[0] == 1
        assert row_counts() == before and "kapot_spoor" not in database.get_tables()
        assert read_table("portal_user_role", ["id", "user_id", "school_id", "role"]) == roles
        assert migrate.pending_migrations(pm) == [("kapot", "m0001_kapot")]


@pytest.mark.skipif(ON_PG, reason="PostgreSQL never holds a broken reference")
def test_references_broken_before_a_migration_are_named(app, add_migration):
    with db_ctx(app):
        pm = get_pm()
        add_migration("""
            def upgrade(db):
                db.execute_sql('CREATE TABLE "kapot_spoor" ("id" INTEGER PRIMARY KEY)')
        """)
        database.execute_sql("PRAGMA foreign_keys=OFF")
        database.execute_sql("UPDATE portal_case_event SET case_id = 999999")
        database.execute_sql("PRAGMA foreign_keys=ON")
        with pytest.raises(migrate.MigrationError) as failed:
            migrate.upgrade(pm, log=quiet)
        assert "portal_case_event: " in str(failed.value)
        assert "al zo in de database vóór de migratie" in str(failed.value)
        assert "kapot_spoor" not in database.get_tables()


@pytest.mark.skipif(ON_PG, reason="a SQLite database made by an old commit")
def test_database_made_by_ea7f12b_upgrades_with_init_db_keeping_every_row(tmp_path, monkeypatch):
    """The real thing: the file an older portal made, upgraded by init-db as on a deploy."""
    instance = tmp_path / "instance"
    instance.mkdir()
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(instance))
    path = instance / "portal.sqlite3"
    with sqlite3.connect(path) as conn:
        conn.executescript(FIXTURE.read_text())
    conn.close()
    app = make_app(path, extra=())
    with db_ctx(app):
        old_schema = schema()
        done = migrate.applied_migrations()
        # Where that commit left each app (None: an app it did not have yet).
        state = {
            a: max((n for d, n in done if d == a), default=None)
            for a, _ in migrate.migration_sources(get_pm())
        }
        tables = [t for t in database.get_tables() if t != "portal_migration"]
        columns = {t: c for t, c in table_columns().items() if t in tables}
        rows = {t: read_table(t, columns[t]) for t in tables}
        references = table_references()
        # Moved rows are looked for in the table they moved to.
        rows, columns = ({MOVED.get(t, t): v for t, v in d.items()} for d in (rows, columns))
        references = {MOVED.get(t, t): v for t, v in references.items()}

    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    assert "migration portal.m0002_totp toegepast" in result.output

    with db_ctx(app):
        lost = changes(
            lambda t, cols: [tuple(r[columns[t].index(c)] for c in cols) for r in rows[t]],
            columns,
            references,
        )
        assert not lost, "init-db lost data: " + "; ".join(lost)
        upgraded = schema()
        [saved] = (instance / "backups").iterdir()
    assert saved.name.startswith("portal-voor-migratie-") and saved.suffix == ".sqlite3"
    assert f"Back-up van vóór de migraties geschreven naar {saved}." in result.output
    assert (saved.stat().st_mode & 0o777) == 0o600
    assert ((instance / "backups").stat().st_mode & 0o777) == 0o700
    with sqlite3.connect(saved) as conn:
        roles = conn.execute("SELECT COUNT(*) FROM portal_user_role").fetchone()[0]
        assert roles == len(rows["portal_user_role"]) == 7
        assert "totp_secret" not in [r[1] for r in conn.execute("PRAGMA table_info(portal_user)")]
    conn.close()

    # The first migrations written as SQL create what that commit created ...
    fresh = make_app(tmp_path / "fresh.sqlite3", extra=())
    with db_ctx(fresh):
        migrate.upgrade(get_pm(), log=quiet, until=state)
        diff = differences(old_schema, schema())
        assert not diff, "\n".join(diff)
        # ... and the old database, upgraded, has the schema of a fresh one.
        migrate.upgrade(get_pm(), log=quiet)
        diff = differences(schema(), upgraded)
        assert not diff, "\n".join(diff)


def test_sql_migrations_split_at_semicolons_that_end_a_line():
    text = (
        "-- a comment; not a statement\n"
        "CREATE TABLE a (x INTEGER);\n"
        "CREATE TRIGGER t BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'nee'); END;\n"
        "CREATE INDEX i ON a (x)"
    )
    assert migrate.sql_statements(text) == [
        "CREATE TABLE a (x INTEGER)",
        "CREATE TRIGGER t BEFORE DELETE ON a BEGIN SELECT RAISE(ABORT, 'nee'); END",
        "CREATE INDEX i ON a (x)",
    ]


def test_plugin_ddl_writes_a_first_migration_in_sql(app, runner, tmp_path):
    result = runner.invoke(args=["plugin", "ddl", "testzaak", str(tmp_path)])
    assert result.exit_code == 0, result.output
    written = (tmp_path / "m0001_initial.sqlite.sql").read_text()
    assert 'CREATE TABLE IF NOT EXISTS "testzaak_extra"' in written
    assert "SERIAL" in (tmp_path / "m0001_initial.postgresql.sql").read_text()
    again = runner.invoke(args=["plugin", "ddl", "testzaak", str(tmp_path)])
    assert again.exit_code != 0 and "bestaat al" in again.output


def test_plugin_ddl_makes_a_table_before_the_tables_that_point_to_it(tmp_path):
    class Parent(peewee.Model):
        class Meta:
            table_name = "proef_a_ouder"

    class Child(peewee.Model):
        parent = peewee.ForeignKeyField(Parent)

        class Meta:
            table_name = "proef_a_kind"  # sorts before its parent by name

    for text in migrate.first_migration_sql("proef", [Child, Parent]).values():
        assert text.index('TABLE IF NOT EXISTS "proef_a_ouder"') < text.index(
            'TABLE IF NOT EXISTS "proef_a_kind"'
        )
