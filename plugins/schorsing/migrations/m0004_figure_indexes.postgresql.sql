-- The yearly figures read the year's rows through an index on the date that picks the
-- year (then each row's case by id), instead of every row of the plugin (docs/performance.md,
-- "The yearly report"; tests/test_scale_report_plans.py checks the plans).
-- The dashboard's "nu geschorst" reads the suspensions that end today or later (last_day).
CREATE INDEX IF NOT EXISTS "schorsing_incident_occurred_on" ON "schorsing_incident" ("occurred_on");
CREATE INDEX IF NOT EXISTS "schorsing_besluit_last_day_first_day" ON "schorsing_besluit" ("last_day", "first_day");
CREATE INDEX IF NOT EXISTS "schorsing_besluit_first_day" ON "schorsing_besluit" ("first_day");
CREATE INDEX IF NOT EXISTS "schorsing_verwijdering_decided_on" ON "schorsing_verwijdering" ("decided_on");
