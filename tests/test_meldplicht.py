"""Plugin meldplicht: the meld- en aangifteplicht for a possible sexual offence by someone who
works at the school (WPO art. 4a). Reported from a staff member's menu, from any complaint,
incident or trauma case, or started by the complaint itself; the bestuur informed at once and
seeing it whoever handles the complaint; the steps, each refusal in Dutch changing nothing;
closing only when every step is recorded or answered no with a reason; access."""

import html
import re

import pytest

from portal.dates import nl_date
from portal.dates import today as dutch_today
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseExclusion
from portal.models import CaseLink
from portal.models import Outbox
from portal.models import User

from .conftest import get_csrf
from .conftest import login
from .conftest import post
from .core_helpers import db_ctx

START = "/klaverweide/meldplicht/melden"
LABEL = "Mogelijk zedendelict door een medewerker of vrijwilliger"
MZ_RE = re.compile(r"(MZ-\d{4}-\d{4})")


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("meldplicht", "klachten", "trauma")}


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def case_url(ref):
    return f"/klaverweide/zaken/{ref}"


def today():
    return dutch_today().isoformat()


def step(client, ref, name, data=None):
    return post(client, f"{case_url(ref)}/stap/{name}", data or {}, page=case_url(ref))


def text(response):
    return html.unescape(response.get_data(as_text=True))


REPORT = {
    "person_name": "Kees Overblijf",
    "person_function": "overblijfvader",
    "what": "Een leerling uit groep 4 vertelde dat de overblijfvader haar heeft betast.",
}


def report(client, origin=None, **extra):
    page = f"{START}?vanuit={origin}" if origin else START
    data = {**REPORT, **extra, "csrf_token": get_csrf(client, page)}
    if origin:
        data["vanuit"] = origin
    return client.post(START, data=data)


def reported(client, origin=None, **extra):
    r = report(client, origin, **extra)
    assert r.status_code == 302, r.get_data(as_text=True)
    return MZ_RE.search(r.headers["Location"]).group(1)


def route(app, ref):
    from plugins.meldplicht.models import Melding

    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        return case, Melding.get(Melding.case == case.id)


def routes_count():
    return Case.select().where(Case.case_type == "meldplicht.melding").count()


def board_mails(app, ref):
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        return list(Outbox.select().where(Outbox.case == case.id).order_by(Outbox.id))


# --------------------------------------------------------------- the start ----


def test_any_staff_member_reports_to_the_board_from_the_menu(app):
    support = as_role(app, "ondersteunend")
    dash = support.get("/klaverweide/").get_data(as_text=True)
    assert LABEL in dash and f'href="{START}"' in dash
    ref = reported(support)
    case, melding = route(app, ref)
    # Recorded with who and when; the person concerned by name and function, no account needed.
    with db_ctx(app):
        reporter = User.get(User.email == "ondersteunend@klaverweide.demo")
    assert melding.reported_by == reporter.name and case.created_by_id == reporter.id
    assert (melding.person_name, melding.person_function) == ("Kees Overblijf", "overblijfvader")
    assert case.confidential and case.state == "gemeld"
    # The board informed at once: a mail without details, the date on the route.
    assert melding.board_informed_on == dutch_today()
    mails = board_mails(app, ref)
    to = {m.to for m in mails}
    assert "bestuur@asg.demo" in to and "directie@klaverweide.demo" in to
    for m in mails:
        assert "Kees" not in m.body and "betast" not in m.body and ref in m.body
    # The bestuur and the directie see it; the reporter keeps sight of it; others do not.
    for role in ("bestuur", "directie", "ondersteunend"):
        assert as_role(app, role).get(case_url(ref)).status_code == 200, role
    for role in ("contactpersoon", "leerkracht", "ib", "aandachtsfunctionaris", "beheerder"):
        assert as_role(app, role).get(case_url(ref)).status_code == 404, role
    page = text(as_role(app, "bestuur").get(case_url(ref)))
    assert "Kees Overblijf (overblijfvader)" in page and f"{reporter.name}," in page
    assert "WPO art. 4a" in page


