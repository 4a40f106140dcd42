"""Access control: every view declares what it needs; everything else is denied.

``@public`` marks the few views anyone may reach (login, a school's public
complaint form, static files); ``@requires("perm")`` names the permission a
view needs at the current school; ``@requires(LOGIN)`` only a logged-in user.
A view with neither is refused (deny by default): ``enforce`` runs before
every request, so a forgotten decorator cannot open a page.
"""

from flask import abort
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user

from .models import RolePermission
from .models import School
from .models import UserRole
from .registry import get_registry

LOGIN = "<login>"


def public(view):
    view.portal_public = True
    return view


def requires(permission):
    def decorate(view):
        view.portal_permission = permission
        return view

    return decorate


def view_rule(view):
    """("public", None), ("permission", name) or (None, None) for an undeclared view."""
    if getattr(view, "portal_public", False):
        return "public", None
    perm = getattr(view, "portal_permission", None)
    if perm:
        return "permission", perm
    return None, None


def roles_at(user, school):
    """The roles ``user`` holds at ``school`` (board-wide roles included); cached per request."""
    if not user or not user.is_authenticated or school is None:
        return frozenset()
    cache = g.setdefault("_roles", {})
    key = (user.id, school.id)
    if key not in cache:
        rows = UserRole.select(UserRole.role).where(
            (UserRole.user == user.id) & ((UserRole.school == school.id) | UserRole.school.is_null())
        )
        cache[key] = frozenset(r.role for r in rows)
    return cache[key]


def roles_for_permission(permission, school):
    """Roles that hold ``permission`` at ``school``: the defaults, adjusted by the school."""
    cache = g.setdefault("_perm_roles", {})
    key = (permission, school.id)
    if key not in cache:
        decl = get_registry().permissions.get(permission)
        roles = set(decl.default_roles) if decl else set()
        for role, granted in _school_overrides(school).get(permission, ()):
            (roles.add if granted else roles.discard)(role)
        cache[key] = frozenset(roles)
    return cache[key]


def _school_overrides(school):
    """{permission: [(role, granted), ...]} for ``school``: one query per request, not one
    per permission (a page with the full menu asks for about fifteen; docs/performance.md)."""
    cache = g.setdefault("_perm_overrides", {})
    if school.id not in cache:
        overrides = {}
        for row in RolePermission.select(
            RolePermission.permission, RolePermission.role, RolePermission.granted
        ).where(RolePermission.school == school.id):
            overrides.setdefault(row.permission, []).append((row.role, row.granted))
        cache[school.id] = overrides
    return cache[school.id]


def has_permission(user, school, permission):
    if permission == LOGIN:
        return bool(user and user.is_authenticated)
    if school is None:
        return False
    return bool(roles_at(user, school) & roles_for_permission(permission, school))


def can(permission):
    """For templates: may the current user do this at the current school?"""
    return has_permission(current_user, g.get("school"), permission)


def schools_of(user):
    """The schools a user may open: board-wide roles open every school."""
    if not user.is_authenticated:
        return []
    rows = list(UserRole.select().where(UserRole.user == user.id))
    if any(r.school_id is None for r in rows):
        return list(School.select().order_by(School.name))
    ids = {r.school_id for r in rows}
    return list(School.select().where(School.id.in_(ids)).order_by(School.name))


def enforce():
    """before_request: public, plugin enabled, logged in, permission — in that order."""
    if request.endpoint is None:
        return None  # 404 follows
    from flask import current_app

    view = current_app.view_functions[request.endpoint]
    if request.endpoint == "static":
        return None
    bp = request.blueprint
    registry = get_registry()
    if bp in registry.plugin_slugs:
        school = g.get("school")
        if school is None or bp not in enabled_plugins(school):
            abort(404)
    kind, perm = view_rule(view)
    if kind == "public":
        return None
    if not current_user.is_authenticated:
        if request.method == "GET":
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        abort(401)
    if kind is None:
        abort(403)  # deny by default: the view declared nothing
    from .mfa import needs_enrolment

    if needs_enrolment(request.endpoint):
        return redirect(url_for("mfa.setup"))
    if perm == LOGIN:
        return None
    if not has_permission(current_user, g.get("school"), perm):
        abort(403)
    return None


def enabled_plugins(school):
    cache = g.setdefault("_enabled", {})
    if school.id not in cache:
        from .models import SchoolPlugin

        cache[school.id] = frozenset(
            p.plugin for p in SchoolPlugin.select().where(SchoolPlugin.school == school.id)
        )
    return cache[school.id]




def users_with_permission(school, permission):
    """Active users who hold ``permission`` at ``school`` (e.g. to notify them)."""
    from .models import User

    roles = roles_for_permission(permission, school)
    if not roles:
        return []
    return list(
        User.select().distinct().join(UserRole)
        .where(
            ((UserRole.school == school.id) | UserRole.school.is_null())
            & UserRole.role.in_(list(roles)) & (User.active == True)  # noqa: E712
        ).order_by(User.name)
    )
