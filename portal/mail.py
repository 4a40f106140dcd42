"""Mail through an outbox, sent by a worker process, never inside a web request.

``queue()`` writes a row inside the caller's transaction, so a mail exists if and
only if the change that caused it was committed. ``flask --app portal outbox work``
(a worker beside the web server) or ``flask --app portal outbox send`` (one pass, for
cron) sends what is due: ``send_due()`` claims rows, sends them over SMTP and marks
each one sent. A web request never waits for an SMTP server: a hung one would hold
a parent's complaint form and the staff pages behind the same threads.

Why claims. Two workers (or a cron run overlapping the worker) that read the same
due rows would both send them. ``claim()`` sets a random token and a lease on up to
N due rows in one statement and returns them; a row is due only when nobody holds a
live claim on it. A worker that dies mid-batch holds its rows only until the lease
ends, then another worker takes them.

Why at-least-once. SMTP has no two-phase commit: the server's 250 after DATA and the
UPDATE that marks the row sent are two steps, and a crash (or a lost database
connection) between them leaves a delivered mail looking unsent; after the lease
another worker sends it again. Marking before sending would instead lose a mail on
such a crash, which is worse for a school than a duplicate. The lease bounds the
damage: a row is marked right after its 250, a worker sends only rows whose lease
it still holds (it renews the lease before it runs out, and a mark counts only with
its own token), so at most the one message in flight when a worker dies can go
twice; the rest of its batch is sent once, after the lease.

A failed attempt counts, backs off (doubling from 1 minute up to 6 hours) and keeps
only an error text without addresses or content; after ``OUTBOX_MAX_ATTEMPTS`` the
row is marked failed ("mislukt"), is no longer tried and shows on the beheerder's
mail page, where it can be retried. Once sent, the body and the attachment are
cleared: they held details of a case and the parent's letter. Without ``SMTP_HOST``
the outbox only records.
"""

import datetime
import logging
import re
import secrets
import smtplib
from email.message import EmailMessage
from typing import NamedTuple

from flask import current_app
from peewee import fn

from .db import atomic
from .db import database
from .db import is_sqlite
from .models import Outbox
from .models import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(hours=6)

# Control characters (C0, DEL, C1) and the Unicode line and paragraph separators:
# none belongs in a header, and several of them end a line for some parser.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_LINE_BREAK = re.compile("[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
# One plain address: no spaces, commas, colons or brackets that could make it a
# list, a group or a display name (and so a second recipient).
_ADDRESS = re.compile(r'[^\s@,;:<>()\[\]"\\]+@[^\s@,;:<>()\[\]"\\]+')


class SendResult(NamedTuple):
    sent: int = 0
    failed: int = 0  # failed attempts, given up ones included
    gave_up: int = 0  # of those: marked failed for good


def header_value(text):
    """``text`` on one line: control characters become spaces, runs of spaces one space."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def clean_address(text):
    """The address up to the first line break (what follows was never part of it)."""
    return _CONTROL.sub("", _LINE_BREAK.split(text or "", maxsplit=1)[0]).strip()


def queue(to, subject, body, school=None, attachment=None, attachment_name="", case=None):
    """Queue one mail (inside the transaction of the change that causes it).

    Header values are made safe here, where the mail is queued, not when it is sent:
    a subject with CR/LF in it (a case title typed with ``\\r\\nBcc: ...``) would
    otherwise be refused by the standard library at every attempt. ``case``: the
    row goes when the case is purged.
    """
    to = clean_address(to)
    if not to:
        return None
    if school is None and case is not None:
        school = case.school
    fields = {
        "school": school.slug if school is not None else "",
        "to": to[:254],  # longer is no address (RFC 5321), and fails below
        "subject": header_value(subject)[:300],
        "body": body,
        "attachment": attachment,
        "attachment_name": header_value(attachment_name)[:200],
        "case": case,
    }
    if len(to) > 254 or not _ADDRESS.fullmatch(to):
        # It can never be sent: failed at once, so the beheerder sees it now rather
        # than after eight attempts.
        fields.update(failed_at=utcnow(), last_error="Ongeldig e-mailadres")
    return Outbox.create(**fields)


def build_message(row):
    """An ``EmailMessage``; it refuses CR/LF in headers (a second guard after queue())."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = row.to
    msg["Subject"] = row.subject
    msg.set_content(row.body)
    if row.attachment:
        msg.add_attachment(
            bytes(row.attachment),
            maintype="application",
            subtype="pdf",
            filename=row.attachment_name or "bijlage.pdf",
        )
    return msg