def test_an_empty_report_is_refused_in_dutch_and_creates_nothing(app):
    teacher = as_role(app, "leerkracht")
    with db_ctx(app):
        mails, routes = Outbox.select().count(), routes_count()
    r = teacher.post(START, data={"csrf_token": get_csrf(teacher, START), "what": "Iets gezien."})
    assert r.status_code == 422
    page = text(r)
    assert "Vul de naam in van de persoon om wie het gaat." in page
    assert "Vul de functie of rol in, bijvoorbeeld overblijfouder, stagiair of leerkracht." in page
    assert "Iets gezien." in page  # nothing lost
    with db_ctx(app):
        assert (Outbox.select().count(), routes_count()) == (mails, routes)


def test_the_person_concerned_with_an_account_never_sees_it_nor_gets_the_mail(app):
    teacher = as_role(app, "leerkracht")
    with db_ctx(app):
        director = User.get(User.email == "directie@klaverweide.demo")
    ref = reported(
        teacher, person_name=director.name, person_function="directeur", person_account=str(director.id)
    )
    assert as_role(app, "directie").get(case_url(ref)).status_code == 404
    assert "directie@klaverweide.demo" not in {m.to for m in board_mails(app, ref)}
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 200
    # Only staff of the school can be chosen.
    with db_ctx(app):
        board = User.get(User.email == "bestuur@asg.demo")
    r = report(teacher, person_account=str(board.id))
    assert r.status_code == 422 and "Kies een van de mogelijkheden." in text(r)


# -------------------------------------------------------------- the steps ----


def closing_refusal(missing):
    return (
        "De meldroute kan nog niet worden afgesloten (WPO art. 4a). Nog vast te leggen: "
        + "; ".join(missing)
        + "."
    )


def test_closing_is_refused_until_every_step_is_recorded_and_refusals_change_nothing(app):
    ref = reported(as_role(app, "leerkracht"))
    board = as_role(app, "bestuur")

    def refused(name, data, reason):
        before = route(app, ref)
        r = step(board, ref, name, data)
        assert r.status_code == 422, name
        assert reason in text(r), text(r)
        after = route(app, ref)
        assert after[0].state == before[0].state and after[1].__data__ == before[1].__data__

    close = {"closing_summary": "Klaar."}
    refused(
        "meldplicht.afsluiten",
        close,
        closing_refusal(
            [
                "het overleg met de vertrouwensinspecteur (of waarom het niet plaatsvond)",
                "het besluit of er een redelijk vermoeden is",
            ]
        ),
    )
    # Each answer needs its facts: a date and the advice, or the reason.
    refused("meldplicht.overleg", {"consulted": "ja"}, "Vul de datum van het overleg in.")
    refused(
        "meldplicht.overleg",
        {"consulted": "ja", "consulted_on": today()},
        "Vul het advies van de vertrouwensinspecteur in.",
    )
    refused(
        "meldplicht.overleg",
        {"consulted": "nee"},
        "Schrijf op waarom de vertrouwensinspecteur niet is geraadpleegd.",
    )
    refused("meldplicht.overleg", {}, "Kies of de vertrouwensinspecteur is geraadpleegd.")
    assert (
        step(
            board,
            ref,
            "meldplicht.overleg",
            {"consulted": "ja", "consulted_on": today(), "consult_advice": "Er is een redelijk vermoeden."},
        ).status_code
        == 302
    )
    assert (
        step(
            board,
            ref,
            "meldplicht.vermoeden",
            {"decided_on": today(), "decision_reason": "Advies inspecteur gevolgd."},
        ).status_code
        == 302
    )
    refused(
        "meldplicht.afsluiten",
        close,
        closing_refusal(
            [
                "het vooraf informeren van de ouders (of waarom niet)",
                "het vooraf informeren van de betrokken persoon (of waarom niet)",
                "de aangifte met het kenmerk van de politie (of waarom er geen aangifte is gedaan)",
            ]
        ),
    )
    # The aangifte waits until the parents and the person concerned were informed.
    aangifte = {"aangifte": "ja", "aangifte_on": today(), "police_reference": "PL0900-2026-123456"}
    refused(
        "meldplicht.aangifte",
        aangifte,
        "Leg eerst vast dat de ouders en de betrokken persoon vooraf zijn geïnformeerd, of waarom niet: "
        "vóór de aangifte worden de ouders en de betrokken persoon ingelicht (WPO art. 4a).",
    )
    assert (
        step(board, ref, "meldplicht.ouders", {"informed": "ja", "informed_on": today()}).status_code == 302
    )
    refused(
        "meldplicht.aangifte",
        aangifte,
        "Leg eerst vast dat de betrokken persoon vooraf is geïnformeerd, of waarom niet: "
        "vóór de aangifte worden de ouders en de betrokken persoon ingelicht (WPO art. 4a).",
    )
    refused("meldplicht.betrokkene", {"informed": "nee"}, "Schrijf op waarom niet vooraf is geïnformeerd.")
    assert (
        step(board, ref, "meldplicht.betrokkene", {"informed": "ja", "informed_on": today()}).status_code
        == 302
    )
    # Informed after the aangifte is no "beforehand".
    yesterday = dutch_today().fromordinal(dutch_today().toordinal() - 1).isoformat()
    refused(
        "meldplicht.aangifte",
        {**aangifte, "aangifte_on": yesterday},
        "De ouders zijn geïnformeerd op",
    )
    refused(
        "meldplicht.aangifte",
        {"aangifte": "ja", "aangifte_on": today()},
        "Vul het kenmerk van de politie in.",
    )
    assert step(board, ref, "meldplicht.aangifte", aangifte).status_code == 302
    assert step(board, ref, "meldplicht.afsluiten", close).status_code == 302
    case, melding = route(app, ref)
    assert case.closed_at is not None and melding.police_reference == "PL0900-2026-123456"
    assert (melding.parents_informed, melding.person_informed, melding.aangifte) == ("ja", "ja", "ja")
    assert melding.consult_advice == "Er is een redelijk vermoeden." and melding.suspicion == "ja"


