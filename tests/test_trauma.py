"""Plugin trauma: report, both branches of the first assessment with the core's external
partners, step plan, letters, closing, figures, access, and the upgrade that moved the
plugin's own partner list to the core. Through the Flask test client with CSRF on."""

import datetime
import io
import re
from types import SimpleNamespace

import pytest
from pypdf import PdfReader

from portal.dates import today as dutch_today
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import Outbox
from portal.models import Partner
from portal.models import Pupil
from portal.models import School
from portal.models import SchoolPlugin
from portal.models import User
from portal.models import UserRole
from portal.passwords import hash_password

from .conftest import login
from .conftest import post


@pytest.fixture
def app_config(app_config):
    # Only this plugin (and the core's test plugin): other plugins are built in
    # parallel and must not make these tests pass or fail.
    return {**app_config, "PORTAL_PLUGINS": ("trauma",)}


REPORT = "/klaverweide/trauma/melden"
PLAN = "/klaverweide/trauma/stappenplan"
PARTNERS = "/klaverweide/partners/"  # the core's list since the move
OLD_PARTNERS = "/klaverweide/trauma/partners"


def report(client, **extra):
    data = {
        "kind": "overlijden_ouder",
        "occurred_on": dutch_today().isoformat(),
        "scope": "groep",
        "group_name": "groep 5b",
        "pupils": "",
        "reported_by": "De oom van een leerling",
        "description": "Moeder is gisteren overleden.",
    }
    data.update(extra)
    return post(client, REPORT, data, page=REPORT)


def as_role(app, role):
    """A fresh client logged in as ``role`` (a logged-in client cannot log in again)."""
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def reference_of(response):
    m = re.search(r"/zaken/(TR-\d{4}-\d{4})", response.headers["Location"])
    assert m, response.headers.get("Location")
    return m.group(1)


def case_url(ref):
    return f"/klaverweide/zaken/{ref}"


def step(client, ref, name, data=None):
    return post(client, f"{case_url(ref)}/stap/{name}", data or {}, page=case_url(ref))


def with_db(app, fn):
    with app.app_context():
        database.connect(reuse_if_open=True)
        try:
            return fn()
        finally:
            database.close()


def partner_ids(app):
    return with_db(app, lambda: [p.id for p in Partner.select().order_by(Partner.id)])


def checklist(app, ref):
    return with_db(
        app,
        lambda: list(
            CaseChecklistItem.select()
            .join(Case)
            .where(Case.reference == ref)
            .order_by(CaseChecklistItem.position)
        ),
    )


def pdf_text(client, ref, doc_name, app):
    r = post(client, f"{case_url(ref)}/brief/{doc_name}", page=case_url(ref))
    assert r.status_code == 302, r.get_data(as_text=True)
    doc_id = with_db(
        app,
        lambda: (
            CaseDocument.select()
            .join(Case)
            .where((Case.reference == ref) & (CaseDocument.name == doc_name))
            .order_by(CaseDocument.version.desc())
            .first()
            .id
        ),
    )
    r = client.get(f"{case_url(ref)}/document/{doc_id}")
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(r.data)).pages)


# ------------------------------------------------------------------ report ----


def test_teacher_reports_and_directie_and_ib_are_notified(client, app):
    login(client, "leerkracht")
    assert client.get(REPORT).status_code == 200
    r = report(client)
    assert r.status_code == 302
    ref = reference_of(r)
    assert ref.startswith("TR-")
    # The confirmation of before the port, through Start.saved.
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert (
        f"De melding is opgeslagen als {ref}. De directie en de intern begeleider hebben bericht gekregen."
    ) in page
    # The reporter is the assignee and sees the case with its own step plan.
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert "Overlijden van een ouder" in page and "groep 5b" in page
    assert "Nazorg: gesprek na zes weken" in page
    mails = with_db(app, lambda: list(Outbox.select().where(Outbox.subject.contains(ref))))
    to = sorted(m.to for m in mails)
    assert to == ["directie@klaverweide.demo", "ib@klaverweide.demo"]
    for m in mails:
        assert ref in m.subject
        # Staff mail carries no details of the child or the event.
        assert "overleden" not in m.body.lower() and "groep 5b" not in m.body


