"""The school's external partners and its network meetings in the core (/<school>/partners/):
the list for every staff member, managing it and the meeting log with ``portal.partners``,
every change audited; what plugins get (``api.partner_choices``); the helper with which a
plugin's migration hands its own partner table over (``api.adopt_partners``); and the pages
in Chromium, on a desktop and at 390 px."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from portal import api
from portal import migrate
from portal.dates import today as dutch_today
from portal.db import constant_sql
from portal.db import database
from portal.db import is_sqlite
from portal.models import AuditLog
from portal.models import NetworkMeeting
from portal.models import Partner
from portal.models import RolePermission
from portal.models import School
from portal.partners import tel_link

from .browser_support import axe_violations
from .browser_support import browser_login
from .browser_support import describe
from .conftest import ROLES
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import school

LIST = "/klaverweide/partners/"
MEETINGS = "/klaverweide/partners/overleg"
NEW = {
    "organisation": "Leerplicht Almere (demo)",
    "kind": "leerplicht",
    "contact_person": "Ans de Vries",
    "phone": "036 000 1199",
    "email": "leerplicht@partners.demo",
    "notes": "Bij zorgelijk verzuim.",
}


@pytest.fixture
def app_config(app_config):
    # The core only (and its test plugin): the partners do not need any protocol plugin.
    return {**app_config, "PORTAL_PLUGINS": ()}


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def audit_rows(app, action):
    with db_ctx(app):
        return [
            (r.detail, r.user_email)
            for r in AuditLog.select().where(AuditLog.action == action).order_by(AuditLog.id)
        ]


def partner_named(app, organisation):
    with db_ctx(app):
        return Partner.get(Partner.organisation == organisation)


# --------------------------------------------------------------------- list ----


@pytest.mark.parametrize("role", ROLES)
def test_every_staff_member_sees_the_list_with_links_to_call_and_mail(app, role):
    client = as_role(app, role)
    html = client.get(LIST).get_data(as_text=True)
    assert "<h1>Externe partners</h1>" in html
    assert "<h2>Veilig Thuis (demo)</h2>" in html
    assert "<dt>Soort</dt><dd>Schoolmaatschappelijk werk</dd>" in html
    assert '<a href="tel:0360001101">036 000 1101</a>' in html
    assert '<a href="mailto:smw@partners.demo">smw@<wbr>partners<wbr>.demo</a>' in html
    assert '<a href="/klaverweide/partners/" aria-current="page">Externe partners</a>' in html
    may_manage = role in ("ib", "directie", "beheerder")
    menu = client.get("/klaverweide/").get_data(as_text=True)
    assert '<a href="/klaverweide/partners/">Externe partners</a>' in menu
    assert ('<a href="/klaverweide/partners/overleg">Netwerkoverleg</a>' in menu) is may_manage
    assert ("Partner toevoegen" in html) is may_manage
    assert ("Wijzigen<span" in html) is may_manage
    assert ('href="/klaverweide/partners/overleg"' in html) is may_manage


def test_the_demo_school_has_its_six_fictional_partners(app):
    with db_ctx(app):
        rows = list(Partner.select().where(Partner.school == school().id))
        assert len(rows) == 6 and all("(demo)" in p.organisation for p in rows)
        assert {p.kind for p in rows} <= {k for k, _ in api.PARTNER_KINDS}


def test_tel_links_only_for_numbers():
    assert tel_link("036 000 1101") == "tel:0360001101"
    assert tel_link(" +31 (0)36-000 1101 ") == "tel:+310360001101"
    assert tel_link("036 000 1101 (alleen 's ochtends)") == ""  # typed before numbers were checked
    assert tel_link("") == ""


# ------------------------------------------------------------------- manage ----


def test_a_leerkracht_may_not_change_the_list(app):
    client = as_role(app, "leerkracht")
    pid = partner_named(app, "Veilig Thuis (demo)").id
    assert post(client, LIST + "nieuw", NEW, page=LIST).status_code == 403
    assert client.get(f"{LIST}{pid}").status_code == 403
    assert post(client, f"{LIST}{pid}/verwijderen", page=LIST).status_code == 403
    assert client.get(MEETINGS).status_code == 403
    with db_ctx(app):
        assert Partner.select().count() == 6 and Partner.select().where(~Partner.active).count() == 0


def test_ib_adds_changes_and_removes_a_partner_each_audited(app):
    client = as_role(app, "ib")
    r = post(
        client,
        LIST + "nieuw",
        {**NEW, "organisation": "", "kind": "politie", "email": "geen-adres", "phone": "bel maar"},
        page=LIST,
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "<title>Fout: Externe partners" in html and 'class="error-summary"' in html
    for message in (
        "Vul de naam van de organisatie in.",
        "Kies de soort partner.",
        "Vul een geldig e-mailadres in.",
        "Vul een telefoonnummer in met alleen cijfers, spaties of +.",
    ):
        assert message in html
    assert "Ans de Vries" in html  # what was typed is kept

    r = post(client, LIST + "nieuw", NEW, page=LIST)
    assert r.status_code == 302 and r.headers["Location"] == LIST
    partner = partner_named(app, NEW["organisation"])
    assert (partner.kind, partner.phone, partner.active) == ("leerplicht", "036 000 1199", True)
    html = client.get(LIST).get_data(as_text=True)
    assert "Leerplicht Almere (demo) is toegevoegd." in html
    assert "<h2>Leerplicht Almere (demo)</h2>" in html and "<dd>Leerplicht</dd>" in html

    edit = f"{LIST}{partner.id}"
    page = client.get(edit).get_data(as_text=True)
    assert 'value="Ans de Vries"' in page and 'autocomplete="off"' in page
    r = post(client, edit, {**NEW, "phone": "036 000 1200", "notes": ""}, page=edit)
    assert r.status_code == 302
    assert partner_named(app, NEW["organisation"]).phone == "036 000 1200"

    r = post(client, f"{edit}/verwijderen", page=edit)
    assert r.status_code == 302
    html = client.get(LIST).get_data(as_text=True)
    assert "staat niet meer in de lijst" in html and "<h2>Leerplicht Almere" not in html
    assert client.get(edit).status_code == 404
    # Hidden, not deleted: a case that engaged the partner keeps the row.
    assert partner_named(app, NEW["organisation"]).active is False

    who = "ib@klaverweide.demo"
    assert audit_rows(app, "partners.new") == [(str(partner.id), who)]
    assert audit_rows(app, "partners.edit") == [(f"{partner.id}: phone, notes", who)]
    assert audit_rows(app, "partners.remove") == [(str(partner.id), who)]


def test_another_schools_partner_cannot_be_reached(app):
    with db_ctx(app):
        other = School.create(slug="deberk", name="De Berk")
        foreign = Partner.create(school=other.id, organisation="Elders (demo)", kind="ggd").id
    client = as_role(app, "directie")
    assert client.get(f"{LIST}{foreign}").status_code == 404
    assert post(client, f"{LIST}{foreign}/verwijderen", page=LIST).status_code == 404
    assert post(client, f"{LIST}{foreign}", NEW, page=LIST).status_code == 404
    assert "Elders" not in client.get(LIST).get_data(as_text=True)
    with db_ctx(app):
        kept = Partner.get_by_id(foreign)
        assert kept.active and kept.organisation == "Elders (demo)"


def test_partner_choices_for_a_plugins_form(app):
    with db_ctx(app):
        here = school()
        choices = api.partner_choices(here)
        assert len(choices) == 6
        assert "Slachtofferhulp (demo) (Slachtofferhulp)" in [label for _, label in choices]
        assert [label for _, label in choices] == sorted(label for _, label in choices)
        hidden = Partner.get(Partner.organisation == "Veilig Thuis (demo)")
        Partner.update(active=False).where(Partner.id == hidden.id).execute()
        assert hidden.id not in [i for i, _ in api.partner_choices(here)]
        assert api.partner_choices(None) == []
        assert api.partner_kind_label("veilig_thuis") == "Veilig Thuis"
        assert api.partner_kind_label("onbekend") == "onbekend"


# ----------------------------------------------------------------- meetings ----


def test_meetings_are_logged_and_listed_newest_first(app):
    client = as_role(app, "ib")
    page = client.get(MEETINGS).get_data(as_text=True)
    assert "Er is nog geen overleg vastgelegd." in page and "Zonder namen van kinderen" in page
    future = (dutch_today() + datetime.timedelta(days=3)).isoformat()
    r = post(client, MEETINGS, {"held_on": future, "kind": "", "attendees": "", "topics": ""}, page=MEETINGS)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    for message in (
        "Deze datum ligt in de toekomst.",
        "Kies het soort overleg.",
        "Vul in wie er waren.",
        "Vul in wat er is besproken.",
    ):
        assert message in html
    for day, kind, topics in (
        ("2026-02-02", "ib_netwerk", "Rouwverwerking in de groep."),
        ("2026-03-02", "samenwerkingsverband", "Arrangementen groep 6."),
    ):
        r = post(
            client,
            MEETINGS,
            {
                "held_on": day,
                "kind": kind,
                "topics": topics,
                "attendees": "Marieke Postma (IB), Noor Bakker (SMW)",
            },
            page=MEETINGS,
        )
        assert r.status_code == 302
    html = client.get(MEETINGS).get_data(as_text=True)
    log = re.findall(r'<span class="when">([^<]+)</span> <span class="who">([^<]+)</span>', html)
    assert log == [
        ("2 maart 2026", "Overleg samenwerkingsverband"),
        ("2 februari 2026", "Maandelijks IB-netwerk"),
    ]
    assert "Arrangementen groep 6." in html and "Het overleg is vastgelegd." in html
    with db_ctx(app):
        rows = list(NetworkMeeting.select().order_by(NetworkMeeting.id))
        assert [r.created_by.email for r in rows] == ["ib@klaverweide.demo"] * 2
    assert [d for d, _ in audit_rows(app, "partners.meeting")] == [
        f"{rows[0].id}: ib_netwerk 2026-02-02",
        f"{rows[1].id}: samenwerkingsverband 2026-03-02",
    ]


def test_every_route_with_every_role(app, client):
    """The testing kit's walk over the blueprint: anonymous visitors reach nothing, no POST
    without CSRF, a role without the permission gets 403 or 404, never a server error."""
    from portal.testing import access_problems

    with db_ctx(app):
        pid = Partner.select().first().id
    assert access_problems(app, {"partner_id": pid}, blueprint="partners") == []


def test_bad_values_get_dutch_messages_and_never_a_500(app):
    client = as_role(app, "directie")
    pid = partner_named(app, "Veilig Thuis (demo)").id
    for url in (LIST + "nieuw", f"{LIST}{pid}", MEETINGS):
        for data in (
            {},
            {"kind": "x" * 50, "held_on": "31-02-2026", "organisation": "\x01"},
            {"organisation": "a\nb", "email": "x" * 300, "notes": "x" * 3000},
        ):
            r = post(client, url, data, page=LIST)
            assert r.status_code == 422, (url, data)
            assert "error-summary" in r.get_data(as_text=True)


# ------------------------------------------------------------ adopt_partners ----

OLD_TABLE_SQL = {
    "sqlite": [
        'CREATE TABLE "proef_partner" ("id" INTEGER NOT NULL PRIMARY KEY, "school_id" INTEGER '
        'NOT NULL, "organisation" VARCHAR(200) NOT NULL, "kind" VARCHAR(40) NOT NULL, '
        '"contact_person" VARCHAR(200) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" '
        'VARCHAR(254) NOT NULL, "notes" TEXT NOT NULL, "active" INTEGER NOT NULL, FOREIGN KEY '
        '("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE)',
        'CREATE TABLE "proef_hulp" ("id" INTEGER NOT NULL PRIMARY KEY, "partner_id" INTEGER, '
        '"name" VARCHAR(200) NOT NULL, FOREIGN KEY ("partner_id") REFERENCES "proef_partner" '
        '("id") ON DELETE SET NULL)',
        'CREATE INDEX "proef_hulp_partner_id" ON "proef_hulp" ("partner_id")',
    ],
    "postgresql": [
        'CREATE TABLE "proef_partner" ("id" SERIAL NOT NULL PRIMARY KEY, "school_id" INTEGER '
        'NOT NULL, "organisation" VARCHAR(200) NOT NULL, "kind" VARCHAR(40) NOT NULL, '
        '"contact_person" VARCHAR(200) NOT NULL, "phone" VARCHAR(40) NOT NULL, "email" '
        'VARCHAR(254) NOT NULL, "notes" TEXT NOT NULL, "active" BOOLEAN NOT NULL, FOREIGN KEY '
        '("school_id") REFERENCES "portal_school" ("id") ON DELETE CASCADE)',
        'CREATE TABLE "proef_hulp" ("id" SERIAL NOT NULL PRIMARY KEY, "partner_id" INTEGER, '
        '"name" VARCHAR(200) NOT NULL, FOREIGN KEY ("partner_id") REFERENCES "proef_partner" '
        '("id") ON DELETE SET NULL)',
        'CREATE INDEX "proef_hulp_partner_id" ON "proef_hulp" ("partner_id")',
    ],
}


@pytest.mark.schema
def test_adopt_partners_keeps_free_ids_moves_the_rest_and_every_reference_follows(app):
    """The core's table already holds the demo's six partners (ids 1-6): the plugin's rows
    with ids 2 and 5 collide and move above every id, 9 keeps its id, and the references
    follow their partner. The foreign key keeps its ON DELETE, the plugin's permission
    changes move, and the old table is gone."""
    with db_ctx(app):
        here = school().id
        for statement in OLD_TABLE_SQL["sqlite" if is_sqlite() else "postgresql"]:
            database.execute_sql(statement)
        rows = [(2, "Buurtteam (demo)", True), (5, "Jeugdarts (demo)", False), (9, "Leerplicht (demo)", True)]
        for pid, name, active in rows:
            database.execute_sql(
                constant_sql('INSERT INTO "proef_partner" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
                (pid, here, name, "anders", "Iemand", "036 000 0002", "", "notitie", active),
            )
        for hid, pid in ((1, 2), (2, 5), (3, 9), (4, None), (5, 2)):
            database.execute_sql(
                constant_sql('INSERT INTO "proef_hulp" VALUES (?, ?, ?)'), (hid, pid, f"hulp {hid}")
            )
        RolePermission.create(school=here, permission="proef.partners", role="leerkracht", granted=True)
        RolePermission.create(school=here, permission="proef.partners", role="ib", granted=False)
        RolePermission.create(school=here, permission="portal.partners", role="ib", granted=True)
        assert max(p.id for p in Partner.select()) == 6
        # As init-db runs a migration (on SQLite: foreign keys off, checked before the commit).
        moved = {}
        migrate.apply_migration(
            "proef",
            "m0002_partners",
            lambda db: moved.update(api.adopt_partners(db, "proef_partner", permission="proef.partners")),
        )
        assert moved == {2: 10, 5: 11, 9: 9}
        assert "proef_partner" not in database.get_tables()
        got = {p.id: (p.organisation, p.active, p.notes) for p in Partner.select().where(Partner.id > 6)}
        assert got == {
            9: ("Leerplicht (demo)", True, "notitie"),
            10: ("Buurtteam (demo)", True, "notitie"),
            11: ("Jeugdarts (demo)", False, "notitie"),
        }
        help_rows = database.execute_sql('SELECT "id", "partner_id" FROM "proef_hulp" ORDER BY "id"')
        assert list(help_rows) == [(1, 10), (2, 11), (3, 9), (4, None), (5, 10)]
        [fk] = database.get_foreign_keys("proef_hulp")
        assert (fk.column, fk.dest_table, fk.dest_column) == ("partner_id", "portal_partner", "id")
        assert "proef_hulp_partner_id" in [i.name for i in database.get_indexes("proef_hulp")]
        overrides = {(r.permission, r.role, r.granted) for r in RolePermission.select()}
        assert ("portal.partners", "leerkracht", True) in overrides
        assert ("portal.partners", "ib", True) in overrides  # the core's own change stays
        # The sequence went past the moved ids: a new partner gets a free one.
        assert Partner.create(school=school().id, organisation="Nieuw", kind="ggd").id == 12
        # ON DELETE SET NULL holds for the new reference.
        Partner.delete().where(Partner.id == 9).execute()
        assert (
            database.execute_sql('SELECT "partner_id" FROM "proef_hulp" WHERE "id" = 3').fetchone()[0] is None
        )
        database.execute_sql('DROP TABLE "proef_hulp"')


# ------------------------------------------------------------------ browser ----


@pytest.mark.browser
def test_pages_are_accessible_and_fit_a_phone(phone_page, page, live_server, app):
    with db_ctx(app):
        Partner.create(
            school=school().id,
            organisation="Jeugdgezondheidszorg en opvoedondersteuning Almere Haven-Centrum (demo)",
            kind="ggd",
            contact_person="Pieternella van Oldenbarnevelt-Smit",
            phone="036 000 1109",
            email="jeugdgezondheidszorg.almere-haven@ggd-flevoland-partners.demo",
            notes="Bereikbaar op werkdagen van 8.30 tot 17.00 uur; buiten kantoortijd via de centrale.",
        )
    browser_login(phone_page, live_server, "ib")
    for path in (LIST, f"{LIST}1", MEETINGS):
        phone_page.goto(live_server + path)
        assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390, path
        violations = axe_violations(phone_page)
        assert not violations, f"{path}:\n{describe(violations)}"
    phone_page.goto(live_server + LIST)
    call = phone_page.get_by_role("link", name="036 000 1109")
    assert call.get_attribute("href") == "tel:0360001109"

    # A refused form: the summary takes the focus; the page still fits.
    phone_page.get_by_role("button", name="Partner toevoegen").click()
    expect(phone_page.get_by_role("alert")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth") <= 390
    assert not axe_violations(phone_page), describe(axe_violations(phone_page))

    browser_login(page, live_server, "leerkracht")
    page.get_by_role("link", name="Externe partners").first.click()
    expect(page.get_by_role("heading", name="Externe partners", level=1)).to_be_visible()
    assert (
        page.get_by_role("link", name=re.compile(r"^smw@")).get_attribute("href")
        == "mailto:smw@partners.demo"
    )
    assert not axe_violations(page), describe(axe_violations(page))
