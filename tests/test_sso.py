"""Single sign-on with OpenID Connect against a small provider on 127.0.0.1 (tests/oidc_provider.py).

A good sign-in logs in the existing account whose verified address the ID token names;
every token that fails a check is refused with a Dutch message and an audit row, and
nobody is logged in: wrong audience, wrong issuer, expired, a forged signature, an
unverified or unknown address, a domain not allowed, a replayed state and a replayed
nonce. The provider's own second factor counts only when the ID token says so.
"""

import datetime
from urllib.parse import parse_qs
from urllib.parse import urlsplit

import pyotp
import pytest

from portal import sso
from portal.models import AuditLog
from portal.models import PasswordToken
from portal.models import SsoConfig
from portal.models import SsoRequest
from portal.models import User
from portal.secretbox import open_sealed
from portal.secretbox import seal

from .conftest import get_csrf
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .oidc_provider import OidcProvider

DIRECTIE = "directie@klaverweide.demo"


@pytest.fixture
def provider():
    sso.forget_provider()
    running = OidcProvider().start()
    yield running
    running.stop()
    sso.forget_provider()


def configure(app, provider, **values):
    """Single sign-on on for the board, as the board-wide beheerder's page would store it."""
    with db_ctx(app):
        fields = dict(
            enabled=True,
            issuer=provider.issuer,
            client_id=provider.client_id,
            client_secret=seal(provider.client_secret, "sso"),
            domains="klaverweide.demo\nasg.demo",
            button_label="Inloggen met de testprovider",
        )
        fields.update(values)
        row = SsoConfig.select().first()
        if row is None:
            SsoConfig.create(**fields)
        else:
            SsoConfig.update(**fields).where(SsoConfig.id == row.id).execute()


@pytest.fixture
def sso_on(app, provider):
    configure(app, provider)
    provider.claims = {"email": DIRECTIE}
    return provider


def start(client, next_url=None):
    """Follow the button on the login page; the provider's authorization address."""
    r = client.get("/login/sso", query_string={"next": next_url} if next_url else None)
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    return r.headers["Location"]


def back(client, location):
    """Follow the provider's answer back into the portal (its path and query only)."""
    parts = urlsplit(location)
    assert f"{parts.scheme}://{parts.netloc}" == "http://127.0.0.1:5000"  # PORTAL_URL's default
    return client.get(f"{parts.path}?{parts.query}")


def sign_in(client, provider, next_url=None):
    return back(client, provider.authorize(start(client, next_url)))


def logged_in(client):
    return client.get("/klaverweide/").status_code == 200


def sso_audits(app):
    with db_ctx(app):
        rows = AuditLog.select().where(AuditLog.action == "login.sso").order_by(AuditLog.id)
        return [(a.outcome, a.user_email, a.detail) for a in rows]


def test_a_good_sign_in_logs_in_the_existing_account(app, client, sso_on):
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen met de testprovider" in page and 'name="password"' in page  # passwords still on
    authorize = start(client, next_url="/klaverweide/zaken/")
    params = {k: v[0] for k, v in parse_qs(urlsplit(authorize).query).items()}
    # Authorization code flow with PKCE, a state and a nonce; the way back from PORTAL_URL.
    assert params["response_type"] == "code" and params["code_challenge_method"] == "S256"
    assert params["redirect_uri"] == "http://127.0.0.1:5000/login/sso/terug"
    assert len(params["state"]) >= 40 and len(params["nonce"]) >= 40
    r = back(client, sso_on.authorize(authorize))
    assert r.status_code == 302 and r.headers["Location"] == "/klaverweide/zaken/"
    assert logged_in(client)
    # The token endpoint got the verifier of the challenge (it checks it) and a secret.
    assert sso_on.token_requests[-1]["code_verifier"] and "client_secret" not in sso_on.token_requests[-1]
    assert sso_audits(app)[-1] == ("ok", DIRECTIE, "")
    with db_ctx(app):
        [row] = SsoRequest.select()
        assert row.used_at is not None and row.state_hash != params["state"]
        assert params["state"] not in row.verifier and open_sealed(row.verifier, "sso-pkce")


