"""Plugin klachten: the public form, the receipt and its code, the follow-up page, the
contactpersoon's route, sensitive complaints, letters, figures and access.
Through the Flask test client with CSRF on."""

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from portal.dates import local
from portal.dates import today as dutch_today  # the Dutch date, as the engine counts
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseChecklistItem
from portal.models import CaseDeadline
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import CaseExclusion
from portal.models import Outbox
from portal.models import School
from portal.models import User

from .conftest import csrf_from
from .conftest import login
from .conftest import post


@pytest.fixture
def app_config(app_config):
    # Only this plugin: the others are built in parallel and must not make these
    # tests pass or fail.
    return {**app_config, "PORTAL_PLUGINS": ("klachten",)}


FORM = "/klaverweide/klachten/indienen"
FOLLOW = "/klaverweide/klachten/volgen"
ADD = "/klaverweide/klachten/volgen/aanvullen"
RECEIPT_PDF = "/klaverweide/klachten/ontvangstbewijs"
LETTER = "/klaverweide/klachten/volgen/brief"
REF_RE = re.compile(r'id="referentie">(KL-\d{4}-\d{4})<')
CODE_RE = re.compile(r'id="code">([A-Z2-7 ]+)<')
NOT_FOUND = "Deze combinatie van referentie en code kennen wij niet."

COMPLAINT = {
    "category": "pesten",
    "pupil_name": "Zoë Testkind",
    "pupil_group": "5b",
    "what_happened": "Op het plein wordt mijn dochter elke pauze uitgescholden. <script>x</script>",
    "happened_when": "sinds drie weken",
    "tried_teacher": "y",
    "hoped_for": "Dat de pleinwacht ingrijpt.",
    "contact_name": "Ouder Test",
    "contact_email": "ouder@voorbeeld.nl",
    "contact_phone": "06 1234 5678",
}


# ---------------------------------------------------------------- helpers ----


def with_db(app, fn):
    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        try:
            return fn()
        finally:
            database.close()


def form_page(client, environ=None):
    html = client.get(FORM, environ_base=environ or {}).get_data(as_text=True)
    token = re.search(r'name="form_token" type="hidden" value="([^"]+)"', html)
    if token is None:
        token = re.search(r'id="form_token" name="form_token" type="hidden" value="([^"]+)"', html)
    return csrf_from(html), token.group(1)


def submit(client, environ=None, **overrides):
    """Submit the public form as a parent; returns the response."""
    csrf, token = form_page(client, environ)
    data = {**COMPLAINT, **overrides, "csrf_token": csrf, "form_token": token}
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(FORM, data=data, environ_base=environ or {})


def submitted(client, **overrides):
    """Submit and return (reference, code as shown)."""
    r = submit(client, **overrides)
    assert r.status_code == 200, r.get_data(as_text=True)
    html = r.get_data(as_text=True)
    return REF_RE.search(html).group(1), CODE_RE.search(html).group(1)


def follow(client, reference, code, url=FOLLOW, environ=None, **extra):
    csrf = csrf_from(client.get(FOLLOW, environ_base=environ or {}).get_data(as_text=True))
    return client.post(
        url,
        data={"reference": reference, "code": code, "csrf_token": csrf, **extra},
        environ_base=environ or {},
    )


