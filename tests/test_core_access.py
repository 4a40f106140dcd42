"""Access walk (docs/security.md B1, B5, D3): every rule of ``app.url_map``, every method,
anonymously and as every demo role.

The list of routes is built from the URL map, so a route added later (by the
core or a plugin) is walked too and cannot skip the checks.
"""

import pytest
from werkzeug.routing.converters import IntegerConverter

from portal.access import BOARD_ADMIN
from portal.access import LOGIN
from portal.access import holds_board_role
from portal.access import roles_for_permission
from portal.access import view_rule
from portal.models import CaseChecklistItem
from portal.models import CaseDocument
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.models import Vacation
from portal.passwords import hash_password

from .conftest import ROLES
from .conftest import get_csrf
from .conftest import login
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school
from .core_helpers import user

METHODS_SKIPPED = {"HEAD", "OPTIONS"}


@pytest.fixture
def values(app):
    """Real values for URL arguments: a real case, checklist item, document, user, vacation."""
    with db_ctx(app):
        case = make_case("Toegangstest")
        item = CaseChecklistItem.get(CaseChecklistItem.case == case.id)
        doc = CaseDocument.create(
            case=case.id,
            name="testzaak.brief",
            label="Testbrief",
            version=1,
            filename="x.pdf",
            content=b"%PDF-1.4 test",
            sha256="0" * 64,
        )
        vacation = Vacation.select().where(Vacation.school == school().id).first()
        return {
            "school": "klaverweide",
            "reference": case.reference,
            "item_id": item.id,
            "doc_id": doc.id,
            "user_id": user("leerkracht").id,
            "vacation_id": vacation.id,
            "filename": "portal.css",
        }


NAME_BY_ENDPOINT = {"cases.transition": "testzaak.start", "cases.make_document": "testzaak.brief"}


def walk(app, values):
    """[(rule, method, url, kind, permission)] for every rule and method in the URL map."""
    out = []
    for rule in app.url_map.iter_rules():
        args = {}
        for arg in rule.arguments:
            if arg == "name" and rule.endpoint in NAME_BY_ENDPOINT:
                args[arg] = NAME_BY_ENDPOINT[rule.endpoint]
            elif arg in values:
                args[arg] = values[arg]
            elif isinstance(rule._converters.get(arg), IntegerConverter):
                args[arg] = 1
            else:
                args[arg] = "x"
        url = rule.build(args, append_unknown=False)[1]
        kind, perm = view_rule(app.view_functions[rule.endpoint])
        for method in sorted(rule.methods - METHODS_SKIPPED):
            out.append((rule, method, url, kind, perm))
    assert len(out) > 15, "the URL map looks empty"
    return out


def request(client, method, url, token=None):
    if method == "GET":
        return client.get(url)
    data = {"csrf_token": token} if token else {}
    return client.open(url, method=method, data=data)


def test_every_view_declares_its_access(app):
    undeclared = [
        rule.rule
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static" and view_rule(app.view_functions[rule.endpoint]) == (None, None)
    ]
    assert undeclared == [], f"views without @public or @requires: {undeclared}"


def test_anonymous_reaches_only_public_views(app, client, values):
    token = get_csrf(client, "/login")
    problems = []
    for rule, method, url, kind, _perm in walk(app, values):
        public = kind == "public" or rule.endpoint == "static"
        if method != "GET":
            r = request(client, method, url)
            if r.status_code != 400:
                problems.append(f"{method} {url} without CSRF token: {r.status_code}, expected 400")
        r = request(client, method, url, token)
        if r.status_code >= 500:
            problems.append(f"{method} {url}: {r.status_code}")
        if 200 <= r.status_code < 300 and not public:
            problems.append(f"{method} {url} reachable anonymously ({r.status_code})")
        if not public and method == "GET" and r.status_code == 302:
            assert "/login" in r.headers["Location"], url
    assert problems == [], "\n".join(problems)


def test_role_without_permission_is_refused(app, values):
    """Every demo role (one app for all seven: the setup is the slow part)."""
    problems = []
    for role in ROLES:
        problems += _check_role(app, values, role)
    assert problems == [], "\n".join(problems)


def _check_role(app, values, role):
    client = app.test_client()
    assert login(client, role).status_code == 302
    token = get_csrf(client, "/wachtwoord")
    with db_ctx(app):
        holder = user(role)
        roles = {r.role for r in UserRole.select().where(UserRole.user == holder.id)}
        here = school()
        granted = {}
        for _rule, _m, _u, kind, perm in walk(app, values):
            if perm == BOARD_ADMIN:
                granted[perm] = holds_board_role(holder.id)
            elif kind == "permission" and perm != LOGIN and perm not in granted:
                granted[perm] = bool(roles & roles_for_permission(perm, here))
    problems = []
    refused = 0
    for _rule, method, url, kind, perm in walk(app, values):
        if method != "GET":
            r = request(client, method, url)
            if r.status_code != 400:
                problems.append(f"{role}: {method} {url} without CSRF token: {r.status_code}")
        if kind != "permission" or perm == LOGIN or granted[perm]:
            if method == "GET":
                r = client.get(url)
                if r.status_code >= 500 or r.status_code == 401:
                    problems.append(f"{role}: GET {url} with permission {perm}: {r.status_code}")
            continue
        refused += 1
        r = request(client, method, url, token)
        if r.status_code not in (403, 404):
            problems.append(f"{role} lacks {perm}: {method} {url} gave {r.status_code}")
    if role in ("leerkracht", "ondersteunend", "contactpersoon") and not refused:
        problems.append(f"{role} should lack some permission")
    return problems


