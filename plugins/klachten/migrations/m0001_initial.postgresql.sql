-- The complaint details and the conversations on the complaint route.
--
-- Written out as SQL, not made from today's models: a first migration must create
-- the tables as they were when it was written (ea7f12b), so that later migrations
-- find what they expect and an old database and a fresh one end with the same
-- schema. These are the statements peewee 4.5.3 generated for the models at that
-- commit, per dialect; IF NOT EXISTS makes a second run harmless.
-- (PostgreSQL; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "klachten_gesprek" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "kind" VARCHAR(40) NOT NULL, "held_on" DATE NOT NULL, "with_whom" VARCHAR(200) NOT NULL, "outcome" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "klachten_gesprek_case_id" ON "klachten_gesprek" ("case_id");
CREATE INDEX IF NOT EXISTS "klachten_gesprek_created_by_id" ON "klachten_gesprek" ("created_by_id");
CREATE TABLE IF NOT EXISTS "klachten_klacht" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "category" VARCHAR(40) NOT NULL, "pupil_name" VARCHAR(200) NOT NULL, "pupil_group" VARCHAR(40) NOT NULL, "what_happened" TEXT NOT NULL, "happened_when" VARCHAR(200) NOT NULL, "tried_teacher" BOOLEAN NOT NULL, "tried_directie" BOOLEAN NOT NULL, "tried_other" TEXT NOT NULL, "hoped_for" TEXT NOT NULL, "contact_name" VARCHAR(200) NOT NULL, "contact_email" VARCHAR(254) NOT NULL, "contact_phone" VARCHAR(40) NOT NULL, "staff_named" VARCHAR(200) NOT NULL, "staff_user_id" INTEGER, "sexual_by_staff" BOOLEAN NOT NULL, "acknowledged_at" TIMESTAMP, "referral_to" VARCHAR(40) NOT NULL, "referral_consent_on" DATE, "referral_summary" TEXT NOT NULL, "outcome" VARCHAR(40) NOT NULL, "closing_summary" TEXT NOT NULL, "form_token_hash" VARCHAR(64), FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("staff_user_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "klachten_klacht_case_id" ON "klachten_klacht" ("case_id");
CREATE INDEX IF NOT EXISTS "klachten_klacht_staff_user_id" ON "klachten_klacht" ("staff_user_id");
CREATE UNIQUE INDEX IF NOT EXISTS "klachten_klacht_form_token_hash" ON "klachten_klacht" ("form_token_hash");
