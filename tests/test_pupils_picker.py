"""The pupil picker of the forms kit (portal/pupils/field.py) on a start page without
JavaScript: search, the pupils found as radio buttons, choose, send, everything typed kept;
a pupil of another school or one who left refused. The picker's JSON search
(/<school>/leerlingen/kiezen): who may use it, at most ten pupils, none who left, audited.
The pupils section of a case page: link a pupil, link a name typed before ("niet
gekoppeld"), take one off, and who may."""

import datetime
import re

import pytest

from portal import api
from portal import pupils
from portal.cases import engine
from portal.dates import today
from portal.models import AuditLog
from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil
from portal.models import School
from portal.models import SchoolPlugin

from .conftest import ROLES
from .conftest import get_csrf
from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import school

START = "/klaverweide/leerlingtest/nieuw"
PICK = "/klaverweide/leerlingen/kiezen"


# A test-only plugin whose start form has a PupilField between other fields, as the
# protocol plugins' staff forms have.
class ReportForm(api.Form):
    subject = api.line("Onderwerp", 200, "Vul een onderwerp in.")
    happened_on = api.date_field("Datum", past=True)
    pupil = api.PupilField("Leerling", required="Zoek en kies de leerling.", role="slachtoffer")
    what = api.text("Wat is er gebeurd?", 2000, "Beschrijf wat er gebeurd is.")


REPORT = api.CaseType(
    name="leerlingtest.melding",
    title="Leerlingmelding",
    prefix="LM",
    states=(api.State("nieuw", "Nieuw"), api.State("klaar", "Afgerond", closed=True)),
    initial="nieuw",
    transitions=(api.Transition("leerlingtest.sluit", "Afronden", ("nieuw",), "klaar", "leerlingtest.view"),),
    view_permission="leerlingtest.view",
    start=api.Start(
        ReportForm, "Melding over een leerling", permission="leerlingtest.start", title="{subject}"
    ),
)


def _enable(school):
    SchoolPlugin.insert(school=school.id, plugin="leerlingtest").on_conflict_ignore().execute()


PLUGIN = api.Plugin(
    "leerlingtest",
    __name__,
    title="Leerlingtest",
    case_types=[REPORT],
    migrations=None,
    demo=_enable,
    permissions=[
        api.Permission("leerlingtest.start", "Een melding doen", api.STAFF_ROLES),
        api.Permission("leerlingtest.view", "Meldingen zien", ("ib", "directie", "leerkracht")),
    ],
)
PLUGIN.SLUG = "leerlingtest"


@pytest.fixture
def app_config(app_config):
    return {
        **app_config,
        "PORTAL_PLUGINS": (),
        "PORTAL_EXTRA_PLUGINS": (*app_config["PORTAL_EXTRA_PLUGINS"], PLUGIN),
    }


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def pupil(app, number):
    with db_ctx(app):
        return Pupil.get((Pupil.school == school().id) & (Pupil.las_number == number))


FILLED = {"subject": "Ruzie op het plein", "happened_on": "2026-12-01", "what": "Er werd geduwd."}


def send(client, **data):
    data = {**FILLED, **data}
    data["csrf_token"] = get_csrf(client, START)
    return client.post(START, data={k: v for k, v in data.items() if v is not None})


# --------------------------------------------------- without JavaScript ----


