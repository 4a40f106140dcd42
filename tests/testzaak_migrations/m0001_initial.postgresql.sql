-- The table of the test plugin "testzaak".
--
-- Written out as SQL, not made from today's models: a first migration must create
-- the tables as they were when it was written (c4d7b06), so that later migrations
-- find what they expect and an old database and a fresh one end with the same
-- schema. These are the statements peewee 4.5.3 generated for the models at that
-- commit, per dialect; IF NOT EXISTS makes a second run harmless.
-- (PostgreSQL; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "testzaak_extra" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "note" VARCHAR(255) NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "testzaak_extra_case_id" ON "testzaak_extra" ("case_id");