def as_role(app, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    return client


def case_url(ref):
    return f"/klaverweide/zaken/{ref}"


def step(client, ref, name, data=None):
    return post(client, f"{case_url(ref)}/stap/{name}", data or {}, page=case_url(ref))


def get_case(app, ref):
    return with_db(app, lambda: Case.get(Case.reference == ref))


def pdf_text(data):
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


def today():
    return dutch_today().isoformat()


def take(client, ref):
    r = step(
        client,
        ref,
        "klachten.in_behandeling",
        {"contact_on": today(), "contact_how": "telefoon", "contact_note": "Gebeld met de moeder."},
    )
    assert r.status_code == 302, r.get_data(as_text=True)


# ------------------------------------------------------------- the form ----


def test_form_has_every_field_and_a_hidden_honeypot(client):
    r = client.get(FORM)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    for label in (
        "Agressie en geweld",
        "Seksuele intimidatie of ongewenste intimiteiten",
        "Pesten",
        "Discriminatie",
        "Een medewerker",
        "De school of de organisatie",
        "Anders",
        "Naam van de leerling",
        "Groep",
        "Wat is er gebeurd?",
        "Wanneer gebeurde het?",
        "met de leerkracht",
        "met de directie",
        "Wat hoopt u dat er gebeurt?",
        "Uw naam",
        "Uw e-mailadres",
        "Uw telefoonnummer",
        "Zonder contactgegevens kan de school u alleen antwoorden via de volgpagina",
    ):
        assert label in html, label
    hp = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'tabindex="-1"' in hp and 'autocomplete="off"' in hp and 'name="website"' in hp
    assert 'name="viewport"' in html  # phone-friendly


def test_the_parents_own_details_carry_autocomplete_tokens(client):
    """WCAG 1.3.5: a phone fills in the parent's own name, address and number."""
    html = client.get(FORM).get_data(as_text=True)
    for name, token in (("contact_name", "name"), ("contact_email", "email"), ("contact_phone", "tel")):
        tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', html).group(0)
        assert f'autocomplete="{token}"' in tag, tag
    # The child's name is not the parent's: no token that would fill in the parent's name.
    assert 'autocomplete="name"' not in re.search(r'<input[^>]*\bname="pupil_name"[^>]*>', html).group(0)


def test_submission_gives_reference_and_a_code_stored_only_as_hash(app, client):
    r = submit(client)
    assert r.status_code == 200
    assert r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    ref = REF_RE.search(html).group(1)
    shown = CODE_RE.search(html).group(1)
    assert re.fullmatch(r"KL-\d{4}-\d{4}", ref)
    groups = shown.split(" ")
    assert len(groups) == 6 and all(len(g) == 4 for g in groups)  # 24 x 5 bits = 120 bits
    code = shown.replace(" ", "")
    # The receipt's forms carry the code in POST bodies only, never in a URL.
    for url in re.findall(r'(?:href|action)="([^"]*)"', html):
        assert code not in url.replace(" ", "") and groups[0] not in url

    def check():
        case = Case.get(Case.reference == ref)
        assert case.access_code_hash.startswith("sha256$") and code not in case.access_code_hash
        assert case.confidential and case.state == "ontvangen"
        from plugins.klachten.models import Klacht

        k = Klacht.get(Klacht.case == case.id)
        assert k.pupil_name == "Zoë Testkind" and k.tried_teacher and not k.tried_directie
        # The code appears nowhere in the database, in any form.
        for model in (Case, CaseEvent, Outbox, AuditLog, Klacht):
            for row in model.select().dicts():
                blob = " ".join(str(v) for v in row.values())
                assert code not in blob and shown not in blob, model
        mails = list(Outbox.select().order_by(Outbox.id))
        parent = [m for m in mails if m.to == "ouder@voorbeeld.nl"]
        assert len(parent) == 1 and ref in parent[0].body and ref in parent[0].subject
        staff = [m for m in mails if m.to == "contactpersoon@klaverweide.demo" and ref in m.subject]
        assert len(staff) == 1
        assert "Zoë" not in staff[0].body and "plein" not in staff[0].body
        deadline = CaseDeadline.get(
            (CaseDeadline.case == case.id) & (CaseDeadline.name == "klachten.ontvangst")
        )
        from portal.schoolcalendar import SchoolCalendar

        cal = SchoolCalendar.for_school(School.get(School.slug == "klaverweide"))
        # Counted from the Dutch date (after 23:00 UTC it is already tomorrow there).
        assert deadline.due_date == cal.add_school_days(local(case.created_at).date(), 5)

    with_db(app, check)


def test_invalid_input_keeps_what_was_typed_with_errors_next_to_fields(app, client):
    r = submit(client, category=None, what_happened="", contact_email="geen-adres")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'id="category-fout"' in html and "Kies waar uw klacht over gaat." in html
    assert 'id="what_happened-fout"' in html and "Beschrijf wat er is gebeurd." in html
    assert 'id="contact_email-fout"' in html
    assert 'value="Zoë Testkind"' in html and "Dat de pleinwacht ingrijpt." in html
    assert 'value="geen-adres"' in html
    assert (
        with_db(app, lambda: Case.select().where(Case.case_type == "klachten.klacht").count()) == 4
    )  # the demo complaints only


def test_a_post_with_only_the_required_fields_is_stored_through_the_core(app, client):
    """A post without the optional fields (a script, an old page) is a complaint like any
    other: its details are empty texts, and the core's one creation path wrote it (the
    audit row ``case.create``, the first timeline entry by the parent)."""
    csrf, token = form_page(client)
    r = client.post(
        FORM, data={"category": "anders", "what_happened": "Kort.", "csrf_token": csrf, "form_token": token}
    )
    assert r.status_code == 200 and CODE_RE.search(r.get_data(as_text=True))
    ref = REF_RE.search(r.get_data(as_text=True)).group(1)

    def check():
        from plugins.klachten.models import Klacht

        case = Case.get(Case.reference == ref)
        k = Klacht.get(Klacht.case == case.id)
        assert (k.pupil_name, k.contact_email, k.staff_named, k.hoped_for) == ("", "", "", "")
        assert case.title == "Klacht: anders" and case.submitter_email == ""
        created = CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.kind == "created"))
        assert created.actor == "Indiener (ouder/verzorger)"
        assert created.text == "Klacht ingediend via het klachtformulier."
        actions = [a.action for a in AuditLog.select().where(AuditLog.case_ref == ref)]
        assert actions == ["case.create"]

    with_db(app, check)


def test_the_contactpersoon_finds_a_complaint_by_a_word_the_parent_wrote(app, client):
    """The complaint's own text is searchable (its declared ``search_columns``)."""
    ref, _ = submitted(client, what_happened="Mijn zoon wordt op de gymzaalgang uitgelachen.")
    staff = as_role(app, "contactpersoon")
    html = staff.get("/klaverweide/zaken/?open=0&q=gymzaalgang").get_data(as_text=True)
    assert ref in html
    assert ref not in staff.get("/klaverweide/zaken/?open=0&q=zwembadgang").get_data(as_text=True)


def test_nul_and_control_characters_give_a_message_not_an_error(client):
    r = submit(client, what_happened="tekst\x07met bel")
    assert r.status_code == 422
    assert "ongeldige tekens" in r.get_data(as_text=True)


def test_honeypot_keeps_the_text_and_creates_nothing(app, client):
    before = with_db(app, lambda: Case.select().count())
    r = submit(client, website="http://spam.example")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Op het plein wordt mijn dochter" in html and 'value="Zoë Testkind"' in html
    assert "spam.example" not in html
    assert with_db(app, lambda: Case.select().count()) == before
    assert with_db(app, lambda: AuditLog.select().where(AuditLog.outcome == "honeypot").count()) == 1


