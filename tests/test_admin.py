"""Beheer pages, school calendar, legal hold, health check and backup."""

import sqlite3

from portal.db import database
from portal.models import Case
from portal.models import RolePermission
from portal.models import User
from portal.models import Vacation

from .conftest import PG_URL
from .conftest import login
from .conftest import post
from .core_helpers import set_password_by_link


def _db(app):
    class _Ctx:
        def __enter__(self):
            self.c = app.app_context()
            self.c.push()
            database.connect(reuse_if_open=True)

        def __exit__(self, *a):
            database.close()
            self.c.pop()

    return _Ctx()


def test_beheerder_adds_user_with_role_who_can_log_in(app, client):
    """No password typed by the beheerder: the new colleague gets a link and chooses one."""
    login(client, "beheerder")
    page = "/klaverweide/beheer/gebruiker/nieuw"
    r = post(
        client,
        page,
        {"name": "Nieuwe Collega", "email": "geen-adres", "roles": ["ib"]},
        page=page,
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Vul een geldig e-mailadres in." in html and 'value="Nieuwe Collega"' in html  # typed text kept
    assert 'name="password"' not in html
    r = post(
        client,
        page,
        {"name": "Nieuwe Collega", "email": "nieuw@klaverweide.demo", "roles": ["ib"]},
        page=page,
    )
    assert r.status_code == 302
    other = app.test_client()
    assert login(other, "nieuw@klaverweide.demo", "een lange zin als wachtwoord").status_code == 401
    assert (
        set_password_by_link(app, other, "nieuw@klaverweide.demo", "een lange zin als wachtwoord").status_code
        == 302
    )
    assert other.get("/klaverweide/").status_code == 200
    again = app.test_client()
    assert login(again, "nieuw@klaverweide.demo", "een lange zin als wachtwoord").status_code == 302


def test_non_beheerder_gets_403_on_beheer(client):
    login(client, "directie")
    assert client.get("/klaverweide/beheer/").status_code == 403


def test_school_adjusts_role_permissions(app, client):
    login(client, "beheerder")
    page = "/klaverweide/beheer/rechten"
    html = client.get(page).get_data(as_text=True)
    assert "portal.reports" in html
    # Take "Jaarcijfers bekijken" away from directie, keep all other defaults.
    with _db(app):
        reg = app.extensions["portal"]
        data = {}
        for name, perm in reg.permissions.items():
            for role in perm.default_roles:
                if not (name == "portal.reports" and role == "directie"):
                    data[f"{name}|{role}"] = "1"
    assert post(client, page, data, page=page).status_code == 302
    with _db(app):
        rows = list(RolePermission.select())
        assert [(r.permission, r.role, r.granted) for r in rows] == [("portal.reports", "directie", False)]
    director = app.test_client()
    login(director, "directie")
    assert director.get("/klaverweide/jaarcijfers/").status_code == 403


def test_calendar_vacation_add_validate_delete(app, client):
    login(client, "directie")
    page = "/klaverweide/kalender/"
    r = post(client, page, {"name": "Studiedag", "start": "2026-12-10", "end": "2026-12-09"}, page=page)
    assert "De laatste dag ligt vóór de eerste dag." in r.get_data(as_text=True)
    r = post(client, page, {"name": "Studiedag", "start": "2026-12-10", "end": "2026-12-10"}, page=page)
    assert r.status_code == 302
    with _db(app):
        v = Vacation.get(Vacation.name == "Studiedag")
        import datetime

        from portal.schoolcalendar import SchoolCalendar

        cal = SchoolCalendar.for_school(v.school)
        assert cal.closed_reason(datetime.date(2026, 12, 10)) == "Studiedag"
    r = post(client, f"/klaverweide/kalender/{v.id}/verwijderen", page=page)
    assert r.status_code == 302
    with _db(app):
        assert not Vacation.select().where(Vacation.name == "Studiedag").exists()
    teacher = app.test_client()
    login(teacher, "leerkracht")
    assert teacher.get(page).status_code == 403


def _make_case(app, title="Te bewaren"):
    from portal.cases import engine
    from portal.models import School

    with app.test_request_context("/klaverweide/"):
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        user = User.get(User.email == "directie@klaverweide.demo")
        case = engine.create_case(school, "testzaak.zaak", title, user)
        database.close()
    return case.reference


def test_legal_hold_from_case_page(app, client):
    ref = _make_case(app)
    login(client, "directie")
    page = f"/klaverweide/zaken/{ref}"
    r = post(client, f"{page}/bewaarplicht", {"hold": "1", "reason": ""}, page=page)
    assert r.status_code == 302
    with _db(app):
        assert not Case.get(Case.reference == ref).legal_hold
    post(client, f"{page}/bewaarplicht", {"hold": "1", "reason": "Lopende rechtszaak"}, page=page)
    with _db(app):
        assert Case.get(Case.reference == ref).legal_hold
    assert "Bewaarplicht ingesteld: Lopende rechtszaak" in client.get(page).get_data(as_text=True)
    ib = app.test_client()
    login(ib, "ib")  # sees test cases but may not set a legal hold
    assert post(ib, f"{page}/bewaarplicht", {"hold": "0"}, page=page).status_code == 403


def test_health(client):
    r = client.get("/health")
    body = r.get_json()
    assert r.status_code == 200 and body["status"] == "ok" and body["problemen"] == []
    assert body["migraties_open"] == 0 and set(body["mail"]) == {"due", "oldest_due_minutes", "failed"}


def test_backup_keeps_every_row_and_is_private(app, runner, tmp_path):
    if PG_URL.startswith("postgres"):
        result = runner.invoke(args=["backup", str(tmp_path / "b.sqlite3")])
        assert "pg_dump" in result.output
        return
    for i in range(5):
        _make_case(app, f"zaak {i}")
    target = tmp_path / "backup.sqlite3"
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    assert (target.stat().st_mode & 0o777) == 0o600
    n = sqlite3.connect(target).execute("select count(*) from portal_case").fetchone()[0]
    with _db(app):
        assert n == Case.select().count() and n >= 5
    again = runner.invoke(args=["backup", str(target)])
    assert again.exit_code != 0 and "bestaat al" in again.output


def test_audit_log_page_shows_case_views(app, client):
    ref = _make_case(app, "Bekeken zaak")
    viewer = app.test_client()
    login(viewer, "ib")
    assert viewer.get(f"/klaverweide/zaken/{ref}").status_code == 200
    login(client, "beheerder")
    html = client.get(f"/klaverweide/beheer/auditlog?zaak={ref}").get_data(as_text=True)
    assert "ib@klaverweide.demo" in html and "case.view" in html
    assert client.get("/klaverweide/beheer/auditlog?wie=niemand@x.nl").status_code == 200


def test_logo_is_checked_by_content_and_size(app, client):
    import io

    from portal.models import School

    login(client, "beheerder")
    page = "/klaverweide/beheer/school"

    def upload(data, name):
        from .conftest import get_csrf

        form = {
            "name": "De Klaverweide",
            "address": "Klaverweg 12",
            "postcode": "1300 AA",
            "city": "Almere",
            "phone": "036 000 0000",
            "email": "info@klaverweide.demo",
            "board_name": "Almeerse Scholen Groep (ASG)",
            "csrf_token": get_csrf(client, page),
            "logo": (io.BytesIO(data), name),
        }
        return client.post(page, data=form, content_type="multipart/form-data", follow_redirects=True)

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    assert "PNG- of JPEG-bestand" in upload(svg, "logo.png").get_data(as_text=True)
    assert "PNG- of JPEG-bestand" in upload(b"\x89PNG\r\n\x1a\n" + b"0" * 600_000, "groot.png").get_data(
        as_text=True
    )
    with _db(app):
        assert School.get(School.slug == "klaverweide").logo is None
    polyglot = b"\x89PNG\r\n\x1a\n" + b"<html><script>alert(1)</script>"
    assert "PNG- of JPEG-bestand" in upload(polyglot, "logo.png").get_data(as_text=True)
    from PIL import Image

    real = io.BytesIO()
    Image.new("RGB", (30, 10), (31, 85, 105)).save(real, format="PNG")
    upload(real.getvalue(), "logo.png")
    with _db(app):
        stored = School.get(School.slug == "klaverweide")
        assert stored.logo_type == "image/png"
        assert Image.open(io.BytesIO(bytes(stored.logo))).size == (30, 10)


def test_a_body_over_the_limit_gets_the_dutch_413_page(app, client):
    r = client.post(
        "/klaverweide/klachten/indienen",
        data=b"x" * (11 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert r.status_code == 413
    assert "Te groot" in r.get_data(as_text=True)
