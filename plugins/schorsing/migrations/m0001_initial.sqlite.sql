-- The first tables of the schorsing plugin.
--
-- Written out as SQL, not made from today's models: a first migration must create
-- the tables as they were when it was written (cb53c78), so that later migrations
-- find what they expect and an old database and a fresh one end with the same
-- schema. These are the statements peewee 4.5.3 generated for the models at that
-- commit, per dialect; IF NOT EXISTS makes a second run harmless.
-- (SQLite; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "schorsing_overleg" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "with_whom" VARCHAR(200) NOT NULL, "outcome" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "schorsing_overleg_case_id" ON "schorsing_overleg" ("case_id");
CREATE TABLE IF NOT EXISTS "schorsing_evaluatie" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "summary" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "schorsing_evaluatie_case_id" ON "schorsing_evaluatie" ("case_id");
CREATE TABLE IF NOT EXISTS "schorsing_verwijdering" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "pupil_name" VARCHAR(200) NOT NULL, "pupil_group" VARCHAR(40) NOT NULL, "grounds" TEXT NOT NULL, "incident_case_id" INTEGER, "intent_on" DATE, "intent_text" TEXT NOT NULL, "decided_on" DATE, "effective_on" DATE, "new_school" VARCHAR(200) NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("incident_case_id") REFERENCES "portal_case" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "schorsing_verwijdering_case_id" ON "schorsing_verwijdering" ("case_id");
CREATE INDEX IF NOT EXISTS "schorsing_verwijdering_incident_case_id" ON "schorsing_verwijdering" ("incident_case_id");
CREATE TABLE IF NOT EXISTS "schorsing_horen" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "party" VARCHAR(40) NOT NULL, "held_on" DATE NOT NULL, "summary" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "schorsing_horen_case_id" ON "schorsing_horen" ("case_id");
CREATE TABLE IF NOT EXISTS "schorsing_incident" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "pupil_name" VARCHAR(200) NOT NULL, "pupil_group" VARCHAR(40) NOT NULL, "occurred_on" DATE NOT NULL, "occurred_time" VARCHAR(5) NOT NULL, "place" VARCHAR(200) NOT NULL, "category" VARCHAR(40) NOT NULL, "category_other" VARCHAR(200) NOT NULL, "description" TEXT NOT NULL, "involved" TEXT NOT NULL, "immediate_action" TEXT NOT NULL, "reported_by_id" INTEGER, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("reported_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "schorsing_incident_case_id" ON "schorsing_incident" ("case_id");
CREATE INDEX IF NOT EXISTS "schorsing_incident_reported_by_id" ON "schorsing_incident" ("reported_by_id");
CREATE TABLE IF NOT EXISTS "schorsing_school_contact" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "school_name" VARCHAR(200) NOT NULL, "approached_on" DATE NOT NULL, "outcome" VARCHAR(20) NOT NULL, "special_education" INTEGER NOT NULL, "tlv_on" DATE, "tlv_reference" VARCHAR(100) NOT NULL, "note" TEXT NOT NULL, "created_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "schorsing_school_contact_case_id" ON "schorsing_school_contact" ("case_id");
CREATE TABLE IF NOT EXISTS "schorsing_besluit" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "decided_on" DATE NOT NULL, "first_day" DATE NOT NULL, "last_day" DATE NOT NULL, "days" INTEGER NOT NULL, "reason" TEXT NOT NULL, "schoolwork" TEXT NOT NULL, "meeting_on" DATE, "decided_by_id" INTEGER, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("decided_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "schorsing_besluit_case_id" ON "schorsing_besluit" ("case_id");
CREATE INDEX IF NOT EXISTS "schorsing_besluit_decided_by_id" ON "schorsing_besluit" ("decided_by_id");
