-- The allowed list and the permission requests.
--
-- Written out as SQL, not made from today's models: a first migration must create
-- the tables as they were when it was written (f791f99), so that later migrations
-- find what they expect and an old database and a fresh one end with the same
-- schema. These are the statements peewee 4.5.3 generated for the models at that
-- commit, per dialect; IF NOT EXISTS makes a second run harmless.
-- (SQLite; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "social_media_app" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "domain" VARCHAR(253) NOT NULL, "address" VARCHAR(500) NOT NULL, "purpose" VARCHAR(500) NOT NULL, "since" DATE NOT NULL, "approved_by" VARCHAR(200) NOT NULL, "source_case_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("source_case_id") REFERENCES "portal_case" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "social_media_app_school_id" ON "social_media_app" ("school_id");
CREATE INDEX IF NOT EXISTS "social_media_app_source_case_id" ON "social_media_app" ("source_case_id");
CREATE UNIQUE INDEX IF NOT EXISTS "social_media_app_school_id_domain" ON "social_media_app" ("school_id", "domain");
CREATE TABLE IF NOT EXISTS "social_media_request" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "requested_by_id" INTEGER, "name" VARCHAR(120) NOT NULL, "address" VARCHAR(500) NOT NULL, "domain" VARCHAR(253) NOT NULL, "groups" VARCHAR(40) NOT NULL, "purpose" TEXT NOT NULL, "kind" VARCHAR(20) NOT NULL, "start_date" DATE NOT NULL, "end_date" DATE, "decision" VARCHAR(20) NOT NULL, "decided_at" DATETIME, "decided_by" VARCHAR(200) NOT NULL, "reason" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("requested_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "social_media_request_case_id" ON "social_media_request" ("case_id");
CREATE INDEX IF NOT EXISTS "social_media_request_school_id" ON "social_media_request" ("school_id");
CREATE INDEX IF NOT EXISTS "social_media_request_requested_by_id" ON "social_media_request" ("requested_by_id");
CREATE INDEX IF NOT EXISTS "social_media_request_domain" ON "social_media_request" ("domain");
CREATE INDEX IF NOT EXISTS "social_media_request_school_id_decision_end_date" ON "social_media_request" ("school_id", "decision", "end_date");
