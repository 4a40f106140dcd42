"""The core's public route (portal/public.py) for any case type whose ``Start`` is public,
with a test-only plugin "ouderpunt" that declares nothing but its form, its detail model
and its case type: the core's own pages and texts, its default mail, no PDF receipt.
Through the Flask test client with CSRF on."""

import re
import types

import peewee
import pytest

from portal import api
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseDocument
from portal.models import CaseEvent
from portal.models import LoginAttempt
from portal.models import Outbox
from portal.models import School

from . import caseplugin
from .conftest import csrf_from
from .conftest import login
from .core_helpers import db_ctx

# The test plugin's table is made by the test (it has no migrations): on PostgreSQL as the
# schema's owner, not as the application login that owns nothing.
pytestmark = pytest.mark.schema

SLUG = "ouderpunt"
FORM = "/klaverweide/ouderpunt/melden"
FOLLOW = "/klaverweide/ouderpunt/volgen"
ADD = "/klaverweide/ouderpunt/volgen/aanvullen"
LETTER = "/klaverweide/ouderpunt/volgen/brief"
REF_RE = re.compile(r'id="referentie">(OP-\d{4}-\d{4})<')
CODE_RE = re.compile(r'id="code">([A-Z2-7 ]+)<')
TOKEN_RE = re.compile(r'name="form_token" type="hidden" value="([^"]+)"')
NOT_FOUND = "Deze combinatie van referentie en code kennen wij niet."


class Melding(api.BaseModel):
    case = peewee.ForeignKeyField(api.Case, on_delete="CASCADE", unique=True, backref="+")
    subject = peewee.CharField(max_length=200)
    email = peewee.CharField(max_length=254, default="")
    form_token_hash = peewee.CharField(max_length=64, null=True, unique=True)

    class Meta:
        table_name = "ouderpunt_melding"


class MeldForm(api.Form):
    subject = api.line("Waar gaat het over?", 200, "Vul in waar het over gaat.")
    email = api.email_field("Uw e-mailadres")


TYPE = api.CaseType(
    name="ouderpunt.melding",
    title="Melding",
    prefix="OP",
    states=(
        api.State("nieuw", "Nieuw", public_text="Uw melding is ontvangen."),
        api.State("klaar", "Afgerond", closed=True, public_text="Uw melding is afgerond."),
    ),
    initial="nieuw",
    transitions=(api.Transition("ouderpunt.sluit", "Afronden", ("nieuw",), "klaar", "ouderpunt.handle"),),
    view_permission="ouderpunt.view",
    handle_permission="ouderpunt.handle",
    detail=Melding,
    start=api.Start(
        MeldForm,
        "Een melding doen",
        path="melden",
        public=True,
        title="{subject}",
        notify="ouderpunt.handle",
        email_field="email",
        submit="Versturen",
    ),
)

PLUGIN = api.Plugin(
    SLUG,
    __name__,
    title="Ouderpunt (test)",
    case_types=[TYPE],
    migrations=False,
    permissions=[
        api.Permission("ouderpunt.view", "Meldingen zien", ("directie",)),
        api.Permission("ouderpunt.handle", "Meldingen behandelen", ("directie",)),
    ],
    documents=[
        api.DocumentTemplate(
            "ouderpunt.antwoord",
            "Antwoord aan de ouder",
            TYPE.name,
            "x.html",
            dict,
            "ouderpunt.handle",
            for_submitter=True,
        ),
        api.DocumentTemplate(
            "ouderpunt.intern", "Intern verslag", TYPE.name, "x.html", dict, "ouderpunt.handle"
        ),
    ],
)


@pytest.fixture
def app_config(app_config):
    module = types.SimpleNamespace(plugin=PLUGIN, SLUG=SLUG, __name__=__name__)
    return {**app_config, "PORTAL_PLUGINS": (), "PORTAL_EXTRA_PLUGINS": (caseplugin, module)}


@pytest.fixture
def app(app):
    with db_ctx(app):
        database.create_tables([Melding])  # a test plugin without migrations
        from portal.admin import set_plugin_enabled

        set_plugin_enabled(School.get(School.slug == "klaverweide"), SLUG, True)
    return app


@pytest.fixture
def frozen_throttle(monkeypatch):
    """Every attempt at one moment: a throttle's wait never runs out between two requests."""
    from portal import throttle
    from portal.models import utcnow

    now = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: now)


def with_db(app, fn):
    with db_ctx(app):
        return fn()


def submit(client, environ=None, **data):
    html = client.get(FORM, environ_base=environ or {}).get_data(as_text=True)
    fields = {
        "subject": "Het hek is kapot",
        "email": "ouder@voorbeeld.nl",
        **data,
        "csrf_token": csrf_from(html),
        "form_token": TOKEN_RE.search(html).group(1),
    }
    return client.post(
        FORM, data={k: v for k, v in fields.items() if v is not None}, environ_base=environ or {}
    )


