"""Beheerder pages: users and roles, the plugins a school enables, school settings.

Who manages whom (docs/security.md, "beheerder of one school"): a beheerder manages the
accounts that hold a role at their school, and only that school's roles of them. Accounts
with a board-wide role (school NULL) reach every school, so only a board-wide beheerder
manages them. Nobody grants themselves a role or a permission: a second beheerder or a
board-wide one does, and a board-wide beheerder doing it to themselves gives a reason.
"""

from typing import NamedTuple

from flask import Blueprint
from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user
from wtforms import EmailField
from wtforms import PasswordField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length

from .access import enabled_plugins
from .access import requires
from .access import roles_at
from .audit import audit
from .audit import audit_view
from .db import atomic
from .declarations import ROLES
from .forms import MAX_INT
from .forms import Form
from .forms import bounded_int
from .forms import no_nul
from .forms import one_line
from .images import ImageRefused
from .images import reencode
from .models import RolePermission
from .models import School
from .models import SchoolPlugin
from .models import User
from .models import UserRole
from .passwords import hash_password
from .passwords import policy_error
from .registry import get_registry
from .settings import save_settings
from .settings import settings_form

bp = Blueprint("admin", __name__, url_prefix="/<school>/beheer")


ADMIN = "portal.admin"
REASON_MAX = 300


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(Form):
    name = StringField(
        "Naam", validators=[DataRequired("Vul een naam in."), Length(max=200), no_nul, one_line]
    )
    email = EmailField(
        "E-mailadres",
        validators=[
            DataRequired("Vul een e-mailadres in."),
            Email("Vul een geldig e-mailadres in."),
            Length(max=254),
        ],
    )
    password = PasswordField("Eerste wachtwoord (minstens 12 tekens)")
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


class SchoolForm(Form):
    name = StringField(
        "Naam van de school", validators=[DataRequired("Vul een naam in."), Length(max=200), no_nul, one_line]
    )
    # One line each: they go onto letterheads, into mail and onto the error pages.
    address = StringField("Adres", validators=[Length(max=300), no_nul, one_line])
    phone = StringField("Telefoon", validators=[Length(max=40), no_nul, one_line])
    email = StringField("E-mailadres", validators=[Length(max=200), no_nul, one_line])
    board_name = StringField("Bestuur", validators=[Length(max=200), no_nul, one_line])


def set_plugin_enabled(school, plugin, on):
    with atomic():
        if on:
            SchoolPlugin.insert(school=school.id, plugin=plugin).on_conflict_ignore().execute()
        else:
            SchoolPlugin.delete().where(
                (SchoolPlugin.school == school.id) & (SchoolPlugin.plugin == plugin)
            ).execute()


class Scope(NamedTuple):
    """Where a user holds roles, seen from this request's school."""

    here: frozenset  # their roles at this school
    board_wide: bool  # a role with school NULL: they reach every school
    elsewhere: bool  # a role at another school


def _scope(user_id):
    here, board_wide, elsewhere = set(), False, False
    for r in UserRole.select(UserRole.role, UserRole.school).where(UserRole.user == user_id):
        if r.school_id is None:
            board_wide = True
        elif r.school_id == g.school.id:
            here.add(r.role)
        else:
            elsewhere = True
    return Scope(frozenset(here), board_wide, elsewhere)


def _board_admin():
    """Does the logged-in user hold the beheerder role board-wide? Asked of the database,
    not of the roles loaded with the session: a login in this request has none loaded."""
    return (
        UserRole.select()
        .where(
            (UserRole.user == current_user.id) & (UserRole.role == "beheerder") & UserRole.school.is_null()
        )
        .exists()
    )


def _may_manage(scope, board_admin):
    return board_admin or (bool(scope.here) and not scope.board_wide)


def _reachable(user_id, action, board_admin):
    """The user row and its scope, if the logged-in beheerder may manage it at this school.
    Otherwise 404 — the same answer as for an id nobody has, so that a beheerder cannot
    learn which accounts exist elsewhere — and an audit row, also for a missing id (the
    beheerder reads the audit log: a row only for real accounts would tell them apart)."""
    row = User.get_or_none(User.id == user_id) if 0 < user_id <= MAX_INT else None
    scope = _scope(row.id) if row is not None else None
    if row is None or not _may_manage(scope, board_admin):
        audit(action, outcome="denied", detail=f"user={user_id}")
        abort(404)
    return row, scope


def _ordered(roles):
    return [r for r in ROLES if r in roles]


