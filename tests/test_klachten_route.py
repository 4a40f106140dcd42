"""The complaint route after the school (issue 14 item 5): a formal complaint needs a known
complainant; the College van Bestuur and the klachtencommissie are two bodies with a letter
each; the parent reads that they may go to the klachtencommissie directly; after a formal
referral the bestuur records received, hearing, decision and closing, and the afsluitbrief
invites no complaint that was already made. Letters are read from their PDF."""

import html

import pytest

from portal.models import Case
from portal.models import CaseDocument
from portal.models import Outbox

from .core_helpers import db_ctx
from .test_klachten import as_role
from .test_klachten import case_url
from .test_klachten import follow
from .test_klachten import pdf_text
from .test_klachten import post
from .test_klachten import step
from .test_klachten import submit
from .test_klachten import submitted
from .test_klachten import take
from .test_klachten import today

LKC = "Landelijke Klachtencommissie Onderwijs, Postbus 85191, 3508 AD Utrecht"  # the demo's setting
ANONYMOUS = (
    "Een anonieme klacht kan niet als formele klacht worden doorverwezen naar {body}: de "
    "klachtencommissie behandelt alleen een klacht van een klager die bekend is (naam en "
    "bereikbaarheid, volgens de klachtenregeling). Vul de naam van de klager in als die zich "
    "bekend heeft gemaakt, of verwijs door naar de externe vertrouwenspersoon."
)


@pytest.fixture
def app_config(app_config):
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


def refer(client, ref, to, **extra):
    data = {
        "refer_to": to,
        "refer_consent": "y",
        "refer_consent_on": today(),
        "refer_summary": "Samenvatting voor de doorverwijzing.",
        **extra,
    }
    return step(client, ref, "klachten.doorverwijzen", data)


def letter(app, client, ref, name):
    r = post(client, f"{case_url(ref)}/brief/{name}", page=case_url(ref))
    assert r.status_code == 302, (name, r.status_code)
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        doc = (
            CaseDocument.select()
            .where((CaseDocument.case == case.id) & (CaseDocument.name == name))
            .order_by(CaseDocument.version.desc())
            .get()
        )
        return " ".join(pdf_text(bytes(doc.content)).split())


def snapshot(app, ref):
    from plugins.klachten.models import Klacht

    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        k = Klacht.get(Klacht.case == case.id)
        return (case.state, case.confidential, k.referral_to, k.contact_name, Outbox.select().count())


@pytest.mark.parametrize(
    "to, body", [("klachtencommissie", "de klachtencommissie"), ("cvb", "het College van Bestuur van de ASG")]
)
def test_an_anonymous_complaint_is_no_formal_complaint(app, client, to, body):
    ref, _ = submitted(client, contact_name="", contact_email="", contact_phone="")
    cp = as_role(app, "contactpersoon")
    take(cp, ref)
    before = snapshot(app, ref)
    r = refer(cp, ref, to)
    assert r.status_code == 422
    assert ANONYMOUS.format(body=body) in html.unescape(r.get_data(as_text=True))
    assert snapshot(app, ref) == before  # nothing changed, nobody mailed
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 404
    # To the vertrouwenspersoon it may go without a name.
    assert refer(cp, ref, "vertrouwenspersoon").status_code == 302


def test_a_complainant_who_made_themselves_known_may_go_to_the_commission(app, client):
    ref, _ = submitted(client, contact_name="", contact_email="", contact_phone="")
    cp = as_role(app, "contactpersoon")
    take(cp, ref)
    assert refer(cp, ref, "klachtencommissie", refer_name="J. Jansen").status_code == 302
    assert snapshot(app, ref)[2:4] == ("klachtencommissie", "J. Jansen")


