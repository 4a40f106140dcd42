-- The yearly figures read the year's rows through an index on the date that picks the
-- year (then each row's case by id), instead of every row of the plugin (docs/performance.md,
-- "The yearly report"; tests/test_scale_report_plans.py checks the plans).
CREATE INDEX IF NOT EXISTS "meldcode_dossier_decided_on" ON "meldcode_dossier" ("decided_on");
CREATE INDEX IF NOT EXISTS "meldcode_dossier_reported_on" ON "meldcode_dossier" ("reported_on");
CREATE INDEX IF NOT EXISTS "meldcode_veilig_thuis_consulted_on" ON "meldcode_veilig_thuis" ("consulted_on");