def test_report_form_errors_are_dutch_and_keep_input(client, app):
    login(client, "ondersteunend")
    r = report(client, scope="groep", group_name="", reported_by="Een buurvrouw", occurred_on="2099-01-01")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul in om welke groep het gaat." in html
    assert "Deze datum ligt in de toekomst." in html
    assert "Een buurvrouw" in html
    r = report(client, occurred_on="gisteren")
    assert "Vul een geldige datum in" in r.get_data(as_text=True)
    assert with_db(app, lambda: Case.select().count()) == 1  # the demo's event only


def test_report_page_is_the_cores_start_page_with_its_own_texts(client, app):
    from flask import url_for

    login(client, "leerkracht")
    html = client.get(REPORT).get_data(as_text=True)
    assert "<h1>Traumatische gebeurtenis melden</h1>" in html
    assert "Stap 1 van het stappenplan: leg vast wat er is gebeurd." in html
    assert ">Melding opslaan</button>" in html
    assert 'href="/klaverweide/partners/"' in html  # under the form, as before
    menu = client.get("/klaverweide/").get_data(as_text=True)
    assert '<a href="/klaverweide/trauma/melden">Trauma melden</a>' in menu  # Start.nav_label
    with app.test_request_context("/klaverweide/"):
        assert url_for("trauma.start_gebeurtenis", school="klaverweide") == REPORT


def test_refused_report_keeps_everything_typed_and_shows_the_summary(client, app):
    login(client, "leerkracht")
    r = report(client, kind="", description="Een leerling is van het klimrek gevallen.", group_name="groep 3")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'class="error-summary"' in html and "Kies wat er is gebeurd." in html
    assert "<title>Fout: Traumatische gebeurtenis melden" in html
    assert "Een leerling is van het klimrek gevallen." in html and 'value="groep 3"' in html
    assert "De oom van een leerling" in html
    assert '<input checked id="scope-1" name="scope"' in html  # the scope that was chosen
    assert with_db(app, lambda: Case.select().count()) == 1  # the demo's event only


def test_report_about_pupils_names_them(client, app):
    # The rule of the form: "one or more pupils" needs a pupil of the register (more are
    # linked on the case page); the name is kept for the letters.
    login(client, "leerkracht")
    r = report(client, scope="leerlingen", group_name="", pupils="")
    assert r.status_code == 422
    assert "Kies de leerling om wie het gaat." in r.get_data(as_text=True)
    daan = with_db(app, lambda: Pupil.get(Pupil.las_number == "100126").id)  # Daan Vos
    r = report(client, scope="leerlingen", group_name="", pupils=str(daan))
    ref = reference_of(r)
    from plugins.trauma.models import TraumaEvent

    ev = with_db(app, lambda: TraumaEvent.get(TraumaEvent.case == Case.get(Case.reference == ref)))
    assert (ev.pupils, ev.group_name, ev.scope) == ("Daan Vos", "", "leerlingen")


def test_report_is_confidential_assigned_and_audited(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))

    def check():
        case = Case.get(Case.reference == ref)
        assert case.confidential and case.assignee_id == case.created_by_id
        assert case.title == "Overlijden van een ouder (groep 5b)"
        row = AuditLog.get((AuditLog.case_ref == ref) & (AuditLog.action == "case.create"))
        assert row.detail == "trauma.gebeurtenis" and row.outcome == "ok"

    with_db(app, check)


