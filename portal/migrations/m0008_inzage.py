"""AVG inzage (art. 15) in the core, and mail queued before m0004 tied to its case.

- ``portal_inzage_request``: a request to see what the school holds about a pupil: who
  asked, when, the deadline and its extension, the decision and when the answer went out.
- ``portal_inzage_choice``: what staff chose for a request's export against the default (a
  case of a type left out by default that the directie included; a letter left out).
- ``portal_inzage_export``: each export produced, archived with its sha256 (a ZIP with the
  PDF and the letters), versioned like a case's letters.

The statements are the ones peewee 4.5.3 wrote for the models when this was written, per
dialect; IF NOT EXISTS makes a second run harmless.

Mail queued before m0004 has no ``case_id``, so the purge of its case left it behind with a
parent's address in it. Every subject the portal wrote names the case's reference; such a
row is tied to the case of its school with that reference (only where exactly one reference
is named and the case is still there), so that the case's purge takes it along.
"""

import re

from portal.db import constant_sql
from portal.db import is_sqlite

TABLES = {
    "sqlite": [
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_request" ("id" INTEGER NOT NULL PRIMARY KEY, '
            '"school_id" INTEGER NOT NULL, "pupil_id" INTEGER NOT NULL, "requester_name" VARCHAR(200) NOT '
            'NULL, "relation" VARCHAR(30) NOT NULL, "received_on" DATE NOT NULL, "deadline" DATE NOT NULL, '
            '"extended_months" INTEGER NOT NULL, "extension_reason" TEXT NOT NULL, "extended_on" DATE, '
            '"decision" VARCHAR(20) NOT NULL, "decision_reason" TEXT NOT NULL, "decided_on" DATE, '
            '"decided_by_id" INTEGER, "sent_on" DATE, "created_by_id" INTEGER, "created_at" DATETIME NOT '
            'NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY'
            ' ("pupil_id") REFERENCES "portal_pupil" ("id") ON DELETE CASCADE, FOREIGN KEY ("decided_by_id") '
            'REFERENCES "portal_user" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES '
            '"portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_school_id" ON "portal_inzage_request" '
            '("school_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_pupil_id" ON "portal_inzage_request" '
            '("pupil_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_decided_by_id" ON "portal_inzage_request" '
            '("decided_by_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_created_by_id" ON "portal_inzage_request" '
            '("created_by_id")'
        ),
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_choice" ("id" INTEGER NOT NULL PRIMARY KEY, '
            '"request_id" INTEGER NOT NULL, "case_id" INTEGER NOT NULL, "document_id" INTEGER, "included" '
            'INTEGER NOT NULL, "chosen_by_id" INTEGER, "chosen_at" DATETIME NOT NULL, FOREIGN KEY '
            '("request_id") REFERENCES "portal_inzage_request" ("id") ON DELETE CASCADE, FOREIGN KEY '
            '("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("document_id") '
            'REFERENCES "portal_case_document" ("id") ON DELETE CASCADE, FOREIGN KEY ("chosen_by_id") '
            'REFERENCES "portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_request_id" ON "portal_inzage_choice" '
            '("request_id")'
        ),
        ('CREATE INDEX IF NOT EXISTS "portal_inzage_choice_case_id" ON "portal_inzage_choice" ("case_id")'),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_document_id" ON "portal_inzage_choice" '
            '("document_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_chosen_by_id" ON "portal_inzage_choice" '
            '("chosen_by_id")'
        ),
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_export" ("id" INTEGER NOT NULL PRIMARY KEY, '
            '"request_id" INTEGER NOT NULL, "version" INTEGER NOT NULL, "filename" VARCHAR(200) NOT NULL, '
            '"content" BLOB NOT NULL, "sha256" VARCHAR(64) NOT NULL, "pdf_sha256" VARCHAR(64) NOT NULL, '
            '"created_by_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("request_id") REFERENCES '
            '"portal_inzage_request" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES '
            '"portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_export_request_id" ON "portal_inzage_export" '
            '("request_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_export_created_by_id" ON "portal_inzage_export" '
            '("created_by_id")'
        ),
        (
            'CREATE UNIQUE INDEX IF NOT EXISTS "portal_inzage_export_request_id_version" ON '
            '"portal_inzage_export" ("request_id", "version")'
        ),
    ],
    "postgresql": [
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_request" ("id" SERIAL NOT NULL PRIMARY KEY, '
            '"school_id" INTEGER NOT NULL, "pupil_id" INTEGER NOT NULL, "requester_name" VARCHAR(200) NOT '
            'NULL, "relation" VARCHAR(30) NOT NULL, "received_on" DATE NOT NULL, "deadline" DATE NOT NULL, '
            '"extended_months" INTEGER NOT NULL, "extension_reason" TEXT NOT NULL, "extended_on" DATE, '
            '"decision" VARCHAR(20) NOT NULL, "decision_reason" TEXT NOT NULL, "decided_on" DATE, '
            '"decided_by_id" INTEGER, "sent_on" DATE, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT '
            'NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY'
            ' ("pupil_id") REFERENCES "portal_pupil" ("id") ON DELETE CASCADE, FOREIGN KEY ("decided_by_id") '
            'REFERENCES "portal_user" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES '
            '"portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_school_id" ON "portal_inzage_request" '
            '("school_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_pupil_id" ON "portal_inzage_request" '
            '("pupil_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_decided_by_id" ON "portal_inzage_request" '
            '("decided_by_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_request_created_by_id" ON "portal_inzage_request" '
            '("created_by_id")'
        ),
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_choice" ("id" SERIAL NOT NULL PRIMARY KEY, '
            '"request_id" INTEGER NOT NULL, "case_id" INTEGER NOT NULL, "document_id" INTEGER, "included" '
            'BOOLEAN NOT NULL, "chosen_by_id" INTEGER, "chosen_at" TIMESTAMP NOT NULL, FOREIGN KEY '
            '("request_id") REFERENCES "portal_inzage_request" ("id") ON DELETE CASCADE, FOREIGN KEY '
            '("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("document_id") '
            'REFERENCES "portal_case_document" ("id") ON DELETE CASCADE, FOREIGN KEY ("chosen_by_id") '
            'REFERENCES "portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_request_id" ON "portal_inzage_choice" '
            '("request_id")'
        ),
        ('CREATE INDEX IF NOT EXISTS "portal_inzage_choice_case_id" ON "portal_inzage_choice" ("case_id")'),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_document_id" ON "portal_inzage_choice" '
            '("document_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_choice_chosen_by_id" ON "portal_inzage_choice" '
            '("chosen_by_id")'
        ),
        (
            'CREATE TABLE IF NOT EXISTS "portal_inzage_export" ("id" SERIAL NOT NULL PRIMARY KEY, '
            '"request_id" INTEGER NOT NULL, "version" INTEGER NOT NULL, "filename" VARCHAR(200) NOT NULL, '
            '"content" BYTEA NOT NULL, "sha256" VARCHAR(64) NOT NULL, "pdf_sha256" VARCHAR(64) NOT NULL, '
            '"created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("request_id") REFERENCES '
            '"portal_inzage_request" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES '
            '"portal_user" ("id") ON DELETE SET NULL)'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_export_request_id" ON "portal_inzage_export" '
            '("request_id")'
        ),
        (
            'CREATE INDEX IF NOT EXISTS "portal_inzage_export_created_by_id" ON "portal_inzage_export" '
            '("created_by_id")'
        ),
        (
            'CREATE UNIQUE INDEX IF NOT EXISTS "portal_inzage_export_request_id_version" ON '
            '"portal_inzage_export" ("request_id", "version")'
        ),
    ],
}

REFERENCE = re.compile(r"\b[A-Z]{1,10}-\d{4}-\d{4,}\b")
CASE_OF = (
    'SELECT c."id" FROM "portal_case" AS c JOIN "portal_school" AS s ON s."id" = c."school_id" '
    'WHERE s."slug" = ? AND c."reference" = ?'
)


def link_old_mail(db):
    """Tie mail without a case to the case its subject names; return how many rows were tied."""
    rows = db.execute_sql(
        'SELECT "id", "school", "subject" FROM "portal_outbox" WHERE "case_id" IS NULL'
    ).fetchall()
    linked = 0
    for row_id, school, subject in rows:
        named = set(REFERENCE.findall(subject or ""))
        if len(named) != 1:
            continue
        found = db.execute_sql(constant_sql(CASE_OF), (school, named.pop())).fetchone()
        if found is not None:
            db.execute_sql(
                constant_sql('UPDATE "portal_outbox" SET "case_id" = ? WHERE "id" = ? AND "case_id" IS NULL'),
                (found[0], row_id),
            )
            linked += 1
    return linked


def upgrade(db):
    for statement in TABLES["sqlite" if is_sqlite() else "postgresql"]:
        db.execute_sql(statement)
    link_old_mail(db)
