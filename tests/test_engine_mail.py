"""Mail through the outbox, sent to a real SMTP server on 127.0.0.1 (aiosmtpd): queued by
the request, delivered by the worker's pass (never during the request); with the server
down the mail stays queued with back-off and is delivered exactly once when it is back;
staff mail carries no details about a child."""

import contextlib
import datetime
import email
import socket

import pytest
from aiosmtpd.controller import Controller

from portal import mail
from portal.cases import engine
from portal.models import Case
from portal.models import Outbox
from portal.models import User
from portal.models import utcnow

from .conftest import get_csrf
from .conftest import login
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import reload
from .core_helpers import user

PARENT = "ouder@example.org"
PUPIL = "Pietje Puk-Verstappen"


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.rcpt_tos, email.message_from_bytes(envelope.content)))
        return "250 OK"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def smtp_server(port):
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def port(app):
    with db_ctx(app):  # mail queued by the plugins' demo data is not part of these tests
        Outbox.update(sent_at=utcnow()).where(Outbox.sent_at.is_null()).execute()
    p = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=p, SMTP_TIMEOUT=2)
    return p


def parent_case(app, title="Klacht"):
    with db_ctx(app):
        case = make_case(title)
        Case.update(submitter_email=PARENT).where(Case.id == case.id).execute()
        return reload(case)


def post_message(app, case, text="Wij nemen contact met u op."):
    client = app.test_client()
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    r = client.post(f"{page}/notitie", data={"csrf_token": token, "text": text, "to_submitter": "y"})
    assert r.status_code == 302, r.get_data(as_text=True)


def send(app, **kw):
    """The worker's pass, as ``flask --app portal outbox work`` runs it."""
    with db_ctx(app):
        return mail.send_due(**kw)


def test_message_to_submitter_is_delivered(app, port):
    case = parent_case(app)
    with smtp_server(port) as server:
        post_message(app, case)
        assert server.messages == []  # the request only queued it
        assert send(app) == (1, 0, 0)
    assert len(server.messages) == 1
    rcpt, msg = server.messages[0]
    assert rcpt == [PARENT]
    assert msg["Subject"] == f"Nieuw bericht over {case.reference}"
    assert msg["From"] == app.config["MAIL_FROM"]
    with db_ctx(app):
        row = Outbox.get(Outbox.to == PARENT)
        assert row.sent_at is not None and row.attempts == 1 and row.last_error == ""
        assert row.body == "" and row.attachment is None and row.claim_token is None


def test_engine_add_note_queues_in_the_same_transaction(ctx, port):
    case = make_case("Notitie")
    Case.update(submitter_email=PARENT).where(Case.id == case.id).execute()
    case = reload(case)
    engine.add_note(case, actor("directie"), "Interne notitie")  # not for the parent
    assert not Outbox.select().where(Outbox.to == PARENT).exists()
    engine.add_note(case, actor("directie"), "Bericht", visible_to_submitter=True)
    with smtp_server(port) as server:
        assert mail.send_due() == (1, 0, 0)
    assert [m[0] for m in server.messages] == [[PARENT]]


def test_server_down_then_up_delivers_exactly_once(app, port, runner):
    case = parent_case(app)
    before = utcnow()
    post_message(app, case)
    assert send(app) == (0, 1, 0)  # nothing listens on the port: the send fails
    with db_ctx(app):
        row = Outbox.get(Outbox.to == PARENT)
        assert row.sent_at is None and row.attempts == 1
        assert row.next_attempt_at > before + datetime.timedelta(seconds=30)
        assert "ConnectionRefused" in row.last_error and PARENT not in row.last_error
        assert row.failed_at is None and row.claim_token is None
        # Not due yet: a run now sends nothing and does not count an attempt.
        with smtp_server(port) as server:
            assert mail.send_due() == (0, 0, 0)
        assert server.messages == []
        assert Outbox.get_by_id(row.id).attempts == 1
        # A second failure doubles the back-off.
    with db_ctx(app):
        later = utcnow() + datetime.timedelta(minutes=5)
        assert mail.send_due(now=later) == (0, 1, 0)
        row2 = Outbox.get_by_id(row.id)
        assert row2.attempts == 2
        assert row2.next_attempt_at - later >= datetime.timedelta(minutes=2)
        # Due now for the cron command.
        Outbox.update(next_attempt_at=utcnow() - datetime.timedelta(seconds=1)).where(
            Outbox.id == row.id
        ).execute()
    with smtp_server(port) as server:
        result = runner.invoke(args=["outbox", "send"])
        assert result.exit_code == 0, result.output
        assert "Verzonden: 1" in result.output
        # Again: nothing more goes out.
        assert runner.invoke(args=["outbox", "send"]).exit_code == 0
        with db_ctx(app):
            assert mail.send_due(now=utcnow() + datetime.timedelta(days=2)) == (0, 0, 0)
    assert len(server.messages) == 1 and server.messages[0][0] == [PARENT]
    with db_ctx(app):
        row3 = Outbox.get_by_id(row.id)
        assert row3.sent_at is not None and row3.attempts == 3 and row3.last_error == ""


def test_without_smtp_the_outbox_only_records(app, runner):
    case = parent_case(app)
    post_message(app, case)
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "Geen SMTP_HOST" in result.output
    with db_ctx(app):
        row = Outbox.get(Outbox.to == PARENT)
        assert row.sent_at is None and row.attempts == 0


def test_staff_mail_carries_no_details_about_a_child(app, port):
    title = f"Klacht over {PUPIL}"
    with db_ctx(app):
        case = make_case(title)
        ib_id = user("ib").id
    client = app.test_client()
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    token = get_csrf(client, page)
    with smtp_server(port) as server:
        r = client.post(f"{page}/toewijzen", data={"csrf_token": token, "assignee": str(ib_id)})
        assert r.status_code == 302
        assert send(app).sent == 1
    assert len(server.messages) == 1
    rcpt, msg = server.messages[0]
    assert rcpt == ["ib@klaverweide.demo"]
    body = msg.get_payload(decode=True).decode()
    assert case.reference in body and "Log in" in body
    # What went out (the stored body is emptied once sent).
    for part in (msg["Subject"], body):
        assert "Pietje" not in part and "Puk" not in part and title not in part, part
    with db_ctx(app):
        staff = [u.email for u in User.select()]
        for row in Outbox.select().where(Outbox.to.in_(staff)):
            for part in (row.subject, row.body):
                assert "Pietje" not in part and "Puk" not in part and title not in part, part


def test_header_injection_is_refused(ctx):
    row = Outbox(to="a@example.org\r\nBcc: evil@example.org", subject="x", body="y")
    with pytest.raises(ValueError):
        mail.build_message(row).as_bytes()
