"""When the database fails (PostgreSQL down, a dead connection, SQLite locked for too long):
a Dutch 503 page made without the database, with the school's phone number when the
portal knows it; nothing half-saved; /health says so; the log names the kind of failure
and nothing personal; the next request works again."""

import logging

import peewee
import pytest

from portal import db
from portal.db import database
from portal.db import failure_kind

from .conftest import login

PHONE = "036 000 0000"  # the demo school's


def test_failure_kinds():
    assert failure_kind(peewee.OperationalError("database is locked")) == "locked"
    assert failure_kind(peewee.OperationalError("database or disk is full")) == "disk_full"
    assert failure_kind(peewee.OperationalError("attempt to write a readonly database")) == "read_only"
    assert failure_kind(peewee.OperationalError("disk I/O error")) == "io_error"
    assert failure_kind(peewee.InterfaceError("connection already closed")) == "connection_lost"
    assert (
        failure_kind(
            peewee.OperationalError(
                'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
            )
        )
        == "connection_lost"
    )
    assert (
        failure_kind(peewee.OperationalError("server closed the connection unexpectedly"))
        == "connection_lost"
    )
    assert failure_kind(peewee.OperationalError("no such table: x")) == "other"


@pytest.fixture
def database_down(monkeypatch):
    """Every new connection fails, as when PostgreSQL has stopped."""

    def refuse(*args, **kw):
        raise peewee.OperationalError(
            'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
        )

    def go():
        database.close()  # the test client's requests each connect anew
        monkeypatch.setattr(database.obj, "connect", refuse)

    return go


def test_database_down_gives_the_dutch_page_with_the_phone(app, client, database_down, caplog):
    staff = app.test_client()
    assert login(staff, "directie").status_code == 302
    assert client.get("/klaverweide/klachten/indienen").status_code == 200  # the school is known
    database_down()
    caplog.set_level(logging.ERROR)
    for who, url in (
        (client, "/klaverweide/klachten/indienen"),
        (staff, "/klaverweide/"),
        (staff, "/klaverweide/zaken/"),
        (client, "/login"),
    ):
        r = who.get(url)
        assert r.status_code == 503, url
        assert r.mimetype == "text/html", url
        html = r.get_data(as_text=True)
        assert "Tijdelijk niet beschikbaar" in html and "Traceback" not in html
        assert r.headers["Cache-Control"] == "no-store"
    assert PHONE in client.get("/klaverweide/klachten/indienen").get_data(as_text=True)
    text = caplog.text
    assert "kind=connection_lost" in text
    assert "@" not in text  # no addresses, no user names


def test_health_when_the_database_is_down(app, client, database_down):
    assert client.get("/health").status_code == 200
    database_down()
    r = client.get("/health")
    assert r.status_code == 503
    assert r.get_json()["status"] == "onbeschikbaar"


def test_a_connection_that_dies_mid_request_also_on_rollback(app, monkeypatch):
    """The connection breaks inside a transaction and the rollback fails too (PostgreSQL
    restarted): the Dutch page, not a plain-text 500; the next request works."""
    staff = app.test_client()
    assert login(staff, "directie").status_code == 302
    from portal import schools

    real_dashboard = schools.dashboard_panels

    def breaks(*args, **kw):
        with db.atomic():
            raise peewee.InterfaceError("connection already closed")

    def broken_rollback(*args, **kw):
        raise peewee.InterfaceError("connection already closed")

    with monkeypatch.context() as m:
        m.setattr(schools, "dashboard_panels", breaks)
        m.setattr(database.obj, "rollback", broken_rollback)
        r = staff.get("/klaverweide/")
    assert r.status_code == 503
    assert "Tijdelijk niet beschikbaar" in r.get_data(as_text=True)
    assert schools.dashboard_panels is real_dashboard
    assert staff.get("/klaverweide/").status_code == 200  # recovered without a restart


def test_a_write_that_stays_locked_ends_in_the_dutch_page(app, client, monkeypatch):
    """SQLite: another process holds the write lock longer than the portal waits."""
    if not db.is_sqlite():
        pytest.skip("SQLite's write lock")
    import sqlite3

    path = app.config["DATABASE_URL"][len("sqlite:///") :]
    page = client.get("/klaverweide/klachten/indienen").get_data(as_text=True)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # holds the write lock
    try:
        monkeypatch.setattr(database.obj, "lock_retry_seconds", 0.3)
        monkeypatch.setattr(
            database.obj,
            "_pragmas",
            [(k, 50 if k == "busy_timeout" else v) for k, v in database.obj._pragmas],
        )
        monkeypatch.setattr(database.obj, "_timeout", 0.05)
        import re

        tokens = dict(re.findall(r'name="(csrf_token|form_token)"[^>]*? value="([^"]+)"', page))
        r = client.post(
            "/klaverweide/klachten/indienen",
            data={"category": "pesten", "what_happened": "Vast slot", **tokens},
        )
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert r.status_code == 503
    assert "erg druk" in r.get_data(as_text=True)


