"""The plugins' demo cases are about demo pupils of the register: Daan Vos has a chronology
across plugins (a trauma event, then a complaint about bullying, then a serious incident),
Lotte Jansen an incident, Noah Bakker is a witness and still "niet gekoppeld" in a complaint."""

import re

from portal.db import database
from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil
from portal.pupils.demo import DEMO_PUPILS

from .conftest import login


def demo_rows(name):
    database.connect(reuse_if_open=True)
    pupil = Pupil.get(Pupil.las_number == DEMO_PUPILS[name])
    rows = (
        CasePupil.select(CasePupil, Case)
        .join(Case)
        .where(CasePupil.pupil == pupil.id)
        .order_by(Case.created_at.desc(), Case.id.desc())
    )
    return pupil, [(r.case.case_type, r.role) for r in rows]


def test_daan_vos_has_a_chronology_across_plugins(app, client):
    daan, cases = demo_rows("Daan Vos")
    assert cases == [
        ("schorsing.schorsing", "veroorzaker"),
        ("klachten.klacht", "slachtoffer"),
        ("trauma.gebeurtenis", "betrokken"),
    ]
    login(client, "directie")
    html = client.get(f"/klaverweide/leerlingen/{daan.id}").get_data(as_text=True)
    found = re.findall(r">((?:SCH|KL|TR)-\d{4}-\d{4})</a>", html)
    assert [ref[:2] for ref in found] == ["SC", "KL", "TR"]  # newest first
    for role in ("Veroorzaker", "Slachtoffer", "Betrokken leerling"):
        assert role in html


def test_the_other_demo_pupils_and_a_name_not_yet_linked(app):
    assert demo_rows("Lotte Jansen")[1] == [("schorsing.schorsing", "veroorzaker")]
    assert demo_rows("Noah Bakker")[1] == [("trauma.gebeurtenis", "getuige")]
    typed = CasePupil.get((CasePupil.name == "Noah Bakker") & CasePupil.pupil.is_null())
    assert Case.get_by_id(typed.case_id).case_type == "klachten.klacht"
