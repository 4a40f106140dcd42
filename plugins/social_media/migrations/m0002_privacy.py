"""The privacy questions of an approval (issue 14, item 7; AVG art. 28): on the allowed list
(``social_media_app``) and on each request (``social_media_request``) the answer on a
verwerkersovereenkomst or the Privacyconvenant Onderwijs, the pupil data the app uses, and
its minimum age. Rows from before keep "" (not asked) and no age.

The columns are added the way peewee's migrator adds them (for NOT NULL: filled with the
default, then constrained, on SQLite by rebuilding the table, which migrate.py runs with
foreign keys off), so that the schema is the models' own.
"""

import peewee
from playhouse.migrate import PostgresqlMigrator
from playhouse.migrate import SqliteMigrator
from playhouse.migrate import migrate

from portal import api


def upgrade(db):
    migrator = SqliteMigrator(db) if api.is_sqlite() else PostgresqlMigrator(db)
    steps = []
    for table in ("social_media_app", "social_media_request"):
        steps += [
            migrator.add_column(table, "privacy_agreement", peewee.CharField(max_length=30, default="")),
            migrator.add_column(table, "pupil_data", peewee.CharField(max_length=200, default="")),
            migrator.add_column(table, "min_age", peewee.IntegerField(null=True)),
        ]
    migrate(*steps)
