"""The idle logout, announced: a page knows how long its session has left, warns two minutes
before the end and offers to stay logged in (WCAG 2.2.1 Timing Adjustable; the script is
portal/static/portal.js, served by the portal itself).

``POST /sessie/verlengen`` (with the CSRF token in a header) moves the session's last
activity to now, as a page view does; it reads and changes nothing else. A session that has
already ended is not revived: the request is not logged in any more and gets 401.
"""

from flask import Blueprint
from flask import current_app
from flask import jsonify
from flask_login import current_user

from .access import LOGIN
from .access import requires
from .models import UserSession
from .models import utcnow

bp = Blueprint("idle", __name__)

# The warning comes this many seconds before the idle logout.
WARN_SECONDS = 120
# auth.load_user writes last_seen at most once a minute: the clock of a page starts from the
# moment the database holds, never later.
TOUCH_INTERVAL = 60


def seconds_left(user=None):
    """Seconds until the idle logout of the current session, as the server will count them."""
    user = user or current_user
    row = getattr(user, "session_row", None)
    idle = current_app.config["SESSION_IDLE_MINUTES"] * 60
    if row is None or row.last_seen is None:
        return idle
    since = (utcnow() - row.last_seen).total_seconds()
    if since > TOUCH_INTERVAL:  # this request has just written last_seen = now
        return idle
    return max(0, round(idle - since))


@bp.route("/sessie/verlengen", methods=["POST"])
@requires(LOGIN)
def keep_alive():
    row = current_user.session_row
    now = utcnow()
    UserSession.update(last_seen=now).where(
        (UserSession.id == row.id) & UserSession.ended_at.is_null()
    ).execute()
    row.last_seen = now
    return jsonify(seconds=seconds_left())


def init_app(app):
    app.register_blueprint(bp)
    app.config.setdefault("SESSION_WARN_SECONDS", WARN_SECONDS)

    @app.context_processor
    def _idle():
        return {"idle_seconds_left": seconds_left, "idle_warn_seconds": app.config["SESSION_WARN_SECONDS"]}