def test_a_resubmitted_form_does_not_make_a_second_complaint(app, client):
    csrf, token = form_page(client)
    data = {**COMPLAINT, "csrf_token": csrf, "form_token": token}
    first = client.post(FORM, data=data)
    again = client.post(FORM, data=data)
    assert first.status_code == again.status_code == 200
    ref = REF_RE.search(first.get_data(as_text=True)).group(1)
    html = again.get_data(as_text=True)
    assert "al verstuurd" in html and ref in html and not CODE_RE.search(html)
    assert with_db(app, lambda: Case.select().where(Case.case_type == "klachten.klacht").count()) == 5


@pytest.mark.parametrize("failing", ["audit", "throttle"])
def test_a_complaint_is_stored_only_with_its_receipt(app, client, monkeypatch, failing):
    """The complaint, its audit row and its count towards the throttle are one commit: when
    the last write fails (here: the database is locked) nothing is stored and the parent
    sees the Dutch 503 page; sending the same form again then stores it once and shows the
    code. Never "stored, but the parent got an error and no code"."""
    import peewee

    from portal import throttle
    from portal.cases import engine

    def locked(*args, **kw):
        raise peewee.OperationalError("database is locked")

    def count():
        return with_db(app, lambda: Case.select().where(Case.case_type == "klachten.klacht").count())

    before = count()
    csrf, token = form_page(client)
    data = {**COMPLAINT, "csrf_token": csrf, "form_token": token}
    with monkeypatch.context() as m:
        if failing == "audit":  # the case.create row, written by the core's start_case
            m.setattr(engine, "audit", locked)
        else:  # the submission's count, made in the same transaction
            m.setattr(throttle, "attempt", locked)
        refused = client.post(FORM, data=data)
    assert refused.status_code == 503
    assert "Tijdelijk niet beschikbaar" in refused.get_data(as_text=True)
    assert count() == before, "stored although the parent was told it failed"

    again = client.post(FORM, data=data)
    assert again.status_code == 200
    html = again.get_data(as_text=True)
    assert REF_RE.search(html) and CODE_RE.search(html), "the code must be shown"
    assert count() == before + 1


def test_submissions_are_limited_per_address_without_losing_the_text(app, client):
    assert submit(client).status_code == 200

    def many_more():
        # As if nine more were sent just now: ten in the window, a wait of 2**5 seconds.
        from portal import throttle
        from portal.models import LoginAttempt

        for _ in range(9):
            LoginAttempt.create(kind="klachten.indienen", key=throttle.hashed("ip:127.0.0.1"))

    with_db(app, many_more)
    r = submit(client, what_happened="Nog een klacht die bewaard moet blijven.")
    assert r.status_code == 429
    html = r.get_data(as_text=True)
    assert "Wacht ongeveer" in html and "Nog een klacht die bewaard moet blijven." in html
    # Another address is not affected.
    other = submit(client, environ={"REMOTE_ADDR": "10.1.2.3"})
    assert other.status_code == 200


def test_the_school_ceiling_asks_to_call_and_the_beheerder_can_raise_it(app, client):
    """Past the school's hourly ceiling (as if 40 complaints came in this hour, from many
    addresses) the form asks the parent to call the school and keeps what they typed; a
    higher ceiling lets the complaint through."""

    def many_this_hour():
        from portal import throttle
        from portal.models import LoginAttempt

        for _ in range(40):
            LoginAttempt.create(kind="klachten.indienen", key=throttle.hashed("school:klaverweide"))

    with_db(app, many_this_hour)
    before = with_db(app, lambda: Case.select().count())
    r = submit(client, what_happened="Dit mag niet verloren gaan.", environ={"REMOTE_ADDR": "10.4.4.4"})
    assert r.status_code == 429
    html = r.get_data(as_text=True)
    assert "Bel de school op 036 000 0000" in html and "Dit mag niet verloren gaan." in html
    assert 'value="Zoë Testkind"' in html and not CODE_RE.search(html)
    assert with_db(app, lambda: Case.select().count()) == before
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "klachten.indienen") & (AuditLog.outcome == "ceiling"))
                .count()
            ),
        )
        == 1
    )

    page = as_role(app, "beheerder").get("/klaverweide/beheer/school").get_data(as_text=True)
    assert 'name="klachten__per_uur"' in page and "klachten per uur" in page

    def raise_it():
        from portal.settings import set_setting

        set_setting(School.get(School.slug == "klaverweide"), "klachten.per_uur", 100)

    with_db(app, raise_it)
    r = submit(client, environ={"REMOTE_ADDR": "10.4.4.4"})
    assert r.status_code == 200 and CODE_RE.search(r.get_data(as_text=True))


def test_the_old_look_then_count_throttle_is_not_used(app, client, monkeypatch):
    """Submitting and following up check and count each attempt in one step
    (``throttle.attempt``): between a separate look and count, parallel attempts would all
    pass before any was counted."""
    from portal import api
    from portal import throttle

    def two_steps(*args, **kw):
        raise AssertionError("look-then-record throttle used")

    for module, names in (
        (api, ("throttle_wait", "throttle_record")),
        (throttle, ("wait_seconds", "record_failure")),
    ):
        for name in names:
            monkeypatch.setattr(module, name, two_steps)
    ref, code = submitted(client)
    assert submit(client, website="http://spam.example").status_code == 422
    assert NOT_FOUND in follow(client, ref, "AAAA BBBB CCCC DDDD EEEE FFFF").get_data(as_text=True)
    assert follow(client, ref, code).status_code == 200