def submitted(client, **data):
    html = submit(client, **data).get_data(as_text=True)
    return REF_RE.search(html).group(1), CODE_RE.search(html).group(1)


def follow(client, reference, code, url=FOLLOW, environ=None, **extra):
    csrf = csrf_from(client.get(FOLLOW).get_data(as_text=True))
    return client.post(
        url,
        data={"reference": reference, "code": code, "csrf_token": csrf, **extra},
        environ_base=environ or {},
    )


# ------------------------------------------------------------------ the pages ----


def test_the_core_serves_the_form_with_honeypot_and_token(client):
    r = client.get(FORM)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    assert "<h1>Een melding doen</h1>" in html and "Waar gaat het over?" in html
    assert "Uw e-mailadres" in html and ">Versturen</button>" in html
    hp = re.search(r'<div class="hp" aria-hidden="true">.*?</div>', html, re.S).group(0)
    assert 'name="website"' in hp and 'tabindex="-1"' in hp
    assert html.count('name="website"') == 1 and html.count('name="form_token"') == 1
    assert 'href="/klaverweide/ouderpunt/volgen"' in html


def test_a_submission_gets_reference_code_confirmation_and_staff_notice(app, client):
    r = submit(client)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    ref, code = REF_RE.search(html).group(1), CODE_RE.search(html).group(1)
    assert "Uw melding is ontvangen" in html
    assert "Ontvangstbewijs downloaden" not in html  # this type declares no PDF receipt

    def check():
        case = Case.get(Case.reference == ref)
        assert case.submitter_email == "ouder@voorbeeld.nl" and case.title == "Het hek is kapot"
        assert case.access_code_hash.startswith("sha256$")
        assert Melding.get(Melding.case == case.id).form_token_hash
        created = CaseEvent.get((CaseEvent.case == case.id) & (CaseEvent.kind == "created"))
        assert created.actor == "Indiener (ouder/verzorger)"
        parent = Outbox.get(Outbox.to == "ouder@voorbeeld.nl")
        assert parent.subject == f"Uw melding is ontvangen ({ref})" and ref in parent.body
        assert code.replace(" ", "") not in parent.body.replace(" ", "")
        assert (
            Outbox.select()
            .where((Outbox.to == "directie@klaverweide.demo") & Outbox.subject.contains(ref))
            .count()
            == 1
        )

    with_db(app, check)


def test_a_form_sent_twice_shows_the_first_reference_without_the_code(app, client):
    html = client.get(FORM).get_data(as_text=True)
    data = {"subject": "Dubbel", "csrf_token": csrf_from(html), "form_token": TOKEN_RE.search(html).group(1)}
    first = client.post(FORM, data=data).get_data(as_text=True)
    again = client.post(FORM, data=data).get_data(as_text=True)
    ref = REF_RE.search(first).group(1)
    assert re.search(r"al verstuurd[^<]*<strong>" + ref + "</strong>", again)
    assert not CODE_RE.search(again)
    assert with_db(app, lambda: Case.select().where(Case.case_type == TYPE.name).count()) == 1


def test_the_honeypot_keeps_the_text_and_starts_nothing(app, client):
    r = submit(client, subject="Echt iets", website="http://spam.example")
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert 'value="Echt iets"' in html and "spam.example" not in html
    assert with_db(app, lambda: Case.select().where(Case.case_type == TYPE.name).count()) == 0
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "ouderpunt.indienen") & (AuditLog.outcome == "honeypot"))
                .count()
            ),
        )
        == 1
    )


def test_the_school_ceiling_without_a_setting_is_the_cores(app, client):
    """No setting of the type's own: the core's 30 per hour. Past it the parent is asked to
    call the school, with its phone number, and keeps what they typed."""

    def forty():
        from portal import throttle

        for _ in range(40):
            LoginAttempt.create(kind="ouderpunt.indienen", key=throttle.hashed("school:klaverweide"))

    with_db(app, forty)
    r = submit(client, subject="Bewaar mij", environ={"REMOTE_ADDR": "10.7.7.7"})
    assert r.status_code == 429
    html = r.get_data(as_text=True)
    assert "036 000 0000" in html and 'value="Bewaar mij"' in html
    # The refused submission left no count of its address behind.
    assert (
        with_db(app, lambda: LoginAttempt.select().where(LoginAttempt.kind == "ouderpunt.indienen").count())
        == 40
    )


