"""Fixtures (flaskr style): an app per test on a fresh database, CSRF on.

The database is a SQLite file in a temporary folder, or PostgreSQL when
DATABASE_URL is set (CI runs the suite on both).
"""

import os
import re

import pytest

from portal import create_app
from portal import migrate
from portal.db import database
from portal.demo import create_demo
from portal.demo import demo_password
from portal.registry import get_pm

from . import caseplugin

pytest_plugins = ["tests.browser_support"]

PG_URL = os.environ.get("DATABASE_URL", "")


def _reset_postgres():
    import psycopg2

    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    conn.close()


@pytest.fixture
def app_config(tmp_path):
    url = PG_URL if PG_URL.startswith("postgres") else f"sqlite:///{tmp_path / 'test.sqlite3'}"
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-0123456789",
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": True,
        "PORTAL_EXTRA_PLUGINS": (caseplugin,),
        "SMTP_HOST": "",
        # Cheap argon2id parameters: the suite logs in thousands of times.
        "PASSWORD_HASH_FAST": True,
    }


@pytest.fixture
def app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    if PG_URL.startswith("postgres"):
        _reset_postgres()
    app = create_app(app_config)
    with app.app_context():
        database.connect(reuse_if_open=True)
        migrate.upgrade(get_pm(), log=lambda *_: None)
        create_demo(get_pm(), log=lambda *_: None)
        database.close()
    yield app
    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


def csrf_from(html):
    m = CSRF_RE.search(html if isinstance(html, str) else html.decode())
    assert m, "no csrf_token in page"
    return m.group(1)


def get_csrf(client, url="/login"):
    return csrf_from(client.get(url).get_data(as_text=True))


def login(client, who, password=None):
    """Log in as a demo role ('directie') or an email address; return the response."""
    email = who if "@" in who else (
        f"{who}@asg.demo" if who in ("bestuur", "beheerder") else f"{who}@klaverweide.demo"
    )
    token = get_csrf(client, "/login")
    return client.post(
        "/login",
        data={"email": email, "password": password or demo_password(), "csrf_token": token},
    )


def post(client, url, data=None, page=None, **kw):
    """POST with a CSRF token taken from ``page`` (default: the same URL, or the dashboard)."""
    data = dict(data or {})
    data["csrf_token"] = get_csrf(client, page or "/klaverweide/")
    return client.post(url, data=data, **kw)


@pytest.fixture
def ctx(app):
    """An app context with an open database connection, for engine-level tests."""
    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        yield app
        database.close()


ROLES = ("leerkracht", "ondersteunend", "ib", "contactpersoon", "directie", "bestuur", "beheerder")
