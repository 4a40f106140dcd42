-- The yearly figures read the year's rows through an index on the date that picks the
-- year (then each row's case by id), instead of every row of the plugin (docs/performance.md,
-- "The yearly report"; tests/test_scale_report_plans.py checks the plans).
CREATE INDEX IF NOT EXISTS "trauma_event_occurred_on" ON "trauma_event" ("occurred_on");
