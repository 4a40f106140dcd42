-- Cases started from other cases (portal_case_link, portal/cases/links.py), as peewee
-- writes the statements for the model (one statement per line).

CREATE TABLE IF NOT EXISTS "portal_case_link" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "follow_up_id" INTEGER NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("follow_up_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_link_case_id" ON "portal_case_link" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_link_follow_up_id" ON "portal_case_link" ("follow_up_id");
CREATE INDEX IF NOT EXISTS "portal_case_link_created_by_id" ON "portal_case_link" ("created_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_link_case_id_follow_up_id" ON "portal_case_link" ("case_id", "follow_up_id");
