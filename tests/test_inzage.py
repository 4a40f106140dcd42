"""AVG inzage (art. 15): the request (deadline, extension, decision, sent), the export (one PDF
with the letters in a ZIP) with other children, complainants and internal notes redacted, the
preview it must match, case types left out by default, and who may do what. Through the Flask
test client with CSRF on; on SQLite and PostgreSQL."""

import datetime
import hashlib
import io
import re
import types
import zipfile
from html import unescape

import pytest
from pypdf import PdfReader

from portal import hookimpl
from portal.access import roles_for_permission
from portal.cases import engine
from portal.dates import today as dutch_today
from portal.declarations import CaseType
from portal.declarations import Permission
from portal.declarations import State
from portal.declarations import Transition
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDocument
from portal.models import InzageChoice
from portal.models import InzageExport
from portal.models import InzageRequest
from portal.models import Pupil
from portal.models import RolePermission
from portal.models import SchoolPlugin
from portal.pupils import inzage
from portal.pupils import link
from portal.pupils import note_name
from portal.pupils import redaction
from portal.pupils import save

from .conftest import csrf_from
from .conftest import login
from .conftest import post
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

# ------------------------------------------------------------ a test plugin ----


@hookimpl
def _permissions():
    return [Permission("geheim.view", "Geheime zaken zien", ("directie", "ib"))]


@hookimpl
def _case_types():
    return [
        CaseType(
            name="geheim.zaak",
            title="Geheime zaak",
            prefix="GH",
            states=(State("open", "Open"), State("dicht", "Afgesloten", closed=True)),
            initial="open",
            transitions=(Transition("geheim.sluit", "Afsluiten", ("open",), "dicht", "geheim.view"),),
            view_permission="geheim.view",
            inzage_by_default=False,
        )
    ]


@hookimpl
def _demo_data(school):
    SchoolPlugin.insert(school=school.id, plugin="geheim").on_conflict_ignore().execute()


# A case type whose cases stay out of an export unless the directie includes them (what the
# meldcode declares), as a plugin module of its own.
SECRET = types.ModuleType("geheim")
SECRET.SLUG = "geheim"
SECRET.register_permissions = _permissions
SECRET.register_case_types = _case_types
SECRET.demo_data = _demo_data


@pytest.fixture
def app_config(app_config):
    extra = (*app_config["PORTAL_EXTRA_PLUGINS"], SECRET)
    return {**app_config, "PORTAL_PLUGINS": ("klachten",), "PORTAL_EXTRA_PLUGINS": extra}


# ---------------------------------------------------------------- helpers ----

FORM = "/klaverweide/klachten/indienen"
FOLLOW = "/klaverweide/klachten/volgen"
REF_RE = re.compile(r'id="referentie">(KL-\d{4}-\d{4})<')
CODE_RE = re.compile(r'id="code">([A-Z2-7 ]+)<')
BASE = "/klaverweide/inzage"


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def add_pupil(first, last, number, prefix="", group="5b", left_on=None):
    pupil = save(
        school(),
        {
            "las_number": number,
            "first_name": first,
            "prefix": prefix,
            "last_name": last,
            "birth_date": datetime.date(2017, 3, 4),
            "enrolled_on": datetime.date(2021, 8, 20),
        },
        group,
    )
    if left_on:
        Pupil.update(left_on=left_on).where(Pupil.id == pupil.id).execute()
    return pupil


def complaint(client, **fields):
    """A parent submits a complaint on the public form; returns (reference, code)."""
    html = client.get(FORM).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'id="form_token" name="form_token" type="hidden" value="([^"]+)"', html
    )
    data = {
        "category": "pesten",
        "what_happened": "Op het plein wordt mijn kind elke pauze uitgescholden.",
        "happened_when": "sinds drie weken",
        "hoped_for": "Dat de pleinwacht ingrijpt.",
        "contact_name": "Wilhelmina Klaagster",
        "contact_email": "klaagster@voorbeeld.nl",
        "contact_phone": "06 9876 5432",
        **fields,
        "csrf_token": csrf_from(html),
        "form_token": token.group(1),
    }
    r = client.post(FORM, data=data)
    assert r.status_code == 200, r.get_data(as_text=True)
    html = r.get_data(as_text=True)
    return REF_RE.search(html).group(1), CODE_RE.search(html).group(1)


