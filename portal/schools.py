"""Schools in the URL, the start page and each school's dashboard."""

from flask import Blueprint
from flask import abort
from flask import g
from flask import redirect
from flask import render_template
from flask import url_for
from flask_login import current_user

from . import access
from .access import LOGIN
from .access import public
from .access import requires
from .access import schools_of
from .audit import audit_view
from .menus import dashboard_panels
from .models import School

bp = Blueprint("schools", __name__)

# Every field but the logo (that blob is only needed for letters), and what access
# control needs of the school, in one constant query: this runs on every request
# under /<school>/.
SCHOOL_FIELDS = ("id", "slug", "name", "address", "phone", "email", "board_name", "logo_type")
# The school's phone number for urgent matters (a setting), shown on error pages.
URGENT_PHONE_COLUMN = (
    '(SELECT t."value" FROM "portal_school_setting" AS t WHERE t."school_id" = s."id" AND t."name" = ?)'
)
SCHOOL_SQL = (
    'SELECT s."id", s."slug", s."name", s."address", s."phone", s."email", s."board_name", '
    's."logo_type", ' + access.SCHOOL_ACCESS_COLUMNS + ", " + URGENT_PHONE_COLUMN + " "
    'FROM "portal_school" AS s WHERE s."slug" = ? AND s."archived_at" IS NULL'
)

# slug -> (name, phone for urgent matters), from the last time each school was loaded:
# an error page for a database that is down still tells a parent whom to call.
_contacts = {}
_MAX_CONTACTS = 10_000


def load_school(slug):
    """The school with this slug (``school.access``: its plugins and permission changes);
    None for an archived school, which opens to nobody (its URLs are a 404)."""
    from .db import constant_sql
    from .db import database

    found = database.execute_sql(
        constant_sql(SCHOOL_SQL), (*access.SCHOOL_ACCESS_PARAMS, "portal.contact_phone", slug)
    ).fetchone()
    if found is None:
        return None
    school = School(**dict(zip(SCHOOL_FIELDS, found[:8], strict=True)))
    school.access = access.school_access(found[8], found[9])
    school.urgent_phone = found[10] or school.phone
    if len(_contacts) >= _MAX_CONTACTS:
        _contacts.clear()
    _contacts[slug] = (school.name, school.urgent_phone)
    return school


def known_contact():
    """(school name, phone for urgent matters) for this request's school, without a query:
    the school loaded for this request, else what this process saw of it before."""
    school = g.get("school")
    if school is not None:
        return school.name, getattr(school, "urgent_phone", "") or school.phone
    return _contacts.get(g.get("school_slug"), ("", ""))


@bp.route("/")
@requires(LOGIN)
def home():
    schools = schools_of(current_user)
    if len(schools) == 1:
        return redirect(url_for("schools.dashboard", school=schools[0].slug))
    return render_template("schools/home.html", schools=schools)


@bp.route("/health")
@public
def health():
    """For monitoring: 200 when the portal can do its work; 503 when the database does not
    answer, when migrations are pending (the code expects a schema the database does not
    have yet) or when mail has waited too long (the outbox worker is not running).
    No details beyond these (no names, no counts of cases)."""
    from flask import current_app

    from . import mail
    from . import migrate
    from .registry import get_pm

    problems = []
    try:
        pending = migrate.pending_migrations(get_pm())
        # A database that is not migrated yet may not even have the outbox table.
        backlog = None if pending else mail.backlog()
    except Exception as exc:  # any database failure means "not healthy"; the log says which
        from .db import failure_kind

        current_app.logger.error("health: database failure (%s, %s)", failure_kind(exc), type(exc).__name__)
        return {"status": "onbeschikbaar", "problemen": ["database"]}, 503
    if pending:
        problems.append("migraties")
    limit = current_app.config["HEALTH_OUTBOX_MAX_MINUTES"]
    if backlog and current_app.config.get("SMTP_HOST") and backlog["oldest_due_minutes"] > limit:
        problems.append("mail")
    body = {
        "status": "onbeschikbaar" if problems else "ok",
        "problemen": problems,
        "migraties_open": len(pending),
        "mail": backlog,
    }
    return body, (503 if problems else 200)


@bp.route("/<school>/")
@requires("portal.dashboard")
def dashboard():
    panels = dashboard_panels(current_user, g.school)
    audit_view("dashboard.view")
    return render_template("schools/dashboard.html", panels=panels)


def init_app(app):
    app.register_blueprint(bp)

    @app.url_value_preprocessor
    def _pop_school(endpoint, values):
        if values and "school" in values:
            g.school_slug = values.pop("school")

    @app.url_defaults
    def _add_school(endpoint, values):
        if "school" in values or g.get("school") is None:
            return
        if app.url_map.is_endpoint_expecting(endpoint, "school"):
            values["school"] = g.school.slug

    @app.before_request
    def _load_school():
        slug = g.get("school_slug")
        if slug is not None:
            school = load_school(slug)
            if school is None:
                abort(404)
            g.school = school
