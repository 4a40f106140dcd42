"""Schools without code: the board-wide beheerder creates, edits, archives and restores
schools in the UI and with ``flask --app portal school``; a new school has the default
settings, no plugins and a set-up checklist; an archived school opens to nobody and
keeps its data; a school's details are checked (Dutch messages, 422, everything kept).
"""

import pytest

from portal.models import AuditLog
from portal.models import Case
from portal.models import School
from portal.models import SchoolPlugin
from portal.models import SchoolSetting
from portal.models import User
from portal.models import UserRole
from portal.passwords import hash_password

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx

NEW = "/beheer/scholen/nieuw"
GOOD = {
    "slug": "de-linde",
    "name": "De Linde",
    "address": "Lindelaan 4",
    "postcode": "1315ab",
    "city": "Almere",
    "phone": "036 123 4567",
    "email": "info@delinde.example",
    "website": "www.DeLinde.example",
    "board_name": "Almeerse Scholen Groep (ASG)",
}


def board(app):
    client = app.test_client()
    assert login(client, "beheerder").status_code == 302
    return client


def send(client, url, data, page=None):
    return client.post(url, data={**data, "csrf_token": get_csrf(client, page or url)})


def audits(app, action):
    with db_ctx(app):
        rows = AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
        return [(a.outcome, a.user_email, a.school, a.detail) for a in rows]


def test_bad_details_get_dutch_messages_and_keep_what_was_typed(app):
    client = board(app)
    bad = {
        **GOOD,
        "slug": "Klaverweide!",
        "postcode": "12345",
        "phone": "bel ons",
        "email": "dit is geen e-mailadres",
        "website": "javascript:alert(1)",
    }
    r = send(client, NEW, bad)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for message in (
        "Gebruik alleen kleine letters, cijfers en streepjes",
        "Vul een postcode in van vier cijfers en twee letters, zoals 1234 AB.",
        "Vul een telefoonnummer in met alleen cijfers, spaties of +.",
        "Vul een geldig e-mailadres in.",
        "Alleen webadressen die beginnen met http:// of https://",
    ):
        assert message in html, message
    for typed in ("Klaverweide!", "12345", "bel ons", "dit is geen e-mailadres", "Lindelaan 4"):
        assert f'value="{typed}"' in html, typed
    assert "<title>Fout: Nieuwe school" in html
    for slug, message in (
        ("klaverweide", "Er is al een school met dit adres."),
        ("beheer", "Dit adres gebruikt het portaal zelf al."),
        ("login", "Dit adres gebruikt het portaal zelf al."),
    ):
        r = send(client, NEW, {**GOOD, "slug": slug})
        assert r.status_code == 422 and message in r.get_data(as_text=True), slug
    with db_ctx(app):
        assert School.select().count() == 1


def test_a_new_school_starts_empty_with_a_checklist(app):
    client = board(app)
    r = send(client, NEW, GOOD)
    assert r.status_code == 302 and r.headers["Location"] == "/de-linde/beheer/"
    with db_ctx(app):
        school = School.get(School.slug == "de-linde")
        assert (school.postcode, school.website) == ("1315 AB", "https://www.delinde.example")
        assert not SchoolPlugin.select().where(SchoolPlugin.school == school.id).exists()
        assert not SchoolSetting.select().where(SchoolSetting.school == school.id).exists()
        assert not UserRole.select().where(UserRole.school == school.id).exists()
    html = client.get("/de-linde/beheer/").get_data(as_text=True)
    assert "Nog in te richten" in html and "3 van 6 stappen staan nog open" in html
    for step in ("Onderdelen inschakelen", "Vakanties in de schoolkalender", "Gebruikers en rollen"):
        assert f">{step}</a>" in html, step
    assert '<span class="badge">Klaar</span> Naam en adres voor het briefhoofd' in html
    assert '<span class="badge">Klaar</span> Naam van het bestuur' in html
    assert audits(app, "admin.school.new") == [("ok", "beheerder@asg.demo", "de-linde", "school=de-linde")]
    # A school without its board's name has that step open: letters name the bevoegd gezag.
    with db_ctx(app):
        School.update(board_name="").where(School.slug == "de-linde").execute()
    html = client.get("/de-linde/beheer/").get_data(as_text=True)
    assert "4 van 6 stappen staan nog open" in html and ">Naam van het bestuur</a>" in html
    # The demo school has done every step: no checklist.
    assert "Nog in te richten" not in client.get("/klaverweide/beheer/").get_data(as_text=True)


def test_the_board_wide_beheerder_edits_a_school(app):
    client = board(app)
    page = "/beheer/scholen/klaverweide"
    html = client.get(page).get_data(as_text=True)
    assert 'value="1300 AA"' in html and "Archiveren sluit de school" in html
    data = {k: v for k, v in GOOD.items() if k != "slug"}
    r = send(client, page, {**data, "name": "De Klaverweide", "email": "geen adres"})
    assert r.status_code == 422 and "Vul een geldig e-mailadres in." in r.get_data(as_text=True)
    assert send(client, page, {**data, "name": "De Klaverweide"}).status_code == 302
    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        assert (school.address, school.postcode, school.email) == (
            "Lindelaan 4",
            "1315 AB",
            "info@delinde.example",
        )
    [(outcome, who, slug, detail)] = audits(app, "admin.school.edit")
    assert (outcome, who, slug) == ("ok", "beheerder@asg.demo", "klaverweide")
    assert detail == "address postcode phone email website"