def follow_add(client, reference, code, text):
    csrf = csrf_from(client.get(FOLLOW).get_data(as_text=True))
    r = client.post(
        f"{FOLLOW}/aanvullen", data={"reference": reference, "code": code, "text": text, "csrf_token": csrf}
    )
    assert r.status_code == 200, r.get_data(as_text=True)


def case_url(ref):
    return f"/klaverweide/zaken/{ref}"


def new_request(client, pupil_id, received=None, name="Anna Willemsen", relation="ouder"):
    received = received or dutch_today()
    r = post(
        client,
        f"{BASE}/leerling/{pupil_id}",
        {"requester_name": name, "relation": relation, "received_on": received.isoformat()},
        page=f"{BASE}/leerling/{pupil_id}",
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    return int(r.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def decide(client, request_id, decision="volledig", reason=""):
    return post(
        client,
        f"{BASE}/{request_id}/besluit",
        {"decision": decision, "reason": reason, "decided_on": dutch_today().isoformat()},
        page=f"{BASE}/{request_id}",
    )


def preview(client, request_id):
    r = client.get(f"{BASE}/{request_id}/voorbeeld")
    assert r.status_code == 200, r.get_data(as_text=True)
    return r.get_data(as_text=True)


def hidden(html, name):
    return re.search(rf'name="{name}" value="([^"]*)"', html).group(1)


def produce(client, request_id, html=None):
    html = html or preview(client, request_id)
    return client.post(
        f"{BASE}/{request_id}/maken",
        data={
            "csrf_token": csrf_from(html),
            "as_of": hidden(html, "as_of"),
            "fingerprint": hidden(html, "fingerprint"),
        },
    )


def exported(app, request_id):
    """The newest export of the request: (row, {name in the ZIP: bytes}, text of the PDF)."""
    with db_ctx(app):
        row = (
            InzageExport.select()
            .where(InzageExport.request == request_id)
            .order_by(InzageExport.version.desc())
            .first()
        )
    archive = zipfile.ZipFile(io.BytesIO(bytes(row.content)))
    files = {name: archive.read(name) for name in archive.namelist()}
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(files["inzage.pdf"])).pages)
    return row, files, text


def flat(text):
    """Text with every run of white space as one space (a PDF breaks lines where it likes)."""
    return " ".join(text.split())


def words(html):
    """What a page says: its text without the tags, white space as single spaces."""
    return flat(unescape(re.sub(r"<[^>]+>", " ", html)))


def audit_actions(app, pupil_id):
    with db_ctx(app):
        return [
            (r.action, r.detail)
            for r in AuditLog.select().where(AuditLog.pupil_id == pupil_id).order_by(AuditLog.id)
        ]


# ------------------------------------------------------------- the export ----


