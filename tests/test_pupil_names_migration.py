"""A database from before the plugins used the pupil register: the names its complaints,
incidents, expulsion routes and trauma reports kept as text become pupils of their cases
"niet gekoppeld" (klachten.m0002, schorsing.m0002, trauma.m0003), which the case page shows
and staff link to the register's pupil; the text columns stay as they were."""

import datetime

import pytest

from plugins.klachten.models import Klacht
from plugins.schorsing.models import Expulsion
from plugins.schorsing.models import Incident
from plugins.trauma.models import TraumaEvent
from portal import create_app
from portal import migrate
from portal.cases import engine
from portal.db import database
from portal.demo import create_demo
from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil
from portal.registry import get_pm
from portal.testing import OWNER_URL
from portal.testing import PG_URL
from portal.testing import base_config
from portal.testing import login
from portal.testing import post
from portal.testing import reset_postgres
from portal.testing import school

from .core_helpers import db_ctx

pytestmark = pytest.mark.schema

# Where each plugin stood before it kept names as pupils; the core is up to date.
BEFORE = {"klachten": "m0001_initial", "schorsing": "m0001_initial", "trauma": "m0002_partners_to_core"}


def quiet(*_):
    pass


@pytest.fixture
def old_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    config = base_config(tmp_path)
    if PG_URL.startswith("postgres"):
        reset_postgres()
        config["DATABASE_URL"] = OWNER_URL
    app = create_app(config)
    with db_ctx(app):
        migrate.upgrade(get_pm(), log=quiet, until=BEFORE)
        # The core's demo (school, people, register) only: the plugins' demo cases are
        # written by today's code, which knows columns the schema of then does not have.
        with pytest.MonkeyPatch.context() as only_core:
            only_core.setattr(get_pm().hook, "demo_data", lambda **kw: [])
            create_demo(get_pm(), log=quiet)
    yield app
    if not database.is_closed():
        database.close()


def old_case(type_name, title, model, **values):
    """A case as the plugin kept it then: the pupil only as text in its own row."""
    case = engine.create_case(school(), type_name, title)
    model.create(case=case.id, **values)
    return case.reference


def test_names_typed_before_the_register_show_as_not_linked(old_app):
    day = datetime.date(2026, 3, 9)
    with db_ctx(old_app):
        refs = {
            "klacht": old_case(
                "klachten.klacht",
                "Klacht: pesten",
                Klacht,
                category="pesten",
                pupil_name="Sem de Jong",
                what_happened="Uitgescholden.",
            ),
            "incident": old_case(
                "schorsing.schorsing",
                "Ernstig incident groep 6b: Roos de Graaf",
                Incident,
                pupil_name="Roos de Graaf",
                pupil_group="6b",
                occurred_on=day,
                place="Plein",
                category="anders",
                description="Schoppen.",
                immediate_action="Apart gezet.",
            ),
            "verwijdering": old_case(
                "schorsing.verwijdering",
                "Verwijdering groep 6b: Roos de Graaf",
                Expulsion,
                pupil_name="Roos de Graaf",
                pupil_group="6b",
                grounds="Herhaald geweld.",
            ),
            "trauma": old_case(
                "trauma.gebeurtenis",
                "Ernstig ongeval",
                TraumaEvent,
                kind="ongeval",
                occurred_on=day,
                scope="leerlingen",
                pupils="Eva de Graaf\nNoah de Wit",
                reported_by="Politie",
                description="Aanrijding.",
            ),
            "zonder": old_case(
                "klachten.klacht",
                "Klacht: organisatie",
                Klacht,
                category="organisatie",
                what_happened="Laat.",
            ),
        }
        assert not CasePupil.select().join(Case).where(Case.reference.in_(list(refs.values()))).exists()
        applied = []
        migrate.upgrade(get_pm(), log=applied.append)
        assert "migration klachten.m0002_pupil_names toegepast" in applied, applied
        assert "migration schorsing.m0002_pupil_names toegepast" in applied, applied
        assert "migration trauma.m0003_pupil_names toegepast" in applied, applied

        def names(key):
            rows = CasePupil.select().join(Case).where(Case.reference == refs[key]).order_by(CasePupil.id)
            return [(r.name, r.role, r.pupil_id) for r in rows]

        assert names("klacht") == [("Sem de Jong", "betrokken", None)]
        assert names("incident") == [("Roos de Graaf", "veroorzaker", None)]
        assert names("verwijdering") == [("Roos de Graaf", "betrokken", None)]
        assert names("trauma") == [("Eva de Graaf", "betrokken", None), ("Noah de Wit", "betrokken", None)]
        assert names("zonder") == []
        assert Klacht.get(Klacht.pupil_name == "Sem de Jong")  # the text stays
        roos = Pupil.get(Pupil.las_number == "100135")  # Roos de Graaf, groep 6b

    # The case page shows the child "niet gekoppeld"; the directie links the register's pupil.
    client = old_app.test_client()
    login(client, "directie")
    page = f"/klaverweide/zaken/{refs['incident']}"
    html = client.get(page).get_data(as_text=True)
    assert 'Roos de Graaf <span class="badge">niet gekoppeld</span>' in html
    assert 'value="Roos de Graaf"' in html  # the typed name is the first search
    with db_ctx(old_app):
        row = CasePupil.get(CasePupil.name == "Roos de Graaf", CasePupil.role == "veroorzaker")
    r = post(client, f"{page}/leerlingen/{row.id}", {f"koppel{row.id}-pupil": str(roos.id)}, page=page)
    assert r.status_code == 302, r.get_data(as_text=True)
    with db_ctx(old_app):
        linked = CasePupil.get_by_id(row.id)
        assert (linked.pupil_id, linked.role) == (roos.id, "veroorzaker")
    assert refs["incident"] in client.get(f"/klaverweide/leerlingen/{roos.id}").get_data(as_text=True)
