"""The outbox as a work queue: a worker's claim, mail given up on, the case it belongs to.

``claim_token`` and ``claimed_until`` let a worker claim rows before it sends them
(two workers never send the same row; a worker that died gives its rows back when
its lease ends), ``failed_at`` marks mail given up after OUTBOX_MAX_ATTEMPTS (the
beheerder's "mislukt" list), and ``case_id`` removes a case's mail, with the
parent's address in it, when the case is purged.

Only nullable columns: SQLite's ALTER TABLE ADD COLUMN adds those without rebuilding
the table, and on PostgreSQL they cost no rewrite either. A column that is already
there is skipped (a database made from this version's models has them all) and every
index is created IF NOT EXISTS, so this runs on a fresh and on an old database alike.

Mail queued before mail.queue() cleaned header values may hold CR/LF in its subject
(a case title typed with a line break); the standard library refuses to send it, so
it would fail at every attempt. Such unsent rows are cleaned here, with the rule
queue() applies from now on (copied, so that this migration keeps doing what it did).
"""

import re

from portal.db import constant_sql
from portal.db import is_sqlite

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _header_value(text):
    return " ".join(_CONTROL.sub(" ", text).split())


def _address(text):
    return _CONTROL.sub("", _LINE_BREAK.split(text, maxsplit=1)[0]).strip()


def upgrade(db):
    timestamp = "DATETIME" if is_sqlite() else "TIMESTAMP"
    columns = {c.name for c in db.get_columns("portal_outbox")}
    wanted = [
        ("claim_token", "VARCHAR(64)"),
        ("claimed_until", timestamp),
        ("failed_at", timestamp),
        ("case_id", 'INTEGER REFERENCES "portal_case" ("id") ON DELETE CASCADE'),
    ]
    for name, definition in wanted:
        if name not in columns:
            db.execute_sql(f'ALTER TABLE "portal_outbox" ADD COLUMN "{name}" {definition}')
    # The claim query and mail.backlog() read only mail still to send: a small index
    # however many sent rows the table keeps.
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "portal_outbox_pending" ON "portal_outbox" '
        '("next_attempt_at", "id") WHERE "sent_at" IS NULL AND "failed_at" IS NULL'
    )
    # The beheerder's "mislukt" list of one school, and the failed count for monitoring.
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "portal_outbox_failed" ON "portal_outbox" '
        '("school", "id") WHERE "failed_at" IS NOT NULL'
    )
    # Deleting a case looks up its mail through this index (ON DELETE CASCADE); the
    # name is the one peewee gives the foreign key's index on a fresh database.
    db.execute_sql('CREATE INDEX IF NOT EXISTS "portal_outbox_case_id" ON "portal_outbox" ("case_id")')
    unsent = db.execute_sql(
        'SELECT "id", "to", "subject" FROM "portal_outbox" WHERE "sent_at" IS NULL'
    ).fetchall()
    for row_id, to, subject in unsent:
        clean = (_address(to), _header_value(subject))
        if clean != (to, subject):
            db.execute_sql(
                constant_sql('UPDATE "portal_outbox" SET "to" = ?, "subject" = ? WHERE "id" = ?'),
                (*clean, row_id),
            )
