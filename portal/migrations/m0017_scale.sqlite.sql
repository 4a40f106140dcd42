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
-- their action (the actions only audit_view writes), refusals never.
ALTER TABLE "portal_audit_log" ADD COLUMN "is_view" INTEGER NOT NULL DEFAULT FALSE;
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_is_view_at" ON "portal_audit_log" ("school", "is_view", "at");
DROP TRIGGER IF EXISTS portal_audit_no_update;
UPDATE "portal_audit_log" SET "is_view" = 1 WHERE "outcome" = 'ok' AND "action" IN ('admin.audit_log.view', 'admin.mail.view', 'admin.sso.view', 'admin.user.view', 'board.overview', 'case.list', 'case.receipt', 'case.start.prefill', 'case.view', 'dashboard.view', 'inzage.list', 'inzage.preview', 'inzage.request.view', 'inzage.view', 'notifications.view', 'plan.changes', 'plan.download', 'plan.view', 'pupil.chronology', 'pupil.figures', 'pupil.import.preview', 'pupil.search', 'pupil.view', 'reports.board.download', 'reports.board.view', 'reports.pdf.download', 'reports.view');
CREATE TRIGGER IF NOT EXISTS portal_audit_no_update BEFORE UPDATE ON portal_audit_log BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- DELETE: refused, except a view row older than its school's retention. The database says
-- so, not the application: a bug or an injected statement in the portal cannot remove a
-- change's row, nor a view row younger than the retention.
DROP TRIGGER IF EXISTS portal_audit_no_delete;
CREATE TRIGGER IF NOT EXISTS portal_audit_no_delete BEFORE DELETE ON portal_audit_log WHEN NOT (OLD."is_view" = 1 AND OLD."at" < datetime('now', '-' || max(1, COALESCE((SELECT CAST(ss."value" AS INTEGER) FROM "portal_school_setting" AS ss JOIN "portal_school" AS s ON s."id" = ss."school_id" WHERE s."slug" = OLD."school" AND ss."name" = 'portal.audit_view_years' AND ss."value" GLOB '[0-9]*' AND ss."value" NOT GLOB '*[^0-9]*'), 5)) || ' years')) BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END;
-- Letters off the hot path (issue 15, item 6): the PDF bytes of archived letters in their own
-- table, with their sha256, one row per document, going with it (CASCADE). The document's
-- own column stays, empty: reading a case's documents never loads a letter.
CREATE TABLE IF NOT EXISTS "portal_case_document_content" ("id" INTEGER NOT NULL PRIMARY KEY, "document_id" INTEGER NOT NULL, "sha256" VARCHAR(64) NOT NULL, "content" BLOB NOT NULL, FOREIGN KEY ("document_id") REFERENCES "portal_case_document" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_document_content_document_id" ON "portal_case_document_content" ("document_id");
INSERT INTO "portal_case_document_content" ("document_id", "sha256", "content") SELECT "id", "sha256", "content" FROM "portal_case_document" WHERE length("content") > 0 AND "id" NOT IN (SELECT "document_id" FROM "portal_case_document_content");
UPDATE "portal_case_document" SET "content" = X'' WHERE length("content") > 0;
