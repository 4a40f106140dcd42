"""Cases started from other cases (``Start.follows``, portal/cases/links.py): the case page
offers the next cases its viewer may start, the start page opened from there knows the first
case (its pupil filled in, ``origin`` for the plugin), the new case is linked to it in the
same transaction, and each page lists the other only to whoever may see it."""

import re

import pytest

from portal import api
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseLink
from portal.models import Pupil
from portal.models import SchoolPlugin

from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import school

BASE = "/klaverweide"
DAAN = "100126"  # Daan Vos in the demo register


class ReportForm(api.Form):
    subject = api.line("Onderwerp", 200, "Vul een onderwerp in.")
    pupil = api.PupilField("Leerling", required="Zoek en kies de leerling.")


class FollowForm(api.Form):
    pupil = api.PupilField("Leerling", required="Zoek en kies de leerling.")
    note = api.text("Toelichting", 2000, "Vul een toelichting in.")


SEEN = []  # what the plugin's callables were given as origin


def prefill(origin):
    return {"note": f"Naar aanleiding van {origin.reference}"} if origin else {}


def after(case, origin):
    SEEN.append((case.reference, origin.reference if origin else None))


def _type(name, title, prefix, start, **kw):
    return api.CaseType(
        name=name,
        title=title,
        prefix=prefix,
        states=(api.State("open", "Open"), api.State("klaar", "Klaar", closed=True)),
        initial="open",
        transitions=(),
        start=start,
        **kw,
    )


REPORT = _type(
    "vervolgtest.melding",
    "Melding",
    "VM",
    api.Start(ReportForm, "Melding doen", permission="vervolgtest.start", path="melding", title="{subject}"),
    view_permission="vervolgtest.view",
)
SECRET = _type(
    "vervolgtest.geheim",
    "Vertrouwelijk vervolg",
    "VG",
    api.Start(
        FollowForm,
        "Vertrouwelijk vervolg starten",
        permission="vervolgtest.geheim",
        path="geheim",
        title="Vertrouwelijk",
        confidential=True,
        follows=("vervolgtest.melding",),
        prefill=prefill,
        after=after,
    ),
    view_permission="vervolgtest.geheim",
    confidential_roles=("directie",),
)
ANY = _type(
    "vervolgtest.vervolg",
    "Vervolg",
    "VV",
    api.Start(
        FollowForm, "Gewoon vervolg starten", permission="vervolgtest.start", path="vervolg", follows=("*",)
    ),
    view_permission="vervolgtest.view",
)


def _enable(school):
    SchoolPlugin.insert(school=school.id, plugin="vervolgtest").on_conflict_ignore().execute()


PLUGIN = api.Plugin(
    "vervolgtest",
    __name__,
    title="Vervolgtest",
    case_types=[REPORT, SECRET, ANY],
    migrations=None,
    demo=_enable,
    permissions=[
        api.Permission("vervolgtest.start", "Een melding doen", api.STAFF_ROLES),
        api.Permission("vervolgtest.view", "Meldingen zien", ("ib", "directie", "leerkracht")),
        api.Permission("vervolgtest.geheim", "Vertrouwelijk vervolg", ("directie",)),
    ],
)
PLUGIN.SLUG = "vervolgtest"


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_EXTRA_PLUGINS": (*app_config["PORTAL_EXTRA_PLUGINS"], PLUGIN)}


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def daan(app):
    with db_ctx(app):
        return Pupil.get((Pupil.school == school().id) & (Pupil.las_number == DAAN))


