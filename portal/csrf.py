"""CSRF protection (Flask-WTF) on every POST, with the signed token made once per session.

Every page carries a token: the logout form is part of the layout. Flask-WTF signs
the session's CSRF secret again on every request (HMAC, JSON, zlib), which was a
measurable part of each page view (docs/performance.md). Tokens do not expire here
(``WTF_CSRF_TIME_LIMIT`` is None: the session itself ends at logout, after idling
or after 10 hours), so the token signed for a secret once stays valid for as long
as that secret; this process keeps it and hands it to Flask-WTF, which then signs
nothing. With a time limit configured nothing is kept: each token must carry a
fresh time.
"""

from flask import current_app
from flask import g
from flask import session
from flask_wtf.csrf import CSRFProtect
from flask_wtf.csrf import generate_csrf

protect = CSRFProtect()

# (secret key, session's CSRF secret) -> signed token. Bounded: emptied when full.
_signed = {}
_MAX_KEPT = 4096


def _field(app):
    return app.config["WTF_CSRF_FIELD_NAME"]


def new_secret():
    """Give the session a fresh CSRF secret and token now (at login, after session.clear()).

    Stored now, the cookie set at login already holds it, so later pages neither
    change nor resend the cookie. Flask-WTF keeps this request's token in g; it was
    made from the secret session.clear() just threw away, and while it is there
    generate_csrf() would not store a new secret at all.
    """
    g.pop(_field(current_app), None)
    generate_csrf()


def _reuse_signed_token():
    app = current_app
    if app.config["WTF_CSRF_TIME_LIMIT"] is not None or not session:
        return
    raw = session.get(_field(app))
    if raw:
        token = _signed.get((app.secret_key, raw))
        if token is not None:
            setattr(g, _field(app), token)  # where generate_csrf() looks first


def _keep_signed_token(response):
    app = current_app
    field = _field(app)
    token = g.get(field)
    if token is not None and app.config["WTF_CSRF_TIME_LIMIT"] is None:
        raw = session.get(field)
        if raw:
            if len(_signed) >= _MAX_KEPT:
                _signed.clear()
            _signed[(app.secret_key, raw)] = token
    return response


def init_app(app):
    protect.init_app(app)
    app.before_request(_reuse_signed_token)
    app.after_request(_keep_signed_token)
