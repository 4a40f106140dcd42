"""The outbox as a work queue: claimed before sending, so two senders never double a mail;
a lease that gives a dead worker's rows back; a limit on attempts and the beheerder's page
of failed mail with "Opnieuw proberen"; no SMTP inside a web request; header values made
safe when a mail is queued; body and attachment cleared once sent; mail removed with its
case; the migration on an old table; the worker process and its clean stop.

SMTP goes to a real server on 127.0.0.1 (aiosmtpd) or to a socket that never answers.
Nothing here sleeps to wait: the tests wait on events, queues and processes, with generous
timeouts, and move the clock with ``now=`` instead of waiting for a back-off or a lease.
"""

import datetime
import multiprocessing
import os
import queue as queue_module
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from portal import mail
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import Outbox
from portal.models import School
from portal.models import utcnow

from .conftest import ROLES
from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school
from .test_engine_mail import Collector
from .test_engine_mail import free_port
from .test_engine_mail import smtp_server
from .test_klachten import submit

MAIL_PAGE = "/klaverweide/beheer/mail"
LONG = 120  # seconds: generous, for a loaded CI machine; only reached when something is wrong


@pytest.fixture
def port(app):
    """A free port for the SMTP server (nothing listens until a test starts one)."""
    with db_ctx(app):  # mail queued by the demo data is not part of these tests
        Outbox.delete().execute()
    p = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=p, SMTP_TIMEOUT=5)
    return p


@pytest.fixture
def octx(ctx):
    """``ctx`` with an empty outbox (the demo data queues mail of its own)."""
    Outbox.delete().execute()
    return ctx


def queue_many(n, prefix="Bericht", slug="klaverweide"):
    here = School.get(School.slug == slug)
    return [
        mail.queue(f"ouder{i}@example.org", f"{prefix} {i:03}", f"Tekst {i}", school=here).id
        for i in range(n)
    ]


def send(app, **kw):
    with db_ctx(app):
        return mail.send_due(**kw)


def row(app, row_id):
    with db_ctx(app):
        return Outbox.get_by_id(row_id)


# ------------------------------------------------------- claims and leases ----


def _sender_process(config, instance, ready, go, out):
    """Runs in a separate process with its own app (spawned, so nothing is shared)."""
    os.environ["PORTAL_INSTANCE_PATH"] = instance
    from portal import create_app

    from . import caseplugin

    app = create_app(dict(config, PORTAL_EXTRA_PLUGINS=(caseplugin,)))
    result, error = (0, 0, 0), ""
    try:
        with app.app_context():
            database.connect(reuse_if_open=True)
            ready.put(os.getpid())
            if not go.wait(LONG):
                raise RuntimeError("never released")
            result = tuple(mail.send_due())
            database.close()
    except Exception as exc:  # reported to the parent
        error = repr(exc)
    out.put((result, error))


def test_two_senders_at_once_deliver_each_mail_exactly_once(app, app_config, tmp_path, port):
    n = 200
    with db_ctx(app):
        ids = queue_many(n)
    mp = multiprocessing.get_context("spawn")
    ready, out, go = mp.Queue(), mp.Queue(), mp.Event()
    config = {k: v for k, v in app_config.items() if k != "PORTAL_EXTRA_PLUGINS"}
    # Small batches: the two senders claim turn by turn, many times over.
    config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_TIMEOUT=30, OUTBOX_BATCH_SIZE=7)
    with smtp_server(port) as server:
        procs = [
            mp.Process(target=_sender_process, args=(config, str(tmp_path / "instance"), ready, go, out))
            for _ in range(2)
        ]
        for p in procs:
            p.start()
        try:
            for _ in procs:
                ready.get(timeout=LONG)
            go.set()  # both at the same moment
            results = [out.get(timeout=LONG) for _ in procs]
        finally:
            for p in procs:
                p.join(LONG)
                if p.is_alive():
                    p.kill()
        # A sender returns after the server's 250, which follows the collector's append.
        subjects = sorted(msg["Subject"] for _rcpt, msg in server.messages)
    assert [e for _, e in results if e] == []
    assert subjects == [f"Bericht {i:03}" for i in range(n)]  # each once: none lost, none twice
    assert sum(r[0] for r, _ in results) == n and all(r[1] == 0 for r, _ in results)
    with db_ctx(app):
        rows = list(Outbox.select().where(Outbox.id.in_(ids)))
        assert all(r.sent_at is not None and r.attempts == 1 and r.claim_token is None for r in rows)


