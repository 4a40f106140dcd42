"""A school's own beheer pages: its plugins, details and settings, rights per role, audit
log and failed mail."""

from types import SimpleNamespace

from flask import abort
from flask import flash
from flask import g
from flask import redirect
from flask import render_template
from flask import request
from flask import url_for
from flask_login import current_user

from ..access import enabled_plugins
from ..access import requires
from ..access import roles_at
from ..audit import audit
from ..audit import audit_view
from ..dates import today
from ..db import atomic
from ..declarations import ROLES
from ..images import ImageRefused
from ..images import reencode
from ..models import RolePermission
from ..models import School
from ..registry import get_registry
from ..settings import save_settings
from ..settings import settings_form
from . import ADMIN
from . import REASON_MAX
from . import _board_admin
from . import _ordered
from . import bp
from . import set_plugin_enabled
from .schools import SchoolForm
from .schools import changed_fields
from .schools import update_school
from .schools import values_of


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
    school = School.get_by_id(g.school.id)  # every column: the letterhead's too
    enabled = enabled_plugins(g.school)
    posted = request.form if request.method == "POST" else None
    sform = SchoolForm(posted, obj=school)
    setform = settings_form(g.school, enabled, posted)
    status = 200
    if request.method == "POST":
        status = 422
        # Both forms are checked, so that every message shows at once.
        valid = sform.validate() & setform.validate()
        if valid:
            changed = changed_fields(school, values_of(sform))
            with atomic():
                if changed:
                    update_school(school, values_of(sform))
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
                save_settings(g.school, setform)
                audit("admin.settings")
            flash("De instellingen zijn opgeslagen.")
            return redirect(url_for("admin.school_settings"))
    return render_template("admin/school.html", sform=sform, setform=setform), status


@bp.route("/rechten", methods=["GET", "POST"])
@requires("portal.admin")
def permissions():
    """Which roles hold which permission at this school (defaults from the plugins)."""
    from ..access import roles_for_permission

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
        owners=reg.permission_owner,
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
@requires("portal.audit")
def audit_log():
    """Who did or saw what at this school, in Dutch, with the logins of its people; filters on
    person, case, action, outcome and dates (portal/audit_log.py)."""
    from .. import audit_log as log

    errors = {}
    f = log.read_filters(request.args, errors)
    lines = log.readable(log.school_rows(g.school, f, log.PAGE_ROWS))
    audit_view("admin.audit_log.view", detail=_log_detail(f))
    people = _people(g.school)
    older = None
    if len(lines) == log.PAGE_ROWS:
        older = url_for("admin.audit_log", **f.args(), voor=lines[-1].row.id)
    return render_template(
        "admin/audit_log.html",
        lines=lines,
        f=f,
        errors=errors,
        people=people,
        actions=log.action_choices(),
        older=older,
    ), (422 if errors else 200)


def _log_detail(f):
    """What the audit row of a look at the log says about the filters (no child's data)."""
    return " ".join(f"{k}={v}" for k, v in f.args().items())[:300]


def _people(school):
    """(e-mail, name) of the school's people, for the filter."""
    from ..models import User
    from ..models import UserRole

    q = (
        User.select(User.email, User.name)
        .join(UserRole, on=(UserRole.user == User.id))
        .where(UserRole.school == school.id)
        .distinct()
    )
    return sorted(((u.email, f"{u.name} ({u.email})") for u in q), key=lambda p: p[1].lower())


@bp.route("/auditlog.csv")
@requires("portal.audit")
def audit_log_export():
    """The filtered log as CSV (at most EXPORT_MAX rows, the newest); the download audited."""
    from .. import audit_log as log

    errors = {}
    f = log.read_filters(request.args, errors)
    lines = log.readable(log.school_rows(g.school, f, log.EXPORT_MAX))
    audit("admin.audit_log.export", detail=f"{len(lines)} regels {_log_detail(f)}"[:300])
    return _csv_response(log.to_csv(lines), f"auditlog-{g.school.slug}-{today().isoformat()}.csv")


@bp.route("/auditlog/zaak/<reference>.csv")
@requires("portal.audit")
def audit_log_case(reference):
    """The whole log of one case, oldest first, for its dossier; the download audited."""
    from .. import audit_log as log

    reference = reference.upper()[:40]
    lines = log.readable(log.case_rows(g.school, reference))
    if not lines:
        abort(404)
    audit(
        "admin.audit_log.case_export",
        case=SimpleNamespace(reference=reference, school=g.school),
        detail=f"{len(lines)} regels",
    )
    return _csv_response(log.to_csv(lines), f"auditlog-{reference}.csv")


def _csv_response(data, name):
    from flask import Response

    return Response(
        data,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"', "Cache-Control": "no-store"},
    )


# The mail page shows at most this many failed mails (the newest); more means a
# mail server problem that the retry-all button handles at once.
OUTBOX_PAGE_ROWS = 200


@bp.route("/mail")
@requires("portal.admin")
def outbox():
    """Mail of this school that failed for good ("mislukt"), and how much still waits."""
    from ..models import Outbox

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
    from .. import mail

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
