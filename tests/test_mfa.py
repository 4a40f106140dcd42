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
    assert r.status_code == 200 and "Uw herstelcodes" in r.get_data(as_text=True)
    assert r.headers["Cache-Control"] == "no-store"
    _enrol.codes = re.findall(r'class="code">([A-Z2-9]{5}-[A-Z2-9]{5})<', r.get_data(as_text=True))
    assert len(_enrol.codes) == 10
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


def test_required_by_default_for_dossier_roles_only(app_config, tmp_path, monkeypatch):
    """Without any setting, every role that sees case content must enrol; a teacher need not."""
    from portal.testing import make_app

    config = {k: v for k, v in app_config.items() if k != "PORTAL_REQUIRE_MFA"}
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "standaard"))
    strict = make_app(config, tmp_path / "standaard", enable_all=False)
    from portal.declarations import DOSSIER_ROLES
    from portal.testing import ROLES

    assert strict.config["PORTAL_REQUIRE_MFA"] is True
    # The roles that see case content, the meldcode's aandachtsfunctionaris among them.
    assert set(DOSSIER_ROLES) >= {
        "ib",
        "contactpersoon",
        "aandachtsfunctionaris",
        "directie",
        "bestuur",
        "beheerder",
    }
    for role in ROLES:
        c = strict.test_client()
        assert login(c, role).status_code == 302
        r = c.get("/klaverweide/")
        if role in DOSSIER_ROLES:
            assert r.status_code == 302 and r.headers["Location"].endswith("/mfa"), role
        else:  # leerkracht, ondersteunend: no case content beyond what they report themselves
            assert r.status_code == 200, role


def test_a_recovery_code_works_once_and_the_secret_is_stored_sealed(app, client):
    login(client, "ib")
    secret = _enrol(client)
    codes = list(_enrol.codes)
    with app.app_context():
        database.connect(reuse_if_open=True)
        stored = User.get(User.email == "ib@klaverweide.demo").totp_secret
        from portal.models import RecoveryCode

        hashes = [r.code_hash for r in RecoveryCode.select()]
        database.close()
    assert secret not in stored and stored.startswith("f1:")
    assert not any(c.replace("-", "") in h for c in codes for h in hashes)
    post(client, "/logout", page="/klaverweide/")

    def with_code(value):
        c = app.test_client()
        login(c, "ib")
        return c, c.post("/login/code", data={"code": value, "csrf_token": get_csrf(c, "/login/code")})

    c, r = with_code(codes[0].lower())
    assert r.status_code == 302
    after = c.get("/klaverweide/")
    assert after.status_code == 200 and "nog 9" in after.get_data(as_text=True)
    _, again = with_code(codes[0])
    assert again.status_code == 401


def test_a_required_second_factor_cannot_be_switched_off(app, client):
    app.config["PORTAL_REQUIRE_MFA"] = True
    login(client, "directie")
    secret = _enrol(client)
    page = client.get("/mfa").get_data(as_text=True)
    assert "uitzetten kan niet" in page and 'value="uit"' not in page
    _step_back(app, "directie@klaverweide.demo")
    post(client, "/mfa", {"code": pyotp.TOTP(secret).now(), "actie": "uit"}, page="/mfa")
    with app.app_context():
        database.connect(reuse_if_open=True)
        assert User.get(User.email == "directie@klaverweide.demo").totp_secret
        database.close()


def test_production_warns_about_switching_it_off(tmp_path, monkeypatch, caplog):
    from portal import create_app

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "prod"))
    create_app(
        {
            "PORTAL_ENV": "production",
            "SECRET_KEY": "Zq8vN3kLp0Xw7RtY2bHc9MdF4sJgA6uE1oIiVnBz",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'p.sqlite3'}",
            "PORTAL_URL": "https://portaal.school.nl",
            "PORTAL_REQUIRE_MFA": False,
        }
    )
    assert "PORTAL_REQUIRE_MFA staat uit" in caplog.text


def test_a_beheerder_reset_ends_sessions_and_asks_for_enrolment_again(app, client):
    from portal.mfa import reset_second_factor
    from portal.models import AuditLog
    from portal.models import RecoveryCode

    app.config["PORTAL_REQUIRE_MFA"] = True
    login(client, "ib")
    _enrol(client)
    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        ib = User.get(User.email == "ib@klaverweide.demo")
        reset_second_factor(ib, User.get(User.email == "beheerder@asg.demo"))
        assert User.get_by_id(ib.id).totp_secret == ""
        assert not RecoveryCode.select().where(RecoveryCode.user == ib.id).exists()
        assert AuditLog.select().where(AuditLog.action == "mfa.reset").exists()
        database.close()
    assert client.get("/klaverweide/").status_code == 302  # the session ended
    login(client, "ib")
    r = client.get("/klaverweide/")
    assert r.headers["Location"].endswith("/mfa")
