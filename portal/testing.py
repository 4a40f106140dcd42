"""The testing kit: fixtures and helpers for the portal's own tests and for plugin authors.

A plugin's ``tests/conftest.py`` says::

    pytest_plugins = ["portal.testing"]

    @pytest.fixture
    def portal_config(portal_config):
        return {**portal_config, "PORTAL_PLUGINS": ("mijnplugin",)}

and gets an ``app`` on a fresh database (a SQLite file in a temporary folder, or the
PostgreSQL database in ``DATABASE_URL``, emptied first) with the demo school "De
Klaverweide", its demo staff for every role and every loaded plugin enabled; a test
``client`` with CSRF on; ``login``, ``post`` and ``as_role`` helpers; ``make_case``,
which starts a case of any type through its start form; and ``access_problems``, the
walk over every route of a plugin with every role.
"""

import contextlib
import os
import re

import pytest
from werkzeug.datastructures import MultiDict
from werkzeug.routing.converters import IntegerConverter

PG_URL = os.environ.get("DATABASE_URL", "")
# With DATABASE_OWNER_URL (CI's PostgreSQL run) the kit empties and migrates the database as
# the schema's owner and then serves the tests as the application login of DATABASE_URL,
# which owns nothing (portal/db_roles.py); without it both are DATABASE_URL.
OWNER_URL = os.environ.get("DATABASE_OWNER_URL", "") or PG_URL
APP_ROLE = os.environ.get("PORTAL_DB_APP_ROLE", "")
SCHOOL = "klaverweide"
ROLES = (
    "leerkracht",
    "ondersteunend",
    "ib",
    "contactpersoon",
    "aandachtsfunctionaris",
    "directie",
    "bestuur",
    "beheerder",
)
SECRET = "test-secret-key-that-is-long-enough-0123456789"  # noqa: S105 - for tests only
CSRF_RE = re.compile(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"')


# ---------------------------------------------------------------- the app ----


def reset_postgres(url=None):
    """Empty the PostgreSQL database (the schema ``public``), as the schema's owner."""
    import psycopg2

    conn = psycopg2.connect(url or OWNER_URL)
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        if APP_ROLE:
            cur.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
    conn.close()


def base_config(folder):
    """The test configuration: CSRF on, no mail server, cheap password hashing."""
    url = PG_URL if PG_URL.startswith("postgres") else f"sqlite:///{folder / 'test.sqlite3'}"
    return {
        "TESTING": True,
        "SECRET_KEY": SECRET,
        "DATABASE_URL": url,
        "WTF_CSRF_ENABLED": True,
        "SMTP_HOST": "",
        # Cheap argon2id parameters: a suite logs in thousands of times.
        "PASSWORD_HASH_FAST": True,
        # Tests log in as every demo role with a password only; the second factor has tests
        # of its own that switch it on (it is on by default everywhere else).
        "PORTAL_REQUIRE_MFA": False,
        # A test reads the audit rows of the page it just opened.
        "AUDIT_VIEW_BATCH": False,
    }


def make_app(config, instance_path, enable_all=True, fresh=False):
    """A migrated app with the demo school; ``enable_all`` also enables the plugins that
    are not built in (a plugin under test), so its routes are really reached. ``fresh``:
    build the database from scratch and keep no snapshot of it (the test changed code that
    the migrations or the demo run: see ``patched``)."""
    from . import create_app
    from . import migrate
    from . import testing_snapshot as snapshot
    from .admin import set_plugin_enabled
    from .db import database
    from .demo import create_demo
    from .models import School
    from .registry import get_pm
    from .registry import get_registry

    os.environ["PORTAL_INSTANCE_PATH"] = str(instance_path)
    postgres = config["DATABASE_URL"].startswith("postgres")
    split = postgres and OWNER_URL != config["DATABASE_URL"]
    # The database the previous test of this configuration started on, when there is one
    # (portal/testing_snapshot.py); else it is built here and kept.
    key = None if fresh else snapshot.key_of(config, instance_path, enable_all)
    restored = key is not None and snapshot.restore(key, config["DATABASE_URL"], OWNER_URL)
    if postgres and not restored:
        reset_postgres()
    app = create_app({**config, "DATABASE_URL": OWNER_URL} if split else config)
    with app.app_context():
        database.connect(reuse_if_open=True)
        if not restored:
            migrate.upgrade(get_pm(), log=lambda *_: None)
            create_demo(get_pm(), log=lambda *_: None)
            if enable_all:
                school = School.get(School.slug == SCHOOL)
                for slug in get_registry().plugin_slugs:
                    set_plugin_enabled(school, slug, True)
            if split and APP_ROLE:
                from .db_roles import apply_grants

                apply_grants(database, APP_ROLE)
            if key is not None:
                snapshot.take(key, config["DATABASE_URL"], OWNER_URL)
        database.close()
    if split:
        # From here on the tests are served as the application login, as production is.
        from .db import open_database
        from .db import use_database

        app.config["DATABASE_URL"] = config["DATABASE_URL"]
        use_database(open_database(config["DATABASE_URL"]))
    return app


def patched(monkeypatch):
    """Has the test replaced code (``monkeypatch.setattr``) before its app is made? Then
    the demo it makes may differ from the snapshot's, and the app is made ``fresh``. A fixed
    ``api.today`` is no reason: the snapshot's key holds the day it gives."""
    # pytest keeps the undo list in ``_setattr`` (since pytest 3): (object, name, old value).
    return any(
        not (getattr(target, "__name__", None) == "portal.api" and name == "today")
        for target, name, _ in monkeypatch._setattr
    )


@pytest.fixture
def portal_config(tmp_path):
    """Override to add settings: ``{**portal_config, "PORTAL_PLUGINS": ("mijnplugin",)}``."""
    return base_config(tmp_path)


@pytest.fixture
def app(portal_config, tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    app = make_app(portal_config, tmp_path / "instance", fresh=patched(monkeypatch))
    yield app
    from .db import database

    if not database.is_closed():
        database.close()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@contextlib.contextmanager
def db_session(app, school=SCHOOL):
    """A request context of ``school`` with a database connection, for work between requests."""
    from .db import database

    with app.test_request_context(f"/{school}/"):
        database.connect(reuse_if_open=True)
        try:
            yield
        finally:
            if not database.is_closed():
                database.close()


@pytest.fixture
def ctx(app):
    """An open request context and database connection for the whole test."""
    with db_session(app):
        yield app


# ------------------------------------------------------------- requests ----


def csrf_from(html):
    m = CSRF_RE.search(html if isinstance(html, str) else html.decode())
    assert m, "no csrf_token in page"
    return m.group(1)


def get_csrf(client, url="/login"):
    return csrf_from(client.get(url).get_data(as_text=True))


def email_of(role):
    """The demo account of a role (board-wide roles have an @asg.demo address)."""
    return f"{role}@asg.demo" if role in ("bestuur", "beheerder") else f"{role}@{SCHOOL}.demo"


def login(client, who, password=None):
    """Log in as a demo role ("directie") or an e-mail address; return the response."""
    from .demo import demo_password

    email = who if "@" in who else email_of(who)
    token = get_csrf(client, "/login")
    return client.post(
        "/login", data={"email": email, "password": password or demo_password(), "csrf_token": token}
    )


def as_role(app, role):
    """A new client, logged in as ``role``."""
    client = app.test_client()
    assert login(client, role).status_code == 302, f"login as {role} failed"
    return client


def post(client, url, data=None, page=None, **kw):
    """POST with a CSRF token taken from ``page`` (default: the school's dashboard)."""
    data = dict(data or {})
    data["csrf_token"] = get_csrf(client, page or f"/{SCHOOL}/")
    return client.post(url, data=data, **kw)


# -------------------------------------------------------------- factories ----


def user(role):
    from .models import User

    return User.get(User.email == email_of(role))


def actor(role):
    """The demo user of ``role`` as the engine expects the one who acts."""
    from .sessions import PortalUser

    return PortalUser(user(role), None)


def school(slug=SCHOOL):
    from .models import School

    return School.get(School.slug == slug)


def make_case(type_name, data=None, by="directie", origin=None, **values):
    """Start a case of ``type_name`` through its start form filled with ``data`` (inside
    ``db_session``); the form must be valid. ``values`` go straight onto the detail row;
    ``origin``: the case it follows (required for a ``follow_up_only`` start)."""
    from .cases import engine

    ct = engine.case_type(type_name)
    form = ct.start.form(MultiDict(data or {}))
    assert form.validate(), f"start form of {type_name}: {form.errors}"
    who = actor(by) if by else None
    return engine.start_case(school(), type_name, form, who, values=values or None, origin=origin)


# ------------------------------------------------------------ access walk ----

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def routes(app, values, blueprint=None):
    """[(rule, method, url, kind, permission)] of every rule (of ``blueprint``), built from
    the URL map so that a route added later is walked too."""
    from .access import view_rule

    out = []
    for rule in app.url_map.iter_rules():
        if blueprint is not None and rule.endpoint.partition(".")[0] != blueprint:
            continue
        args = {}
        for arg in rule.arguments:
            if arg in values:
                args[arg] = values[arg]
            elif isinstance(rule._converters.get(arg), IntegerConverter):
                args[arg] = 1
            else:
                args[arg] = "x"
        url = rule.build(args, append_unknown=False)[1]
        kind, perm = view_rule(app.view_functions[rule.endpoint])
        out.extend((rule, method, url, kind, perm) for method in sorted(rule.methods - SKIPPED_METHODS))
    return out


def access_problems(app, values=None, blueprint=None, roles=ROLES):
    """What is wrong with access to the routes (of ``blueprint``), as text lines: every route,
    anonymously and as every role. Anonymous visitors reach only public views; a POST
    without a CSRF token is refused; a role without a view's permission gets 403 or 404;
    nothing answers with a server error."""
    from .access import BOARD_ADMIN
    from .access import LOGIN
    from .access import holds_board_role
    from .access import roles_for_permission
    from .models import UserRole

    values = {"school": SCHOOL, **(values or {})}
    walk = routes(app, values, blueprint)
    problems = []
    anonymous = app.test_client()
    token = get_csrf(anonymous, "/login")
    for rule, method, url, kind, _perm in walk:
        public = kind == "public" or rule.endpoint == "static"
        r = _call(anonymous, method, url, token)
        if r.status_code >= 500:
            problems.append(f"anoniem: {method} {url}: {r.status_code}")
        elif 200 <= r.status_code < 300 and not public:
            problems.append(f"anoniem: {method} {url} bereikbaar ({r.status_code})")
        if method != "GET" and _call(anonymous, method, url).status_code != 400:
            problems.append(f"anoniem: {method} {url} zonder CSRF-token niet geweigerd")
    for role in roles:
        client = as_role(app, role)
        token = get_csrf(client, "/wachtwoord")
        with db_session(app):
            held = {r.role for r in UserRole.select().where(UserRole.user == user(role).id)}
            here = school()
            granted = {
                perm: holds_board_role(user(role).id)
                if perm == BOARD_ADMIN
                else bool(held & roles_for_permission(perm, here))
                for _r, _m, _u, kind, perm in walk
                if kind == "permission" and perm != LOGIN
            }
        for _rule, method, url, kind, perm in walk:
            allowed = kind != "permission" or perm == LOGIN or granted[perm]
            if allowed:
                if method == "GET":
                    r = client.get(url)
                    if r.status_code >= 500 or r.status_code == 401:
                        problems.append(f"{role}: GET {url} ({perm}): {r.status_code}")
                continue
            r = _call(client, method, url, token)
            if r.status_code not in (403, 404):
                problems.append(f"{role} zonder {perm}: {method} {url} gaf {r.status_code}")
    return problems


def _call(client, method, url, token=None):
    if method == "GET":
        return client.get(url)
    return client.open(url, method=method, data={"csrf_token": token} if token else {})