def test_links_for_the_parent_come_from_the_configured_address_not_the_host(app, client):
    """The confirmation mail and the PDF receipt link to the follow-up page at PORTAL_URL
    (empty in tests: the development address), whatever Host the request named."""
    evil = {"HTTP_HOST": "evil.example"}
    r = submit(client, environ=evil)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html).group(1), CODE_RE.search(html).group(1)
    mail = with_db(app, lambda: Outbox.get(Outbox.to == "ouder@voorbeeld.nl").body)
    assert "http://127.0.0.1:5000/klaverweide/klachten/volgen" in mail and "evil" not in mail
    text = pdf_text(follow(client, ref, code, url=RECEIPT_PDF, environ=evil).data)
    assert "127.0.0.1:5000/klaverweide/klachten/volgen" in text.replace("\n", "")
    assert "evil" not in text

    app.config["PORTAL_URL"] = "https://portaal.asg.example"
    text = pdf_text(follow(client, ref, code, url=RECEIPT_PDF, environ=evil).data)
    assert "https://portaal.asg.example/klaverweide/klachten/volgen" in text.replace("\n", "")


# --------------------------------------------------------- the follow-up ----


def test_follow_up_shows_status_messages_and_not_internal_notes(app, client):
    ref, code = submitted(client)
    r = follow(client, ref, code)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    assert "Ontvangen" in html and "Uw klacht is ontvangen." in html

    cp = as_role(app, "contactpersoon")
    take(cp, ref)
    post(cp, f"{case_url(ref)}/notitie", {"text": "Interne notitie: moeder lijkt boos."}, page=case_url(ref))
    post(
        cp,
        f"{case_url(ref)}/notitie",
        {"text": "Ik bel u morgen om 10 uur.", "to_submitter": "y"},
        page=case_url(ref),
    )
    # The code may be typed in lower case and without spaces.
    html = follow(client, ref.lower(), code.replace(" ", "").lower()).get_data(as_text=True)
    assert "In behandeling" in html and "De contactpersoon behandelt uw klacht" in html
    assert "Ik bel u morgen om 10 uur." in html
    assert "Interne notitie" not in html and "Gebeld met de moeder" not in html


def test_wrong_reference_wrong_code_and_purged_case_answer_the_same(app, client):
    ref, code = submitted(client)
    other_ref, _ = submitted(client)

    def body(r):
        # Equal but for the CSRF token and the reference typed (which is kept in the form).
        text = r.get_data(as_text=True)
        text = re.sub(r'name="csrf_token" value="[^"]+"', "", text)
        return re.sub(r"KL-\d{4}-\d{4}", "REF", text)

    wrong_ref = follow(client, "KL-2026-0999", code)
    wrong_code = follow(client, ref, "AAAA BBBB CCCC DDDD EEEE FFFF")
    code_of_other = follow(client, other_ref, code)  # another parent's code
    assert NOT_FOUND in wrong_ref.get_data(as_text=True)
    assert wrong_ref.status_code == wrong_code.status_code == code_of_other.status_code == 200
    assert body(wrong_ref) == body(wrong_code) == body(code_of_other)

    # Close it, let its retention pass and purge it: the same answer.
    cp = as_role(app, "contactpersoon")
    assert (
        step(
            cp, ref, "klachten.afronden", {"close_outcome": "ingetrokken", "close_summary": "Ingetrokken."}
        ).status_code
        == 302
    )

    def purge():
        from portal import retention

        Case.update(retention_until=datetime.date(2000, 1, 1)).where(Case.reference == ref).execute()
        retention.purge(dry_run=False)

    with_db(app, purge)
    purged = follow(client, ref, code, environ={"REMOTE_ADDR": "10.9.9.9"})
    assert purged.status_code == 200 and body(purged) == body(wrong_code)
    # The code is never echoed back.
    assert code not in wrong_code.get_data(as_text=True)


@pytest.fixture
def frozen_throttle(monkeypatch):
    """Every attempt at one moment: the throttle's doubling wait then never runs out between
    two requests, however slow the machine."""
    from portal import throttle
    from portal.models import utcnow

    now = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)


def test_a_stranger_guessing_at_a_reference_does_not_lock_the_parent_out(app, client, frozen_throttle):
    """References are sequential: wrong codes for a reference, from one address or from many,
    slow down those addresses, never the parent who has the right code."""
    ref, code = submitted(client)
    for i in range(5):
        r = follow(client, ref, "WRONGWRONGWRONGWRONGWRON", environ={"REMOTE_ADDR": f"10.0.0.{i}"})
        assert r.status_code == 200 and NOT_FOUND in r.get_data(as_text=True)
    for _ in range(5):
        follow(client, ref, "WRONGWRONGWRONGWRONGWRON", environ={"REMOTE_ADDR": "10.0.0.9"})
    r = follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.0.9"})
    assert r.status_code == 429 and "te vaak geprobeerd" in r.get_data(as_text=True)
    r = follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.1.1"})
    assert r.status_code == 200 and "Uw klacht " + ref in r.get_data(as_text=True)