def test_a_claim_excludes_other_workers_until_its_lease_ends(octx):
    ids = queue_many(3)
    t0 = utcnow()
    lease = datetime.timedelta(seconds=60)
    a = mail.claim(10, now=t0, lease=lease)
    assert [r.id for r in a] == ids and len({r.claim_token for r in a}) == 1
    # Worker B, while A's lease holds: none of A's rows.
    assert mail.claim(10, now=t0 + datetime.timedelta(seconds=59), lease=lease) == []
    # A died (or hangs): after its lease B gets them, under a new token.
    b = mail.claim(10, now=t0 + datetime.timedelta(seconds=61), lease=lease)
    assert [r.id for r in b] == ids and b[0].claim_token != a[0].claim_token
    # A can no longer mark, fail, renew or release them: they are B's.
    later = t0 + datetime.timedelta(seconds=62)
    assert mail.mark_sent(a[0], later) is False
    assert mail.mark_failed(a[1], "test", later) == ""
    assert mail._renew(a, later + lease) == set()
    mail.release(a)
    fresh = {r.id: r for r in Outbox.select().where(Outbox.id.in_(ids))}
    assert all(
        r.sent_at is None and r.attempts == 0 and r.claim_token == b[0].claim_token for r in fresh.values()
    )
    # B's marks count.
    assert mail.mark_sent(b[0], later) is True
    assert Outbox.get_by_id(ids[0]).sent_at is not None
    assert mail.claim(10, now=later + datetime.timedelta(days=1), lease=lease) != []  # B's others


def test_stop_ends_the_pass_after_the_message_in_hand(app, port):
    with db_ctx(app):
        ids = queue_many(5)
    stop = threading.Event()

    class StopAfterOne(Collector):
        async def handle_DATA(self, server, session, envelope):
            stop.set()  # the signal arrives while the first message is in hand
            return await super().handle_DATA(server, session, envelope)

    from aiosmtpd.controller import Controller

    handler = StopAfterOne()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send(app, stop=stop) == (1, 0, 0)
        rest = [row(app, i) for i in ids[1:]]
        # Given back unattempted: due now for the next run, which sends them once.
        assert all(r.sent_at is None and r.claim_token is None and r.attempts == 0 for r in rest)
        assert send(app) == (4, 0, 0)
    finally:
        controller.stop()
    assert sorted(m["Subject"] for _, m in handler.messages) == [f"Bericht {i:03}" for i in range(5)]


def test_a_refused_address_counts_for_that_mail_only_and_is_not_logged(app, port):
    with db_ctx(app):
        ids = queue_many(3)

    class Refusing(Collector):
        async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
            if address == "ouder1@example.org":
                return f"550 5.1.1 <{address}>: onbekende gebruiker"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    from aiosmtpd.controller import Controller

    handler = Refusing()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        assert send(app) == (2, 1, 0)  # the connection went on to the next mail
    finally:
        controller.stop()
    refused = row(app, ids[1])
    assert refused.attempts == 1 and refused.sent_at is None and refused.failed_at is None
    assert "550" in refused.last_error and "example.org" not in refused.last_error
    assert all(row(app, i).sent_at is not None for i in (ids[0], ids[2]))


# --------------------------------------- attempts, the beheerder's page, retry ----


