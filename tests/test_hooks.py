"""Every hook is documented in docs/plugins.md with an example, and has a test of its own
named ``test_hook_<name>`` (Datasette's rule); hooks are called through pluggy, so its
ordering and wrappers hold."""

import inspect
import re
import types
from pathlib import Path

import pytest

from portal import hookimpl
from portal import hookspecs
from portal.cases import engine
from portal.db import database
from portal.models import Case
from portal.models import SchoolPlugin

from . import caseplugin
from .conftest import login
from .conftest import post
from .core_helpers import actor
from .core_helpers import db_ctx
from .core_helpers import make_case
from .core_helpers import school

ROOT = Path(__file__).resolve().parent.parent
HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if hasattr(fn, "veiligheidsportaal_spec")
)


def test_there_are_hooks():
    assert "register_case_types" in HOOKS and len(HOOKS) >= 14


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented_with_an_example(hook):
    docs = (ROOT / "docs" / "plugins.md").read_text()
    section = re.search(rf"### `{hook}`\n(.*?)(?=\n### |\n## |\Z)", docs, re.S)
    assert section, f"docs/plugins.md lacks a section for {hook}"
    assert "```python" in section.group(1), f"the section on {hook} has no example"
    fn = getattr(hookspecs, hook)
    assert fn.__doc__ and fn.__doc__.strip().splitlines()[0].startswith(("Return", "React", "Add"))


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_after_it(hook):
    assert f"test_hook_{hook}" in globals(), f"tests/test_hooks.py lacks test_hook_{hook}"


# ------------------------------------------------------------------- setup ----


def test_hook_register_blueprints(app, client):
    """The example plugin's blueprint is mounted under /<school>/voorbeeld/ (and 404 while
    the school has not enabled it)."""
    assert client.get("/klaverweide/voorbeeld/").status_code in (302, 404)
    assert "voorbeeld" in app.blueprints
    assert app.url_map.bind("x").match("/klaverweide/voorbeeld/")[0] == "voorbeeld.index"


def test_hook_register_models(app):
    assert app.extensions["portal"].models["testzaak_extra"] is caseplugin.Extra


def test_hook_register_migrations(app):
    from portal import migrate
    from portal.registry import get_pm

    with db_ctx(app):
        assert "testzaak_extra" in database.get_tables()
        assert ("testzaak", "m0001_initial") in migrate.applied_migrations()
        assert migrate.pending_migrations(get_pm()) == []


def test_hook_register_case_types(app):
    ct = app.extensions["portal"].case_types["testzaak.zaak"]
    assert ct.prefix == "TZ" and app.extensions["portal"].case_type_owner["testzaak.zaak"] == "testzaak"


def test_hook_register_permissions(app):
    perm = app.extensions["portal"].permissions["testzaak.decide"]
    assert perm.default_roles == ("directie",)


def test_hook_register_documents(app):
    assert app.extensions["portal"].documents["testzaak.brief"].case_type == "testzaak.zaak"


def test_hook_register_settings(app, client):
    login(client, "beheerder")
    assert "Begroeting op de voorbeeldpagina" not in client.get("/klaverweide/beheer/school").get_data(
        as_text=True
    )  # the plugin is not enabled here
    assert app.extensions["portal"].settings["voorbeeld.greeting"].default == "Goedemorgen"


def test_hook_register_commands(runner):
    result = runner.invoke(args=["testzaak-hallo"])
    assert result.exit_code == 0 and "hallo van testzaak" in result.output


def test_hook_demo_data(app):
    with db_ctx(app):
        assert SchoolPlugin.select().where(SchoolPlugin.plugin == "testzaak").exists()


# ----------------------------------------------------------------- request ----


def _enable_example(app):
    from portal.admin import set_plugin_enabled
    from portal.models import School

    with db_ctx(app):
        set_plugin_enabled(School.get(School.slug == "klaverweide"), "voorbeeld", True)


def test_hook_nav_items(app, client):
    _enable_example(app)
    login(client, "directie")
    html = client.get("/klaverweide/").get_data(as_text=True)
    assert 'href="/klaverweide/voorbeeld/"' in html  # declared in the plugin's nav
    assert 'href="/klaverweide/voorbeeld/melden"' in html  # the start page's menu item


def test_hook_dashboard_panels(app, client):
    _enable_example(app)
    login(client, "directie")
    assert "Onveilige situaties" in client.get("/klaverweide/").get_data(as_text=True)
    teacher = app.test_client()
    login(teacher, "leerkracht")  # lacks voorbeeld.view: no panel
    assert "Onveilige situaties" not in teacher.get("/klaverweide/").get_data(as_text=True)


