-- Core tables, and the database rule that the audit log is append-only.
--
-- The tables are written out as SQL, not made from today's models: a first migration
-- must create them as they were when it was written (f50603b, before the TOTP columns
-- that m0002 adds), so that later migrations find what they expect and an old database
-- and a fresh one end with the same schema. These are the statements peewee 4.5.3
-- generated for the core models of that commit, per dialect; IF NOT EXISTS makes a
-- second run harmless.
-- (SQLite; one statement per line, as peewee wrote it.)

CREATE TABLE IF NOT EXISTS "portal_audit_log" ("id" INTEGER NOT NULL PRIMARY KEY, "at" DATETIME NOT NULL, "user_id" INTEGER, "user_email" VARCHAR(254) NOT NULL, "role" VARCHAR(200) NOT NULL, "school" VARCHAR(60) NOT NULL, "case_ref" VARCHAR(40) NOT NULL, "action" VARCHAR(80) NOT NULL, "outcome" VARCHAR(40) NOT NULL, "ip" VARCHAR(64) NOT NULL, "detail" TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS "portal_audit_log_case_ref" ON "portal_audit_log" ("case_ref");
CREATE TABLE IF NOT EXISTS "portal_school" ("id" INTEGER NOT NULL PRIMARY KEY, "slug" VARCHAR(60) NOT NULL, "name" VARCHAR(200) NOT NULL, "address" VARCHAR(300) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" VARCHAR(200) NOT NULL, "board_name" VARCHAR(200) NOT NULL, "logo" BLOB, "logo_type" VARCHAR(40) NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_school_slug" ON "portal_school" ("slug");
CREATE TABLE IF NOT EXISTS "portal_user" ("id" INTEGER NOT NULL PRIMARY KEY, "email" VARCHAR(254) NOT NULL, "name" VARCHAR(200) NOT NULL, "password_hash" VARCHAR(300) NOT NULL, "active" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "password_changed_at" DATETIME NOT NULL);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_user_email" ON "portal_user" ("email");
CREATE TABLE IF NOT EXISTS "portal_case" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "case_type" VARCHAR(80) NOT NULL, "reference" VARCHAR(40) NOT NULL, "state" VARCHAR(60) NOT NULL, "title" VARCHAR(300) NOT NULL, "assignee_id" INTEGER, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, "updated_at" DATETIME NOT NULL, "closed_at" DATETIME, "confidential" INTEGER NOT NULL, "retention_until" DATE, "legal_hold" INTEGER NOT NULL, "access_code_hash" VARCHAR(128) NOT NULL, "submitter_email" VARCHAR(254) NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY ("assignee_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_school_id" ON "portal_case" ("school_id");
CREATE INDEX IF NOT EXISTS "portal_case_assignee_id" ON "portal_case" ("assignee_id");
CREATE INDEX IF NOT EXISTS "portal_case_created_by_id" ON "portal_case" ("created_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_school_id_reference" ON "portal_case" ("school_id", "reference");
CREATE INDEX IF NOT EXISTS "portal_case_school_id_updated_at_id" ON "portal_case" ("school_id", "updated_at", "id");
CREATE INDEX IF NOT EXISTS "portal_case_school_id_case_type_updated_at_id" ON "portal_case" ("school_id", "case_type", "updated_at", "id");
CREATE TABLE IF NOT EXISTS "portal_case_checklist" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "label" VARCHAR(300) NOT NULL, "required" INTEGER NOT NULL, "position" INTEGER NOT NULL, "due_date" DATE, "assignee_id" INTEGER, "done_at" DATE, "done_by_id" INTEGER, "note" VARCHAR(500) NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("assignee_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL, FOREIGN KEY ("done_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_checklist_case_id" ON "portal_case_checklist" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_checklist_assignee_id" ON "portal_case_checklist" ("assignee_id");
CREATE INDEX IF NOT EXISTS "portal_case_checklist_done_by_id" ON "portal_case_checklist" ("done_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_checklist_case_id_name" ON "portal_case_checklist" ("case_id", "name");
CREATE TABLE IF NOT EXISTS "portal_case_counter" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "prefix" VARCHAR(10) NOT NULL, "year" INTEGER NOT NULL, "last" INTEGER NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_case_counter_school_id" ON "portal_case_counter" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_counter_school_id_prefix_year" ON "portal_case_counter" ("school_id", "prefix", "year");
CREATE TABLE IF NOT EXISTS "portal_case_deadline" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "label" VARCHAR(300) NOT NULL, "due_date" DATE NOT NULL, "met_at" DATETIME, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_case_deadline_case_id" ON "portal_case_deadline" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_deadline_due_date" ON "portal_case_deadline" ("due_date");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_deadline_case_id_name" ON "portal_case_deadline" ("case_id", "name");
CREATE TABLE IF NOT EXISTS "portal_case_document" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "label" VARCHAR(300) NOT NULL, "version" INTEGER NOT NULL, "filename" VARCHAR(200) NOT NULL, "content" BLOB NOT NULL, "sha256" VARCHAR(64) NOT NULL, "created_by_id" INTEGER, "created_at" DATETIME NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_document_case_id" ON "portal_case_document" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_document_created_by_id" ON "portal_case_document" ("created_by_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_document_case_id_name_version" ON "portal_case_document" ("case_id", "name", "version");
CREATE TABLE IF NOT EXISTS "portal_case_event" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "at" DATETIME NOT NULL, "kind" VARCHAR(40) NOT NULL, "user_id" INTEGER, "actor" VARCHAR(200) NOT NULL, "transition" VARCHAR(80) NOT NULL, "from_state" VARCHAR(60) NOT NULL, "to_state" VARCHAR(60) NOT NULL, "text" TEXT NOT NULL, "visible_to_submitter" INTEGER NOT NULL, "data" TEXT, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL);
CREATE INDEX IF NOT EXISTS "portal_case_event_case_id" ON "portal_case_event" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_event_user_id" ON "portal_case_event" ("user_id");
CREATE INDEX IF NOT EXISTS "portal_case_event_case_id_at" ON "portal_case_event" ("case_id", "at");
CREATE TABLE IF NOT EXISTS "portal_case_exclusion" ("id" INTEGER NOT NULL PRIMARY KEY, "case_id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, FOREIGN KEY ("case_id") REFERENCES "portal_case" ("id") ON DELETE CASCADE, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_case_exclusion_case_id" ON "portal_case_exclusion" ("case_id");
CREATE INDEX IF NOT EXISTS "portal_case_exclusion_user_id" ON "portal_case_exclusion" ("user_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_exclusion_case_id_user_id" ON "portal_case_exclusion" ("case_id", "user_id");
CREATE TABLE IF NOT EXISTS "portal_attempt" ("id" INTEGER NOT NULL PRIMARY KEY, "kind" VARCHAR(40) NOT NULL, "key" VARCHAR(300) NOT NULL, "at" DATETIME NOT NULL);
CREATE INDEX IF NOT EXISTS "portal_attempt_key" ON "portal_attempt" ("key");
CREATE INDEX IF NOT EXISTS "portal_attempt_at" ON "portal_attempt" ("at");
CREATE TABLE IF NOT EXISTS "portal_outbox" ("id" INTEGER NOT NULL PRIMARY KEY, "school" VARCHAR(60) NOT NULL, "to" VARCHAR(254) NOT NULL, "subject" VARCHAR(300) NOT NULL, "body" TEXT NOT NULL, "attachment" BLOB, "attachment_name" VARCHAR(200) NOT NULL, "created_at" DATETIME NOT NULL, "attempts" INTEGER NOT NULL, "next_attempt_at" DATETIME NOT NULL, "sent_at" DATETIME, "last_error" VARCHAR(500) NOT NULL);
CREATE INDEX IF NOT EXISTS "portal_outbox_next_attempt_at" ON "portal_outbox" ("next_attempt_at");
CREATE INDEX IF NOT EXISTS "portal_outbox_sent_at" ON "portal_outbox" ("sent_at");
CREATE TABLE IF NOT EXISTS "portal_role_permission" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "permission" VARCHAR(120) NOT NULL, "role" VARCHAR(40) NOT NULL, "granted" INTEGER NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_role_permission_school_id" ON "portal_role_permission" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_role_permission_school_id_permission_role" ON "portal_role_permission" ("school_id", "permission", "role");
CREATE TABLE IF NOT EXISTS "portal_school_plugin" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "plugin" VARCHAR(60) NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_school_plugin_school_id" ON "portal_school_plugin" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_school_plugin_school_id_plugin" ON "portal_school_plugin" ("school_id", "plugin");
CREATE TABLE IF NOT EXISTS "portal_school_setting" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "value" TEXT NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_school_setting_school_id" ON "portal_school_setting" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_school_setting_school_id_name" ON "portal_school_setting" ("school_id", "name");
CREATE TABLE IF NOT EXISTS "portal_user_role" ("id" INTEGER NOT NULL PRIMARY KEY, "user_id" INTEGER NOT NULL, "school_id" INTEGER, "role" VARCHAR(40) NOT NULL, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE CASCADE, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_user_role_user_id" ON "portal_user_role" ("user_id");
CREATE INDEX IF NOT EXISTS "portal_user_role_school_id" ON "portal_user_role" ("school_id");
CREATE UNIQUE INDEX IF NOT EXISTS "portal_user_role_user_id_school_id_role" ON "portal_user_role" ("user_id", "school_id", "role");
CREATE TABLE IF NOT EXISTS "portal_user_session" ("id" INTEGER NOT NULL PRIMARY KEY, "token_hash" VARCHAR(64) NOT NULL, "user_id" INTEGER NOT NULL, "created_at" DATETIME NOT NULL, "last_seen" DATETIME NOT NULL, "ended_at" DATETIME, FOREIGN KEY ("user_id") REFERENCES "portal_user" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_user_session_token_hash" ON "portal_user_session" ("token_hash");
CREATE INDEX IF NOT EXISTS "portal_user_session_user_id" ON "portal_user_session" ("user_id");
CREATE TABLE IF NOT EXISTS "portal_vacation" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "name" VARCHAR(120) NOT NULL, "start" DATE NOT NULL, "end" DATE NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE INDEX IF NOT EXISTS "portal_vacation_school_id" ON "portal_vacation" ("school_id");
CREATE TRIGGER IF NOT EXISTS portal_audit_no_update BEFORE UPDATE ON portal_audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS portal_audit_no_delete BEFORE DELETE ON portal_audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
