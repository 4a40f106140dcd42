"""A pupil's chronology (/<school>/leerlingen/<id>): every case about the child across the
enabled plugins, newest first, with type, reference, state, dates and the case's summary
line, filtered by the same visibility as the case pages (a confidential case the viewer
may not open is not listed); directie and IB open it for any pupil, others only through a
case they may see; every view audited with the child's id. And the bestuur's figures:
counts per school, never a name."""

import datetime
import re

import pytest

from portal import pupils
from portal.admin import set_plugin_enabled
from portal.cases import engine
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseExclusion
from portal.models import Pupil
from portal.models import School
from portal.models import UserRole
from portal.pupils.demo import _people

from .conftest import ROLES
from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import school
from .core_helpers import user
from .test_pupils_picker import PLUGIN

FIGURES = "/klaverweide/leerlingen/cijfers"


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


def at(case, when):
    Case.update(created_at=when, updated_at=when).where(Case.id == case.id).execute()


@pytest.fixture
def daan(app):
    """Daan Vos with four cases of two plugins over a year; one is confidential."""
    with db_ctx(app):
        here = school()
        daan = Pupil.get((Pupil.school == here.id) & (Pupil.las_number == "100126"))
        by = actor("directie")
        old = engine.create_case(here, "testzaak.zaak", "Pesten in de pauze", by)
        pupils.link(old, daan, by, "slachtoffer")
        at(old, datetime.datetime(2026, 1, 12, 9, 0))
        engine.run_transition(old, "testzaak.start", by, {})
        secret = engine.create_case(here, "testzaak.zaak", "Zorg over thuis", by, confidential=True)
        pupils.link(secret, daan, by)
        at(secret, datetime.datetime(2026, 3, 2, 9, 0))
        report = engine.create_case(here, "leerlingtest.melding", "Geduwd bij de gym", by)
        pupils.link(report, daan, by, "veroorzaker")
        at(report, datetime.datetime(2026, 9, 14, 10, 0))
        newest = engine.create_case(here, "testzaak.zaak", "Ruzie na school", by)
        pupils.link(newest, daan, by, "getuige")
        at(newest, datetime.datetime(2026, 11, 30, 15, 0))
        # Another child's case never shows up in Daan's chronology.
        noah = Pupil.get((Pupil.school == here.id) & (Pupil.las_number == "100127"))
        pupils.link(engine.create_case(here, "testzaak.zaak", "Over Noah", by), noah, by)
        return daan


def url(pupil):
    return f"/klaverweide/leerlingen/{pupil.id}"


def listed(html):
    """The case references linked on the page, in order."""
    return re.findall(r'<a href="/klaverweide/zaken/([A-Z0-9-]+)"', html)


def titles(app, *names):
    with db_ctx(app):
        return [Case.get(Case.title == n).reference for n in names]


def test_the_directie_sees_every_case_newest_first(app, daan):
    html = as_role(app, "directie").get(url(daan)).get_data(as_text=True)
    assert "<h1>Zaken over Daan Vos</h1>" in html and "<dd>100126</dd>" in html
    assert listed(html) == titles(
        app, "Ruzie na school", "Geduwd bij de gym", "Zorg over thuis", "Pesten in de pauze"
    )
    # Type, reference, state, dates, the summary line and the child's role in it.
    row = (
        html.split("Geduwd bij de gym")[0].rsplit("<tr>", 1)[1]
        + html.split("Geduwd bij de gym")[1].split("</tr>")[0]
    )
    row = re.sub(r' data-label="[^"]*"', "", row)  # the column's name for a phone
    assert "<td>14 september 2026</td>" in row and "<td>Leerlingmelding</td>" in row
    assert "<td>Nieuw</td>" in row and "<td>Veroorzaker</td>" in row and "<td>nog open</td>" in row
    assert "Over Noah" not in html
    first = re.sub(r' data-label="[^"]*"', "", html.split("Pesten in de pauze")[1].split("</tr>")[0])
    assert "<td>In behandeling</td>" in first and "<td>Slachtoffer</td>" in first
    assert "vertrouwelijk" in html.split("Zorg over thuis")[0].rsplit("<tr>", 1)[1]


