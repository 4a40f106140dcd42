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
from .menus import dashboard_panels
from .models import School

bp = Blueprint("schools", __name__)

# Every field but the logo (that blob is only needed for letters), and what access
# control needs of the school, in one constant query: this runs on every request
# under /<school>/.
SCHOOL_FIELDS = ("id", "slug", "name", "address", "phone", "email", "board_name", "logo_type")
SCHOOL_SQL = (
    'SELECT s."id", s."slug", s."name", s."address", s."phone", s."email", s."board_name", '
    's."logo_type", ' + access.SCHOOL_ACCESS_COLUMNS + ' '
    'FROM "portal_school" AS s WHERE s."slug" = ?'
)


def load_school(slug):
    """The school with this slug (``school.access``: its plugins and permission changes)."""
    from .db import constant_sql
    from .db import database

    found = database.execute_sql(
        constant_sql(SCHOOL_SQL), (*access.SCHOOL_ACCESS_PARAMS, slug)
    ).fetchone()
    if found is None:
        return None
    school = School(**dict(zip(SCHOOL_FIELDS, found[:8], strict=True)))
    school.access = access.school_access(found[8], found[9])
    return school


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
    """For monitoring: 200 when the database answers, 503 (no details) when it does not."""
    from .db import database

    try:
        database.execute_sql("SELECT 1").fetchone()
    except Exception:  # any database failure means "not healthy"; details stay in the log
        return {"status": "onbeschikbaar"}, 503
    return {"status": "ok"}


@bp.route("/<school>/")
@requires("portal.dashboard")
def dashboard():
    panels = dashboard_panels(current_user, g.school)
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
