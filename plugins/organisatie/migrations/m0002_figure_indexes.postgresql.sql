-- The yearly figures read the year's rows through an index on the date that picks the
-- year (then each row's case by id), instead of every row of the plugin (docs/performance.md,
-- "The yearly report"; tests/test_scale_report_plans.py checks the plans).
-- The courses of a school year: of every school (the bestuur), or of one (its school_id).
CREATE INDEX IF NOT EXISTS "organisatie_training_completed_on_school_id" ON "organisatie_training" ("completed_on", "school_id");
CREATE INDEX IF NOT EXISTS "organisatie_action_created_at" ON "organisatie_action" ("created_at");