def test_after_max_attempts_mail_is_failed_shown_to_its_school_and_retried(app, port):
    with db_ctx(app):
        School.create(slug="anderschool", name="Andere School")
        mine = queue_many(1, prefix="Hier")[0]
        theirs = queue_many(1, prefix="Elders", slug="anderschool")[0]
    max_attempts = app.config["OUTBOX_MAX_ATTEMPTS"]
    assert max_attempts == 8
    # Nothing listens on the port: every pass fails; the clock moves past each back-off.
    for attempt in range(1, max_attempts + 1):
        now = max(row(app, mine).next_attempt_at, row(app, theirs).next_attempt_at)
        assert send(app, now=now) == (0, 2, 2 if attempt == max_attempts else 0)
        r = row(app, mine)
        assert r.attempts == attempt
        if attempt < max_attempts:
            assert r.failed_at is None
            assert r.next_attempt_at - now == min(
                datetime.timedelta(minutes=2 ** (attempt - 1)), datetime.timedelta(hours=6)
            )
    assert r.failed_at is not None and "ConnectionRefused" in r.last_error
    assert "example.org" not in r.last_error
    # Given up: no more attempts, however late.
    assert send(app, now=utcnow() + datetime.timedelta(days=30)) == (0, 0, 0)
    assert row(app, mine).attempts == max_attempts
    with db_ctx(app):
        assert mail.backlog() == {"due": 0, "oldest_due_minutes": 0, "failed": 2}

    client = app.test_client()
    login(client, "beheerder")
    html = client.get(MAIL_PAGE).get_data(as_text=True)
    assert "Hier 000" in html and "Elders 000" not in html  # only this school's mail
    assert "ouder0@example.org" in html and "Opnieuw proberen" in html
    assert "Er wacht geen mail op verzending." in html
    other = client.get("/anderschool/beheer/mail").get_data(as_text=True)
    assert "Elders 000" in other and "Hier 000" not in other

    retry_url = f"{MAIL_PAGE}/{mine}/opnieuw"
    assert client.post(retry_url).status_code == 400  # no CSRF token
    assert row(app, mine).failed_at is not None
    # Another school's mail cannot be retried through this school's page.
    token = get_csrf(client, MAIL_PAGE)
    r = client.post(f"{MAIL_PAGE}/{theirs}/opnieuw", data={"csrf_token": token}, follow_redirects=True)
    assert "staat niet (meer) bij de mislukte mail" in r.get_data(as_text=True)
    assert row(app, theirs).failed_at is not None

    r = client.post(retry_url, data={"csrf_token": token})
    assert r.status_code == 302 and r.headers["Location"].endswith(MAIL_PAGE)
    fresh = row(app, mine)
    assert fresh.failed_at is None and fresh.attempts == 0 and fresh.next_attempt_at <= utcnow()
    with db_ctx(app):
        audits = list(AuditLog.select().where(AuditLog.action == "admin.mail.retry"))
        assert [(a.school, a.detail, a.user_email) for a in audits] == [
            ("klaverweide", f"outbox={mine}", "beheerder@asg.demo")
        ]
    html = client.get(MAIL_PAGE).get_data(as_text=True)
    assert "Er is geen mislukte mail." in html and "Er wacht nog 1 mail op verzending." in html

    with smtp_server(port) as server:
        assert send(app) == (1, 0, 0)
    assert [m["Subject"] for _, m in server.messages] == ["Hier 000"]
    assert row(app, theirs).failed_at is not None

    # "Alle mislukte mail opnieuw proberen" at the other school.
    token = get_csrf(client, "/anderschool/beheer/mail")
    r = client.post("/anderschool/beheer/mail/opnieuw", data={"csrf_token": token}, follow_redirects=True)
    assert "1 mislukte mail staat weer in de wachtrij" in r.get_data(as_text=True)
    assert row(app, theirs).failed_at is None
    with db_ctx(app):
        assert (
            AuditLog.select()
            .where((AuditLog.action == "admin.mail.retry") & (AuditLog.school == "anderschool"))
            .count()
            == 1
        )


