"""Schorsing and the pupil register: the incident and the expulsion route choose the pupil
from the register (also without JavaScript), and a pupil is suspended for at most one
week, five school days, across suspensions (WPO art. 40c), on the school calendar."""

import datetime
import re

import pytest

from plugins.schorsing.models import Suspension
from portal import api
from portal.db import database
from portal.models import Case
from portal.models import CaseEvent
from portal.models import CasePupil
from portal.models import Pupil

from .conftest import login
from .conftest import post
from .test_schorsing import BASE
from .test_schorsing import DECISION
from .test_schorsing import MILA
from .test_schorsing import consult
from .test_schorsing import decide
from .test_schorsing import incident_form
from .test_schorsing import pupil_id
from .test_schorsing import register_incident
from .test_schorsing import report_incident
from .test_schorsing import start_url
from .test_schorsing import step

SEDNEY = "100165"  # Mila Sedney, groep 7a: another pupil


@pytest.fixture(autouse=True)
def the_day(monkeypatch):
    """Decided on Friday 4 December 2026: no first day lies before it (WPO art. 40c)."""
    monkeypatch.setattr(api, "today", lambda: datetime.date(2026, 12, 4))


@pytest.fixture
def boss(app, client):
    login(client, "directie")
    return client


def suspend(client, first_day, days, las=MILA):
    """A new incident about the pupil, the board consulted, and the decision to suspend;
    returns (reference, the answer to the confirmed decision)."""
    ref = report_incident(client, pupil_name=pupil_id(las))
    consult(client, ref)
    _, second = decide(client, ref, first_day=first_day, days=str(days), meeting_on="")
    return ref, second


def attempt(client, first_day, days, las=MILA):
    """A second suspension of the pupil, asked once: (reference, answer)."""
    ref = report_incident(client, pupil_name=pupil_id(las))
    consult(client, ref)
    data = {**DECISION, "first_day": first_day, "days": str(days), "meeting_on": ""}
    r = step(client, ref, "schorsing.besluit", data)
    return ref, r


def assert_nothing_changed(ref):
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    assert case.state == "in_behandeling"
    assert not Suspension.select().where(Suspension.case == case.id).exists()
    assert (
        not CaseEvent.select()
        .where((CaseEvent.case == case.id) & (CaseEvent.transition == "schorsing.besluit"))
        .exists()
    )


# ------------------------------------------------------------ WPO art. 40c ----


def test_an_overlapping_suspension_is_refused(boss):
    first, ok = suspend(boss, "2026-12-07", 5)
    assert ok.status_code == 302, ok.get_data(as_text=True)
    ref, r = attempt(boss, "2026-12-09", 2)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert (
        "Mila Kramer is al geschorst op maandag 7 december 2026 tot en met vrijdag 11 december "
        f"2026 (5 schooldagen), in {first}." in html
    )
    assert_nothing_changed(ref)


def test_consecutive_suspensions_over_five_school_days_are_refused(boss):
    first, ok = suspend(boss, "2026-12-07", 5)
    assert ok.status_code == 302
    ref, r = attempt(boss, "2026-12-14", 5)  # the Monday after: ten school days in a row
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Een schorsing duurt ten hoogste een week: 5 schooldagen (WPO art. 40c)." in html
    assert (
        f"aan op de schorsing van Mila Kramer ({first}, maandag 7 december 2026 tot en met vrijdag "
        "11 december 2026 (5 schooldagen)): samen 10 schooldagen." in html
    )
    assert_nothing_changed(ref)


def test_an_earlier_period_just_before_a_later_suspension_counts_too(boss):
    later, ok = suspend(boss, "2026-12-14", 3)
    assert ok.status_code == 302
    ref, r = attempt(boss, "2026-12-09", 3)  # Wednesday to Friday, then the weekend
    assert r.status_code == 422 and f"({later}, maandag 14 december 2026" in r.get_data(as_text=True)
    assert "samen 6 schooldagen" in r.get_data(as_text=True)
    assert_nothing_changed(ref)


def test_consecutive_suspensions_within_five_school_days_are_allowed(boss):
    assert suspend(boss, "2026-12-07", 2)[1].status_code == 302
    _, second = suspend(boss, "2026-12-09", 3)  # Wednesday to Friday: five in a row
    assert second.status_code == 302, second.get_data(as_text=True)


def test_a_school_day_in_between_separates_two_suspensions(boss):
    assert suspend(boss, "2026-12-07", 3)[1].status_code == 302  # Monday to Wednesday
    _, second = suspend(boss, "2026-12-11", 3)  # Friday to Tuesday; Thursday was a school day
    assert second.status_code == 302, second.get_data(as_text=True)


def test_a_vacation_in_between_is_no_school_day(boss):
    # The demo school's Kerstvakantie runs from 19 December 2026 to 3 January 2027.
    first, ok = suspend(boss, "2026-12-16", 3)
    assert ok.status_code == 302
    ref, r = attempt(boss, "2027-01-04", 3)
    assert r.status_code == 422 and "samen 6 schooldagen" in r.get_data(as_text=True)
    assert first in r.get_data(as_text=True)
    assert_nothing_changed(ref)


