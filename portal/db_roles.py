"""PostgreSQL: the schema's owner and the application's login are two roles.

The append-only rule of the audit log is a trigger. A trigger on a table the
application's own login owns is no protection: the owner may ``TRUNCATE`` the table,
``DISABLE TRIGGER`` or ``DROP TRIGGER``. So the tables belong to an owner role that
runs the migrations (``DATABASE_OWNER_URL`` for ``flask --app portal init-db``), and
the portal serves requests as an application role (``DATABASE_URL``) that may read
and write rows but owns nothing and may only INSERT and SELECT on the audit log, and DELETE the
rows its trigger lets go (view rows past the school's retention).

``grant_statements(app_role)`` is what the owner grants after every migration run
(``init-db`` does it when ``PORTAL_DB_APP_ROLE`` is set); ``setup_statements`` is the
one-time SQL for a superuser, printed by ``flask --app portal db roles``
(docs/operations.md).
"""

import re

ROLE_RE = re.compile(r"[a-z_][a-z0-9_]{0,62}")
AUDIT_TABLE = "portal_audit_log"


def _role(name):
    if not ROLE_RE.fullmatch(name or ""):
        raise ValueError(f"ongeldige rolnaam {name!r}: alleen kleine letters, cijfers en _")
    return name


def setup_statements(owner_role, app_role, database):
    """One-time, as a superuser: the two login roles and who owns the schema."""
    owner, app = _role(owner_role), _role(app_role)
    db = _role(database)
    return [
        f"CREATE ROLE {owner} LOGIN",
        f"CREATE ROLE {app} LOGIN",
        f"GRANT CONNECT ON DATABASE {db} TO {owner}, {app}",
        f"ALTER SCHEMA public OWNER TO {owner}",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"-- then set passwords: ALTER ROLE {owner} PASSWORD '...'; ALTER ROLE {app} PASSWORD '...';",
    ]


def grant_statements(app_role):
    """As the owner, after the migrations: rows of every table for the application role,
    except that the audit log only grows."""
    app = _role(app_role)
    return [
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        # DELETE stays granted for the retention of view rows: the table's trigger (m0017), which
        # this role can neither drop nor switch off, refuses every row but a view row past its
        # school's retention. UPDATE and TRUNCATE (which fires no row trigger) are revoked.
        f"REVOKE UPDATE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {app}",
        # Tables a later migration creates are the owner's too; the next init-db grants them.
    ]


def apply_grants(database, app_role):
    for statement in grant_statements(app_role):
        database.execute_sql(statement)