def test_the_export_leaves_out_other_children_the_complainant_and_internal_notes(app, client):
    """Two pupils in one complaint (the child linked, another linked and named in the text),
    a third only typed, a fourth of the register named in full: none of the others' names,
    nor the complainant's, nor an internal note, is in the export; the child's own data is."""
    ref, code = complaint(client)
    cp = as_role(app, "contactpersoon")
    r = post(
        cp,
        f"{case_url(ref)}/stap/klachten.in_behandeling",
        {"contact_on": dutch_today().isoformat(), "contact_how": "telefoon", "contact_note": "Gebeld."},
        page=case_url(ref),
    )
    assert r.status_code == 302, r.get_data(as_text=True)
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        other = add_pupil("Sem", "Brouwer", "900002", group="5b")
        add_pupil("Jesse", "Kramer", "900003", prefix="", group="6b")
        case = Case.get(Case.reference == ref)
        case.school = school()
        link(case, child, actor("contactpersoon"), "slachtoffer")
        link(case, other, actor("contactpersoon"), "veroorzaker")
        note_name(case, "Noor El Idrissi", "getuige")
        child_id = child.id
    post(
        cp,
        f"{case_url(ref)}/notitie",
        {"text": "GEHEIMNOTITIE: Sem Brouwer pest Fenna al maanden, zegt juf."},
        page=case_url(ref),
    )
    post(
        cp,
        f"{case_url(ref)}/notitie",
        {
            "text": "Wij spraken met Sem en met Jesse Kramer; ook Noor zag het.\n"
            "Fenna krijgt nu hulp op het plein.",
            "to_submitter": "y",
        },
        page=case_url(ref),
    )
    follow_add(client, ref, code, "Vandaag deed Sem Brouwer het weer. Groet, Wilhelmina Klaagster")
    # The letter to the complainant names her: made, but left out by default.
    r = post(cp, f"{case_url(ref)}/brief/klachten.ontvangstbevestiging", page=case_url(ref))
    assert r.status_code in (200, 302), r.status_code

    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    assert decide(directie, request_id).status_code == 302
    html = preview(directie, request_id)
    shown = flat(html.split("Zo ziet de export eruit", 1)[1])
    assert "Fenna Willemsen" in shown and "900001" in shown and ref in shown
    assert "krijgt nu hulp op het plein" in shown and "[afgeschermd]" in shown
    for absent in ("Sem", "Brouwer", "Jesse Kramer", "Noor", "El Idrissi", "GEHEIMNOTITIE", "Klaagster"):
        assert absent not in shown, absent
    assert "klaagster@voorbeeld.nl" not in html and "Wilhelmina" not in html

    r = produce(directie, request_id, html)
    assert r.status_code == 302, r.get_data(as_text=True)
    row, files, text = exported(app, request_id)
    text = flat(text)
    assert "Fenna Willemsen" in text and ref in text and "krijgt nu hulp op het plein" in text
    # Signed with the signer's function (the letter kit).
    assert "Met vriendelijke groet, Ruben Hoekstra directeur, De Klaverweide" in text
    for absent in (
        "Sem",
        "Brouwer",
        "Jesse",
        "Kramer",
        "Noor",
        "Idrissi",
        "GEHEIMNOTITIE",
        "Wilhelmina",
        "Klaagster",
    ):
        assert absent not in text, absent
    assert "klaagster@voorbeeld.nl" not in text
    # Stored as a versioned document with its sha256, the PDF's own hash beside it.
    assert row.version == 1 and row.sha256 == hashlib.sha256(bytes(row.content)).hexdigest()
    assert row.pdf_sha256 == hashlib.sha256(files["inzage.pdf"]).hexdigest()
    # The letter addressed to the complainant is listed, not attached.
    assert list(files) == ["inzage.pdf"]
    assert "Ontvangstbevestiging" in text and "gericht aan de indiener" in text
    # Producing it is audited, naming the child.
    assert ("inzage.export", f"verzoek {request_id} v1: 1 zaken, 0 brieven") in audit_actions(app, child_id)


def test_letters_go_in_the_zip_and_staff_choose_which(app, client):
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        case = make_case("Testzaak over Fenna")
        link(case, child, actor("directie"))
        child_id, ref = child.id, case.reference
    directie = as_role(app, "directie")
    for _ in range(2):  # two versions of the same letter
        r = post(directie, f"{case_url(ref)}/brief/testzaak.brief", page=case_url(ref))
        assert r.status_code in (200, 302)
    request_id = new_request(directie, child_id)
    decide(directie, request_id)
    assert produce(directie, request_id).status_code == 302
    _row, files, text = exported(app, request_id)
    with db_ctx(app):
        docs = list(CaseDocument.select().where(CaseDocument.case == case.id).order_by(CaseDocument.id))
    names = sorted(f"brieven/{d.filename}" for d in docs)
    assert sorted(files) == sorted(["inzage.pdf", *names])
    assert all(files[f"brieven/{d.filename}"] == bytes(d.content) for d in docs)
    assert all(name in flat(text) for name in names)

    # Leave the first letter out: audited, listed as left out, not in the next ZIP.
    html = preview(directie, request_id)
    r = directie.post(
        f"{BASE}/{request_id}/brieven", data={"csrf_token": csrf_from(html), "brief": [str(docs[1].id)]}
    )
    assert r.status_code == 302
    assert ("inzage.letter", f"{ref} brief {docs[0].id}: niet mee") in audit_actions(app, child_id)
    assert produce(directie, request_id).status_code == 302
    row, files, text = exported(app, request_id)
    assert row.version == 2 and sorted(files) == sorted(["inzage.pdf", f"brieven/{docs[1].filename}"])
    assert "weggelaten door de school" in flat(text)


