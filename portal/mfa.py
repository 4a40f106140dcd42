"""Second factor for staff: TOTP codes from an authenticator app (docs/security.md A5).

Every role that can see case content (``DOSSIER_ROLES``) must enrol before anything
else opens, unless the deployment deliberately sets ``PORTAL_REQUIRE_MFA=0`` (which
production mode warns about). A code is accepted once: the time step of the last
accepted code is stored, and an older or equal step is refused. The TOTP secret is
stored sealed (portal/secretbox.py). At enrolment the user gets ten single-use
recovery codes, shown once and stored as salted hashes, for the day the phone is
lost; a beheerder can also reset someone's second factor (audited), after which the
user enrols again at the next login. A password reset never skips the second factor:
it only changes the first (portal/password_links.py). A sign-in through the board's
identity provider counts as the second factor only when its ID token says several
factors were used (portal/sso.py); otherwise the code is asked here as after a password.
"""

import hashlib
import hmac
import logging
import secrets
import time

import pyotp
import segno
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from . import throttle
from .access import LOGIN
from .access import public
from .access import requires
from .access import view_rule
from .audit import audit
from .db import atomic
from .declarations import DOSSIER_ROLES
from .models import RecoveryCode
from .models import User
from .models import UserRole
from .models import UserSession
from .models import utcnow
from .secretbox import open_sealed
from .secretbox import seal
from .sessions import start_session

bp = Blueprint("mfa", __name__)
log = logging.getLogger(__name__)

ISSUER = "Veiligheidsportaal"
PENDING_SECONDS = 300
RECOVERY_CODES = 10
# Base32 without the characters people mix up (0/O, 1/I/L): 10 of them carry 50 bits.
RECOVERY_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"


class CodeForm(FlaskForm):
    code = StringField(
        "Code uit uw authenticator-app (of een herstelcode)",
        validators=[DataRequired("Vul de code in."), Length(max=40)],
        render_kw={"autocomplete": "one-time-code", "autocapitalize": "characters"},
    )


# ------------------------------------------------------------------ codes ----


def secret_of(user):
    return open_sealed(user.totp_secret, "totp")


def accept_code(user, code, secret=None):
    """True when the six-digit ``code`` is valid now and newer than the last accepted one;
    records it (a conditional update: two requests with the same code cannot both win)."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    secret = secret or secret_of(user)
    if not secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(secret)
    now = int(time.time())
    for offset in (-1, 0, 1):  # one step of clock drift either way
        step = now // 30 + offset
        if step > user.totp_last_step and totp.at(step * 30) == code:
            won = (
                User.update(totp_last_step=step)
                .where((User.id == user.id) & (User.totp_last_step < step))
                .execute()
            )
            return bool(won)
    return False


def _recovery_hash(salt, code):
    return hashlib.sha256(f"{salt}:{code}".encode()).hexdigest()


def _normal(code):
    return "".join(ch for ch in (code or "").upper() if ch.isalnum())


def new_recovery_codes(user):
    """Ten fresh single-use codes for ``user`` (the old ones stop working); shown once."""
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10)) for _ in range(RECOVERY_CODES)]
    with atomic():
        RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
        for code in codes:
            salt = secrets.token_hex(8)
            RecoveryCode.create(user=user.id, salt=salt, code_hash=_recovery_hash(salt, code))
    return [f"{c[:5]}-{c[5:]}" for c in codes]


def accept_recovery_code(user, code):
    """True when ``code`` is one of the user's unused recovery codes; it is used up now."""
    code = _normal(code)
    if len(code) != 10:
        return False
    for row in RecoveryCode.select().where((RecoveryCode.user == user.id) & RecoveryCode.used_at.is_null()):
        if hmac.compare_digest(row.code_hash, _recovery_hash(row.salt, code)):
            won = (
                RecoveryCode.update(used_at=utcnow())
                .where((RecoveryCode.id == row.id) & RecoveryCode.used_at.is_null())
                .execute()
            )
            return bool(won)
    return False


def reset_second_factor(user, by):
    """A beheerder's reset (the phone is lost and so are the codes): the second factor and
    the recovery codes go, every session of the user ends, and the user enrols again at
    the next login. Audited."""
    with atomic():
        User.update(totp_secret="", totp_last_step=0).where(User.id == user.id).execute()
        RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
        UserSession.update(ended_at=utcnow()).where(
            (UserSession.user == user.id) & UserSession.ended_at.is_null()
        ).execute()
        audit("mfa.reset", user=by, detail=f"user={user.id}")


def required_for(user_id):
    """Must this user have a second factor? Every dossier role does, unless deliberately
    switched off for the deployment (PORTAL_REQUIRE_MFA=0)."""
    if not current_app.config.get("PORTAL_REQUIRE_MFA"):
        return False
    return UserRole.select().where((UserRole.user == user_id) & UserRole.role.in_(DOSSIER_ROLES)).exists()


# ------------------------------------------------------------------ pages ----


def begin_second_step(user, next_url):
    """After a correct password: remember who is half logged in, then ask for the code."""
    session.clear()
    session["mfa_user"] = user.id
    session["mfa_since"] = int(time.time())
    if next_url:
        session["mfa_next"] = next_url
    return redirect(url_for("mfa.code"))


