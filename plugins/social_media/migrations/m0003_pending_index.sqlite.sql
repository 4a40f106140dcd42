-- The requests that wait for a decision, per school, in the order they were made: the
-- directie's dashboard counts them in this index and reads the first five rows of it,
-- instead of every undecided request as an object and a sort (docs/performance.md).
CREATE INDEX IF NOT EXISTS "social_media_request_school_id_decision_id" ON "social_media_request" ("school_id", "decision", "id");