def test_the_access_log_says_who_saw_the_childs_records(app):
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        case = make_case("Testzaak")
        link(case, child, actor("ib"))
        child_id, ref = child.id, case.reference
    ib = as_role(app, "ib")
    assert ib.get(case_url(ref)).status_code == 200
    assert ib.get(f"/klaverweide/leerlingen/{child_id}").status_code == 200
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    decide(directie, request_id)
    shown = words(preview(directie, request_id).split("Wie heeft de gegevens", 1)[1])
    with db_ctx(app):
        from .core_helpers import user

        ib_name, directie_name = user("ib").name, user("directie").name
    assert f"{ib_name} Intern begeleider Zaak bekeken ({ref})" in shown
    assert f"{ib_name} Intern begeleider Overzicht van alle zaken bekeken" in shown
    assert f"{directie_name} Directie Inzageverzoek vastgelegd" in shown
    assert "Leerling aan een zaak gekoppeld" in shown
    # The export ends where the preview began: the preview itself is not in it.
    assert "Voorbeeld van de inzage bekeken" not in shown
    assert produce(directie, request_id).status_code == 302
    _row, _files, text = exported(app, request_id)
    assert f"{ib_name}" in text and "Zaak bekeken" in text


def test_the_export_is_made_only_from_what_the_preview_showed(app):
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        case = make_case("Testzaak")
        link(case, child, actor("directie"))
        child_id = child.id
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    # No decision yet: no export.
    html = preview(directie, request_id)
    assert 'name="fingerprint"' not in html and "Leg eerst" in html
    decide(directie, request_id, "gedeeltelijk", "De notities over de thuissituatie blijven buiten.")
    html = preview(directie, request_id)
    with db_ctx(app):
        fresh = Case.get_by_id(case.id)
        fresh.school = school()
        engine.add_note(fresh, actor("directie"), "Nieuw bericht aan de ouder.", visible_to_submitter=True)
    r = produce(directie, request_id, html)
    assert r.status_code == 422 and "veranderd sinds het voorbeeld" in r.get_data(as_text=True)
    # A forged moment or none at all is refused too.
    for moment in ("", "morgen", (datetime.datetime.now() + datetime.timedelta(days=2)).isoformat()):
        r = directie.post(
            f"{BASE}/{request_id}/maken",
            data={"csrf_token": csrf_from(html), "as_of": moment, "fingerprint": hidden(html, "fingerprint")},
        )
        assert r.status_code == 422, moment
    with db_ctx(app):
        assert not InzageExport.select().exists()
    r = produce(directie, request_id)  # a fresh preview
    assert r.status_code == 302
    _row, _files, text = exported(app, request_id)
    text = flat(text)
    assert "Nieuw bericht aan de ouder." in text
    assert (
        "Inzage gedeeltelijk gegeven" in text and "De notities over de thuissituatie blijven buiten." in text
    )


