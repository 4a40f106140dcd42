"""Links to set a password: "Wachtwoord vergeten?", a new account, a link a beheerder sends.

A link carries a random token of 256 bits; only its SHA-256 hash is stored (at that
length a plain hash cannot be brute-forced, docs/security.md A2), looked up by that hash
and compared in constant time. A link works once, expires (a forgotten password after
PASSWORD_RESET_MINUTES, a new account's link after PASSWORD_SET_HOURS), and ends when the
password changes, when the account is disabled or when a newer link is sent. The mail
that carries it goes through the outbox; its body is emptied when the link is used or
ends, so the token does not stay readable in the outbox either.

The link sets the first factor only (ASVS 6.4.3): a user with a second factor still
gives the code from the authenticator app after setting a password, and nothing here
removes or skips the second factor. Setting a password ends the account's other sessions.

Asking for a link answers the same whether or not the address has an account, is
throttled per address and per typed e-mail address, and is audited.
"""

import datetime
import hashlib
import hmac
import secrets

from flask import Blueprint
from flask import current_app
from flask import flash
from flask import redirect
from flask import render_template
from flask import request
from flask import session
from flask import url_for
from wtforms import PasswordField
from wtforms.validators import DataRequired
from wtforms.validators import Length

from . import throttle
from .access import public
from .audit import audit
from .dates import nl_datetime
from .db import atomic
from .forms import Form
from .forms import email_field
from .models import Outbox
from .models import PasswordToken
from .models import User
from .models import utcnow
from .passwords import MAX_LENGTH
from .passwords import policy_error
from .urls import external_url

bp = Blueprint("password", __name__)

RESET = "reset"  # "Wachtwoord vergeten?"
SET = "set"  # a new account, or a link the beheerder sent
SESSION_KEY = "password_link"
# What an emptied mail body says in the outbox (and on the beheerder's mail page).
EMPTIED = "(Deze mail bevatte een link om een wachtwoord in te stellen; de link is niet meer geldig.)"
INVALID = "Deze link is verlopen, al gebruikt of vervangen door een nieuwere."


def token_hash(token):
    return hashlib.sha256(b"password-link:" + (token or "").encode()).hexdigest()


def lifetime(purpose):
    cfg = current_app.config
    if purpose == RESET:
        return datetime.timedelta(minutes=cfg["PASSWORD_RESET_MINUTES"])
    return datetime.timedelta(hours=cfg["PASSWORD_SET_HOURS"])


# ------------------------------------------------------------------ tokens ----


def end_links(user_id, now=None):
    """Every open link of this account stops working (a password change, a newer link,
    the account disabled); the mails that carried them are emptied."""
    now = now or utcnow()
    open_ = (PasswordToken.user == user_id) & PasswordToken.used_at.is_null()
    mails = [r.outbox_id for r in PasswordToken.select(PasswordToken.outbox).where(open_) if r.outbox_id]
    PasswordToken.update(used_at=now).where(open_).execute()
    if mails:
        Outbox.update(body=EMPTIED).where(Outbox.id.in_(mails)).execute()


def new_link(user, purpose, school=None, now=None, new_account=False):
    """Make a link for ``user`` and queue the mail with it (inside the caller's transaction,
    with the caller's audit row). Earlier links of the account end. ``new_account``: the
    mail welcomes a new colleague."""
    now = now or utcnow()
    token = secrets.token_urlsafe(32)
    expires = now + lifetime(purpose)
    end_links(user.id, now)
    link = external_url("password.open_link", token=token)
    mail = _queue_mail(user, purpose, link, expires, school, new_account)
    PasswordToken.create(
        user=user.id,
        purpose=purpose,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=expires,
        outbox=mail.id if mail else None,
    )
    return token


def _queue_mail(user, purpose, link, expires, school, new_account):
    from .mail import queue

    until = nl_datetime(expires)
    login = external_url("auth.login")
    if purpose == RESET:
        subject = "Wachtwoord instellen voor het Veiligheidsportaal"
        intro = (
            "Iemand (hopelijk u) heeft gevraagd om een nieuw wachtwoord voor uw account in het "
            "Veiligheidsportaal."
        )
        outro = "Heeft u dit niet gevraagd? Dan kunt u deze mail negeren: uw wachtwoord blijft wat het was."
    else:
        where = f" van {school.name}" if school is not None else ""
        subject = "Uw account voor het Veiligheidsportaal"
        intro = (
            f"Er staat een account voor u klaar in het Veiligheidsportaal{where}."
            if new_account
            else f"De beheerder{where} stuurt u een link om een wachtwoord te kiezen voor uw account in "
            "het Veiligheidsportaal."
        )
        outro = (
            "Is de link verlopen? Vraag dan een nieuwe aan met ‘Wachtwoord vergeten?’ op de "
            f"inlogpagina: {login}"
        )
    body = (
        f"Beste {user.name},\n\n{intro}\n\nKies uw wachtwoord via deze link. De link werkt één keer "
        f"en is geldig tot {until}:\n\n{link}\n\n{outro}\n\nHeeft u tweestapsverificatie ingesteld, "
        "dan vraagt het portaal daarna ook de code uit uw authenticator-app.\n\n"
        "Met vriendelijke groet,\nHet Veiligheidsportaal\n"
    )
    return queue(user.email, subject, body, school=school)


