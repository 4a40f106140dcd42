"""Second factor for staff: TOTP codes from an authenticator app (docs/security.md A5).

Enrolment is per user at /mfa; with ``PORTAL_REQUIRE_MFA`` every staff member
must enrol before anything else opens. A code is accepted once: the time step
of the last accepted code is stored, and an older or equal step is refused.
"""

import time

import pyotp
import segno
from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from . import throttle
from .access import LOGIN
from .access import public
from .access import requires
from .access import view_rule
from .audit import audit
from .models import User
from .sessions import start_session

bp = Blueprint("mfa", __name__)

ISSUER = "Veiligheidsportaal"
PENDING_SECONDS = 300


class CodeForm(FlaskForm):
    code = StringField("Code uit uw authenticator-app", validators=[DataRequired("Vul de code in.")],
                       render_kw={"inputmode": "numeric", "autocomplete": "one-time-code"})


def accept_code(user, code):
    """True when ``code`` is valid now and newer than the last accepted one; records it."""
    code = "".join(ch for ch in (code or "") if ch.isdigit())
    if not user.totp_secret or len(code) != 6:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    now = int(time.time())
    for offset in (-1, 0, 1):  # one step of clock drift either way
        step = now // 30 + offset
        if step > user.totp_last_step and totp.at(step * 30) == code:
            # Conditional update: two requests with the same code cannot both win.
            won = User.update(totp_last_step=step).where(
                (User.id == user.id) & (User.totp_last_step < step)
            ).execute()
            return bool(won)
    return False


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
        keys = [f"acct:{user_id}", f"ip:{request.remote_addr}"]
        wait = throttle.wait_seconds("mfa", keys)
        if wait:
            form.code.errors.append(f"Te veel pogingen. Probeer het over {wait} seconden opnieuw.")
            status = 429
        elif user and accept_code(user, form.code.data):
            next_url = session.get("mfa_next")
            start_session(user)
            audit("login.mfa", user=user)
            return redirect(next_url or url_for("schools.home"))
        else:
            throttle.record_failure("mfa", keys)
            audit("login.mfa", outcome="failed", user=user)
            form.code.errors.append("Deze code klopt niet of is al gebruikt.")
            status = 401
    return render_template("auth/code.html", form=form), status


@bp.route("/mfa", methods=["GET", "POST"])
@requires(LOGIN)
def setup():
    user = User.get_by_id(current_user.id)
    form = CodeForm()
    if user.totp_secret:
        if form.validate_on_submit():
            if accept_code(user, form.code.data):
                User.update(totp_secret="", totp_last_step=0).where(User.id == user.id).execute()
                audit("mfa.disable")
                flash("Tweestapsverificatie staat uit.")
                return redirect(url_for("mfa.setup"))
            form.code.errors.append("Deze code klopt niet of is al gebruikt.")
        required = current_app.config.get("PORTAL_REQUIRE_MFA")
        return render_template("auth/mfa.html", enrolled=True, form=form, required=required)
    secret = session.get("mfa_new_secret") or pyotp.random_base32()
    session["mfa_new_secret"] = secret
    if form.validate_on_submit():
        trial = User(id=user.id, totp_secret=secret, totp_last_step=0)
        if accept_code(trial, form.code.data):
            User.update(totp_secret=secret).where(User.id == user.id).execute()
            session.pop("mfa_new_secret", None)
            audit("mfa.enable")
            flash("Tweestapsverificatie staat aan. Voortaan vragen we bij het inloggen om een code.")
            return redirect(url_for("schools.home"))
        form.code.errors.append("Deze code klopt niet. Controleer de tijd op uw telefoon.")
    uri = pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=ISSUER)
    png = segno.make(uri, error="m").png_data_uri(scale=5)
    return render_template("auth/mfa.html", enrolled=False, form=form, qr=png,
                           secret=" ".join(secret[i:i + 4] for i in range(0, len(secret), 4)))


def require_enrolment():
    """before_request, after access.enforce: with PORTAL_REQUIRE_MFA a logged-in user without
    a second factor may only enrol or log out (public pages stay open)."""
    if request.endpoint is None or request.endpoint == "static":
        return None
    if view_rule(current_app.view_functions[request.endpoint])[0] == "public":
        return None
    if needs_enrolment(request.endpoint):
        return redirect(url_for("mfa.setup"))
    return None


def needs_enrolment(endpoint):
    """With PORTAL_REQUIRE_MFA, a logged-in user without TOTP may only enrol or log out."""
    if not current_app.config.get("PORTAL_REQUIRE_MFA") or not current_user.is_authenticated:
        return False
    if endpoint in ("mfa.setup", "auth.logout", "static"):
        return False
    return not current_user.row.totp_secret


def init_app(app):
    app.register_blueprint(bp)