def test_roles_at_another_school_open_nothing_here(app, client, values):
    """A user with every role, but only at another school, is refused at De Klaverweide."""
    with db_ctx(app):
        other = School.create(slug="anderschool", name="Andere School")
        outsider = User.create(
            email="buiten@anderschool.demo",
            name="Bram Buiten",
            password_hash=hash_password("buiten-wachtwoord-1234"),
        )
        for role in ROLES:
            UserRole.create(user=outsider, school=other, role=role)
    assert login(client, "buiten@anderschool.demo", "buiten-wachtwoord-1234").status_code == 302
    token = get_csrf(client, "/wachtwoord")
    problems = []
    for rule, method, url, kind, perm in walk(app, values):
        if "school" not in rule.arguments or kind != "permission" or perm == LOGIN:
            continue
        r = request(client, method, url, token)
        if r.status_code not in (403, 404):
            problems.append(f"{method} {url}: {r.status_code}")
    assert problems == [], "\n".join(problems)
    # And the school list only offers their own school.
    r = client.get("/")
    assert r.status_code == 302 and r.headers["Location"].endswith("/anderschool/")


def test_get_never_changes_state(app, client, values):
    """D3: a GET on a mutation route is refused (405), so no state change via GET."""
    login(client, "directie")
    for rule, _method, url, kind, _perm in walk(app, values):
        if "GET" not in rule.methods and kind is not None:
            # /logout answers 308 to /logout/ (the /<school>/ rule), which is a 404.
            r = client.get(url, follow_redirects=True)
            assert r.status_code in (404, 405), url


def test_unknown_school_is_404(client):
    login(client, "beheerder")
    assert client.get("/bestaatniet/").status_code == 404
    assert client.get("/bestaatniet/zaken/").status_code == 404


def test_context_loaded_with_school_and_session_equals_the_context_query(app):
    """The access facts that come as extra columns of the school and session queries
    (one statement fewer per page) are exactly what the context query finds: for every
    demo role, a board-wide role, a user of two schools, an outsider, nobody logged in;
    with a disabled plugin and a school's own permission changes in place."""
    import secrets

    from flask import g
    from flask import session

    from portal import access
    from portal import auth
    from portal import sessions
    from portal.db import database
    from portal.models import RolePermission
    from portal.models import SchoolPlugin
    from portal.models import UserSession
    from portal.schools import load_school

    with db_ctx(app):
        here = school()
        other = School.create(slug="anderschool", name="Andere School")
        SchoolPlugin.delete().where(
            (SchoolPlugin.school == here.id) & (SchoolPlugin.plugin == "trauma")
        ).execute()
        RolePermission.create(school=here, permission="klachten.view", role="ib", granted=True)
        RolePermission.create(school=here, permission="klachten.view", role="directie", granted=False)
        both = User.create(
            email="twee@asg.demo", name="Tessa Twee", password_hash=hash_password("twee-scholen-wachtwoord")
        )
        UserRole.create(user=both, school=here, role="leerkracht")
        UserRole.create(user=both, school=other, role="ib")
        outsider = User.create(
            email="buiten@anderschool.demo",
            name="Bram Buiten",
            password_hash=hash_password("buiten-wachtwoord-1234"),
        )
        UserRole.create(user=outsider, school=other, role="directie")
        people = [user(role) for role in ROLES] + [both, outsider]
        tokens = {}
        for person in people:
            tokens[person.id] = secrets.token_urlsafe(16)
            UserSession.create(token_hash=sessions.token_hash(tokens[person.id]), user=person)
        here_id, other_id = here.id, other.id

    for slug, school_id in (("klaverweide", here_id), ("anderschool", other_id)):
        with app.test_request_context(f"/{slug}/"):
            database.connect(reuse_if_open=True)
            g.school = load_school(slug)
            assert access._from_loaded(0, school_id) == access._query_context(0, school_id)
            if slug == "klaverweide":
                assert "trauma" not in g.school.access[0] and "klachten" in g.school.access[0]
            for person in people:
                session["sid"] = tokens[person.id]
                loaded = auth.load_user(str(person.id))
                assert loaded is not None and loaded.roles is not None
                # _from_loaded reads the logged-in user; stand in for flask-login here.
                g._login_user = loaded
                got = access._from_loaded(person.id, school_id)
                assert got == access._query_context(person.id, school_id), (slug, person.email)
            # Another school than the one loaded, or another user: not from what is loaded.
            assert access._from_loaded(people[0].id, school_id + 1000) is None
            g._login_user = auth.load_user(str(people[0].id))
            assert access._from_loaded(people[1].id, school_id) is None
            database.close()


def test_a_logged_in_case_list_runs_four_queries(app, client, monkeypatch):
    """Session with roles, school with its plugins and permission changes, the list, the
    count of "Te doen" in the header: nothing else (the per-connection PRAGMAs are not
    counted)."""
    import os

    from portal import audit as audit_module
    from portal.db import database

    buffer = audit_module._ViewBuffer()
    buffer.pid = os.getpid()  # its audit row waits for the batch (as in production)
    monkeypatch.setattr(audit_module, "_buffer", buffer)
    app.config["AUDIT_VIEW_BATCH"] = True
    login(client, "directie")
    client.get("/klaverweide/zaken/")  # warm: nothing cached across requests anyway
    seen = []
    real = database.obj.execute_sql
    monkeypatch.setattr(
        database.obj, "execute_sql", lambda sql, params=None: seen.append(sql) or real(sql, params)
    )
    assert client.get("/klaverweide/zaken/").status_code == 200
    assert len(seen) == 4, "\n".join(seen)
    assert 'FROM "portal_user_session"' in seen[0] or 'FROM "portal_user_session"' in seen[1]
    assert 'FROM "portal_notification_seen"' in seen[3]
