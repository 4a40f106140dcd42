-- The pupil register (portal_pupil, portal_pupil_group), the pupils of a case
-- (portal_case_pupil) and the pupil an audit row is about (a child's access log),
-- as peewee wrote the statements for the models (one statement per line).

CREATE TABLE IF NOT EXISTS "portal_pupil" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "las_number" VARCHAR(40) NOT NULL, "first_name" VARCHAR(100) NOT NULL, "prefix" VARCHAR(40) NOT NULL, "last_name" VARCHAR(150) NOT NULL, "birth_date" DATE, "enrolled_on" DATE, "left_on" DATE, "search" VARCHAR(400) NOT NULL, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_pupil_school_id" ON "portal_pupil" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_pupil_school_id_las_number" ON "portal_pupil" ("school_id", "las_number");
CREATE INDEX IF NOT EXISTS "portal_pupil_school_id_last_name_first_name" ON "portal_pupil" ("school_id", "last_name", "first_name");
CREATE TABLE IF NOT EXISTS "portal_pupil_group" ("id" INTEGER NOT NULL PRIMARY KEY, "pupil_id" INTEGER NOT NULL, "school_id" INTEGER NOT NULL, "school_year" VARCHAR(9) NOT NULL, "name" VARCHAR(20) NOT NULL, "grade" INTEGER, FOREIGN KEY ("pupil_id") REFERENCES "portal_pupil" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_pupil_group_pupil_id" ON "portal_pupil_group" ("pupil_id");
CREATE INDEX IF NOT EXISTS "portal_pupil_group_school_id" ON "portal_pupil_group" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_pupil_group_pupil_id_school_year" ON "portal_pupil_group" ("pupil_id", "school_year");
CREATE INDEX IF NOT EXISTS "portal_pupil_group_school_id_school_year_name" ON "portal_pupil_group" ("school_id", "school_year", "name");
CREATE TABLE IF NOT EXISTS "portal_case_pupil" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "pupil_id" INTEGER, "name" VARCHAR(200) NOT NULL, "role" VARCHAR(30) NOT NULL, "linked_by_id" INTEGER, "linked_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("pupil_id") REFERENCES "portal_pupil" ("id") ON DELETE CASCADE, FOREIGN KEY ("linked_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_pupil_case_id" ON "portal_case_pupil" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_pupil_pupil_id" ON "portal_case_pupil" ("pupil_id");
CREATE INDEX IF NOT EXISTS "portal_case_pupil_linked_by_id" ON "portal_case_pupil" ("linked_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_pupil_case_id_pupil_id" ON "portal_case_pupil" ("case_id", "pupil_id");
ALTER TABLE "portal_audit_log" ADD COLUMN "pupil_id" INTEGER;
CREATE INDEX IF NOT EXISTS "portal_audit_log_pupil_id" ON "portal_audit_log" ("pupil_id");
