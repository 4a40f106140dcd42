"""Mail through an outbox.

``queue()`` writes a row inside the caller's transaction, so a mail exists if
and only if the change that caused it was committed. After the request the
queued rows are sent over SMTP; a failed send stays queued with a growing
back-off and ``flask --app portal outbox send`` (cron) retries what is due.
Without ``SMTP_HOST`` the outbox only records.
"""

import datetime
import logging
import smtplib
from email.message import EmailMessage

from flask import current_app
from flask import g
from flask import has_request_context

from .models import Outbox
from .models import utcnow

log = logging.getLogger(__name__)

MAX_BACKOFF = datetime.timedelta(hours=6)


def queue(to, subject, body, school=None, attachment=None, attachment_name=""):
    """Queue one mail (inside the transaction of the change that causes it)."""
    if not to:
        return None
    row = Outbox.create(
        school=school.slug if school is not None else "",
        to=to, subject=subject[:300], body=body,
        attachment=attachment, attachment_name=attachment_name,
    )
    if has_request_context():
        g.setdefault("mail_queued", []).append(row.id)
    return row


def build_message(row):
    """An ``EmailMessage``; it refuses CR/LF in headers (header injection)."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = row.to
    msg["Subject"] = row.subject
    msg.set_content(row.body)
    if row.attachment:
        msg.add_attachment(
            bytes(row.attachment), maintype="application", subtype="pdf",
            filename=row.attachment_name or "bijlage.pdf",
        )
    return msg


def _backoff(attempts):
    return min(datetime.timedelta(minutes=1) * 2 ** max(attempts - 1, 0), MAX_BACKOFF)


def send_due(ids=None, now=None, limit=200):
    """Send queued mail that is due (or just ``ids``); return (sent, failed)."""
    cfg = current_app.config
    if not cfg.get("SMTP_HOST"):
        return 0, 0
    now = now or utcnow()
    q = Outbox.select().where(Outbox.sent_at.is_null())
    q = q.where(Outbox.id.in_(ids)) if ids else q.where(Outbox.next_attempt_at <= now)
    rows = list(q.order_by(Outbox.id).limit(limit))
    if not rows:
        return 0, 0
    sent = failed = 0
    try:
        smtp = smtplib.SMTP(cfg["SMTP_HOST"], cfg["SMTP_PORT"], timeout=cfg["SMTP_TIMEOUT"])
    except OSError as exc:
        for row in rows:
            _failed(row, exc, now)
        return 0, len(rows)
    with smtp:
        if cfg.get("SMTP_STARTTLS"):
            smtp.starttls()
        if cfg.get("SMTP_USERNAME"):
            smtp.login(cfg["SMTP_USERNAME"], cfg["SMTP_PASSWORD"])
        for row in rows:
            try:
                smtp.send_message(build_message(row))
            except (smtplib.SMTPException, OSError, ValueError) as exc:
                _failed(row, exc, now)
                failed += 1
            else:
                Outbox.update(sent_at=utcnow(), attempts=row.attempts + 1, last_error="").where(
                    Outbox.id == row.id
                ).execute()
                sent += 1
    return sent, failed


def _failed(row, exc, now):
    attempts = row.attempts + 1
    # No addresses or content in the log: only the row id and the error class.
    log.warning("outbox %s: send failed (%s), attempt %s", row.id, type(exc).__name__, attempts)
    Outbox.update(
        attempts=attempts, next_attempt_at=now + _backoff(attempts),
        last_error=f"{type(exc).__name__}: {exc}"[:500],
    ).where(Outbox.id == row.id).execute()


def init_app(app):
    @app.after_request
    def _send_after_request(response):
        ids = g.pop("mail_queued", None)
        if ids and app.config["MAIL_SEND_AFTER_REQUEST"] and app.config.get("SMTP_HOST"):
            try:
                send_due(ids=ids)
            except Exception:  # never turn a saved change into an error page
                log.exception("sending after request failed; the outbox keeps the mail")
        return response
