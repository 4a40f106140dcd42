"""The user pages of a school's beheer: the list with the set-up checklist, an account's
name, address and roles at this school, disabling and enabling it, a link to set a
password, and a reset of the second factor."""

from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.validators import Length

from ..access import enabled_plugins
from ..access import requires
from ..audit import audit
from ..audit import audit_view
from ..db import atomic
from ..declarations import ROLES
from ..forms import Form
from ..forms import email_field
from ..forms import name_field
from ..forms import no_nul
from ..forms import one_line
from ..models import User
from ..models import UserRole
from ..password_links import SET
from ..password_links import new_link
from ..passwords import UNUSABLE
from ..registry import get_registry
from ..sso import passwords_allowed
from . import REASON_MAX
from . import Scope
from . import _board_admin
from . import _change_detail
from . import _ordered
from . import _reachable
from . import bp
from .schools import checklist


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(Form):
    name = name_field("Naam", required="Vul een naam in.")
    email = email_field("E-mailadres", required="Vul een e-mailadres in.")
    roles = MultiCheckbox("Rollen bij deze school", choices=list(ROLES.items()))
    reason = StringField(
        "Reden",
        description="Alleen nodig als u uzelf een rol geeft; de reden komt in het auditlog.",
        validators=[
            Length(max=REASON_MAX, message=f"Houd de reden op hoogstens {REASON_MAX} tekens."),
            no_nul,
            one_line,
        ],
    )


@bp.route("/")
@requires("portal.admin")
def index():
    here = (UserRole.school == g.school.id) | UserRole.school.is_null()
    users = list(User.select().join(UserRole).where(here).distinct().order_by(User.name))
    roles, board_wide, elsewhere = {}, set(), set()
    ids = [u.id for u in users]
    for r in UserRole.select().where(UserRole.user.in_(ids or [0])).order_by(UserRole.id):
        if r.school_id is None:
            board_wide.add(r.user_id)
        elif r.school_id != g.school.id:
            elsewhere.add(r.user_id)
            continue  # the roles at another school are that school's business
        roles.setdefault(r.user_id, []).append(ROLES[r.role] + ("" if r.school_id else " (bestuursbreed)"))
    board_admin = _board_admin()
    # Board-wide accounts stay in the list for a school's beheerder, read-only: they can
    # open this school's cases, and who can is what a beheerder must be able to answer.
    readonly = set() if board_admin else board_wide
    return render_template(
        "admin/index.html",
        users=users,
        roles=roles,
        readonly=readonly,
        elsewhere=set() if board_admin else elsewhere,
        board_admin=board_admin,
        plugins=get_registry().plugin_slugs,
        enabled=enabled_plugins(g.school),
        steps=checklist(g.school),
    )


