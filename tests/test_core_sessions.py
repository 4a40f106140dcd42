"""Sessions that really end (docs/security.md A3, A4): replay after logout, password change
and disabling; session fixation; idle and absolute timeouts; cookie flags."""

import datetime

from portal.auth import disable_user
from portal.models import UserSession
from portal.models import utcnow

from .conftest import get_csrf
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import user

COOKIE = "portal"
DASHBOARD = "/klaverweide/"


def cookie_of(client):
    c = client.get_cookie(COOKIE)
    assert c is not None, "no session cookie"
    return c.value


def replay(app, value):
    """A fresh browser that only has the copied cookie."""
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other.get(DASHBOARD)


def assert_login_page(r):
    assert r.status_code == 302, r.status_code
    assert r.headers["Location"].startswith("/login"), r.headers["Location"]


def test_copied_cookie_works_until_logout(app, client):
    assert login(client, "directie").status_code == 302
    stolen = cookie_of(client)
    assert replay(app, stolen).status_code == 200  # the cookie is the credential
    r = post(client, "/logout", page=DASHBOARD)
    assert r.status_code == 302 and r.headers["Location"].startswith("/login")
    assert "cache" in r.headers.get("Clear-Site-Data", "")
    assert_login_page(replay(app, stolen))
    assert_login_page(client.get(DASHBOARD))


def test_copied_cookie_dies_with_password_change(app, client):
    login(client, "ib")
    stolen = cookie_of(client)
    token = get_csrf(client, "/wachtwoord")
    r = client.post(
        "/wachtwoord",
        data={
            "csrf_token": token,
            "current": "klaverweide-demo",
            "new": "een-nieuw-lang-wachtwoord-7",
            "repeat": "een-nieuw-lang-wachtwoord-7",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    assert_login_page(replay(app, stolen))
    # The session that changed the password goes on, with a new cookie.
    assert client.get(DASHBOARD).status_code == 200
    assert cookie_of(client) != stolen
    # The old password no longer works, the new one does.
    fresh = app.test_client()
    assert login(fresh, "ib").status_code == 401
    assert login(fresh, "ib", "een-nieuw-lang-wachtwoord-7").status_code == 302


def test_copied_cookie_dies_when_account_disabled(app, client):
    login(client, "leerkracht")
    stolen = cookie_of(client)
    assert client.get(DASHBOARD).status_code == 200
    with db_ctx(app):
        disable_user(user("leerkracht"))
    assert_login_page(replay(app, stolen))
    assert_login_page(client.get(DASHBOARD))
    # And a disabled account cannot log in again.
    assert login(app.test_client(), "leerkracht").status_code == 401


def test_session_id_changes_on_login(app, client):
    client.get("/login")
    before = cookie_of(client)
    with client.session_transaction() as s:
        s["sid"] = "planted-by-attacker"
        planted = dict(s)
    login(client, "directie")
    after = cookie_of(client)
    assert after != before
    with client.session_transaction() as s:
        assert s["sid"] != "planted-by-attacker"
        assert s.get("csrf_token") != planted.get("csrf_token")
    # The pre-login cookie does not become a logged-in session.
    assert_login_page(replay(app, before))
    # Logging in again gives yet another session id; the first one ends.
    with client.session_transaction() as s:
        first = s["sid"]
    token = get_csrf(client, "/wachtwoord")
    r = client.post(
        "/login",
        data={"email": "directie@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": token},
    )
    assert r.status_code == 302
    with client.session_transaction() as s:
        assert s["sid"] != first


def test_idle_timeout(app, client):
    login(client, "directie")
    assert client.get(DASHBOARD).status_code == 200
    with db_ctx(app):
        UserSession.update(last_seen=utcnow() - datetime.timedelta(minutes=29)).execute()
    assert client.get(DASHBOARD).status_code == 200
    with db_ctx(app):
        UserSession.update(last_seen=utcnow() - datetime.timedelta(minutes=31)).execute()
    assert_login_page(client.get(DASHBOARD))


def test_absolute_timeout(app, client):
    login(client, "directie")
    with db_ctx(app):
        UserSession.update(created_at=utcnow() - datetime.timedelta(hours=11), last_seen=utcnow()).execute()
    assert_login_page(client.get(DASHBOARD))


def test_session_cookie_flags(client):
    client.get("/login")
    token = get_csrf(client, "/login")
    r = client.post(
        "/login",
        data={"email": "directie@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": token},
    )
    cookies = [h for h in r.headers.getlist("Set-Cookie") if h.startswith(COOKIE + "=")]
    assert cookies, r.headers
    flags = [p.strip().lower() for p in cookies[-1].split(";")]
    assert "httponly" in flags
    assert "samesite=lax" in flags
    assert not any(f.startswith("expires=") or f.startswith("max-age=") for f in flags), (
        "the session cookie must not outlive the browser (no remember-me)"
    )
    assert not any(h.startswith("remember_token=") for h in r.headers.getlist("Set-Cookie"))