def test_two_bodies_two_letters(app, client):
    cp = as_role(app, "contactpersoon")
    ref, _ = submitted(client)
    take(cp, ref)
    assert refer(cp, ref, "klachtencommissie").status_code == 302
    page = cp.get(case_url(ref)).get_data(as_text=True)
    assert "Doorverwijzing naar de klachtencommissie" in page
    assert "Doorverwijzing naar het College van Bestuur" not in page
    # The other body's letter is not offered for this referral.
    assert post(cp, f"{case_url(ref)}/brief/klachten.doorverwijzing", page=case_url(ref)).status_code == 302
    assert "nu niet worden gemaakt" in cp.get(case_url(ref)).get_data(as_text=True)
    text = letter(app, cp, ref, "klachten.klachtencommissie")
    assert "Aan de klachtencommissie " + LKC in text
    assert "Doorverwijzing van klacht " + ref + " naar de klachtencommissie" in text
    assert "twee afzonderlijke instanties; deze brief is voor de klachtencommissie" in text
    assert "De klager is Ouder Test." in text and "Samenvatting voor de doorverwijzing." in text

    other, _ = submitted(client)
    take(cp, other)
    assert refer(cp, other, "cvb").status_code == 302
    r = post(cp, f"{case_url(other)}/brief/klachten.klachtencommissie", page=case_url(other))
    assert r.status_code == 302 and "nu niet worden gemaakt" in cp.get(case_url(other)).get_data(as_text=True)
    text = letter(app, cp, other, "klachten.doorverwijzing")
    assert "Aan het College van Bestuur van Almeerse Scholen Groep (ASG)" in text
    assert "t.a.v. de klachtencommissie" not in text
    assert "deze brief is voor het College van Bestuur" in text
    assert "ook zelf voorleggen aan de klachtencommissie: " + LKC in text


def test_the_parent_reads_they_may_go_to_the_commission_directly(app, client):
    cp = as_role(app, "contactpersoon")
    ref, _ = submitted(client)
    take(cp, ref)
    text = letter(app, cp, ref, "klachten.ontvangstbevestiging")
    assert (
        "U mag uw klacht ook rechtstreeks indienen bij de klachtencommissie, zonder eerst deze stappen "
        "op school te doorlopen: " + LKC in text
    )
    # The school's own commission, from its setting.
    from portal.models import School
    from portal.settings import set_setting

    with db_ctx(app):
        set_setting(
            School.get(School.slug == "klaverweide"),
            "portal.klachtencommissie",
            "Klachtencommissie X, Almere",
        )
    assert (
        "klachtencommissie, zonder eerst deze stappen op school te doorlopen: Klachtencommissie X, Almere."
        in letter(app, cp, ref, "klachten.ontvangstbevestiging")
    )
    # Closed without a referral: the afsluitbrief names both ways to a formal complaint.
    step(cp, ref, "klachten.afronden", {"close_outcome": "opgelost", "close_summary": "Opgelost."})
    text = letter(app, cp, ref, "klachten.afsluitbrief")
    assert "officiële klacht indienen bij het College van Bestuur" in text
    assert "of rechtstreeks bij de klachtencommissie: Klachtencommissie X, Almere." in text


