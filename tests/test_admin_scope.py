"""The access walk in a two-school world (docs/security.md B1, "beheerder of one school").

Next to the demo school De Klaverweide stands "De Linde" with its own beheerders, directie,
leerkracht and a case. Every admin rule whose URL carries an object id is built from
``app.url_map`` (so a route added later is walked too) and tried by the beheerder of De Linde
on objects that are not theirs: other schools' accounts, board-wide accounts, an id nobody
has. Each answer is a refusal that leaves the object as it was and, for accounts, a 404
with an audit row. The board-wide beheerder may do all of it; nobody grants themselves a
role or a permission; the permission grid keeps ``portal.admin``; ``permissions reset``
restores a school's defaults.
"""

import re

import pytest
from werkzeug.routing.converters import IntegerConverter

from portal.cases import engine
from portal.models import AuditLog
from portal.models import Outbox
from portal.models import RolePermission
from portal.models import School
from portal.models import User
from portal.models import UserRole
from portal.models import utcnow
from portal.passwords import hash_password
from portal.testing import db_session

from .conftest import get_csrf
from .conftest import login

PASSWORD = "de-linde-wachtwoord-2026"
LINDE = "/de-linde/beheer"
BOARD_ADMIN = "beheerder@asg.demo"
SKIPPED_METHODS = {"HEAD", "OPTIONS"}

# A change an attacker would post on a user page: the fields of the form, all different.
HOSTILE_USER_POST = {
    "name": "Overgenomen",
    "email": "overgenomen@example.org",
    "roles": ["directie", "contactpersoon"],
    "reden": "test",
}


@pytest.fixture
def world(app):
    """De Linde with its own people and a case; ids of everyone the tests aim at."""
    from portal.admin import set_plugin_enabled

    with db_session(app):
        linde = School.create(slug="de-linde", name="De Linde")
        set_plugin_enabled(linde, "testzaak", True)
        pw = hash_password(PASSWORD)

        def person(email, name, *roles):
            row = User.create(email=email, name=name, password_hash=pw)
            for role, school in roles:
                UserRole.create(user=row, school=school, role=role)
            return row

        klaverweide = School.get(School.slug == "klaverweide")
        ids = {
            "beheerder": person("beheerder@delinde.demo", "Lotte Linde", ("beheerder", linde)).id,
            "beheerder2": person("beheerder2@delinde.demo", "Kees Kastanje", ("beheerder", linde)).id,
            "directie": person("directie@delinde.demo", "Daan Eik", ("directie", linde)).id,
            "leerkracht": person("leerkracht@delinde.demo", "Iris Berk", ("leerkracht", linde)).id,
            # Works at both schools: leerkracht at De Klaverweide, ib at De Linde.
            "both": person("twee@asg.demo", "Tessa Twee", ("leerkracht", klaverweide), ("ib", linde)).id,
            # A role at De Linde and a board-wide one: board-wide all the same.
            "mixed": person("gemengd@asg.demo", "Gijs Gemengd", ("ib", linde), ("bestuur", None)).id,
            "roleless": person("zonderrol@asg.demo", "Roos Rolloos").id,
            "klaverweide_only": User.get(User.email == "leerkracht@klaverweide.demo").id,
            "bestuur": User.get(User.email == "bestuur@asg.demo").id,
            "board_admin": User.get(User.email == BOARD_ADMIN).id,
        }
        ids["nobody"] = User.select().order_by(User.id.desc()).first().id + 1000
        case = engine.create_case(
            linde, "testzaak.zaak", "Zaak van De Linde", User.get_by_id(ids["directie"])
        )
        ids["case"] = case.reference
        ids["klaverweide_mail"] = Outbox.create(
            school="klaverweide",
            to="ouder@example.org",
            subject="Mail van De Klaverweide",
            body="",
            attempts=8,
            failed_at=utcnow(),
            last_error="550",
        ).id
        # A case of De Klaverweide with a row in its audit log (the log's case export).
        ids["klaverweide_case"] = engine.create_case(
            klaverweide, "testzaak.zaak", "Zaak van De Klaverweide", User.get_by_id(ids["klaverweide_only"])
        ).reference
        AuditLog.create(action="case.view", case_ref=ids["klaverweide_case"], school="klaverweide")
    return ids