def test_health_when_migrations_are_pending(app, client, monkeypatch):
    """The code expects a schema the database does not have yet: not healthy."""
    from portal import migrate

    monkeypatch.setattr(migrate, "pending_migrations", lambda pm: [("portal", "m9999_nieuw")])
    r = client.get("/health")
    assert r.status_code == 503
    assert r.get_json()["problemen"] == ["migraties"] and r.get_json()["migraties_open"] == 1


def test_health_with_a_migration_the_database_lacks(app, client):
    """A real database one migration behind the code (as after a deploy without init-db):
    /health is 503 until it has run."""
    from portal.migrate import Migration

    from .core_helpers import db_ctx

    assert client.get("/health").status_code == 200
    with db_ctx(app):
        last = Migration.select().where(Migration.app == "portal").order_by(Migration.name.desc()).first()
        Migration.delete().where(Migration.id == last.id).execute()
    r = client.get("/health")
    assert r.status_code == 503
    assert r.get_json()["problemen"] == ["migraties"] and r.get_json()["migraties_open"] == 1


def test_the_503_page_gives_the_phone_for_urgent_matters(app, client, database_down):
    """The school's setting "Telefoonnummer voor spoed" wins over its ordinary number, also
    when the database is down (the page is made from what the process saw before)."""
    from portal.models import School
    from portal.settings import set_setting

    from .core_helpers import db_ctx

    with db_ctx(app):
        set_setting(School.get(School.slug == "klaverweide"), "portal.contact_phone", "06 1111 2222")
    assert client.get("/klaverweide/klachten/indienen").status_code == 200  # the school is seen
    database_down()
    r = client.get("/klaverweide/klachten/indienen")
    assert r.status_code == 503
    assert "06 1111 2222" in r.get_data(as_text=True)


@pytest.mark.schema
def test_health_on_a_database_that_was_never_migrated(tmp_path, monkeypatch, app_config):
    from portal import create_app

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "leeg"))
    if app_config["DATABASE_URL"].startswith("postgres"):
        from .conftest import _reset_postgres

        _reset_postgres()
    empty = create_app(app_config)
    r = empty.test_client().get("/health")
    assert r.status_code == 503 and r.get_json()["problemen"] == ["migraties"]


def test_health_when_mail_waits_too_long(app, client):
    """Mail due for longer than HEALTH_OUTBOX_MAX_MINUTES: the worker is not running."""
    import datetime

    from portal.models import Outbox
    from portal.models import utcnow

    from .core_helpers import db_ctx

    app.config["SMTP_HOST"] = "127.0.0.1"
    with db_ctx(app):
        Outbox.delete().execute()
        Outbox.create(
            to="ouder@voorbeeld.nl",
            subject="Test",
            body="x",
            next_attempt_at=utcnow() - datetime.timedelta(minutes=16),
        )
    r = client.get("/health")
    assert r.status_code == 503 and r.get_json()["problemen"] == ["mail"]
    with db_ctx(app):
        Outbox.update(next_attempt_at=utcnow() - datetime.timedelta(minutes=5)).execute()
    assert client.get("/health").status_code == 200


@pytest.mark.parametrize("message", ["database or disk is full", "attempt to write a readonly database"])
def test_disk_full_or_read_only_refuses_the_complaint_whole(app, client, monkeypatch, message):
    """The disk is full or the database read-only when a parent submits: a Dutch page that
    says nothing was saved and whom to call, and no half-saved complaint."""
    import re

    from plugins.klachten import models as submission
    from portal.models import Case

    from .core_helpers import db_ctx

    page = client.get("/klaverweide/klachten/indienen").get_data(as_text=True)
    tokens = dict(re.findall(r'name="(csrf_token|form_token)"[^>]*? value="([^"]+)"', page))
    with db_ctx(app):
        before = Case.select().count()
    real_create = submission.Klacht.create

    def fails(*args, **kw):
        real_create(*args, **kw)  # the case and its details are written, then the disk fills
        raise peewee.OperationalError(message)

    with monkeypatch.context() as m:
        m.setattr(submission.Klacht, "create", fails)
        r = client.post(
            "/klaverweide/klachten/indienen",
            data={"category": "pesten", "what_happened": "Schijf vol", **tokens},
        )
    assert r.status_code == 503
    html = r.get_data(as_text=True)
    assert "kan op dit moment niets opslaan" in html and PHONE in html
    with db_ctx(app):
        assert Case.select().count() == before