def test_no_reasonable_suspicion_closes_after_the_decision_and_a_no_needs_its_reason(app):
    ref = reported(as_role(app, "leerkracht"))
    director = as_role(app, "directie")
    assert (
        step(
            director,
            ref,
            "meldplicht.overleg",
            {"consulted": "nee", "consult_reason": "Inspecteur onbereikbaar; later gebeld."},
        ).status_code
        == 302
    )
    r = step(director, ref, "meldplicht.geen_vermoeden", {"decided_on": today()})
    assert r.status_code == 422 and "Schrijf de motivering van het besluit op." in text(r)
    assert (
        step(
            director,
            ref,
            "meldplicht.geen_vermoeden",
            {"decided_on": today(), "decision_reason": "Verhaal klopt niet."},
        ).status_code
        == 302
    )
    # No aangifte without a suspicion.
    r = step(director, ref, "meldplicht.aangifte", {"aangifte": "nee", "aangifte_reason": "x"})
    assert r.status_code == 422
    assert (
        step(director, ref, "meldplicht.afsluiten", {"closing_summary": "Geen vermoeden."}).status_code == 302
    )
    _case, melding = route(app, ref)
    assert (melding.consulted, melding.consult_reason, melding.suspicion) == (
        "nee",
        "Inspecteur onbereikbaar; later gebeld.",
        "nee",
    )


def test_only_the_bestuur_and_the_directie_take_steps(app):
    teacher = as_role(app, "leerkracht")
    ref = reported(teacher)
    r = step(teacher, ref, "meldplicht.overleg", {"consulted": "nee", "consult_reason": "x"})
    assert r.status_code in (403, 422)
    assert route(app, ref)[0].state == "gemeld"


# ------------------------------------------------ from other cases ----


def complaint(client, **extra):
    from .test_klachten import submitted

    return submitted(client, **extra)[0]


def test_whoever_is_shut_out_of_the_complaint_is_shut_out_of_the_route_before_the_mail(app, client):
    kl = complaint(client, category="anders", staff_named="meneer Hoekstra")  # the directeur
    cp = as_role(app, "contactpersoon")
    ref = reported(cp, origin=kl, person_name="onbekend", person_function="medewerker")
    assert as_role(app, "directie").get(case_url(ref)).status_code == 404
    assert "directie@klaverweide.demo" not in {m.to for m in board_mails(app, ref)}
    assert "bestuur@asg.demo" in {m.to for m in board_mails(app, ref)}


