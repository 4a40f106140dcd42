"""The letter kit (issue 14, item 4): words for numbers up to twenty, the salutation, the date
line's place without postcode, the signer's function, the board's name from the school's
data, the vertrouwenspersoon and the klachtencommissie with their contact details or the
letter refused (its Dutch reason, nothing archived), and the demo still makes every letter
it offers."""

import io
import re

import pytest
from pypdf import PdfReader

from portal import api
from portal import documents
from portal import letters
from portal.dates import nl_date
from portal.dates import today
from portal.db import database
from portal.models import Case
from portal.models import CaseDocument
from portal.models import School
from portal.models import User
from portal.registry import get_registry
from portal.settings import set_setting
from portal.testing import db_session

from .conftest import post
from .test_klachten import as_role
from .test_klachten import submitted

BASE = "/klaverweide"


def test_numbers_up_to_twenty_in_words():
    assert [letters.words(n) for n in (0, 1, 4, 6, 12, 20, 21, 100)] == [
        "nul",
        "een",
        "vier",
        "zes",
        "twaalf",
        "twintig",
        "21",
        "100",
    ]


def test_the_salutation():
    assert letters.salutation("mevrouw", "Çelik") == "Geachte mevrouw Çelik,"
    assert letters.salutation("heer", "de Vries") == "Geachte heer De Vries,"
    assert letters.salutation("", "Çelik") == "Geachte ouder/verzorger,"
    assert letters.salutation() == "Geachte ouder/verzorger,"


def test_the_place_of_the_date_line_has_no_postcode():
    assert letters.place(School(city="Almere", address="Klaverweg 12")) == "Almere"
    assert letters.place(School(city="", address="Klaverweg 12, 1300 AA Almere")) == "Almere"
    assert letters.place(School(city="1300AA Almere")) == "Almere"


def test_the_signer_has_a_function(app):
    with db_session(app):
        school = School.get(School.slug == "klaverweide")
        signers = {
            email: letters.signer(User.get(User.email == email), school)
            for email in ("directie@klaverweide.demo", "bestuur@asg.demo", "contactpersoon@klaverweide.demo")
        }
    assert signers["directie@klaverweide.demo"] == letters.Signer("Ruben Hoekstra", "directeur")
    assert signers["bestuur@asg.demo"] == letters.Signer("Ingrid Verbeek", "bestuurder")
    assert signers["contactpersoon@klaverweide.demo"].function == "contactpersoon"


def pdf(row):
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(bytes(row.content))).pages)
    return re.sub(r"\s+", " ", text)


def docs(ref):
    database.connect(reuse_if_open=True)
    case = Case.get(Case.reference == ref)
    return list(CaseDocument.select().where(CaseDocument.case == case.id).order_by(CaseDocument.id))


def test_the_complaint_letter_names_the_board_and_reaches_the_vertrouwenspersoon(app, client, monkeypatch):
    ref, _ = submitted(client)
    cp = as_role(app, "contactpersoon")
    page = f"{BASE}/zaken/{ref}"
    r = post(cp, f"{page}/brief/klachten.ontvangstbevestiging", {}, page=page)
    assert r.status_code == 302
    [row] = docs(ref)
    text = pdf(row)
    for fact in (
        f"Almere, {nl_date(today())}",
        "Geachte ouder/verzorger,",
        "College van Bestuur van Almeerse Scholen Groep (ASG)",
        # The register's vertrouwenspersoon, with phone and address.
        "Anouk Meijer (Vertrouwenspersonen Flevoland (demo)), 036 000 2201, vertrouwenspersoon@partners.demo",
        "contactpersoon, De Klaverweide",
    ):
        assert fact in text, fact
    # Nobody in the register and no setting: refused with its reason, nothing archived.
    monkeypatch.setattr(letters, "contact_reach", lambda school, role: "")
    with db_session(app):
        set_setting(School.get(School.slug == "klaverweide"), "klachten.vertrouwenspersoon", "")
    r = post(cp, f"{page}/brief/klachten.ontvangstbevestiging", {}, page=page)
    assert r.status_code == 302
    assert letters.VERTROUWENSPERSOON_MISSING in cp.get(page).get_data(as_text=True)
    assert len(docs(ref)) == 1
    assert letters.VERTROUWENSPERSOON_MISSING.startswith(
        "Deze brief kan nog niet worden gemaakt: de brief noemt de externe vertrouwenspersoon, maar "
        "diens naam en bereikbaarheid (telefoon of e-mail) zijn niet bekend. Zet de "
        "vertrouwenspersoon in het register ‘Wie doet wat’, of vul bij Beheer, ‘Schoolgegevens en "
        "instellingen’ het veld ‘Klachten: externe vertrouwenspersoon (naam en bereikbaarheid)’ in."
    )


def test_the_klachtencommissie_and_the_board_are_required(app):
    with db_session(app), app.test_request_context(f"{BASE}/"):
        school = School.get(School.slug == "klaverweide")
        set_setting(school, "portal.klachtencommissie", "")
        with pytest.raises(letters.LetterRefused) as refused:
            letters.klachtencommissie(school)
        assert refused.value.reason == (
            "Deze brief kan nog niet worden gemaakt: ‘Klachtencommissie waarbij het bestuur is "
            "aangesloten’ is niet ingevuld. Vul dit in bij Beheer, ‘Schoolgegevens en "
            "instellingen’ (/klaverweide/beheer/school): de naam van de klachtencommissie met haar "
            "postadres, telefoonnummer en e-mailadres (bijvoorbeeld: Landelijke Klachtencommissie "
            "Onderwijs, Postbus 85191, 3508 AD Utrecht, 030 280 9590, info@onderwijsgeschillen.nl)."
        )
        school.board_name = ""
        with pytest.raises(letters.LetterRefused) as refused:
            letters.board(school)
        assert "de naam van het bestuur (het bevoegd gezag) ontbreekt" in refused.value.reason


def test_no_board_name_written_into_a_letter_template():
    """The board's name comes from the school's data: no letter template writes one in."""
    import pathlib

    root = pathlib.Path(__file__).resolve().parent.parent
    found = [
        str(p.relative_to(root))
        for p in [
            *root.glob("portal/templates/letters/*.html"),
            *root.glob("plugins/*/templates/*/letters/*.html"),
        ]
        if "Almeerse Scholen Groep" in p.read_text() and "_(" not in p.read_text()
    ]
    assert found == []


def test_the_demo_makes_every_letter_it_offers(app):
    """Every letter that a demo case offers to someone is made: no setting of the demo is
    missing (the objection address, the klachtencommissie, the vertrouwenspersoon)."""
    made = set()
    with app.test_request_context(f"{BASE}/"):
        database.connect(reuse_if_open=True)
        users = [api.acting_user(u) for u in User.select()]
        for case in Case.select().order_by(Case.id):
            names = {d.name for u in users for d in documents.offered(case, u)}
            for name in sorted(names):
                documents.produce(case, name, users[0])
                made.add(name)
        assert len(made) >= 3, made
        assert set(get_registry().documents) >= made
