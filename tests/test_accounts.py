"""Accounts without the shell: "Wachtwoord vergeten?", a new account's link, the link a
beheerder sends, and enabling an account again.

A link works once, for an hour (a forgotten password), goes only to the account's own
address with a link made from PORTAL_URL, is stored only as a hash, ends when the password
changes, and never skips the second factor; setting a password ends the other sessions.
Asking for one answers the same whether the address exists or not, and is throttled and
audited.
"""

import datetime

import pyotp
import pytest

from portal import password_links
from portal.models import AuditLog
from portal.models import Outbox
from portal.models import PasswordToken
from portal.models import User
from portal.models import utcnow
from portal.secretbox import seal

from .conftest import csrf_from
from .conftest import get_csrf
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import password_link
from .core_helpers import set_password_by_link

IB = "ib@klaverweide.demo"
NEW_PASSWORD = "een nieuwe lange zin voor het portaal"


@pytest.fixture(autouse=True)
def portal_url(app):
    # Set after start-up, so that the test client's host is not refused (TRUSTED_HOSTS).
    app.config["PORTAL_URL"] = "https://portaal.asg.example"


def forgot(client, email, headers=None):
    page = "/wachtwoord-vergeten"
    token = csrf_from(client.get(page, headers=headers).get_data(as_text=True))
    return client.post(page, data={"email": email, "csrf_token": token}, headers=headers)


def audits(app, action):
    with db_ctx(app):
        rows = AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
        return [(a.outcome, a.user_email, a.detail) for a in rows]


def mails_to(app, email):
    with db_ctx(app):
        return list(Outbox.select().where(Outbox.to == email).order_by(Outbox.id))


def test_the_login_page_links_to_wachtwoord_vergeten(client):
    html = client.get("/login").get_data(as_text=True)
    assert 'href="/wachtwoord-vergeten">Wachtwoord vergeten?</a>' in html


def test_forgotten_password_mails_a_link_from_portal_url_and_says_the_same_for_strangers(app):
    client = app.test_client()
    before = len(mails_to(app, IB))
    known = forgot(client, IB.upper())
    unknown = forgot(client, "niemand@klaverweide.demo")
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert "Kijk in uw mailbox" in known.get_data(as_text=True)
    [mail] = mails_to(app, IB)[before:]
    assert mail.subject == "Wachtwoord instellen voor het Veiligheidsportaal"
    assert "https://portaal.asg.example/wachtwoord/instellen/" in mail.body
    assert mail.school == ""  # no school's mail page shows it
    assert mails_to(app, "niemand@klaverweide.demo") == []
    assert audits(app, "password.reset.request") == [
        ("ok", IB, ""),
        ("no_mail", "niemand@klaverweide.demo", ""),
    ]
    # Only the hash is stored.
    token = password_link(app, IB).rsplit("/", 1)[1]
    with db_ctx(app):
        row = PasswordToken.get()
        assert row.purpose == "reset" and row.token_hash == password_links.token_hash(token) != token
        assert row.expires_at - row.created_at == datetime.timedelta(hours=1)


def test_a_forged_host_header_never_reaches_the_mail(app):
    client = app.test_client()
    forgot(client, IB, headers={"Host": "evil.example"})
    [mail] = [m for m in mails_to(app, IB) if "wachtwoord/instellen" in m.body]
    assert "evil.example" not in mail.body and "https://portaal.asg.example/" in mail.body


def test_bad_input_gets_a_dutch_message_and_keeps_what_was_typed(client):
    r = forgot(client, "geen-adres")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in." in html and 'value="geen-adres"' in html
    assert "<title>Fout: Wachtwoord vergeten" in html


def test_asking_is_throttled_per_address_and_audited(app):
    client = app.test_client()
    for _ in range(3):
        assert forgot(client, IB).status_code == 200
    r = forgot(client, IB)
    assert r.status_code == 429 and "Te veel aanvragen. Probeer het over" in r.get_data(as_text=True)
    assert audits(app, "password.reset.request")[-1] == ("throttled", IB, "")
    assert len([m for m in mails_to(app, IB) if m.subject.startswith("Wachtwoord instellen")]) == 3
    # Someone else's address from the same place still works.
    assert forgot(client, "contactpersoon@klaverweide.demo").status_code == 200


