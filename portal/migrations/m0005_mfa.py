"""The second factor for dossier roles: recovery codes, and TOTP secrets sealed.

- ``portal_recovery_code``: single-use codes to log in without the authenticator app.
- ``portal_user.totp_secret`` widened to 255 characters (a sealed secret is longer than
  the base32 one; on SQLite peewee rebuilds the table, which migrate.py runs with foreign
  keys off) and every secret stored in the clear sealed with the key derived from
  SECRET_KEY (portal/secretbox.py).
"""

import peewee
from playhouse.migrate import PostgresqlMigrator
from playhouse.migrate import SqliteMigrator
from playhouse.migrate import migrate

from portal.db import constant_sql
from portal.db import is_sqlite
from portal.secretbox import is_sealed
from portal.secretbox import seal

SQLITE = [
    'CREATE TABLE IF NOT EXISTS "portal_recovery_code" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "code_hash" VARCHAR(64) NOT NULL, "salt" VARCHAR(32) NOT NULL, '
    '"used_at" DATETIME, "created_at" DATETIME NOT NULL, FOREIGN KEY ("user_id") REFERENCES '
    '"portal_user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "portal_recovery_code_user_id" ON "portal_recovery_code" ("user_id")',
]
POSTGRES = [
    'CREATE TABLE IF NOT EXISTS "portal_recovery_code" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"user_id" INTEGER NOT NULL, "code_hash" VARCHAR(64) NOT NULL, "salt" VARCHAR(32) NOT NULL, '
    '"used_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("user_id") REFERENCES '
    '"portal_user" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "portal_recovery_code_user_id" ON "portal_recovery_code" ("user_id")',
]


def upgrade(db):
    for statement in SQLITE if is_sqlite() else POSTGRES:
        db.execute_sql(statement)
    migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
    migrate(
        migrator.alter_column_type("portal_user", "totp_secret", peewee.CharField(max_length=255, default=""))
    )
    rows = db.execute_sql('SELECT "id", "totp_secret" FROM "portal_user" WHERE "totp_secret" <> \'\'')
    for user_id, secret in list(rows):
        if not is_sealed(secret):
            db.execute_sql(
                constant_sql('UPDATE "portal_user" SET "totp_secret" = ? WHERE "id" = ?'),
                (seal(secret, "totp"), user_id),
            )