def test_guessing_is_throttled_per_address_and_reference_and_per_address(app, client, frozen_throttle):
    free = app.config["THROTTLE_FREE_ATTEMPTS"]
    ref, code = submitted(client, contact_email="")
    # Per (address, reference): that address may not try the right code now either (each
    # attempt is counted before it is checked), another address may.
    for _ in range(free):
        follow(client, ref, "WRONGWRONGWRONGWRONGWRON", environ={"REMOTE_ADDR": "10.0.2.1"})
    assert follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.2.1"}).status_code == 429
    # Per address: wrong references, each at most a few times, then a right pair.
    for i in range(free * 4 - 1):
        follow(client, f"KL-2026-09{i:02d}", code, environ={"REMOTE_ADDR": "10.0.2.2"})
    assert follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.2.2"}).status_code == 200
    follow(client, "KL-2026-0999", code, environ={"REMOTE_ADDR": "10.0.2.2"})
    r = follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.2.2"})
    assert r.status_code == 429 and code not in r.get_data(as_text=True)
    assert follow(client, ref, code, environ={"REMOTE_ADDR": "10.0.3.3"}).status_code == 200
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "klachten.volgen") & (AuditLog.outcome == "denied"))
                .count()
            ),
        )
        == free * 5
    )
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "klachten.volgen") & (AuditLog.outcome == "throttled"))
                .count()
            ),
        )
        == 2
    )


def test_a_right_code_does_not_count_towards_the_limit(app, client, frozen_throttle):
    free = app.config["THROTTLE_FREE_ATTEMPTS"]
    ref, code = submitted(client)
    for _ in range(free - 1):
        follow(client, ref, "WRONGWRONGWRONGWRONGWRON")
    for _ in range(3):  # the parent reads, adds, downloads: every POST checks the code again
        assert follow(client, ref, code).status_code == 200


def test_adding_information_checks_the_code_again(app, client):
    ref, code = submitted(client)
    r = follow(
        client, ref, "ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ ZZZZ", url=ADD, text="Aanvulling met de verkeerde code."
    )
    assert NOT_FOUND in r.get_data(as_text=True)
    r = follow(client, ref, code, url=ADD, text="")
    assert r.status_code == 422 and "Schrijf eerst uw aanvulling." in r.get_data(as_text=True)
    r = follow(client, ref, code, url=ADD, text="Het gebeurde vandaag weer.")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Uw aanvulling is toegevoegd" in html and "Het gebeurde vandaag weer." in html

    def events():
        case = Case.get(Case.reference == ref)
        return [
            (e.kind, e.actor, e.visible_to_submitter, e.text)
            for e in CaseEvent.select().where(CaseEvent.case == case.id)
        ]

    evs = with_db(app, events)
    assert ("submitter", "Indiener", True, "Het gebeurde vandaag weer.") in evs
    assert not any("verkeerde code" in e[3] for e in evs)
    cp = as_role(app, "contactpersoon")
    assert "Het gebeurde vandaag weer." in cp.get(case_url(ref)).get_data(as_text=True)
    assert (
        with_db(app, lambda: Outbox.select().where(Outbox.subject == f"Aanvulling op klacht {ref}").count())
        == 1
    )


def test_pdf_receipt_needs_reference_and_code(app, client):
    ref, code = submitted(client)
    r = follow(client, ref, code, url=RECEIPT_PDF)
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"
    assert "attachment" in r.headers["Content-Disposition"]
    text = pdf_text(r.data)
    assert ref in text and code in text and "Ontvangstbewijs" in text
    assert "Op het plein wordt mijn dochter" in text
    r = follow(client, ref, "AAAA AAAA AAAA AAAA AAAA AAAA", url=RECEIPT_PDF)
    assert r.mimetype == "text/html" and NOT_FOUND in r.get_data(as_text=True)
    # GET is not a way in: the code never travels in a URL.
    assert client.get(RECEIPT_PDF).status_code == 405


# -------------------------------------------------------------- the route ----


