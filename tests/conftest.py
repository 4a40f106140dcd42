"""Fixtures (flaskr style): an app per test on a fresh database, CSRF on.

The app, the client and the helpers come from the portal's testing kit
(``portal.testing``), which plugin authors use too. The database is a SQLite file
in a temporary folder, or PostgreSQL when DATABASE_URL is set (CI runs the suite
on both). The core's tests add the test-only case type "testzaak".
"""

import pytest

from portal.testing import OWNER_URL
from portal.testing import PG_URL  # noqa: F401 - imported by tests
from portal.testing import ROLES  # noqa: F401
from portal.testing import base_config
from portal.testing import csrf_from  # noqa: F401
from portal.testing import db_session
from portal.testing import get_csrf  # noqa: F401
from portal.testing import login  # noqa: F401
from portal.testing import make_app
from portal.testing import patched
from portal.testing import post  # noqa: F401
from portal.testing import reset_postgres as _reset_postgres  # noqa: F401

from . import caseplugin

pytest_plugins = ["tests.browser_support"]


@pytest.fixture
def app_config(request, tmp_path):
    config = {**base_config(tmp_path), "PORTAL_EXTRA_PLUGINS": (caseplugin,)}
    if request.node.get_closest_marker("schema") and PG_URL.startswith("postgres"):
        # The test itself changes the schema: as its owner, not as the application login.
        config["DATABASE_URL"] = OWNER_URL
    return config


@pytest.fixture
def app(app_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    # The demo school enables the built-in plugins (and testzaak, by its demo hook); a
    # third-party plugin stays off until a test enables it.
    app = make_app(app_config, tmp_path / "instance", enable_all=False, fresh=patched(monkeypatch))
    yield app
    from portal.db import database

    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    """An app context with an open database connection, for engine-level tests."""
    with db_session(app):
        yield app
