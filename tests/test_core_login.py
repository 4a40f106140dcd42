"""Login throttling (docs/security.md A1): per account and per address, growing delay, no
permanent lockout, one generic message, every attempt in the audit log."""

import datetime
import re

from portal.auth import GENERIC_FAILURE
from portal.models import AuditLog
from portal.models import LoginAttempt

from .conftest import get_csrf
from .core_helpers import db_ctx

WAIT_RE = re.compile(r"Probeer het over (\d+) seconden opnieuw")
ERROR_RE = re.compile(r'<p class="error"[^>]*>([^<]*)</p>')


def attempt(client, email, password="fout-wachtwoord-123", ip="10.0.0.1"):
    token = get_csrf(client, "/login")
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                       environ_base={"REMOTE_ADDR": ip})


def shift_attempts(app, seconds):
    """Pretend the recorded failures happened ``seconds`` earlier (instead of sleeping)."""
    with db_ctx(app):
        for row in LoginAttempt.select():
            LoginAttempt.update(at=row.at - datetime.timedelta(seconds=seconds)).where(
                LoginAttempt.id == row.id).execute()


def login_audit(app):
    with db_ctx(app):
        return [(r.outcome, r.user_email, r.ip) for r in
                AuditLog.select().where(AuditLog.action == "login").order_by(AuditLog.id)]


def waited(r):
    m = WAIT_RE.search(r.get_data(as_text=True))
    assert m, r.get_data(as_text=True)
    return int(m.group(1))


def test_same_message_for_unknown_user_and_wrong_password(client):
    unknown = attempt(client, "niemand@klaverweide.demo")
    wrong = attempt(client, "directie@klaverweide.demo")
    assert unknown.status_code == wrong.status_code == 401
    e1 = ERROR_RE.findall(unknown.get_data(as_text=True))
    e2 = ERROR_RE.findall(wrong.get_data(as_text=True))
    assert e1 == e2 == [GENERIC_FAILURE]


def test_throttle_per_account_with_growing_delay(app, client):
    free = app.config["THROTTLE_FREE_ATTEMPTS"]
    email = "ib@klaverweide.demo"
    # Each failure from another address: only the account counter can trip.
    for i in range(free):
        assert attempt(client, email, ip=f"10.1.0.{i}").status_code == 401
    r = attempt(client, email, ip="10.1.1.1")
    assert r.status_code == 429
    first = waited(r)
    assert first >= 1
    # Even the right password waits: the throttle is checked before the password.
    assert attempt(client, email, "klaverweide-demo", ip="10.1.1.2").status_code == 429
    waits = [first]
    for n in range(3):
        shift_attempts(app, waits[-1] + 1)
        assert attempt(client, email, ip=f"10.1.2.{n}").status_code == 401  # allowed again
        r = attempt(client, email, ip=f"10.1.3.{n}")
        assert r.status_code == 429
        waits.append(waited(r))
    assert waits == sorted(waits) and waits[-1] > waits[0], waits
    assert waits[-1] >= 2 * waits[-2] - 1, f"the delay should double: {waits}"
    # No permanent lockout: once the window has passed the right password works.
    shift_attempts(app, app.config["THROTTLE_WINDOW_MINUTES"] * 60 + 1)
    assert attempt(client, email, "klaverweide-demo", ip="10.1.9.9").status_code == 302


def test_throttle_per_address(app, client):
    free = app.config["THROTTLE_FREE_ATTEMPTS"]
    for i in range(free):
        assert attempt(client, f"gok{i}@klaverweide.demo", ip="10.2.0.1").status_code == 401
    # Credential stuffing: a new account from the same address is throttled ...
    assert attempt(client, "nog-een@klaverweide.demo", ip="10.2.0.1").status_code == 429
    assert attempt(client, "directie@klaverweide.demo", "klaverweide-demo",
                   ip="10.2.0.1").status_code == 429
    # ... while the same account from another address is not.
    assert attempt(client, "directie@klaverweide.demo", "klaverweide-demo",
                   ip="10.2.0.2").status_code == 302


def test_every_attempt_is_audited(app, client):
    app.config["THROTTLE_FREE_ATTEMPTS"] = 2
    attempt(client, "onbekend@klaverweide.demo", ip="10.3.0.1")
    attempt(client, "directie@klaverweide.demo", ip="10.3.0.1")
    throttled = attempt(client, "directie@klaverweide.demo", ip="10.3.0.1")
    assert throttled.status_code == 429
    ok = attempt(app.test_client(), "ib@klaverweide.demo", "klaverweide-demo", ip="10.3.0.9")
    assert ok.status_code == 302
    rows = login_audit(app)
    assert rows == [
        ("failed", "onbekend@klaverweide.demo", "10.3.0.1"),
        ("failed", "directie@klaverweide.demo", "10.3.0.1"),
        ("throttled", "directie@klaverweide.demo", "10.3.0.1"),
        ("ok", "ib@klaverweide.demo", "10.3.0.9"),
    ]
    with db_ctx(app):
        for row in AuditLog.select().where(AuditLog.action == "login"):
            assert row.at is not None
            assert "klaverweide-demo" not in row.detail and "fout-wachtwoord" not in row.detail


def test_login_form_errors_are_not_500(client):
    for data in ({}, {"email": "x" * 5000, "password": "y"}, {"email": "a@b.nl", "password": "p" * 5000}):
        data = dict(data, csrf_token=get_csrf(client, "/login"))
        r = client.post("/login", data=data)
        assert r.status_code in (200, 400, 401, 422), r.status_code


def test_passwords_are_argon2id_and_old_scrypt_hashes_are_replaced_at_login(app, client):
    from werkzeug.security import generate_password_hash

    from portal.models import User
    from portal.passwords import needs_rehash
    from portal.passwords import verify_password

    email = "ib@klaverweide.demo"
    with db_ctx(app):
        assert User.get(User.email == email).password_hash.startswith("$argon2id$")
        # An account from before argon2id.
        old = generate_password_hash("klaverweide-demo", method="scrypt")
        User.update(password_hash=old).where(User.email == email).execute()
        assert needs_rehash(old) and verify_password(old, "klaverweide-demo")
    assert attempt(client, email, "klaverweide-demo").status_code == 302
    with db_ctx(app):
        new = User.get(User.email == email).password_hash
        assert new.startswith("$argon2id$") and not needs_rehash(new)
        assert verify_password(new, "klaverweide-demo")
        assert not verify_password(new, "iets-anders-123")