def test_the_address_is_matched_in_lower_case(app, client, sso_on):
    sso_on.claims = {"email": "Directie@KlaverWeide.demo"}
    assert sign_in(client, sso_on).status_code == 302 and logged_in(client)


REFUSALS = [
    ("wrong audience", {"aud": "een-andere-app"}, {}, "claim:aud", sso.NOT_CHECKED),
    ("wrong issuer", {"iss": "https://elders.example"}, {}, "claim:iss", sso.NOT_CHECKED),
    (
        "expired token",
        {"exp": 1_000_000_000, "iat": 999_990_000},  # 2001: far beyond any leeway
        {},
        "claim:exp",
        sso.NOT_CHECKED,
    ),
    ("bad signature", {}, {"sign_with_other_key": True}, "bad_signature", sso.NOT_CHECKED),
    ("unverified e-mail", {"email_verified": False}, {}, "email_unverified", sso.UNVERIFIED),
    ("no email_verified claim", {"email_verified": None}, {}, "email_unverified", sso.UNVERIFIED),
    ("unknown e-mail", {"email": "onbekend@klaverweide.demo"}, {}, "unknown_account", sso.UNKNOWN),
    ("domain not allowed", {"email": "directie@elders.example"}, {}, "domain", sso.DOMAIN),
]


@pytest.mark.parametrize(
    "tamper,extra,reason,message", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS]
)
def test_a_token_that_fails_a_check_is_refused_in_dutch_and_audited(
    app, client, sso_on, tamper, extra, reason, message
):
    sso_on.tamper = tamper
    for name, value in extra.items():
        setattr(sso_on, name, value)
    r = sign_in(client, sso_on)
    assert r.status_code == 401
    html = r.get_data(as_text=True)
    assert message in html and "Niet ingelogd" in html and "<title>Fout: Inloggen" in html
    assert not logged_in(client)
    outcome, _email, detail = sso_audits(app)[-1]
    assert (outcome, detail) == ("refused", reason)


def test_a_disabled_account_is_refused(app, client, sso_on):
    with db_ctx(app):
        User.update(active=False).where(User.email == DIRECTIE).execute()
    r = sign_in(client, sso_on)
    assert r.status_code == 401 and sso.UNKNOWN in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "unknown_account")


def test_a_replayed_state_is_refused(app, client, sso_on):
    authorize = start(client)
    cookie_before = client.get_cookie("portal").value
    answer = sso_on.authorize(authorize)
    assert back(client, answer).status_code == 302 and logged_in(client)
    # The same answer again, in the same browser: its state was used.
    client.post("/logout", data={"csrf_token": get_csrf(client, "/wachtwoord")})
    r = back(client, answer)
    assert r.status_code == 401 and sso.STALE in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "state")
    # With the cookie as it was before the sign-in (a copy that still holds the state): the
    # state's row is used, so it is refused too, before any code reaches the provider.
    attacker = app.test_client()
    attacker.set_cookie("portal", cookie_before)
    asked = len(sso_on.token_requests)
    r = back(attacker, answer)
    assert r.status_code == 401 and sso.STALE in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "state_replayed")
    assert len(sso_on.token_requests) == asked and not logged_in(attacker)


def test_a_state_from_another_browser_is_refused(app, client, sso_on):
    """The state is bound to the browser that started: a victim cannot be logged in as the
    attacker by a link with the attacker's answer (login CSRF)."""
    answer = sso_on.authorize(start(app.test_client()))
    r = back(client, answer)
    assert r.status_code == 401 and sso.STALE in r.get_data(as_text=True)
    assert not logged_in(client)


def test_a_replayed_nonce_is_refused(app, client, sso_on):
    first = start(client)
    old_nonce = parse_qs(urlsplit(first).query)["nonce"][0]
    assert back(client, sso_on.authorize(first)).status_code == 302
    client.post("/logout", data={"csrf_token": get_csrf(client, "/wachtwoord")})
    # A new sign-in, answered with an ID token of the earlier one (its nonce).
    sso_on.tamper = {"nonce": old_nonce}
    r = sign_in(client, sso_on)
    assert r.status_code == 401 and sso.NOT_CHECKED in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "claim:nonce")
    assert not logged_in(client)