def test_a_confidential_case_the_viewer_may_not_open_is_not_listed(app, daan):
    """IB sees the test cases, but not the confidential ones (only the directie does)."""
    html = as_role(app, "ib").get(url(daan)).get_data(as_text=True)
    assert listed(html) == titles(app, "Ruzie na school", "Geduwd bij de gym", "Pesten in de pauze")
    assert "Zorg over thuis" not in html
    (secret,) = titles(app, "Zorg over thuis")
    assert as_role(app, "ib").get(f"/klaverweide/zaken/{secret}").status_code == 404


def test_a_case_the_viewer_is_excluded_from_is_not_listed(app, daan):
    with db_ctx(app):
        case = Case.get(Case.title == "Ruzie na school")
        CaseExclusion.create(case=case.id, user=user("directie").id, reason="test")
    html = as_role(app, "directie").get(url(daan)).get_data(as_text=True)
    assert "Ruzie na school" not in html and "Pesten in de pauze" in html


def test_only_the_enabled_plugins_cases(app, daan):
    with db_ctx(app):
        set_plugin_enabled(school(), "leerlingtest", False)
    html = as_role(app, "directie").get(url(daan)).get_data(as_text=True)
    assert "Geduwd bij de gym" not in html and "Ruzie na school" in html


@pytest.mark.parametrize("role", ROLES)
def test_who_opens_a_chronology(app, daan, role):
    """Directie and IB open any pupil's; the leerkracht only sees the cases it may see
    (here the test reports, not the test cases); the others find nothing: a 404, as for
    a pupil that does not exist, and no name."""
    with db_ctx(app):
        nobody = Pupil.get((Pupil.school == school().id) & (Pupil.las_number == "100001"))
    client = as_role(app, role)
    r = client.get(url(daan))
    html = r.get_data(as_text=True)
    if role in ("directie", "ib"):
        assert r.status_code == 200 and "Ruzie na school" in html
    elif role == "leerkracht":
        assert r.status_code == 200
        assert listed(html) == titles(app, "Geduwd bij de gym")
    else:
        assert r.status_code in (403, 404) and "Daan" not in html
    r = client.get(url(nobody))
    if role in ("directie", "ib"):
        assert r.status_code == 200 and "Er zijn geen zaken over deze leerling die u mag zien." in r.get_data(
            as_text=True
        )
    else:
        assert r.status_code in (403, 404) and nobody.last_name not in r.get_data(as_text=True)


def test_an_assigned_case_opens_the_chronology_for_that_case_only(app, daan):
    with db_ctx(app):
        case = Case.get(Case.title == "Pesten in de pauze")
        case.school = school()
        engine.assign(case, actor("contactpersoon"), actor("directie"))
    html = as_role(app, "contactpersoon").get(url(daan)).get_data(as_text=True)
    assert listed(html) == titles(app, "Pesten in de pauze")


def test_every_view_is_audited_with_the_childs_id(app, daan):
    as_role(app, "ib").get(url(daan))
    as_role(app, "bestuur").get(url(daan))
    with db_ctx(app):
        rows = list(AuditLog.select().where(AuditLog.action == "pupil.chronology").order_by(AuditLog.id))
    assert [(r.user_email, r.outcome, r.pupil_id) for r in rows] == [
        ("ib@klaverweide.demo", "ok", daan.id),
        ("bestuur@asg.demo", "denied", None),
    ]
    assert rows[0].detail == f"leerling {daan.id}: 3 zaken"


def test_another_schools_pupil_is_not_found(app):
    with db_ctx(app):
        other = School.create(slug="berkenhof", name="De Berkenhof")
        theirs = Pupil.create(
            school=other.id, las_number="1", first_name="Jip", last_name="Anders", search="jip"
        )
    r = as_role(app, "directie").get(url(theirs))
    assert r.status_code == 404 and "Anders" not in r.get_data(as_text=True)


# ------------------------------------------------------------- figures ----


def every_demo_name():
    return {part for first, prefix, last in _people() for part in (first, last)} | {"Vos", "Daan"}


@pytest.mark.parametrize("role", ROLES)
def test_who_sees_the_figures(app, role):
    r = as_role(app, role).get(FIGURES)
    assert r.status_code == (200 if role in ("directie", "bestuur") else 403)


