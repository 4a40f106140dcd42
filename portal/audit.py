"""The audit log: who did or saw what, when. Append-only (enforced in the database)."""

from flask import g
from flask import has_request_context
from flask import request
from flask_login import current_user

from .access import roles_at
from .models import AuditLog


def _roles_here():
    school = g.get("school") if has_request_context() else None
    if school is None or not current_user.is_authenticated:
        return ""
    return ",".join(sorted(roles_at(current_user, school)))


def audit(action, case=None, outcome="ok", detail="", user=None, school=None, email=""):
    """Write one audit row. ``detail`` must never hold a child's data or a secret."""
    if user is None and has_request_context() and current_user.is_authenticated:
        user = current_user
    if school is None and has_request_context():
        school = g.get("school")
    if school is None and case is not None:
        school = case.school
    AuditLog.create(
        user_id=user.id if user else None,
        user_email=(user.email if user else email)[:254],
        role=_roles_here(),
        school=school.slug if school else "",
        case_ref=case.reference if case else "",
        action=action,
        outcome=outcome,
        ip=(request.remote_addr or "") if has_request_context() else "",
        detail=detail[:2000],
    )