def _backoff(attempts):
    return min(datetime.timedelta(minutes=1) * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def _pending():
    return Outbox.sent_at.is_null() & Outbox.failed_at.is_null()


def _due(now):
    return (
        _pending()
        & (Outbox.next_attempt_at <= now)
        & (Outbox.claimed_until.is_null() | (Outbox.claimed_until <= now))
    )


def claim(limit, now=None, lease=None):
    """Claim up to ``limit`` due rows for this worker; return them (``claim_token`` set).

    One UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING. On PostgreSQL the inner
    SELECT locks with FOR UPDATE SKIP LOCKED, so a second worker skips rows being
    claimed instead of waiting for them, and re-checks a row another worker claimed
    meanwhile (no longer due). On SQLite the transaction begins IMMEDIATE (db.atomic),
    so claims run one after the other.
    """
    now = now or utcnow()
    if lease is None:
        lease = datetime.timedelta(seconds=current_app.config["OUTBOX_LEASE_SECONDS"])
    token = secrets.token_hex(16)
    ids = Outbox.select(Outbox.id).where(_due(now)).order_by(Outbox.id).limit(limit)
    if not is_sqlite():
        ids = ids.for_update(skip_locked=True)
    query = (
        Outbox.update(claim_token=token, claimed_until=now + lease)
        .where(Outbox.id.in_(ids) & _due(now))
        .returning(Outbox)
    )

    with atomic():  # BEGIN IMMEDIATE on SQLite, retried while another writer holds the lock
        return sorted(query.execute(), key=lambda row: row.id)


def _held(row):
    return (Outbox.id == row.id) & (Outbox.claim_token == row.claim_token)


def _write(query):
    return query.execute()  # one statement: retried by the database layer while locked


def mark_sent(row, now=None):
    """Mark ``row`` sent, only while this worker's claim holds; clear body and attachment.

    False when another worker took the row over (the lease ended): it is theirs now.
    """
    return (
        _write(
            Outbox.update(
                sent_at=now or utcnow(),
                attempts=Outbox.attempts + 1,
                last_error="",
                body="",
                attachment=None,
                claim_token=None,
                claimed_until=None,
            ).where(_held(row))
        )
        == 1
    )


def mark_failed(row, error, now=None, permanent=False):
    """Count a failed attempt: back off, or give up after OUTBOX_MAX_ATTEMPTS.

    Returns "failed" (gave up), "retry", or "" when the claim was lost.
    """
    now = now or utcnow()
    attempts = row.attempts + 1
    give_up = permanent or attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]
    changed = _write(
        Outbox.update(
            attempts=attempts,
            next_attempt_at=now + _backoff(attempts),
            failed_at=now if give_up else None,
            last_error=error[:500],
            claim_token=None,
            claimed_until=None,
        ).where(_held(row))
    )
    if not changed:
        return ""
    # No addresses or content in the log: the row id and describe()'s text only.
    log.warning(
        "outbox %s: attempt %s failed: %s%s", row.id, attempts, error, "; given up" if give_up else ""
    )
    return "failed" if give_up else "retry"


def release(rows):
    """Give claimed rows back unattempted (stopping, or the connection broke): due again now."""
    for row in rows:
        _write(Outbox.update(claim_token=None, claimed_until=None).where(_held(row)))


def _renew(rows, until):
    """Extend the lease of ``rows``; return the ids still held by this worker."""
    if not rows:
        return set()
    token = rows[0].claim_token
    ids = [row.id for row in rows]
    query = (
        Outbox.update(claimed_until=until)
        .where(Outbox.id.in_(ids) & (Outbox.claim_token == token) & Outbox.sent_at.is_null())
        .returning(Outbox.id)
    )
    return {r.id for r in query.execute()}


def describe(exc):
    """The error for the beheerder's list: what went wrong, never an address or content.

    The server's text is left out: a refusal often quotes the recipient's address.
    """
    name = type(exc).__name__
    if isinstance(exc, ValueError):
        return f"Deze mail kan niet worden opgebouwd ({name})"
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = sorted({str(code) for code, _ in exc.recipients.values()})
        return f"Adres geweigerd door de mailserver ({name} {', '.join(codes)})"
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return f"Afzender geweigerd door de mailserver ({name} {exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return f"Inloggen bij de mailserver mislukt ({name} {exc.smtp_code})"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"Geweigerd door de mailserver ({name} {exc.smtp_code})"
    timed_out = isinstance(exc, TimeoutError) or isinstance(exc.__context__, TimeoutError)
    if timed_out:
        return f"De mailserver antwoordt niet op tijd ({name})"
    if isinstance(exc, smtplib.SMTPServerDisconnected):
        return f"De mailserver verbrak de verbinding ({name})"
    if isinstance(exc, OSError):
        return f"Geen verbinding met de mailserver ({name})"
    return f"Fout bij het verzenden ({name})"


# Refusals of one message: the connection is still good for the next one.
_MESSAGE_ERRORS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def _connect(cfg):
    smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"])
    try:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USERNAME"):
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
    except BaseException:
        smtp.close()
        raise
    return smtp


