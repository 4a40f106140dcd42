"""Staff login, logout and password change; sessions that really end.

A login creates a server-side ``UserSession`` row whose random token lives in
the signed cookie. The user loader accepts the cookie only while that row is
open, not idle too long, younger than the absolute limit, newer than the last
password change and the account active. Logout closes the row, so a cookie
copied before logout no longer works (with the default cookie session and
flask-login alone it would keep working, also with session_protection="strong").
"""

import datetime
from urllib.parse import urlsplit

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import LoginManager
from flask_login import current_user
from flask_login import logout_user
from flask_wtf import FlaskForm
from wtforms import EmailField
from wtforms import PasswordField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from . import access
from . import mfa
from . import passwords
from . import sso
from . import throttle
from .access import LOGIN
from .access import forget_user
from .access import has_several_schools
from .access import public
from .access import requires
from .audit import audit
from .db import atomic
from .db import constant_sql
from .db import database
from .models import User
from .models import UserSession
from .models import utcnow
from .passwords import hash_password
from .passwords import needs_rehash
from .passwords import policy_error
from .passwords import verify_password
from .sessions import PortalUser
from .sessions import start_session
from .sessions import token_hash

bp = Blueprint("auth", __name__)
login_manager = LoginManager()

GENERIC_FAILURE = "Onbekend e-mailadres of onjuist wachtwoord."
PASSWORDS_OFF = "Inloggen met een wachtwoord staat uit. Log in met uw schoolaccount via de knop hierboven."


# Runs on every authenticated request, so it is one constant, parameterised query
# (building it with peewee cost more than running it; docs/performance.md), and it
# brings the user's roles along for access control.
SESSION_SQL = (
    'SELECT s."id", s."created_at", s."last_seen", s."ended_at", '
    'u."id", u."email", u."name", u."active", u."password_changed_at", u."totp_secret", '
    + access.USER_ACCESS_COLUMN
    + " "
    'FROM "portal_user_session" AS s JOIN "portal_user" AS u ON u."id" = s."user_id" '
    'WHERE s."token_hash" = ?'
)


@login_manager.user_loader
def load_user(user_id):
    token = session.get("sid")
    if not token or g.get("db_failed"):
        # No session, or the database just failed: the error page is shown to nobody in
        # particular rather than asking the database who this is.
        return None
    found = database.execute_sql(
        constant_sql(SESSION_SQL), (*access.USER_ACCESS_PARAMS, token_hash(token))
    ).fetchone()
    if found is None or str(found[4]) != str(user_id):
        return None
    when = UserSession.created_at.python_value
    session_row = UserSession(
        id=found[0], created_at=when(found[1]), last_seen=when(found[2]), ended_at=when(found[3])
    )
    user = User(
        id=found[4],
        email=found[5],
        name=found[6],
        active=bool(found[7]),
        password_changed_at=when(found[8]),
        totp_secret=found[9],
    )
    now = utcnow()
    cfg = current_app.config
    idle = datetime.timedelta(minutes=cfg["SESSION_IDLE_MINUTES"])
    absolute = datetime.timedelta(hours=cfg["SESSION_MAX_HOURS"])
    if (
        session_row.ended_at is not None
        or not user.active
        or now - session_row.last_seen > idle
        or now - session_row.created_at > absolute
        or session_row.created_at < user.password_changed_at
    ):
        return None
    if (now - session_row.last_seen).total_seconds() > 60:
        # Touch at most once a minute: a write per request would cost throughput.
        UserSession.update(last_seen=now).where(UserSession.id == session_row.id).execute()
    return PortalUser(user, session_row, access.user_roles(found[10]))


@login_manager.unauthorized_handler
def _unauthorized():
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))


def login_limits(email, address):
    """Wrong passwords count per (account, address) first: a stranger guessing at an account
    slows down himself, not the colleague who owns it. Guessing at many accounts from one
    address, or at one account from many addresses, is slowed down later (docs/security.md
    A1)."""
    free = current_app.config["THROTTLE_FREE_ATTEMPTS"]
    return [
        throttle.Limit(f"pair:{email}|{address}", free),
        throttle.Limit(f"ip:{address}", free * 4),
        throttle.Limit(f"acct:{email}", free * 10),
    ]


def safe_next(target):
    """Only a path inside the portal: no scheme, no host, no '//' or backslash tricks."""
    if not target or not isinstance(target, str):
        return None
    if any(c in target for c in "\\\r\n\t") or not target.startswith("/"):
        return None
    if target.startswith("//"):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


class LoginForm(FlaskForm):
    email = EmailField("E-mailadres", validators=[DataRequired("Vul uw e-mailadres in."), Length(max=254)])
    password = PasswordField(
        "Wachtwoord", validators=[DataRequired("Vul uw wachtwoord in."), Length(max=128)]
    )


