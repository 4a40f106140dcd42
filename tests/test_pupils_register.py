"""The pupil register's pages (/<school>/leerlingen/): the list with its search by name,
number and group per school year, adding, changing, marking a pupil as left and back;
who may open them (every role), that nothing about a pupil reaches a role without the
permission, and that every view and change writes an audit row with the child's id."""

import datetime

import pytest

from portal import pupils
from portal.dates import today
from portal.models import AuditLog
from portal.models import Pupil
from portal.models import PupilGroup
from portal.models import School
from portal.pupils.demo import DEMO_FIRST_NUMBER

from .conftest import ROLES
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx
from .core_helpers import school

LIST = "/klaverweide/leerlingen/"
MANAGERS = {"ib", "directie", "beheerder"}


@pytest.fixture
def app_config(app_config):
    # The core and its test case type: the register needs no protocol plugin.
    return {**app_config, "PORTAL_PLUGINS": ()}


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def pupil_by_number(app, number):
    with db_ctx(app):
        return Pupil.get((Pupil.school == school().id) & (Pupil.las_number == number))


def rows_about(app, pupil_id, action=None):
    with db_ctx(app):
        q = AuditLog.select().where(AuditLog.pupil_id == pupil_id)
        if action:
            q = q.where(AuditLog.action == action)
        return list(q.order_by(AuditLog.id))


def add(client, **values):
    data = {
        "las_number": "555001",
        "first_name": "Fenna",
        "prefix": "van",
        "last_name": "Houten",
        "birth_date": "2017-03-04",
        "group": "3a",
        "enrolled_on": "2021-08-23",
        **values,
    }
    return post(client, f"{LIST}nieuw", data, page=f"{LIST}nieuw")


# ----------------------------------------------------------------- access ----


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_the_register(app, role):
    """Directie, IB and beheerder keep the register; every other role gets a 403 on every
    page of it, and no pupil's name in the answer."""
    client = as_role(app, role)
    demo = pupil_by_number(app, str(DEMO_FIRST_NUMBER))
    pages = [LIST, f"{LIST}nieuw", f"{LIST}{demo.id}/bewerken", f"{LIST}importeren"]
    for url in pages:
        r = client.get(url)
        if role in MANAGERS:
            assert r.status_code == 200, url
        else:
            assert r.status_code == 403, url
            assert demo.last_name not in r.get_data(as_text=True)
    r = post(client, f"{LIST}{demo.id}/vertrokken", {"left_on": today().isoformat()})
    assert r.status_code == (302 if role in MANAGERS else 403)
    menu = client.get("/klaverweide/").get_data(as_text=True)
    assert (f'href="{LIST}"' in menu) == (role in MANAGERS)


def test_anonymous_and_another_school(app):
    anonymous = app.test_client()
    r = anonymous.get(LIST)
    assert r.status_code == 302 and "/login" in r.headers["Location"]
    with db_ctx(app):
        other = School.create(slug="berkenhof", name="De Berkenhof")
        theirs = Pupil.create(
            school=other.id, las_number="9001", first_name="Jip", last_name="Anders", search="jip anders 9001"
        )
    client = as_role(app, "directie")
    # No role there: the whole register of the other school is closed.
    assert client.get("/berkenhof/leerlingen/").status_code == 403
    # Their pupil through our school's address: not found, and not named.
    r = client.get(f"{LIST}{theirs.id}/bewerken")
    assert r.status_code == 404 and "Anders" not in r.get_data(as_text=True)
    assert post(client, f"{LIST}{theirs.id}/vertrokken", {"left_on": "2026-01-05"}).status_code == 404


def test_a_board_wide_beheerder_keeps_every_schools_register(app):
    with db_ctx(app):
        School.create(slug="berkenhof", name="De Berkenhof")
    client = as_role(app, "beheerder")
    assert client.get("/berkenhof/leerlingen/").status_code == 200


# ------------------------------------------------------------------- list ----