def test_a_case_type_left_out_by_default_goes_along_only_when_the_directie_includes_it(app):
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        here = school()
        secret = engine.create_case(here, "geheim.zaak", "Zorg thuis", actor("ib"))
        engine.add_event(secret, "message", actor("ib"), "GEHEIME TEKST", visible_to_submitter=True)
        link(secret, child, actor("ib"))
        plain = make_case("Gewone zaak")
        link(plain, child, actor("directie"))
        RolePermission.create(school=here, permission="portal.inzage", role="ib", granted=True)
        child_id, secret_id, secret_ref = child.id, secret.id, secret.reference
    ib = as_role(app, "ib")
    assert ib.get(case_url(secret_ref)).status_code == 200  # a row about the secret case in the log
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    decide(directie, request_id)

    html = preview(directie, request_id)
    content = html.split("Zo ziet de export eruit", 1)[1]
    assert f'name="zaak" value="{secret_id}"' in html  # a checkbox for the directie
    assert secret_ref not in content and "GEHEIME TEKST" not in content
    assert produce(directie, request_id, html).status_code == 302
    _row, _files, text = exported(app, request_id)
    assert secret_ref not in text and "GEHEIME TEKST" not in text and "Geheime zaak" not in text

    # The IB holds portal.inzage here, not portal.inzage_include: no checkbox, and a post is refused.
    html = preview(ib, request_id)
    assert 'name="zaak"' not in html and "Alleen de directie" in html
    r = ib.post(f"{BASE}/{request_id}/zaken", data={"csrf_token": csrf_from(html), "zaak": str(secret_id)})
    assert r.status_code == 403
    with db_ctx(app):
        assert not InzageChoice.select().exists()

    html = preview(directie, request_id)
    r = directie.post(
        f"{BASE}/{request_id}/zaken", data={"csrf_token": csrf_from(html), "zaak": str(secret_id)}
    )
    assert r.status_code == 302
    assert ("inzage.include", f"{secret_ref}: meegegeven") in audit_actions(app, child_id)
    content = preview(directie, request_id).split("Zo ziet de export eruit", 1)[1]
    assert secret_ref in content and "GEHEIME TEKST" in content
    assert produce(directie, request_id).status_code == 302
    _row, _files, text = exported(app, request_id)
    assert "GEHEIME TEKST" in text and f"Zaak bekeken ({secret_ref})" in flat(text)

    # And out again (ticked off): audited too.
    r = directie.post(f"{BASE}/{request_id}/zaken", data={"csrf_token": csrf_from(html)})
    assert r.status_code == 302
    assert ("inzage.include", f"{secret_ref}: weggelaten") in audit_actions(app, child_id)


def test_who_may_not_see_every_case_about_the_child_makes_no_export(app):
    with db_ctx(app):
        child = add_pupil("Fenna", "Willemsen", "900001")
        here = school()
        case = engine.create_case(
            here, "testzaak.zaak", "VERTROUWELIJK ONDERWERP", actor("directie"), confidential=True
        )
        link(case, child, actor("directie"))
        RolePermission.create(school=here, permission="portal.inzage", role="ib", granted=True)
        child_id = child.id
    ib = as_role(app, "ib")
    request_id = new_request(ib, child_id)
    decide(ib, request_id)
    html = preview(ib, request_id)
    assert "die u niet mag inzien" in html and "VERTROUWELIJK" not in html and "Zo ziet de export" not in html
    r = ib.post(
        f"{BASE}/{request_id}/maken",
        data={
            "csrf_token": csrf_from(html),
            "as_of": datetime.datetime.now().isoformat(),
            "fingerprint": "x",
        },
    )
    assert r.status_code == 422 and "niet mag inzien" in r.get_data(as_text=True)
    with db_ctx(app):
        assert not InzageExport.select().exists()
    directie = as_role(app, "directie")
    assert "VERTROUWELIJK ONDERWERP" in preview(directie, request_id)


# ------------------------------------------------------------ the request ----


