"""Versioned migrations for the core and for every plugin.

Each app (``portal`` and every plugin slug) has a package of modules named
``m0001_<what>.py`` with ``upgrade(db)``. ``flask --app portal init-db`` runs
the ones not yet recorded in ``portal_migration``, each in its own
transaction, in order: it creates or upgrades, never drops data, and running
it twice changes nothing. Nothing runs at import.

On SQLite a migration runs the way SQLite documents for schema changes that
rebuild a table (https://www.sqlite.org/lang_altertable.html, "other kinds of
table schema changes"): foreign keys are switched off *before* the
transaction begins, because ``PRAGMA foreign_keys`` is a no-op inside one.
With them on, dropping the old copy of a rebuilt table (what peewee's
SqliteMigrator does for NOT NULL columns) deletes or nulls every row that
points to it, through ON DELETE CASCADE / SET NULL. Before the commit,
``PRAGMA foreign_key_check`` must find nothing, otherwise the migration is
rolled back: a migration either keeps every reference or changes nothing.
PostgreSQL keeps foreign keys on: it alters tables in place and its DDL is
transactional.
"""

import importlib
import importlib.util
import os
import pkgutil
import re
from collections import Counter

import peewee

from .db import database
from .db import is_sqlite
from .models import utcnow
from .plugins import results_by_plugin


class MigrationError(RuntimeError):
    """A migration could not be applied; nothing of it was committed. The message is Dutch
    (init-db shows it to the person running the upgrade)."""


class Migration(peewee.Model):
    app = peewee.CharField(max_length=60)
    name = peewee.CharField(max_length=120)
    applied_at = peewee.DateTimeField(default=utcnow)

    class Meta:
        database = database
        table_name = "portal_migration"
        indexes = ((("app", "name"), True),)


def migration_sources(pm):
    """[(app, package name)]: the core first, then each plugin in slug order."""
    sources = [("portal", "portal.migrations")]
    for plugin, result in results_by_plugin(pm, "register_migrations"):
        if result:
            slug, package = result
            if slug != plugin:
                raise RuntimeError(f"plugin {plugin}: migrations named {slug!r}")
            sources.append((slug, package))
    return [sources[0]] + sorted(sources[1:])


def migration_names(package):
    """The migrations of a package, in the order they run: modules ``mNNNN_<what>.py`` with
    ``upgrade(db)``, and plain SQL ``mNNNN_<what>.sqlite.sql`` with its twin
    ``mNNNN_<what>.postgresql.sql`` (what a first migration is: fixed DDL)."""
    pkg = importlib.import_module(package)
    names = {m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("m")}
    for folder in pkg.__path__:
        names.update(
            f.split(".")[0] for f in os.listdir(folder) if f.startswith("m") and f.endswith(SQL_SUFFIXES)
        )
    return sorted(names)


SQL_SUFFIXES = (".sqlite.sql", ".postgresql.sql")


def _upgrade_function(package, name):
    """The migration's ``upgrade(db)``: the module's, or one that runs its SQL file."""
    if importlib.util.find_spec(f"{package}.{name}") is not None:
        return importlib.import_module(f"{package}.{name}").upgrade
    dialect = "sqlite" if is_sqlite() else "postgresql"
    folder = next(
        f
        for f in importlib.import_module(package).__path__
        if os.path.exists(os.path.join(f, f"{name}.{dialect}.sql"))
    )
    with open(os.path.join(folder, f"{name}.{dialect}.sql"), encoding="utf-8") as f:
        statements = sql_statements(f.read())

    def upgrade(db):
        for statement in statements:
            db.execute_sql(statement)

    return upgrade


def sql_statements(text):
    """The statements of a migration's SQL: ``--`` comment lines left out, each statement
    ending with a semicolon at the end of a line (one inside a line, as in a trigger's
    body, does not end it)."""
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("--")]
    return [part.strip() for part in re.split(r";[ \t]*(?:\n|$)", "\n".join(lines)) if part.strip()]


def applied_migrations():
    """{(app, name)} recorded in portal_migration; empty when the table does not exist yet.
    Only reads: /health calls it through pending_migrations()."""
    if not database.table_exists(Migration._meta.table_name):
        return set()
    return set(Migration.select(Migration.app, Migration.name).tuples())


def pending_migrations(pm):
    """[(app, name)] not yet applied, in the order upgrade() would apply them."""
    done = applied_migrations()
    return [
        (app_name, name)
        for app_name, package in migration_sources(pm)
        for name in migration_names(package)
        if (app_name, name) not in done
    ]


