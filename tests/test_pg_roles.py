"""PostgreSQL with two roles: the schema's owner runs init-db, the portal serves as an
application login that owns nothing. That login reads and writes rows and appends to the
audit log, but cannot empty, change or unprotect it (TRUNCATE, UPDATE, DELETE, DISABLE
TRIGGER, DROP TRIGGER all refused) — docs/security.md E2."""

import re
import secrets

import psycopg2
import pytest

from portal.testing import PG_URL
from portal.testing import base_config

pytestmark = pytest.mark.skipif(not PG_URL.startswith("postgres"), reason="PostgreSQL only")


SUPERUSER_URL = re.sub(r"//[^@/]*@", "//postgres@", PG_URL)  # CI: trust for postgres


def _superuser():
    conn = psycopg2.connect(SUPERUSER_URL)
    conn.autocommit = True
    return conn


@pytest.fixture
def split(tmp_path, monkeypatch):
    """A fresh database whose schema an owner role owns, and an application role."""
    suffix = secrets.token_hex(4)
    owner, app_role, dbname = f"t_owner_{suffix}", f"t_app_{suffix}", f"t_roles_{suffix}"
    su = _superuser()
    with su.cursor() as cur:
        cur.execute(f"CREATE ROLE {owner} LOGIN")
        cur.execute(f"CREATE ROLE {app_role} LOGIN")
        cur.execute(f"CREATE DATABASE {dbname}")
    base = SUPERUSER_URL.rsplit("/", 1)[0].replace("postgres@", "{}@")
    db_su = psycopg2.connect(base.format("postgres") + f"/{dbname}")
    db_su.autocommit = True
    from portal.db_roles import setup_statements

    with db_su.cursor() as cur:
        for statement in setup_statements(owner, app_role, dbname):
            if not statement.startswith(("--", "CREATE ROLE")):
                cur.execute(statement)
    db_su.close()
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    yield {
        "owner": base.format(owner) + f"/{dbname}",
        "app": base.format(app_role) + f"/{dbname}",
        "app_role": app_role,
    }
    from portal.db import database

    if not database.is_closed():
        database.close()
    with su.cursor() as cur:
        cur.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", (dbname,))
        cur.execute(f"DROP DATABASE {dbname}")
        cur.execute(f"DROP ROLE {owner}")
        cur.execute(f"DROP ROLE {app_role}")
    su.close()


def test_the_application_login_cannot_erase_or_unprotect_the_audit_log(split, tmp_path):
    from portal import create_app
    from portal.testing import login

    config = {
        **base_config(tmp_path),
        "DATABASE_URL": split["app"],
        "DATABASE_OWNER_URL": split["owner"],
        "PORTAL_DB_APP_ROLE": split["app_role"],
    }
    app = create_app(config)
    result = app.test_cli_runner().invoke(args=["init-db", "--demo"])
    assert result.exit_code == 0, result.output
    assert "alleen lezen en toevoegen" in result.output

    # The portal works as the application login: a login writes a session and audit rows.
    served = create_app(config)
    client = served.test_client()
    assert login(client, "directie").status_code == 302
    assert client.get("/klaverweide/zaken/").status_code == 200

    conn = psycopg2.connect(split["app"])
    conn.autocommit = True
    refused = []
    for statement in (
        "TRUNCATE portal_audit_log",
        "UPDATE portal_audit_log SET outcome = 'ok'",
        "DELETE FROM portal_audit_log",
        "ALTER TABLE portal_audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER portal_audit_append_only ON portal_audit_log",
        "DROP TABLE portal_audit_log",
        "CREATE TABLE kwaad (x int)",
    ):
        with conn.cursor() as cur:
            try:
                cur.execute(statement)
            except psycopg2.Error as exc:
                refused.append((statement, exc.pgcode))
    with conn.cursor() as cur:
        cur.execute("SELECT count(*) FROM portal_audit_log")
        rows = cur.fetchone()[0]
        cur.execute(
            "INSERT INTO portal_audit_log (at, user_email, role, school, case_ref, action, "
            "outcome, ip, detail) VALUES (now(), '', '', '', '', 'test', 'ok', '', '')"
        )
    conn.close()
    assert [s for s, _ in refused] == [
        "TRUNCATE portal_audit_log",
        "UPDATE portal_audit_log SET outcome = 'ok'",
        "DELETE FROM portal_audit_log",
        "ALTER TABLE portal_audit_log DISABLE TRIGGER ALL",
        "DROP TRIGGER portal_audit_append_only ON portal_audit_log",
        "DROP TABLE portal_audit_log",
        "CREATE TABLE kwaad (x int)",
    ]
    # insufficient privilege / owner; DELETE is granted for the retention of view rows, and the
    # table's trigger refuses it for every other row (raise_exception, m0017).
    assert all(code == ("P0001" if s.startswith("DELETE") else "42501") for s, code in refused), refused
    assert rows > 0
