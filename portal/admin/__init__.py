"""Beheerder pages: users and roles, the plugins a school enables, school settings; and
the board's own pages (schools, single sign-on) for the board-wide beheerder.

Who manages whom (docs/security.md, "beheerder of one school"): a beheerder manages the
accounts that hold a role at their school, and only that school's roles of them. Accounts
with a board-wide role (school NULL) reach every school, so only a board-wide beheerder
manages them. Nobody grants themselves a role or a permission: a second beheerder or a
board-wide one does, and a board-wide beheerder doing it to themselves gives a reason.

The package: this module holds the blueprint and the rules of reach; ``accounts`` the
user pages, ``school_pages`` a school's settings, rights, audit log and mail,
``schools`` the forms and rules for a school's details and its set-up checklist, and
``board`` the board-wide pages.
"""

from typing import NamedTuple

from flask import Blueprint
from flask import abort
from flask import g
from flask_login import current_user

from ..access import is_board_admin
from ..audit import audit
from ..db import atomic
from ..declarations import ROLES
from ..forms import MAX_INT
from ..models import SchoolPlugin
from ..models import User
from ..models import UserRole

bp = Blueprint("admin", __name__, url_prefix="/<school>/beheer")


ADMIN = "portal.admin"
REASON_MAX = 300


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
    """Does the logged-in user hold the beheerder role board-wide?"""
    return is_board_admin(current_user)


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


from . import accounts  # noqa: E402,F401 - the routes register themselves on bp
from . import board  # noqa: E402
from . import school_pages  # noqa: E402,F401


def init_app(app):
    app.register_blueprint(bp)
    app.register_blueprint(board.bp)
    # For the links to the board's pages (the school list, a school's beheer page).
    app.jinja_env.globals["is_board_admin"] = lambda: is_board_admin(current_user)