def test_mail_page_only_for_the_beheerder_and_walked_by_the_access_test(app):
    rules = {r.endpoint: r.rule for r in app.url_map.iter_rules()}
    assert rules["admin.outbox"] == "/<school>/beheer/mail"
    assert rules["admin.outbox_retry"] == "/<school>/beheer/mail/<int:outbox_id>/opnieuw"
    assert rules["admin.outbox_retry_all"] == "/<school>/beheer/mail/opnieuw"
    for role in ROLES:
        client = app.test_client()
        login(client, role)
        status = client.get(MAIL_PAGE).status_code
        assert status == (200 if role == "beheerder" else 403), role
    assert app.test_client().get(MAIL_PAGE).status_code == 302  # anonymous: to the login


def test_backlog_counts_due_mail_and_its_age(octx):
    ids = queue_many(3)
    created = Outbox.get_by_id(ids[0]).next_attempt_at
    Outbox.update(next_attempt_at=created + datetime.timedelta(hours=1)).where(
        Outbox.id == ids[2]
    ).execute()  # backing off: not due
    Outbox.update(failed_at=utcnow()).where(Outbox.id == ids[1]).execute()
    later = created + datetime.timedelta(minutes=10, seconds=30)
    assert mail.backlog(now=later) == {"due": 1, "oldest_due_minutes": 10, "failed": 1}
    assert mail.backlog(now=created - datetime.timedelta(minutes=1))["due"] == 0


# ---------------------------------------------------- never inside a request ----


@pytest.fixture
def hung_smtp(app):
    """A socket that accepts connections (the kernel completes them) and never answers."""
    with db_ctx(app):
        Outbox.delete().execute()
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sock.getsockname()[1], SMTP_TIMEOUT=1)
    yield sock
    sock.close()


def connections(sock):
    """How many connections were made to ``sock`` so far (all of them are accepted here)."""
    n = 0
    while True:
        try:
            conn, _ = sock.accept()
        except BlockingIOError:
            return n
        conn.close()
        n += 1


def test_a_hung_smtp_server_does_not_touch_a_request(app, client, hung_smtp):
    r = submit(client)  # the public complaint form: mail to the parent and to staff
    assert r.status_code == 200, r.get_data(as_text=True)
    assert connections(hung_smtp) == 0  # the request made no connection to the SMTP port
    with db_ctx(app):
        queued = list(Outbox.select())
        assert queued and all(q.sent_at is None and q.attempts == 0 for q in queued)
    # The worker's pass connects, gives up after SMTP_TIMEOUT, records a failed attempt.
    result = send(app)
    assert result.sent == 0 and result.failed == len(queued)
    assert connections(hung_smtp) == 1
    with db_ctx(app):
        for q in Outbox.select():
            assert q.attempts == 1 and q.sent_at is None and q.claim_token is None
            assert "antwoordt niet op tijd" in q.last_error and "@" not in q.last_error


# ------------------------------------------------------------- what is kept ----


def test_header_values_are_made_safe_when_queued(app, port):
    with db_ctx(app):
        here = school()
        injected = mail.queue(
            "ouder@example.org\r\nBcc: x@evil.example", "Klacht\r\nBcc: x@evil.example", "Tekst", school=here
        )
        odd = mail.queue(
            "ouder2@example.org", "Een\x00 \t\x85titel\u2028met\x1b[31m tekens", "Tekst", school=here
        )
        listed = mail.queue("ouder3@example.org, x@evil.example", "Lijst", "Tekst", school=here)
        assert injected.to == "ouder@example.org"
        assert injected.subject == "Klacht Bcc: x@evil.example"  # on one line: just text
        assert odd.subject == "Een titel met [31m tekens"
        for r in (injected, odd):
            stored = Outbox.get_by_id(r.id)
            assert not any(c in stored.subject + stored.to for c in "\r\n\x00\x85\u2028")
        # Never sendable: failed at once, for the beheerder to see, instead of eight tries.
        assert Outbox.get_by_id(listed.id).failed_at is not None
    with smtp_server(port) as server:
        assert send(app) == (2, 0, 0)  # sendable now, not failing forever
    rcpts = sorted(rcpt for rcpt, _ in server.messages)
    assert rcpts == [["ouder2@example.org"], ["ouder@example.org"]]
    assert all(msg["Bcc"] is None for _, msg in server.messages)
    assert "evil" not in " ".join(str(r) for r in rcpts)