def send_due(now=None, limit=None, stop=None):
    """One pass: claim and send due mail until none is due (or ``limit`` rows, or ``stop``
    is set: then after the message in hand). Returns a ``SendResult``.

    ``now`` fixes the clock (tests move it past a back-off or a lease instead of sleeping).
    """
    cfg = current_app.config
    if not cfg.get("SMTP_HOST"):
        return SendResult()

    def clock():
        return now or utcnow()

    lease = datetime.timedelta(seconds=cfg["OUTBOX_LEASE_SECONDS"])
    batch = max(1, int(cfg["OUTBOX_BATCH_SIZE"]))
    sent = failed = gave_up = 0
    smtp = None

    def fail(row, exc, permanent=False):
        nonlocal failed, gave_up
        outcome = mark_failed(row, describe(exc), clock(), permanent=permanent)
        failed += bool(outcome)
        gave_up += outcome == "failed"

    try:
        while not (stop is not None and stop.is_set()):
            size = batch if limit is None else min(batch, limit - sent - failed)
            if size <= 0:
                break
            started = clock()
            rows = claim(size, now=started, lease=lease)
            if not rows:
                break
            if smtp is None:
                try:
                    smtp = _connect(cfg)
                except (smtplib.SMTPException, OSError) as exc:
                    for row in rows:  # the server is unreachable: each counts an attempt
                        fail(row, exc)
                    break
            # The lease is ours until it ends; renewed when half of it has gone, so no
            # other worker can take these rows while this one still sends them.
            held, held_until = {row.id for row in rows}, started + lease
            broken = False
            for i, row in enumerate(rows):
                if (stop is not None and stop.is_set()) or broken:
                    release(rows[i:])
                    break
                if clock() >= held_until - lease / 2:
                    held_until = clock() + lease
                    held = _renew(rows[i:], held_until)
                if row.id not in held:
                    continue  # taken over by another worker: theirs to send
                try:
                    message = build_message(row)
                except ValueError as exc:  # never sendable; retrying cannot help
                    fail(row, exc, permanent=True)
                    continue
                try:
                    smtp.send_message(message)
                except _MESSAGE_ERRORS as exc:
                    fail(row, exc)
                except Exception as exc:  # counted, so it cannot come back forever
                    # A broken connection, or a session left midway (an address the
                    # server cannot take raises UnicodeEncodeError after MAIL FROM): this
                    # attempt counts, the rest of the batch goes back unattempted.
                    fail(row, exc)
                    broken = True
                else:
                    sent += mark_sent(row, clock())
            if broken:
                break
    finally:
        if smtp is not None:
            try:
                smtp.quit()
            except (smtplib.SMTPException, OSError):
                smtp.close()
    return SendResult(sent, failed, gave_up)


def work(stop, echo=print):
    """The worker loop of ``flask --app portal outbox work``: a pass, then wait
    OUTBOX_POLL_SECONDS, until ``stop`` (a threading.Event) is set."""
    cfg = current_app.config
    if not cfg.get("SMTP_HOST"):
        # Idle rather than exit: under systemd (Restart=always) an exit would restart it
        # over and over; with SMTP_HOST set and a restart it starts sending.
        echo("Geen SMTP_HOST ingesteld: de outbox bewaart alleen. De verzender wacht tot hij wordt gestopt.")
        stop.wait()
    else:
        _poll(stop, float(cfg["OUTBOX_POLL_SECONDS"]), echo)
    echo("Verzender gestopt.")


def _poll(stop, poll, echo):
    echo(f"Verzender gestart: elke {poll:g} s wordt de outbox nagekeken.")
    while not stop.is_set():
        try:
            database.connect(reuse_if_open=True)
            result = send_due(stop=stop)
            if result.sent or result.failed:
                echo(summary(result))
        except Exception:  # a database or mail server hiccup: the next poll tries again
            log.exception("outbox pass failed; trying again after the poll interval")
        finally:
            # No connection held between passes (a restarted database, PgBouncer).
            if not database.is_closed():
                database.close()
        stop.wait(poll)


def summary(result):
    return (
        f"Verzonden: {result.sent}, mislukt (opnieuw geprobeerd na een wachttijd): "
        f"{result.failed - result.gave_up}, definitief mislukt: {result.gave_up}."
    )


def backlog(now=None):
    """For monitoring, in two cheap queries over small partial indexes: ``due`` (unsent
    rows due now), ``oldest_due_minutes`` (minutes since the oldest of those became due;
    0 when none) and ``failed`` (given up, waiting for a beheerder)."""
    now = now or utcnow()
    due, oldest = (
        Outbox.select(fn.COUNT(Outbox.id), fn.MIN(Outbox.next_attempt_at))
        .where(_pending() & (Outbox.next_attempt_at <= now))
        .tuples()
        .get()
    )
    failed = Outbox.select().where(Outbox.failed_at.is_null(False)).count()
    oldest = Outbox.next_attempt_at.python_value(oldest) if oldest else None
    minutes = max(0, int((now - oldest).total_seconds() // 60)) if oldest else 0
    return {"due": due, "oldest_due_minutes": minutes, "failed": failed}


def retry(school_slug, outbox_id=None, now=None):
    """Make failed mail of one school due again with a fresh count; return the ids.

    Only rows of ``school_slug``: a beheerder retries their own school's mail.
    """
    now = now or utcnow()
    q = Outbox.update(
        attempts=0,
        failed_at=None,
        next_attempt_at=now,
        last_error="",
        claim_token=None,
        claimed_until=None,
    ).where((Outbox.school == school_slug) & Outbox.failed_at.is_null(False))
    if outbox_id is not None:
        q = q.where(Outbox.id == outbox_id)
    return sorted(r.id for r in q.returning(Outbox.id).execute())
