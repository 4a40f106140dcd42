"""Expulsion with its objection phase (issue 14, item 3): the objection period of six
calendar weeks as a deadline counted the way the law counts (Awb art. 6:7, 6:8, Algemene
termijnenwet), the bezwaar recorded, the parents heard on it (Awb art. 7:2), the board's
decision within four weeks after the period (WPO art. 63) with its letter; no closing
before the period passed or the bezwaar is decided; letters for the bevoegd gezag by name
with the hearings, the Geschillencommissie passend onderwijs and the full objection clause;
the notices to the inspectie and the leerplichtambtenaar as letters. Each refusal with its
exact Dutch reason, and nothing changed."""

import datetime
import re

import pytest

from plugins.schorsing.models import Objection
from portal import api
from portal import dates
from portal.db import database
from portal.models import Case
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import School
from portal.schoolcalendar import term_end
from portal.testing import db_session

from .conftest import login
from .conftest import post
from .test_schorsing import BASE
from .test_schorsing import pdf_text
from .test_schorsing import pupil_id
from .test_schorsing import step
from .test_schorsing import the_day  # noqa: F401 - today is Wednesday 11 March 2026


@pytest.fixture
def boss(app):
    client = app.test_client()
    login(client, "directie")
    return client


@pytest.fixture
def board(app):
    client = app.test_client()
    login(client, "bestuur")
    return client


def ok(r):
    assert r.status_code == 302, r.get_data(as_text=True)


def expelled(boss, board, decided_on="2026-04-01"):
    """An expulsion route taken to the board's decision; returns its reference."""
    start = f"{BASE}/schorsing/verwijdering/nieuw"
    data = {"pupil_name": pupil_id(), "pupil_group": "5b", "grounds": "Herhaald ernstig geweld."}
    r = post(boss, start, data, page=start)
    ok(r)
    ref = re.search(r"(VRW-\d{4}-\d{4})", r.headers["Location"]).group(1)
    ok(step(board, ref, "schorsing.v_voornemen", {"intent_on": "2026-03-20", "intent_text": "Veiligheid."}))
    ok(
        step(
            boss,
            ref,
            "schorsing.v_horen_leerkracht",
            {"held_on": "2026-03-23", "summary": "De groepsleraar beschrijft drie vechtpartijen."},
        )
    )
    ok(
        step(
            boss,
            ref,
            "schorsing.v_horen_ouders",
            {"held_on": "2026-03-26", "summary": "De ouders vinden verwijdering te zwaar."},
        )
    )
    ok(
        step(
            boss,
            ref,
            "schorsing.v_school",
            {"school_name": "Basisschool De Wilg", "approached_on": "2026-03-27", "outcome": "geaccepteerd"},
        )
    )
    ok(step(board, ref, "schorsing.v_besluit", {"decided_on": decided_on, "effective_on": "2026-04-20"}))
    return ref


def case_of(ref):
    database.connect(reuse_if_open=True)
    return Case.get(Case.reference == ref)


def deadline(ref, name):
    return CaseDeadline.get_or_none((CaseDeadline.case == case_of(ref).id) & (CaseDeadline.name == name))


OBJECTION = {"received_on": "2026-04-10", "grounds": "Er is onvoldoende geprobeerd met extra begeleiding."}


# ------------------------------------------------------ counting the term ----


def test_six_weeks_counted_as_the_law_counts():
    # The day after the decision is the first day (Awb art. 6:8): the same weekday six weeks on.
    assert term_end(datetime.date(2026, 4, 1), 6) == datetime.date(2026, 5, 13)
    # Ending on Hemelvaartsdag (14 May 2026): the next day (Algemene termijnenwet art. 1).
    assert term_end(datetime.date(2026, 4, 2), 6) == datetime.date(2026, 5, 15)
    # Ending on Saturday 25 April 2026: Monday is Koningsdag, so Tuesday 28 April.
    assert term_end(datetime.date(2026, 3, 14), 6) == datetime.date(2026, 4, 28)
    # 5 May counts every year, not only in lustrum years.
    assert term_end(datetime.date(2026, 3, 24), 6) == datetime.date(2026, 5, 6)
    # School vacations do not count: calendar weeks (a May vacation day is a normal day).
    assert term_end(datetime.date(2026, 3, 25), 4) == datetime.date(2026, 4, 22)