def test_a_link_sets_the_password_once_and_ends_the_other_sessions(app):
    elsewhere = app.test_client()
    assert login(elsewhere, "ib").status_code == 302
    forgot(app.test_client(), IB)
    link = password_link(app, IB)
    client = app.test_client()
    opened = client.get(link)
    # The token leaves the address bar: the page itself has a plain address.
    assert opened.status_code == 302 and opened.headers["Location"] == "/wachtwoord/instellen"
    page = client.get("/wachtwoord/instellen").get_data(as_text=True)
    assert "Marieke Postma" in page and 'autocomplete="new-password"' in page
    r = post(
        client,
        "/wachtwoord/instellen",
        {"new": NEW_PASSWORD, "repeat": "iets anders"},
        page="/wachtwoord/instellen",
    )
    assert r.status_code == 422 and "De twee wachtwoorden zijn niet gelijk." in r.get_data(as_text=True)
    r = post(client, "/wachtwoord/instellen", {"new": "kort", "repeat": "kort"}, page="/wachtwoord/instellen")
    assert r.status_code == 422 and "minstens 12 tekens" in r.get_data(as_text=True)
    r = post(
        client,
        "/wachtwoord/instellen",
        {"new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        page="/wachtwoord/instellen",
    )
    assert r.status_code == 302 and client.get("/klaverweide/").status_code == 200
    assert elsewhere.get("/klaverweide/").status_code == 302  # the other session ended
    assert login(app.test_client(), "ib", NEW_PASSWORD).status_code == 302
    assert audits(app, "password.set")[-1] == ("ok", IB, "via=reset")
    # Once: the same link again is refused, in another browser too.
    again = app.test_client()
    again.get(link)
    r = again.get("/wachtwoord/instellen")
    assert r.status_code == 404 and password_links.INVALID in r.get_data(as_text=True)
    # The mail no longer holds the link.
    assert not any("wachtwoord/instellen/" in m.body for m in mails_to(app, IB))


def test_a_link_expires(app):
    """Its end is stored (an hour after it was made: checked above); past it, it is refused."""
    with db_ctx(app):
        user = User.get(User.email == IB)
        token = password_links.new_link(user, password_links.RESET)
    client = app.test_client()
    client.get(f"/wachtwoord/instellen/{token}")
    assert client.get("/wachtwoord/instellen").status_code == 200
    with db_ctx(app):
        PasswordToken.update(expires_at=utcnow() - datetime.timedelta(seconds=1)).execute()
    r = client.get("/wachtwoord/instellen")
    assert r.status_code == 404 and password_links.INVALID in r.get_data(as_text=True)
    with db_ctx(app):
        assert password_links.find(token, now=utcnow() - datetime.timedelta(minutes=1)) is not None


def test_a_newer_link_or_a_password_change_ends_a_link(app):
    with db_ctx(app):
        user = User.get(User.email == IB)
        first = password_links.new_link(user, password_links.RESET)
        second = password_links.new_link(user, password_links.RESET)
        assert password_links.find(first) is None and password_links.find(second) is not None
    client = app.test_client()
    login(client, "ib")
    r = post(
        client,
        "/wachtwoord",
        {"current": "klaverweide-demo", "new": NEW_PASSWORD, "repeat": NEW_PASSWORD},
        page="/wachtwoord",
    )
    assert r.status_code == 302
    with db_ctx(app):
        assert password_links.find(second) is None


def test_an_unknown_token_is_refused_like_a_used_one(client):
    client.get("/wachtwoord/instellen/" + "A" * 43)
    r = client.get("/wachtwoord/instellen")
    assert r.status_code == 404 and password_links.INVALID in r.get_data(as_text=True)
    r = client.post("/wachtwoord/instellen", data={"csrf_token": get_csrf(client, "/login")})
    assert r.status_code == 404


def test_the_second_factor_is_not_skipped_through_a_reset(app):
    secret = pyotp.random_base32()
    with db_ctx(app):
        User.update(totp_secret=seal(secret, "totp")).where(User.email == IB).execute()
    forgot(app.test_client(), IB)
    client = app.test_client()
    r = set_password_by_link(app, client, IB, NEW_PASSWORD)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/code")
    assert client.get("/klaverweide/").status_code == 302  # not logged in without the code
    with db_ctx(app):
        assert User.get(User.email == IB).totp_secret  # the second factor stays
    r = post(client, "/login/code", {"code": pyotp.TOTP(secret).now()}, page="/login/code")
    assert r.status_code == 302 and client.get("/klaverweide/").status_code == 200
    # And logging in with the new password asks the code too.
    fresh = app.test_client()
    r = login(fresh, IB, NEW_PASSWORD)
    assert r.status_code == 302 and r.headers["Location"].endswith("/login/code")


def test_a_disabled_account_gets_no_mail_and_its_links_end(app):
    with db_ctx(app):
        user = User.get(User.email == IB)
        token = password_links.new_link(user, password_links.RESET)
    admin = app.test_client()
    login(admin, "beheerder")
    assert post(admin, f"/klaverweide/beheer/gebruiker/{user.id}/uitschakelen").status_code == 302
    with db_ctx(app):
        assert password_links.find(token) is None
    before = len(mails_to(app, IB))
    assert forgot(app.test_client(), IB).status_code == 200
    assert len(mails_to(app, IB)) == before


# ------------------------------------------------------------ the beheerder ----


def test_a_beheerder_enables_an_account_again(app):
    with db_ctx(app):
        ib = User.get(User.email == IB)
    admin = app.test_client()
    login(admin, "beheerder")
    post(admin, f"/klaverweide/beheer/gebruiker/{ib.id}/uitschakelen")
    assert login(app.test_client(), "ib").status_code == 401
    html = admin.get("/klaverweide/beheer/").get_data(as_text=True)
    assert f'action="/klaverweide/beheer/gebruiker/{ib.id}/inschakelen"' in html
    r = post(admin, f"/klaverweide/beheer/gebruiker/{ib.id}/inschakelen", follow_redirects=True)
    assert "Marieke Postma is weer ingeschakeld" in r.get_data(as_text=True)
    assert login(app.test_client(), "ib").status_code == 302
    assert audits(app, "admin.user.enable")[-1] == ("ok", "beheerder@asg.demo", f"user={ib.id}")


def test_a_beheerder_sends_a_password_link_to_the_accounts_own_address(app):
    with db_ctx(app):
        ib = User.get(User.email == IB)
    admin = app.test_client()
    login(admin, "beheerder")
    page = f"/klaverweide/beheer/gebruiker/{ib.id}"
    assert "Link voor een wachtwoord sturen" in admin.get(page).get_data(as_text=True)
    r = post(
        admin, f"{page}/wachtwoordlink", {"email": "aanvaller@example.org"}, page=page, follow_redirects=True
    )
    assert f"Er is een link naar {IB} gestuurd" in r.get_data(as_text=True)
    [mail] = [m for m in mails_to(app, IB) if "wachtwoord/instellen" in m.body]
    assert mail.subject == "Uw account voor het Veiligheidsportaal" and mail.school == "klaverweide"
    assert "De beheerder van De Klaverweide stuurt u een link" in mail.body
    assert mails_to(app, "aanvaller@example.org") == []
    assert audits(app, "admin.user.password_link")[-1] == ("ok", "beheerder@asg.demo", f"user={ib.id}")
    with db_ctx(app):
        row = PasswordToken.get()
        assert row.purpose == "set" and row.expires_at - row.created_at == datetime.timedelta(hours=72)
    assert set_password_by_link(app, app.test_client(), IB, NEW_PASSWORD).status_code == 302


def test_a_new_account_gets_a_link_not_a_typed_password(app):
    admin = app.test_client()
    login(admin, "beheerder")
    page = "/klaverweide/beheer/gebruiker/nieuw"
    assert 'name="password"' not in admin.get(page).get_data(as_text=True)
    r = post(
        admin,
        page,
        {
            "name": "Nina Nieuw",
            "email": "nina@klaverweide.demo",
            "password": "door de beheerder",
            "roles": ["ib"],
        },
        page=page,
        follow_redirects=True,
    )
    assert "Er is een link naar nina@klaverweide.demo gestuurd" in r.get_data(as_text=True)
    assert login(app.test_client(), "nina@klaverweide.demo", "door de beheerder").status_code == 401
    [mail] = mails_to(app, "nina@klaverweide.demo")
    assert "Er staat een account voor u klaar in het Veiligheidsportaal van De Klaverweide" in mail.body
    assert "https://portaal.asg.example/wachtwoord/instellen/" in mail.body
    client = app.test_client()
    assert set_password_by_link(app, client, "nina@klaverweide.demo", NEW_PASSWORD).status_code == 302
    assert client.get("/klaverweide/").status_code == 200
    assert audits(app, "password.set")[-1] == ("ok", "nina@klaverweide.demo", "via=set")


def test_a_changed_address_is_told_to_the_old_one(app):
    with db_ctx(app):
        ib = User.get(User.email == IB)
    admin = app.test_client()
    login(admin, "beheerder")
    page = f"/klaverweide/beheer/gebruiker/{ib.id}"
    r = post(
        admin,
        page,
        {"name": "Marieke Postma", "email": "marieke@klaverweide.demo", "roles": ["ib"]},
        page=page,
    )
    assert r.status_code == 302
    # (The demo's own cases have mailed the IB before: the notice is the one about the address.)
    [notice] = [m for m in mails_to(app, IB) if m.subject.startswith("Uw e-mailadres")]
    assert "marieke@klaverweide.demo" in notice.body


def test_the_cli_enables_and_sends_a_link(app, runner):
    with db_ctx(app):
        User.update(active=False).where(User.email == IB).execute()
    r = runner.invoke(args=["user", "link", IB])
    assert r.exit_code != 0 and "uitgeschakelde gebruiker" in r.output
    assert runner.invoke(args=["user", "enable", IB]).exit_code == 0
    r = runner.invoke(args=["user", "link", IB])
    assert r.exit_code == 0, r.output
    assert "https://portaal.asg.example/wachtwoord/instellen/" in mails_to(app, IB)[-1].body
    assert [a[0] for a in audits(app, "admin.user.enable")] == ["ok"]
