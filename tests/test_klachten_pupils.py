"""Klachten and the pupil register: a parent types the child's name (parents never see the
register); the complaint keeps it as a pupil "niet gekoppeld", and the contactpersoon links
the register's pupil on the case page, also without JavaScript (search, choose, link)."""

import datetime
import re

import pytest

from portal.models import Case
from portal.models import CasePupil
from portal.models import Pupil

from .conftest import post
from .test_klachten import as_role
from .test_klachten import case_url
from .test_klachten import submit
from .test_klachten import submitted
from .test_klachten import with_db

SEM = "100024"  # Sem de Jong, groep 1/2a: a demo pupil of the register


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def pupil(app, las):
    return with_db(app, lambda: Pupil.get(Pupil.las_number == las))


def row_of(app, ref):
    return with_db(app, lambda: CasePupil.get(CasePupil.case == Case.get(Case.reference == ref).id))


def test_the_typed_name_is_kept_and_the_contactpersoon_links_the_pupil(app, client):
    ref, _ = submitted(client, pupil_name="  Sem de Jong ", pupil_group="1/2a")
    row = row_of(app, ref)
    assert (row.name, row.pupil_id, row.role) == ("Sem de Jong", None, "betrokken")
    # The parent's receipt and follow-up never show the register.
    cp = as_role(app, "contactpersoon")
    page = cp.get(case_url(ref)).get_data(as_text=True)
    assert 'Sem de Jong <span class="badge">niet gekoppeld</span>' in page
    # Without JavaScript: search (the typed name is the first search), choose, link.
    url = f"{case_url(ref)}/leerlingen/{row.id}"
    field = f"koppel{row.id}-pupil"
    r = post(cp, url, {f"{field}-zoek": "sem de jong", f"{field}-zoekknop": "1"}, page=case_url(ref))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Kies de leerling uit de lijst onder het zoekveld." in html
    sem = pupil(app, SEM)
    assert re.search(rf'name="{field}" value="{sem.id}"> <label[^>]*>Sem de Jong, groep 1/2a', html)
    assert 'value="sem de jong"' in html  # what was typed is kept
    r = post(cp, url, {field: str(sem.id), f"{field}-zoek": "sem de jong"}, page=case_url(ref))
    assert r.status_code == 302, r.get_data(as_text=True)
    linked = row_of(app, ref)
    assert (linked.pupil_id, linked.name) == (sem.id, "Sem de Jong")
    page = cp.get(case_url(ref)).get_data(as_text=True)
    assert f'href="/klaverweide/leerlingen/{sem.id}">Sem de Jong</a>' in page
    # The complaint is in the child's chronology, for the directie too.
    chronology = as_role(app, "directie").get(f"/klaverweide/leerlingen/{sem.id}").get_data(as_text=True)
    assert ref in chronology and "Klacht" in chronology


def test_a_pupil_who_left_is_not_linked(app, client):
    ref, _ = submitted(client, pupil_name="Sem de Jong")
    with_db(
        app,
        lambda: Pupil.update(left_on=datetime.date(2026, 11, 30)).where(Pupil.las_number == SEM).execute(),
    )
    row = row_of(app, ref)
    cp = as_role(app, "contactpersoon")
    field = f"koppel{row.id}-pupil"
    sem = pupil(app, SEM)
    r = post(cp, f"{case_url(ref)}/leerlingen/{row.id}", {field: str(sem.id)}, page=case_url(ref))
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Sem de Jong heeft de school verlaten en kan niet aan een nieuwe zaak worden gekoppeld." in html
    assert row_of(app, ref).pupil_id is None


def test_a_complaint_without_a_name_names_no_pupil(app, client):
    r = submit(client, pupil_name="")
    ref = re.search(r'id="referentie">(KL-\d{4}-\d{4})<', r.get_data(as_text=True)).group(1)
    assert with_db(
        app,
        lambda: not CasePupil.select().where(CasePupil.case == Case.get(Case.reference == ref).id).exists(),
    )
