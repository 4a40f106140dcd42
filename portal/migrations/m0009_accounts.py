"""Accounts without the shell, and single sign-on (issue "What staff expect of a product").

- ``portal_school``: ``postcode``, ``city`` and ``website`` for the letterhead, and
  ``archived_at`` (an archived school opens to nobody; its data stays until retention).
  On SQLite peewee rebuilds the table for the NOT NULL columns, which migrate.py runs
  with foreign keys off.
- ``portal_password_token``: links to set a password (forgotten password, new account),
  stored only as hashes.
- ``portal_sso_config`` and ``portal_sso_request``: the board's OpenID Connect settings
  and the sign-ins sent to the identity provider (state, nonce, PKCE verifier).

The CREATE statements are the ones peewee 4.5.3 wrote for the models when this was
written, per dialect; IF NOT EXISTS makes a second run harmless.
"""

import peewee
from playhouse.migrate import PostgresqlMigrator
from playhouse.migrate import SqliteMigrator
from playhouse.migrate import migrate

from portal.db import is_sqlite

TABLES = {
    "sqlite": [
        'CREATE TABLE IF NOT EXISTS "portal_password_token" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"user_id" INTEGER NOT NULL, "purpose" VARCHAR(20) NOT NULL, "token_hash" VARCHAR(64) NOT '
        'NULL, "created_at" DATETIME NOT NULL, "expires_at" DATETIME NOT NULL, "used_at" '
        'DATETIME, "outbox_id" INTEGER, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") '
        'ON DELETE CASCADE, FOREIGN KEY ("outbox_id") REFERENCES "portal_outbox" ("id") ON DELETE '
        "SET NULL)",
        'CREATE INDEX IF NOT EXISTS "portal_password_token_user_id" ON "portal_password_token" ("user_id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS "portal_password_token_token_hash" ON '
        '"portal_password_token" ("token_hash")',
        'CREATE INDEX IF NOT EXISTS "portal_password_token_outbox_id" ON "portal_password_token" '
        '("outbox_id")',
        'CREATE TABLE IF NOT EXISTS "portal_sso_config" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"enabled" INTEGER NOT NULL, "issuer" VARCHAR(500) NOT NULL, "client_id" VARCHAR(300) NOT '
        'NULL, "client_secret" VARCHAR(1000) NOT NULL, "domains" TEXT NOT NULL, "passwords_off" '
        'INTEGER NOT NULL, "mfa_acr_values" VARCHAR(500) NOT NULL, "button_label" VARCHAR(100) '
        'NOT NULL, "break_glass_id" INTEGER, "updated_at" DATETIME NOT NULL, "updated_by_id" '
        'INTEGER, FOREIGN KEY ("break_glass_id") REFERENCES "portal_user" ("id") ON DELETE SET '
        'NULL, FOREIGN KEY ("updated_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL)',
        'CREATE INDEX IF NOT EXISTS "portal_sso_config_break_glass_id" ON "portal_sso_config" '
        '("break_glass_id")',
        'CREATE INDEX IF NOT EXISTS "portal_sso_config_updated_by_id" ON "portal_sso_config" '
        '("updated_by_id")',
        'CREATE TABLE IF NOT EXISTS "portal_sso_request" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"state_hash" VARCHAR(64) NOT NULL, "nonce" VARCHAR(100) NOT NULL, "verifier" '
        'VARCHAR(300) NOT NULL, "next_url" VARCHAR(500) NOT NULL, "created_at" DATETIME NOT NULL, '
        '"used_at" DATETIME)',
        'CREATE UNIQUE INDEX IF NOT EXISTS "portal_sso_request_state_hash" ON '
        '"portal_sso_request" ("state_hash")',
        'CREATE INDEX IF NOT EXISTS "portal_sso_request_created_at" ON "portal_sso_request" ("created_at")',
    ],
    "postgresql": [
        'CREATE TABLE IF NOT EXISTS "portal_password_token" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"user_id" INTEGER NOT NULL, "purpose" VARCHAR(20) NOT NULL, "token_hash" VARCHAR(64) NOT '
        'NULL, "created_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "used_at" '
        'TIMESTAMP, "outbox_id" INTEGER, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") '
        'ON DELETE CASCADE, FOREIGN KEY ("outbox_id") REFERENCES "portal_outbox" ("id") ON DELETE '
        "SET NULL)",
        'CREATE INDEX IF NOT EXISTS "portal_password_token_user_id" ON "portal_password_token" ("user_id")',
        'CREATE UNIQUE INDEX IF NOT EXISTS "portal_password_token_token_hash" ON '
        '"portal_password_token" ("token_hash")',
        'CREATE INDEX IF NOT EXISTS "portal_password_token_outbox_id" ON "portal_password_token" '
        '("outbox_id")',
        'CREATE TABLE IF NOT EXISTS "portal_sso_config" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"enabled" BOOLEAN NOT NULL, "issuer" VARCHAR(500) NOT NULL, "client_id" VARCHAR(300) NOT '
        'NULL, "client_secret" VARCHAR(1000) NOT NULL, "domains" TEXT NOT NULL, "passwords_off" '
        'BOOLEAN NOT NULL, "mfa_acr_values" VARCHAR(500) NOT NULL, "button_label" VARCHAR(100) '
        'NOT NULL, "break_glass_id" INTEGER, "updated_at" TIMESTAMP NOT NULL, "updated_by_id" '
        'INTEGER, FOREIGN KEY ("break_glass_id") REFERENCES "portal_user" ("id") ON DELETE SET '
        'NULL, FOREIGN KEY ("updated_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL)',
        'CREATE INDEX IF NOT EXISTS "portal_sso_config_break_glass_id" ON "portal_sso_config" '
        '("break_glass_id")',
        'CREATE INDEX IF NOT EXISTS "portal_sso_config_updated_by_id" ON "portal_sso_config" '
        '("updated_by_id")',
        'CREATE TABLE IF NOT EXISTS "portal_sso_request" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"state_hash" VARCHAR(64) NOT NULL, "nonce" VARCHAR(100) NOT NULL, "verifier" '
        'VARCHAR(300) NOT NULL, "next_url" VARCHAR(500) NOT NULL, "created_at" TIMESTAMP NOT '
        'NULL, "used_at" TIMESTAMP)',
        'CREATE UNIQUE INDEX IF NOT EXISTS "portal_sso_request_state_hash" ON '
        '"portal_sso_request" ("state_hash")',
        'CREATE INDEX IF NOT EXISTS "portal_sso_request_created_at" ON "portal_sso_request" ("created_at")',
    ],
}

SCHOOL_COLUMNS = [
    ("postcode", peewee.CharField(max_length=7, default="")),
    ("city", peewee.CharField(max_length=100, default="")),
    ("website", peewee.CharField(max_length=500, default="")),
    ("archived_at", peewee.DateTimeField(null=True)),
]


def upgrade(db):
    have = {c.name for c in db.get_columns("portal_school")}
    migrator = SqliteMigrator(db) if is_sqlite() else PostgresqlMigrator(db)
    ops = [
        migrator.add_column("portal_school", name, field)
        for name, field in SCHOOL_COLUMNS
        if name not in have
    ]
    if ops:
        migrate(*ops)
    for statement in TABLES["sqlite" if is_sqlite() else "postgresql"]:
        db.execute_sql(statement)