@bp.route("/login/code", methods=["GET", "POST"])
@public
def code():
    user_id = session.get("mfa_user")
    if not user_id and current_user.is_authenticated:
        # Already logged in: a GET here must not end the session (no logout via GET/CSRF).
        return redirect(url_for("schools.home"))
    if not user_id or time.time() - session.get("mfa_since", 0) > PENDING_SECONDS:
        session.clear()
        flash("Log opnieuw in.", "error")
        return redirect(url_for("auth.login"))
    form = CodeForm()
    status = 200
    if form.validate_on_submit():
        user = User.get_or_none((User.id == user_id) & (User.active == True))  # noqa: E712
        # Only someone who knew the password gets here; codes are six digits, so guessing
        # is slowed per (account, address) and per account.
        free = current_app.config["THROTTLE_FREE_ATTEMPTS"]
        counted = throttle.attempt(
            "mfa",
            [
                throttle.Limit(f"pair:{user_id}|{request.remote_addr}", free),
                throttle.Limit(f"acct:{user_id}", free * 2),
            ],
        )
        if not counted.allowed:
            form.code.errors.append(f"Te veel pogingen. Probeer het over {counted.wait} seconden opnieuw.")
            status = 429
        elif user and (accept_code(user, form.code.data) or accept_recovery_code(user, form.code.data)):
            recovery = len(_normal(form.code.data)) == 10
            throttle.forgive(counted)
            next_url = session.get("mfa_next")
            start_session(user)
            audit("login.mfa", user=user, detail="herstelcode" if recovery else "")
            if recovery:
                left = (
                    RecoveryCode.select()
                    .where((RecoveryCode.user == user.id) & RecoveryCode.used_at.is_null())
                    .count()
                )
                flash(
                    f"U bent ingelogd met een herstelcode; u heeft er nog {left}. Maak nieuwe "
                    "codes op de pagina Account."
                )
            return redirect(next_url or url_for("schools.home"))
        else:
            audit("login.mfa", outcome="failed", user=user)
            form.code.errors.append("Deze code klopt niet of is al gebruikt.")
            status = 401
    return render_template("auth/code.html", form=form), status


@bp.route("/mfa", methods=["GET", "POST"])
@requires(LOGIN)
def setup():
    user = User.get_by_id(current_user.id)
    form = CodeForm()
    required = required_for(user.id)
    if user.totp_secret:
        action = request.form.get("actie", "")
        if form.validate_on_submit():
            if not accept_code(user, form.code.data):
                form.code.errors.append("Deze code klopt niet of is al gebruikt.")
            elif action == "herstelcodes":
                audit("mfa.recovery_codes")
                g.no_store = True
                return render_template("auth/recovery_codes.html", codes=new_recovery_codes(user))
            elif not required:
                with atomic():
                    User.update(totp_secret="", totp_last_step=0).where(User.id == user.id).execute()
                    RecoveryCode.delete().where(RecoveryCode.user == user.id).execute()
                    audit("mfa.disable")
                flash("Tweestapsverificatie staat uit.")
                return redirect(url_for("mfa.setup"))
        left = (
            RecoveryCode.select()
            .where((RecoveryCode.user == user.id) & RecoveryCode.used_at.is_null())
            .count()
        )
        return render_template(
            "auth/mfa.html", enrolled=True, form=form, required=required, recovery_left=left
        )
    secret = session.get("mfa_new_secret") or pyotp.random_base32()
    session["mfa_new_secret"] = secret
    if form.validate_on_submit():
        trial = User(id=user.id, totp_last_step=0)
        if accept_code(trial, form.code.data, secret=secret):
            User.update(totp_secret=seal(secret, "totp")).where(User.id == user.id).execute()
            session.pop("mfa_new_secret", None)
            audit("mfa.enable")
            g.no_store = True
            return render_template("auth/recovery_codes.html", codes=new_recovery_codes(user), first=True)
        form.code.errors.append("Deze code klopt niet. Controleer de tijd op uw telefoon.")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    png = segno.make(uri, error="m").png_data_uri(scale=5)
    return render_template(
        "auth/mfa.html",
        enrolled=False,
        form=form,
        qr=png,
        required=required,
        secret=" ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
    )


# ------------------------------------------------------------------- gate ----


def require_enrolment():
    """before_request, after access.enforce: a logged-in user who must have a second factor
    and has none may only enrol or log out (public pages stay open)."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    if view_rule(current_app.view_functions[request.endpoint])[0] == "public":
        return None
    if needs_enrolment(request.endpoint):
        return redirect(url_for("mfa.setup"))
    return None


def needs_enrolment(endpoint):
    if not current_app.config.get("PORTAL_REQUIRE_MFA") or not current_user.is_authenticated:
        return False
    if endpoint in ("mfa.setup", "auth.logout", "static"):
        return False
    if current_user.row.totp_secret:
        return False
    if session.get("mfa_by_idp"):
        # Signed in through the identity provider with several factors, by the ID token's
        # own word (portal/sso.py): that is this session's second factor.
        return False
    roles = getattr(current_user, "roles", None)
    if roles is not None:  # loaded with the session: no query
        return any(role in DOSSIER_ROLES for role, _where in roles)
    return required_for(current_user.id)


def init_app(app):
    app.register_blueprint(bp)
    if app.config["PORTAL_ENV"] == "production" and not app.config.get("PORTAL_REQUIRE_MFA"):
        log.warning(
            "PORTAL_REQUIRE_MFA staat uit: rollen die dossiers zien (%s) kunnen zonder tweede stap inloggen",
            ", ".join(DOSSIER_ROLES),
        )