def test_whole_route_with_letters_and_parent_sees_the_end(app, client):
    ref, code = submitted(client)
    cp = as_role(app, "contactpersoon")
    page = cp.get(case_url(ref)).get_data(as_text=True)
    assert "Zoë Testkind" in page and "&lt;script&gt;" in page and "<script>x" not in page
    assert "Ontvangen" in page and "In behandeling nemen (eerste contact)" in page

    take(cp, ref)

    def assignee_and_deadline():
        case = Case.get(Case.reference == ref)
        d = CaseDeadline.get((CaseDeadline.case == case.id) & (CaseDeadline.name == "klachten.ontvangst"))
        return case.assignee.email, d.met_at is not None

    assert with_db(app, assignee_and_deadline) == ("contactpersoon@klaverweide.demo", True)

    r = post(cp, f"{case_url(ref)}/brief/klachten.ontvangstbevestiging", page=case_url(ref))
    assert r.status_code == 302
    r = step(
        cp,
        ref,
        "klachten.gesprek",
        {
            "talk_with": "betrokkene",
            "talk_names": "juf Sanne",
            "talk_on": today(),
            "talk_outcome": "Afspraken gemaakt.",
        },
    )
    assert r.status_code == 302
    r = step(
        cp,
        ref,
        "klachten.gesprek",
        {"talk_with": "directie", "talk_on": today(), "talk_outcome": "Geen oplossing gevonden."},
    )
    assert r.status_code == 302

    # Referral without consent is refused; the form comes back with what was typed.
    r = step(cp, ref, "klachten.doorverwijzen", {"refer_to": "cvb", "refer_summary": "Samenvatting A."})
    assert r.status_code == 422
    assert "instemt met de doorverwijzing" in r.get_data(as_text=True)
    assert "Samenvatting A." in r.get_data(as_text=True)
    bestuur = as_role(app, "bestuur")
    assert bestuur.get(case_url(ref)).status_code == 404  # not yet shared with the board
    r = step(
        cp,
        ref,
        "klachten.doorverwijzen",
        {
            "refer_to": "cvb",
            "refer_consent": "y",
            "refer_consent_on": today(),
            "refer_summary": "Samenvatting voor het CvB.",
        },
    )
    assert r.status_code == 302
    assert bestuur.get(case_url(ref)).status_code == 200
    assert (
        with_db(
            app,
            lambda: (
                Outbox.select()
                .where((Outbox.to == "bestuur@asg.demo") & Outbox.subject.contains("doorverwezen"))
                .count()
            ),
        )
        == 1
    )

    r = post(cp, f"{case_url(ref)}/brief/klachten.doorverwijzing", page=case_url(ref))
    assert r.status_code == 302
    r = step(
        cp,
        ref,
        "klachten.afronden",
        {"close_outcome": "doorverwezen", "close_summary": "Doorverwezen naar het CvB."},
    )
    assert r.status_code == 302
    r = post(cp, f"{case_url(ref)}/brief/klachten.afsluitbrief", page=case_url(ref))
    assert r.status_code == 302

    def letters():
        case = Case.get(Case.reference == ref)
        return {
            d.name: (d.id, bytes(d.content))
            for d in CaseDocument.select().where(CaseDocument.case == case.id)
        }

    docs = with_db(app, letters)
    ack = pdf_text(docs["klachten.ontvangstbevestiging"][1])
    assert "Ontvangstbevestiging" in ack and ref in ack and "Ouder Test" in ack
    assert "vertrouwenspersoon" in ack and "De Klaverweide" in ack and code not in ack
    referral = pdf_text(docs["klachten.doorverwijzing"][1])
    assert "College van Bestuur" in referral and "Klachtenregeling" in referral
    assert "Samenvatting voor het CvB." in referral and "ingestemd" in referral
    assert "juf Sanne" in referral and "Geen oplossing gevonden." in referral
    closing = pdf_text(docs["klachten.afsluitbrief"][1])
    assert "Afsluiting van uw klacht" in closing and "Doorverwezen naar het CvB." in closing
    assert "Floor Vermeulen" in closing

    # The parent sees the end state and can download the letters addressed to them.
    html = follow(client, ref, code).get_data(as_text=True)
    assert "Afgerond" in html and "Informatie toevoegen" not in html
    assert "Verloop" in html and "doorverwezen" in html and "bemiddeling" in html
    # The route's internal details stay internal.
    assert "Samenvatting voor het CvB." not in html and "Geen oplossing gevonden." not in html
    assert "Afsluitbrief" in html and "Doorverwijzing" not in html
    r = follow(client, ref, code, url=LETTER, document=str(docs["klachten.afsluitbrief"][0]))
    assert r.mimetype == "application/pdf" and "Afsluiting" in pdf_text(r.data)
    r = follow(client, ref, code, url=LETTER, document=str(docs["klachten.doorverwijzing"][0]))
    assert r.status_code == 404
    # A number no database column holds is no letter either (not a server error).
    r = follow(client, ref, code, url=LETTER, document="99999999999999999999")
    assert r.status_code == 404
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "klachten.brief") & (AuditLog.outcome == "denied"))
                .count()
            ),
        )
        == 2
    )
    r = follow(client, ref, code, url=ADD, text="Nog iets.")
    assert r.status_code == 422 and "afgerond" in r.get_data(as_text=True)


def test_closing_writes_the_outcome_and_reopening_clears_it(app, client):
    ref, code = submitted(client)
    cp = as_role(app, "contactpersoon")
    take(cp, ref)

    def klacht():
        from plugins.klachten.models import Klacht

        return Klacht.get(Klacht.case == Case.get(Case.reference == ref).id)

    assert (
        step(
            cp,
            ref,
            "klachten.afronden",
            {"close_outcome": "opgelost", "close_summary": " Opgelost op school. "},
        ).status_code
        == 302
    )
    k = with_db(app, klacht)
    assert (k.outcome, k.closing_summary) == ("opgelost", "Opgelost op school.")
    assert "Uitkomst</dt><dd>Opgelost: Opgelost op school." in cp.get(case_url(ref)).get_data(as_text=True)
    r = step(cp, ref, "klachten.heropenen", {"reopen_reason": "De ouder belde opnieuw."})
    assert r.status_code == 302
    k = with_db(app, klacht)
    assert (k.outcome, k.closing_summary) == ("", "")
    assert get_case(app, ref).state == "in_behandeling"
    assert "In behandeling" in follow(client, ref, code).get_data(as_text=True)


def test_case_refuses_to_close_without_an_outcome(app, client):
    ref, _ = submitted(client)
    cp = as_role(app, "contactpersoon")
    r = step(cp, ref, "klachten.afronden", {"close_summary": ""})
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Kies de uitkomst." in html and "Schrijf een korte samenvatting." in html


# ------------------------------------------------------------------ access ----