def test_an_old_sign_in_is_refused(app, client, sso_on):
    """The provider must send the user back within ten minutes (no clock: the row is aged)."""
    authorize = start(client)
    with db_ctx(app):
        row = SsoRequest.get()
        row.created_at -= datetime.timedelta(minutes=11)
        row.save()
    r = back(client, sso_on.authorize(authorize))
    assert r.status_code == 401 and sso.STALE in r.get_data(as_text=True)


def test_the_provider_refusing_the_code_is_refused(app, client, sso_on):
    authorize = start(client)
    answer = sso_on.authorize(authorize)
    sso_on.codes.clear()  # the provider no longer knows the code
    r = back(client, answer)
    assert r.status_code == 401 and sso.NOT_CHECKED in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "token_refused")


def test_an_error_from_the_provider_is_refused(app, client, sso_on):
    authorize = start(client)
    state = parse_qs(urlsplit(authorize).query)["state"][0]
    r = client.get(f"/login/sso/terug?error=access_denied&state={state}")
    assert r.status_code == 401 and sso.DECLINED in r.get_data(as_text=True)
    assert sso_audits(app)[-1][::2] == ("refused", "provider_error:access_denied")


def test_an_unreachable_provider_is_said(app, client, sso_on):
    sso_on.stop()
    sso.forget_provider()
    r = client.get("/login/sso")
    assert r.status_code == 401 and sso.UNREACHABLE in r.get_data(as_text=True)


def enrol_totp(app, email):
    secret = pyotp.random_base32()
    with db_ctx(app):
        User.update(totp_secret=seal(secret, "totp")).where(User.email == email).execute()
    return secret


def test_the_portal_asks_its_code_unless_the_token_says_mfa(app, client, sso_on):
    secret = enrol_totp(app, DIRECTIE)
    sso_on.claims = {"email": DIRECTIE, "amr": ["pwd"]}
    r = sign_in(client, sso_on)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/code")
    assert not logged_in(client)
    r = post(client, "/login/code", {"code": pyotp.TOTP(secret).now()}, page="/login/code")
    assert r.status_code == 302 and logged_in(client)

    other = app.test_client()
    sso_on.claims = {"email": DIRECTIE, "amr": ["pwd", "mfa"]}
    r = sign_in(other, sso_on)
    assert r.status_code == 302 and "/login/code" not in r.headers["Location"] and logged_in(other)
    assert sso_audits(app)[-1] == ("ok", DIRECTIE, "tweede stap bij de identiteitsprovider")


def test_an_acr_value_counts_as_the_second_factor_when_listed(app, client, sso_on):
    enrol_totp(app, DIRECTIE)
    sso_on.claims = {"email": DIRECTIE, "acr": "urn:test:mfa"}
    assert sign_in(client, sso_on).headers["Location"].endswith("/login/code")
    configure(app, sso_on, mfa_acr_values="urn:test:mfa")
    other = app.test_client()
    assert sign_in(other, sso_on).status_code == 302 and logged_in(other)


def test_mfa_at_the_provider_spares_the_enrolment_others_must_enrol(app, client, sso_on):
    app.config["PORTAL_REQUIRE_MFA"] = True
    sso_on.claims = {"email": DIRECTIE, "amr": ["mfa"]}
    sign_in(client, sso_on)
    assert client.get("/klaverweide/").status_code == 200
    other = app.test_client()
    sso_on.claims = {"email": DIRECTIE}
    sign_in(other, sso_on)
    r = other.get("/klaverweide/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/mfa")


# --------------------------------------------------------- passwords switched off ----


