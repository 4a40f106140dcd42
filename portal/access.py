"""Access control: every view declares what it needs; everything else is denied.

``@public`` marks the few views anyone may reach (login, a school's public
complaint form, static files); ``@requires("perm")`` names the permission a
view needs at the current school; ``@requires(LOGIN)`` only a logged-in user.
A view with neither is refused (deny by default): ``enforce`` runs before
every request, so a forgotten decorator cannot open a page.
"""

import re

from flask import abort
from flask import g
from flask import redirect
from flask import request
from flask import url_for
from flask_login import current_user
from werkzeug.local import LocalProxy

from .models import School
from .models import UserRole
from .registry import get_registry

LOGIN = "<login>"
# The board's own pages (schools, single sign-on): only a beheerder whose role holds for
# the whole board (school NULL). Never a permission a school's grid could hand out.
BOARD_ADMIN = "<board-admin>"


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


# Everything access control needs to know about one user at one school, in one
# constant, parameterised query: the plugins the school enabled, the school's
# changes to the default permissions, and the user's roles there. For the
# logged-in user at the school of the URL it is not even that: the same facts
# come as extra columns of the two queries every such request runs anyway (the
# school, schools.py; the session, auth.py), see ``_from_loaded``. This query is
# for every other user or school a page asks about.
CONTEXT_SQL = (
    'SELECT \'p\', "plugin", \'\', 0 FROM "portal_school_plugin" WHERE "school_id" = ? '
    "UNION ALL "
    'SELECT \'o\', "permission", "role", CASE WHEN "granted" THEN 1 ELSE 0 END '
    'FROM "portal_role_permission" WHERE "school_id" = ? '
    "UNION ALL "
    "SELECT 'r', \"role\", '', 0 FROM \"portal_user_role\" "
    'WHERE "user_id" = ? AND ("school_id" = ? OR "school_id" IS NULL) '
    "UNION ALL "
    "SELECT 's', COALESCE(CAST(\"school_id\" AS VARCHAR(20)), '*'), '', 0 "
    'FROM "portal_user_role" WHERE "user_id" = ?'
)

# The extra columns, as text: items joined by ITEM, the fields of an item by FIELD
# (control characters, which no name contains). Each is a subquery of the one row
# the outer query returns: no extra statement, no extra rows to step through.
ITEM, FIELD = "\x1e", "\x1f"
SCHOOL_ACCESS_COLUMNS = (  # for a query over "portal_school" AS s
    '(SELECT {agg}(p."plugin", ?) FROM "portal_school_plugin" AS p '
    'WHERE p."school_id" = s."id"), '
    '(SELECT {agg}(o."permission" || ? || o."role" || ? || '
    "CASE WHEN o.\"granted\" THEN '1' ELSE '0' END, ?) "
    'FROM "portal_role_permission" AS o WHERE o."school_id" = s."id")'
)
SCHOOL_ACCESS_PARAMS = (ITEM, FIELD, FIELD, ITEM)
USER_ACCESS_COLUMN = (  # for a query over "portal_user" AS u
    '(SELECT {agg}(r."role" || ? || COALESCE(CAST(r."school_id" AS VARCHAR(20)), \'*\'), ?) '
    'FROM "portal_user_role" AS r WHERE r."user_id" = u."id")'
)
USER_ACCESS_PARAMS = (FIELD, ITEM)


def school_access(plugins_text, overrides_text):
    """(enabled plugins, permission changes) from the columns of SCHOOL_ACCESS_COLUMNS."""
    plugins = frozenset(plugins_text.split(ITEM)) if plugins_text else frozenset()
    overrides = {}
    for item in overrides_text.split(ITEM) if overrides_text else ():
        permission, role, granted = item.split(FIELD)
        overrides.setdefault(permission, []).append((role, granted == "1"))
    return plugins, overrides


def user_roles(roles_text):
    """((role, school id as text or "*"), ...) from the column of USER_ACCESS_COLUMN."""
    if not roles_text:
        return ()
    return tuple(tuple(item.split(FIELD)) for item in roles_text.split(ITEM))


def _cache():
    """This request's access answers. Flask's ``g`` is a proxy and a page asks dozens of
    questions, so the real object is looked up once per question, not once per step."""
    real = g._get_current_object()
    cache = real.__dict__.get("portal_access")
    if cache is None:
        cache = real.portal_access = {"ctx": {}, "perm_roles": {}, "has": {}}
    return cache


def _context(user_id, school_id, cache=None):
    """(roles, enabled plugins, overrides, school ids) of ``user_id`` at ``school_id``."""
    contexts = (cache or _cache())["ctx"]
    key = (user_id, school_id)
    if key not in contexts:
        contexts[key] = _from_loaded(user_id, school_id) or _query_context(user_id, school_id)
    return contexts[key]


