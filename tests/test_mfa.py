"""TOTP second factor: enrol, log in with a code, no code twice, required mode."""

import re
import time

import pyotp

from portal.db import database
from portal.models import User

from .conftest import get_csrf
from .conftest import login
from .conftest import post


def _enrol(client):
    html = client.get("/mfa").get_data(as_text=True)
    secret = re.search(r'class="code">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    assert 'src="data:image/png;base64,' in html  # the QR code, served inline
    r = post(client, "/mfa", {"code": "000000"}, page="/mfa")
    assert "Deze code klopt niet" in r.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    r = post(client, "/mfa", {"code": code}, page="/mfa")
    assert r.status_code == 302
    return secret


def _step_back(app, email):
    """Pretend the last accepted code is older, so a new one in the same 30 s may be used."""
    with app.app_context():
        database.connect(reuse_if_open=True)
        User.update(totp_last_step=User.totp_last_step - 5).where(User.email == email).execute()
        database.close()


def test_enrol_then_login_needs_code_once(app, client):
    login(client, "ib")
    secret = _enrol(client)
    post(client, "/logout", page="/klaverweide/")
    _step_back(app, "ib@klaverweide.demo")

    c = app.test_client()
    r = login(c, "ib")
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/code")
    assert c.get("/klaverweide/").status_code == 302  # not logged in yet
    token = get_csrf(c, "/login/code")
    r = c.post("/login/code", data={"code": "123456", "csrf_token": token})
    assert r.status_code == 401 and "klopt niet" in r.get_data(as_text=True)
    code = pyotp.TOTP(secret).now()
    r = c.post("/login/code", data={"code": code, "csrf_token": token})
    assert r.status_code == 302
    assert c.get("/klaverweide/").status_code == 200

    # The same code cannot be used a second time (a shoulder-surfed code is worthless).
    d = app.test_client()
    login(d, "ib")
    token = get_csrf(d, "/login/code")
    r = d.post("/login/code", data={"code": code, "csrf_token": token})
    assert r.status_code == 401


def test_code_step_expires(app, client):
    login(client, "ib")
    _enrol(client)
    post(client, "/logout", page="/klaverweide/")
    c = app.test_client()
    login(c, "ib")
    with c.session_transaction() as s:
        s["mfa_since"] = int(time.time()) - 301
    r = c.get("/login/code")
    assert r.status_code == 302 and r.headers["Location"].endswith("/login")


def test_required_mode_sends_staff_to_enrolment(app):
    app.config["PORTAL_REQUIRE_MFA"] = True
    c = app.test_client()
    login(c, "directie")
    r = c.get("/klaverweide/zaken/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/mfa")
    assert c.get("/mfa").status_code == 200
    _enrol(c)
    assert c.get("/klaverweide/zaken/").status_code == 200
