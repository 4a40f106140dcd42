-- The trauma tables: event details, partners, engagements and the step plan.
--
-- Written out as SQL, not made from today's models: a first migration must create
-- the tables as they were when it was written (f47e48e), so that later migrations
-- find what they expect and an old database and a fresh one end with the same
-- schema. These are the statements peewee 4.5.3 generated for the models at that
-- commit, per dialect; IF NOT EXISTS makes a second run harmless.
-- (PostgreSQL; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "trauma_partner" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "organisation" VARCHAR(200) NOT NULL, "kind" VARCHAR(40) NOT NULL, "contact_person" VARCHAR(200) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "notes" TEXT NOT NULL, "active" BOOLEAN NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "trauma_partner_school_id" ON "trauma_partner" ("school_id");
CREATE TABLE IF NOT EXISTS "trauma_engagement" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "partner_id" INTEGER, "organisation" VARCHAR(200) NOT NULL, "contacted_on" DATE NOT NULL, "agreement" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("partner_id") REFERENCES "trauma_partner" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "trauma_engagement_case_id" ON "trauma_engagement" ("case_id");
CREATE INDEX IF NOT EXISTS "trauma_engagement_partner_id" ON "trauma_engagement" ("partner_id");
CREATE INDEX IF NOT EXISTS "trauma_engagement_created_by_id" ON "trauma_engagement" ("created_by_id");
CREATE TABLE IF NOT EXISTS "trauma_event" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "kind" VARCHAR(40) NOT NULL, "occurred_on" DATE NOT NULL, "scope" VARCHAR(20) NOT NULL, "group_name" VARCHAR(200) NOT NULL, "pupils" TEXT NOT NULL, "reported_by" VARCHAR(300) NOT NULL, "description" TEXT NOT NULL, "handled_by" VARCHAR(20) NOT NULL, "ib_involved" BOOLEAN NOT NULL, "parent_info" TEXT NOT NULL, "went_well" TEXT NOT NULL, "to_improve" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "trauma_event_case_id" ON "trauma_event" ("case_id");
CREATE TABLE IF NOT EXISTS "trauma_step" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "key" VARCHAR(40) NOT NULL, "label" VARCHAR(300) NOT NULL, "due_days" INTEGER, "required" BOOLEAN NOT NULL, "position" INTEGER NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "trauma_step_school_id" ON "trauma_step" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "trauma_step_school_id_key" ON "trauma_step" ("school_id", "key");