@bp.route("/gebruiker/nieuw", methods=["GET", "POST"])
@bp.route("/gebruiker/<int:user_id>", methods=["GET", "POST"])
@requires("portal.admin")
def user(user_id=None):
    board_admin = _board_admin()
    row, scope = None, Scope(frozenset(), False, False)
    if user_id is not None:
        row, scope = _reachable(user_id, "admin.user", board_admin)
    own = row is not None and row.id == current_user.id
    # The name and address of someone who also works at another school are that school's
    # too: its beheerder would see them change. Only a board-wide beheerder changes them.
    locked = scope.elsewhere and not board_admin
    form = UserForm(request.form if request.method == "POST" else None, obj=row)
    if locked:
        del form.name
        del form.email
    if not (own and board_admin):
        del form.reason
    if row and request.method == "GET":
        form.roles.data = _ordered(scope.here)
    status = 422 if request.method == "POST" else 200
    if request.method == "POST" and form.validate():
        wanted = frozenset(form.roles.data or ())
        added, removed = wanted - scope.here, scope.here - wanted
        name = row.name if locked else form.name.data.strip()
        email = row.email if locked else form.email.data.strip().lower()
        reason = (form.reason.data or "").strip() if form.reason else ""
        clash = None if locked else User.get_or_none(User.email == email)
        if clash and (row is None or clash.id != row.id):
            form.email.errors.append("Er is al een account met dit e-mailadres.")
        elif own and added and not board_admin:
            # Roles open cases: a beheerder who could give themselves directie or
            # contactpersoon could read every confidential complaint.
            form.roles.errors.append(
                "U kunt uzelf geen rol geven. Vraag een andere beheerder van de school of de "
                "bestuursbrede beheerder om dit te doen."
            )
            audit("admin.user", outcome="denied", detail=_change_detail(row.id, added, (), "self"))
            status = 422
        elif own and added and not reason:
            form.reason.errors.append("Vul een reden in: u geeft uzelf een rol bij deze school.")
            status = 422
        else:
            extra = []
            if row is None:
                extra.append("new")
            else:
                extra += ["name"] if name != row.name else []
                extra += ["email"] if email != row.email else []
            if own and added:
                extra.append(f"reason={reason}")
            new = row is None
            with atomic():
                if new:
                    # No password typed by the beheerder: the new colleague chooses one
                    # through the link in their mail (or logs in through single sign-on).
                    row = User.create(email=email, name=name, password_hash=UNUSABLE)
                elif not locked:
                    User.update(email=email, name=name).where(User.id == row.id).execute()
                    if email != row.email:
                        _address_changed(row, email)
                # Only this school's roles: those at other schools and board-wide ones stay.
                UserRole.delete().where(
                    (UserRole.user == row.id)
                    & (UserRole.school == g.school.id)
                    & UserRole.role.in_(list(removed) or [""])
                ).execute()
                for role in _ordered(added):
                    # Ignore a role another beheerder gave in the meantime: not an error page.
                    UserRole.insert(user=row.id, school=g.school.id, role=role).on_conflict_ignore().execute()
                audit("admin.user", detail=_change_detail(row.id, added, removed, *extra))
                if new:
                    _welcome(row)
            if new:
                flash(_welcome_message(row))
            else:
                flash(f"{name} is opgeslagen.")
            return redirect(url_for("admin.index"))
    if row is not None and request.method == "GET":
        audit_view("admin.user.view", detail=f"user={row.id}")
    return render_template(
        "admin/user.html",
        form=form,
        row=row,
        locked=locked,
        board_wide=scope.board_wide,
        passwords=row is None or passwords_allowed(row),
    ), status


@bp.route("/gebruiker/<int:user_id>/uitschakelen", methods=["POST"])
@requires("portal.admin")
def disable(user_id):
    from ..auth import disable_user

    board_admin = _board_admin()
    row, scope = _reachable(user_id, "admin.user.disable", board_admin)
    if row.id == current_user.id:
        audit("admin.user.disable", outcome="denied", detail=f"user={row.id} self")
        abort(404)
    if scope.elsewhere and not board_admin:
        # Disabling closes the account at every school, not just this one.
        audit("admin.user.disable", outcome="denied", detail=f"user={row.id} elsewhere")
        flash(
            f"{row.name} werkt ook bij een andere school; alleen de bestuursbrede beheerder kan "
            "dit account uitschakelen. Haal de rollen bij uw school weg om de toegang tot "
            "uw school te beëindigen.",
            "error",
        )
        return redirect(url_for("admin.index"))
    disable_user(row)
    audit("admin.user.disable", detail=f"user={row.id}")
    flash(f"{row.name} is uitgeschakeld; alle sessies zijn beëindigd.")
    return redirect(url_for("admin.index"))


@bp.route("/gebruiker/<int:user_id>/tweede-stap", methods=["POST"])
@requires("portal.admin")
def reset_mfa(user_id):
    """The phone and the recovery codes are lost: the second factor goes, every session of
    the user ends, and they enrol again at the next login. Audited (mfa.reset)."""
    from ..mfa import reset_second_factor

    row, _scope = _reachable(user_id, "admin.user.mfa", _board_admin())
    if row.id == current_user.id:
        audit("admin.user.mfa", outcome="denied", detail=f"user={row.id} self")
        abort(404)
    reset_second_factor(row, current_user)
    flash(
        f"De tweestapsverificatie van {row.name} is gewist; bij de volgende keer inloggen stelt "
        f"{row.name} die opnieuw in."
    )
    return redirect(url_for("admin.user", user_id=row.id))