def test_the_deadline_is_one_month_and_can_be_extended_once_with_a_reason(app):
    with db_ctx(app):
        child_id = add_pupil("Fenna", "Willemsen", "900001").id
    directie = as_role(app, "directie")
    received = dutch_today() - datetime.timedelta(days=3)
    request_id = new_request(directie, child_id, received)
    with db_ctx(app):
        row = InzageRequest.get_by_id(request_id)
        assert row.deadline == inzage.add_months(received, 1) and row.requester_name == "Anna Willemsen"
    page = f"{BASE}/{request_id}"
    assert "Uiterlijk verzenden" in directie.get(page).get_data(as_text=True)

    r = post(directie, f"{page}/verlengen", {"months": "2", "reason": ""}, page=page)
    assert r.status_code == 422 and "Vul de reden in" in r.get_data(as_text=True)
    r = post(directie, f"{page}/verlengen", {"months": "3", "reason": "Veel dossiers"}, page=page)
    assert r.status_code == 422 and "Veel dossiers" in r.get_data(as_text=True)  # kept as typed
    r = post(
        directie, f"{page}/verlengen", {"months": "2", "reason": "Veel dossiers te doorzoeken"}, page=page
    )
    assert r.status_code == 302
    with db_ctx(app):
        row = InzageRequest.get_by_id(request_id)
        assert row.deadline == inzage.add_months(received, 3) and row.extended_months == 2
        assert row.extension_reason == "Veel dossiers te doorzoeken"
    # Art. 12(3): two months at most, so one extension.
    r = post(directie, f"{page}/verlengen", {"months": "1", "reason": "Nog meer"}, page=page)
    assert r.status_code == 422 and "al verlengd" in r.get_data(as_text=True)
    assert ("inzage.extend", f"verzoek {request_id}: +2 mnd") in audit_actions(app, child_id)


def test_an_extension_after_the_first_month_is_refused(app):
    with db_ctx(app):
        child_id = add_pupil("Fenna", "Willemsen", "900001").id
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id, dutch_today() - datetime.timedelta(days=40))
    page = f"{BASE}/{request_id}"
    html = directie.get(page).get_data(as_text=True)
    assert "te laat" in html and "Termijn verlengen" not in html
    r = post(directie, f"{page}/verlengen", {"months": "1", "reason": "Te laat bedacht"}, page=page)
    assert r.status_code == 422 and "eerste termijn van een maand is al verstreken" in r.get_data(
        as_text=True
    )
    with db_ctx(app):
        assert InzageRequest.get_by_id(request_id).extended_months == 0


def test_months_are_counted_to_the_last_day_of_a_shorter_month():
    assert inzage.add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert inzage.add_months(datetime.date(2028, 1, 31), 1) == datetime.date(2028, 2, 29)
    assert inzage.add_months(datetime.date(2026, 11, 30), 3) == datetime.date(2027, 2, 28)
    assert inzage.add_months(datetime.date(2026, 12, 7), 1) == datetime.date(2027, 1, 7)
    assert inzage.deadline_for(datetime.date(2027, 1, 31), 2) == datetime.date(2027, 4, 30)