def test_the_schools_own_settings_page_checks_the_letterhead_too(app):
    client = board(app)
    page = "/klaverweide/beheer/school"
    r = send(client, page, {"name": "De Klaverweide", "email": "dit is geen e-mailadres", "phone": "036"})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in." in html and 'value="dit is geen e-mailadres"' in html
    assert "<title>Fout: Schoolgegevens" in html
    with db_ctx(app):
        assert School.get(School.slug == "klaverweide").email == "info@klaverweide.demo"


def test_an_archived_school_opens_to_nobody_and_keeps_its_data(app):
    with db_ctx(app):
        cases = Case.select().count()
    client = board(app)
    directie = app.test_client()
    assert login(directie, "directie").status_code == 302
    page = "/beheer/scholen/klaverweide"
    r = send(client, page + "/archiveren", {}, page=page)
    assert r.status_code == 422 and "Vink aan dat u begrijpt" in r.get_data(as_text=True)
    assert directie.get("/klaverweide/").status_code == 200
    r = send(client, page + "/archiveren", {"bevestig": "1"}, page=page)
    assert r.status_code == 302
    for who in (directie, client, app.test_client()):
        assert who.get("/klaverweide/").status_code in (302, 404)
        assert who.get("/klaverweide/klachten/indienen").status_code == 404
    assert directie.get("/klaverweide/zaken/").status_code == 404
    r = directie.get("/")
    assert r.status_code == 200 and "U heeft nog geen rol bij een school" in r.get_data(as_text=True)
    html = client.get("/beheer/").get_data(as_text=True)
    assert "gearchiveerd op" in html
    with db_ctx(app):
        assert Case.select().count() == cases  # the data stays
    assert [a[0] for a in audits(app, "admin.school.archive")] == ["ok"]
    r = send(client, page + "/terugzetten", {}, page=page)
    assert r.status_code == 302 and directie.get("/klaverweide/").status_code == 200
    assert [a[0] for a in audits(app, "admin.school.restore")] == ["ok"]


def test_a_schools_beheerder_reaches_no_board_page(app):
    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        local = User.create(
            email="beheer@klaverweide.demo",
            name="Bo Beheer",
            password_hash=hash_password("lokale beheerder 2026"),
        )
        UserRole.create(user=local, school=school, role="beheerder")
    client = app.test_client()
    assert login(client, "beheer@klaverweide.demo", "lokale beheerder 2026").status_code == 302
    assert client.get("/klaverweide/beheer/").status_code == 200
    assert "Alle scholen en inloggen" not in client.get("/klaverweide/beheer/").get_data(as_text=True)
    token = get_csrf(client, "/klaverweide/beheer/")
    for method, url in (
        ("GET", "/beheer/"),
        ("GET", "/beheer/scholen/nieuw"),
        ("POST", "/beheer/scholen/nieuw"),
        ("GET", "/beheer/scholen/klaverweide"),
        ("POST", "/beheer/scholen/klaverweide"),
        ("POST", "/beheer/scholen/klaverweide/archiveren"),
        ("POST", "/beheer/scholen/klaverweide/terugzetten"),
        ("GET", "/beheer/inloggen"),
        ("POST", "/beheer/inloggen"),
    ):
        data = {**GOOD, "bevestig": "1", "csrf_token": token} if method == "POST" else None
        r = client.open(url, method=method, data=data)
        assert r.status_code == 403, (method, url, r.status_code)
    with db_ctx(app):
        assert School.select().count() == 1 and School.get().archived_at is None


def test_the_letterhead_shows_postcode_and_place(app):
    from flask import render_template

    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        with app.test_request_context("/"):
            html = render_template("letters/base.html", school=school, date_text="7 december 2026")
    assert "Klaverweg 12, 1300 AA Almere" in html and "<p>Almere, 7 december 2026</p>" in html


# ------------------------------------------------------------------- the CLI ----


@pytest.fixture
def cli(runner):
    def run(*args):
        return runner.invoke(args=["school", *args])

    return run


def test_school_add_edit_list_archive_restore_on_the_command_line(app, cli):
    r = cli("add", "de-linde", "De Linde", "--postcode", "12345")
    assert r.exit_code != 0 and "Vul een postcode in van vier cijfers en twee letters" in r.output
    r = cli(
        "add",
        "de-linde",
        "De Linde",
        "--postcode",
        "1315ab",
        "--city",
        "Almere",
        "--email",
        "info@delinde.example",
    )
    assert r.exit_code == 0, r.output
    assert "zonder onderdelen en gebruikers" in r.output
    r = cli("add", "de-linde", "Nog een")
    assert r.exit_code != 0 and "Er is al een school met dit adres." in r.output
    r = cli("edit", "de-linde", "--phone", "036 765 4321")
    assert r.exit_code == 0 and "phone gewijzigd" in r.output
    r = cli("edit", "de-linde", "--website", "ftp://elders")
    assert r.exit_code != 0 and "http:// of https://" in r.output
    with db_ctx(app):
        linde = School.get(School.slug == "de-linde")
        assert (linde.postcode, linde.city, linde.phone) == ("1315 AB", "Almere", "036 765 4321")
        assert not SchoolPlugin.select().where(SchoolPlugin.school == linde.id).exists()
    assert cli("archive", "de-linde").exit_code == 0
    r = cli("list")
    assert "de-linde\tDe Linde\tgearchiveerd" in r.output and "klaverweide\tDe Klaverweide\topen" in r.output
    assert "weer open" in cli("restore", "de-linde").output
    assert cli("edit", "bestaat-niet", "--name", "X").exit_code != 0
    assert [a[3] for a in audits(app, "admin.school.new")] == ["school=de-linde via=cli"]
    assert [a[3] for a in audits(app, "admin.school.edit")] == ["phone via=cli"]
    assert len(audits(app, "admin.school.archive")) == len(audits(app, "admin.school.restore")) == 1