def test_another_pupil_is_not_affected(boss):
    assert suspend(boss, "2026-12-07", 5)[1].status_code == 302
    _, second = suspend(boss, "2026-12-07", 5, las=SEDNEY)
    assert second.status_code == 302, second.get_data(as_text=True)
    _, third = suspend(boss, "2026-12-14", 2, las=SEDNEY)
    assert third.status_code == 422  # but Mila Sedney's own week counts for her


def test_the_decision_needs_the_pupil_linked(boss):
    """Without the pupil of the register the week cannot be checked: link first."""
    ref = report_incident(boss)
    consult(boss, ref)
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    row = CasePupil.get(CasePupil.case == case.id)
    page = f"{BASE}/zaken/{ref}"
    assert post(boss, f"{page}/leerlingen/{row.id}/verwijderen", {}, page=page).status_code == 302
    r = step(boss, ref, "schorsing.besluit", {**DECISION, "first_day": "2026-12-07"})
    assert r.status_code == 422 and "Koppel eerst de leerling om wie het gaat" in r.get_data(as_text=True)
    r = post(boss, f"{page}/leerlingen", {"lln-pupil": pupil_id(), "lln-role": "veroorzaker"}, page=page)
    assert r.status_code == 302
    _, second = decide(boss, ref, first_day="2026-12-07", meeting_on="")
    assert second.status_code == 302, second.get_data(as_text=True)


# ---------------------------------------------------- choosing the pupil ----


def test_a_chosen_pupil_is_linked_and_in_the_chronology(app, boss):
    ref = report_incident(boss)
    database.connect(reuse_if_open=True)
    mila = Pupil.get(Pupil.las_number == MILA)
    case = Case.get(Case.reference == ref)
    [row] = CasePupil.select().where(CasePupil.case == case.id)
    assert (row.pupil_id, row.role) == (mila.id, "veroorzaker")
    page = boss.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert f'href="/klaverweide/leerlingen/{mila.id}">Mila Kramer</a>, groep 5b' in page
    chronology = boss.get(f"{BASE}/leerlingen/{mila.id}").get_data(as_text=True)
    assert ref in chronology and "Ernstig incident en schorsing" in chronology


def test_a_pupil_who_left_is_refused(app, boss):
    database.connect(reuse_if_open=True)
    Pupil.update(left_on=datetime.date(2026, 11, 30)).where(Pupil.las_number == MILA).execute()
    start = start_url(register_incident(boss))
    database.connect(reuse_if_open=True)
    before = Case.select().count()
    r = post(boss, start, incident_form(), page=start)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Mila Kramer heeft de school verlaten en kan niet aan een nieuwe zaak worden gekoppeld." in html
    assert "Mila gooide een stoel" in html
    assert Case.select().count() == before


def test_search_and_choose_without_javascript(app, boss):
    start = start_url(register_incident(boss))
    # "Zoek": the form comes back with the pupils found, and everything typed kept.
    r = post(
        boss,
        start,
        incident_form(**{"pupil_name": "", "pupil_name-zoek": "kramer 5b", "pupil_name-zoekknop": "1"}),
        page=start,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Kies de leerling uit de lijst onder het zoekveld." in html
    mila = pupil_id()
    assert re.search(rf'type="radio" id="pupil_name-0" name="pupil_name" value="{mila}"> <label', html)
    assert "Mila Kramer, groep 5b (leerlingnummer 100115)" in html
    assert 'value="kramer 5b"' in html and "Mila gooide een stoel" in html and "Mila is apart gezet." in html
    # Choose and send: the case starts with the pupil linked.
    r = post(boss, start, incident_form(**{"pupil_name": mila, "pupil_name-zoek": "kramer 5b"}), page=start)
    assert r.status_code == 302, r.get_data(as_text=True)
    ref = re.search(r"(SCH-\d{4}-\d{4})", r.headers["Location"]).group(1)
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    assert CasePupil.get(CasePupil.case == case.id).pupil_id == int(mila)
    assert case.title == "Ernstig incident groep 5b: Mila Kramer"


def test_the_expulsion_route_takes_the_pupil_of_the_incident(app, boss):
    incident_ref = report_incident(boss)
    start = f"{BASE}/schorsing/verwijdering/nieuw"
    page = boss.get(f"{start}?incident={incident_ref}").get_data(as_text=True)
    mila = pupil_id()
    assert f'type="hidden" name="pupil_name" value="{mila}"' in page and 'value="Mila Kramer"' in page
    data = {"incident": incident_ref, "pupil_name": mila, "pupil_group": "5b", "grounds": "Herhaald geweld."}
    r = post(boss, start, data, page=start)
    assert r.status_code == 302, r.get_data(as_text=True)
    ref = re.search(r"(VRW-\d{4}-\d{4})", r.headers["Location"]).group(1)
    database.connect(reuse_if_open=True)
    chronology = boss.get(f"{BASE}/leerlingen/{mila}").get_data(as_text=True)
    assert ref in chronology and incident_ref in chronology
