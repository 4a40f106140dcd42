"""What the database and its backup hold of the secrets people type or get: passwords,
second-factor secrets, follow-up codes and session tokens only as hashes or sealed, the
addresses typed at a failed login only as keyed hashes (docs/security.md A2, A6, G3)."""

import re

import pyotp
import pytest

from portal.models import LoginAttempt

from .conftest import PG_URL
from .conftest import get_csrf
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import password_link
from .core_helpers import set_password_by_link

PASSWORD = "Marker-Wachtwoord-Zonder-Gelijke-42"
TYPED = "marker.typed@voorbeeld.nl"


@pytest.mark.skipif(PG_URL.startswith("postgres"), reason="scans the SQLite file and its backup")
def test_no_plain_secret_in_the_database_or_its_backup(app, client, runner, tmp_path):
    admin = app.test_client()
    login(admin, "beheerder")
    page = "/klaverweide/beheer/gebruiker/nieuw"
    r = post(
        admin,
        page,
        {"name": "Mila Marker", "email": "mila@klaverweide.demo", "roles": ["ib"]},
        page=page,
    )
    assert r.status_code == 302, r.get_data(as_text=True)[:500]
    link = password_link(app, "mila@klaverweide.demo")
    mila = app.test_client()
    assert set_password_by_link(app, mila, "mila@klaverweide.demo", PASSWORD).status_code == 302
    html = mila.get("/mfa").get_data(as_text=True)
    secret = re.search(r'class="code">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    enrolled = post(mila, "/mfa", {"code": pyotp.TOTP(secret).now()}, page="/mfa")
    recovery = re.findall(r'class="code">([A-Z2-9]{5}-[A-Z2-9]{5})<', enrolled.get_data(as_text=True))
    assert len(recovery) == 10
    token = mila.get_cookie("portal").value if mila.get_cookie("portal") else ""
    stranger = app.test_client()
    failed = stranger.post(
        "/login", data={"email": TYPED, "password": "x" * 12, "csrf_token": get_csrf(stranger, "/login")}
    )
    assert failed.status_code == 401
    form = client.get("/klaverweide/klachten/indienen").get_data(as_text=True)
    tokens = dict(re.findall(r'name="(csrf_token|form_token)"[^>]*? value="([^"]+)"', form))
    receipt = client.post(
        "/klaverweide/klachten/indienen",
        data={"category": "pesten", "what_happened": "Marker-klacht", **tokens},
    ).get_data(as_text=True)
    code = re.search(r'id="code">([A-Z2-7 ]+)<', receipt).group(1).replace(" ", "")

    backup = tmp_path / "backup.sqlite3"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    data = backup.read_bytes()
    for label, value in [
        ("password", PASSWORD),
        ("totp secret", secret),
        ("follow-up code", code),
        ("recovery code", recovery[0].replace("-", "")),
        ("form token", tokens["form_token"]),
        ("session cookie", token),
        ("password link", link.rsplit("/", 1)[1]),
    ]:
        if value:
            assert value.encode() not in data, f"the {label} is in the database in the clear"
    # An address typed at a failed login that is no account's: not even in the audit log.
    assert TYPED.encode() not in data, "a typed login address is in the database"
    assert b"Marker-klacht" in data  # the scan itself works: what should be there is there
    with db_ctx(app):
        keys = [a.key for a in LoginAttempt.select()]
    assert keys and not any(TYPED in k for k in keys)