def report(app, client):
    page = f"{BASE}/vervolgtest/melding"
    r = client.post(
        page,
        data={"csrf_token": get_csrf(client, page), "subject": "Duwen op het plein", "pupil": daan(app).id},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    return re.search(r"(VM-\d{4}-\d{4})", r.headers["Location"]).group(1)


def start_from(client, path, reference, **data):
    page = f"{BASE}/vervolgtest/{path}?vanuit={reference}"
    html = client.get(page).get_data(as_text=True)
    fields = {"csrf_token": get_csrf(client, page), "vanuit": reference, **data}
    return html, client.post(f"{BASE}/vervolgtest/{path}", data=fields)


def test_a_follow_up_is_offered_prefilled_and_linked_both_ways(app):
    director = as_role(app, "directie")
    ref = report(app, director)
    page = director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "Een vervolg starten vanuit deze zaak" in page
    assert f'href="/klaverweide/vervolgtest/geheim?vanuit={ref}"' in page
    assert f'href="/klaverweide/vervolgtest/vervolg?vanuit={ref}"' in page

    pupil = daan(app)
    html, r = start_from(director, "geheim", ref, pupil=pupil.id, note="Zorgen na de melding.")
    # The start page knew the first case: its pupil chosen, the plugin's prefill given origin.
    assert f'value="{pupil.id}"' in html and "Daan Vos" in html
    assert f"Naar aanleiding van {ref}" in html
    assert f'name="vanuit" value="{ref}"' in html
    assert r.status_code == 302, r.get_data(as_text=True)
    new = re.search(r"(VG-\d{4}-\d{4})", r.headers["Location"]).group(1)
    assert SEEN[-1] == (new, ref)  # Start.after got the origin too

    with db_ctx(app):
        first, second = Case.get(Case.reference == ref), Case.get(Case.reference == new)
        # (The demo's suspensions are linked to their incidents too.)
        assert CaseLink.get(CaseLink.follow_up == second.id).case_id == first.id
        audit = AuditLog.get((AuditLog.action == "case.link") & (AuditLog.case_ref == new))
        assert audit.case_ref == new and audit.detail == f"vervolg van {ref}"
    assert f'Gestart vanuit: <a href="/klaverweide/zaken/{ref}">{ref}</a>' in director.get(
        f"{BASE}/zaken/{new}"
    ).get_data(as_text=True)
    assert f'Vervolg: <a href="/klaverweide/zaken/{new}">{new}</a>' in director.get(
        f"{BASE}/zaken/{ref}"
    ).get_data(as_text=True)


def test_a_confidential_follow_up_stays_out_of_sight_of_who_may_not_see_it(app):
    director = as_role(app, "directie")
    teacher = as_role(app, "leerkracht")
    ref = report(app, teacher)
    _html, r = start_from(director, "geheim", ref, pupil=daan(app).id, note="Vertrouwelijk.")
    secret = re.search(r"(VG-\d{4}-\d{4})", r.headers["Location"]).group(1)
    page = teacher.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert secret not in page  # the teacher sees the first case, not what followed from it
    assert "vervolgtest/geheim" not in page  # nor the start they may not use
    assert f"vervolgtest/vervolg?vanuit={ref}" in page  # but the one they may
    assert secret in director.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)


@pytest.mark.parametrize("reference", ["VM-0000-0000", "ONZIN", "%00"])
def test_a_start_opened_from_a_case_one_may_not_see_or_that_does_not_exist_is_404(app, reference):
    director = as_role(app, "directie")
    assert director.get(f"{BASE}/vervolgtest/geheim?vanuit={reference}").status_code in (400, 404)


def test_only_from_the_types_the_start_follows(app):
    director = as_role(app, "directie")
    ref = report(app, director)
    _html, r = start_from(director, "vervolg", ref, pupil=daan(app).id, note="Eerst.")
    plain = re.search(r"(VV-\d{4}-\d{4})", r.headers["Location"]).group(1)
    # The confidential start follows only a melding, not a vervolg.
    assert director.get(f"{BASE}/vervolgtest/geheim?vanuit={plain}").status_code == 404
    assert "vervolgtest/geheim?vanuit" not in director.get(f"{BASE}/zaken/{plain}").get_data(as_text=True)
    # Posting the reference anyway changes nothing.
    page = f"{BASE}/vervolgtest/geheim"
    r = director.post(
        page,
        data={"csrf_token": get_csrf(director, page), "vanuit": plain, "pupil": daan(app).id, "note": "x"},
    )
    assert r.status_code == 404
    with db_ctx(app):
        assert not Case.select().where(Case.case_type == "vervolgtest.geheim").exists()


def test_a_teacher_without_sight_of_the_first_case_cannot_start_from_it(app):
    director = as_role(app, "directie")
    ref = report(app, director)
    with db_ctx(app):
        Case.update(confidential=True).where(Case.reference == ref).execute()
    support = as_role(app, "ondersteunend")  # may start a vervolg, may not see meldingen
    assert support.get(f"{BASE}/vervolgtest/vervolg?vanuit={ref}").status_code == 404
