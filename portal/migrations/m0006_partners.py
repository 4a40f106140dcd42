"""External partners in the core, and the log of the school's network meetings.

- ``portal_partner``: a school's external partners (the plan's annex "Overzicht externe
  partners"), for every protocol. The trauma plugin kept its own list until now; its
  migration trauma.m0002 moves those rows here with ``partners.adopt_partners``, which
  runs ``PARTNER_SQL`` too, so that the plugin's migration holds on a database where this
  one has not run yet.
- ``portal_network_meeting``: the monthly IB network and the samenwerkingsverband meetings
  (date, kind, who was there, topics).

The statements are the ones peewee 4.5.3 wrote for the models when this was written, per
dialect; IF NOT EXISTS makes a second run harmless.
"""

from portal.db import is_sqlite

PARTNER_TABLE = {
    "sqlite": 'CREATE TABLE IF NOT EXISTS "portal_partner" ("id" INTEGER NOT NULL PRIMARY KEY, '
    '"school_id" INTEGER NOT NULL, "organisation" VARCHAR(200) NOT NULL, "kind" '
    'VARCHAR(40) NOT NULL, "contact_person" VARCHAR(200) NOT NULL, "phone" VARCHAR(40) '
    'NOT NULL, "email" VARCHAR(254) NOT NULL, "notes" TEXT NOT NULL, "active" INTEGER NOT '
    'NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE)',
    "postgresql": 'CREATE TABLE IF NOT EXISTS "portal_partner" ("id" SERIAL NOT NULL PRIMARY KEY, '
    '"school_id" INTEGER NOT NULL, "organisation" VARCHAR(200) NOT NULL, "kind" '
    'VARCHAR(40) NOT NULL, "contact_person" VARCHAR(200) NOT NULL, "phone" '
    'VARCHAR(40) NOT NULL, "email" VARCHAR(254) NOT NULL, "notes" TEXT NOT NULL, '
    '"active" BOOLEAN NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" '
    '("id") ON DELETE CASCADE)',
}
PARTNER_INDEX = 'CREATE INDEX IF NOT EXISTS "portal_partner_school_id" ON "portal_partner" ("school_id")'

MEETING_TABLE = {
    "sqlite": 'CREATE TABLE IF NOT EXISTS "portal_network_meeting" ("id" INTEGER NOT NULL PRIMARY '
    'KEY, "school_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "kind" VARCHAR(40) NOT '
    'NULL, "attendees" TEXT NOT NULL, "topics" TEXT NOT NULL, "created_by_id" INTEGER, '
    '"created_at" DATETIME NOT NULL, FOREIGN KEY ("school_id") REFERENCES "portal_school" '
    '("id") ON DELETE CASCADE, FOREIGN KEY ("created_by_id") REFERENCES "portal_user" '
    '("id") ON DELETE SET NULL)',
    "postgresql": 'CREATE TABLE IF NOT EXISTS "portal_network_meeting" ("id" SERIAL NOT NULL '
    'PRIMARY KEY, "school_id" INTEGER NOT NULL, "held_on" DATE NOT NULL, "kind" '
    'VARCHAR(40) NOT NULL, "attendees" TEXT NOT NULL, "topics" TEXT NOT NULL, '
    '"created_by_id" INTEGER, "created_at" TIMESTAMP NOT NULL, FOREIGN KEY '
    '("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE, FOREIGN KEY '
    '("created_by_id") REFERENCES "portal_user" ("id") ON DELETE SET NULL)',
}
MEETING_INDEXES = [
    'CREATE INDEX IF NOT EXISTS "portal_network_meeting_school_id" ON "portal_network_meeting" ("school_id")',
    'CREATE INDEX IF NOT EXISTS "portal_network_meeting_created_by_id" ON "portal_network_meeting" '
    '("created_by_id")',
]


def partner_statements():
    """The statements that create ``portal_partner`` on this database (if not there yet)."""
    return [PARTNER_TABLE["sqlite" if is_sqlite() else "postgresql"], PARTNER_INDEX]


def upgrade(db):
    meeting = MEETING_TABLE["sqlite" if is_sqlite() else "postgresql"]
    for statement in [*partner_statements(), meeting, *MEETING_INDEXES]:
        db.execute_sql(statement)
