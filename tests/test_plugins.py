"""The plugin system: entry points, the example third-party plugin, name checks, failures."""

import tomllib
import types
from pathlib import Path

import pluggy
import pytest
from flask import Blueprint

from portal import create_app
from portal import hookimpl
from portal.declarations import CaseType
from portal.declarations import Permission
from portal.declarations import Start
from portal.declarations import State
from portal.declarations import Transition
from portal.models import School
from portal.models import SchoolPlugin
from portal.plugins import ENTRY_POINT_GROUP
from portal.plugins import PluginError

from .conftest import login
from .conftest import post

ROOT = Path(__file__).resolve().parent.parent


def test_entry_point_group_matches_pyproject():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text())
    groups = meta["project"]["entry-points"]
    assert ENTRY_POINT_GROUP in groups
    assert ENTRY_POINT_GROUP in (ROOT / "docs" / "plugins.md").read_text()
    for slug in ("klachten", "trauma", "schorsing", "social_media", "meldcode", "meldplicht"):
        assert groups[ENTRY_POINT_GROUP][slug] == f"plugins.{slug}"


def test_builtins_and_example_loaded_through_entry_points(app):
    reg = app.extensions["portal"]
    for slug in ("klachten", "trauma", "schorsing", "social_media", "meldcode", "voorbeeld", "testzaak"):
        assert slug in reg.plugin_slugs


def _enable(app, slug, on=True):
    from portal.db import database

    with app.app_context():
        database.connect(reuse_if_open=True)
        school = School.get(School.slug == "klaverweide")
        if on:
            SchoolPlugin.insert(school=school, plugin=slug).on_conflict_ignore().execute()
        else:
            SchoolPlugin.delete().where(
                (SchoolPlugin.school == school) & (SchoolPlugin.plugin == slug)
            ).execute()
        database.close()


def test_example_plugin_disabled_is_404_and_hidden(app, client):
    login(client, "directie")
    assert client.get("/klaverweide/voorbeeld/").status_code == 404
    html = client.get("/klaverweide/").get_data(as_text=True)
    assert "Voorbeeld" not in html


def test_example_plugin_adds_page_permission_setting_panel(app, client):
    _enable(app, "voorbeeld")
    login(client, "directie")
    r = client.get("/klaverweide/voorbeeld/")
    assert r.status_code == 200
    assert "Goedemorgen" in r.get_data(as_text=True)
    dash = client.get("/klaverweide/").get_data(as_text=True)
    assert "Pagina van de voorbeeldplugin" in dash  # the panel
    assert 'href="/klaverweide/voorbeeld/"' in dash  # the menu item
    # The permission: a leerkracht does not hold voorbeeld.view.
    other = app.test_client()
    login(other, "leerkracht")
    assert other.get("/klaverweide/voorbeeld/").status_code == 403
    assert "Pagina van de voorbeeldplugin" not in other.get("/klaverweide/").get_data(as_text=True)
    # The setting: on the school settings page, and it changes the page.
    admin = app.test_client()
    login(admin, "beheerder")
    page = admin.get("/klaverweide/beheer/school").get_data(as_text=True)
    assert "Begroeting op de voorbeeldpagina" in page
    r = post(
        admin,
        "/klaverweide/beheer/school",
        {
            "name": "De Klaverweide",
            "address": "Klaverweg 12",
            "postcode": "1300 AA",
            "city": "Almere",
            "phone": "036 000 0000",
            "email": "",
            "board_name": "ASG",
            "voorbeeld__greeting": "Hallo team",
            "portal__contact_phone": "",
        },
        page="/klaverweide/beheer/school",
    )
    assert r.status_code == 302
    assert "Hallo team" in client.get("/klaverweide/voorbeeld/").get_data(as_text=True)


def _app_with(tmp_path, monkeypatch, *modules):
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "inst"))
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 40,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
            "PORTAL_PLUGINS": [],
            "PORTAL_EXTRA_PLUGINS": modules,
        }
    )


def _plugin(name, **hooks):
    module = types.ModuleType(f"fake_{name}")
    module.SLUG = name
    for hook_name, fn in hooks.items():
        setattr(module, hook_name, hookimpl(fn))
    return module


def test_misspelled_hook_fails_loudly(tmp_path, monkeypatch):
    bad = _plugin("kapot", register_permisions=lambda: [])
    with pytest.raises(pluggy.PluginValidationError):
        _app_with(tmp_path, monkeypatch, bad)


