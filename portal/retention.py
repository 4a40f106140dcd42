"""Retention: closed cases are deleted once their type's retention period has passed.

Plugin tables point to their ``Case`` with ON DELETE CASCADE, so deleting the
case deletes its events, checklist, deadlines, documents, outbox rows, attachment
rows and plugin data; the attachment files go right after (``remove_orphans``).
A case on legal hold stays. The purge itself is audited, one row per
purged case (without personal data).

The list of due cases is read in batches of ids, and each batch is deleted in
one transaction whose DELETE repeats every condition: a case put on legal hold,
reopened or given a later retention date after its id was read stays, and a
second purge running at the same time deletes (and audits) nothing twice. Only
the rows the DELETE returns are audited.
"""

import datetime
from dataclasses import dataclass

from . import attachments
from . import dates
from .audit import audit
from .db import atomic
from .models import Case
from .models import LoginAttempt
from .models import School
from .models import UserSession
from .models import utcnow

BATCH_SIZE = 200


@dataclass(frozen=True)
class Purged:
    """A case that was (or would be) purged: enough to report it, nothing about its content."""

    id: int
    reference: str
    retention_until: datetime.date
    school: School


def _due(today):
    # The legal-hold guard: a case on hold is never purged, whatever its dates.
    return (
        Case.closed_at.is_null(False)
        & Case.retention_until.is_null(False)
        & (Case.retention_until < today)
        & (Case.legal_hold == False)  # noqa: E712
    )


def _due_ids(today, after_id, limit):
    """The next ``limit`` ids of due cases after ``after_id`` (read outside the delete)."""
    return [
        row.id
        for row in Case.select(Case.id)
        .where(_due(today) & (Case.id > after_id))
        .order_by(Case.id)
        .limit(limit)
    ]


def _schools():
    return {s.id: s for s in School.select(School.id, School.slug, School.name)}


def purge(today=None, dry_run=True, batch_size=None):
    """Return the cases that (would) go, as ``Purged``; delete them unless ``dry_run``."""
    today = today or dates.today()  # the Dutch date, like retention_until
    batch_size = batch_size or BATCH_SIZE
    schools = _schools()
    out = []
    after = 0
    while True:
        ids = _due_ids(today, after, batch_size)
        if not ids:
            if not dry_run:
                attachments.remove_orphans()  # the purged cases' files (portal/attachments.py)
            return out
        after = ids[-1]
        if dry_run:
            rows = (
                Case.select(Case.id, Case.reference, Case.retention_until, Case.school)
                .where(Case.id.in_(ids))
                .order_by(Case.id)
                .tuples()
            )
        else:
            rows = _purge_batch(ids, today)
        out.extend(Purged(i, ref, until, schools.get(sid)) for i, ref, until, sid in rows)


def _purge_batch(ids, today):
    """Delete those of ``ids`` that are still due, auditing each; return what went."""
    with atomic():
        gone = list(
            Case.delete()
            .where(Case.id.in_(ids) & _due(today))
            .returning(Case.id, Case.reference, Case.retention_until, Case.school)
            .tuples()
            .execute()
        )
        gone.sort()
        schools = _schools()
        for case_id, reference, until, school_id in gone:
            # In the delete's transaction: a purged case always has its audit row.
            audit(
                "case.purge",
                case=_AuditedCase(case_id, reference),
                school=schools[school_id],
                detail=f"retention_until={until}",
            )
    return gone


@dataclass(frozen=True)
class _AuditedCase:
    id: int
    reference: str


def purge_housekeeping(now=None):
    """Throttling rows older than the longest window and ended or expired sessions
    (30 days) go too."""
    from .throttle import longest_window

    now = now or utcnow()
    LoginAttempt.delete().where(LoginAttempt.at < now - longest_window()).execute()
    UserSession.delete().where(UserSession.last_seen < now - datetime.timedelta(days=30)).execute()