def test_body_and_attachment_are_cleared_once_sent(app, port):
    letter = b"%PDF-1.4 de brief aan de ouder"
    with db_ctx(app):
        row_id = mail.queue(
            "ouder@example.org",
            "Uw brief",
            "Beste ouder, details.",
            school=school(),
            attachment=letter,
            attachment_name="brief.pdf",
        ).id
    with smtp_server(port) as server:
        assert send(app) == (1, 0, 0)
    ((_, msg),) = server.messages
    assert [(p.get_filename(), p.get_payload(decode=True)) for p in msg.walk() if p.get_filename()] == [
        ("brief.pdf", letter)
    ]
    sent = row(app, row_id)
    assert sent.sent_at is not None and sent.body == "" and sent.attachment is None
    assert sent.to == "ouder@example.org" and sent.subject == "Uw brief"  # for the list and audit


def test_a_purged_case_takes_its_mail_along(octx):
    case = make_case("Met mail")
    other = make_case("Zonder")
    kept = mail.queue("los@example.org", "Los", "Tekst", school=school()).id
    mine = mail.queue("ouder@example.org", "Over de zaak", "Tekst", case=case)
    assert mine.school == "klaverweide" and Outbox.get_by_id(mine.id).case_id == case.id
    Case.delete().where(Case.id == case.id).execute()  # what retention.purge does
    assert Outbox.get_or_none(Outbox.id == mine.id) is None
    assert Outbox.get_or_none(Outbox.id == kept) is not None
    assert Case.get_or_none(Case.id == other.id) is not None


@pytest.mark.schema
def test_migration_upgrades_an_old_outbox_table(ctx):
    """The table as it was before m0004: the migration adds the columns and indexes, and
    the claim, the failed mark and the cascade work on it; running it again changes nothing."""
    import importlib

    import peewee

    from portal.db import BaseModel

    m0004 = importlib.import_module("portal.migrations.m0004_outbox")

    class OldOutbox(BaseModel):
        school = peewee.CharField(max_length=60, default="")
        to = peewee.CharField(max_length=254)
        subject = peewee.CharField(max_length=300)
        body = peewee.TextField()
        attachment = peewee.BlobField(null=True)
        attachment_name = peewee.CharField(max_length=200, default="")
        created_at = peewee.DateTimeField(default=utcnow)
        attempts = peewee.IntegerField(default=0)
        next_attempt_at = peewee.DateTimeField(default=utcnow, index=True)
        sent_at = peewee.DateTimeField(null=True, index=True)
        last_error = peewee.CharField(max_length=500, default="")

        class Meta:
            table_name = "portal_outbox"

    # The password links (m0009) point at their mail: their table goes and comes back with
    # the outbox (PostgreSQL refuses to drop a table another one refers to).
    from portal.models import PasswordToken

    database.drop_tables([PasswordToken, Outbox])
    database.create_tables([OldOutbox])
    old = OldOutbox.create(
        to="oud@example.org\r\nBcc: x@evil.example",
        subject="Oud\r\nBcc: x@evil.example",
        body="Tekst",
        school="klaverweide",
    )
    done = OldOutbox.create(to="klaar@example.org", subject="Verzonden", body="", sent_at=utcnow())
    assert "case_id" not in {c.name for c in database.get_columns("portal_outbox")}
    with database.atomic():
        m0004.upgrade(database)
    with database.atomic():
        m0004.upgrade(database)  # again: nothing to do, no error
    database.create_tables([PasswordToken])
    columns = {c.name for c in database.get_columns("portal_outbox")}
    assert {"claim_token", "claimed_until", "failed_at", "case_id"} <= columns
    indexes = {i.name for i in database.get_indexes("portal_outbox")}
    assert {"portal_outbox_pending", "portal_outbox_failed", "portal_outbox_case_id"} <= indexes
    # Unsent mail queued with CR/LF in a header: cleaned, so it can go out.
    (claimed,) = mail.claim(5)
    assert claimed.id == old.id and claimed.failed_at is None and claimed.case_id is None
    assert (claimed.to, claimed.subject) == ("oud@example.org", "Oud Bcc: x@evil.example")
    assert mail.build_message(claimed).as_bytes()
    assert Outbox.get_by_id(done.id).sent_at is not None
    assert mail.mark_failed(claimed, "test", permanent=True) == "failed"
    case = make_case("Na de migratie")
    mine = mail.queue("ouder@example.org", "Over de zaak", "Tekst", case=case)
    Case.delete().where(Case.id == case.id).execute()
    assert Outbox.get_or_none(Outbox.id == mine.id) is None
    assert mail.backlog()["failed"] == 1


