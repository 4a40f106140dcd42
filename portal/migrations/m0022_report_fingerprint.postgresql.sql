-- The report cache's fingerprint without counting a school's cases (docs/performance.md,
-- "The yearly report"): how many cases of each school the retention purge deleted, raised in
-- the purge's own transaction (portal/retention.py). The highest id and the latest change
-- come from the indexes portal_case_school_id and portal_case_school_id_updated_at_id.
CREATE TABLE IF NOT EXISTS "portal_case_purge_count" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER NOT NULL, "purged" BIGINT NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE);
CREATE UNIQUE INDEX IF NOT EXISTS "portal_case_purge_count_school_id" ON "portal_case_purge_count" ("school_id");