def find(token, now=None):
    """The open, unexpired link for ``token`` of an active account, or None. The stored
    hash is compared in constant time; a password changed after the link was made ends it."""
    if not token or len(token) > 100:
        return None
    wanted = token_hash(token)
    row = PasswordToken.get_or_none(PasswordToken.token_hash == wanted)
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    user = User.get_or_none(User.id == row.user_id)
    now = now or utcnow()
    if (
        user is None
        or not user.active
        or row.used_at is not None
        or row.expires_at <= now
        or row.created_at < user.password_changed_at
    ):
        return None
    row.user = user
    return row


def use(row, now=None):
    """Mark the link used and empty its mail; False when another request used it first
    (one conditional write)."""
    won = (
        PasswordToken.update(used_at=now or utcnow())
        .where((PasswordToken.id == row.id) & PasswordToken.used_at.is_null())
        .execute()
    )
    if won and row.outbox_id:
        Outbox.update(body=EMPTIED).where(Outbox.id == row.outbox_id).execute()
    return bool(won)


# ------------------------------------------------------------------- pages ----


class ForgotForm(Form):
    email = email_field("E-mailadres", required="Vul uw e-mailadres in.")


class SetPasswordForm(Form):
    new = PasswordField(
        "Nieuw wachtwoord",
        validators=[DataRequired("Kies een wachtwoord."), Length(max=MAX_LENGTH)],
        render_kw={"autocomplete": "new-password"},
    )
    repeat = PasswordField(
        "Herhaal het wachtwoord",
        validators=[DataRequired("Herhaal het wachtwoord.")],
        render_kw={"autocomplete": "new-password"},
    )


def reset_limits(email, address):
    """Per address and per typed e-mail address, within an hour: a stranger cannot flood a
    colleague's mailbox, nor one school's address the whole board's."""
    return [
        throttle.Limit(f"ip:{address}", free=10, window_minutes=60),
        throttle.Limit(f"acct:{email}", free=3, window_minutes=60),
    ]


@bp.route("/wachtwoord-vergeten", methods=["GET", "POST"])
@public
def forgot():
    from .sso import passwords_allowed

    form = ForgotForm(request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.validate():
        email = form.email.data.strip().lower()
        counted = throttle.attempt("password.reset", reset_limits(email, request.remote_addr))
        if not counted.allowed:
            audit("password.reset.request", outcome="throttled", email=email)
            form.email.errors.append(f"Te veel aanvragen. Probeer het over {counted.wait} seconden opnieuw.")
            status = 429
        else:
            user = User.get_or_none(User.email == email)
            with atomic():
                if user is not None and user.active and passwords_allowed(user):
                    new_link(user, RESET)
                    audit("password.reset.request", user=user)
                else:
                    # No account, a disabled one, or one that logs in only through single
                    # sign-on: no mail, and the same answer as when one was sent.
                    audit("password.reset.request", outcome="no_mail", email=email)
            return render_template(
                "auth/forgot_sent.html", minutes=current_app.config["PASSWORD_RESET_MINUTES"]
            )
    elif request.method == "POST":
        status = 422
    return render_template("auth/forgot.html", form=form), status


@bp.route("/wachtwoord/instellen/<token>")
@public
def open_link(token):
    """The link from the mail: the token moves into the session and out of the address bar
    (and so out of the browser's history); nothing is used up by opening it."""
    session[SESSION_KEY] = token[:100]
    return redirect(url_for("password.set_password"))


@bp.route("/wachtwoord/instellen", methods=["GET", "POST"])
@public
def set_password():
    from . import mfa
    from .auth import set_password as store_password
    from .sessions import start_session
    from .sso import passwords_allowed

    row = find(session.get(SESSION_KEY))
    if row is None:
        if request.method == "POST":
            audit("password.set", outcome="invalid_link")
        return render_template("auth/link_invalid.html", message=INVALID), 404
    user = row.user
    if not passwords_allowed(user):
        return render_template(
            "auth/link_invalid.html",
            message="Inloggen met een wachtwoord staat uit; u logt in met uw schoolaccount.",
        ), 403
    form = SetPasswordForm(request.form if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 422
        if form.validate():
            if form.new.data != form.repeat.data:
                form.repeat.errors.append("De twee wachtwoorden zijn niet gelijk.")
            elif problem := policy_error(form.new.data, user.email):
                form.new.errors.append(problem)
            else:
                with atomic():
                    if not use(row):
                        return render_template("auth/link_invalid.html", message=INVALID), 404
                    store_password(user, form.new.data)  # ends the other sessions and links
                    audit("password.set", user=user, detail=f"via={row.purpose}")
                session.pop(SESSION_KEY, None)
                fresh = User.get_by_id(user.id)
                if fresh.totp_secret:
                    # The link replaces the password only: the second factor is still asked.
                    flash("Uw wachtwoord is ingesteld. Vul nu de code uit uw authenticator-app in.")
                    return mfa.begin_second_step(fresh, None)
                start_session(fresh)
                audit("login", user=fresh, detail="na wachtwoordlink")
                flash("Uw wachtwoord is ingesteld; u bent ingelogd. Andere sessies zijn beëindigd.")
                return redirect(url_for("schools.home"))
    return render_template("auth/set_password.html", form=form, user=user, row=row), status


def init_app(app):
    app.register_blueprint(bp)
