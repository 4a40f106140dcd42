-- The audit page filtered by one action (issue 15): newest first along (school, action, id),
-- instead of reading the school's log backwards until enough rows of a rare action turn up
-- (121 ms at 1,000,000 rows, growing with the history; bench/audit.py).
CREATE INDEX IF NOT EXISTS "portal_audit_log_school_action_id" ON "portal_audit_log" ("school", "action", "id");
