-- Deadlines in hours (Deadline(hours=True), portal/cases/engine.py): the due moment in UTC
-- beside its day, such as the 72 hours of AVG art. 33 for a data breach. NULL for every
-- deadline in days, which stays due at the end of its due_date.

ALTER TABLE "portal_case_deadline" ADD COLUMN "due_at" TIMESTAMP;