def test_teacher_and_other_staff_see_nothing(app, client):
    ref, _ = submitted(client)
    for role in ("leerkracht", "ondersteunend", "ib", "beheerder"):
        c = as_role(app, role)
        assert c.get(case_url(ref)).status_code == 404, role
        listing = c.get("/klaverweide/zaken/?open=0").get_data(as_text=True)
        assert ref not in listing, role
        assert c.get("/klaverweide/klachten/").status_code == 403, role
    bestuur = as_role(app, "bestuur")
    assert bestuur.get(case_url(ref)).status_code == 404
    for role in ("contactpersoon", "directie"):
        assert as_role(app, role).get(case_url(ref)).status_code == 200, role


def test_the_staff_member_concerned_never_sees_the_complaint(app, client):
    ref, _ = submitted(client, category="medewerker", staff_named="meneer Hoekstra")
    directie = as_role(app, "directie")
    # Shut out from the moment the complaint is stored, not from the moment it is linked.
    assert directie.get(case_url(ref)).status_code == 404
    cp = as_role(app, "contactpersoon")
    page = cp.get(case_url(ref)).get_data(as_text=True)
    assert "meneer Hoekstra" in page and "Koppelen en uitsluiten" in page
    assert "Ruben Hoekstra" in page and "Uitgesloten medewerkers" in page
    director = with_db(app, lambda: User.get(User.email == "directie@klaverweide.demo").id)
    # The contactpersoon confirms the match by linking: still one exclusion.
    r = post(cp, f"/klaverweide/klachten/{ref}/medewerker", {"staff": str(director)}, page=case_url(ref))
    assert r.status_code == 302
    assert with_db(app, lambda: CaseExclusion.select().join(Case).where(Case.reference == ref).count()) == 1
    assert directie.get(case_url(ref)).status_code == 404
    # Nor can they let themselves in again (only someone else can undo a match).
    r = post(directie, f"/klaverweide/klachten/{ref}/medewerker/{director}/toelaten")
    assert r.status_code == 404
    assert with_db(app, lambda: CaseExclusion.select().join(Case).where(Case.reference == ref).count()) == 1
    assert ref not in directie.get("/klaverweide/zaken/?open=0").get_data(as_text=True)
    dash = directie.get("/klaverweide/").get_data(as_text=True)
    assert ref not in dash
    # Nor can they reach it through the plugin's own page.
    r = post(directie, f"/klaverweide/klachten/{ref}/medewerker", {"staff": str(director)})
    assert r.status_code == 404
    # A transition by them is refused as if the case did not exist.
    assert (
        step(
            directie, ref, "klachten.afronden", {"close_outcome": "opgelost", "close_summary": "x"}
        ).status_code
        == 404
    )
    assert cp.get(case_url(ref)).status_code == 200


def test_sexual_intimidation_by_staff_brings_the_reporting_duty(app, client):
    ref, _ = submitted(client, category="seksueel", staff_named="de gymleraar", contact_email="")

    def state():
        case = Case.get(Case.reference == ref)
        item = CaseChecklistItem.get_or_none(
            (CaseChecklistItem.case == case.id) & (CaseChecklistItem.name == "klachten.meldplicht")
        )
        mails = (
            Outbox.select()
            .where((Outbox.to == "bestuur@asg.demo") & Outbox.subject.contains("Meldplicht"))
            .count()
        )
        return item, mails, case.confidential

    item, mails, confidential = with_db(app, state)
    assert item is not None and item.required and "vertrouwensinspecteur" in item.label
    assert mails == 1 and not confidential
    body = with_db(app, lambda: Outbox.get(Outbox.to == "bestuur@asg.demo").body)
    assert "gymleraar" not in body and "Zoë" not in body
    assert as_role(app, "bestuur").get(case_url(ref)).status_code == 200

    cp = as_role(app, "contactpersoon")
    assert "Meldplicht." in cp.get(case_url(ref)).get_data(as_text=True)
    r = step(cp, ref, "klachten.afronden", {"close_outcome": "doorverwezen", "close_summary": "CvB."})
    assert r.status_code == 422 and "Nog af te vinken" in r.get_data(as_text=True)
    r = post(
        cp,
        f"{case_url(ref)}/checklist/{item.id}",
        {"done_on": today(), "note": "Bestuur gebeld."},
        page=case_url(ref),
    )
    assert r.status_code == 302
    assert (
        step(
            cp, ref, "klachten.afronden", {"close_outcome": "doorverwezen", "close_summary": "CvB."}
        ).status_code
        == 302
    )


def test_linking_a_staff_member_with_the_sexual_flag_starts_the_duty(app, client):
    ref, _ = submitted(client, category="medewerker")
    cp = as_role(app, "contactpersoon")
    teacher = with_db(app, lambda: User.get(User.email == "leerkracht@klaverweide.demo").id)
    r = post(
        cp,
        f"/klaverweide/klachten/{ref}/medewerker",
        {"staff": str(teacher), "sexual": "1"},
        page=case_url(ref),
    )
    assert r.status_code == 302
    assert (
        with_db(
            app,
            lambda: (
                CaseChecklistItem.select()
                .join(Case)
                .where((Case.reference == ref) & (CaseChecklistItem.name == "klachten.meldplicht"))
                .count()
            ),
        )
        == 1
    )
    # Someone who is no staff of the school cannot be linked.
    ref2, _ = submitted(client, category="medewerker")
    bestuur_id = with_db(app, lambda: User.get(User.email == "bestuur@asg.demo").id)
    r = post(cp, f"/klaverweide/klachten/{ref2}/medewerker", {"staff": str(bestuur_id)}, page=case_url(ref2))
    assert r.status_code == 302
    assert with_db(app, lambda: CaseExclusion.select().join(Case).where(Case.reference == ref2).count()) == 0