def test_the_decision_starts_the_objection_period_as_a_deadline(boss, board):
    ref = expelled(boss, board, decided_on="2026-04-02")
    d = deadline(ref, "schorsing.v_bezwaartermijn")
    assert d.due_date == datetime.date(2026, 5, 15) and d.met_at is None
    html = boss.get(f"{BASE}/zaken/{ref}").get_data(as_text=True)
    assert "tot en met vrijdag 15 mei 2026 (zes weken na het besluit)" in html


# ------------------------------------------------------------- refusals ----


def test_a_bezwaar_before_the_decision_is_refused(boss, board):
    ref = expelled(boss, board)
    r = step(boss, ref, "schorsing.v_bezwaar", {**OBJECTION, "received_on": "2026-03-31"})
    assert r.status_code == 422
    assert (
        "Een bezwaar kan niet vóór het besluit zijn ontvangen: het besluit tot verwijdering is van "
        "1 april 2026." in r.get_data(as_text=True)
    )
    assert case_of(ref).state == "besloten"
    assert not Objection.select().where(Objection.case == case_of(ref).id).exists()


def test_no_closing_within_the_objection_period(boss, board, monkeypatch):
    ref = expelled(boss, board)
    for item in ("schorsing.v_brief", "schorsing.v_inspectie", "schorsing.v_leerplicht"):
        database.connect(reuse_if_open=True)
        from portal.models import CaseChecklistItem

        row = CaseChecklistItem.get(
            (CaseChecklistItem.case == case_of(ref).id) & (CaseChecklistItem.name == item)
        )
        page = f"{BASE}/zaken/{ref}"
        ok(post(boss, f"{page}/checklist/{row.id}", {"done_on": "2026-04-02"}, page=page))
    monkeypatch.setattr(api, "today", lambda: datetime.date(2026, 5, 13))  # the last day
    r = step(boss, ref, "schorsing.v_afsluiten", {})
    assert r.status_code == 422
    assert (
        "De bezwaartermijn loopt nog tot en met woensdag 13 mei 2026: de zaak kan pas daarna "
        "worden afgesloten, of zodra op een bezwaar is beslist." in r.get_data(as_text=True)
    )
    assert case_of(ref).state == "besloten"
    monkeypatch.setattr(api, "today", lambda: datetime.date(2026, 5, 14))
    ok(step(boss, ref, "schorsing.v_afsluiten", {}))
    assert case_of(ref).state == "afgesloten"


