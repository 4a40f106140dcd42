"""Example plugin "voorbeeld": one page, one permission, one setting, one panel."""

from flask import Blueprint
from flask import g
from flask import render_template
from flask import url_for

from portal import hookimpl
from portal.access import requires
from portal.declarations import NavItem
from portal.declarations import Panel
from portal.declarations import Permission
from portal.declarations import Setting
from portal.settings import get_setting

bp = Blueprint("voorbeeld", __name__, template_folder="templates")


@bp.route("/")
@requires("voorbeeld.view")
def index():
    return render_template("voorbeeld/index.html", greeting=get_setting(g.school, "voorbeeld.greeting"))


@hookimpl
def register_blueprints(app):
    return [bp]


@hookimpl
def register_permissions():
    return [Permission("voorbeeld.view", "De voorbeeldpagina zien", ("directie", "ib"))]


@hookimpl
def register_settings():
    return [Setting("voorbeeld.greeting", "Begroeting op de voorbeeldpagina", "Goedemorgen")]


@hookimpl
def nav_items(user, school):
    return [NavItem("voorbeeld.index", "Voorbeeld", "voorbeeld.index", "voorbeeld.view", order=70)]


@hookimpl
def dashboard_panels(user, school):
    return [Panel("voorbeeld.panel", "Voorbeeld", (("Pagina van de voorbeeldplugin", "",
                                                    url_for("voorbeeld.index")),),
                  permission="voorbeeld.view", order=90)]
