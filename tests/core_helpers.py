"""Helpers shared by the core and engine tests (tests/test_core_*.py, tests/test_engine_*.py)."""

import contextlib
import re

from portal.cases import engine
from portal.db import database
from portal.models import AuditLog
from portal.models import Case
from portal.models import CaseEvent
from portal.models import School
from portal.models import User
from portal.sessions import PortalUser

from .conftest import ROLES

TYPE = "testzaak.zaak"
REF_RE = re.compile(r"\bTZ-\d{4}-\d{4}\b")


def email_of(role):
    return f"{role}@asg.demo" if role in ("bestuur", "beheerder") else f"{role}@klaverweide.demo"


def user(role):
    return User.get(User.email == email_of(role))


def actor(role):
    """The user as the engine expects it (flask-login's wrapper around the row)."""
    return PortalUser(user(role), None)


def school():
    return School.get(School.slug == "klaverweide")


@contextlib.contextmanager
def db_ctx(app):
    """An app context with a database connection, for setup between requests."""
    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        try:
            yield
        finally:
            if not database.is_closed():
                database.close()


def make_case(title="Testzaak", by="directie", **kw):
    """Create a testzaak case (inside an app context)."""
    return engine.create_case(school(), TYPE, title, actor(by) if by else None, **kw)


def reload(case):
    fresh = Case.get_by_id(case.id)
    fresh.school = school()
    return fresh


def event_count(case):
    return CaseEvent.select().where(CaseEvent.case == case.id).count()


def audit_rows(**where):
    q = AuditLog.select()
    for k, v in where.items():
        q = q.where(getattr(AuditLog, k) == v)
    return list(q.order_by(AuditLog.id))


__all__ = ["ROLES"]