def test_a_new_request_with_bad_input_keeps_what_was_typed(app):
    with db_ctx(app):
        child_id = add_pupil("Fenna", "Willemsen", "900001").id
    directie = as_role(app, "directie")
    url = f"{BASE}/leerling/{child_id}"
    tomorrow = (dutch_today() + datetime.timedelta(days=1)).isoformat()
    r = post(
        directie,
        url,
        {"requester_name": "Anna Willemsen", "relation": "buurman", "received_on": tomorrow},
        page=url,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and 'value="Anna Willemsen"' in html
    assert "Deze datum ligt in de toekomst." in html and "Kies een van de mogelijkheden." in html
    r = post(
        directie, url, {"requester_name": "", "relation": "ouder", "received_on": "31-02-2026"}, page=url
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "Vul de naam in" in html and "Vul een geldige datum in" in html
    with db_ctx(app):
        assert not InzageRequest.select().exists()


def test_decision_reasons_and_sending_follow_the_rules(app):
    with db_ctx(app):
        child_id = add_pupil("Fenna", "Willemsen", "900001").id
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    page = f"{BASE}/{request_id}"
    sent = {"sent_on": dutch_today().isoformat()}
    r = post(directie, f"{page}/verzonden", sent, page=page)
    assert r.status_code == 422 and "Leg eerst het besluit vast." in r.get_data(as_text=True)
    # Art. 12(4): a refusal, in whole or in part, gives its reasons.
    for decision in ("gedeeltelijk", "geweigerd"):
        r = decide(directie, request_id, decision, "")
        assert r.status_code == 422 and "Geef de redenen" in r.get_data(as_text=True)
    assert decide(directie, request_id, "volledig").status_code == 302
    r = post(directie, f"{page}/verzonden", sent, page=page)
    assert r.status_code == 422 and "Maak eerst de export" in r.get_data(as_text=True)
    assert decide(directie, request_id, "geweigerd", "Het belang van het kind gaat voor.").status_code == 302
    assert post(directie, f"{page}/verzonden", sent, page=page).status_code == 302
    with db_ctx(app):
        row = InzageRequest.get_by_id(request_id)
        assert row.sent_on == dutch_today() and row.decision == "geweigerd"
    # Done: nothing changes any more.
    r = decide(directie, request_id, "volledig")
    assert r.status_code == 422 and "afgehandeld" in r.get_data(as_text=True)
    actions = [a for a, _ in audit_actions(app, child_id)]
    assert actions.count("inzage.decide") == 2 and "inzage.sent" in actions and "inzage.request" in actions


def test_pages_are_audited_and_only_for_who_holds_the_permission(app):
    with db_ctx(app):
        child_id = add_pupil("Fenna", "Willemsen", "900001").id
        assert roles_for_permission("portal.inzage", school()) == {"directie"}
        assert roles_for_permission("portal.inzage_include", school()) == {"directie"}
    directie = as_role(app, "directie")
    request_id = new_request(directie, child_id)
    decide(directie, request_id)
    produce(directie, request_id)
    with db_ctx(app):
        export_id = InzageExport.get().id
    urls = [
        f"{BASE}/",
        f"{BASE}/leerling/{child_id}",
        f"{BASE}/{request_id}",
        f"{BASE}/{request_id}/voorbeeld",
        f"{BASE}/{request_id}/export/{export_id}",
    ]
    for role in ("leerkracht", "ib", "contactpersoon", "bestuur", "beheerder"):
        other = as_role(app, role)
        for url in urls:
            assert other.get(url).status_code in (403, 404), (role, url)
    before = len(audit_actions(app, child_id))
    for url in urls:
        r = directie.get(url)
        assert r.status_code == 200, url
    r = directie.get(urls[-1])
    assert r.headers["Content-Type"] == "application/zip" and r.headers["Cache-Control"] == "no-store"
    assert "attachment" in r.headers["Content-Disposition"]
    seen = [a for a, _ in audit_actions(app, child_id)[before:]]
    assert seen == [
        "inzage.view",
        "inzage.request.view",
        "inzage.preview",
        "inzage.download",
        "inzage.download",
    ]
    # Another school's request or pupil is a 404.
    assert directie.get(f"{BASE}/{request_id + 1000}").status_code == 404
    assert directie.get(f"{BASE}/leerling/{child_id + 100000}").status_code == 404
    # The chronology links here for who may.
    assert "Inzageverzoeken (AVG)" in directie.get(f"/klaverweide/leerlingen/{child_id}").get_data(
        as_text=True
    )
    assert "Inzageverzoeken (AVG)" not in as_role(app, "ib").get(
        f"/klaverweide/leerlingen/{child_id}"
    ).get_data(as_text=True)


def test_redaction_matches_whole_words_any_case_and_accents():
    redact = redaction.Redactor({"Zoë van der Meer", "Zoë", "Meer", "Sem"})
    assert redact("zoe VAN DER meer en Sem") == "[afgeschermd] en [afgeschermd]"
    assert redact("Semmy en Zoëlla meerderen") == "Semmy en Zoëlla meerderen"
    assert redact("İlse, Zoë!") == "İlse, [afgeschermd]!"
    assert redaction.Redactor(set())("tekst") == "tekst"
    assert redaction.typed_terms("Noor (fictief), groep 5") >= {"Noor"}
    assert "groep" not in redaction.typed_terms("Noor groep 5")
