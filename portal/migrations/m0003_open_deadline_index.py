"""An index of the deadlines not yet met, per case.

Every row of the case list asks "has this case an open deadline that is past?"
(the "te laat" mark). With this partial index that is one lookup in a small
index instead of reading every deadline row of the case: the list query took about
30 % less time at 100,000 cases (docs/performance.md). Both SQLite and
PostgreSQL support partial indexes with this syntax.
"""


def upgrade(db):
    db.execute_sql(
        'CREATE INDEX IF NOT EXISTS "portal_case_deadline_open" '
        'ON "portal_case_deadline" ("case_id", "due_date") WHERE "met_at" IS NULL'
    )
