"""Core tables, and the database rule that the audit log is append-only."""

from portal.db import is_sqlite
from portal.models import CORE_MODELS


def upgrade(db):
    db.create_tables(CORE_MODELS, safe=True)
    if is_sqlite():
        for op in ("UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER IF NOT EXISTS portal_audit_no_{op.lower()} "
                f"BEFORE {op} ON portal_audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit log is append-only'); END"
            )
    else:
        db.execute_sql(
            "CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger AS $$ "
            "BEGIN RAISE EXCEPTION 'audit log is append-only'; END; $$ LANGUAGE plpgsql"
        )
        db.execute_sql("DROP TRIGGER IF EXISTS portal_audit_append_only ON portal_audit_log")
        db.execute_sql(
            "CREATE TRIGGER portal_audit_append_only BEFORE UPDATE OR DELETE "
            "ON portal_audit_log FOR EACH ROW EXECUTE FUNCTION portal_audit_append_only()"
        )