# ---------------------------------------------------------------- workflow ----


def test_hook_check_transition(ctx):
    case = make_case("veto graag")
    with pytest.raises(engine.TransitionRefused, match="Het testveto houdt deze stap tegen."):
        engine.run_transition(case, "testzaak.start", actor("directie"))
    assert Case.get_by_id(case.id).state == "nieuw"


def test_hook_case_transitioned(ctx):
    caseplugin.TRANSITIONED.clear()
    case = make_case("gewoon")
    engine.run_transition(case, "testzaak.start", actor("directie"))
    assert caseplugin.TRANSITIONED == [(case.reference, "testzaak.start", "bezig")]


# ---------------------------------------------------------------- register ----


def test_hook_school_contacts(app):
    """The contacts come from the plugins the school enabled, through pluggy, in the order
    of the roles; a school that enabled none gets an empty list (the caller's fallback)."""
    from portal import api
    from portal.admin import set_plugin_enabled

    with db_ctx(app):
        here = school()
        found = api.school_contacts(here, "vertrouwenspersoon")
        assert ("testzaak.vp", "Vera Testpersoon", "036 000 9999") in [
            (c.name, c.person, c.phone) for c in found
        ]
        assert all(c.role == "vertrouwenspersoon" for c in found)
        everyone = api.school_contacts(here)
        order = [key for key, _ in api.CONTACT_ROLES]
        assert [order.index(c.role) for c in everyone] == sorted(order.index(c.role) for c in everyone)
        set_plugin_enabled(here, "testzaak", False)
    with db_ctx(app):
        assert "testzaak.vp" not in [c.name for c in api.school_contacts(school())]


# ------------------------------------------------------------------ report ----


def test_hook_annual_report(app, client):
    with db_ctx(app):
        make_case("voor het jaarverslag")
    login(client, "directie")
    from portal.dates import school_year_of
    from portal.dates import today

    html = client.get(f"/klaverweide/jaarcijfers/?jaar={school_year_of(today())}").get_data(as_text=True)
    assert "Testzaken: 1" in html
    assert "Bekeken door: Ruben Hoekstra" in html  # the hook is told who looks


def test_hook_plan_section(app, client):
    """The example's section replaces the core's of the same number, with its live data."""
    with db_ctx(app):
        make_case("voor het plan")
    login(client, "directie")
    html = client.get("/klaverweide/veiligheidsplan/").get_data(as_text=True)
    assert "3.1.9 Fysieke veiligheid (testzaak)" in html
    assert "Vaste testtekst van de testzaak." in html
    assert "Testzaken van De Klaverweide: 1" in html
    assert "3.1.10 Medisch handelen" in html  # the core's sections stand around it
    assert "afspraken over het deurbeleid" not in html  # the core's 3.1.9 text is replaced


# ------------------------------------------------------------ pluggy rules ----


def test_hooks_are_called_through_pluggy_with_its_wrappers_and_order(app, client):
    """A wrapper sees (and may change) the other plugins' results, and tryfirst runs
    first: the core calls hooks through pluggy, not in a loop of its own."""
    seen = []
    wrapper = types.ModuleType("omhulsel")
    wrapper.SLUG = "omhulsel"

    @hookimpl(wrapper=True)
    def dashboard_panels(user, school):
        results = yield
        seen.append(sum(len(r or ()) for r in results))
        return results

    @hookimpl(tryfirst=True)
    def nav_items(user, school):
        seen.append("tryfirst")
        return []

    wrapper.dashboard_panels = dashboard_panels
    wrapper.nav_items = nav_items
    app.extensions["portal"].pm.register(wrapper, name="omhulsel")
    with db_ctx(app):
        from portal.models import School

        SchoolPlugin.create(school=School.get(School.slug == "klaverweide"), plugin="omhulsel")
    login(client, "directie")
    assert client.get("/klaverweide/").status_code == 200
    assert "tryfirst" in seen and any(isinstance(n, int) and n > 0 for n in seen)


def test_a_step_through_the_case_page_reaches_both_workflow_hooks(app, client):
    caseplugin.TRANSITIONED.clear()
    with db_ctx(app):
        case = make_case("via de pagina")
    login(client, "directie")
    page = f"/klaverweide/zaken/{case.reference}"
    assert post(client, f"{page}/stap/testzaak.start", page=page).status_code == 302
    assert caseplugin.TRANSITIONED[-1][1] == "testzaak.start"