def _from_loaded(user_id, school_id):
    """The context from what this request loaded already: the school of the URL with its
    plugins and permission changes, the logged-in user with all their roles. None when
    the question is about another school or user."""
    school = g.get("school")
    loaded = getattr(school, "access", None)
    if loaded is None or school.id != school_id:
        return None
    plugins, overrides = loaded
    if not user_id:  # nobody logged in: the school's part is all there is
        return frozenset(), plugins, overrides, frozenset()
    user = current_user._get_current_object()
    roles = getattr(user, "roles", None)
    if roles is None or user.id != user_id:
        return None
    here = str(school_id)
    return (
        frozenset(role for role, where in roles if where in ("*", here)),
        plugins,
        overrides,
        frozenset(where for _role, where in roles),
    )


def _query_context(user_id, school_id):
    from .db import constant_sql
    from .db import database

    roles, plugins, overrides, schools = set(), set(), {}, set()
    params = (school_id, school_id, user_id, school_id, user_id)
    for kind, a, b, c in database.execute_sql(constant_sql(CONTEXT_SQL), params):
        if kind == "p":
            plugins.add(a)
        elif kind == "o":
            overrides.setdefault(a, []).append((b, bool(c)))
        elif kind == "r":
            roles.add(a)
        else:
            schools.add(a)
    return frozenset(roles), frozenset(plugins), overrides, frozenset(schools)


def _user_id(user, cache=None):
    """The id of a logged-in user (or of the ``current_user`` proxy, kept per request), else None."""
    if isinstance(user, LocalProxy):
        cache = cache or _cache()
        if "uid" not in cache:
            real = user._get_current_object()
            cache["uid"] = real.id if real is not None and real.is_authenticated else None
        return cache["uid"]
    return user.id if user is not None and user.is_authenticated else None


def forget_user():
    """Call when the logged-in user changes within a request (login, logout)."""
    cache = _cache()
    cache.pop("uid", None)
    cache.pop("board_admin", None)


def roles_at(user, school):
    """The roles ``user`` holds at ``school`` (board-wide roles included)."""
    cache = _cache()
    user_id = _user_id(user, cache)
    if user_id is None or school is None:
        return frozenset()
    return _context(user_id, school.id, cache)[0]


def enabled_plugins(school):
    """The plugins ``school`` has enabled."""
    cache = _cache()
    return _context(_user_id(current_user, cache) or 0, school.id, cache)[1]


def schools_enabling(slug):
    """The schools that enabled plugin ``slug``, by name (for a command that runs for
    every such school outside a request: reminders from cron)."""
    from .models import SchoolPlugin

    return list(
        School.select()
        .join(SchoolPlugin, on=(SchoolPlugin.school == School.id))
        .where(SchoolPlugin.plugin == slug)
        .order_by(School.name, School.id)
    )


def roles_for_permission(permission, school, cache=None):
    """Roles that hold ``permission`` at ``school``: the defaults, adjusted by the school."""
    cache = cache or _cache()
    key = (permission, school.id)
    if key not in cache["perm_roles"]:
        decl = get_registry().permissions.get(permission)
        roles = set(decl.default_roles) if decl else set()
        overrides = _context(_user_id(current_user, cache) or 0, school.id, cache)[2]
        for role, granted in overrides.get(permission, ()):
            (roles.add if granted else roles.discard)(role)
        cache["perm_roles"][key] = frozenset(roles)
    return cache["perm_roles"][key]


def has_permission(user, school, permission):
    cache = _cache()
    user_id = _user_id(user, cache)
    if permission == LOGIN:
        return user_id is not None
    if school is None or user_id is None:
        return False
    key = (user_id, school.id, permission)
    answers = cache["has"]
    if key not in answers:
        roles = _context(user_id, school.id, cache)[0]
        answers[key] = bool(roles & roles_for_permission(permission, school, cache))
    return answers[key]


def can(permission):
    """For templates: may the current user do this at the current school?"""
    return has_permission(current_user, g.get("school"), permission)


def has_several_schools(user, school):
    """Does the menu need a "Scholen" link? Board-wide roles or roles at two or more schools."""
    user_id = _user_id(user)
    if user_id is None or school is None:
        return False
    schools = _context(user_id, school.id)[3]
    return "*" in schools or len(schools) > 1


def schools_of(user):
    """The schools a user may open: board-wide roles open every school; an archived school
    opens to nobody."""
    if not user.is_authenticated:
        return []
    rows = list(UserRole.select().where(UserRole.user == user.id))
    open_ = School.archived_at.is_null()
    if any(r.school_id is None for r in rows):
        return list(School.select().where(open_).order_by(School.name))
    ids = {r.school_id for r in rows}
    return list(School.select().where(School.id.in_(ids) & open_).order_by(School.name))


