"""The salutation of the letters to the parent: the form of address and the surname, two
columns on ``klachten_klacht`` with an empty default, added when missing (SQLite adds a
column with a constant default without rebuilding the table). Old complaints keep "Geachte
ouder/verzorger,"."""

COLUMNS = (
    ("contact_title", "VARCHAR(10) NOT NULL DEFAULT ''"),
    ("contact_surname", "VARCHAR(100) NOT NULL DEFAULT ''"),
)


def upgrade(db):
    have = {c.name for c in db.get_columns("klachten_klacht")}
    for name, definition in COLUMNS:
        if name not in have:
            db.execute_sql(f'ALTER TABLE "klachten_klacht" ADD COLUMN "{name}" {definition}')