@bp.route("/gebruiker/<int:user_id>/inschakelen", methods=["POST"])
@requires("portal.admin")
def enable(user_id):
    """A disabled account works again, with its password and second factor; the same reach
    as disabling (an account of several schools: only the board-wide beheerder)."""
    from ..auth import enable_user

    board_admin = _board_admin()
    row, scope = _reachable(user_id, "admin.user.enable", board_admin)
    if row.id == current_user.id:
        audit("admin.user.enable", outcome="denied", detail=f"user={row.id} self")
        abort(404)
    if scope.elsewhere and not board_admin:
        audit("admin.user.enable", outcome="denied", detail=f"user={row.id} elsewhere")
        flash(
            f"{row.name} werkt ook bij een andere school; alleen de bestuursbrede beheerder kan "
            "dit account weer inschakelen.",
            "error",
        )
        return redirect(url_for("admin.index"))
    with atomic():
        enable_user(row)
        audit("admin.user.enable", detail=f"user={row.id}")
    flash(f"{row.name} is weer ingeschakeld en kan inloggen.")
    return redirect(url_for("admin.index"))


@bp.route("/gebruiker/<int:user_id>/wachtwoordlink", methods=["POST"])
@requires("portal.admin")
def password_link(user_id):
    """Mail the account a link to set a password (a new colleague whose link expired, a
    forgotten password). The link goes to the account's own address only; the beheerder
    never sees or chooses the password, and the second factor stays as it is."""
    row, _scope = _reachable(user_id, "admin.user.password_link", _board_admin())
    if not row.active:
        audit("admin.user.password_link", outcome="refused", detail=f"user={row.id} inactive")
        flash(f"{row.name} is uitgeschakeld; schakel het account eerst weer in.", "error")
        return redirect(url_for("admin.user", user_id=row.id))
    if not passwords_allowed(row):
        audit("admin.user.password_link", outcome="refused", detail=f"user={row.id} sso")
        flash(f"{row.name} logt in met het schoolaccount; een wachtwoord is niet nodig.", "error")
        return redirect(url_for("admin.user", user_id=row.id))
    with atomic():
        new_link(row, SET, school=g.school)
        audit("admin.user.password_link", detail=f"user={row.id}")
    flash(
        f"Er is een link naar {row.email} gestuurd waarmee {row.name} een wachtwoord kiest. "
        "Eerdere links werken niet meer."
    )
    return redirect(url_for("admin.user", user_id=row.id))


def _welcome(row):
    """A new account's mail: a link to choose a password, or (single sign-on with passwords
    switched off) how to log in with the school account."""
    from ..mail import queue
    from ..urls import external_url

    if passwords_allowed(row):
        new_link(row, SET, school=g.school, new_account=True)
        return
    queue(
        row.email,
        "Uw account voor het Veiligheidsportaal",
        f"Beste {row.name},\n\nEr staat een account voor u klaar in het Veiligheidsportaal van "
        f"{g.school.name}. U logt in met uw schoolaccount via {external_url('auth.login')}\n\n"
        "Met vriendelijke groet,\nHet Veiligheidsportaal\n",
        school=g.school,
    )


def _address_changed(row, email):
    """Tell the old address: a changed address followed by a password link would otherwise
    hand the account to whoever reads the new one, unnoticed by its owner."""
    from ..mail import queue

    queue(
        row.email,
        "Uw e-mailadres in het Veiligheidsportaal is gewijzigd",
        f"Beste {row.name},\n\nDe beheerder van {g.school.name} heeft het e-mailadres van uw account "
        f"in het Veiligheidsportaal gewijzigd in {email}. Mails van het portaal, ook links om een "
        "wachtwoord in te stellen, gaan voortaan naar dat adres.\n\nKlopt dit niet? Neem dan meteen "
        "contact op met de directie van de school.\n\nMet vriendelijke groet,\nHet Veiligheidsportaal\n",
        school=g.school,
    )


def _welcome_message(row):
    if passwords_allowed(row):
        return (
            f"{row.name} is aangemaakt. Er is een link naar {row.email} gestuurd waarmee "
            f"{row.name} zelf een wachtwoord kiest."
        )
    return (
        f"{row.name} is aangemaakt en logt in met het schoolaccount; er is een mail naar "
        f"{row.email} gestuurd."
    )