def holds_board_role(user_id, role="beheerder"):
    """Does account ``user_id`` hold ``role`` for the whole board (school NULL)? Asked of the
    database: a login in this very request has no roles loaded yet."""
    return (
        UserRole.select()
        .where((UserRole.user == user_id) & (UserRole.role == role) & UserRole.school.is_null())
        .exists()
    )


def is_board_admin(user):
    """Is ``user`` (the logged-in user) a board-wide beheerder?"""
    cache = _cache()
    user_id = _user_id(user, cache)
    if user_id is None:
        return False
    if "board_admin" not in cache:
        real = user._get_current_object() if isinstance(user, LocalProxy) else user
        roles = getattr(real, "roles", None)
        if roles is not None and real.id == user_id:  # loaded with the session: no query
            cache["board_admin"] = ("beheerder", "*") in roles
        else:
            cache["board_admin"] = holds_board_role(user_id)
    return cache["board_admin"]


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
    if perm == LOGIN:
        return None
    if perm == BOARD_ADMIN:
        if not is_board_admin(current_user):
            abort(403)
        return None
    if not has_permission(current_user, g.get("school"), perm):
        abort(403)
    return None


def users_with_permission(school, permission):
    """Active users who hold ``permission`` at ``school`` (e.g. to notify them)."""
    from .models import User

    roles = roles_for_permission(permission, school)
    if not roles:
        return []
    return list(
        User.select()
        .distinct()
        .join(UserRole)
        .where(
            ((UserRole.school == school.id) | UserRole.school.is_null())
            & UserRole.role.in_(list(roles))
            & (User.active == True)  # noqa: E712
        )
        .order_by(User.name)
    )


def holders_of(school, role):
    """Active people who hold ``role`` at ``school`` itself, by name (the aandachtsfunctionaris,
    the contactpersoon: whom the veiligheidsplan names)."""
    from .models import User

    return list(
        User.select()
        .distinct()
        .join(UserRole)
        .where((UserRole.school == school.id) & (UserRole.role == role) & (User.active == True))  # noqa: E712
        .order_by(User.name)
    )


def staff_of(school):
    """Active people with a role at this school itself (not board-wide): the school's staff,
    e.g. whom a complaint may be about."""
    from .models import User

    return list(
        User.select()
        .distinct()
        .join(UserRole)
        .where((UserRole.school == school.id) & (User.active == True))  # noqa: E712
        .order_by(User.name)
    )


# Words around a name that are not the name ("juf Floor", "meester de Vries").
_NOT_A_NAME = {
    "de",
    "van",
    "der",
    "den",
    "het",
    "ten",
    "ter",
    "juf",
    "juffrouw",
    "meester",
    "mevrouw",
    "meneer",
    "mr",
    "mw",
    "dhr",
    "mevr",
    "leerkracht",
    "groep",
    "en",
    "of",
    "die",
}


def _name_words(text):
    import unicodedata

    plain = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode().lower()
    return {w for w in re.split(r"[^a-z]+", plain) if len(w) >= 3 and w not in _NOT_A_NAME}


def staff_named(school, text):
    """The school's staff whose name shares a word with ``text`` ("juf Floor", "meneer
    Hoekstra"): whom a parent may mean when naming a staff member. On purpose generous:
    excluding one colleague too many is undone in a click, showing the complaint to the
    person it is about is not."""
    words = _name_words(text)
    if not words:
        return []
    return [person for person in staff_of(school) if words & _name_words(person.name)]


def preload_contexts(user, schools):
    """Load the access facts of ``user`` at every school of ``schools`` at once (three
    statements, whatever their number), so that the answers about them that follow in this
    request (``has_permission``, ``visible_types``) need no query per school: the bestuur's
    overview of all its schools."""
    from .models import RolePermission
    from .models import SchoolPlugin

    cache = _cache()
    user_id = _user_id(user, cache)
    ids = [s.id for s in schools]
    if user_id is None or not ids:
        return
    plugins, overrides = {i: set() for i in ids}, {i: {} for i in ids}
    for school_id, plugin in (
        SchoolPlugin.select(SchoolPlugin.school, SchoolPlugin.plugin)
        .where(SchoolPlugin.school.in_(ids))
        .tuples()
    ):
        plugins[school_id].add(plugin)
    changes = RolePermission.select(
        RolePermission.school, RolePermission.permission, RolePermission.role, RolePermission.granted
    ).where(RolePermission.school.in_(ids))
    for school_id, permission, role, granted in changes.tuples():
        overrides[school_id].setdefault(permission, []).append((role, bool(granted)))
    held = list(UserRole.select(UserRole.role, UserRole.school).where(UserRole.user == user_id).tuples())
    where = frozenset("*" if s is None else str(s) for _role, s in held)
    for school_id in ids:
        roles = frozenset(role for role, s in held if s is None or s == school_id)
        cache["ctx"][(user_id, school_id)] = (
            roles,
            frozenset(plugins[school_id]),
            overrides[school_id],
            where,
        )
