"""Versioned migrations for the core and for every plugin.

Each app (``portal`` and every plugin slug) has a package of modules named
``m0001_<what>.py`` with ``upgrade(db)``. ``flask --app portal init-db`` runs
the ones not yet recorded in ``portal_migration``, each in its own
transaction, in order: it creates or upgrades, never drops data, and running
it twice changes nothing. Nothing runs at import.
"""

import importlib
import pkgutil

import peewee

from .db import database
from .models import utcnow


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
    for impl in pm.hook.register_migrations.get_hookimpls():
        result = impl.function()
        if result:
            slug, package = result
            if slug != impl.plugin_name:
                raise RuntimeError(f"plugin {impl.plugin_name}: migrations named {slug!r}")
            sources.append((slug, package))
    return [sources[0]] + sorted(sources[1:])


def pending(app_name, package):
    pkg = importlib.import_module(package)
    names = sorted(m.name for m in pkgutil.iter_modules(pkg.__path__) if m.name.startswith("m"))
    done = {m.name for m in Migration.select().where(Migration.app == app_name)}
    return [n for n in names if n not in done]


def upgrade(pm, log=print):
    """Apply every pending migration; return the number applied."""
    database.create_tables([Migration], safe=True)
    applied = 0
    for app_name, package in migration_sources(pm):
        for name in pending(app_name, package):
            module = importlib.import_module(f"{package}.{name}")
            with database.atomic():
                module.upgrade(database)
                Migration.create(app=app_name, name=name)
            log(f"migration {app_name}.{name} toegepast")
            applied += 1
    return applied
