-- Performance at board scale (issue 15): indexes so that every dashboard panel and every
-- yearly figure reads a small range, whatever the number of cases in the history.
-- portal_case: the cases of a type at a school in a state (a panel's "new" count, a file
-- in its help phase), and those closed in a school year (the figures).
CREATE INDEX IF NOT EXISTS "portal_case_school_id_case_type_state" ON "portal_case" ("school_id", "case_type", "state");
CREATE INDEX IF NOT EXISTS "portal_case_school_id_case_type_closed_at" ON "portal_case" ("school_id", "case_type", "closed_at");
-- Deadlines not yet met, by due date (the dashboard's "due this week or late", walked in
-- order), and by name (a type's late acknowledgements, a file's effect to be judged).
CREATE INDEX IF NOT EXISTS "portal_case_deadline_due_open" ON "portal_case_deadline" ("due_date") WHERE "met_at" IS NULL;
CREATE INDEX IF NOT EXISTS "portal_case_deadline_name_open" ON "portal_case_deadline" ("name", "due_date") WHERE "met_at" IS NULL;
-- Checklist items not yet ticked, by name (e.g. the inspectie still to be informed).
CREATE INDEX IF NOT EXISTS "portal_case_checklist_open" ON "portal_case_checklist" ("name", "case_id") WHERE "done_at" IS NULL;
-- The jaarplan's actions of a school by due date (the dashboard walks them in order).
CREATE INDEX IF NOT EXISTS "portal_safety_action_school_id_due_on" ON "portal_safety_action" ("school_id", "due_on");
-- The audit log (issue 15, item 4). Its page filters a school's rows by case, person and
-- date and pages back by id (keyset): each filter one index range, newest first.
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_id" ON "portal_audit_log" ("school", "id");
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_case_ref_id" ON "portal_audit_log" ("school", "case_ref", "id");
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_user_email_id" ON "portal_audit_log" ("school", "user_email", "id");
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_at" ON "portal_audit_log" ("school", "at");
-- Rows that say someone saw something (portal.audit.audit_view) are marked: only those may
-- go, once past the school's retention (portal.audit_view_years, default 5, at least 1;
-- portal/retention.py purge_audit_views). Rows written before this migration are marked by
-- their action (the actions only audit_view writes), refusals never. The owner runs this
-- and may switch the append-only trigger off for the one UPDATE.
ALTER TABLE "portal_audit_log" ADD COLUMN IF NOT EXISTS "is_view" BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_is_view_at" ON "portal_audit_log" ("school", "is_view", "at");
ALTER TABLE "portal_audit_log" DISABLE TRIGGER portal_audit_append_only;
UPDATE "portal_audit_log" SET "is_view" = true WHERE "outcome" = 'ok' AND "action" IN ('admin.audit_log.view', 'admin.mail.view', 'admin.sso.view', 'admin.user.view', 'board.overview', 'case.list', 'case.receipt', 'case.start.prefill', 'case.view', 'dashboard.view', 'inzage.list', 'inzage.preview', 'inzage.request.view', 'inzage.view', 'notifications.view', 'plan.changes', 'plan.download', 'plan.view', 'pupil.chronology', 'pupil.figures', 'pupil.import.preview', 'pupil.search', 'pupil.view', 'reports.board.download', 'reports.board.view', 'reports.pdf.download', 'reports.view');
ALTER TABLE "portal_audit_log" ENABLE TRIGGER portal_audit_append_only;
-- DELETE: refused, except a view row older than its school's retention. The database says
-- so, not the application: the application's role may DELETE (portal/db_roles.py) but this
-- trigger, which that role cannot drop or switch off (it owns nothing), lets only those go.
CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger AS $$ BEGIN IF TG_OP = 'DELETE' AND OLD."is_view" AND OLD."at" < (now() AT TIME ZONE 'UTC') - make_interval(years => GREATEST(1, COALESCE((SELECT ss."value"::integer FROM "portal_school_setting" AS ss JOIN "portal_school" AS s ON s."id" = ss."school_id" WHERE s."slug" = OLD."school" AND ss."name" = 'portal.audit_view_years' AND ss."value" ~ '^[0-9]{1,4}$'), 5))) THEN RETURN OLD; END IF; RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql;
-- Letters off the hot path (issue 15, item 6): the PDF bytes of archived letters in their own
-- table, with their sha256, one row per document, going with it (CASCADE). The document's
-- own column stays, empty: reading a case's documents never loads a letter.
CREATE TABLE IF NOT EXISTS "portal_case_document_content" ("id" SERIAL NOT NULL PRIMARY KEY, "document_id" INTEGER NOT NULL, "sha256" VARCHAR(64) NOT NULL, "content" BYTEA NOT NULL, FOREIGN KEY ("document_id") REFERENCES "portal_case_document" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_document_content_document_id" ON "portal_case_document_content" ("document_id");
INSERT INTO "portal_case_document_content" ("document_id", "sha256", "content") SELECT "id", "sha256", "content" FROM "portal_case_document" WHERE length("content") > 0 AND "id" NOT IN (SELECT "document_id" FROM "portal_case_document_content");
UPDATE "portal_case_document" SET "content" = '\x'::bytea WHERE length("content") > 0;
