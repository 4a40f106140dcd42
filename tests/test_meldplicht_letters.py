"""The two letters before the aangifte and the yearly figures of the meldplicht route (WPO
art. 4a): the parents and the person concerned are informed before the bevoegd gezag reports
to the police; the letters confirm it in writing, each without what the other party must not
read (the parents: no name of the person; the person: no child's name), and are offered only
after the decision that there is a redelijk vermoeden. The figures are counts only."""

import io

from pypdf import PdfReader

from portal.dates import school_year_of
from portal.dates import today as dutch_today
from portal.models import Case
from portal.models import CaseDocument
from portal.models import Pupil
from portal.models import School
from portal.testing import actor

from .conftest import post
from .core_helpers import db_ctx
from .test_meldplicht import REPORT
from .test_meldplicht import app_config  # noqa: F401 - the plugins of these tests
from .test_meldplicht import as_role
from .test_meldplicht import case_url
from .test_meldplicht import reported
from .test_meldplicht import step
from .test_meldplicht import today

PUPIL_NUMBER = "100003"  # Ilse Koster, groep 1/2a
PUPIL = "Ilse Koster"
BOARD = "Almeerse Scholen Groep (ASG)"


def pupil_id(app):
    with db_ctx(app):
        return Pupil.get(Pupil.las_number == PUPIL_NUMBER).id


def decided(app, suspicion="vermoeden"):
    ref = reported(as_role(app, "leerkracht"), pupil=str(pupil_id(app)))
    board = as_role(app, "bestuur")
    consult = {"consulted": "ja", "consulted_on": today(), "consult_advice": "Redelijk vermoeden."}
    assert step(board, ref, "meldplicht.overleg", consult).status_code == 302
    decision = {"decided_on": today(), "decision_reason": "Advies gevolgd."}
    assert step(board, ref, f"meldplicht.{suspicion}", decision).status_code == 302
    return ref, board


def letter(app, client, ref, name):
    r = post(client, f"{case_url(ref)}/brief/{name}", {}, page=case_url(ref))
    assert r.status_code == 302
    with db_ctx(app):
        doc = (
            CaseDocument.select()
            .join(Case)
            .where((Case.reference == ref) & (CaseDocument.name == name))
            .get()
        )
    pdf = client.get(f"{case_url(ref)}/document/{doc.id}")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).split())


def test_both_letters_after_the_decision_each_without_the_other_partys_name(app):
    ref, board = decided(app)
    page = board.get(case_url(ref)).get_data(as_text=True)
    assert "Maak: Kennisgeving aan de ouders vóór de aangifte" in page
    assert "Maak: Kennisgeving aan de betrokken persoon vóór de aangifte" in page
    assert (
        step(board, ref, "meldplicht.ouders", {"informed": "ja", "informed_on": today()}).status_code == 302
    )

    parents = letter(app, board, ref, "meldplicht.ouders")
    assert f"Aan de ouders/verzorgers van {PUPIL}" in parents
    assert f"verteld, doet het bevoegd gezag van de school, {BOARD}, aangifte bij de politie" in parents
    assert "artikel 4a van de Wet op het primair onderwijs" in parents
    assert "(overblijfvader)" in parents and REPORT["person_name"] not in parents
    assert "Zoals wij u op" in parents and "Meldpunt vertrouwensinspecteurs, 0900 111 3 111" in parents
    assert "Namens het bevoegd gezag, " + BOARD in parents

    person = letter(app, board, ref, "meldplicht.betrokkene")
    assert f"Aan {REPORT['person_name']}" in person and "kennisgeving van aangifte" in person
    assert "Een aangifte is geen oordeel over schuld" in person
    assert PUPIL not in person and "Ilse" not in person


def test_no_letter_without_a_reasonable_suspicion_and_none_without_the_boards_name(app):
    ref, board = decided(app, "geen_vermoeden")
    page = board.get(case_url(ref)).get_data(as_text=True)
    assert "Kennisgeving aan de ouders" not in page and "Kennisgeving aan de betrokken persoon" not in page

    ref, board = decided(app)
    with db_ctx(app):
        School.update(board_name="").where(School.slug == "klaverweide").execute()
    r = post(board, f"{case_url(ref)}/brief/meldplicht.ouders", {}, page=case_url(ref))
    assert r.status_code == 302
    r = board.get(case_url(ref))
    assert "de naam van het bestuur (het bevoegd gezag) ontbreekt" in r.get_data(as_text=True)
    with db_ctx(app):
        assert not CaseDocument.select().join(Case).where(Case.reference == ref).exists()


def test_yearly_figures_count_the_outcomes_and_hide_small_numbers_across_schools(app):
    from plugins.meldplicht import reports

    def counted():
        with db_ctx(app):
            school = School.get(School.slug == "klaverweide")
            year = school_year_of(dutch_today())
            exact = {f.name: f for f in reports.figures(school, year, actor("directie"))}
            return exact["meldplicht.meldingen"].value, dict(exact["meldplicht.meldingen"].rows), exact

    before, rows_before, _ = counted()  # the demo's reports of this school year
    reported_ref, board = decided(app)
    for name in ("meldplicht.ouders", "meldplicht.betrokkene"):
        assert step(board, reported_ref, name, {"informed": "ja", "informed_on": today()}).status_code == 302
    aangifte = {"aangifte": "ja", "aangifte_on": today(), "police_reference": "PL0900-2026-1"}
    assert step(board, reported_ref, "meldplicht.aangifte", aangifte).status_code == 302
    decided(app, "geen_vermoeden")
    reported(as_role(app, "leerkracht"))

    total, rows, exact = counted()
    assert total == before + 3
    assert {label: n - rows_before[label] for label, n in rows.items()} == {
        "Nog in behandeling": 1,
        "Geen redelijk vermoeden": 1,
        "Redelijk vermoeden: aangifte gedaan": 1,
        "Redelijk vermoeden: geen aangifte (met de reden vastgelegd)": 0,
    }
    with db_ctx(app):
        year = school_year_of(dutch_today())
        across = {f.name: f for f in reports.figures(None, year, None)}
    assert exact["meldplicht.overleg"].value >= 2
    assert across["meldplicht.meldingen"].value == "minder dan 5"
    assert all(v == "minder dan 5" for _, v in across["meldplicht.meldingen"].rows)
    report = as_role(app, "directie").get(f"/klaverweide/jaarcijfers/?jaar={year}").get_data(as_text=True)
    assert "Meldplicht zedendelicten: meldingen aan het bestuur" in report
    assert REPORT["person_name"] not in report and PUPIL not in report