def upgrade(pm, log=print, until=None):
    """Apply every pending migration; return the number applied.

    ``until`` ({app: name}) stops those apps after that migration (None: before their
    first), to build a database as an older version left it (tests). Apps not named
    are migrated fully."""
    sources = migration_sources(pm)
    plan = {app_name: migration_names(package) for app_name, package in sources}
    for app_name, last in (until or {}).items():
        if app_name not in plan:
            raise ValueError(f"until: unknown app {app_name!r}")
        if last is not None and last not in plan[app_name]:
            raise ValueError(f"until: {app_name} has no migration {last!r}")
        plan[app_name] = plan[app_name][: plan[app_name].index(last) + 1] if last else []
    database.create_tables([Migration], safe=True)
    done = applied_migrations()
    applied = 0
    for app_name, package in sources:
        for name in plan[app_name]:
            if (app_name, name) in done:
                continue
            if apply_migration(app_name, name, _upgrade_function(package, name)):
                log(f"migration {app_name}.{name} toegepast")
                applied += 1
    return applied


def apply_migration(app_name, name, upgrade_fn):
    """Run one migration and record it, all or nothing. False when it was already recorded
    (another init-db applied it meanwhile)."""
    if is_sqlite():
        return _apply_sqlite(app_name, name, upgrade_fn)
    with database.atomic():
        # Serialises two init-db runs started together: the second waits here, then
        # sees the first one's record and skips.
        database.execute_sql(f'LOCK TABLE "{Migration._meta.table_name}" IN SHARE ROW EXCLUSIVE MODE')
        if _recorded(app_name, name):
            return False
        upgrade_fn(database)
        Migration.create(app=app_name, name=name)
    return True


def _recorded(app_name, name):
    return Migration.select().where((Migration.app == app_name) & (Migration.name == name)).exists()


def _apply_sqlite(app_name, name, upgrade_fn):
    db = database.obj
    if db.in_transaction():
        # The pragma below would be silently ignored and a table rebuild would cascade.
        raise MigrationError(f"Migratie {app_name}.{name}: kan niet binnen een open transactie draaien.")
    foreign_keys_were_on = bool(db.pragma("foreign_keys"))
    db.pragma("foreign_keys", 0)
    try:
        if db.pragma("foreign_keys"):
            raise MigrationError(f"Migratie {app_name}.{name}: foreign keys gaan niet uit; niets gewijzigd.")
        # BEGIN IMMEDIATE: the write lock is taken before anything is read, so no other
        # connection changes rows between the check for a record and the commit.
        with db.atomic(lock_type="IMMEDIATE"):
            if _recorded(app_name, name):
                return False
            upgrade_fn(database)
            Migration.create(app=app_name, name=name)
            broken = _foreign_key_violations(db)
            if broken:
                raise _ViolationFound(broken)
    except _ViolationFound as found:
        # Rolled back by atomic(); say whether the migration broke the references or
        # whether they were broken before it ran (then no migration can pass).
        before = _foreign_key_violations(db)
        raise MigrationError(_violation_message(app_name, name, found.broken, before)) from None
    finally:
        db.pragma("foreign_keys", 1 if foreign_keys_were_on else 0)
    return True


class _ViolationFound(Exception):
    def __init__(self, broken):
        super().__init__(broken)
        self.broken = broken


def _foreign_key_violations(db):
    """Counter {(table, parent table): rows whose reference has no row to point to}."""
    return Counter((row[0], row[2]) for row in db.execute_sql("PRAGMA foreign_key_check"))


def _violation_message(app_name, name, broken, before):
    def rows(n):
        return f"{n} rij{'en' if n != 1 else ''}"

    parts = "; ".join(
        f"{table}: {rows(n)} {'verwijst' if n == 1 else 'verwijzen'} naar een ontbrekende rij in {parent}"
        for (table, parent), n in sorted(broken.items())
    )
    text = (
        f"Migratie {app_name}.{name} is teruggedraaid, er is niets van vastgelegd: "
        f"daarna klopten verwijzingen niet meer ({parts})."
    )
    if before:
        n = sum(before.values())
        text += (
            f" {rows(n)} daarvan {'stond' if n == 1 else 'stonden'} al zo in de database vóór de "
            "migratie; herstel die eerst (PRAGMA foreign_key_check toont ze)."
        )
    return text


def first_migration_sql(slug, models):
    """{dialect: text} of a first migration for ``models``: their CREATE statements for SQLite
    and PostgreSQL as peewee writes them today, to keep in ``m0001_initial.<dialect>.sql``
    (``flask --app portal plugin ddl SLUG FOLDER`` writes them)."""
    related = {field.rel_model for model in models for field in model._meta.refs} | set(models)
    out = {}
    for dialect, db in (
        ("sqlite", peewee.SqliteDatabase(None)),
        ("postgresql", peewee.PostgresqlDatabase(None)),
    ):
        with db.bind_ctx(list(related)):
            statements = [
                db.get_sql_context().sql(query).query()[0]
                # Parents first: PostgreSQL refuses a foreign key to a table not made yet.
                for model in peewee.sort_models(models)
                for query in [
                    model._schema._create_table(safe=True),
                    *model._schema._create_indexes(safe=True),
                ]
            ]
        out[dialect] = (
            f"-- The first tables of the plugin {slug}, as they were when it was "
            "written\n-- (one statement per line, as peewee wrote it).\n\n"
            + "".join(f"{s};\n" for s in statements)
        )
    return out
