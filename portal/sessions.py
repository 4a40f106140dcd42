"""A login's server-side session and the user as flask-login sees it.

Separate from auth.py (the login pages) and mfa.py (the second factor), which both
start sessions: neither has to import the other for it.
"""

import hashlib
import secrets

from flask import session
from flask_login import UserMixin
from flask_login import login_user

from . import csrf
from .access import forget_user
from .models import UserSession


class PortalUser(UserMixin):
    """The logged-in user as flask-login sees it: the User row plus its session."""

    def __init__(self, row, session_row, roles=None):
        self.row = row
        self.session_row = session_row
        self.id = row.id
        self.email = row.email
        self.name = row.name
        # ((role, school id as text or "*"), ...) when loaded with the session; access
        # control then needs no query of its own (access._from_loaded).
        self.roles = roles

    def get_id(self):
        return str(self.row.id)


def token_hash(token):
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user):
    """Log ``user`` in with a fresh session id (no fixation)."""
    session.clear()
    forget_user()  # who "current_user" is changes now
    token = secrets.token_urlsafe(32)
    row = UserSession.create(token_hash=token_hash(token), user=user)
    session["sid"] = token
    login_user(PortalUser(user, row))
    csrf.new_secret()