def test_started_from_a_complaint_of_any_category_the_bestuur_sees_it_at_once(app, client):
    # "Een overblijfmoeder heeft mijn dochter betast", filed as aggression.
    kl = complaint(
        client, category="agressie", what_happened="Een overblijfmoeder heeft mijn dochter betast."
    )
    cp = as_role(app, "contactpersoon")
    page = cp.get(case_url(kl)).get_data(as_text=True)
    assert LABEL in page and f'href="{START}?vanuit={kl}"' in page
    form = cp.get(f"{START}?vanuit={kl}").get_data(as_text=True)
    assert f"Naar aanleiding van {kl}" in form
    ref = reported(
        cp, origin=kl, person_name="Overblijfmoeder (naam onbekend)", person_function="overblijfouder"
    )
    with db_ctx(app):
        link = CaseLink.get(CaseLink.follow_up == Case.get(Case.reference == ref).id)
        assert link.case.reference == kl
    board = as_role(app, "bestuur")
    # The complaint stays the contactpersoon's (confidential); the route is the bestuur's at once.
    assert board.get(case_url(kl)).status_code == 404
    assert board.get(case_url(ref)).status_code == 200
    assert kl not in board.get(case_url(ref)).get_data(as_text=True)
    # Both sides show the link to whoever sees both.
    assert f'Vervolg: <a href="/klaverweide/zaken/{ref}">{ref}</a>' in cp.get(case_url(kl)).get_data(
        as_text=True
    )
    assert f'Gestart vanuit: <a href="/klaverweide/zaken/{kl}">{kl}</a>' in cp.get(case_url(ref)).get_data(
        as_text=True
    )


def test_a_staff_member_linked_without_the_flag_can_still_start_the_route(app, client):
    kl = complaint(client, category="medewerker")
    cp = as_role(app, "contactpersoon")
    with db_ctx(app):
        teacher = User.get(User.email == "leerkracht@klaverweide.demo")
    r = post(cp, f"/klaverweide/klachten/{kl}/medewerker", {"staff": str(teacher.id)}, page=case_url(kl))
    assert r.status_code == 302
    page = cp.get(case_url(kl)).get_data(as_text=True)
    assert "Koppelen en uitsluiten" not in page  # the link form is gone, the route is not
    assert f'href="{START}?vanuit={kl}"' in page
    ref = reported(
        cp, origin=kl, person_name=teacher.name, person_function="leerkracht", person_account=str(teacher.id)
    )
    assert as_role(app, "leerkracht").get(case_url(ref)).status_code == 404


def test_a_sexual_complaint_about_staff_starts_the_route_itself(app, client):
    kl = complaint(client, category="seksueel", staff_named="meneer Hoekstra", contact_email="")
    with db_ctx(app):
        first = Case.get(Case.reference == kl)
        link = CaseLink.get(CaseLink.case == first.id)
        ref = link.follow_up.reference
        # The complaint's own checklist item of before is not added: the route holds the duty.
        assert not CaseChecklistItem.select().where(CaseChecklistItem.name == "klachten.meldplicht").exists()
        director = User.get(User.email == "directie@klaverweide.demo")  # Ruben Hoekstra
        assert (
            CaseExclusion.select()
            .where((CaseExclusion.case == link.follow_up_id) & (CaseExclusion.user == director.id))
            .exists()
        )
    case, melding = route(app, ref)
    assert (
        melding.person_name == "meneer Hoekstra"
        and melding.reported_by == f"Klachtformulier (ouder), via klacht {kl}"
    )
    assert melding.board_informed_on == dutch_today() and case.created_by_id is None
    assert "bestuur@asg.demo" in {m.to for m in board_mails(app, ref)}
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 200
    assert as_role(app, "directie").get(case_url(ref)).status_code == 404  # the one named
    # Shut out before the mail went: the one named does not hear that a report exists.
    assert "directie@klaverweide.demo" not in {m.to for m in board_mails(app, ref)}
    # Linking with the flag later adds no second route.
    cp = as_role(app, "contactpersoon")
    with db_ctx(app):
        routes = routes_count()
    post(
        cp,
        f"/klaverweide/klachten/{kl}/medewerker",
        {"staff": str(director.id), "sexual": "1"},
        page=case_url(kl),
    )
    with db_ctx(app):
        assert routes_count() == routes


