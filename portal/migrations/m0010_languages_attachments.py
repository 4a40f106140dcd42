"""Parents in their own language, with attachments (portal/i18n.py, portal/attachments.py).

- ``portal_case.language``: the language a parent submitted in (NULL: Dutch).
- ``portal_case_event.form_token_hash``: the one-time token of the form that posted a
  message, unique, so that a message sent twice (a reload) is stored once.
- ``portal_attachment``: files sent with a case (the bytes live in the attachment folder).

Only nullable columns, added when missing (SQLite adds those without rebuilding a table),
and every statement IF NOT EXISTS: this runs on a fresh and on an old database alike. The
statements are the ones peewee 4.5.3 writes for the models, per dialect.
"""

from portal.db import is_sqlite

ATTACHMENT_TABLE = {
    "sqlite": 'CREATE TABLE IF NOT EXISTS "portal_attachment" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"case_id" INTEGER NOT NULL, "event_id" INTEGER, "stored_name" VARCHAR(64) NOT NULL, '
    '"filename" VARCHAR(200) NOT NULL, "mime_type" VARCHAR(60) NOT NULL, "size" INTEGER NOT NULL, '
    '"sha256" VARCHAR(64) NOT NULL, "from_submitter" INTEGER NOT NULL, "uploaded_by_id" INTEGER, '
    '"created_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") '
    'ON DELETE CASCADE, FOREIGN KEY ("event_id") REFERENCES "portal_case_event" ("id") ON DELETE '
    'CASCADE, FOREIGN KEY ("uploaded_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL)',
    "postgresql": 'CREATE TABLE IF NOT EXISTS "portal_attachment" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"case_id" INTEGER NOT NULL, "event_id" INTEGER, "stored_name" VARCHAR(64) NOT NULL, '
    '"filename" VARCHAR(200) NOT NULL, "mime_type" VARCHAR(60) NOT NULL, "size" INTEGER NOT NULL, '
    '"sha256" VARCHAR(64) NOT NULL, "from_submitter" BOOLEAN NOT NULL, "uploaded_by_id" INTEGER, '
    '"created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") '
    'ON DELETE CASCADE, FOREIGN KEY ("event_id") REFERENCES "portal_case_event" ("id") ON DELETE '
    'CASCADE, FOREIGN KEY ("uploaded_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL)',
}
INDEXES = [
    'CREATE INDEX IF NOT EXISTS "portal_attachment_case_id" ON "portal_attachment" ("case_id")',
    'CREATE INDEX IF NOT EXISTS "portal_attachment_event_id" ON "portal_attachment" ("event_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "portal_attachment_stored_name" ON "portal_attachment" '
    '("stored_name")',
    'CREATE INDEX IF NOT EXISTS "portal_attachment_uploaded_by_id" ON "portal_attachment" ("uploaded_by_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_event_form_token_hash" ON "portal_case_event" '
    '("form_token_hash")',
]


def _add_column(db, table, name, definition):
    if name not in {c.name for c in db.get_columns(table)}:
        db.execute_sql(f'ALTER TABLE "{table}" ADD COLUMN "{name}" {definition}')


def upgrade(db):
    _add_column(db, "portal_case", "language", "VARCHAR(8)")
    _add_column(db, "portal_case_event", "form_token_hash", "VARCHAR(64)")
    db.execute_sql(ATTACHMENT_TABLE["sqlite" if is_sqlite() else "postgresql"])
    for statement in INDEXES:
        db.execute_sql(statement)
