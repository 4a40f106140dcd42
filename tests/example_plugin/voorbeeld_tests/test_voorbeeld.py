"""The example plugin, tested with the portal's testing kit (as the tutorial shows)."""

import datetime

from portal.api import Case
from portal.api import CaseDeadline
from portal.api import CaseDocument
from portal.api import CaseEvent
from portal.api import today as api_today
from portal.testing import access_problems
from portal.testing import as_role
from portal.testing import db_session
from portal.testing import get_csrf
from portal.testing import make_case
from portal.testing import post

START = "/klaverweide/voorbeeld/melden"


def test_a_teacher_reports_and_gets_a_receipt(app):
    teacher = as_role(app, "leerkracht")
    form = teacher.get(START)
    assert form.status_code == 200 and "Onveilige situatie melden" in form.get_data(as_text=True)
    empty = teacher.post(START, data={"csrf_token": get_csrf(teacher, START)})
    assert empty.status_code == 422
    html = empty.get_data(as_text=True)
    assert "Kies waar het is." in html and 'class="error-summary"' in html
    r = teacher.post(
        START,
        data={
            "csrf_token": get_csrf(teacher, START),
            "place": "plein",
            "what": "Een losse tegel bij de glijbaan.",
        },
    )
    assert r.status_code == 302 and "/zaken/gemeld/OV-" in r.headers["Location"]
    assert "vastgelegd" in teacher.get(r.headers["Location"]).get_data(as_text=True)
    with db_session(app):
        case = Case.get(Case.case_type == "voorbeeld.melding")
        assert case.title == "Onveilige situatie: Schoolplein"
        assert CaseDeadline.get(CaseDeadline.case == case.id).name == "voorbeeld.oppakken"


def test_the_directie_takes_it_through_to_closed_with_a_letter(app):
    with db_session(app):
        case = make_case("voorbeeld.melding", {"place": "gym", "what": "Kapotte ringen."})
    ref = case.reference
    page = f"/klaverweide/zaken/{ref}"
    boss = as_role(app, "directie")
    assert "Kapotte ringen." in boss.get(page).get_data(as_text=True)
    assert post(boss, f"{page}/stap/voorbeeld.oppakken", {"fixer": "Conciërge"}, page=page).status_code == 302
    assert post(boss, f"{page}/brief/voorbeeld.verzoek", page=page).status_code == 302
    early = post(
        boss,
        f"{page}/stap/voorbeeld.opgelost",
        {"fixed_on": (api_today() - datetime.timedelta(days=3)).isoformat(), "done": "Nieuwe ringen."},
        page=page,
    )
    assert early.status_code == 422 and "vóór het werd gemeld" in early.get_data(as_text=True)
    fixed = {"fixed_on": api_today().isoformat(), "done": "Nieuwe ringen."}
    blocked = post(boss, f"{page}/stap/voorbeeld.opgelost", fixed, page=page)
    assert blocked.status_code == 422 and "Team gewaarschuwd" in blocked.get_data(as_text=True)
    with db_session(app):
        from portal.api import CaseChecklistItem

        item = CaseChecklistItem.get(CaseChecklistItem.case == case.id)
    assert post(boss, f"{page}/checklist/{item.id}", page=page).status_code == 302
    assert post(boss, f"{page}/stap/voorbeeld.opgelost", fixed, page=page).status_code == 302
    with db_session(app):
        from portal_voorbeeld import Melding

        done = Melding.get(Melding.case == case.id)
        assert (done.fixer, done.done) == ("Conciërge", "Nieuwe ringen.")
        assert Case.get_by_id(case.id).closed_at is not None
        assert CaseDocument.select().where(CaseDocument.case == case.id).count() == 1
        assert CaseEvent.select().where(CaseEvent.case == case.id).count() >= 5


def test_the_panel_counts_open_reports(app):
    with db_session(app):
        make_case("voorbeeld.melding", {"place": "plein", "what": "Gat in het hek."})
    dash = as_role(app, "directie").get("/klaverweide/").get_data(as_text=True)
    assert "Onveilige situaties" in dash and "Open meldingen" in dash


def test_every_route_of_the_plugin_with_every_role(app):
    with db_session(app):
        case = make_case("voorbeeld.melding", {"place": "plein", "what": "Gat in het hek."})
    assert access_problems(app, {"reference": case.reference}, blueprint="voorbeeld") == []
