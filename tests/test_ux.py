"""The layout's promises through the Flask test client: the idle logout's keep-alive (CSRF,
logged in, never reviving an ended session), what a page tells its script, the brand and the
way back, "Fout:" in the title of a page with form errors, column labels on the case list,
and HEAD answered as GET."""

import datetime
import re

import pytest

from portal.models import UserSession
from portal.models import utcnow
from portal.testing import ROLES
from portal.testing import as_role
from portal.testing import csrf_from
from portal.testing import post
from portal.testing import routes

from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import user


def _last_seen(app, role, ago=None):
    with db_ctx(app):
        q = UserSession.select().where(UserSession.user == user(role).id).order_by(UserSession.id.desc())
        row = q.first()
        if ago is not None:
            row.last_seen = utcnow() - ago
            UserSession.update(last_seen=row.last_seen).where(UserSession.id == row.id).execute()
        return row.last_seen


def _token(client, path="/klaverweide/"):
    return csrf_from(client.get(path).get_data(as_text=True))


def test_a_page_tells_its_script_how_long_the_session_has_left(app):
    client = as_role(app, "directie")
    html = client.get("/klaverweide/").get_data(as_text=True)
    left = int(re.search(r'data-idle-left="(\d+)"', html).group(1))
    assert 1790 <= left <= 1800
    assert 'data-idle-warn="120"' in html
    assert 'data-keep-alive="/sessie/verlengen"' in html
    assert '<dialog class="idle-warning"' in html
    # Seen 50 seconds ago (last_seen is written at most once a minute): 50 seconds less.
    _last_seen(app, "directie", ago=datetime.timedelta(seconds=50))
    html = client.get("/klaverweide/").get_data(as_text=True)
    assert 1745 <= int(re.search(r'data-idle-left="(\d+)"', html).group(1)) <= 1751
    # Nobody logged in: no clock, and the login page is marked for the form keeper.
    anonymous = app.test_client().get("/login").get_data(as_text=True)
    assert "data-idle-left" not in anonymous and 'data-login-page="1"' in anonymous


def test_keep_alive_moves_the_idle_clock(app):
    client = as_role(app, "directie")
    token = _token(client)
    before = _last_seen(app, "directie", ago=datetime.timedelta(minutes=25))
    r = client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
    assert r.status_code == 200
    assert r.get_json() == {"seconds": 1800}
    assert _last_seen(app, "directie") > before + datetime.timedelta(minutes=24)


def test_keep_alive_needs_csrf_and_a_live_session(app):
    client = as_role(app, "directie")
    token = _token(client)
    assert client.post("/sessie/verlengen").status_code == 400  # no token
    assert app.test_client().post("/sessie/verlengen", headers={"X-CSRFToken": token}).status_code in (
        400,
        401,
    )
    # Idle past the limit: the session has ended and a keep-alive does not revive it.
    old = _last_seen(app, "directie", ago=datetime.timedelta(minutes=31))
    r = client.post("/sessie/verlengen", headers={"X-CSRFToken": token})
    assert r.status_code == 401
    assert _last_seen(app, "directie") == old
    assert client.get("/klaverweide/").status_code == 302


def test_brand_links_to_the_dashboard_and_the_menu_has_its_button(app):
    html = as_role(app, "leerkracht").get("/klaverweide/zaken/").get_data(as_text=True)
    assert re.search(r'<a class="brand" href="/klaverweide/">De Klaverweide', html)
    assert 'aria-controls="hoofdmenu"' in html and 'id="hoofdmenu"' in html
    assert "/static/portal.js" in html


def test_password_page_leads_back_to_the_account(app):
    client = as_role(app, "directie")
    html = client.get("/wachtwoord").get_data(as_text=True)
    assert '<a href="/mfa">Uw account</a>' in html
    assert "Terug naar het portaal" in client.get("/mfa").get_data(as_text=True)