def test_the_ceiling_holds_for_a_steady_stream(app):
    """A submission every 9 seconds for an hour, each from another address: the school's
    ceiling lets exactly its number through in that hour, not one more each time a doubling
    wait runs out; once the first of them is an hour old, the next may go."""
    import datetime

    from portal import public
    from portal import throttle
    from portal.models import utcnow

    start = utcnow()
    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        ceiling = public.hourly_limit(school, TYPE)
        limit = public.school_ceiling(school, TYPE)
        passed = [
            i * 9
            for i in range(400)
            if throttle.attempt(
                "ouderpunt.indienen", [limit], now=start + datetime.timedelta(seconds=i * 9)
            ).allowed
        ]
    assert len(passed) == ceiling, passed
    with db_ctx(app):
        later = start + datetime.timedelta(seconds=passed[0] + 3600 + 1)
        assert throttle.attempt("ouderpunt.indienen", [limit], now=later).allowed


def test_parallel_submissions_from_one_address_hold_the_limit(app, monkeypatch):
    """20 forms sent at the same moment from one address: the check and the count are one
    step, so no more than the free attempts get a receipt, every receipt is a stored case and
    every refusal stored nothing (SQLite and PostgreSQL).

    The throttle's clock stands still meanwhile: past the free attempts it lets one more
    through once a second has passed, which a loaded machine may take between two of
    these requests; the test is about the race, not about that second."""
    import threading

    from portal import throttle
    from portal.models import utcnow

    moment = utcnow()
    monkeypatch.setattr(throttle, "utcnow", lambda: moment)

    free = app.config["THROTTLE_FREE_ATTEMPTS"]
    clients = [app.test_client() for _ in range(20)]
    forms = []
    for c in clients:
        html = c.get(FORM).get_data(as_text=True)
        forms.append(
            {
                "subject": "Het hek is kapot",
                "csrf_token": csrf_from(html),
                "form_token": TOKEN_RE.search(html).group(1),
            }
        )
    before = with_db(app, lambda: Case.select().where(Case.case_type == TYPE.name).count())
    barrier = threading.Barrier(len(clients))
    answers = []

    def send(c, data):
        barrier.wait(60)
        r = c.post(FORM, data=data, environ_base={"REMOTE_ADDR": "10.9.9.9"})
        answers.append((r.status_code, bool(CODE_RE.search(r.get_data(as_text=True)))))

    threads = [threading.Thread(target=send, args=pair) for pair in zip(clients, forms, strict=True)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(answers) == 20
    receipts = [a for a in answers if a == (200, True)]
    assert 0 < len(receipts) <= free, answers
    assert all(status == 429 for status, _ in answers if (status, True) not in receipts), answers
    stored = with_db(app, lambda: Case.select().where(Case.case_type == TYPE.name).count()) - before
    assert stored == len(receipts)


def test_the_ceiling_is_never_below_the_free_attempts_of_one_address(app):
    from portal import public

    with db_ctx(app):
        school = School.get(School.slug == "klaverweide")
        assert public.hourly_limit(school, TYPE) == public.HOURLY_LIMIT
        app.config["THROTTLE_FREE_ATTEMPTS"] = 1000  # a load run: many parents, one machine
        assert public.hourly_limit(school, TYPE) == 1000


def test_the_public_pages_show_no_staff_menu(app):
    client = app.test_client()
    assert login(client, "directie").status_code == 302
    for html in (client.get(FORM).get_data(as_text=True), client.get(FOLLOW).get_data(as_text=True)):
        assert "Hoofdmenu" not in html and "Uitloggen" not in html and "Dashboard" not in html
        assert "/klaverweide/zaken/" not in html


def test_a_school_without_the_plugin_has_no_public_pages(app, client):
    def off():
        from portal.admin import set_plugin_enabled

        set_plugin_enabled(School.get(School.slug == "klaverweide"), SLUG, False)

    with_db(app, off)
    assert client.get(FORM).status_code == 404
    assert client.get(FOLLOW).status_code == 404


def test_the_mail_link_comes_from_the_configured_address_not_the_host(app, client):
    r = submit(client, environ={"HTTP_HOST": "evil.example"})
    assert r.status_code == 200
    body = with_db(app, lambda: Outbox.get(Outbox.to == "ouder@voorbeeld.nl").body)
    assert "http://127.0.0.1:5000/klaverweide/ouderpunt/volgen" in body and "evil" not in body
    app.config["PORTAL_URL"] = "https://portaal.asg.example/"
    submit(client, email="ander@voorbeeld.nl", environ={"HTTP_HOST": "evil.example"})
    body = with_db(app, lambda: Outbox.get(Outbox.to == "ander@voorbeeld.nl").body)
    assert "https://portaal.asg.example/klaverweide/ouderpunt/volgen" in body and "evil" not in body


# ---------------------------------------------------------------- follow-up ----


def test_follow_up_add_information_and_the_default_notice(app, client):
    ref, code = submitted(client)
    r = follow(client, ref, code)
    assert r.status_code == 200 and r.headers["Cache-Control"] == "no-store"
    html = r.get_data(as_text=True)
    assert f"Uw melding {ref}" in html and "Uw melding is ontvangen." in html
    assert "De school leest uw aanvulling." in html and "Ontvangstbewijs" not in html
    r = follow(client, ref, code, url=ADD, text="Het hek staat nog steeds open.")
    assert r.status_code == 200
    assert "Uw aanvulling is toegevoegd aan uw melding." in r.get_data(as_text=True)
    # Without ``added``: the holders of the start's ``notify`` hear of it.
    mail = with_db(app, lambda: Outbox.get(Outbox.subject == f"Aanvulling op melding {ref}"))
    assert mail.to == "directie@klaverweide.demo" and "hek" not in mail.body
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "ouderpunt.aanvulling") & (AuditLog.case_ref == ref))
                .count()
            ),
        )
        == 1
    )


