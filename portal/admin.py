"""Beheerder pages: users and roles, the plugins a school enables, school settings."""

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
from wtforms import Form
from wtforms import PasswordField
from wtforms import SelectMultipleField
from wtforms import StringField
from wtforms import widgets
from wtforms.validators import DataRequired
from wtforms.validators import Email
from wtforms.validators import Length

from .access import enabled_plugins
from .access import requires
from .audit import audit
from .db import atomic
from .declarations import ROLES
from .forms import no_nul
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


class MultiCheckbox(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class UserForm(Form):
    name = StringField("Naam", validators=[DataRequired("Vul een naam in."), Length(max=200), no_nul])
    email = EmailField("E-mailadres", validators=[DataRequired("Vul een e-mailadres in."),
                                                  Email("Vul een geldig e-mailadres in."), Length(max=254)])
    password = PasswordField("Eerste wachtwoord (minstens 12 tekens)")
    roles = MultiCheckbox("Rollen bij deze school", choices=list(ROLES.items()))


class SchoolForm(Form):
    name = StringField("Naam van de school",
                       validators=[DataRequired("Vul een naam in."), Length(max=200), no_nul])
    address = StringField("Adres", validators=[Length(max=300), no_nul])
    phone = StringField("Telefoon", validators=[Length(max=40), no_nul])
    email = StringField("E-mailadres", validators=[Length(max=200), no_nul])
    board_name = StringField("Bestuur", validators=[Length(max=200), no_nul])


def set_plugin_enabled(school, plugin, on):
    with atomic():
        if on:
            SchoolPlugin.insert(school=school.id, plugin=plugin).on_conflict_ignore().execute()
        else:
            SchoolPlugin.delete().where(
                (SchoolPlugin.school == school.id) & (SchoolPlugin.plugin == plugin)
            ).execute()


@bp.route("/")
@requires("portal.admin")
def index():
    users = (
        User.select().join(UserRole)
        .where((UserRole.school == g.school.id) | UserRole.school.is_null())
        .distinct().order_by(User.name)
    )
    roles = {}
    for r in UserRole.select().where((UserRole.school == g.school.id) | UserRole.school.is_null()):
        roles.setdefault(r.user_id, []).append(ROLES[r.role] + ("" if r.school_id else " (bestuursbreed)"))
    return render_template("admin/index.html", users=list(users), roles=roles,
                           plugins=get_registry().plugin_slugs, enabled=enabled_plugins(g.school))


@bp.route("/gebruiker/nieuw", methods=["GET", "POST"])
@bp.route("/gebruiker/<int:user_id>", methods=["GET", "POST"])
@requires("portal.admin")
def user(user_id=None):
    row = User.get_or_none(User.id == user_id) if user_id else None
    if user_id and row is None:
        abort(404)
    form = UserForm(request.form if request.method == "POST" else None, obj=row)
    if row and request.method == "GET":
        form.roles.data = [r.role for r in UserRole.select().where(
            (UserRole.user == row.id) & (UserRole.school == g.school.id))]
    if request.method == "POST" and form.validate():
        email = form.email.data.strip().lower()
        clash = User.get_or_none(User.email == email)
        if clash and (row is None or clash.id != row.id):
            form.email.errors.append("Er is al een account met dit e-mailadres.")
        elif row is None and (reason := policy_error(form.password.data or "", email)):
            form.password.errors.append(reason)
        else:
            with atomic():
                if row is None:
                    row = User.create(email=email, name=form.name.data.strip(),
                                      password_hash=hash_password(form.password.data))
                else:
                    User.update(email=email, name=form.name.data.strip()).where(User.id == row.id).execute()
                UserRole.delete().where(
                    (UserRole.user == row.id) & (UserRole.school == g.school.id)).execute()
                for role in form.roles.data or []:
                    UserRole.create(user=row, school=g.school, role=role)
            audit("admin.user", detail=f"user={row.id} roles={','.join(form.roles.data or [])}")
            flash(f"{form.name.data} is opgeslagen.")
            return redirect(url_for("admin.index"))
    return render_template("admin/user.html", form=form, row=row)


@bp.route("/gebruiker/<int:user_id>/uitschakelen", methods=["POST"])
@requires("portal.admin")
def disable(user_id):
    from .auth import disable_user

    row = User.get_or_none(User.id == user_id)
    if row is None or row.id == current_user.id:
        abort(404)
    disable_user(row)
    audit("admin.user.disable", detail=f"user={row.id}")
    flash(f"{row.name} is uitgeschakeld; alle sessies zijn beëindigd.")
    return redirect(url_for("admin.index"))


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
                name=sform.name.data.strip(), address=sform.address.data.strip(),
                phone=sform.phone.data.strip(), email=sform.email.data.strip(),
                board_name=sform.board_name.data.strip(),
            ).where(School.id == school.id).execute()
            upload = request.files.get("logo")
            if upload and upload.filename:
                data = upload.read(512 * 1024 + 1)
                kind = _image_kind(data)
                if kind is None or len(data) > 512 * 1024:
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
    from .models import RolePermission

    reg = get_registry()
    enabled = enabled_plugins(g.school)
    perms = [p for name, p in sorted(reg.permissions.items())
             if reg.permission_owner[name] in enabled or reg.permission_owner[name] == "portal"]
    if request.method == "POST":
        with atomic():
            for p in perms:
                for role in ROLES:
                    wanted = request.form.get(f"{p.name}|{role}") == "1"
                    default = role in p.default_roles
                    cond = ((RolePermission.school == g.school.id)
                            & (RolePermission.permission == p.name) & (RolePermission.role == role))
                    RolePermission.delete().where(cond).execute()
                    if wanted != default:
                        RolePermission.create(school=g.school, permission=p.name, role=role,
                                              granted=wanted)
        audit("admin.permissions")
        flash("De rechten zijn opgeslagen.")
        return redirect(url_for("admin.permissions"))
    grid = {p.name: roles_for_permission(p.name, g.school) for p in perms}
    return render_template("admin/permissions.html", perms=perms, grid=grid)


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
    before = request.args.get("voor", type=int)
    if before:
        q = q.where(AuditLog.id < before)
    rows = list(q.order_by(AuditLog.id.desc()).limit(100))
    audit("admin.audit_log.view", detail=f"zaak={ref} wie={who}")
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
        Outbox.select(Outbox.id, Outbox.created_at, Outbox.to, Outbox.subject, Outbox.attempts,
                      Outbox.last_error, Outbox.failed_at)
        .where(here & failed).order_by(Outbox.id.desc()).limit(OUTBOX_PAGE_ROWS)
    )
    n_failed = len(rows) if len(rows) < OUTBOX_PAGE_ROWS else Outbox.select().where(here & failed).count()
    waiting = Outbox.select().where(here & Outbox.sent_at.is_null() & Outbox.failed_at.is_null()).count()
    audit("admin.mail.view")  # the list holds parents' addresses
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
        flash("1 mislukte mail staat weer in de wachtrij en wordt zo opnieuw verzonden." if n == 1
              else f"{n} mislukte mails staan weer in de wachtrij en worden zo opnieuw verzonden.")
    else:
        flash("Er is geen mislukte mail om opnieuw te verzenden.")
    return redirect(url_for("admin.outbox"))


def _image_kind(data):
    """Type by content, not by name: PNG or JPEG only (no SVG: it can carry script)."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def init_app(app):
    app.register_blueprint(bp)