def test_the_list_searches_name_number_and_group(app):
    client = as_role(app, "ib")
    html = client.get(LIST).get_data(as_text=True)
    assert "Volgende leerlingen" in html  # 200 pupils, 100 a page
    daan = pupil_by_number(app, "100126")
    r = client.get(LIST, query_string={"q": "daan vos"})
    html = r.get_data(as_text=True)
    assert "Vos, Daan" in html and html.count("<tr>") == 2  # the header and Daan
    assert "Vos, Daan" in client.get(LIST, query_string={"q": "100126"}).get_data(as_text=True)
    # Accents and case do not matter: "celik" finds Çelik.
    assert "Çelik" in client.get(LIST, query_string={"q": "CELIK"}).get_data(as_text=True)
    # A group as the school names it, also "1/2a" with its slash.
    html = client.get(LIST, query_string={"q": "1/2a"}).get_data(as_text=True)
    assert html.count('<td data-label="Groep">1/2a</td>') == 25
    html = client.get(LIST, query_string={"groep": "5b"}).get_data(as_text=True)
    assert html.count('<td data-label="Groep">5b</td>') == 25 and ">6b</td>" not in html
    assert f"{LIST}{daan.id}" in client.get(LIST, query_string={"q": "daan"}).get_data(as_text=True)
    html = client.get(LIST, query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Geen leerlingen gevonden" in html


def test_groups_per_school_year(app):
    """A pupil's group is kept per school year: last year's list shows last year's groups."""
    daan = pupil_by_number(app, "100126")
    this_year = pupils.school_year()
    start = int(this_year[:4])
    last_year = f"{start - 1}-{start}"
    with db_ctx(app):
        PupilGroup.create(pupil=daan.id, school=school().id, school_year=last_year, name="4b", grade=4)
    client = as_role(app, "directie")
    html = client.get(LIST, query_string={"jaar": last_year, "q": "100126"}).get_data(as_text=True)
    assert '<td data-label="Groep">4b</td>' in html and f'<option value="{last_year}" selected>' in html
    html = client.get(LIST, query_string={"q": "100126"}).get_data(as_text=True)
    assert '<td data-label="Groep">6b</td>' in html
    html = client.get(f"{LIST}{daan.id}/bewerken").get_data(as_text=True)
    assert f"<td>{last_year}</td><td>4b</td>" in html
    assert f"<td>{this_year} (dit jaar)</td><td>6b</td>" in html
    # A year that is no year falls back to this one.
    assert '<td data-label="Groep">6b</td>' in client.get(
        LIST, query_string={"jaar": "x", "q": "100126"}
    ).get_data(as_text=True)


def test_the_list_is_audited_without_the_words_searched(app):
    client = as_role(app, "directie")
    client.get(LIST, query_string={"q": "Daan Vos", "groep": "5b"})
    with db_ctx(app):
        row = AuditLog.select().where(AuditLog.action == "pupil.list").order_by(AuditLog.id.desc()).get()
    assert "Daan" not in row.detail and "zoekwoorden=2" in row.detail and "groep=5b" in row.detail
    assert row.user_email == "directie@klaverweide.demo"


def test_left_pupils_only_when_asked(app):
    daan = pupil_by_number(app, "100126")
    with db_ctx(app):
        pupils.mark_left(school(), daan, today() - datetime.timedelta(days=3))
    client = as_role(app, "ib")
    assert "Vos, Daan" not in client.get(LIST, query_string={"q": "100126"}).get_data(as_text=True)
    html = client.get(LIST, query_string={"q": "100126", "vertrokken": "1"}).get_data(as_text=True)
    assert "Vos, Daan" in html and "vertrokken" in html


# ------------------------------------------------------------ add and edit ----


def test_add_a_pupil(app):
    client = as_role(app, "directie")
    r = add(client)
    assert r.status_code == 302
    pupil = pupil_by_number(app, "555001")
    assert (pupil.first_name, pupil.prefix, pupil.last_name) == ("Fenna", "van", "Houten")
    assert pupil.birth_date == datetime.date(2017, 3, 4) and pupil.search == "fenna van houten 555001"
    with db_ctx(app):
        group = PupilGroup.get(PupilGroup.pupil == pupil.id)
    assert (group.name, group.grade, group.school_year) == ("3a", 3, pupils.school_year())
    (row,) = rows_about(app, pupil.id, "pupil.new")
    assert row.user_email == "directie@klaverweide.demo" and row.detail == f"leerling {pupil.id}"
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "Fenna van Houten staat in de leerlingenlijst." in html


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"las_number": ""}, "las_number", "Vul het leerlingnummer in"),
        ({"las_number": "12 34"}, "las_number", "cijfers en letters"),
        ({"las_number": "100126"}, "las_number", "al een andere leerling: Daan Vos"),
        ({"first_name": ""}, "first_name", "Vul de voornaam in."),
        ({"last_name": "   "}, "last_name", "Vul de achternaam in."),
        ({"birth_date": "2099-01-01"}, "birth_date", "in de toekomst"),
        ({"birth_date": "31-02-2017"}, "birth_date", "Vul een geldige datum in"),
        ({"enrolled_on": "2016-08-20"}, "enrolled_on", "voor de geboortedatum"),
        ({"group": "x" * 21}, "group", "21"),
        ({"first_name": "Fen\x01na"}, "first_name", "ongeldige tekens"),
    ],
)
def test_bad_input_gets_a_dutch_message_with_everything_kept(app, values, field, message):
    client = as_role(app, "ib")
    r = add(client, **values)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert message in html, html[:3000]
    assert 'class="error-summary"' in html and f'href="#{field}"' in html
    if field != "last_name":
        assert 'value="Houten"' in html  # what was typed stays
    with db_ctx(app):
        assert not Pupil.select().where(Pupil.last_name == "Houten").exists()