def test_title_starts_with_fout_when_a_form_has_errors(app):
    client = as_role(app, "directie")
    page = client.get("/wachtwoord")
    r = client.post("/wachtwoord", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    title = re.search(r"<title>(.*?)</title>", r.get_data(as_text=True)).group(1)
    assert title.startswith("Fout: Wachtwoord wijzigen"), title
    assert "<title>Wachtwoord wijzigen" in client.get("/wachtwoord").get_data(as_text=True)
    # A page that says "Fout:" itself does not get it twice.
    r = client.get("/klaverweide/zaken/?van=31-02-2026")
    assert "<title>Fout: Zaken ·" in r.get_data(as_text=True)


def test_case_list_cells_carry_their_column_label(app):
    client = as_role(app, "directie")
    with db_ctx(app):
        make_case("Labels op een telefoon")
    html = client.get("/klaverweide/zaken/").get_data(as_text=True)
    for label in ("Referentie", "Onderwerp", "Leerlingen", "Termijn", "Status", "Soort", "Behandelaar"):
        assert f'data-label="{label}"' in html
    assert 'data-label="Laatst gewijzigd"' in html


def test_tables_of_the_core_scroll_in_a_labelled_box(app):
    client = as_role(app, "beheerder")
    for path in ("/klaverweide/beheer/", "/klaverweide/beheer/rechten", "/klaverweide/kalender/"):
        html = client.get(path).get_data(as_text=True)
        assert re.search(
            r'<div class="table-scroll" role="region" aria-label="[^"]+" tabindex="0">\s*<table', html
        ), path


@pytest.mark.parametrize("who", ["anoniem", "directie", "beheerder"])
def test_head_is_answered_as_get(app, who):
    client = app.test_client() if who == "anoniem" else as_role(app, who)
    with db_ctx(app):
        reference = make_case("HEAD en GET").reference
    values = {"school": "klaverweide", "reference": reference}
    checked = 0
    for rule, method, url, _kind, _perm in routes(app, values):
        if method != "GET" or "<" in url or rule.endpoint in ("static", "auth.logout"):
            continue
        head, get = client.head(url), client.get(url)
        assert head.status_code == get.status_code, f"{url}: HEAD {head.status_code}, GET {get.status_code}"
        assert head.headers.get("Location") == get.headers.get("Location"), url
        assert head.get_data() == b"", url
        checked += 1
    assert checked > 50


def test_head_of_a_form_page_does_not_post(app):
    client = as_role(app, "beheerder")
    r = client.head("/klaverweide/beheer/gebruiker/nieuw")
    assert r.status_code == 200 and r.headers["Content-Type"].startswith("text/html")
    assert client.head("/klaverweide/").status_code == 200


def test_every_role_reaches_keep_alive_and_nobody_without_a_session(app):
    for role in ROLES:
        client = as_role(app, role)
        r = post(client, "/sessie/verlengen")
        assert r.status_code == 200, role


def test_every_card_table_cell_has_its_label(app):
    """A table of class "cases" becomes cards on a phone: each cell names its column."""
    client = as_role(app, "directie")
    with db_ctx(app):
        make_case("Kaarten")
        from portal.models import CasePupil

        pupil_id = CasePupil.select().where(CasePupil.pupil.is_null(False)).first().pupil_id
    pages = ["/klaverweide/zaken/", "/klaverweide/leerlingen/", f"/klaverweide/leerlingen/{pupil_id}"]
    beheerder = as_role(app, "beheerder")
    for path in [*pages, "/klaverweide/beheer/", "/klaverweide/beheer/auditlog"]:
        html = (beheerder if "/beheer/" in path else client).get(path).get_data(as_text=True)
        tables = re.findall(r'<table class="cases[^"]*"[^>]*>.*?</table>', html, re.S)
        assert tables, path
        for table in tables:
            body = table.split("<tbody>")[1]
            cells = re.findall(r"<td(?![^>]*(?:colspan|class=\"actions\"))[^>]*>", body)
            assert cells and all("data-label=" in c for c in cells), (path, cells[:3])