def test_after_a_referral_the_bestuur_takes_its_steps_and_the_closing_letter_invites_nothing_again(
    app, client
):
    cp = as_role(app, "contactpersoon")
    ref, code = submitted(client)
    take(cp, ref)
    assert refer(cp, ref, "cvb").status_code == 302
    board = as_role(app, "bestuur")
    page = board.get(case_url(ref)).get_data(as_text=True)
    assert "Bestuur: klacht ontvangen" in page
    # The bestuur's steps are the bestuur's: not the contactpersoon's.
    r = step(cp, ref, "klachten.bestuur_ontvangen", {"board_received_on": today()})
    assert r.status_code == 422 and "U mag de stap ‘Bestuur: klacht ontvangen’ niet zetten." in r.get_data(
        as_text=True
    )
    assert step(board, ref, "klachten.bestuur_ontvangen", {"board_received_on": today()}).status_code == 302
    r = step(board, ref, "klachten.hoorzitting", {"hearing_on": today()})
    assert r.status_code == 422 and "Schrijf kort op wat er is besproken." in r.get_data(as_text=True)
    assert (
        step(
            board,
            ref,
            "klachten.hoorzitting",
            {"hearing_on": today(), "hearing_notes": "Beide partijen gehoord."},
        ).status_code
        == 302
    )
    r = step(board, ref, "klachten.beslissing", {"decision_on": today(), "decision_summary": "x"})
    assert r.status_code == 422 and "Kies de beslissing." in r.get_data(as_text=True)
    assert (
        step(
            board,
            ref,
            "klachten.beslissing",
            {
                "decision": "deels",
                "decision_on": today(),
                "decision_summary": "De pleinwacht wordt uitgebreid.",
            },
        ).status_code
        == 302
    )
    # The parent follows it: the bestuur's state, with its text, nothing of the decision itself.
    status = html.unescape(follow(client, ref, code).get_data(as_text=True))
    assert "Beslissing genomen" in status
    assert (
        "Uw klacht wordt behandeld door het bestuur of de klachtencommissie, volgens de klachtenregeling."
        in status
    )
    assert "De pleinwacht wordt uitgebreid." not in status and "Beide partijen gehoord." not in status
    assert (
        step(
            board, ref, "klachten.bestuur_afronden", {"board_close_summary": "Afgerond na beslissing."}
        ).status_code
        == 302
    )
    with db_ctx(app):
        case = Case.get(Case.reference == ref)
        assert case.state == "afgerond" and case.closed_at is not None
    page = html.unescape(cp.get(case_url(ref)).get_data(as_text=True))
    assert "Beide partijen gehoord." in page and "Deels gegrond" in page
    text = letter(app, cp, ref, "klachten.afsluitbrief")
    assert "als formele klacht doorverwezen naar het College van Bestuur van de ASG" in text
    assert "is over uw klacht beslist: deels gegrond. De pleinwacht wordt uitgebreid." in text
    assert "officiële klacht indienen" not in text and "rechtstreeks bij de klachtencommissie" not in text


def test_the_bestuur_takes_no_steps_on_a_referral_to_the_vertrouwenspersoon(app, client):
    cp = as_role(app, "contactpersoon")
    ref, _ = submitted(client)
    take(cp, ref)
    assert refer(cp, ref, "vertrouwenspersoon").status_code == 302
    # It stays confidential: the bestuur does not even see it.
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 404


def test_the_letters_address_the_parent_as_they_asked(app, client):
    """'Geachte mevrouw Çelik,' when the parent gave a form of address and a surname, else
    'Geachte ouder/verzorger,'; a form of address that is none is refused in Dutch."""
    cp = as_role(app, "contactpersoon")
    asked, _ = submitted(client, contact_title="mevrouw", contact_surname="Çelik")
    take(cp, asked)
    text = letter(app, cp, asked, "klachten.ontvangstbevestiging")
    assert "Geachte mevrouw Çelik," in text and "ouder/verzorger" not in text
    plain, _ = submitted(client, contact_title="heer")  # no surname: no name to address
    take(cp, plain)
    assert "Geachte ouder/verzorger," in letter(app, cp, plain, "klachten.ontvangstbevestiging")
    r = submit(client, contact_title="dokter", contact_surname="Çelik")
    assert r.status_code == 422 and "Kies een van de mogelijkheden." in r.get_data(as_text=True)
    assert "Çelik" in r.get_data(as_text=True)  # what was typed is kept


def test_without_the_boards_name_the_parent_reads_the_school_board_never_the_schools_name(app, client):
    """The College van Bestuur is the board's, not the school's: while the school has not
    filled in its board's name, the parent's page says "het schoolbestuur" (in the parent's
    language), and the set-up checklist asks for the name."""
    from portal.models import School

    with db_ctx(app):
        School.update(board_name="").where(School.slug == "klaverweide").execute()
    page = html.unescape(client.get("/klaverweide/klachten/indienen").get_data(as_text=True))
    assert "College van Bestuur van het schoolbestuur" in page
    assert "College van Bestuur van De Klaverweide" not in page
    page = html.unescape(client.get("/klaverweide/klachten/indienen?taal=en").get_data(as_text=True))
    assert "the school board" in page
