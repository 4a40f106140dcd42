"""CSRF (docs/security.md D3): a POST without a valid token is refused with 400 and changes nothing."""

from portal.models import AuditLog
from portal.models import LoginAttempt
from portal.models import UserSession

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import event_count
from .core_helpers import make_case
from .core_helpers import reload


def test_login_without_token(app, client):
    client.get("/login")
    r = client.post("/login", data={"email": "directie@klaverweide.demo", "password": "klaverweide-demo"})
    assert r.status_code == 400
    assert "Ongeldig verzoek" in r.get_data(as_text=True)
    assert client.get("/klaverweide/").status_code == 302  # not logged in
    with db_ctx(app):
        assert UserSession.select().count() == 0
        assert LoginAttempt.select().count() == 0


def test_login_with_token_of_another_session(app, client):
    other = app.test_client()
    token = get_csrf(other, "/login")
    client.get("/login")
    r = client.post(
        "/login",
        data={"email": "directie@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": token},
    )
    assert r.status_code == 400
    r = client.post(
        "/login",
        data={"email": "directie@klaverweide.demo", "password": "klaverweide-demo", "csrf_token": "x" * 40},
    )
    assert r.status_code == 400


def test_logout_without_token(app, client):
    login(client, "directie")
    assert client.post("/logout").status_code == 400
    assert client.get("/klaverweide/").status_code == 200  # still logged in
    with db_ctx(app):
        assert UserSession.select().where(UserSession.ended_at.is_null()).count() == 1


def test_transition_without_token(app, client):
    with db_ctx(app):
        case = make_case("CSRF-test")
        events = event_count(case)
    login(client, "directie")
    url = f"/klaverweide/zaken/{case.reference}/stap/testzaak.start"
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "vervalst"}).status_code == 400
    with db_ctx(app):
        assert reload(case).state == "nieuw"
        assert event_count(case) == events
        assert (
            not AuditLog.select()
            .where((AuditLog.action == "case.transition") & (AuditLog.case_ref == case.reference))
            .exists()
        )
    # With the token it goes through (the test above is not vacuous).
    token = get_csrf(client, f"/klaverweide/zaken/{case.reference}")
    assert client.post(url, data={"csrf_token": token}).status_code == 302
    with db_ctx(app):
        assert reload(case).state == "bezig"


def test_login_stores_the_csrf_secret_so_later_pages_keep_the_cookie(app, client):
    # The session cookie set at login already holds the CSRF secret: pages with forms
    # after it (every page has the logout form) neither change nor resend the cookie.
    # Before, the secret was made again on each page for a client that kept the
    # login cookie, and each page sent a new signed cookie.
    r = login(client, "directie")
    assert r.status_code == 302 and "Set-Cookie" in r.headers
    for url in ("/klaverweide/", "/klaverweide/zaken/", "/klaverweide/zaken/"):
        page = client.get(url)
        assert page.status_code == 200
        assert 'name="csrf_token"' in page.get_data(as_text=True)
        assert "Set-Cookie" not in page.headers, url
    # The token on those pages is valid: logging out with it works.
    token = get_csrf(client, "/klaverweide/zaken/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    assert client.get("/klaverweide/").status_code == 302


def test_the_signed_token_is_made_once_per_session_and_stays_valid(app, client, monkeypatch):
    from flask_wtf import csrf as wtf_csrf

    from portal import csrf

    login(client, "directie")
    first = get_csrf(client, "/klaverweide/")
    signed = []
    real_dumps = wtf_csrf.URLSafeTimedSerializer.dumps
    monkeypatch.setattr(
        wtf_csrf.URLSafeTimedSerializer,
        "dumps",
        lambda self, obj, *a, **k: signed.append(obj) or real_dumps(self, obj, *a, **k),
    )
    # Later pages reuse the token signed for this session's secret: nothing is signed.
    assert get_csrf(client, "/klaverweide/zaken/") == first
    assert get_csrf(client, "/klaverweide/") == first
    assert signed == []
    # Another session gets its own secret and token, never this one.
    other = app.test_client()
    login(other, "ib")
    assert get_csrf(other, "/klaverweide/") != first
    # The kept token is accepted (the logout POST goes through) and after logout the
    # old token is refused: it belonged to the secret that went with the session.
    assert client.post("/logout", data={"csrf_token": first}).status_code == 302
    login(client, "directie")
    assert client.post("/logout", data={"csrf_token": first}).status_code == 400
    assert len(csrf._signed) <= csrf._MAX_KEPT


def test_with_a_time_limit_tokens_are_signed_fresh(app, client):
    from portal import csrf

    app.config["WTF_CSRF_TIME_LIMIT"] = 3600  # read on every request
    csrf._signed.clear()
    login(client, "directie")
    token = get_csrf(client, "/klaverweide/")
    assert csrf._signed == {}  # nothing kept: every token carries its own time
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