def _change_detail(user_id, added, removed, *extra):
    """``user=12 +directie -ib``: what changed, never a name or an address."""
    return " ".join(
        [
            f"user={user_id}",
            *(f"+{r}" for r in _ordered(added)),
            *(f"-{r}" for r in _ordered(removed)),
            *extra,
        ]
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
    if row is not None:
        del form.password
    if locked:
        del form.name
        del form.email
    if not (own and board_admin):
        del form.reason
    if row and request.method == "GET":
        form.roles.data = _ordered(scope.here)
    status = 200
    if request.method == "POST" and form.validate():
        wanted = frozenset(form.roles.data or ())
        added, removed = wanted - scope.here, scope.here - wanted
        name = row.name if locked else form.name.data.strip()
        email = row.email if locked else form.email.data.strip().lower()
        reason = (form.reason.data or "").strip() if form.reason else ""
        clash = None if locked else User.get_or_none(User.email == email)
        if clash and (row is None or clash.id != row.id):
            form.email.errors.append("Er is al een account met dit e-mailadres.")
        elif row is None and (problem := policy_error(form.password.data or "", email)):
            form.password.errors.append(problem)
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
            with atomic():
                if row is None:
                    row = User.create(email=email, name=name, password_hash=hash_password(form.password.data))
                elif not locked:
                    User.update(email=email, name=name).where(User.id == row.id).execute()
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
            flash(f"{name} is opgeslagen.")
            return redirect(url_for("admin.index"))
    if row is not None and request.method == "GET":
        audit_view("admin.user.view", detail=f"user={row.id}")
    return render_template(
        "admin/user.html", form=form, row=row, locked=locked, board_wide=scope.board_wide
    ), status


@bp.route("/gebruiker/<int:user_id>/uitschakelen", methods=["POST"])
@requires("portal.admin")
def disable(user_id):
    from .auth import disable_user

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
    from .mfa import reset_second_factor

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


@bp.route("/plugins", methods=["POST"])
@requires("portal.admin")
def plugins():
    chosen = set(request.form.getlist("plugin"))
    for slug in get_registry().plugin_slugs:
        set_plugin_enabled(g.school, slug, slug in chosen)
    audit("admin.plugins", detail=",".join(sorted(chosen & set(get_registry().plugin_slugs))))
    flash("De onderdelen van de school zijn opgeslagen.")
    return redirect(url_for("admin.index"))


@bp.route("/school", methods=["GET", "POST"])
@requires("portal.admin")
def school_settings():
    school = g.school
    enabled = enabled_plugins(school)
    sform = SchoolForm(request.form if request.method == "POST" else None, obj=school)
    setform = settings_form(school, enabled, request.form if request.method == "POST" else None)
    if request.method == "POST" and sform.validate() and setform.validate():
        with atomic():
            School.update(
                name=sform.name.data.strip(),
                address=sform.address.data.strip(),
                phone=sform.phone.data.strip(),
                email=sform.email.data.strip(),
                board_name=sform.board_name.data.strip(),
            ).where(School.id == school.id).execute()
            upload = request.files.get("logo")
            if upload and upload.filename:
                data = upload.read(512 * 1024 + 1)
                try:
                    if len(data) > 512 * 1024:
                        raise ImageRefused("")
                    # Decoded and written anew: no polyglot, no metadata (portal/images.py).
                    data, kind = reencode(data)
                except ImageRefused:
                    flash("Het logo moet een PNG- of JPEG-bestand van hoogstens 512 kB zijn.", "error")
                else:
                    School.update(logo=data, logo_type=kind).where(School.id == school.id).execute()
            save_settings(school, setform)
        audit("admin.settings")
        flash("De instellingen zijn opgeslagen.")
        return redirect(url_for("admin.school_settings"))
    return render_template("admin/school.html", sform=sform, setform=setform)


@bp.route("/rechten", methods=["GET", "POST"])
@requires("portal.admin")
def permissions():
    """Which roles hold which permission at this school (defaults from the plugins)."""
    from .access import roles_for_permission

    reg = get_registry()
    enabled = enabled_plugins(g.school)
    perms = [
        p
        for name, p in sorted(reg.permissions.items())
        if reg.permission_owner[name] in enabled or reg.permission_owner[name] == "portal"
    ]
    grid = {p.name: roles_for_permission(p.name, g.school) for p in perms}
    board_admin = _board_admin()
    problems, reason, status = {}, "", 200
    if request.method == "POST":
        wanted = {
            p.name: frozenset(role for role in ROLES if request.form.get(f"{p.name}|{role}") == "1")
            for p in perms
        }
        reason = request.form.get("reden", "").strip()
        mine = roles_at(current_user, g.school)
        problems = _grid_problems(grid, wanted, mine, board_admin, reason)
        changes = [
            f"{sign}{name}|{role}"
            for name in wanted
            for role in ROLES
            for sign, changed in (("+", wanted[name] - grid[name]), ("-", grid[name] - wanted[name]))
            if role in changed
        ]
        if problems:
            audit("admin.permissions", outcome="denied", detail=" ".join(changes))
            grid, status = wanted, 422  # show what was posted, with what is wrong with it
        else:
            if _own_additions(grid, wanted, mine):
                changes.append(f"reason={reason}")
            with atomic():
                for p in perms:
                    for role in ROLES:
                        on = role in wanted[p.name]
                        cond = (
                            (RolePermission.school == g.school.id)
                            & (RolePermission.permission == p.name)
                            & (RolePermission.role == role)
                        )
                        RolePermission.delete().where(cond).execute()
                        if on != (role in p.default_roles):
                            RolePermission.create(school=g.school, permission=p.name, role=role, granted=on)
                audit("admin.permissions", detail=" ".join(changes))
            flash("De rechten zijn opgeslagen.")
            return redirect(url_for("admin.permissions"))
    return render_template(
        "admin/permissions.html",
        perms=perms,
        grid=grid,
        problems=problems,
        board_admin=board_admin,
        reason=reason,
    ), status


def _own_additions(current, wanted, mine):
    """[permission] that the posted grid gives to a role the beheerder holds themselves."""
    return [name for name in wanted if mine & (wanted[name] - current[name])]


def _grid_problems(current, wanted, mine, board_admin, reason):
    """{permission name or "reden": Dutch message} for a posted grid that may not be saved."""
    labels = ", ".join(ROLES[r] for r in _ordered(mine)).lower()
    problems = {}
    if not wanted[ADMIN]:
        problems[ADMIN] = (
            "Minstens één rol moet dit recht houden, anders kan niemand deze school nog beheren."
        )
    elif mine & (current[ADMIN] - wanted[ADMIN]):
        problems[ADMIN] = (
            f"U kunt dit recht niet weghalen bij uw eigen rol ({labels}): dan sluit u uzelf buiten."
        )
    own = _own_additions(current, wanted, mine)
    if own and not board_admin:
        # A permission for one's own role is a self-grant, as a role for oneself is.
        for name in own:
            problems[name] = (
                f"U kunt uw eigen rol ({labels}) geen rechten geven. Vraag de "
                "bestuursbrede beheerder om dit te doen."
            )
    elif own and not reason:
        problems["reden"] = "Vul een reden in: u geeft uw eigen rol een recht bij deze school."
    elif own and len(reason) > REASON_MAX:
        problems["reden"] = f"Houd de reden op hoogstens {REASON_MAX} tekens."
    elif own and any(ord(c) < 32 for c in reason):
        problems["reden"] = "Deze tekst bevat ongeldige tekens."
    return problems


@bp.route("/auditlog")
@requires("portal.admin")
def audit_log():
    """Who did or saw what at this school; filter by case reference or e-mail address."""
    from .models import AuditLog

    q = AuditLog.select().where(AuditLog.school == g.school.slug)
    ref = request.args.get("zaak", "").strip().upper()[:40]
    who = request.args.get("wie", "").strip().lower()[:254]
    if ref:
        q = q.where(AuditLog.case_ref == ref)
    if who:
        q = q.where(AuditLog.user_email == who)
    before = request.args.get("voor", type=bounded_int)
    if before:
        q = q.where(AuditLog.id < before)
    rows = list(q.order_by(AuditLog.id.desc()).limit(100))
    audit_view("admin.audit_log.view", detail=f"zaak={ref} wie={who}")
    return render_template("admin/audit_log.html", rows=rows, ref=ref, who=who)


# The mail page shows at most this many failed mails (the newest); more means a
# mail server problem that the retry-all button handles at once.
OUTBOX_PAGE_ROWS = 200


@bp.route("/mail")
@requires("portal.admin")
def outbox():
    """Mail of this school that failed for good ("mislukt"), and how much still waits."""
    from .models import Outbox

    here = Outbox.school == g.school.slug
    failed = Outbox.failed_at.is_null(False)
    rows = list(
        Outbox.select(
            Outbox.id,
            Outbox.created_at,
            Outbox.to,
            Outbox.subject,
            Outbox.attempts,
            Outbox.last_error,
            Outbox.failed_at,
        )
        .where(here & failed)
        .order_by(Outbox.id.desc())
        .limit(OUTBOX_PAGE_ROWS)
    )
    n_failed = len(rows) if len(rows) < OUTBOX_PAGE_ROWS else Outbox.select().where(here & failed).count()
    waiting = Outbox.select().where(here & Outbox.sent_at.is_null() & Outbox.failed_at.is_null()).count()
    audit_view("admin.mail.view")  # the list holds parents' addresses
    return render_template("admin/outbox.html", rows=rows, n_failed=n_failed, waiting=waiting)


def _retry(outbox_id=None):
    from . import mail

    with atomic():
        ids = mail.retry(g.school.slug, outbox_id)
        for row_id in ids:
            audit("admin.mail.retry", detail=f"outbox={row_id}")
    return ids


@bp.route("/mail/<int:outbox_id>/opnieuw", methods=["POST"])
@requires("portal.admin")
def outbox_retry(outbox_id):
    if _retry(outbox_id):
        flash("De mail staat weer in de wachtrij en wordt zo opnieuw verzonden.")
    else:
        flash("Deze mail staat niet (meer) bij de mislukte mail van deze school.", "error")
    return redirect(url_for("admin.outbox"))


@bp.route("/mail/opnieuw", methods=["POST"])
@requires("portal.admin")
def outbox_retry_all():
    n = len(_retry())
    if n:
        flash(
            "1 mislukte mail staat weer in de wachtrij en wordt zo opnieuw verzonden."
            if n == 1
            else f"{n} mislukte mails staan weer in de wachtrij en worden zo opnieuw verzonden."
        )
    else:
        flash("Er is geen mislukte mail om opnieuw te verzenden.")
    return redirect(url_for("admin.outbox"))


def init_app(app):
    app.register_blueprint(bp)
