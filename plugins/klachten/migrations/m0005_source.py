"""Who brought a complaint the school recorded itself: ``complaint_source`` on
``klachten_klacht`` ("school": the school's own complaint; "mondeling": a parent or someone
else, orally or by phone; empty: the parents' form). An empty default, added when missing:
every complaint before it came through the form."""


def upgrade(db):
    if "complaint_source" not in {c.name for c in db.get_columns("klachten_klacht")}:
        db.execute_sql(
            'ALTER TABLE "klachten_klacht" ADD COLUMN "complaint_source" VARCHAR(20) NOT NULL DEFAULT \'\''
        )
