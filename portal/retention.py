"""Retention: closed cases are deleted once their type's retention period has passed.

Plugin tables point to their ``Case`` with ON DELETE CASCADE, so deleting the
case deletes its events, checklist, deadlines, documents and plugin data. A
case on legal hold stays. The purge itself is audited (without personal data).
"""

import datetime

from . import dates
from .audit import audit
from .db import atomic
from .models import Case
from .models import LoginAttempt
from .models import School
from .models import UserSession
from .models import utcnow


def due_for_purge(today=None):
    today = today or dates.today()  # the Dutch date, like retention_until
    return list(
        Case.select(Case, School)
        .join(School)
        .where(
            Case.closed_at.is_null(False)
            & Case.retention_until.is_null(False)
            & (Case.retention_until < today)
            & (Case.legal_hold == False)  # noqa: E712
        )
        .order_by(Case.id)
    )


def purge(today=None, dry_run=True):
    """Return the cases that (would) go; delete them unless ``dry_run``."""
    cases = due_for_purge(today)
    if dry_run:
        return cases
    for case in cases:
        with atomic():
            Case.delete().where(Case.id == case.id).execute()
            audit("case.purge", case=case, school=case.school,
                  detail=f"retention_until={case.retention_until}")
    return cases


def purge_housekeeping(now=None):
    """Old throttling rows (a day) and ended or expired sessions (30 days) go too."""
    now = now or utcnow()
    LoginAttempt.delete().where(LoginAttempt.at < now - datetime.timedelta(days=1)).execute()
    UserSession.delete().where(UserSession.last_seen < now - datetime.timedelta(days=30)).execute()