def test_passwords_off_leave_only_the_button_and_the_break_glass_account(app, client, sso_on):
    with db_ctx(app):
        admin = User.get(User.email == "beheerder@asg.demo")
    configure(app, sso_on, passwords_off=True, break_glass=admin.id)
    page = client.get("/login").get_data(as_text=True)
    assert "Inloggen met de testprovider" in page and 'name="password"' not in page
    assert "Noodtoegang voor de beheerder" in page
    assert 'name="password"' in client.get("/login?wachtwoord=1").get_data(as_text=True)
    r = password_login(client, DIRECTIE)
    assert r.status_code == 403 and "Inloggen met een wachtwoord staat uit" in r.get_data(as_text=True)
    assert not logged_in(client)
    with db_ctx(app):
        refused = AuditLog.select().where(AuditLog.action == "login").order_by(AuditLog.id.desc()).first()
        assert (refused.outcome, refused.user_email, refused.detail) == (
            "refused",
            DIRECTIE,
            "wachtwoord uit",
        )
    assert password_login(client, "beheerder@asg.demo").status_code == 302  # the break-glass account
    # No password link for anyone else: the same answer, no mail.
    stranger = app.test_client()
    r = stranger.post(
        "/wachtwoord-vergeten",
        data={"email": DIRECTIE, "csrf_token": get_csrf(stranger, "/wachtwoord-vergeten")},
    )
    assert r.status_code == 200 and "Kijk in uw mailbox" in r.get_data(as_text=True)
    with db_ctx(app):
        assert not PasswordToken.select().join(User).where(User.email == DIRECTIE).exists()
    # Single sign-on still works for everyone.
    assert sign_in(app.test_client(), sso_on).status_code == 302


def password_login(client, email):
    """The password form as the break-glass link shows it (/login?wachtwoord=1)."""
    from portal.demo import demo_password

    token = get_csrf(client, "/login?wachtwoord=1")
    return client.post("/login", data={"email": email, "password": demo_password(), "csrf_token": token})


# ------------------------------------------------------------- the settings page ----


def settings_post(client, data):
    page = "/beheer/inloggen"
    return client.post(page, data={**data, "csrf_token": get_csrf(client, page)})


def test_the_board_wide_beheerder_configures_sign_in(app, client, provider):
    login(client, "beheerder")
    good = {
        "enabled": "y",
        "issuer": provider.issuer,
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "domains": "KlaverWeide.demo\nasg.demo",
    }
    r = settings_post(client, {**good, "issuer": "ftp://elders", "domains": "geen domein"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "De issuer moet een https-adres zijn." in html and "is geen domein" in html
    assert 'value="' + provider.client_id + '"' in html  # what was typed stays
    r = settings_post(client, {**good, "issuer": provider.issuer + "/anders"})
    assert r.status_code == 422 and "discovery-document" in r.get_data(as_text=True), r.get_data(as_text=True)
    r = settings_post(client, {**good, "passwords_off": "y"})
    assert r.status_code == 422 and "Kies een noodaccount" in r.get_data(as_text=True)
    assert settings_post(client, good).status_code == 302
    with db_ctx(app):
        row = SsoConfig.get()
        assert row.enabled and row.domains == "klaverweide.demo\nasg.demo"
        assert provider.client_secret not in row.client_secret  # sealed
        assert open_sealed(row.client_secret, "sso") == provider.client_secret
        audit = AuditLog.select().where(AuditLog.action == "admin.sso").get()
        assert provider.client_secret not in audit.detail and "client_secret" in audit.detail
    # Saving again without a secret keeps the stored one.
    assert settings_post(client, {**good, "client_secret": ""}).status_code == 302
    with db_ctx(app):
        assert open_sealed(SsoConfig.get().client_secret, "sso") == provider.client_secret
    provider.claims = {"email": DIRECTIE}
    assert sign_in(app.test_client(), provider).status_code == 302


def test_only_the_board_wide_beheerder_reaches_the_settings(app, client):
    login(client, "directie")
    assert client.get("/beheer/inloggen").status_code == 403


def test_the_operator_switches_passwords_back_on_from_the_server(app, client, runner, sso_on):
    configure(app, sso_on, passwords_off=True)
    r = runner.invoke(args=["sso", "show"])
    assert "wachtwoorden uit: ja" in r.output and "clientgeheim: opgeslagen" in r.output
    assert sso_on.client_secret not in r.output
    assert password_login(client, DIRECTIE).status_code == 403
    r = runner.invoke(args=["sso", "passwords-on"])
    assert r.exit_code == 0 and "staat weer aan" in r.output
    assert password_login(client, DIRECTIE).status_code == 302
    with db_ctx(app):
        audit = AuditLog.select().where(AuditLog.action == "admin.sso").get()
        assert audit.detail == "passwords_off via=cli"