def test_wrong_code_wrong_reference_same_answer_and_no_echo(app, client):
    ref, code = submitted(client)
    wrong_code = follow(client, ref, "AAAA BBBB CCCC DDDD EEEE FFFF")
    wrong_ref = follow(client, "OP-2026-0999", code)
    for r in (wrong_code, wrong_ref):
        text = r.get_data(as_text=True)
        assert r.status_code == 200 and NOT_FOUND in text
        assert code not in text and "AAAA BBBB" not in text
    assert (
        with_db(
            app,
            lambda: (
                AuditLog.select()
                .where((AuditLog.action == "ouderpunt.volgen") & (AuditLog.outcome == "denied"))
                .count()
            ),
        )
        == 2
    )


def test_a_stranger_cannot_lock_the_parent_out(app, client, frozen_throttle):
    ref, code = submitted(client)
    for _ in range(app.config["THROTTLE_FREE_ATTEMPTS"] * 3):
        follow(client, ref, "WRONGWRONGWRONGWRONGWRON", environ={"REMOTE_ADDR": "10.6.6.6"})
    assert follow(client, ref, code, environ={"REMOTE_ADDR": "10.6.6.6"}).status_code == 429
    assert follow(client, ref, code, environ={"REMOTE_ADDR": "10.6.6.7"}).status_code == 200


def test_only_letters_for_the_submitter_can_be_downloaded(app, client):
    ref, code = submitted(client)

    def letters():
        case = Case.get(Case.reference == ref)
        made = {}
        for name in ("ouderpunt.antwoord", "ouderpunt.intern"):
            made[name] = CaseDocument.create(
                case=case.id,
                name=name,
                label=name,
                version=1,
                filename=f"{name}.pdf",
                content=b"%PDF-1.4 " + name.encode(),
                sha256="0" * 64,
            ).id
        return made

    made = with_db(app, letters)
    html = follow(client, ref, code).get_data(as_text=True)
    assert "ouderpunt.antwoord" in html and "ouderpunt.intern" not in html
    r = follow(client, ref, code, url=LETTER, document=str(made["ouderpunt.antwoord"]))
    assert r.status_code == 200 and r.mimetype == "application/pdf"
    assert r.headers["Cache-Control"] == "no-store"
    for document in (str(made["ouderpunt.intern"]), "99999999999999999999", "x", ""):
        assert follow(client, ref, code, url=LETTER, document=document).status_code == 404
    # A wrong code gets the follow page, not even a 404.
    r = follow(client, ref, "AAAA", url=LETTER, document=str(made["ouderpunt.antwoord"]))
    assert r.mimetype == "text/html" and NOT_FOUND in r.get_data(as_text=True)


def test_no_pdf_receipt_without_a_receipt_letter(app, client):
    ref, code = submitted(client)
    r = follow(client, ref, code, url="/klaverweide/ouderpunt/ontvangstbewijs")
    assert r.status_code == 404


def test_the_cores_public_forms_speak_dutch(app):
    from werkzeug.datastructures import MultiDict

    from portal import public

    with db_ctx(app):
        for cls in (public.follow_form("OP", 2026), public.AddInfoForm):
            for name in cls().data:
                for value in ("", "x" * 20_000, "\x01"):
                    form = cls(MultiDict({name: value}))
                    form.validate()
                    for errors in form.errors.values():
                        for message in errors:
                            assert not re.search(r"[Tt]his field|Invalid|must be", message), message


def test_a_public_start_needs_a_token_column(app):
    from portal import public
    from portal.plugins import PluginError

    broken = api.CaseType(
        name="ouderpunt.kapot",
        title="Kapot",
        prefix="KP",
        states=(api.State("nieuw", "Nieuw"),),
        initial="nieuw",
        transitions=(),
        view_permission="ouderpunt.view",
        start=api.Start(MeldForm, "Kapot", public=True),
    )
    with pytest.raises(PluginError, match="form_token_hash"):
        public.attach(object.__new__(type("BP", (), {"name": "x"})), [broken])
