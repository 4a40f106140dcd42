"""The workflow, report, command and migration hooks, exercised through tests/caseplugin.py."""

from portal.cases import engine
from portal.db import database
from portal.models import Case
from portal.models import School
from portal.models import User

from . import caseplugin
from .conftest import login


def _case(title):
    school = School.get(School.slug == "klaverweide")
    user = User.get(User.email == "directie@klaverweide.demo")
    return engine.create_case(school, "testzaak.zaak", title, user), user


def _portal_user(user):
    from portal.auth import PortalUser

    return PortalUser(user, None)


def test_check_transition_vetoes_and_nothing_changes(ctx):
    case, user = _case("veto graag")
    try:
        engine.run_transition(case, "testzaak.start", _portal_user(user))
    except engine.TransitionRefused as refused:
        assert refused.reason == "Het testveto houdt deze stap tegen."
    else:
        raise AssertionError("the check_transition hook did not veto")
    assert Case.get_by_id(case.id).state == "nieuw"


def test_case_transitioned_runs_after_commit(ctx):
    caseplugin.TRANSITIONED.clear()
    case, user = _case("gewoon")
    engine.run_transition(case, "testzaak.start", _portal_user(user))
    assert caseplugin.TRANSITIONED == [(case.reference, "testzaak.start", "bezig")]


def test_register_commands_adds_cli_command(runner):
    result = runner.invoke(args=["testzaak-hallo"])
    assert result.exit_code == 0 and "hallo van testzaak" in result.output


def test_register_migrations_and_models_create_plugin_table(app):
    with app.app_context():
        database.connect(reuse_if_open=True)
        assert "testzaak_extra" in database.get_tables()
        assert "testzaak_extra" in app.extensions["portal"].models
        database.close()


def test_annual_report_figures_on_reports_page(app, client):
    with app.app_context():
        database.connect(reuse_if_open=True)
        _case("voor het jaarverslag")
        database.close()
    login(client, "directie")
    html = client.get("/klaverweide/jaarcijfers/?jaar=2026").get_data(as_text=True)
    assert "Testzaken: 1" in html


def test_demo_data_hook_enabled_the_test_plugin(app):
    from portal.models import SchoolPlugin

    with app.app_context():
        database.connect(reuse_if_open=True)
        assert SchoolPlugin.select().where(SchoolPlugin.plugin == "testzaak").exists()
        database.close()
