"""Finding cases, the "Te doen" page and deadline reminders (portal/search.py,
portal/notifications.py, portal/reminders.py).

- ``portal_case_search``: the search index, one row per case. SQLite: an FTS5 table (rowid =
  the case's id) whose tokenizer folds accents; a trigger removes a case's row with the case
  (a virtual table has no foreign keys). PostgreSQL: the texts as tsvectors of the Dutch
  configuration, a GIN index on the two together, the row going with its case (ON DELETE
  CASCADE). On both, triggers keep ``names`` (the linked pupils' names) when a pupil is
  linked, taken off or renamed. Filled here for every existing case.
- ``portal_notification_seen``: when a user last opened "Te doen" at a school.
- ``portal_deadline_reminder``: the reminders queued, one per deadline and due date.
- Two indexes on ``portal_case`` for the bestuur's overview: open cases per school and type
  (partial), and cases per school by creation (this school year's counts); for "Te doen"
  the open cases per assignee (partial) and the events by kind and time.

Every statement IF NOT EXISTS (or replaces what it makes): a second run changes nothing.
The CREATE TABLE statements are the ones peewee 4.5.3 writes for the models, per dialect.
"""

from portal.db import is_sqlite

NAMES = (
    '(SELECT COALESCE({agg}(COALESCE(p."search", cp."name"), \' \'), \'\') FROM "portal_case_pupil" AS cp '
    'LEFT OUTER JOIN "portal_pupil" AS p ON p."id" = cp."pupil_id" WHERE cp."case_id" = {case})'
)


def _sql(template, agg, case):
    """``template`` with the names of the pupils linked to case ``case`` put in for {names}."""
    return template.replace("{names}", NAMES.replace("{agg}", agg).replace("{case}", case))


SQLITE_SEARCH = [
    'CREATE VIRTUAL TABLE IF NOT EXISTS "portal_case_search" USING fts5('
    '"body", "names", tokenize = \'unicode61 remove_diacritics 2\')',
    'CREATE TRIGGER IF NOT EXISTS "portal_case_search_gone" AFTER DELETE ON "portal_case" '
    'BEGIN DELETE FROM "portal_case_search" WHERE "rowid" = OLD."id"; END',
    _sql(
        'CREATE TRIGGER IF NOT EXISTS "portal_case_pupil_search_insert" AFTER INSERT ON "portal_case_pupil" '
        'BEGIN UPDATE "portal_case_search" SET "names" = {names} WHERE "rowid" = NEW."case_id"; END',
        "group_concat",
        'NEW."case_id"',
    ),
    _sql(
        'CREATE TRIGGER IF NOT EXISTS "portal_case_pupil_search_update" AFTER UPDATE ON "portal_case_pupil" '
        'BEGIN UPDATE "portal_case_search" SET "names" = {names} '
        'WHERE "rowid" IN (OLD."case_id", NEW."case_id"); END',
        "group_concat",
        '"portal_case_search"."rowid"',
    ),
    _sql(
        'CREATE TRIGGER IF NOT EXISTS "portal_case_pupil_search_delete" AFTER DELETE ON "portal_case_pupil" '
        'BEGIN UPDATE "portal_case_search" SET "names" = {names} WHERE "rowid" = OLD."case_id"; END',
        "group_concat",
        'OLD."case_id"',
    ),
    _sql(
        'CREATE TRIGGER IF NOT EXISTS "portal_pupil_search_names" AFTER UPDATE OF "search" ON "portal_pupil" '
        'BEGIN UPDATE "portal_case_search" SET "names" = {names} '
        'WHERE "rowid" IN (SELECT "case_id" FROM "portal_case_pupil" WHERE "pupil_id" = NEW."id"); END',
        "group_concat",
        '"portal_case_search"."rowid"',
    ),
]

