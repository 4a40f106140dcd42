"""Retention: closed cases are deleted once their type's retention period has passed.

Plugin tables point to their ``Case`` with ON DELETE CASCADE, so deleting the
case deletes its events, checklist, deadlines, documents and plugin data. A
case on legal hold stays. The purge itself is audited (without personal data).
"""

import datetime

from .audit import audit
from .db import atomic
from .models import Case
from .models import School


def due_for_purge(today=None):
    today = today or datetime.date.today()
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
            audit("case.purge", case=case, school=case.school, detail=f"retention_until={case.retention_until}")
    return cases