def test_checklist_copy_has_due_dates_that_are_deadlines(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    items = checklist(app, ref)
    names = [i.name for i in items]
    assert names[0] == "trauma.directie" and "trauma.nazorg_3mnd" in names
    due = {i.name: i.due_date for i in items if i.due_date}
    assert set(due) == {"trauma.nazorg_week", "trauma.nazorg_6wk", "trauma.nazorg_3mnd"}
    today = dutch_today()
    assert today + datetime.timedelta(days=7) <= due["trauma.nazorg_week"]
    assert due["trauma.nazorg_week"] < due["trauma.nazorg_6wk"] < due["trauma.nazorg_3mnd"]
    deadlines = with_db(
        app, lambda: {d.name for d in CaseDeadline.select().join(Case).where(Case.reference == ref)}
    )
    assert "checklist:trauma.nazorg_6wk" in deadlines


# --------------------------------------------------------------- assessment ----


def test_assessment_yes_school_handles_it(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    r = step(
        client, ref, "trauma.zelf", {"ib_involved": "y", "motivation": "De IB en ik begeleiden de groep."}
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert "Aanpak door de school (stappenplan)" in page
    assert "Door de school zelf" in page and "intern begeleider betrokken" in page
    # The "nee" branch is no longer offered.
    assert "trauma.nee" not in page


def test_assessment_no_engages_partners(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    # Without a partner the "no" answer is refused, with what was typed kept.
    r = step(client, ref, "trauma.nee", {"contacted_on": "2026-03-02", "agreement": "Bellen morgen terug."})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Kies minstens één externe partner." in html and "Bellen morgen terug." in html
    smw, ggd = partner_ids(app)[:2]
    r = step(
        client,
        ref,
        "trauma.nee",
        {
            "partners": [smw, ggd],
            "contacted_on": "2026-03-02",
            "agreement": "Gesprek met de groep op donderdag.",
        },
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert "Aanpak met externe hulp" in page
    assert "Schoolmaatschappelijk werk Almere Haven (demo), 2 maart 2026" in page
    assert "GGD Flevoland" in page
    # The plan's own "external help" step is ticked with the date of the contact.
    item = [i for i in checklist(app, ref) if i.name == "trauma.extern"][0]
    assert item.done_at == datetime.date(2026, 3, 2)


def test_another_schools_partner_is_not_a_valid_choice(client, app):
    def other():
        school = School.create(slug="deberk", name="De Berk")
        return Partner.create(school=school.id, organisation="Elders", kind="ggd").id

    foreign = with_db(app, other)
    login(client, "leerkracht")
    ref = reference_of(report(client))
    r = step(
        client, ref, "trauma.nee", {"partners": [foreign], "contacted_on": "2026-03-02", "agreement": "x"}
    )
    assert r.status_code == 422
    assert with_db(app, lambda: Case.get(Case.reference == ref).state) == "gemeld"


# ---------------------------------------------------------------- step plan ----


def plan_rows(client):
    html = client.get(PLAN).get_data(as_text=True)
    keys = re.findall(r'name="steps-(\d+)-key" type="hidden" value="([^"]*)"', html)
    labels = re.findall(r'name="steps-(\d+)-label" type="text" value="([^"]*)"', html)
    return keys, labels, html


def test_template_changes_do_not_touch_running_cases(client, app):
    login(client, "leerkracht")
    running = reference_of(report(client))

    directie = as_role(app, "directie")
    keys, labels, html = plan_rows(directie)
    assert "Contact opnemen met de familie" in html
    data = {"letter": "Beste ouders van {groep}, {bericht}"}
    for (i, key), (_, label) in zip(keys, labels, strict=True):
        data[f"steps-{i}-key"] = key
        data[f"steps-{i}-label"] = label
    data["steps-1-label"] = "Bezoek aan de familie door leerkracht en directie"
    data["steps-3-remove"] = "y"  # ouders van de groep informeren
    new = len(labels) - 3
    data[f"steps-{new}-label"] = "Herdenkingsmoment plannen"
    data[f"steps-{new}-due_days"] = "14"
    r = post(directie, PLAN, data, page=PLAN)
    assert r.status_code == 302, r.get_data(as_text=True)

    old_labels = [i.label for i in checklist(app, running)]
    assert "Contact opnemen met de familie" in old_labels
    assert "Ouders van de groep informeren" in old_labels
    assert "Herdenkingsmoment plannen" not in old_labels

    fresh = reference_of(report(client))
    items = checklist(app, fresh)
    labels_new = [i.label for i in items]
    assert "Bezoek aan de familie door leerkracht en directie" in labels_new
    assert "Ouders van de groep informeren" not in labels_new
    memorial = [i for i in items if i.label == "Herdenkingsmoment plannen"][0]
    assert memorial.name == "trauma.herdenkingsmoment_plannen" and memorial.due_date
    # Renaming keeps the key: the family step is still "trauma.familie".
    assert "trauma.familie" in [i.name for i in items]


def test_plan_page_needs_trauma_plan(client, app):
    login(client, "leerkracht")
    assert client.get(PLAN).status_code == 403
    client = as_role(app, "beheerder")
    assert client.get(PLAN).status_code == 200


# ----------------------------------------------------------------- partners ----


def test_the_form_offers_the_cores_partners_and_a_hidden_one_stays_in_the_case(client, app):
    from plugins.trauma.models import TraumaEngagement

    login(client, "ib")
    ref = reference_of(report(client))
    html = client.get(case_url(ref)).get_data(as_text=True)
    assert "Veilig Thuis (demo) (Veilig Thuis)" in html  # the core's list, with its kind
    r = post(
        client,
        PARTNERS + "nieuw",
        {"organisation": "Leerplicht Almere (demo)", "kind": "leerplicht"},
        page=PARTNERS,
    )
    assert r.status_code == 302
    new = partner_ids(app)[-1]
    r = step(
        client,
        ref,
        "trauma.nee",
        {"partners": [new], "contacted_on": "2026-03-02", "agreement": "Verzuim besproken."},
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    assert with_db(app, lambda: TraumaEngagement.get().partner_id) == new
    offered = '">Leerplicht Almere (demo) (Leerplicht)</label>'  # a checkbox of the step forms
    assert offered in client.get(case_url(ref)).get_data(as_text=True)
    # Taken out of the list: no longer offered, but the case keeps the partner and its name.
    assert post(client, f"{PARTNERS}{new}/verwijderen", page=PARTNERS).status_code == 302
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert offered not in page
    r = step(
        client,
        ref,
        "trauma.partner",
        {"partners": [new], "contacted_on": "2026-03-03", "agreement": "Nog eens."},
    )
    assert r.status_code == 422
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert "Leerplicht Almere (demo), 2 maart 2026: Verzuim besproken." in page
    assert with_db(app, lambda: TraumaEngagement.get().partner_id) == new


def test_old_partner_addresses_lead_to_the_core(client, app):
    login(client, "leerkracht")
    r = client.get(OLD_PARTNERS)
    assert r.status_code == 308 and r.headers["Location"] == PARTNERS
    assert "Slachtofferhulp (demo)" in client.get(OLD_PARTNERS, follow_redirects=True).get_data(as_text=True)
    client = as_role(app, "ib")
    pid = partner_ids(app)[0]
    r = client.get(f"{OLD_PARTNERS}/{pid}")
    assert r.status_code == 308 and r.headers["Location"] == f"{PARTNERS}{pid}"
    # A form posted from a page opened before the upgrade is sent on: a browser posts it
    # again to the new address (308), where the core checks the token and the permission.
    r = post(client, f"{OLD_PARTNERS}/{pid}/verwijderen", page=f"{PARTNERS}{pid}")
    assert r.status_code == 308 and r.headers["Location"] == f"{PARTNERS}{pid}/verwijderen"
    assert partner_ids(app)[0] == pid  # nothing changed by the redirect itself


# ------------------------------------------------------------------ letters ----


def family_contacted(client, app, ref):
    """Tick the plan's step 'Contact opnemen met de familie' (the letter to the group's parents
    waits for it)."""
    item = next(i for i in checklist(app, ref) if i.name == "trauma.familie")
    r = post(
        client,
        f"{case_url(ref)}/checklist/{item.id}",
        {"done_on": dutch_today().isoformat()},
        page=case_url(ref),
    )
    assert r.status_code == 302


def test_parents_letter_and_summary(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    # Not offered before the first assessment.
    assert "Maak: Informatiebrief" not in client.get(case_url(ref)).get_data(as_text=True)
    step(client, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."})
    family_contacted(client, app, ref)
    r = post(
        client,
        f"/klaverweide/trauma/zaak/{ref}/ouders",
        {"parent_info": "De moeder van een leerling uit de groep is overleden."},
        page=f"/klaverweide/trauma/zaak/{ref}/ouders",
    )
    assert r.status_code == 302
    text = pdf_text(client, ref, "trauma.ouderbrief", app)
    flat = " ".join(text.split())
    assert "Beste ouders en verzorgers van groep 5b" in flat
    assert "De moeder van een leerling uit de groep is overleden." in flat
    assert "Sanne de Boer" in flat and "036 000 0000" in flat and "De Klaverweide" in flat
    assert ref in flat

    text = " ".join(pdf_text(client, ref, "trauma.samenvatting", app).split())
    assert "Samenvatting traumatische gebeurtenis" in text
    assert "Overlijden van een ouder" in text and "De oom van een leerling" in text
    assert "Nazorg: gesprek na één week" in text


def test_school_letter_text_is_used(client, app):
    login(client, "directie")
    keys, labels, _ = plan_rows(client)
    data = {"letter": "Lieve ouders van {groep}.\n\nOp {datum}: {soort}. {onbekend} {bericht.__class__}"}
    for (i, key), (_, label) in zip(keys, labels, strict=True):
        data[f"steps-{i}-key"], data[f"steps-{i}-label"] = key, label
    assert post(client, PLAN, data, page=PLAN).status_code == 302
    ref = reference_of(report(client, occurred_on="2026-03-02"))
    step(client, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."})
    family_contacted(client, app, ref)
    flat = " ".join(pdf_text(client, ref, "trauma.ouderbrief", app).split())
    assert "Lieve ouders van groep 5b." in flat
    assert "Op 2 maart 2026: overlijden van een ouder." in flat
    # Unknown or attribute-like placeholders are left as typed, never evaluated.
    assert "{onbekend} {bericht.__class__}" in flat


# ------------------------------------------------------------------ closing ----


def test_close_needs_required_steps_then_evaluation(client, app):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    step(client, ref, "trauma.zelf", {"motivation": "Wij kunnen dit."})
    # The teacher may not close; the IB may.
    assert "trauma.sluit" not in client.get(case_url(ref)).get_data(as_text=True)
    client = as_role(app, "ib")
    r = step(client, ref, "trauma.sluit", {"went_well": "Snel contact.", "to_improve": "Niets."})
    assert r.status_code == 422
    assert "Nog af te vinken" in r.get_data(as_text=True)
    for item in checklist(app, ref):
        if item.required:
            r = post(
                client, f"{case_url(ref)}/checklist/{item.id}", {"done_on": "2026-03-03"}, page=case_url(ref)
            )
            assert r.status_code == 302
    r = step(client, ref, "trauma.sluit", {"went_well": "", "to_improve": ""})
    assert r.status_code == 422 and "Vul in wat goed ging." in r.get_data(as_text=True)
    r = step(
        client,
        ref,
        "trauma.sluit",
        {"went_well": "Snel contact met de familie.", "to_improve": "Eerder het team inlichten."},
    )
    assert r.status_code == 302
    page = client.get(case_url(ref)).get_data(as_text=True)
    assert "Afgesloten" in page and "Eerder het team inlichten." in page
    evaluated = [i for i in checklist(app, ref) if i.name == "trauma.evaluatie"][0]
    assert evaluated.done_at is not None


# ------------------------------------------------------------------ figures ----


def test_annual_figures_and_dashboard_panel(client, app):
    login(client, "leerkracht")
    a = reference_of(report(client, occurred_on="2025-11-03"))
    b = reference_of(report(client, occurred_on="2025-12-01", kind="ongeval"))
    reference_of(report(client, occurred_on="2025-06-01", kind="geweld"))  # year before
    step(client, a, "trauma.zelf", {"motivation": "Zelf."})
    step(
        client,
        b,
        "trauma.nee",
        {"partners": [partner_ids(app)[0]], "contacted_on": "2025-12-02", "agreement": "Gesprek."},
    )
    html = client.get("/klaverweide/").get_data(as_text=True)
    assert "Traumatische gebeurtenissen" in html and "Traumatische gebeurtenis melden" in html

    client = as_role(app, "directie")
    html = client.get("/klaverweide/jaarcijfers/?jaar=2025").get_data(as_text=True)
    flat = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    assert "Traumatische gebeurtenissen: 2" in flat
    assert "Overlijden van een ouder 1" in flat and "Ernstig ongeval 1" in flat
    assert "Geweld 0" in flat
    assert "Door de school zelf 1" in flat and "Met externe hulp 1" in flat


# ------------------------------------------------------------------- access ----


@pytest.mark.parametrize("role", ["contactpersoon", "ondersteunend"])
def test_staff_without_view_do_not_see_others_cases(client, app, role):
    login(client, "leerkracht")
    ref = reference_of(report(client))
    client = as_role(app, role)
    assert client.get(case_url(ref)).status_code == 404
    assert client.get(f"/klaverweide/trauma/zaak/{ref}/ouders").status_code in (403, 404)
    assert ref not in client.get("/klaverweide/zaken/").get_data(as_text=True)


def test_another_teacher_does_not_see_the_case(client, app):
    def second_teacher():
        user = User.create(
            email="leerkracht2@klaverweide.demo",
            name="Tweede Leerkracht",
            password_hash=hash_password("klaverweide-demo"),
        )
        UserRole.create(user=user, school=School.get(School.slug == "klaverweide"), role="leerkracht")

    with_db(app, second_teacher)
    login(client, "leerkracht")
    ref = reference_of(report(client))
    client = as_role(app, "leerkracht2@klaverweide.demo")
    assert client.get(case_url(ref)).status_code == 404
    r = step(client, ref, "trauma.zelf", {"motivation": "x"})
    assert r.status_code == 404
    assert client.get(f"/klaverweide/trauma/zaak/{ref}/ouders").status_code == 404
    client = as_role(app, "ib")
    assert client.get(case_url(ref)).status_code == 200


def test_other_schools_staff_get_403_or_404(client, app):
    def other_school():
        school = School.create(slug="deberk", name="De Berk")
        SchoolPlugin.create(school=school, plugin="trauma")
        user = User.create(
            email="ib@deberk.demo", name="IB Berk", password_hash=hash_password("klaverweide-demo")
        )
        UserRole.create(user=user, school=school, role="ib")

    with_db(app, other_school)
    login(client, "leerkracht")
    ref = reference_of(report(client))
    client = as_role(app, "ib@deberk.demo")
    for url in (REPORT, PLAN, OLD_PARTNERS, f"{OLD_PARTNERS}/1", f"/klaverweide/trauma/zaak/{ref}/ouders"):
        assert client.get(url).status_code == 403, url
    assert client.get(f"/deberk/zaken/{ref}").status_code == 404
    assert client.get(f"/deberk/trauma/zaak/{ref}/ouders").status_code == 404


def test_disabled_plugin_is_404(client, app):
    def disable():
        SchoolPlugin.delete().where(SchoolPlugin.plugin == "trauma").execute()

    with_db(app, disable)
    login(client, "directie")
    assert client.get(REPORT).status_code == 404
    assert client.get(OLD_PARTNERS).status_code == 404
    assert client.get(PARTNERS).status_code == 200  # the core's list does not need the plugin


def test_anonymous_is_sent_to_login(client):
    r = client.get(REPORT)
    assert r.status_code == 302 and "/login" in r.headers["Location"]


def test_missing_or_odd_fields_never_give_500(client, app):
    """Fields left out of a post arrive as None: every form answers in Dutch, not with a 500."""
    login(client, "directie")
    r = post(
        client,
        REPORT,
        {
            "kind": "geweld",
            "scope": "school",
            "reported_by": "Politie",
            "description": "Vechtpartij bij het hek.",
            "occurred_on": "2026-03-02",
        },
        page=REPORT,
    )
    assert r.status_code == 302  # no group and no pupils: left out of the post entirely
    ref = reference_of(r)
    for url, data in (
        (REPORT, {}),
        (REPORT, {"kind": "onzin", "scope": "groep"}),
        (PLAN, {}),
        (PLAN, {"steps-0-label": "x", "steps-0-due_days": "veel"}),
        (f"/klaverweide/trauma/zaak/{ref}/ouders", {}),
        (f"{case_url(ref)}/stap/trauma.nee", {"partners": "abc"}),
        (f"{case_url(ref)}/stap/trauma.zelf", {}),
    ):
        r = post(client, url, data, page=REPORT)
        assert r.status_code in (302, 422), (url, r.status_code)
    r = post(client, PLAN, {"steps-0-label": "x", "steps-0-due_days": "veel"}, page=PLAN)
    assert "Vul een heel getal in." in r.get_data(as_text=True)


def test_every_route_of_the_plugin_with_every_role(client, app):
    """The testing kit's walk: anonymous visitors reach nothing, no POST without CSRF, a role
    without a route's permission gets 403 or 404, nothing answers with a server error."""
    from portal.testing import access_problems

    login(client, "leerkracht")
    ref = reference_of(report(client))
    values = {"reference": ref, "rest": str(partner_ids(app)[0])}
    assert access_problems(app, values, blueprint="trauma") == []


# ------------------------------------------------------------------ upgrade ----


@pytest.mark.schema
def test_upgrade_moves_the_plugins_partners_to_the_core_keeping_every_reference(
    app_config, tmp_path, monkeypatch
):
    """A database as the portal left it before the move (the core before m0006, trauma at
    m0001), with the plugin's own partners (one hidden, ids with a gap), cases that engaged
    them and a school's change to who holds trauma.partners. After init-db the core has
    every partner with the same id and values, every engagement points at the same partner,
    the change holds for portal.partners, and the old table is gone."""
    from portal import create_app
    from portal import migrate
    from portal.db import constant_sql
    from portal.models import RolePermission
    from portal.registry import get_pm
    from portal.testing import reset_postgres

    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "instance"))
    if app_config["DATABASE_URL"].startswith("postgres"):
        reset_postgres()
    app = create_app(app_config)
    partners = [
        (
            1,
            "Schoolmaatschappelijk werk (demo)",
            "smw",
            "Noor Bakker",
            "036 000 1101",
            "smw@partners.demo",
            "Dinsdag op school.",
            True,
        ),
        (2, "GGD (demo)", "ggd", "", "036 000 1102", "", "", True),
        (3, "Oude partner (demo)", "anders", "", "", "", "Uit de lijst gehaald.", False),
        (7, "Slachtofferhulp (demo)", "slachtofferhulp", "Sam de Wit", "0900 000 0003", "", "", True),
    ]
    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        migrate.upgrade(
            get_pm(), log=lambda *_: None, until={"portal": "m0005_mfa", "trauma": "m0001_initial"}
        )
        assert "portal_partner" not in database.get_tables()
        # The school as that schema had it (the model knows columns of later migrations).
        database.execute_sql(
            constant_sql(
                'INSERT INTO "portal_school" ("slug", "name", "address", "phone", "email", "board_name", '
                '"logo_type") VALUES (?, ?, ?, ?, ?, ?, ?)'
            ),
            ("klaverweide", "De Klaverweide", "", "036 000 0000", "", "", ""),
        )
        here = School.select(School.id, School.slug).where(School.slug == "klaverweide").get()
        SchoolPlugin.create(school=here, plugin="trauma")
        people = {}
        for role in ("leerkracht", "ib", "directie"):
            people[role] = User.create(
                email=f"{role}@klaverweide.demo",
                name=role.title(),
                password_hash=hash_password("klaverweide-demo"),
            )
            UserRole.create(user=people[role], school=here, role=role)
        for row in partners:
            database.execute_sql(
                constant_sql('INSERT INTO "trauma_partner" VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)'),
                (row[0], here.id, *row[1:]),
            )
        # Two reported events as that schema held them (written in its own columns: today's
        # engine writes columns and tables added since).
        cases = []
        for number in (1, 2):
            reference = f"TR-2026-{number:04d}"
            database.execute_sql(
                constant_sql(
                    'INSERT INTO "portal_case" ("school_id", "case_type", "reference", "state", "title", '
                    '"assignee_id", "created_by_id", "created_at", "updated_at", "confidential", '
                    '"legal_hold", "access_code_hash", "submitter_email") '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (
                    here.id,
                    "trauma.gebeurtenis",
                    reference,
                    "gemeld",
                    "Ongeval: Aanrijding bij het hek",
                    people["leerkracht"].id,
                    people["leerkracht"].id,
                    datetime.datetime(2026, 3, 2, 9, 0),
                    datetime.datetime(2026, 3, 2, 9, 0),
                    True,
                    False,
                    "",
                    "",
                ),
            )
            case = SimpleNamespace(
                id=Case.select(Case.id).where(Case.reference == reference).scalar(), reference=reference
            )
            database.execute_sql(
                constant_sql(
                    'INSERT INTO "trauma_event" ("case_id", "kind", "occurred_on", "scope", "group_name", '
                    '"pupils", "reported_by", "description", "handled_by", "ib_involved", "parent_info", '
                    '"went_well", "to_improve") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)'
                ),
                (
                    case.id,
                    "ongeval",
                    datetime.date(2026, 3, 2),
                    "school",
                    "",
                    "",
                    "Politie",
                    "Aanrijding bij het hek.",
                    "",
                    False,
                    "",
                    "",
                    "",
                ),
            )
            cases.append(case)
        engagements = [(1, cases[0].id, 1), (2, cases[0].id, 7), (3, cases[1].id, 3), (4, cases[1].id, None)]
        for eid, case_id, partner_id in engagements:
            database.execute_sql(
                constant_sql(
                    'INSERT INTO "trauma_engagement" ("id", "case_id", "partner_id", "organisation", '
                    '"contacted_on", "agreement", "created_by_id", "created_at") '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                ),
                (
                    eid,
                    case_id,
                    partner_id,
                    f"partner {partner_id}",
                    datetime.date(2026, 3, 3),
                    "Afspraak.",
                    people["ib"].id,
                    datetime.datetime(2026, 3, 3, 9, 0),
                ),
            )
        RolePermission.create(school=here, permission="trauma.partners", role="leerkracht", granted=True)
        RolePermission.create(school=here, permission="trauma.partners", role="ib", granted=False)
        database.close()

    result = app.test_cli_runner().invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.index("migration portal.m0006_partners toegepast") < out.index(
        "migration trauma.m0002_partners_to_core toegepast"
    )

    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        assert "trauma_partner" not in database.get_tables()
        moved = [
            tuple(row)
            for row in database.execute_sql(
                'SELECT "id", "school_id", "organisation", "kind", "contact_person", "phone", "email", '
                '"notes", "active" FROM "portal_partner" ORDER BY "id"'
            )
        ]
        # Same ids, same values (SQLite keeps a boolean as 0 or 1).
        assert [(r[0], *r[2:-1], bool(r[-1])) for r in moved] == partners
        assert {r[1] for r in moved} == {here.id}
        after = list(
            database.execute_sql(
                'SELECT "id", "case_id", "partner_id" FROM "trauma_engagement" ORDER BY "id"'
            )
        )
        assert [tuple(r) for r in after] == engagements
        overrides = {(r.permission, r.role, r.granted) for r in RolePermission.select()}
        assert overrides == {("portal.partners", "leerkracht", True), ("portal.partners", "ib", False)}
        assert Partner.create(school=here.id, organisation="Nieuw", kind="ggd").id == 8
        database.close()

    teacher, ib = app.test_client(), app.test_client()
    assert login(teacher, "leerkracht").status_code == 302 and login(ib, "ib").status_code == 302
    assert teacher.get("/klaverweide/partners/overleg").status_code == 200
    assert ib.get("/klaverweide/partners/overleg").status_code == 403
    html = teacher.get(PARTNERS).get_data(as_text=True)
    assert "Slachtofferhulp (demo)" in html and "Oude partner (demo)" not in html
    page = ib.get(case_url(cases[1].reference)).get_data(as_text=True)
    assert "partner 3, 3 maart 2026: Afspraak." in page  # the hidden partner's case keeps it
