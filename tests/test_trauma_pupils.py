"""Trauma and the pupil register: a report about pupils chooses the pupil from the register
(the name kept for the letters), also without JavaScript; the case is in the child's
chronology; a pupil who left is refused; a group stays a description."""

import datetime
import re

import pytest

from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil

from .conftest import login
from .test_trauma import case_url
from .test_trauma import reference_of
from .test_trauma import report
from .test_trauma import with_db

NOAH = "100142"  # Noah de Wit, groep 6b: a demo pupil of the register


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("trauma",)}


def noah(app):
    return with_db(app, lambda: Pupil.get(Pupil.las_number == NOAH))


def pupils_of(app, ref):
    return with_db(
        app,
        lambda: [
            (r.pupil_id, r.name, r.role)
            for r in CasePupil.select().join(Case).where(Case.reference == ref).order_by(CasePupil.id)
        ],
    )


def test_a_report_about_a_pupil_links_the_pupil(app, client):
    login(client, "leerkracht")
    pupil = noah(app)
    ref = reference_of(report(client, scope="leerlingen", group_name="", pupils=str(pupil.id)))
    assert pupils_of(app, ref) == [(pupil.id, "", "betrokken")]
    # The reporter is the assignee and sees the child on the case page and in the chronology.
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert f'href="/klaverweide/leerlingen/{pupil.id}">Noah de Wit</a>, groep 6b' in page
    chronology = client.get(f"/klaverweide/leerlingen/{pupil.id}").get_data(as_text=True)
    assert ref in chronology and "Traumatische gebeurtenis" in chronology


def test_a_report_about_a_group_names_no_pupil(app, client):
    login(client, "leerkracht")
    ref = reference_of(report(client))  # scope "groep", group_name "groep 5b"
    assert pupils_of(app, ref) == []


def test_a_pupil_who_left_is_refused(app, client):
    login(client, "leerkracht")
    with_db(
        app,
        lambda: Pupil.update(left_on=datetime.date(2026, 11, 30)).where(Pupil.las_number == NOAH).execute(),
    )
    r = report(
        client,
        scope="leerlingen",
        group_name="",
        pupils=str(noah(app).id),
        description="Val van het klimrek.",
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Noah de Wit heeft de school verlaten en kan niet aan een nieuwe zaak worden gekoppeld." in html
    assert "Val van het klimrek." in html
    events = with_db(app, lambda: Case.select().where(Case.case_type == "trauma.gebeurtenis").count())
    assert events == 1  # the demo's only


def test_search_and_choose_without_javascript(app, client):
    login(client, "ib")
    r = report(
        client,
        scope="leerlingen",
        group_name="",
        pupils="",
        description="Val van het klimrek.",
        **{"pupils-zoek": "noah 6b", "pupils-zoekknop": "1"},
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Kies de leerling uit de lijst onder het zoekveld." in html
    pupil = noah(app)
    assert re.search(rf'name="pupils" value="{pupil.id}"> <label[^>]*>Noah de Wit, groep 6b', html)
    assert 'value="noah 6b"' in html and "Val van het klimrek." in html and "De oom van een leerling" in html
    assert '<input checked id="scope-0" name="scope"' in html  # the scope chosen is kept
    r = report(client, scope="leerlingen", group_name="", pupils=str(pupil.id), **{"pupils-zoek": "noah 6b"})
    ref = reference_of(r)
    assert pupils_of(app, ref) == [(pupil.id, "", "betrokken")]