def test_names_must_carry_the_slug(tmp_path, monkeypatch):
    bad = _plugin("een", register_permissions=lambda: [Permission("twee.x", "x", ("directie",))])
    with pytest.raises(PluginError, match="must start with 'een.'"):
        _app_with(tmp_path, monkeypatch, bad)


def test_blueprint_name_must_be_slug(tmp_path, monkeypatch):
    bad = _plugin("een", register_blueprints=lambda: [Blueprint("anders", __name__)])
    with pytest.raises(PluginError, match="blueprint name"):
        _app_with(tmp_path, monkeypatch, bad)


def test_table_names_must_carry_the_slug(tmp_path, monkeypatch):
    from portal.models import School as Model

    bad = _plugin("een", register_models=lambda: [Model])
    with pytest.raises(PluginError, match="table"):
        _app_with(tmp_path, monkeypatch, bad)


def _case_type(**over):
    base = dict(
        name="een.zaak",
        title="Zaak",
        prefix="EE",
        states=(State("a", "A"), State("b", "B", closed=True)),
        initial="a",
        transitions=(Transition("een.t", "T", ("a",), "b", "een.p"),),
        view_permission="een.p",
    )
    base.update(over)
    return CaseType(**base)


@pytest.mark.parametrize(
    "over, message",
    [
        ({"transitions": (Transition("een.t", "T", ("a",), "zzz", "een.p"),)}, "unknown state"),
        ({"initial": "zzz"}, "initial state"),
        ({"view_permission": "een.onbekend"}, "unknown permission"),
        (
            {
                "transitions": (
                    Transition("een.t", "T", ("a",), "b", "een.p"),
                    Transition("een.t", "T", ("a",), "b", "een.p"),
                )
            },
            "duplicate transition",
        ),
        # More starts: each at its own path, for staff with a permission; a follow-up only
        # start must follow something.
        (
            {
                "start": Start(None, "A", "een.p", path="x"),
                "more_starts": (Start(None, "B", "een.p", path="x"),),
            },
            "same path",
        ),
        ({"more_starts": (Start(None, "B", None, path="y", public=True),)}, "needs a permission"),
        ({"more_starts": (Start(None, "B", "een.onbekend", path="y"),)}, "unknown permission"),
        ({"start": Start(None, "A", "een.p", follow_up_only=True)}, "follows nothing"),
    ],
)
def test_case_type_validation(tmp_path, monkeypatch, over, message):
    bad = _plugin(
        "een",
        register_permissions=lambda: [Permission("een.p", "p", ("directie",))],
        register_case_types=lambda: [_case_type(**over)],
    )
    with pytest.raises(PluginError, match=message):
        _app_with(tmp_path, monkeypatch, bad)


def test_duplicate_names_across_hooks_refused(tmp_path, monkeypatch):
    a = _plugin("een", register_permissions=lambda: [Permission("een.p", "p"), Permission("een.p", "p")])
    with pytest.raises(PluginError, match="duplicate"):
        _app_with(tmp_path, monkeypatch, a)


def test_broken_plugin_is_skipped_and_portal_starts(tmp_path, monkeypatch, caplog):
    """An entry point whose import fails is logged and skipped."""
    import importlib.metadata as md

    real = md.entry_points

    def fake_entry_points(group=None, **kw):
        eps = list(real(group=group, **kw))
        if group == ENTRY_POINT_GROUP:
            eps.append(md.EntryPoint("kapot", "plugin_die_niet_bestaat", ENTRY_POINT_GROUP))
        return eps

    monkeypatch.setattr("portal.plugins.entry_points", fake_entry_points)
    monkeypatch.setenv("PORTAL_INSTANCE_PATH", str(tmp_path / "inst"))
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "x" * 40, "DATABASE_URL": f"sqlite:///{tmp_path / 'y.sqlite3'}"}
    )
    assert "kapot" not in app.extensions["portal"].plugin_slugs
    assert "klachten" in app.extensions["portal"].plugin_slugs
    assert "kapot could not be loaded" in caplog.text


def test_trace_env_prints_hook_calls(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PORTAL_TRACE_PLUGINS", "1")
    _app_with(tmp_path, monkeypatch)
    assert "hook register_permissions" in capsys.readouterr().err