def client_of(app, email, password=PASSWORD):
    client = app.test_client()
    assert login(client, email, password).status_code == 302, f"login as {email} failed"
    return client


def board_admin(app):
    from portal.demo import demo_password

    return client_of(app, BOARD_ADMIN, demo_password())


def user_row(app, user_id):
    """What a refused request must leave alone: the account and every role of it."""
    with db_session(app, "de-linde"):
        row = User.get_or_none(User.id == user_id)
        roles = sorted((r.role, r.school_id) for r in UserRole.select().where(UserRole.user == user_id))
        return row and (row.email, row.name, row.active, row.password_hash), roles


def outbox_row(app, outbox_id):
    with db_session(app, "de-linde"):
        r = Outbox.get_by_id(outbox_id)
        return r.attempts, r.failed_at, r.next_attempt_at, r.last_error


def denied(app, user_id):
    with db_session(app, "de-linde"):
        return (
            AuditLog.select()
            .where(
                (AuditLog.outcome == "denied")
                & AuditLog.action.startswith("admin.user")
                & (AuditLog.detail == f"user={user_id}")
                & (AuditLog.school == "de-linde")
            )
            .count()
        )


def audits(app, action, **where):
    with db_session(app, "de-linde"):
        q = AuditLog.select().where(AuditLog.action == action)
        for k, v in where.items():
            q = q.where(getattr(AuditLog, k) == v)
        return [(a.user_email, a.outcome, a.detail) for a in q.order_by(AuditLog.id)]


def object_rules(app):
    """[(rule, method)] of every admin rule whose URL carries an id (anything but the school)."""
    out = []
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/<school>/beheer/") or set(rule.arguments) == {"school"}:
            continue
        out.extend((rule, m) for m in sorted(rule.methods - SKIPPED_METHODS))
    return out


# The objects outside De Linde's beheerder's reach, per URL argument; and how a refusal
# looks for each. A new object-bearing admin route with a new argument fails the walk
# until it is added here.
USER_TARGETS = ("klaverweide_only", "bestuur", "board_admin", "mixed", "roleless", "nobody")


def test_two_school_walk_of_every_object_bearing_admin_url(app, world):
    rules = object_rules(app)
    assert {r.endpoint for r, _m in rules} >= {"admin.user", "admin.disable", "admin.outbox_retry"}
    client = client_of(app, "beheerder@delinde.demo")
    token = get_csrf(client, f"{LINDE}/")
    problems, walked = [], set()
    for rule, method in rules:
        ids = [a for a in rule.arguments if a != "school"]
        assert len(ids) == 1, rule.rule
        assert ids[0] == "reference" or isinstance(rule._converters[ids[0]], IntegerConverter), rule.rule
        arg = ids[0]
        if arg == "reference":
            # The whole log of another school's case: 404, the same as for no case at all.
            url = rule.build({"school": "de-linde", arg: world["klaverweide_case"]}, append_unknown=False)[1]
            walked.add((method, url))
            r = client.get(url)
            if r.status_code != 404 or world["klaverweide_case"].encode() in r.get_data():
                problems.append(f"{method} {url}: another school's case log was given ({r.status_code})")
        elif arg == "user_id":
            for target in USER_TARGETS:
                user_id = world[target]
                url = rule.build({"school": "de-linde", arg: user_id}, append_unknown=False)[1]
                walked.add((method, url))
                before, audited = user_row(app, user_id), denied(app, user_id)
                data = {**HOSTILE_USER_POST, "csrf_token": token}
                r = client.get(url) if method == "GET" else client.post(url, data=data)
                if r.status_code != 404:
                    problems.append(f"{method} {url} ({target}): {r.status_code}, expected 404")
                if user_row(app, user_id) != before:
                    problems.append(f"{method} {url} ({target}) changed the account")
                if denied(app, user_id) != audited + 1:
                    problems.append(f"{method} {url} ({target}): no audit row of the refusal")
                if target != "nobody" and method == "GET":
                    with db_session(app, "de-linde"):
                        email = User.get_by_id(user_id).email
                    if email in r.get_data(as_text=True):
                        problems.append(f"{method} {url} ({target}) shows the account")
        elif arg == "outbox_id":
            outbox_id = world["klaverweide_mail"]
            url = rule.build({"school": "de-linde", arg: outbox_id}, append_unknown=False)[1]
            walked.add((method, url))
            before = outbox_row(app, outbox_id)
            r = client.post(url, data={"csrf_token": token}, follow_redirects=True)
            # The mail page says the same for another school's mail as for none at all.
            if "staat niet (meer) bij de mislukte mail" not in r.get_data(as_text=True):
                problems.append(f"{method} {url}: another school's mail was not refused")
            if outbox_row(app, outbox_id) != before:
                problems.append(f"{method} {url}: another school's mail was retried")
        else:
            problems.append(
                f"{rule.rule}: new object-bearing admin route, add a foreign object for {arg} to this walk"
            )
    assert problems == [], "\n".join(problems)
    # Every user rule (page GET and POST, disable, second-factor reset) × 6 targets, and the
    # mail rule × 1 foreign mail: at least that, and more when a rule is added.
    assert len(walked) >= 4 * len(USER_TARGETS) + 1, sorted(walked)


