"""The CLI: init-db is idempotent; user add / roles / disable."""

from portal.db import database
from portal.migrate import Migration
from portal.models import CORE_MODELS
from portal.models import User
from portal.models import UserRole
from portal.models import UserSession

from .conftest import login
from .core_helpers import db_ctx

PASSWORD = "een-goed-lang-wachtwoord-9"


def counts(app):
    with db_ctx(app):
        out = {m._meta.table_name: m.select().count() for m in [*CORE_MODELS, Migration]}
        out["tables"] = len(database.get_tables())
        return out


def test_init_db_twice_is_idempotent(app, runner):
    before = counts(app)
    for args in (["init-db"], ["init-db"], ["init-db", "--demo"], ["init-db", "--demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
        assert "0 migraties toegepast" in result.output
    assert "De demoschool bestaat al." in result.output
    assert counts(app) == before


def test_user_add_roles_disable(app, runner):
    r = runner.invoke(args=["user", "add", "Nieuw@Klaverweide.demo", "Noor Nieuw", "--password", PASSWORD])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["user", "add", "nieuw@klaverweide.demo", "Dubbel", "--password", PASSWORD])
    assert r.exit_code != 0 and "bestaat al" in r.output
    r = runner.invoke(args=["user", "add", "kort@klaverweide.demo", "Kort", "--password", "kort"])
    assert r.exit_code != 0 and "minstens 12 tekens" in r.output

    r = runner.invoke(args=["user", "roles", "nieuw@klaverweide.demo", "klaverweide", "ib", "directie"])
    assert r.exit_code == 0, r.output
    r = runner.invoke(args=["user", "roles", "nieuw@klaverweide.demo", "klaverweide", "koning"])
    assert r.exit_code != 0 and "Onbekende rol" in r.output
    r = runner.invoke(args=["user", "roles", "nieuw@klaverweide.demo", "nergens", "ib"])
    assert r.exit_code != 0 and "Onbekende school" in r.output
    r = runner.invoke(args=["user", "roles", "niemand@klaverweide.demo", "klaverweide", "ib"])
    assert r.exit_code != 0 and "Onbekende gebruiker" in r.output
    with db_ctx(app):
        u = User.get(User.email == "nieuw@klaverweide.demo")
        assert u.name == "Noor Nieuw" and u.password_hash.startswith("$argon2id$")
        assert sorted(r.role for r in UserRole.select().where(UserRole.user == u.id)) == ["directie", "ib"]

    client = app.test_client()
    assert login(client, "nieuw@klaverweide.demo", PASSWORD).status_code == 302
    assert client.get("/klaverweide/").status_code == 200
    # Roles can be replaced, and removed altogether.
    r = runner.invoke(args=["user", "roles", "nieuw@klaverweide.demo", "klaverweide", "leerkracht"])
    assert r.exit_code == 0
    with db_ctx(app):
        assert [r.role for r in UserRole.select().where(UserRole.user == u.id)] == ["leerkracht"]

    r = runner.invoke(args=["user", "disable", "nieuw@klaverweide.demo"])
    assert r.exit_code == 0, r.output
    with db_ctx(app):
        assert not User.get_by_id(u.id).active
        assert (
            not UserSession.select()
            .where((UserSession.user == u.id) & UserSession.ended_at.is_null())
            .exists()
        )
    assert client.get("/klaverweide/").status_code == 302  # the open session ended
    assert login(app.test_client(), "nieuw@klaverweide.demo", PASSWORD).status_code == 401
    r = runner.invoke(args=["user", "disable", "niemand@klaverweide.demo"])
    assert r.exit_code != 0 and "Onbekende gebruiker" in r.output