def test_the_board_decides_only_after_hearing_the_parents(boss, board):
    ref = expelled(boss, board)
    ok(step(boss, ref, "schorsing.v_bezwaar", OBJECTION))
    assert case_of(ref).state == "bezwaar"
    # The bezwaar meets the objection period; the board's four weeks start from its end.
    assert deadline(ref, "schorsing.v_bezwaartermijn").met_at is not None
    assert deadline(ref, "schorsing.v_beslistermijn").due_date == datetime.date(2026, 6, 10)
    decision = {"decided_on": "2026-04-20", "outcome": "ongegrond", "motivation": "Zorgvuldig afgewogen."}
    r = step(board, ref, "schorsing.v_beslissing_bezwaar", decision)
    assert r.status_code == 422
    assert (
        "Het bevoegd gezag beslist pas op het bezwaar nadat de ouders erover zijn gehoord (Awb art. "
        "7:2). Leg eerst het gesprek vast met de stap ‘Ouders gehoord over het bezwaar’."
        in r.get_data(as_text=True)
    )
    r = step(boss, ref, "schorsing.v_bezwaar_horen", {"held_on": "2026-04-09", "summary": "Te vroeg."})
    assert r.status_code == 422
    assert "Deze datum ligt vóór de ontvangst van het bezwaar (10 april 2026)." in r.get_data(as_text=True)
    ok(
        step(
            boss,
            ref,
            "schorsing.v_bezwaar_horen",
            {"held_on": "2026-04-15", "summary": "De ouders lichten hun bezwaar toe."},
        )
    )
    r = step(board, ref, "schorsing.v_beslissing_bezwaar", {**decision, "decided_on": "2026-04-14"})
    assert r.status_code == 422
    assert (
        "De beslissing op bezwaar kan niet vóór het horen van de ouders liggen (15 april 2026)."
        in r.get_data(as_text=True)
    )
    objection = Objection.get(Objection.case == case_of(ref).id)
    assert objection.decided_on is None and case_of(ref).state == "bezwaar"
    # The directie may not decide for the board.
    r = step(boss, ref, "schorsing.v_beslissing_bezwaar", decision)
    assert r.status_code == 422 and "U mag de stap" in r.get_data(as_text=True)
    ok(step(board, ref, "schorsing.v_beslissing_bezwaar", decision))
    assert case_of(ref).state == "bezwaar_beslist"
    assert deadline(ref, "schorsing.v_beslistermijn").met_at is not None

    letter = pdf_text(boss, ref, "schorsing.beslissing_bezwaar")
    for fact in (
        "Geachte ouder/verzorger,",
        "Op 10 april 2026 hebben wij uw bezwaarschrift ontvangen",
        "Er is onvoldoende geprobeerd met extra begeleiding.",
        "gehoord op 15 april 2026. Samenvatting: De ouders lichten hun bezwaar toe.",
        "ongegrond: het besluit tot verwijdering blijft in stand",
        "Zorgvuldig afgewogen.",
        "binnen zes weken",
        "beroep instellen bij de rechtbank",
        "voorlopige voorziening",
        "Namens het bevoegd gezag, Almeerse Scholen Groep (ASG), Ingrid Verbeek bestuurder",
    ):
        assert fact in letter, fact
    # Decided on the bezwaar: the case may close before the period would have ended.
    for item in ("schorsing.v_brief", "schorsing.v_inspectie", "schorsing.v_leerplicht"):
        from portal.models import CaseChecklistItem

        row = CaseChecklistItem.get(
            (CaseChecklistItem.case == case_of(ref).id) & (CaseChecklistItem.name == item)
        )
        page = f"{BASE}/zaken/{ref}"
        ok(post(boss, f"{page}/checklist/{row.id}", {"done_on": "2026-04-02"}, page=page))
    ok(step(boss, ref, "schorsing.v_afsluiten", {}))


# --------------------------------------------------------------- letters ----


def test_the_decision_letter_for_the_board_with_hearings_and_the_whole_clause(boss, board):
    ref = expelled(boss, board)
    letter = pdf_text(boss, ref, "schorsing.besluit_verwijdering")
    for fact in (
        "Almere, ",  # the date line: the school's place, without postcode
        "Geachte ouder/verzorger,",
        "De groepsleraar is gehoord op 23 maart 2026. Samenvatting: De groepsleraar beschrijft "
        "drie vechtpartijen.",
        "U bent als ouders/verzorgers gehoord op 26 maart 2026. Samenvatting: De ouders vinden "
        "verwijdering te zwaar.",
        "binnen zes weken na de dag waarop het aan u is bekendgemaakt (uiterlijk woensdag 13 mei 2026)",
        "bij het bevoegd gezag, Almeerse Scholen Groep (ASG)",
        "Postbus 60100, 1320 AC Almere",
        "uw naam en adres;",
        "de datum;",
        "het besluit waartegen u bezwaar maakt (het besluit tot verwijdering van Mila Kramer van "
        "1 april 2026",
        "de gronden van uw bezwaar",
        "uw handtekening.",
        "voorlopige voorziening",
        "Geschillencommissie passend onderwijs",
        "binnen vier weken na het einde van de bezwaartermijn",
        "Namens het bevoegd gezag, Almeerse Scholen Groep (ASG), Ingrid Verbeek bestuurder",
    ):
        assert fact in letter, fact
    # The date line: "Almere, 7 december 2026", the place without its postcode.
    assert f"(ASG) Almere, {dates.nl_date(dates.today())} Kenmerk: {ref}" in letter
    for name, facts in (
        (
            "schorsing.v_melding_inspectie",
            ("Inspectie van het Onderwijs", "Mila Kramer (groep 5b)", "Basisschool De Wilg"),
        ),
        ("schorsing.v_melding_leerplicht", ("leerplichtambtenaar", "Leerplichtwet", "maandag 20 april 2026")),
    ):
        text = pdf_text(boss, ref, name)
        for fact in (*facts, "Namens het bevoegd gezag, Almeerse Scholen Groep (ASG)"):
            assert fact in text, (name, fact)


