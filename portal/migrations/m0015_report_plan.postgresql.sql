-- The yearly safety report and the generated veiligheidsplan (portal/report/):
-- monitor results and their scores, the actions of the jaarplan, when a year's report
-- was discussed (MR, clusterdirecteur), the report's PDF versions, the school's own
-- texts of the plan and the plan's versions; and two indexes on portal_case for the
-- yearly figures (a school's cases of a type started in a year; all schools').
-- The statements are the ones peewee 4.5.3 writes for the models (IF NOT EXISTS).

CREATE TABLE IF NOT EXISTS "portal_monitor_result" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "school_year" INTEGER NOT NULL, "instrument" VARCHAR(120) NOT NULL, "measured_on" DATE NOT NULL, "invited" INTEGER, "respondents" INTEGER, "note" TEXT NOT NULL, "inspectie_on" DATE, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_monitor_result_school_id" ON "portal_monitor_result" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_monitor_result_created_by_id" ON "portal_monitor_result" ("created_by_id");
CREATE INDEX IF NOT EXISTS "portal_monitor_result_school_id_school_year" ON "portal_monitor_result" ("school_id", "school_year");
CREATE TABLE IF NOT EXISTS "portal_monitor_score" ("id" SERIAL NOT NULL PRIMARY KEY, "monitor_id" INTEGER NOT NULL, "group_name" VARCHAR(40) NOT NULL, "indicator" VARCHAR(40) NOT NULL, "score" REAL NOT NULL, FOREIGN KEY ("monitor_id") REFERENCES "portal_monitor_result" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_monitor_score_monitor_id" ON "portal_monitor_score" ("monitor_id");
CREATE TABLE IF NOT EXISTS "portal_safety_action" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "school_year" INTEGER NOT NULL, "goal" TEXT NOT NULL, "owner" VARCHAR(40) NOT NULL, "due_on" DATE NOT NULL, "status" VARCHAR(20) NOT NULL, "finding_kind" VARCHAR(20) NOT NULL, "finding" TEXT NOT NULL, "result" TEXT NOT NULL, "done_on" DATE, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_safety_action_school_id" ON "portal_safety_action" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_safety_action_created_by_id" ON "portal_safety_action" ("created_by_id");
CREATE INDEX IF NOT EXISTS "portal_safety_action_school_id_school_year" ON "portal_safety_action" ("school_id", "school_year");
CREATE INDEX IF NOT EXISTS "portal_safety_action_school_id_status_due_on" ON "portal_safety_action" ("school_id", "status", "due_on");
CREATE TABLE IF NOT EXISTS "portal_report_review" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "school_year" INTEGER NOT NULL, "mr_on" DATE, "cluster_on" DATE, "updated_by_id" INTEGER, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("updated_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_report_review_school_id" ON "portal_report_review" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_report_review_updated_by_id" ON "portal_report_review" ("updated_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_report_review_school_id_school_year" ON "portal_report_review" ("school_id", "school_year");
CREATE TABLE IF NOT EXISTS "portal_report_document" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER, "school_year" INTEGER NOT NULL, "version" INTEGER NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" BYTEA NOT NULL, "sha256" VARCHAR(64) NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_report_document_school_id" ON "portal_report_document" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_report_document_created_by_id" ON "portal_report_document" ("created_by_id");
CREATE INDEX IF NOT EXISTS "portal_report_document_school_id_school_year_version" ON "portal_report_document" ("school_id", "school_year", "version");
CREATE TABLE IF NOT EXISTS "portal_plan_text" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "number" VARCHAR(20) NOT NULL, "text" TEXT NOT NULL, "updated_by_id" INTEGER, "updated_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("updated_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_plan_text_school_id" ON "portal_plan_text" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_plan_text_updated_by_id" ON "portal_plan_text" ("updated_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_plan_text_school_id_number" ON "portal_plan_text" ("school_id", "number");
CREATE TABLE IF NOT EXISTS "portal_plan_version" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "version" INTEGER NOT NULL, "adopted_on" DATE, "mr_consent_on" DATE, "sections" TEXT NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" BYTEA NOT NULL, "sha256" VARCHAR(64) NOT NULL, "created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_plan_version_school_id" ON "portal_plan_version" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_plan_version_created_by_id" ON "portal_plan_version" ("created_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_plan_version_school_id_version" ON "portal_plan_version" ("school_id", "version");
CREATE INDEX IF NOT EXISTS "portal_case_school_id_case_type_created_at" ON "portal_case" ("school_id", "case_type", "created_at");
CREATE INDEX IF NOT EXISTS "portal_case_case_type_created_at" ON "portal_case" ("case_type", "created_at");
