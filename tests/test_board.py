"""The bestuur's overview (/bestuur/): per school the open cases, the deadlines past due and
this school year's cases per protocol, only of what the bestuur may see; the cases across
schools; a constant number of statements however many schools."""

import datetime
import re

from portal.admin import set_plugin_enabled
from portal.cases import engine
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import School

from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import school

SUSPENSION, EXPULSION, COMPLAINT = "schorsing.schorsing", "schorsing.verwijdering", "klachten.klacht"


def new_school(slug, name):
    where = School.create(slug=slug, name=name)
    for plugin in ("klachten", "schorsing", "testzaak"):
        set_plugin_enabled(where, plugin, True)
    return where


def case(where, type_name, title, confidential=False, late=False, closed=False):
    made = engine.create_case(where, type_name, title, actor("directie"), confidential=confidential)
    if late:
        engine.add_deadline(made, "board.test", "Termijn", datetime.date(2020, 1, 6))
    if closed:
        final = next(s.name for s in engine.case_type(type_name).states if s.closed)
        Case.update(closed_at=datetime.datetime.now(), state=final).where(Case.id == made.id).execute()
    return made


def before(app):
    """The demo school's open cases the bestuur may see, by the peewee form of the rule
    (``visible_condition``), which the detail page uses."""
    from portal.cases.visibility import visible_condition

    with db_ctx(app):
        return (
            Case.select()
            .where(visible_condition(actor("bestuur"), school()) & Case.closed_at.is_null())
            .count()
        )


def test_the_bestuur_sees_its_schools_side_by_side(app, client):
    demo_open = before(app)
    with db_ctx(app):
        linde = new_school("delinde", "De Linde")
        suspension = case(linde, SUSPENSION, "Schorsing Linde", confidential=True, late=True)
        case(linde, EXPULSION, "Verwijdering Linde")
        referred = case(linde, COMPLAINT, "Doorverwezen klacht")  # shared with the bestuur
        own = case(linde, COMPLAINT, "Klacht die de school zelf behandelt", confidential=True, late=True)
        test = case(linde, "testzaak.zaak", "Testzaak Linde", late=True)  # bestuur lacks testzaak.view
        case(linde, SUSPENSION, "Afgesloten schorsing", confidential=True, closed=True)
        here = case(school(), SUSPENSION, "Schorsing Klaverweide", confidential=True)
    login(client, "bestuur")
    r = client.get("/bestuur/")
    assert r.status_code == 200
    text = r.get_data(as_text=True)
    assert "<h1>Bestuursoverzicht</h1>" in text
    rows = {
        m.group(1): m.group(0)
        for m in re.finditer(r'<tr>\s*<th scope="row"><a href="/(\w+)/">.*?</tr>', text, re.S)
    }
    assert set(rows) == {"klaverweide", "delinde"}
    cells = re.findall(r"<td>(.*?)</td>", rows["delinde"], re.S)
    numbers = [re.sub(r"<[^>]+>", "", c).strip() for c in cells]
    # Open: the suspension, the expulsion, the referred complaint (not the complaint the
    # school handles itself, not the test case, not the closed suspension).
    assert numbers[0] == "3"
    assert numbers[1] == "1"  # one deadline past due, on the suspension
    header = re.findall(r'<th scope="col">(.*?) \(dit schooljaar\)</th>', text)
    per_type = dict(zip(header, numbers[2:], strict=True))
    assert per_type["Ernstig incident en schorsing"] == "2"  # the closed one was this year too
    assert per_type["Verwijdering"] == "1" and per_type["Klacht"] == "1"
    assert "Testzaak" not in header
    assert re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", rows["klaverweide"], re.S)[0]).strip() == str(
        demo_open + 1
    )
    # Links into each school.
    assert 'href="/delinde/zaken/?te_laat=1"' in rows["delinde"]
    assert 'href="/delinde/"' in rows["delinde"]
    # The cases across schools: what the bestuur may see, with a link at its school.
    listed = text.split('id="h-zaken"')[1]
    assert f'href="/delinde/zaken/{suspension.reference}"' in listed
    assert f'href="/delinde/zaken/{referred.reference}"' in listed
    assert f'href="/klaverweide/zaken/{here.reference}"' in listed
    assert own.reference not in listed and test.reference not in listed
    assert "Afgesloten schorsing" not in listed
    assert "Afgesloten schorsing" in client.get("/bestuur/?open=0").get_data(as_text=True)
    with db_ctx(app):
        row = (
            AuditLog.select().where(AuditLog.action == "board.overview").order_by(AuditLog.id.desc()).first()
        )
    assert row.user_email == "bestuur@asg.demo" and row.detail == "2 scholen"


def test_only_the_bestuur_opens_it_and_finds_it_in_the_menu(app, client):
    for role in ("directie", "ib", "leerkracht", "beheerder"):
        other = app.test_client()
        login(other, role)
        assert other.get("/bestuur/").status_code == 403, role
        assert 'href="/bestuur/"' not in other.get("/klaverweide/").get_data(as_text=True)
    login(client, "bestuur")
    assert 'href="/bestuur/">Bestuursoverzicht</a>' in client.get("/klaverweide/").get_data(as_text=True)


def test_statements_do_not_grow_with_the_schools(app, client):
    login(client, "bestuur")

    def statements():
        seen = []
        real = database.obj.execute_sql
        database.obj.execute_sql = lambda sql, params=None: seen.append(sql) or real(sql, params)
        try:
            assert client.get("/bestuur/").status_code == 200
        finally:
            database.obj.execute_sql = real
        return len(seen)

    with db_ctx(app):
        new_school("delinde", "De Linde")
    two = statements()
    with db_ctx(app):
        for i in range(4):
            where = new_school(f"school{i}", f"School {i}")
            case(where, SUSPENSION, f"Schorsing {i}", confidential=True)
    assert statements() == two


def test_the_case_list_across_schools_pages_by_cursor(app, client):
    with db_ctx(app):
        linde = new_school("delinde", "De Linde")
        made = [case(linde, EXPULSION, f"Verwijdering {i}") for i in range(30)]
        same = datetime.datetime(2026, 3, 2, 9, 0)
        Case.update(updated_at=same).where(Case.id.in_([c.id for c in made])).execute()
        CaseDeadline.delete().where(CaseDeadline.case.in_([c.id for c in made])).execute()
    login(client, "bestuur")
    seen, url = [], "/bestuur/"
    while url:
        text = client.get(url).get_data(as_text=True)
        listed = text.split('id="h-zaken"')[1]
        seen += re.findall(r'href="/\w+/zaken/([A-Z]+-\d{4}-\d{4})"', listed)
        m = re.search(r'<a class="button" href="([^"]+)">Volgende pagina</a>', text)
        url = m.group(1).replace("&amp;", "&") if m else None
    assert len(seen) == len(set(seen))
    assert {c.reference for c in made} <= set(seen)