def test_edit_a_pupil_and_the_view_is_audited(app):
    client = as_role(app, "ib")
    daan = pupil_by_number(app, "100126")
    url = f"{LIST}{daan.id}/bewerken"
    html = client.get(url).get_data(as_text=True)
    assert 'value="100126"' in html and 'value="6b"' in html
    assert [r.action for r in rows_about(app, daan.id)] == ["pupil.view"]
    r = post(
        client,
        url,
        {
            "las_number": "100126",
            "first_name": "Daan",
            "prefix": "de",
            "last_name": "Vos",
            "birth_date": "2016-05-01",
            "group": "6a",
            "enrolled_on": "",
        },
        page=url,
    )
    assert r.status_code == 302
    daan = pupil_by_number(app, "100126")
    assert daan.prefix == "de" and daan.search == "daan de vos 100126"
    with db_ctx(app):
        assert pupils.groups_now(school(), [daan.id]) == {daan.id: "6a"}
    assert [r.action for r in rows_about(app, daan.id)][-1] == "pupil.edit"
    # Taking another pupil's number is refused, the form kept.
    r = post(
        client,
        url,
        {"las_number": "100127", "first_name": "Daan", "last_name": "Vos"},
        page=url,
    )
    assert r.status_code == 422 and "al een andere leerling: Noah Bakker" in r.get_data(as_text=True)


def test_two_saves_of_one_number_at_once_end_in_a_message(app):
    """The form's check passed for both; the unique index decides, and the loser gets a
    Dutch sentence instead of a server error."""
    with db_ctx(app):
        here = school()
        values = {"las_number": "100126", "first_name": "X", "prefix": "", "last_name": "Y"}
        with pytest.raises(pupils.PupilRefused, match="leerlingnummer"):
            pupils.save(here, {**values, "birth_date": None, "enrolled_on": None})


def test_mark_left_and_back(app):
    client = as_role(app, "directie")
    daan = pupil_by_number(app, "100126")
    url = f"{LIST}{daan.id}/vertrokken"
    r = post(client, url, {"left_on": "2026-12-18"}, page=f"{LIST}{daan.id}/bewerken")
    assert r.status_code == 302
    assert pupil_by_number(app, "100126").left_on == datetime.date(2026, 12, 18)
    html = client.get(r.headers["Location"]).get_data(as_text=True)
    assert "is uitgeschreven per 18 december 2026" in html
    # Never deleted: the row stays, and the change is audited with the child's id.
    assert rows_about(app, daan.id, "pupil.left")[0].detail == f"leerling {daan.id}: 2026-12-18"
    r = post(client, url, {"terug": "1"})
    assert r.status_code == 302 and pupil_by_number(app, "100126").left_on is None
    assert len(rows_about(app, daan.id, "pupil.back")) == 1


def test_mark_left_refuses_a_bad_date(app):
    client = as_role(app, "directie")
    daan = pupil_by_number(app, "100126")
    r = post(client, f"{LIST}{daan.id}/vertrokken", {"left_on": "18-13-2026"})
    assert r.status_code == 422 and "Vul een geldige datum in" in r.get_data(as_text=True)
    with db_ctx(app):
        Pupil.update(enrolled_on=datetime.date(2022, 8, 22)).where(Pupil.id == daan.id).execute()
    r = post(client, f"{LIST}{daan.id}/vertrokken", {"left_on": "2021-01-04"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "pas op 22 augustus 2022 ingeschreven" in html
    assert pupil_by_number(app, "100126").left_on is None


def test_a_left_pupil_cannot_be_linked_but_keeps_its_cases(app):
    from portal.cases import engine

    from .core_helpers import actor

    with db_ctx(app):
        here = school()
        daan = Pupil.get((Pupil.school == here.id) & (Pupil.las_number == "100126"))
        case = engine.create_case(here, "testzaak.zaak", "Zaak", actor("directie"))
        pupils.link(case, daan, actor("directie"))
        pupils.mark_left(here, daan, today())
        other = engine.create_case(here, "testzaak.zaak", "Nieuwe zaak", actor("directie"))
        with pytest.raises(pupils.PupilRefused, match="heeft de school verlaten"):
            pupils.link(other, Pupil.get_by_id(daan.id), actor("directie"))
        assert [r.linked.id for r in pupils.case_pupils(case)] == [daan.id]


def test_a_role_granted_by_the_school_opens_the_register(app):
    """The permission is what counts, not the role's name: a school that gives its
    leerkracht the register sees them in."""
    from portal.models import RolePermission

    with db_ctx(app):
        RolePermission.create(school=school().id, permission="portal.pupils", role="leerkracht", granted=True)
    assert as_role(app, "leerkracht").get(LIST).status_code == 200