def test_board_wide_beheerder_can_do_all_of_it(app, world):
    client = board_admin(app)
    target = world["klaverweide_only"]
    page = f"{LINDE}/gebruiker/{target}"
    assert client.get(page).status_code == 200
    r = client.post(
        page,
        data={
            "name": "Sanne de Boer-Linde",
            "email": "sanne@asg.demo",
            "roles": ["ib"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 302
    (email, name, active, _), roles = user_row(app, target)
    with db_session(app, "de-linde"):
        here, kw = School.get(School.slug == "de-linde").id, School.get(School.slug == "klaverweide").id
    assert (email, name, active) == ("sanne@asg.demo", "Sanne de Boer-Linde", True)
    assert roles == sorted([("ib", here), ("leerkracht", kw)])  # Klaverweide's role stays
    assert audits(app, "admin.user", school="de-linde")[-1] == (
        BOARD_ADMIN,
        "ok",
        f"user={target} +ib name email",
    )
    for who in ("bestuur", "mixed", "roleless"):
        assert client.get(f"{LINDE}/gebruiker/{world[who]}").status_code == 200, who
    r = client.post(
        f"{LINDE}/gebruiker/{world['bestuur']}/uitschakelen",
        data={"csrf_token": get_csrf(client, f"{LINDE}/")},
    )
    assert r.status_code == 302 and user_row(app, world["bestuur"])[0][2] is False
    r = client.post(
        f"{LINDE}/gebruiker/{world['both']}/uitschakelen", data={"csrf_token": get_csrf(client, f"{LINDE}/")}
    )
    assert r.status_code == 302 and user_row(app, world["both"])[0][2] is False
    html = client.get(f"{LINDE}/").get_data(as_text=True)
    assert f'href="{LINDE}/gebruiker/{world["bestuur"]}"' in html and "Beheerd door het bestuur" not in html


def test_school_beheerder_list_shows_board_wide_accounts_read_only(app, world):
    client = client_of(app, "beheerder@delinde.demo")
    html = client.get(f"{LINDE}/").get_data(as_text=True)
    for who in ("bestuur", "board_admin", "mixed"):
        assert f"{LINDE}/gebruiker/{world[who]}" not in html, who  # no link, no disable form
    assert "Ingrid Verbeek" in html and "Beheerd door het bestuur" in html
    assert "Sanne de Boer" not in html and "Roos Rolloos" not in html  # not of this school
    assert f'href="{LINDE}/gebruiker/{world["leerkracht"]}"' in html
    assert f'action="{LINDE}/gebruiker/{world["leerkracht"]}/uitschakelen"' in html
    # Works at two schools: editable (roles here), not disabled from one school's page.
    assert f'href="{LINDE}/gebruiker/{world["both"]}"' in html
    assert f'action="{LINDE}/gebruiker/{world["both"]}/uitschakelen"' not in html
    assert "(ook bij een andere school)" in html


def test_school_beheerder_changes_only_their_schools_roles_of_a_shared_user(app, world):
    client = client_of(app, "beheerder@delinde.demo")
    both = world["both"]
    page = f"{LINDE}/gebruiker/{both}"
    html = client.get(page).get_data(as_text=True)
    assert 'name="name"' not in html and 'name="email"' not in html
    assert "Tessa Twee" in html and "werkt ook bij een andere school" in html
    (email, name, _a, _p), before = user_row(app, both)
    r = client.post(
        page,
        data={
            "name": "Andere Naam",
            "email": "ander@example.org",
            "roles": ["leerkracht"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 302
    (email2, name2, active, _p), after = user_row(app, both)
    assert (email2, name2, active) == (email, name, True)  # name and address stay
    with db_session(app, "de-linde"):
        here, kw = School.get(School.slug == "de-linde").id, School.get(School.slug == "klaverweide").id
    assert before == sorted([("ib", here), ("leerkracht", kw)])
    assert after == sorted([("leerkracht", here), ("leerkracht", kw)])
    assert audits(app, "admin.user", outcome="ok")[-1] == (
        "beheerder@delinde.demo",
        "ok",
        f"user={both} +leerkracht -ib",
    )
    # Disabling would lock them out of De Klaverweide too: refused, said, audited.
    r = client.post(
        f"{page}/uitschakelen", data={"csrf_token": get_csrf(client, f"{LINDE}/")}, follow_redirects=True
    )
    assert "alleen de bestuursbrede beheerder kan dit account uitschakelen" in r.get_data(as_text=True)
    assert user_row(app, both)[0][2] is True
    assert audits(app, "admin.user.disable")[-1] == (
        "beheerder@delinde.demo",
        "denied",
        f"user={both} elsewhere",
    )
    # Their own school's staff: name, address and roles, and disabling.
    mine = world["leerkracht"]
    page = f"{LINDE}/gebruiker/{mine}"
    r = client.post(
        page,
        data={
            "name": "Iris van Berk",
            "email": "iris@delinde.demo",
            "roles": ["leerkracht", "ib"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 302
    assert user_row(app, mine)[0][:2] == ("iris@delinde.demo", "Iris van Berk")
    assert audits(app, "admin.user")[-1][2] == f"user={mine} +ib name email"
    r = client.post(f"{page}/uitschakelen", data={"csrf_token": get_csrf(client, f"{LINDE}/")})
    assert r.status_code == 302 and user_row(app, mine)[0][2] is False


def test_a_new_user_gets_roles_at_this_school_only(app, world):
    client = client_of(app, "beheerder@delinde.demo")
    page = f"{LINDE}/gebruiker/nieuw"
    r = client.post(
        page,
        data={
            "name": "Nina Nieuw",
            "email": "nina@delinde.demo",
            "password": "een lange zin als wachtwoord",
            "roles": ["ib"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 302
    with db_session(app, "de-linde"):
        new = User.get(User.email == "nina@delinde.demo")
        here = School.get(School.slug == "de-linde").id
        assert [(r.role, r.school_id) for r in UserRole.select().where(UserRole.user == new.id)] == [
            ("ib", here)
        ]
    assert audits(app, "admin.user")[-1] == ("beheerder@delinde.demo", "ok", f"user={new.id} +ib new")


def test_nobody_grants_themselves_a_role(app, world):
    me = world["beheerder"]
    client = client_of(app, "beheerder@delinde.demo")
    page = f"{LINDE}/gebruiker/{me}"
    before = user_row(app, me)
    r = client.post(
        page,
        data={
            "name": "Lotte Linde",
            "email": "beheerder@delinde.demo",
            "roles": ["beheerder", "directie"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "U kunt uzelf geen rol geven." in html and 'id="roles-fout"' in html
    assert user_row(app, me) == before
    with db_session(app, "de-linde"):
        assert not UserRole.select().where((UserRole.user == me) & (UserRole.role == "directie")).exists()
    assert audits(app, "admin.user")[-1] == ("beheerder@delinde.demo", "denied", f"user={me} +directie self")
    assert client.get(f"/de-linde/zaken/{world['case']}").status_code in (403, 404)
    # Their own name, without a new role, they may change.
    r = client.post(
        page,
        data={
            "name": "Lotte van de Linde",
            "email": "beheerder@delinde.demo",
            "roles": ["beheerder"],
            "csrf_token": get_csrf(client, page),
        },
    )
    assert r.status_code == 302 and user_row(app, me)[0][1] == "Lotte van de Linde"

    # A second beheerder of the school may; the audit row says who did what.
    second = client_of(app, "beheerder2@delinde.demo")
    r = second.post(
        page,
        data={
            "name": "Lotte van de Linde",
            "email": "beheerder@delinde.demo",
            "roles": ["beheerder", "directie"],
            "csrf_token": get_csrf(second, page),
        },
    )
    assert r.status_code == 302
    assert audits(app, "admin.user")[-1] == ("beheerder2@delinde.demo", "ok", f"user={me} +directie")
    assert client.get(f"/de-linde/zaken/{world['case']}").status_code == 200  # the world works

    # The board-wide beheerder, only with a reason (which goes into the audit row).
    board = board_admin(app)
    mine = world["board_admin"]
    page = f"{LINDE}/gebruiker/{mine}"
    assert 'name="reason"' in board.get(page).get_data(as_text=True)
    data = {"name": "Tom Kuipers", "email": BOARD_ADMIN, "roles": ["directie"]}
    r = board.post(page, data={**data, "csrf_token": get_csrf(board, page)})
    assert r.status_code == 422 and "Vul een reden in" in r.get_data(as_text=True)
    with db_session(app, "de-linde"):
        assert not UserRole.select().where((UserRole.user == mine) & UserRole.school.is_null(False)).exists()
    r = board.post(
        page,
        data={**data, "reason": "Waarneming directie tijdens ziekte", "csrf_token": get_csrf(board, page)},
    )
    assert r.status_code == 302
    assert audits(app, "admin.user")[-1] == (
        BOARD_ADMIN,
        "ok",
        f"user={mine} +directie reason=Waarneming directie tijdens ziekte",
    )
    # A school's beheerder never even sees the reason field.
    assert 'name="reason"' not in client.get(f"{LINDE}/gebruiker/{me}").get_data(as_text=True)


CHECKBOX_RE = re.compile(r'<input type="checkbox" name="([^"|]+)\|([^"]+)" value="1"[^>]*?( checked)?>')


def grid_of(client, page):
    """The permission grid as the page shows it: {permission: {role, ...}}."""
    grid = {}
    for perm, role, checked in CHECKBOX_RE.findall(client.get(page).get_data(as_text=True)):
        grid.setdefault(perm, set())
        if checked:
            grid[perm].add(role)
    assert "portal.admin" in grid and len(grid) > 3
    return grid


def grid_post(client, page, grid, **extra):
    data = {f"{p}|{r}": "1" for p, roles in grid.items() for r in roles}
    return client.post(page, data={**data, **extra, "csrf_token": get_csrf(client, page)})


def overrides(app, slug="de-linde"):
    with db_session(app, slug):
        school = School.get(School.slug == slug)
        return sorted(
            (r.permission, r.role, r.granted)
            for r in RolePermission.select().where(RolePermission.school == school.id)
        )


def test_permission_grid_keeps_portal_admin(app, world):
    page = f"{LINDE}/rechten"
    client = client_of(app, "beheerder@delinde.demo")
    grid = grid_of(client, page)
    assert grid["portal.admin"] == {"beheerder"}
    refusals = [
        ({**grid, "portal.admin": set()}, "Minstens één rol moet dit recht houden"),
        ({**grid, "portal.admin": {"directie"}}, "U kunt dit recht niet weghalen bij uw eigen rol"),
        (
            {**grid, "testzaak.view": grid["testzaak.view"] | {"beheerder"}},
            "U kunt uw eigen rol (functioneel beheerder) geen rechten geven",
        ),
    ]
    for posted, message in refusals:
        r = grid_post(client, page, posted)
        assert r.status_code == 422, message
        html = r.get_data(as_text=True)
        assert message in html and "De rechten zijn niet opgeslagen" in html
        assert overrides(app) == [], message
        assert audits(app, "admin.permissions")[-1][:2] == ("beheerder@delinde.demo", "denied")
    assert client.get(f"/de-linde/zaken/{world['case']}").status_code in (403, 404)
    # Adding portal.admin to another role and taking other rights away is fine.
    ok = {
        **grid,
        "portal.admin": {"beheerder", "directie"},
        "portal.reports": grid["portal.reports"] - {"directie"},
    }
    assert grid_post(client, page, ok).status_code == 302
    assert overrides(app) == [("portal.admin", "directie", True), ("portal.reports", "directie", False)]
    assert audits(app, "admin.permissions")[-1] == (
        "beheerder@delinde.demo",
        "ok",
        "+portal.admin|directie -portal.reports|directie",
    )
    # Directie now holds portal.admin too: still, nobody takes it from beheerder whom it is.
    assert grid_post(client, page, {**ok, "portal.admin": {"directie"}}).status_code == 422

    # The board-wide beheerder: same floor; their own role gets a right only with a reason.
    board = board_admin(app)
    grid = grid_of(board, page)
    assert grid_post(board, page, {**grid, "portal.admin": set()}).status_code == 422
    assert grid_post(board, page, {**grid, "portal.admin": {"directie"}}).status_code == 422
    more = {**grid, "testzaak.view": grid["testzaak.view"] | {"beheerder"}}
    r = grid_post(board, page, more)
    assert r.status_code == 422 and "Vul een reden in" in r.get_data(as_text=True)
    assert 'id="reden-fout"' in r.get_data(as_text=True)
    assert grid_post(board, page, more, reden="Controle van het dossier").status_code == 302
    assert ("testzaak.view", "beheerder", True) in overrides(app)
    assert audits(app, "admin.permissions")[-1] == (
        BOARD_ADMIN,
        "ok",
        "+testzaak.view|beheerder reason=Controle van het dossier",
    )


def test_permissions_reset_restores_the_defaults(app, world, runner):
    with db_session(app, "de-linde"):
        linde = School.get(School.slug == "de-linde")
        kw = School.get(School.slug == "klaverweide")
        # Locked out: nobody holds portal.admin at De Linde any more.
        RolePermission.create(school=linde, permission="portal.admin", role="beheerder", granted=False)
        RolePermission.create(school=linde, permission="portal.reports", role="ib", granted=True)
        RolePermission.create(school=kw, permission="portal.reports", role="directie", granted=False)
    client = client_of(app, "beheerder@delinde.demo")
    assert client.get(f"{LINDE}/").status_code == 403
    r = runner.invoke(args=["permissions", "reset", "de-linde"])
    assert r.exit_code == 0, r.output
    assert "Verwijderd: portal.admin afgenomen van beheerder" in r.output
    assert "Verwijderd: portal.reports gegeven aan ib" in r.output
    assert "2 wijzigingen verwijderd" in r.output
    assert overrides(app) == []
    assert overrides(app, "klaverweide") == [("portal.reports", "directie", False)]  # untouched
    assert audits(app, "admin.permissions.reset", school="de-linde") == [
        ("", "ok", "via=cli removed: -portal.admin|beheerder +portal.reports|ib")
    ]
    assert client.get(f"{LINDE}/").status_code == 200
    r = runner.invoke(args=["permissions", "reset", "bestaat-niet"])
    assert r.exit_code != 0 and "Onbekende school bestaat-niet" in r.output


def test_a_beheerder_resets_a_second_factor_within_the_school_only(app):
    """Reset (lost phone and codes) is audited, ends the user's sessions, and follows the
    same scope as the other user pages."""
    from portal.models import AuditLog
    from portal.models import User
    from portal.secretbox import seal
    from portal.testing import as_role
    from portal.testing import db_session
    from portal.testing import post

    with db_session(app):
        ib = User.get(User.email == "ib@klaverweide.demo")
        User.update(totp_secret=seal("JBSWY3DPEHPK3PXP", "totp")).where(User.id == ib.id).execute()
    admin = as_role(app, "beheerder")
    page = f"/klaverweide/beheer/gebruiker/{ib.id}"
    assert "Tweestapsverificatie wissen" in admin.get(page).get_data(as_text=True)
    r = post(admin, f"{page}/tweede-stap", page=page)
    assert r.status_code == 302
    with db_session(app):
        assert User.get_by_id(ib.id).totp_secret == ""
        assert AuditLog.select().where((AuditLog.action == "mfa.reset") & (AuditLog.outcome == "ok")).exists()


def _foreign_objects(app):
    """One object of De Klaverweide per kind a school URL carries by id: {URL argument:
    (model, id)}. The case-bound ones belong to a Klaverweide case."""
    from plugins.organisatie.models import Action
    from plugins.organisatie.models import Assignment
    from plugins.organisatie.models import Person
    from plugins.organisatie.models import Training
    from plugins.social_media.models import AllowedApp
    from portal.dates import today
    from portal.documents import produce
    from portal.models import Attachment
    from portal.models import CaseChecklistItem
    from portal.models import CaseDocument
    from portal.models import CasePupil
    from portal.models import InzageExport
    from portal.models import InzageRequest
    from portal.models import Partner
    from portal.models import Pupil
    from portal.models import Vacation
    from portal.pupils import inzage
    from portal.pupils import link

    with db_session(app):
        kw = School.get(School.slug == "klaverweide")
        directie = User.get(User.email == "directie@klaverweide.demo")
        case = engine.create_case(kw, "testzaak.zaak", "Zaak van De Klaverweide", directie)
        pupil = Pupil.select().where(Pupil.school == kw.id).order_by(Pupil.id).first()
        link(case, pupil, directie)
        produce(case, "testzaak.brief", directie)
        partner = Partner.select().where(Partner.school == kw.id).first() or Partner.create(
            school=kw, organisation="Jeugdteam Klaverweide", kind="smw"
        )
        vacation = Vacation.select().where(Vacation.school == kw.id).first()
        app_row = AllowedApp.select().where(AllowedApp.school == kw.id).first()
        attachment = Attachment.create(
            case=case,
            stored_name="walk-" + "0" * 59,
            filename="foto.jpg",
            mime_type="image/jpeg",
            size=1,
            sha256="0" * 64,
        )
        action = Action.create(
            case=case, description="Plattegrond ophangen", owner="Directie", due_on=today()
        )
        request = inzage.create(kw, pupil, "Ouder Klaverweide", "ouder", today(), directie)
        export = InzageExport.create(
            request=request,
            version=1,
            filename="inzage.zip",
            content=b"",
            sha256="0" * 64,
            pdf_sha256="0" * 64,
        )
        # The yearly report and the plan (portal/report/): the demo's measurement and action.
        from portal.models import MonitorResult
        from portal.models import PlanVersion
        from portal.models import SafetyAction

        monitor = MonitorResult.select().where(MonitorResult.school == kw.id).first()
        safety_action = SafetyAction.select().where(SafetyAction.school == kw.id).first()
        plan = PlanVersion.create(
            school=kw, version=1, sections={}, filename="plan.pdf", content=b"%PDF-1.4", sha256="0" * 64
        )
        return {
            "monitor_id": (MonitorResult, monitor.id),
            "safety_action_id": (SafetyAction, safety_action.id),
            "version_id": (PlanVersion, plan.id),
            "vacation_id": (Vacation, vacation.id),
            "pupil_id": (Pupil, pupil.id),
            "partner_id": (Partner, partner.id),
            "app_id": (AllowedApp, app_row.id),
            "item_id": (CaseChecklistItem, CaseChecklistItem.get(CaseChecklistItem.case == case.id).id),
            "doc_id": (CaseDocument, CaseDocument.get(CaseDocument.case == case.id).id),
            "row_id": (CasePupil, CasePupil.get(CasePupil.case == case.id).id),
            "user_id": (User, directie.id),
            "attachment_id": (Attachment, attachment.id),
            "request_id": (InzageRequest, request.id),
            "export_id": (InzageExport, export.id),
            "person_id": (Person, Person.get(Person.school == kw.id).id),
            "assignment_id": (Assignment, Assignment.get(Assignment.school == kw.id).id),
            "training_id": (Training, Training.get(Training.school == kw.id).id),
            "action_id": (Action, action.id),
        }


def _snapshot(app, model, object_id):
    from playhouse.shortcuts import model_to_dict

    with db_session(app, "de-linde"):
        row = model.get_or_none(model.id == object_id)
        return row and model_to_dict(row, recurse=False)


def test_two_school_walk_of_every_object_bearing_school_url(app, world):
    """Outside the admin pages: every URL of a school that carries an object's id (a
    vacation, a pupil, a partner, an allowed app, a case's checklist item, letter or pupil
    row, a colleague) is tried at De Linde, by someone with every role there, with the id
    of an object of De Klaverweide. Each answer is a 404 that leaves the object as it was.
    A new route with a new kind of id fails the walk until it is added here."""
    from portal.admin import set_plugin_enabled
    from portal.registry import get_registry

    foreign = _foreign_objects(app)
    with db_session(app, "de-linde"):
        linde = School.get(School.slug == "de-linde")
        for slug in get_registry().plugin_slugs:
            set_plugin_enabled(linde, slug, True)
        everyone = User.create(
            email="alles@delinde.demo", name="Alex Alles", password_hash=hash_password(PASSWORD)
        )
        for role in ("directie", "ib", "contactpersoon", "aandachtsfunctionaris", "beheerder"):
            UserRole.create(user=everyone, school=linde, role=role)
    client = client_of(app, "alles@delinde.demo")
    token = get_csrf(client, "/de-linde/")
    assert client.get(f"/de-linde/zaken/{world['case']}").status_code == 200  # the world works
    rules = [
        r
        for r in app.url_map.iter_rules()
        if r.rule.startswith("/<school>/")
        and not r.rule.startswith("/<school>/beheer/")
        and any(isinstance(c, IntegerConverter) for c in r._converters.values())
    ]
    problems, walked = [], set()
    for rule in rules:
        ints = [a for a in rule.arguments if isinstance(rule._converters[a], IntegerConverter)]
        if any(a not in foreign for a in ints):
            problems.append(f"{rule.rule}: add a foreign object for {ints} to this walk")
            continue
        model, object_id = foreign[ints[-1]]  # the last id names the object the URL acts on
        values = {"school": "de-linde", "reference": world["case"], **{a: foreign[a][1] for a in ints}}
        url = rule.build({a: values.get(a, "x") for a in rule.arguments}, append_unknown=False)[1]
        for method in sorted(rule.methods - SKIPPED_METHODS):
            walked.add(rule.endpoint)
            before = _snapshot(app, model, object_id)
            if method == "GET":
                r = client.get(url)
            else:
                r = client.post(url, data={"csrf_token": token, "name": "Overgenomen", "organisation": "X"})
            if r.status_code != 404:
                problems.append(f"{method} {url}: {r.status_code}, expected 404")
            if _snapshot(app, model, object_id) != before:
                problems.append(f"{method} {url}: changed {model.__name__} {object_id} of De Klaverweide")
    assert problems == [], "\n".join(problems)
    assert {"calendar.delete", "partners.edit", "cases.checklist", "cases.download"} <= walked, walked


def test_a_new_account_with_a_dossier_role_is_announced_to_the_directie(app, world):
    """A beheerder cannot give themselves a role, but could make an account for an address
    of their own and give that one directie or contactpersoon: the school's directie and the
    board-wide beheerders hear of it at once (not the one who gave it, not the one who got
    it); a role without access to case files is not announced."""
    client = client_of(app, "beheerder@delinde.demo")
    page = f"{LINDE}/gebruiker/nieuw"

    def new(email, roles):
        r = client.post(
            page,
            data={"name": "Sok Pop", "email": email, "roles": roles, "csrf_token": get_csrf(client, page)},
        )
        assert r.status_code == 302, r.get_data(as_text=True)

    def announced():
        with db_session(app, "de-linde"):
            return sorted(
                (m.to, m.body)
                for m in Outbox.select().where(Outbox.subject.startswith("Nieuwe rol met toegang"))
            )

    new("leerkracht.nieuw@delinde.demo", ["leerkracht"])
    assert announced() == []
    new("sokpop@example.org", ["contactpersoon", "directie"])
    mails = announced()
    assert [to for to, _body in mails] == [BOARD_ADMIN, "directie@delinde.demo"]
    body = mails[0][1]
    assert (
        "Lotte Linde heeft Sok Pop (sokpop@example.org) bij De Linde de rol contactpersoon, directie" in body
    )
    assert "beheerder@delinde.demo" not in [to for to, _ in mails]