class PasswordForm(FlaskForm):
    current = PasswordField("Huidig wachtwoord", validators=[DataRequired("Vul uw huidige wachtwoord in.")])
    new = PasswordField("Nieuw wachtwoord", validators=[DataRequired("Kies een nieuw wachtwoord.")])
    repeat = PasswordField(
        "Herhaal het nieuwe wachtwoord", validators=[DataRequired("Herhaal het nieuwe wachtwoord.")]
    )


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated and request.method == "GET":
        return redirect(next_url or url_for("schools.home"))
    status = 200
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        counted = throttle.attempt("login", login_limits(email, request.remote_addr))
        if not counted.allowed:
            audit("login", outcome="throttled", email=audited_address(email), user=None)
            form.email.errors.append(
                f"Te veel mislukte pogingen. Probeer het over {counted.wait} seconden opnieuw."
            )
            status = 429
        else:
            user = User.get_or_none(User.email == email)
            ok = verify_password(user.password_hash if user else passwords.DUMMY_HASH, form.password.data)
            if user and ok and needs_rehash(user.password_hash):
                # An account from before argon2id: store the new hash now that we know
                # the password (the old scrypt hash is gone after this login).
                User.update(password_hash=hash_password(form.password.data)).where(
                    User.id == user.id
                ).execute()
            if user and ok and user.active:
                throttle.forgive(counted)  # the right password: this attempt does not count
            if user and ok and user.active and not sso.passwords_allowed(user):
                # The board logs in through its identity provider; only the break-glass
                # account keeps its password (docs/operations.md).
                audit("login", outcome="refused", user=user, detail="wachtwoord uit")
                form.password.errors.append(PASSWORDS_OFF)
                return render_template(
                    "auth/login.html", form=form, next=next_url, sso=sso.active_config(), with_password=True
                ), 403
            if user and ok and user.active and user.totp_secret:
                audit("login.password", user=user)
                return mfa.begin_second_step(user, next_url)
            if user and ok and user.active:
                start_session(user)
                audit("login", user=user)
                return redirect(next_url or url_for("schools.home"))
            audit("login", outcome="failed", email=audited_address(email, user), user=None)
            form.password.errors.append(GENERIC_FAILURE)
            status = 401
    config = sso.active_config()
    # With passwords switched off the page offers only the identity provider's button;
    # ?wachtwoord=1 shows the form for the break-glass account (docs/operations.md).
    with_password = (
        config is None
        or not config.passwords_off
        or request.values.get("wachtwoord") == "1"
        or request.method == "POST"
    )
    return render_template(
        "auth/login.html", form=form, next=next_url, sso=config, with_password=with_password
    ), status


def audited_address(email, user=...):
    """What the audit row of a failed login names: the address when it is an account's; else
    a keyed hash of it. A typed address that is nobody's account (a typo of someone else's
    address, a password typed into the wrong field) would stay in the append-only log for
    good; the hash still shows that one unknown address was tried again and again."""
    if user is ...:
        user = User.get_or_none(User.email == email)
    if user is not None:
        return email
    return "onbekend " + throttle.hashed(f"login-address:{email}")[:12]


@bp.route("/logout", methods=["POST"])
@requires(LOGIN)
def logout():
    row = current_user.session_row
    UserSession.update(ended_at=utcnow()).where(UserSession.id == row.id).execute()
    audit("logout")
    logout_user()
    forget_user()
    session.clear()
    flash("U bent uitgelogd.")
    response = redirect(url_for("auth.login"))
    response.headers["Clear-Site-Data"] = '"cache", "storage"'
    return response


@bp.route("/wachtwoord", methods=["GET", "POST"])
@requires(LOGIN)
def change_password():
    form = PasswordForm()
    if form.validate_on_submit():
        user = User.get_by_id(current_user.id)  # with the password hash
        if not verify_password(user.password_hash, form.current.data):
            form.current.errors.append("Het huidige wachtwoord klopt niet.")
        elif form.new.data != form.repeat.data:
            form.repeat.errors.append("De twee nieuwe wachtwoorden zijn niet gelijk.")
        elif reason := policy_error(form.new.data, user.email):
            form.new.errors.append(reason)
        else:
            set_password(user, form.new.data)
            # Every other session of this user ends; this one starts afresh.
            start_session(User.get_by_id(user.id))
            audit("password.change")
            flash("Uw wachtwoord is gewijzigd. Andere sessies zijn beëindigd.")
            return redirect(url_for("schools.home"))
    return render_template("auth/password.html", form=form)


def set_password(user, password):
    """Store a new password: every session of the account ends (the caller starts a new one
    for the person at hand) and so does every open password link."""
    from .password_links import end_links

    with atomic():
        now = utcnow()
        User.update(password_hash=hash_password(password), password_changed_at=now).where(
            User.id == user.id
        ).execute()
        UserSession.update(ended_at=now).where(
            (UserSession.user == user.id) & UserSession.ended_at.is_null()
        ).execute()
        end_links(user.id, now)


def disable_user(user):
    from .password_links import end_links

    with atomic():
        User.update(active=False).where(User.id == user.id).execute()
        UserSession.update(ended_at=utcnow()).where(
            (UserSession.user == user.id) & UserSession.ended_at.is_null()
        ).execute()
        end_links(user.id)


def enable_user(user):
    """The account works again, with the password and second factor it had."""
    User.update(active=True).where(User.id == user.id).execute()


def init_app(app):
    login_manager.init_app(app)
    login_manager.session_protection = None  # our server-side session does this job
    app.register_blueprint(bp)

    @app.context_processor
    def _user_schools():
        school = g.get("school")
        return {
            "several_schools": lambda: has_several_schools(current_user, school),
            "current_school": school,
        }