POSTGRES_SEARCH = [
    'CREATE TABLE IF NOT EXISTS "portal_case_search" ("case_id" INTEGER NOT NULL PRIMARY KEY, '
    '"body" TSVECTOR NOT NULL, "names" TSVECTOR NOT NULL, FOREIGN KEY ("case_id") '
    'REFERENCES "portal_case" ("id") ON DELETE CASCADE)',
    'CREATE INDEX IF NOT EXISTS "portal_case_search_words" ON "portal_case_search" USING GIN '
    '(("body" || "names"))',
    _sql(
        "CREATE OR REPLACE FUNCTION portal_case_search_names(case_ids INTEGER[]) RETURNS void "
        'LANGUAGE sql AS $fn$ UPDATE "portal_case_search" SET "names" = to_tsvector(\'dutch\', {names}) '
        'WHERE "case_id" = ANY (case_ids) $fn$',
        "string_agg",
        '"portal_case_search"."case_id"',
    ),
    "CREATE OR REPLACE FUNCTION portal_case_pupil_search() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
    "BEGIN "
    "IF TG_OP = 'DELETE' THEN PERFORM portal_case_search_names(ARRAY[OLD.case_id]); RETURN OLD; END IF; "
    "IF TG_OP = 'UPDATE' THEN PERFORM portal_case_search_names(ARRAY[OLD.case_id, NEW.case_id]); "
    "ELSE PERFORM portal_case_search_names(ARRAY[NEW.case_id]); END IF; "
    "RETURN NEW; END $fn$",
    "CREATE OR REPLACE FUNCTION portal_pupil_search() RETURNS trigger LANGUAGE plpgsql AS $fn$ "
    'BEGIN PERFORM portal_case_search_names(ARRAY(SELECT "case_id" FROM "portal_case_pupil" '
    'WHERE "pupil_id" = NEW.id)); RETURN NEW; END $fn$',
    'DROP TRIGGER IF EXISTS "portal_case_pupil_search" ON "portal_case_pupil"',
    'CREATE TRIGGER "portal_case_pupil_search" AFTER INSERT OR UPDATE OR DELETE ON "portal_case_pupil" '
    "FOR EACH ROW EXECUTE FUNCTION portal_case_pupil_search()",
    'DROP TRIGGER IF EXISTS "portal_pupil_search_names" ON "portal_pupil"',
    'CREATE TRIGGER "portal_pupil_search_names" AFTER UPDATE OF "search" ON "portal_pupil" '
    'FOR EACH ROW WHEN (OLD."search" IS DISTINCT FROM NEW."search") EXECUTE FUNCTION portal_pupil_search()',
]

TABLES = {
    "sqlite": [
        'CREATE TABLE IF NOT EXISTS "portal_notification_seen" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"user_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "seen_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE)',
        'CREATE TABLE IF NOT EXISTS "portal_deadline_reminder" ("id" INTEGER NOT NULL PRIMARY KEY, '
        '"deadline_id" INTEGER NOT NULL, "due_date" DATE NOT NULL, "sent_at" DATETIME NOT NULL, '
        'FOREIGN KEY ("deadline_id") REFERENCES "portal_case_deadline" ("id") ON DELETE CASCADE)',
    ],
    "postgresql": [
        'CREATE TABLE IF NOT EXISTS "portal_notification_seen" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"user_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "seen_at" TIMESTAMP NOT NULL, '
        'FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE CASCADE, '
        'FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE)',
        'CREATE TABLE IF NOT EXISTS "portal_deadline_reminder" ("id" SERIAL NOT NULL PRIMARY KEY, '
        '"deadline_id" INTEGER NOT NULL, "due_date" DATE NOT NULL, "sent_at" TIMESTAMP NOT NULL, '
        'FOREIGN KEY ("deadline_id") REFERENCES "portal_case_deadline" ("id") ON DELETE CASCADE)',
    ],
}

INDEXES = [
    'CREATE INDEX IF NOT EXISTS "portal_notification_seen_user_id" ON "portal_notification_seen" ("user_id")',
    'CREATE INDEX IF NOT EXISTS "portal_notification_seen_school_id" ON "portal_notification_seen" '
    '("school_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "portal_notification_seen_user_id_school_id" '
    'ON "portal_notification_seen" ("user_id", "school_id")',
    'CREATE INDEX IF NOT EXISTS "portal_deadline_reminder_deadline_id" ON "portal_deadline_reminder" '
    '("deadline_id")',
    'CREATE UNIQUE INDEX IF NOT EXISTS "portal_deadline_reminder_deadline_id_due_date" '
    'ON "portal_deadline_reminder" '
    '("deadline_id", "due_date")',
    'CREATE INDEX IF NOT EXISTS "portal_case_school_id_created_at" ON "portal_case" '
    '("school_id", "created_at")',
    'CREATE INDEX IF NOT EXISTS "portal_case_open" ON "portal_case" ("school_id", "case_type") '
    'WHERE "closed_at" IS NULL',
    # "Te doen": the user's open cases, and the recent events of a kind.
    'CREATE INDEX IF NOT EXISTS "portal_case_assignee_open" ON "portal_case" ("assignee_id", "school_id") '
    'WHERE "closed_at" IS NULL',
    'CREATE INDEX IF NOT EXISTS "portal_case_event_kind_at" ON "portal_case_event" ("kind", "at")',
]


def upgrade(db):
    from portal import search

    dialect = "sqlite" if is_sqlite() else "postgresql"
    for statement in [*TABLES[dialect], *INDEXES, *(SQLITE_SEARCH if is_sqlite() else POSTGRES_SEARCH)]:
        db.execute_sql(statement)
    search.rebuild()
