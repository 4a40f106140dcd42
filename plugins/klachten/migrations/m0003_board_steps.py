"""The bestuur's steps after a formal referral (received, hearing, decision): six nullable
columns on ``klachten_klacht``, added when missing (SQLite adds a nullable column without
rebuilding the table), so this runs on a fresh and on an old database alike. Old rows keep
what they hold; their new columns stay empty. The types are the same on both databases."""

COLUMNS = (
    ("board_received_on", "DATE"),
    ("hearing_on", "DATE"),
    ("hearing_notes", "TEXT"),
    ("decision", "VARCHAR(40)"),
    ("decision_on", "DATE"),
    ("decision_summary", "TEXT"),
)


def upgrade(db):
    have = {c.name for c in db.get_columns("klachten_klacht")}
    for name, definition in COLUMNS:
        if name not in have:
            db.execute_sql(f'ALTER TABLE "klachten_klacht" ADD COLUMN "{name}" {definition}')
