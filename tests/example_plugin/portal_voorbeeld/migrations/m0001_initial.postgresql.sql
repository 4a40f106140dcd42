-- The first tables of the plugin voorbeeld, as they were when it was written.
-- (PostgreSQL; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "voorbeeld_melding" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "place" VARCHAR(20) NOT NULL, "what" TEXT NOT NULL, "urgent" BOOLEAN NOT NULL, "fixer" VARCHAR(200) NOT NULL, "fixed_on" DATE, "done" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "voorbeeld_melding_case_id" ON "voorbeeld_melding" ("case_id");
