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


LINK_RE = re.compile(r"https?://[^/\s]+(/wachtwoord/instellen/[A-Za-z0-9_\-]+)")


def password_link(app, email):
    """The path of the newest password link mailed to ``email`` (from the outbox)."""
    from portal.models import Outbox

    with db_ctx(app):
        rows = list(Outbox.select().where(Outbox.to == email).order_by(Outbox.id.desc()))
    for row in rows:
        found = LINK_RE.search(row.body or "")
        if found:
            return found.group(1)
    raise AssertionError(f"no password link mailed to {email}")


def set_password_by_link(app, client, email, password):
    """Follow the newest link mailed to ``email`` and choose ``password``; the response."""
    from portal.testing import csrf_from

    page = client.get(password_link(app, email), follow_redirects=True)
    assert page.status_code == 200, page.get_data(as_text=True)[:300]
    return client.post(
        "/wachtwoord/instellen",
        data={"new": password, "repeat": password, "csrf_token": csrf_from(page.get_data(as_text=True))},
    )
