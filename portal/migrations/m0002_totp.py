"""Second factor: a TOTP secret per user and the last time step used (no code twice)."""

import peewee
from playhouse.migrate import PostgresqlMigrator
from playhouse.migrate import SqliteMigrator
from playhouse.migrate import migrate

from portal.db import is_sqlite


def upgrade(db):
    columns = {c.name for c in db.get_columns("portal_user")}
    migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
    ops = []
    if "totp_secret" not in columns:
        ops.append(
            migrator.add_column("portal_user", "totp_secret", peewee.CharField(max_length=64, default=""))
        )
    if "totp_last_step" not in columns:
        ops.append(migrator.add_column("portal_user", "totp_last_step", peewee.BigIntegerField(default=0)))
    if ops:
        migrate(*ops)
