-- The first tables of the plugin organisatie, as they were when it was written
-- (one statement per line, as peewee wrote it).

CREATE TABLE IF NOT EXISTS "organisatie_action" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "description" TEXT NOT NULL, "owner" VARCHAR(200) NOT NULL, "due_on" DATE NOT NULL, "done_on" DATE, "done_by_id" INTEGER, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("done_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "organisatie_action_case_id" ON "organisatie_action" ("case_id");
CREATE INDEX IF NOT EXISTS "organisatie_action_due_on" ON "organisatie_action" ("due_on");
CREATE INDEX IF NOT EXISTS "organisatie_action_done_by_id" ON "organisatie_action" ("done_by_id");
CREATE INDEX IF NOT EXISTS "organisatie_action_created_by_id" ON "organisatie_action" ("created_by_id");
CREATE TABLE IF NOT EXISTS "organisatie_person" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "user_id" INTEGER, "name" VARCHAR(200) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "organisation" VARCHAR(200) NOT NULL, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "organisatie_person_school_id" ON "organisatie_person" ("school_id");
CREATE INDEX IF NOT EXISTS "organisatie_person_user_id" ON "organisatie_person" ("user_id");
CREATE INDEX IF NOT EXISTS "organisatie_person_school_id_name" ON "organisatie_person" ("school_id", "name");
CREATE TABLE IF NOT EXISTS "organisatie_assignment" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "school_year" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "role" VARCHAR(40) NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("person_id") REFERENCES "organisatie_person" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "organisatie_assignment_school_id" ON "organisatie_assignment" ("school_id");
CREATE INDEX IF NOT EXISTS "organisatie_assignment_person_id" ON "organisatie_assignment" ("person_id");
CREATE INDEX IF NOT EXISTS "organisatie_assignment_created_by_id" ON "organisatie_assignment" ("created_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "organisatie_assignment_school_id_school_year_role_person_id" ON "organisatie_assignment" ("school_id", "school_year", "role", "person_id");
CREATE TABLE IF NOT EXISTS "organisatie_drill" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "planned_on" DATE NOT NULL, "scenario" VARCHAR(300) NOT NULL, "announced" VARCHAR(20) NOT NULL, "notes" TEXT NOT NULL, "held_on" DATE, "evacuation_seconds" INTEGER, "headcount_ok" BOOLEAN, "headcount_note" TEXT NOT NULL, "problems" TEXT NOT NULL, "evaluation" TEXT NOT NULL, "plan_revised" BOOLEAN NOT NULL, "plan_version" VARCHAR(40) NOT NULL, "plan_revised_on" DATE, "staff_informed_on" DATE, "cancel_reason" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "organisatie_drill_case_id" ON "organisatie_drill" ("case_id");
CREATE INDEX IF NOT EXISTS "organisatie_drill_held_on" ON "organisatie_drill" ("held_on");
CREATE TABLE IF NOT EXISTS "organisatie_evaluation" ("id" SERIAL NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "planned_on" DATE NOT NULL, "held_on" DATE, "attendees" TEXT NOT NULL, "minutes" TEXT NOT NULL, "decisions" TEXT NOT NULL, "agenda" TEXT NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "organisatie_evaluation_case_id" ON "organisatie_evaluation" ("case_id");
CREATE INDEX IF NOT EXISTS "organisatie_evaluation_held_on" ON "organisatie_evaluation" ("held_on");
CREATE TABLE IF NOT EXISTS "organisatie_notice" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "key" VARCHAR(80) NOT NULL, "sent_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "organisatie_notice_school_id" ON "organisatie_notice" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "organisatie_notice_school_id_key" ON "organisatie_notice" ("school_id", "key");
CREATE TABLE IF NOT EXISTS "organisatie_training" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "person_id" INTEGER NOT NULL, "kind" VARCHAR(20) NOT NULL, "course" VARCHAR(200) NOT NULL, "provider" VARCHAR(200) NOT NULL, "completed_on" DATE NOT NULL, "expires_on" DATE, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("person_id") REFERENCES "organisatie_person" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "organisatie_training_school_id" ON "organisatie_training" ("school_id");
CREATE INDEX IF NOT EXISTS "organisatie_training_person_id" ON "organisatie_training" ("person_id");
CREATE INDEX IF NOT EXISTS "organisatie_training_expires_on" ON "organisatie_training" ("expires_on");
CREATE INDEX IF NOT EXISTS "organisatie_training_created_by_id" ON "organisatie_training" ("created_by_id");
-- The Wet veiligheid op school asks for one pestcoördinator: at most one per school and school year.
CREATE UNIQUE INDEX IF NOT EXISTS "organisatie_assignment_one_pestcoordinator" ON "organisatie_assignment" ("school_id", "school_year") WHERE "role" = 'pestcoordinator';