# -------------------------------------------------------------- the worker ----


def _worker_env(app, tmp_path, **extra):
    env = dict(os.environ)
    for key in ("SMTP_HOST", "SMTP_PORT"):
        env.pop(key, None)
    env.update(
        PORTAL_INSTANCE_PATH=str(tmp_path / "instance"),
        DATABASE_URL=app.config["DATABASE_URL"],
        SECRET_KEY=app.config["SECRET_KEY"],
        PYTHONUNBUFFERED="1",
        **{k: str(v) for k, v in extra.items()},
    )
    return env


def _start_worker(env):
    flask = Path(sys.executable).with_name("flask")
    proc = subprocess.Popen(
        [str(flask), "--app", "portal", "outbox", "work"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=Path(__file__).resolve().parent.parent,
    )
    lines = queue_module.Queue()

    def read():
        for line in proc.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return proc, lines


def _wait_for_line(lines, text):
    seen = []
    while True:
        line = lines.get(timeout=LONG)
        if line is None:
            raise AssertionError("the worker ended before it said: " + text + "\n" + "".join(seen))
        seen.append(line)
        if text in line:
            return seen


def test_worker_process_sends_then_stops_cleanly_on_sigterm(app, port, tmp_path):
    with db_ctx(app):
        row_id = queue_many(1)[0]
    delivered = threading.Event()

    class Signalling(Collector):
        async def handle_DATA(self, server, session, envelope):
            result = await super().handle_DATA(server, session, envelope)
            delivered.set()
            return result

    from aiosmtpd.controller import Controller

    handler = Signalling()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    proc, lines = _start_worker(_worker_env(app, tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=port))
    try:
        assert delivered.wait(LONG), "the worker sent nothing"
        _wait_for_line(lines, "Verzonden: 1")  # marked, and said so
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(LONG) == 0
        _wait_for_line(lines, "Verzender gestopt.")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(LONG)
        controller.stop()
    assert len(handler.messages) == 1 and row(app, row_id).sent_at is not None


def test_worker_without_smtp_host_says_so_idles_and_stops_on_sigint(app, tmp_path):
    proc, lines = _start_worker(_worker_env(app, tmp_path))
    try:
        _wait_for_line(lines, "Geen SMTP_HOST ingesteld")
        assert proc.poll() is None  # idling, not ended
        proc.send_signal(signal.SIGINT)
        assert proc.wait(LONG) == 0
        _wait_for_line(lines, "Verzender gestopt.")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(LONG)