def test_the_figures_count_and_name_no_child(app, daan):
    with db_ctx(app):
        other = School.create(slug="berkenhof", name="De Berkenhof")
        Pupil.create(school=other.id, las_number="1", first_name="Jip", last_name="Anders", search="jip")
        # Two more cases about Noah this year; one typed name not linked yet.
        here = school()
        noah = Pupil.get((Pupil.school == here.id) & (Pupil.las_number == "100127"))
        for title in ("Noah twee", "Noah drie"):
            pupils.link(
                engine.create_case(here, "testzaak.zaak", title, actor("directie")), noah, actor("directie")
            )
        typed = engine.create_case(here, "testzaak.zaak", "Getypte naam", actor("directie"))
        pupils.note_name(typed, "Jan")
        for case in Case.select().where(
            Case.title.in_(["Over Noah", "Noah twee", "Noah drie", "Getypte naam"])
        ):
            at(case, datetime.datetime(2026, 10, 1, 12, 0))
    year = "2026-2027"
    html = as_role(app, "bestuur").get(FIGURES, query_string={"jaar": year}).get_data(as_text=True)
    assert (
        "<h2>De Berkenhof</h2>" in html
        and "<h2>De Klaverweide</h2>" in html
        and "<h2>Alle scholen</h2>" in html
    )
    klaverweide = html.split("<h2>De Klaverweide</h2>")[1].split("</section>")[0]
    # Cases started in 2026-2027 (1 August on): Daan's two newest, Noah's three.
    assert '<th scope="row">Leerlingen op school</th><td>200</td>' in klaverweide
    assert '<th scope="row">Leerlingen met een zaak</th><td>2</td>' in klaverweide
    assert '<th scope="row">Leerlingen met 3 of meer zaken</th><td>1</td>' in klaverweide
    assert '<th scope="row">Zaken over een leerling: Testzaak</th><td>4</td>' in klaverweide
    assert '<th scope="row">Zaken over een leerling: Leerlingmelding</th><td>1</td>' in klaverweide
    assert '<th scope="row">Zaken met een leerling die nog niet is gekoppeld</th><td>1</td>' in klaverweide
    berkenhof = html.split("<h2>De Berkenhof</h2>")[1].split("</section>")[0]
    assert '<th scope="row">Leerlingen op school</th><td>1</td>' in berkenhof
    main = html.split("<main", 1)[1].split("</main>", 1)[0]
    named = [n for n in every_demo_name() | {"Jip", "Anders", "Jan"} if re.search(rf"\b{n}\b", main)]
    assert named == []
    with db_ctx(app):
        (row,) = AuditLog.select().where(AuditLog.action == "pupil.figures")
    assert row.detail == f"{year} scholen=2" and row.pupil_id is None


def test_the_directie_sees_its_own_school_only(app, daan):
    with db_ctx(app):
        School.create(slug="berkenhof", name="De Berkenhof")
    html = as_role(app, "directie").get(FIGURES).get_data(as_text=True)
    assert "<h2>De Klaverweide</h2>" in html and "Berkenhof" not in html and "Alle scholen" not in html
    # A directie at both schools sees both.
    with db_ctx(app):
        UserRole.create(
            user=user("directie").id, school=School.get(School.slug == "berkenhof").id, role="directie"
        )
    html = as_role(app, "directie").get(FIGURES).get_data(as_text=True)
    assert "<h2>De Berkenhof</h2>" in html


def test_the_chronology_starts_from_the_childs_links(app, daan):
    """On SQLite the query reads the child's few links first, then each case by its id;
    walking every case of the school instead took 90 ms at 100,000 cases (bench/run.py)."""
    from portal.db import constant_sql
    from portal.db import database
    from portal.db import is_sqlite
    from portal.pupils.views import CHRONOLOGY_SQL

    with db_ctx(app):
        if not is_sqlite():
            pytest.skip("SQLite's query planner")
        sql = constant_sql(CHRONOLOGY_SQL.format(viewable="?", confidential="?", starter="?"))
        params = (daan.id, school().id, 1, 1, 1, "meldcode.dossier", "testzaak.zaak", False, "testzaak.zaak")
        plan = [row[3] for row in database.execute_sql("EXPLAIN QUERY PLAN " + sql, params)]
    assert plan[0].startswith("SEARCH cp USING INDEX portal_case_pupil_pupil_id"), plan
    assert plan[1].startswith("SEARCH c USING INTEGER PRIMARY KEY"), plan