def test_started_from_a_trauma_case(app):
    from .test_trauma import reference_of
    from .test_trauma import report as trauma_report

    teacher = as_role(app, "leerkracht")
    tr = reference_of(trauma_report(teacher))
    page = teacher.get(case_url(tr)).get_data(as_text=True)
    assert f'href="{START}?vanuit={tr}"' in page
    ref = reported(teacher, origin=tr)
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 200


def test_every_route_of_the_plugin_with_every_role(app):
    from portal.testing import access_problems

    ref = reported(as_role(app, "leerkracht"))
    assert access_problems(app, {"reference": ref}, blueprint="meldplicht") == []


def test_without_a_bestuur_address_the_date_is_asked_before_closing(app):
    with db_ctx(app):
        User.update(active=False).where(User.email == "bestuur@asg.demo").execute()
    ref = reported(as_role(app, "leerkracht"))
    _case, melding = route(app, ref)
    assert melding.board_informed_on is None
    director = as_role(app, "directie")
    assert "geen account met een e-mailadres voor het bestuur" in text(director.get(case_url(ref)))
    r = step(director, ref, "meldplicht.afsluiten", {"closing_summary": "x"})
    assert r.status_code == 422
    assert "Nog vast te leggen: de datum waarop het bestuur is geïnformeerd;" in text(r)
    assert step(director, ref, "meldplicht.bestuur", {"board_informed_on": today()}).status_code == 302
    r = step(director, ref, "meldplicht.bestuur", {"board_informed_on": today()})
    assert r.status_code == 422
    assert f"Het bestuur is al geïnformeerd op {nl_date(dutch_today())}." in text(r)
    assert route(app, ref)[1].board_informed_on == dutch_today()


def test_the_route_follows_complaints_incidents_expulsions_and_trauma_only():
    from plugins.meldplicht.workflow import TYPE
    from portal.cases.links import follows

    for name in (
        "klachten.klacht",
        "schorsing.schorsing",
        "schorsing.verwijdering",
        "incidenten.incident",
        "incidenten.ingrijpen",
        "trauma.gebeurtenis",
    ):
        assert follows(TYPE, name), name
    assert not follows(TYPE, "organisatie.evaluatie") and not follows(TYPE, "meldcode.zorg")


def test_the_bestuur_dashboard_shows_open_reports_in_red(app):
    with db_ctx(app):  # the demo's report closed: nothing open
        Case.update(closed_at=Case.created_at, state="afgesloten").where(
            Case.case_type == "meldplicht.melding"
        ).execute()
    board = as_role(app, "bestuur")
    assert "Meldplicht zedendelicten: open meldingen" not in board.get("/klaverweide/").get_data(as_text=True)
    reported(as_role(app, "ondersteunend"))
    dash = board.get("/klaverweide/").get_data(as_text=True)
    assert "Meldplicht zedendelicten: open meldingen" in dash


def test_a_complaint_flagged_before_the_route_keeps_its_duty_and_can_start_the_route(app, client):
    """A complaint flagged under the old behaviour (the flag and the required checklist item,
    without a route) stays as it was: the banner, the item that keeps it from closing, and the
    route can still be started from it; flagging again starts nothing."""
    from plugins.klachten import sensitive
    from plugins.klachten.models import Klacht
    from portal.cases import engine

    kl = complaint(client, category="medewerker")
    with db_ctx(app):
        case = Case.get(Case.reference == kl)
        Klacht.update(sexual_by_staff=True).where(Klacht.case == case.id).execute()
        engine.add_checklist_item(case, sensitive.DUTY_ITEM, sensitive.DUTY_LABEL, required=True)
    cp = as_role(app, "contactpersoon")
    page = text(cp.get(case_url(kl)))
    assert "Meldplicht." in page and sensitive.DUTY_LABEL in page
    assert f'href="{START}?vanuit={kl}"' in page
    r = step(cp, kl, "klachten.afronden", {"close_outcome": "opgelost", "close_summary": "x"})
    assert r.status_code == 422 and "Nog af te vinken" in text(r)
    with db_ctx(app):
        teacher = User.get(User.email == "leerkracht@klaverweide.demo")
        routes = routes_count()
    post(
        cp,
        f"/klaverweide/klachten/{kl}/medewerker",
        {"staff": str(teacher.id), "sexual": "1"},
        page=case_url(kl),
    )
    with db_ctx(app):
        assert routes_count() == routes
    ref = reported(cp, origin=kl)
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 200