def test_no_letter_without_the_objection_address_or_the_board_name(app, boss, board):
    ref = expelled(boss, board)
    with db_session(app):
        school = School.get(School.slug == "klaverweide")
        api.set_setting(school, "schorsing.bezwaar_adres", "")
    page = f"{BASE}/zaken/{ref}"
    r = post(boss, f"{page}/brief/schorsing.besluit_verwijdering", {}, page=page)
    assert r.status_code == 302
    html = boss.get(page).get_data(as_text=True)
    assert (
        "Deze brief kan nog niet worden gemaakt: ‘Adres voor bezwaar tegen schorsing of "
        "verwijdering’ is niet ingevuld. Vul dit in bij Beheer, ‘Schoolgegevens en instellingen’ "
        "(/klaverweide/beheer/school): het postadres van het bevoegd gezag waar ouders hun "
        "bezwaarschrift heen sturen (naam, straat en huisnummer, postcode en plaats)." in html
    )
    assert not CaseDocument.select().where(CaseDocument.case == case_of(ref).id).exists()
    with db_session(app):
        api.set_setting(school, "schorsing.bezwaar_adres", "Postbus 1, 1300 AA Almere")
        School.update(board_name="").where(School.id == school.id).execute()
    post(boss, f"{page}/brief/schorsing.voornemen_verwijdering", {}, page=page)
    html = boss.get(page).get_data(as_text=True)
    assert (
        "Deze brief kan nog niet worden gemaakt: de naam van het bestuur (het bevoegd gezag) "
        "ontbreekt. Vul die in bij Beheer, ‘Schoolgegevens en instellingen’, in het veld ‘Bestuur’" in html
    )
    assert not CaseDocument.select().where(CaseDocument.case == case_of(ref).id).exists()


def test_an_expulsion_revoked_on_objection_is_no_expulsion_in_the_figures(app, boss, board):
    from plugins.schorsing import reports

    ref = expelled(boss, board)

    def expulsions():
        with app.test_request_context(f"{BASE}/"):
            database.connect(reuse_if_open=True)
            school = School.get(School.slug == "klaverweide")
            return {f.name: f.value for f in reports.figures(school=school, year=2025)}[
                "schorsing.verwijderingen"
            ]

    assert expulsions() == 1
    ok(step(boss, ref, "schorsing.v_bezwaar", OBJECTION))
    ok(step(boss, ref, "schorsing.v_bezwaar_horen", {"held_on": "2026-04-15", "summary": "Toegelicht."}))
    decision = {"decided_on": "2026-04-20", "outcome": "gegrond", "motivation": "Eerst extra begeleiding."}
    ok(step(board, ref, "schorsing.v_beslissing_bezwaar", decision))
    assert expulsions() == 0
    letter = pdf_text(boss, ref, "schorsing.beslissing_bezwaar")
    assert "gegrond: het besluit tot verwijdering wordt herroepen" in letter