# ---------------------------------------------------- settings and figures ----


def test_acknowledgement_deadline_follows_the_school_setting(app, client):
    def set_days():
        from portal.settings import set_setting

        set_setting(School.get(School.slug == "klaverweide"), "klachten.ack_school_days", 2)

    with_db(app, set_days)
    ref, _ = submitted(client)

    def due():
        from portal.schoolcalendar import SchoolCalendar

        case = Case.get(Case.reference == ref)
        d = CaseDeadline.get((CaseDeadline.case == case.id) & (CaseDeadline.name == "klachten.ontvangst"))
        cal = SchoolCalendar.for_school(School.get(School.slug == "klaverweide"))
        return d.due_date == cal.add_school_days(local(case.created_at).date(), 2)

    assert with_db(app, due)


def test_dashboard_panel_and_annual_figures(app, client):
    submitted(client, category="discriminatie")
    cp = as_role(app, "contactpersoon")
    html = cp.get("/klaverweide/").get_data(as_text=True)
    panel = re.search(r"<h2[^>]*>Klachten</h2>.*?</section>", html, re.S).group(0)
    # Demo: one new complaint (overdue), plus ours; four open of five.
    assert re.search(r"Nieuw \(nog niet in behandeling\)</a> <strong>2</strong>", panel)
    assert re.search(r"Ontvangst te laat bevestigd</a> <strong>1</strong>", panel)
    assert re.search(r"Open</a> <strong>4</strong>", panel)
    assert "Klachtformulier voor ouders" in panel
    assert "Klachten" not in as_role(app, "leerkracht").get("/klaverweide/").get_data(as_text=True)

    directie = as_role(app, "directie")
    from portal.dates import school_year_of

    year = school_year_of(dutch_today())
    html = directie.get(f"/klaverweide/jaarcijfers/?jaar={year}").get_data(as_text=True)
    assert "Klachten ingediend: 5" in html
    assert re.search(r"Discriminatie</th><td>2</td>", html)
    assert re.search(r"Pesten</th><td>1</td>", html)
    assert "Afgeronde klachten per uitkomst: 1" in html
    assert re.search(r"Opgelost</th><td>1</td>", html)
    assert "Mediaan tot bevestiging van de ontvangst:" in html
    assert "Mediaan tot afsluiten:" in html and "schooldag" in html


def test_demo_complaints_and_demo_code(app, client):
    def states():
        return sorted(c.state for c in Case.select().where(Case.case_type == "klachten.klacht"))

    assert with_db(app, states) == ["afgerond", "bemiddeling", "in_behandeling", "ontvangen"]
    html = follow(client, "KL-%d-0001" % dutch_today().year, "KLAV ERWE IDED EMOC ODEA AAAA").get_data(
        as_text=True
    )
    assert "Ontvangen" in html
    # The demo complaint about "juf Sanne" is hidden from Sanne (leerkracht) anyway,
    # and excluded for her even if she got klachten.view.
    assert with_db(app, lambda: CaseExclusion.select().count()) == 1


def test_staff_overview_redirects_to_the_case_list(app):
    cp = as_role(app, "contactpersoon")
    r = cp.get("/klaverweide/klachten/")
    assert r.status_code == 302 and "soort=klachten.klacht" in r.headers["Location"]
    assert "Klachten" in cp.get("/klaverweide/").get_data(as_text=True)


def test_a_named_contactpersoon_never_sees_the_complaint_and_the_directie_is_told(app, client):
    """The parent names "juf Floor": Floor Vermeulen, the contactpersoon, is shut out from the
    moment the complaint is stored, gets no mail about it, and the directie is told instead;
    someone else can let a wrongly matched colleague in again (docs/security.md B3)."""
    ref, _code = submitted(client, staff_named="juf Floor")
    contact = as_role(app, "contactpersoon")
    assert contact.get(case_url(ref)).status_code == 404
    assert ref not in contact.get("/klaverweide/zaken/").get_data(as_text=True)

    def mails():
        return [(m.to, m.subject) for m in Outbox.select().where(Outbox.subject.contains(ref))]

    sent = with_db(app, mails)
    assert not any(to == "contactpersoon@klaverweide.demo" for to, _ in sent), sent
    assert any(to == "directie@klaverweide.demo" and "Nieuwe klacht" in s for to, s in sent), sent

    boss = as_role(app, "directie")
    page = boss.get(case_url(ref)).get_data(as_text=True)
    assert "Floor Vermeulen" in page and "weer toelaten" in page
    floor = with_db(app, lambda: User.get(User.email == "contactpersoon@klaverweide.demo"))
    r = post(boss, f"/klaverweide/klachten/{ref}/medewerker/{floor.id}/toelaten", page=case_url(ref))
    assert r.status_code == 302
    assert contact.get(case_url(ref)).status_code == 200
    assert with_db(app, lambda: AuditLog.select().where(AuditLog.action == "case.include").exists())


def test_a_name_that_matches_no_one_shuts_no_one_out(app, client):
    ref, _code = submitted(client, staff_named="de overblijfmoeder")
    assert as_role(app, "contactpersoon").get(case_url(ref)).status_code == 200