def test_search_choose_send(app):
    client = as_role(app, "leerkracht")
    html = client.get(START).get_data(as_text=True)
    assert 'data-pupil-picker data-search-url="/klaverweide/leerlingen/kiezen"' in html
    assert 'name="pupil-zoek"' in html and 'name="pupil-zoekknop"' in html
    # 1. Search: the form comes back with the pupils found, everything typed kept.
    r = send(client, **{"pupil-zoek": "vos", "pupil-zoekknop": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    daan = pupil(app, "100126")
    assert re.search(rf'type="radio" id="pupil-\d" name="pupil" value="{daan.id}"', html)
    assert "Daan Vos, groep 6b (leerlingnummer 100126)" in html
    assert "Kies de leerling uit de lijst onder het zoekveld." in html
    assert 'value="Ruzie op het plein"' in html and "Er werd geduwd.</textarea>" in html
    assert 'value="2026-12-01"' in html and 'value="vos"' in html
    # 2. Choose one and send: the case is there, the pupil linked with the field's role.
    r = send(client, **{"pupil-zoek": "vos", "pupil": str(daan.id)})
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    with db_ctx(app):
        case = Case.get(Case.title == "Ruzie op het plein")
        (row,) = CasePupil.select().where(CasePupil.case == case.id)
        assert (row.pupil_id, row.role) == (daan.id, "slachtoffer")
        link = AuditLog.get((AuditLog.action == "case.pupil.link") & (AuditLog.case_ref == case.reference))
        assert link.pupil_id == daan.id


def test_at_most_ten_pupils_are_offered(app):
    client = as_role(app, "ib")
    html = send(client, **{"pupil-zoek": "a", "pupil-zoekknop": "1"}).get_data(as_text=True)
    assert "(10 gevonden)" in html and html.count('type="radio"') == 10


def test_nothing_found_or_nothing_chosen(app):
    client = as_role(app, "leerkracht")
    r = send(client, **{"pupil-zoek": "qqqxyz", "pupil-zoekknop": "1"})
    assert r.status_code == 422 and "Geen leerling gevonden bij “qqqxyz”" in r.get_data(as_text=True)
    r = send(client)
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Zoek en kies de leerling." in html
    assert '<a href="#pupil">Leerling: Zoek en kies de leerling.</a>' in html
    # Sending the search text without choosing searches (and asks to choose).
    r = send(client, **{"pupil-zoek": "daan vos"})
    assert r.status_code == 422 and "Kies de leerling uit de lijst" in r.get_data(as_text=True)


def test_a_chosen_pupil_is_kept_when_another_field_is_wrong(app):
    client = as_role(app, "leerkracht")
    daan = pupil(app, "100126")
    r = send(client, subject="", **{"pupil-zoek": "Daan Vos", "pupil": str(daan.id)})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Vul een onderwerp in." in html
    assert f'<input type="hidden" name="pupil" value="{daan.id}">' in html
    assert 'name="pupil-zoek" value="Daan Vos"' in html
    # Enter in a field presses the form's first button ("Zoek"): with the chosen pupil's
    # name unchanged the form is sent, not searched again.
    r = send(client, **{"pupil-zoek": "Daan Vos", "pupil": str(daan.id), "pupil-zoekknop": "1"})
    assert r.status_code == 302
    # Other words than the chosen pupil's name with "Zoek": a new search.
    r = send(client, **{"pupil-zoek": "bakker", "pupil": str(daan.id), "pupil-zoekknop": "1"})
    assert r.status_code == 422 and "Noah Bakker" in r.get_data(as_text=True)


def test_a_pupil_of_another_school_or_who_left_is_refused(app):
    with db_ctx(app):
        other = School.create(slug="berkenhof", name="De Berkenhof")
        theirs = Pupil.create(
            school=other.id, las_number="1", first_name="Jip", last_name="Anders", search="jip"
        )
        daan = Pupil.get((Pupil.school == school().id) & (Pupil.las_number == "100126"))
        pupils.mark_left(school(), daan, today() - datetime.timedelta(days=1))
    client = as_role(app, "leerkracht")
    for chosen in (str(theirs.id), "999999999", "abc", "9" * 30):
        r = send(client, **{"pupil": chosen})
        html = r.get_data(as_text=True)
        assert r.status_code == 422 and "Kies een leerling uit de lijst." in html, chosen
        assert "Anders" not in html
    r = send(client, **{"pupil": str(daan.id)})
    assert r.status_code == 422 and "Daan Vos heeft de school verlaten" in r.get_data(as_text=True)
    # Nor is one who left among the pupils found.
    html = send(client, **{"pupil-zoek": "100126", "pupil-zoekknop": "1"}).get_data(as_text=True)
    assert "Geen leerling gevonden" in html
    with db_ctx(app):
        assert not Case.select().where(Case.case_type == "leerlingtest.melding").exists()


def test_a_role_without_the_picker_cannot_search(app):
    """The bestuur may start this test case but not look pupils up (portal.pupil_pick)."""
    client = as_role(app, "bestuur")
    r = send(client, **{"pupil-zoek": "vos", "pupil-zoekknop": "1"})
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "U mag geen leerlingen opzoeken" in html and "Daan Vos" not in html
    # Nor does a posted id tell whose it is.
    for chosen in (pupil(app, "100126"), pupil(app, "100127")):
        html = send(client, **{"pupil": str(chosen.id)}).get_data(as_text=True)
        assert "U mag geen leerlingen opzoeken" in html and chosen.last_name not in html
    with db_ctx(app):
        assert not Case.select().where(Case.case_type == "leerlingtest.melding").exists()


def test_filled_in_beforehand(app):
    """A start page filled in from another case shows that case's pupil as chosen."""
    daan = pupil(app, "100126")
    with app.test_request_context("/klaverweide/"):
        from flask import g

        from portal.db import database

        database.connect(reuse_if_open=True)
        g.school = school()
        form = ReportForm(data={"pupil": daan.id})
        assert form.pupil.pupil.id == daan.id and form.pupil.data == "Daan Vos"
        html = str(form.pupil())
        assert f'value="{daan.id}"' in html and 'value="Daan Vos"' in html
        database.close()


# ------------------------------------------------------------- the JSON ----


@pytest.mark.parametrize("role", ROLES)
def test_who_may_search(app, role):
    r = as_role(app, role).get(PICK, query_string={"q": "vos"})
    if role == "bestuur":
        assert r.status_code == 403 and b"Vos" not in r.data
    else:
        assert r.status_code == 200
        assert {
            "id": pupil(app, "100126").id,
            "name": "Daan Vos",
            "group": "6b",
            "number": "100126",
        } in r.json["pupils"]


def test_the_search_answers_at_most_ten_still_at_school(app):
    client = as_role(app, "leerkracht")
    r = client.get(PICK, query_string={"q": "an"})
    assert len(r.json["pupils"]) == 10 and r.headers["Cache-Control"] == "no-store"
    assert set(r.json["pupils"][0]) == {"id", "name", "group", "number"}
    assert client.get(PICK, query_string={"q": "v"}).json == {"pupils": []}  # two letters at least
    assert client.get(PICK).json == {"pupils": []}
    daan = pupil(app, "100126")
    with db_ctx(app):
        pupils.mark_left(school(), daan, today())
    assert client.get(PICK, query_string={"q": "100126"}).json == {"pupils": []}
    anonymous = app.test_client().get(PICK, query_string={"q": "vos"})
    assert anonymous.status_code == 302 and b"Vos" not in anonymous.data


def test_the_search_finds_only_this_schools_pupils(app):
    with db_ctx(app):
        other = School.create(slug="berkenhof", name="De Berkenhof")
        Pupil.create(school=other.id, las_number="1", first_name="Daan", last_name="Vos", search="daan vos 1")
    r = as_role(app, "leerkracht").get(PICK, query_string={"q": "daan vos"})
    assert [p["number"] for p in r.json["pupils"]] == ["100126"]


def test_the_search_is_audited_without_the_words(app):
    as_role(app, "leerkracht").get(PICK, query_string={"q": "daan vos"})
    with db_ctx(app):
        row = AuditLog.select().where(AuditLog.action == "pupil.search").order_by(AuditLog.id.desc()).get()
    assert row.detail == "zoekwoorden=2 rijen=1" and row.user_email == "leerkracht@klaverweide.demo"


# ---------------------------------------------------- the case page ----


@pytest.fixture
def case(app):
    with db_ctx(app):
        return engine.create_case(school(), "testzaak.zaak", "Zaak over leerlingen", actor("directie"))


def page_of(case):
    return f"/klaverweide/zaken/{case.reference}"


def post_on(client, case, url, data):
    data = {**data, "csrf_token": get_csrf(client, page_of(case))}
    return client.post(url, data=data)


def rows(app, case):
    with db_ctx(app):
        return [(r.pupil_id, r.name, r.role) for r in CasePupil.select().where(CasePupil.case == case.id)]


def test_link_a_pupil_on_the_case_page(app, case):
    client = as_role(app, "ib")
    html = client.get(page_of(case)).get_data(as_text=True)
    assert "Er is nog geen leerling aan deze zaak gekoppeld." in html and 'name="lln-pupil-zoek"' in html
    daan = pupil(app, "100126")
    url = f"{page_of(case)}/leerlingen"
    # Without JavaScript: search first, then choose.
    r = post_on(
        client, case, url, {"lln-pupil-zoek": "daan", "lln-pupil-zoekknop": "1", "lln-role": "getuige"}
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Daan Vos, groep 6b" in html
    assert '<option selected value="getuige">' in html or 'value="getuige" selected' in html
    r = post_on(client, case, url, {"lln-pupil": str(daan.id), "lln-role": "getuige"})
    assert r.status_code == 302 and r.headers["Location"].endswith("#h-pupils")
    assert rows(app, case) == [(daan.id, "", "getuige")]
    html = client.get(page_of(case)).get_data(as_text=True)
    assert f'<a href="/klaverweide/leerlingen/{daan.id}">Daan Vos</a>, groep 6b' in html
    assert "Daan Vos is aan deze zaak gekoppeld." in html
    # Twice is refused, in Dutch, with a 422.
    r = post_on(client, case, url, {"lln-pupil": str(daan.id), "lln-role": "betrokken"})
    assert r.status_code == 422 and "Daan Vos staat al bij deze zaak." in r.get_data(as_text=True)
    # An unknown role is refused too.
    noah = pupil(app, "100127")
    r = post_on(client, case, url, {"lln-pupil": str(noah.id), "lln-role": "koning"})
    assert r.status_code == 422 and len(rows(app, case)) == 1


def test_link_a_name_typed_before(app, case):
    with db_ctx(app):
        pupils.note_name(case, "Daan (groep 6)", "betrokken")
        row = CasePupil.get(CasePupil.case == case.id)
    client = as_role(app, "directie")
    html = client.get(page_of(case)).get_data(as_text=True)
    assert 'Daan (groep 6) <span class="badge">niet gekoppeld</span>' in html
    # The typed name is the first search.
    assert f'name="koppel{row.id}-pupil-zoek" value="Daan (groep 6)"' in html
    daan = pupil(app, "100126")
    url = f"{page_of(case)}/leerlingen/{row.id}"
    r = post_on(client, case, url, {f"koppel{row.id}-pupil": str(daan.id)})
    assert r.status_code == 302
    # The link keeps what was typed: it is what the parent said.
    assert rows(app, case) == [(daan.id, "Daan (groep 6)", "betrokken")]
    assert "niet gekoppeld" not in client.get(page_of(case)).get_data(as_text=True)
    # Taking the link off brings the typed name back as it was.
    r = post_on(client, case, f"{url}/verwijderen", {})
    assert r.status_code == 302 and rows(app, case) == [(None, "Daan (groep 6)", "betrokken")]
    with db_ctx(app):
        actions = [
            (a.action, a.pupil_id)
            for a in AuditLog.select().where(AuditLog.case_ref == case.reference).order_by(AuditLog.id)
            if a.action.startswith("case.pupil")
        ]
    assert actions == [("case.pupil.link", daan.id), ("case.pupil.unlink", daan.id)]
    # A row that is the register's pupil alone goes altogether.
    noah = pupil(app, "100127")
    post_on(client, case, f"{page_of(case)}/leerlingen", {"lln-pupil": str(noah.id), "lln-role": "betrokken"})
    with db_ctx(app):
        noah_row = CasePupil.get((CasePupil.case == case.id) & (CasePupil.pupil == noah.id))
    post_on(client, case, f"{page_of(case)}/leerlingen/{noah_row.id}/verwijderen", {})
    assert rows(app, case) == [(None, "Daan (groep 6)", "betrokken")]


def test_a_left_pupil_is_not_linked_on_the_case_page(app, case):
    daan = pupil(app, "100126")
    with db_ctx(app):
        pupils.mark_left(school(), daan, today())
    client = as_role(app, "ib")
    r = post_on(
        client, case, f"{page_of(case)}/leerlingen", {"lln-pupil": str(daan.id), "lln-role": "betrokken"}
    )
    assert r.status_code == 422 and "Daan Vos heeft de school verlaten" in r.get_data(as_text=True)
    assert rows(app, case) == []


def test_who_may_change_the_pupils_of_a_case(app, case):
    daan = pupil(app, "100126")
    with db_ctx(app):
        pupils.link(case, daan, actor("directie"))
        row = CasePupil.get(CasePupil.case == case.id)
        # The leerkracht is the assignee: sees the case, may not handle it.
        engine.assign(case, actor("leerkracht"), actor("directie"))
    noah = pupil(app, "100127")
    add = {"lln-pupil": str(noah.id), "lln-role": "betrokken"}
    leerkracht = as_role(app, "leerkracht")
    html = leerkracht.get(page_of(case)).get_data(as_text=True)
    assert "Daan Vos" in html and 'name="lln-pupil-zoek"' not in html and "Van deze zaak halen" not in html
    assert post_on(leerkracht, case, f"{page_of(case)}/leerlingen", add).status_code == 403
    assert (
        post_on(leerkracht, case, f"{page_of(case)}/leerlingen/{row.id}/verwijderen", {}).status_code == 403
    )
    # Who may not see the case gets a 404, also for its pupils section.
    for role in ("contactpersoon", "ondersteunend"):
        client = as_role(app, role)
        assert post_on(client, case, f"{page_of(case)}/leerlingen", add).status_code in (403, 404)
    # The bestuur has no picker at all.
    bestuur = as_role(app, "bestuur")
    assert post_on(bestuur, case, f"{page_of(case)}/leerlingen", add).status_code == 403
    assert rows(app, case) == [(daan.id, "", "betrokken")]
    # A row of another case through this case's address: not found.
    with db_ctx(app):
        other = engine.create_case(school(), "testzaak.zaak", "Andere zaak", actor("directie"))
        pupils.link(other, noah, actor("directie"))
        other_row = CasePupil.get(CasePupil.case == other.id)
    ib = as_role(app, "ib")
    r = post_on(ib, case, f"{page_of(case)}/leerlingen/{other_row.id}/verwijderen", {})
    assert r.status_code == 404 and rows(app, other) == [(noah.id, "", "betrokken")]


def test_the_search_walks_the_schools_name_index(app):
    """On SQLite the picker's query walks the index on (school, last name, first name) and
    stops after ten matches; each pupil's group is one lookup."""
    from portal.db import constant_sql
    from portal.db import database
    from portal.db import is_sqlite

    with db_ctx(app):
        if not is_sqlite():
            pytest.skip("SQLite's query planner")
        sql = constant_sql(
            pupils.SEARCH_SELECT
            + pupils.SEARCH_AT_SCHOOL
            + f"AND (({pupils.SEARCH_WORD}) OR {pupils.SEARCH_GROUP}) "
            + pupils.SEARCH_ORDER
        )
        params = ("2026-2027", school().id, "2026-12-07", "%vos%", "vos", 10)
        plan = [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan[0].startswith("SEARCH p USING INDEX portal_pupil_school_id_last_name_first_name"), plan
    assert "portal_pupil_group_pupil_id_school_year" in plan[1] and "TEMP B-TREE" not in " ".join(plan)
